# Security rules every object the platform renders must keep: what synth writes to dist/ and
# every resource the real renderer composes from the examples. Each deny names the object and
# the rule; tests prove each rule refuses its fixture in policies/fixtures/.
package main

import rego.v1

name(obj) := sprintf("%s %s", [obj.kind, object.get(obj, ["metadata", "name"], object.get(obj, ["metadata", "generateName"], "?"))])

fp(obj) := object.get(obj, ["spec", "forProvider"], {})

# imdsv2: every node requires session tokens for the instance metadata service.
deny contains msg if {
	input.kind == "LaunchTemplate"
	object.get(fp(input), ["metadataOptions", "httpTokens"], "") != "required"
	msg := sprintf("%s: rule imdsv2: metadataOptions.httpTokens must be required", [name(input)])
}

deny contains msg if {
	input.kind == "EC2NodeClass"
	object.get(input, ["spec", "metadataOptions", "httpTokens"], "") != "required"
	msg := sprintf("%s: rule imdsv2: spec.metadataOptions.httpTokens must be required", [name(input)])
}

# encryption-at-rest: wherever data lives.
deny contains msg if {
	input.kind == "Cluster"
	startswith(input.apiVersion, "eks.aws")
	not "secrets" in object.get(fp(input), ["encryptionConfig", "resources"], [])
	msg := sprintf("%s: rule encryption-at-rest: EKS secrets must be envelope-encrypted", [name(input)])
}

deny contains msg if {
	input.kind == "Cluster"
	startswith(input.apiVersion, "rds.aws")
	object.get(fp(input), "storageEncrypted", false) != true
	msg := sprintf("%s: rule encryption-at-rest: Aurora storage must be encrypted", [name(input)])
}

deny contains msg if {
	input.kind == "Queue"
	object.get(fp(input), "sqsManagedSseEnabled", false) != true
	not fp(input).kmsMasterKeyId
	msg := sprintf("%s: rule encryption-at-rest: SQS queues must use server-side encryption", [name(input)])
}

deny contains msg if {
	input.kind in {"LaunchTemplate", "EC2NodeClass"}
	some d in object.get(object.get(input.spec, "forProvider", input.spec), "blockDeviceMappings", [])
	not d.ebs.encrypted in {true, "true"}
	msg := sprintf("%s: rule encryption-at-rest: volume %s must be encrypted", [name(input), d.deviceName])
}

deny contains msg if {
	input.kind == "StorageClass"
	object.get(input, ["parameters", "encrypted"], "") != "true"
	msg := sprintf("%s: rule encryption-at-rest: StorageClass volumes must be encrypted", [name(input)])
}

# no-public-database: no public instance, no database port open to the internet.
deny contains msg if {
	input.kind == "ClusterInstance"
	object.get(fp(input), "publiclyAccessible", false) == true
	msg := sprintf("%s: rule no-public-database: database instances must not be publicly accessible", [name(input)])
}

deny contains msg if {
	input.kind == "SecurityGroupIngressRule"
	object.get(fp(input), "cidrIpv4", "") == "0.0.0.0/0"
	object.get(fp(input), "fromPort", 0) <= 5432
	object.get(fp(input), "toPort", 65535) >= 5432
	msg := sprintf("%s: rule no-public-database: PostgreSQL must not be open to 0.0.0.0/0", [name(input)])
}

# production-data-protection: prod databases keep deletion protection and their final snapshot.
deny contains msg if {
	input.kind == "EnvironmentConfig"
	input.metadata.labels["platform.drydock.dev/environment"] == "prod"
	some field in ["deletionProtection", "finalSnapshot"]
	object.get(input, ["data", "database", field], false) != true
	msg := sprintf("%s: rule production-data-protection: prod database.%s must be true", [name(input), field])
}

deny contains msg if {
	input.kind == "Cluster"
	input.spec.environment == "prod"
	object.get(input, ["spec", "database", "enabled"], false) == true
	some field in ["deletionProtection", "finalSnapshot"]
	input.spec.database[field] == false
	not input.spec.database.unprotectedReason
	msg := sprintf("%s: rule production-data-protection: prod database.%s is off without unprotectedReason", [name(input), field])
}

# iam-least-privilege: no wildcard action, no "*" resource outside the allow list.
policy_documents(obj) := [doc |
	obj.kind in {"RolePolicy", "Policy"}
	doc := json.unmarshal(fp(obj).policy)
]

as_list(x) := x if is_array(x)
as_list(x) := [x] if not is_array(x)

deny contains msg if {
	some doc in policy_documents(input)
	some s in doc.Statement
	s.Effect == "Allow"
	some a in as_list(s.Action)
	contains(a, "*")
	msg := sprintf("%s: rule iam-least-privilege: wildcard action %s", [name(input), a])
}

deny contains msg if {
	some doc in policy_documents(input)
	some s in doc.Statement
	s.Effect == "Allow"
	"*" in as_list(object.get(s, "Resource", []))
	some a in as_list(s.Action)
	not a in data.wildcard_resource_allowed
	msg := sprintf("%s: rule iam-least-privilege: %s on resource * is not in the allow list", [name(input), a])
}

# pod-identity-trust: a role Pod Identity assumes trusts pods.eks.amazonaws.com and nothing else.
deny contains msg if {
	input.kind == "Role"
	trust := json.unmarshal(fp(input).assumeRolePolicy)
	some s in trust.Statement
	"pods.eks.amazonaws.com" in as_list(object.get(s, ["Principal", "Service"], []))
	some other in as_list(s.Principal.Service)
	other != "pods.eks.amazonaws.com"
	msg := sprintf("%s: rule pod-identity-trust: the Pod Identity trust also admits %s", [name(input), other])
}

deny contains msg if {
	input.kind == "Role"
	trust := json.unmarshal(fp(input).assumeRolePolicy)
	some s in trust.Statement
	"pods.eks.amazonaws.com" in as_list(object.get(s, ["Principal", "Service"], []))
	some key in object.keys(s.Principal)
	key != "Service"
	msg := sprintf("%s: rule pod-identity-trust: the Pod Identity trust also admits %s principals", [name(input), key])
}

# pod-identity-session-tags: a Pod Identity role is assumable only from its own cluster, by its
# own namespace and service account. EKS tags every Pod Identity session with eks-cluster-arn,
# kubernetes-namespace and kubernetes-service-account (EKS User Guide, "Create IAM role with trust
# policy required by EKS Pod Identity" and "List of session tags added by EKS Pod Identity");
# without conditions on them, any association in the account (another team's cluster admin with
# iam:PassRole) could hand the role to any pod.
pod_identity_session_tags := ["aws:RequestTag/eks-cluster-arn", "aws:RequestTag/kubernetes-namespace", "aws:RequestTag/kubernetes-service-account"]

deny contains msg if {
	input.kind == "Role"
	trust := json.unmarshal(fp(input).assumeRolePolicy)
	some s in trust.Statement
	s.Effect == "Allow"
	"pods.eks.amazonaws.com" in as_list(object.get(s, ["Principal", "Service"], []))
	some tag in pod_identity_session_tags
	not pinned(s, "StringEquals", tag)
	msg := sprintf("%s: rule pod-identity-session-tags: the Pod Identity trust does not require %s to equal a fixed value", [name(input), tag])
}

# pinned: the statement's condition `op` requires `key` to be one of fixed, non-empty values.
pinned(s, op, key) if {
	values := as_list(s.Condition[op][key])
	count(values) > 0
	every v in values {
		is_string(v)
		v != ""
		not contains(v, "*")
	}
}

# security-group-vpc: whoever may change security groups may change only those of one VPC, so a
# cluster's controllers cannot open another team's database group in a shared account (the AWS
# Load Balancer Controller's installation guide recommends ArnEquals on ec2:Vpc for these grants).
security_group_writes := {
	"ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress",
	"ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupEgress",
	"ec2:DeleteSecurityGroup", "ec2:ModifySecurityGroupRules",
	"ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
}

deny contains msg if {
	some doc in policy_documents(input)
	some s in doc.Statement
	s.Effect == "Allow"
	some a in as_list(s.Action)
	a in security_group_writes
	not pinned(s, "ArnEquals", "ec2:Vpc")
	msg := sprintf("%s: rule security-group-vpc: %s is not limited to one VPC (Condition ArnEquals ec2:Vpc)", [name(input), a])
}

deny contains msg if {
	some doc in policy_documents(input)
	some s in doc.Statement
	s.Effect == "Allow"
	"ec2:CreateSecurityGroup" in as_list(s.Action)
	some r in as_list(object.get(s, "Resource", []))
	not creates_in_one_vpc(r)
	msg := sprintf("%s: rule security-group-vpc: ec2:CreateSecurityGroup on %s is not limited to one VPC", [name(input), r])
}

# creates_in_one_vpc: a CreateSecurityGroup resource that is a security group, or one named VPC.
creates_in_one_vpc(r) if {
	contains(r, ":security-group/")
}

creates_in_one_vpc(r) if {
	parts := split(r, ":vpc/")
	count(parts) == 2
	not contains(parts[1], "*")
	not contains(parts[0], "*")
}

# ownership-tag-pinned: a grant held to what a controller tagged as its own names the owner. The
# AWS Load Balancer Controller tags everything it creates with elbv2.k8s.aws/cluster = its
# cluster's name (aws-load-balancer-controller pkg/deploy/tracking/provider.go); a condition that
# only asks for the tag to exist (Null false) lets every cluster's controller in a shared account
# change and delete the load balancers, target groups and security groups of all the others.
ownership_tags := {"elbv2.k8s.aws/cluster"}

deny contains msg if {
	some doc in policy_documents(input)
	some s in doc.Statement
	s.Effect == "Allow"
	some kind in ["ResourceTag", "RequestTag"]
	some tag in ownership_tags
	key := sprintf("aws:%s/%s", [kind, tag])
	object.get(s, ["Condition", "Null", key], "") == "false"
	not pinned(s, "StringEquals", key)
	msg := sprintf("%s: rule ownership-tag-pinned: %s asks only that %s exist, not that it name this cluster (StringEquals)", [name(input), object.get(s, "Sid", "a statement"), key])
}

# Nor may a grant change load balancers, listeners, rules or target groups without asking whose
# they are: upstream leaves listeners, rules and target registration unconditioned, so one
# cluster's controller could delete another's listeners, point them at its own target groups, or
# register its pods in another's target groups. Only reads (Describe*) go without the tag.
deny contains msg if {
	some doc in policy_documents(input)
	some s in doc.Statement
	s.Effect == "Allow"
	some a in as_list(s.Action)
	startswith(a, "elasticloadbalancing:")
	not startswith(a, "elasticloadbalancing:Describe")
	not owner_pinned(s)
	msg := sprintf("%s: rule ownership-tag-pinned: %s grants %s without requiring elbv2.k8s.aws/cluster to name this cluster (StringEquals on aws:ResourceTag or aws:RequestTag)", [name(input), object.get(s, "Sid", "a statement"), a])
}

# Reading secrets: the environment's Secrets Manager prefixes are shared by every team in its
# account, so a grant to read them is held to the secrets tagged for the reader's team namespace
# (data.secret_owner_tag, compositions/eks/policies/external-secrets.ts).
secret_reads := {"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy", "secretsmanager:ListSecretVersionIds", "secretsmanager:BatchGetSecretValue"}

deny contains msg if {
	some doc in policy_documents(input)
	some s in doc.Statement
	s.Effect == "Allow"
	some a in as_list(s.Action)
	a in secret_reads
	key := sprintf("aws:ResourceTag/%s", [data.secret_owner_tag])
	not pinned(s, "StringEquals", key)
	msg := sprintf("%s: rule ownership-tag-pinned: %s grants %s without requiring %s to name the team namespace (StringEquals)", [name(input), object.get(s, "Sid", "a statement"), a, key])
}

owner_pinned(s) if {
	some kind in ["ResourceTag", "RequestTag"]
	some tag in ownership_tags
	pinned(s, "StringEquals", sprintf("aws:%s/%s", [kind, tag]))
}

# launch-own-network: whoever may launch instances launches them only into its own cluster's
# subnets and security groups. Karpenter's upstream template grants RunInstances and CreateFleet
# on every subnet and security group of the account, so a cluster admin (who writes
# EC2NodeClasses) could put nodes into another team's subnets, with its security groups, beside
# its database.
launch_actions := {"ec2:RunInstances", "ec2:CreateFleet"}

deny contains msg if {
	some doc in policy_documents(input)
	some s in doc.Statement
	s.Effect == "Allow"
	some a in as_list(s.Action)
	a in launch_actions
	some r in as_list(object.get(s, "Resource", []))
	network_resource(r)
	not network_pinned(s)
	msg := sprintf("%s: rule launch-own-network: %s grants %s on %s without holding it to this cluster's (StringEquals on a resource tag naming the cluster, or ArnEquals ec2:Vpc)", [name(input), object.get(s, "Sid", "a statement"), a, r])
}

network_resource(r) if contains(r, ":subnet/")

network_resource(r) if contains(r, ":security-group/")

network_resource("*")

network_pinned(s) if pinned(s, "ArnEquals", "ec2:Vpc")

network_pinned(s) if {
	some key, _ in s.Condition.StringEquals
	startswith(key, "aws:ResourceTag/")
	pinned(s, "StringEquals", key)
}

# interruption-queue: only EventBridge (and SQS) may send, and nothing without TLS.
deny contains msg if {
	input.kind == "QueuePolicy"
	doc := json.unmarshal(fp(input).policy)
	some s in doc.Statement
	s.Effect == "Allow"
	some p in as_list(object.get(s, ["Principal", "Service"], ["*"]))
	not p in {"events.amazonaws.com", "sqs.amazonaws.com"}
	msg := sprintf("%s: rule interruption-queue: admits %s", [name(input), p])
}

deny contains msg if {
	input.kind == "QueuePolicy"
	doc := json.unmarshal(fp(input).policy)
	not tls_enforced(doc)
	msg := sprintf("%s: rule interruption-queue: no Deny on aws:SecureTransport false", [name(input)])
}

tls_enforced(doc) if {
	some s in doc.Statement
	s.Effect == "Deny"
	s.Condition.Bool["aws:SecureTransport"] in {false, "false"}
}

# no-prune-in-production: Argo CD never prunes platform APIs or production XRs by itself.
deny contains msg if {
	input.kind == "Application"
	input.metadata.name in {"platform-apis", "clusters-prod"}
	object.get(input, ["spec", "syncPolicy", "automated", "prune"], false) == true
	msg := sprintf("%s: rule no-prune-in-production: automated prune must be off", [name(input)])
}

# deletion-order: the Cluster composition guards every parent-child pair with a Usage.
required_usages := {["Network", "EKSCluster"], ["EKSCluster", "Object"], ["EKSCluster", "Database"], ["Network", "Database"]}

deny contains msg if {
	input.kind == "Composition"
	input.spec.compositeTypeRef.kind == "Cluster"
	some step in input.spec.pipeline
	step.functionRef.name == "function-patch-and-transform"
	present := {[r.base.spec.of.kind, r.base.spec.by.kind] | some r in step.input.resources; r.base.kind == "Usage"}
	some pair in required_usages
	not pair in present
	msg := sprintf("%s: rule deletion-order: no Usage keeps %s while %s exists", [name(input), pair[0], pair[1]])
}
