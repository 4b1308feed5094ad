# IAM rules: what every IAM policy and trust document the platform renders must keep (least
# privilege, Pod Identity trust, grants held to one VPC, one owner, one team's secrets, one
# cluster's network). The rules of the same gate about everything else are in main.rego; conftest
# loads every file of this folder into the one package.
package main

import rego.v1

# iam-least-privilege: no wildcard action, no "*" resource outside the allow list.
policy_documents(obj) := [doc |
	obj.kind in {"RolePolicy", "Policy"}
	doc := json.unmarshal(fp(obj).policy)
]

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
