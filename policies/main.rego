# Security rules every object the platform renders must keep: what synth writes to dist/ and
# every resource the real renderer composes from the examples. Each deny names the object and
# the rule; tests prove each rule refuses its fixture in policies/fixtures/. The IAM rules are in
# iam.rego (the same package: conftest loads every file of this folder).
package main

import rego.v1

name(obj) := sprintf("%s %s", [obj.kind, object.get(obj, ["metadata", "name"], object.get(obj, ["metadata", "generateName"], "?"))])

fp(obj) := object.get(obj, ["spec", "forProvider"], {})

# A field AWS takes as one value or a list of them (Action, Resource, Principal.Service).
as_list(x) := x if is_array(x)
as_list(x) := [x] if not is_array(x)

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
