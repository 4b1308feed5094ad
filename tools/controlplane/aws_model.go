// What the simulated AWS knows about each kind the platform composes: how AWS names it, what it
// reports once it exists, and what it lives in (which decides what AWS refuses to delete). Facts
// from the AWS API references and provider-upjet-aws (PROVIDERS.aws) config/externalname.go; the values
// reported have the shapes of compositions/*/examples/observed/.
// (Over 300 lines on purpose: the models table, one entry per kind, is half of it, and the helpers
// after it compute only what those entries report.)
package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
)

// How a relation to another AWS object behaves when that object is deleted.
const (
	// in: this object keeps the other from being deleted (AWS answers DependencyViolation or
	// its service's equivalent), e.g. a subnet in its VPC.
	relIn = "in"
	// part: this object goes when the other goes, e.g. an EKS add-on with its cluster.
	relPart = "part"
	// encrypted: this object's data is encrypted with the other (a KMS key).
	relEncrypted = "encrypted"
)

type relation struct {
	Kind string `json:"kind"` // "<group>/<Kind>" of the other object
	ID   string `json:"id"`   // its id, name or ARN as this object's field holds it
	How  string `json:"how"`
}

type kindModel struct {
	// service and resource type as in ARNs (ec2 vpc, iam role, ...).
	service, resource string
	// global: named per account, not per region (IAM).
	global bool
	// idPrefix: AWS assigns the id (vpc-..., subnet-...); empty when the external name is the
	// identity (an EKS cluster's name, an IAM role's name): then an existing object of that name
	// is adopted, as provider-upjet-aws does.
	idPrefix string
	// unique: a value AWS allows only once (a route's destination in its table); a second create
	// is refused with refuseCode.
	unique     func(fp map[string]any) string
	refuseCode string
	// id reported as status.atProvider.id when it is not the external name.
	id func(o *awsObject) string
	// observed adds what AWS reports beyond the parameters.
	observed func(o *awsObject) map[string]any
	// relations to other objects, read from the parameters.
	relations func(fp map[string]any) []relation
	// notAWS: a provider kind that is not an AWS resource (ClusterAuth mints a token).
	notAWS bool
}

const (
	kVPC        = "ec2.aws.m.upbound.io/VPC"
	kSubnet     = "ec2.aws.m.upbound.io/Subnet"
	kIGW        = "ec2.aws.m.upbound.io/InternetGateway"
	kNAT        = "ec2.aws.m.upbound.io/NATGateway"
	kEIP        = "ec2.aws.m.upbound.io/EIP"
	kRouteTable = "ec2.aws.m.upbound.io/RouteTable"
	kSG         = "ec2.aws.m.upbound.io/SecurityGroup"
	kRole       = "iam.aws.m.upbound.io/Role"
	kEKS        = "eks.aws.m.upbound.io/Cluster"
	kNodeGroup  = "eks.aws.m.upbound.io/NodeGroup"
	kAddon      = "eks.aws.m.upbound.io/Addon"
	kKey        = "kms.aws.m.upbound.io/Key"
	kQueue      = "sqs.aws.m.upbound.io/Queue"
	kRule       = "cloudwatchevents.aws.m.upbound.io/Rule"
	kRDS        = "rds.aws.m.upbound.io/Cluster"
	kRDSInst    = "rds.aws.m.upbound.io/ClusterInstance"
	kSubnetGrp  = "rds.aws.m.upbound.io/SubnetGroup"
	kParamGrp   = "rds.aws.m.upbound.io/ClusterParameterGroup"
	kSnapshot   = "rds.aws.m.upbound.io/ClusterSnapshot" // not a kind we compose: a final snapshot
)

func rel(kind, how string, ids ...string) []relation {
	var out []relation
	for _, id := range ids {
		if id != "" {
			out = append(out, relation{Kind: kind, ID: id, How: how})
		}
	}
	return out
}

var models = map[string]kindModel{
	kVPC: {service: "ec2", resource: "vpc", idPrefix: "vpc-"},
	kSubnet: {service: "ec2", resource: "subnet", idPrefix: "subnet-",
		// AWS reports both the zone's name and its ID, whichever the subnet was created with.
		observed:  subnetZone,
		relations: func(fp map[string]any) []relation { return rel(kVPC, relIn, s(fp, "vpcId")) }},
	kIGW: {service: "ec2", resource: "internet-gateway", idPrefix: "igw-",
		relations: func(fp map[string]any) []relation { return rel(kVPC, relIn, s(fp, "vpcId")) }},
	kEIP: {service: "ec2", resource: "elastic-ip", idPrefix: "eipalloc-",
		observed: func(o *awsObject) map[string]any {
			return map[string]any{"allocationId": o.ID, "publicIp": fakeIP(o.ID), "domain": "vpc"}
		}},
	kNAT: {service: "ec2", resource: "natgateway", idPrefix: "nat-",
		relations: func(fp map[string]any) []relation {
			return append(rel(kSubnet, relIn, s(fp, "subnetId")), rel(kEIP, relIn, s(fp, "allocationId"))...)
		},
		observed: func(o *awsObject) map[string]any {
			return map[string]any{"publicIp": fakeIP(s(o.Parameters, "allocationId")), "networkInterfaceId": "eni-" + hexOf(o.ID, 17)}
		}},
	kRouteTable: {service: "ec2", resource: "route-table", idPrefix: "rtb-",
		relations: func(fp map[string]any) []relation { return rel(kVPC, relIn, s(fp, "vpcId")) }},
	"ec2.aws.m.upbound.io/Route": {service: "ec2", resource: "route", idPrefix: "r-",
		unique: func(fp map[string]any) string {
			return s(fp, "routeTableId") + "|" + s(fp, "destinationCidrBlock") + s(fp, "destinationIpv6CidrBlock")
		},
		refuseCode: "RouteAlreadyExists: the route identified by its destination already exists in this route table",
		relations:  func(fp map[string]any) []relation { return rel(kRouteTable, relPart, s(fp, "routeTableId")) }},
	"ec2.aws.m.upbound.io/RouteTableAssociation": {service: "ec2", resource: "route-table-association", idPrefix: "rtbassoc-",
		unique:     func(fp map[string]any) string { return s(fp, "subnetId") + s(fp, "gatewayId") },
		refuseCode: "Resource.AlreadyAssociated: the subnet is already associated with a route table",
		relations: func(fp map[string]any) []relation {
			return append(rel(kRouteTable, relIn, s(fp, "routeTableId")), rel(kSubnet, relPart, s(fp, "subnetId"))...)
		}},
	kSG: {service: "ec2", resource: "security-group", idPrefix: "sg-",
		relations: func(fp map[string]any) []relation { return rel(kVPC, relIn, s(fp, "vpcId")) }},
	"ec2.aws.m.upbound.io/SecurityGroupIngressRule": {service: "ec2", resource: "security-group-rule", idPrefix: "sgr-",
		unique: func(fp map[string]any) string {
			return strings.Join([]string{s(fp, "securityGroupId"), s(fp, "ipProtocol"), fmt.Sprint(fp["fromPort"]), fmt.Sprint(fp["toPort"]),
				s(fp, "cidrIpv4"), s(fp, "referencedSecurityGroupId"), s(fp, "prefixListId")}, "|")
		},
		refuseCode: "InvalidPermission.Duplicate: the specified rule already exists",
		relations: func(fp map[string]any) []relation {
			return append(rel(kSG, relPart, s(fp, "securityGroupId")), rel(kSG, relIn, s(fp, "referencedSecurityGroupId"))...)
		}},
	"ec2.aws.m.upbound.io/LaunchTemplate": {service: "ec2", resource: "launch-template", idPrefix: "lt-",
		observed: func(o *awsObject) map[string]any {
			return map[string]any{"latestVersion": int64(o.Version), "defaultVersion": int64(1)}
		}},
	kRole: {service: "iam", resource: "role", global: true,
		observed: func(o *awsObject) map[string]any {
			return map[string]any{"uniqueId": "AROA" + strings.ToUpper(hexOf(o.ID, 17)), "name": o.ID}
		}},
	"iam.aws.m.upbound.io/RolePolicy": {service: "iam", resource: "role-policy", global: true,
		id:        func(o *awsObject) string { return s(o.Parameters, "role") + ":" + o.ID },
		relations: func(fp map[string]any) []relation { return rel(kRole, relIn, s(fp, "role")) }},
	"iam.aws.m.upbound.io/RolePolicyAttachment": {service: "iam", resource: "role-policy-attachment", global: true, idPrefix: "attachment-",
		unique: func(fp map[string]any) string { return s(fp, "role") + "|" + s(fp, "policyArn") },
		// Attaching an attached policy again succeeds in AWS: the second attachment is the first.
		refuseCode: "",
		relations:  func(fp map[string]any) []relation { return rel(kRole, relIn, s(fp, "role")) }},
	kKey: {service: "kms", resource: "key", idPrefix: "key", // replaced by a UUID at creation
		observed: func(o *awsObject) map[string]any { return map[string]any{"keyId": o.ID} }},
	"kms.aws.m.upbound.io/Alias": {service: "kms", resource: "alias",
		observed: func(o *awsObject) map[string]any {
			return map[string]any{"targetKeyArn": s(o.Parameters, "targetKeyId")}
		}},
	kQueue: {service: "sqs", resource: "queue",
		id: func(o *awsObject) string { return queueURL(o) },
		observed: func(o *awsObject) map[string]any {
			return map[string]any{"url": queueURL(o), "name": o.ID}
		}},
	"sqs.aws.m.upbound.io/QueuePolicy": {service: "sqs", resource: "queue-policy",
		id:        func(o *awsObject) string { return s(o.Parameters, "queueUrl") },
		relations: func(fp map[string]any) []relation { return rel(kQueue, relPart, s(fp, "queueUrl")) }},
	kRule: {service: "events", resource: "rule"},
	"cloudwatchevents.aws.m.upbound.io/Target": {service: "events", resource: "target",
		id:        func(o *awsObject) string { return s(o.Parameters, "rule") + "-" + o.ID },
		relations: func(fp map[string]any) []relation { return rel(kRule, relIn, s(fp, "rule")) }},
	kEKS: {service: "eks", resource: "cluster",
		relations: func(fp map[string]any) []relation {
			vpc, _ := fp["vpcConfig"].(map[string]any)
			out := append(rel(kSubnet, relIn, strs(vpc, "subnetIds")...), rel(kSG, relIn, strs(vpc, "securityGroupIds")...)...)
			return append(out, rel(kKey, relEncrypted, eksKeyArns(fp)...)...)
		},
		observed: func(o *awsObject) map[string]any {
			h := strings.ToUpper(hexOf(o.Region+o.ID, 32))
			return map[string]any{
				"endpoint":             fmt.Sprintf("https://%s.gr7.%s.eks.amazonaws.com", h, o.Region),
				"certificateAuthority": []any{map[string]any{"data": base64.StdEncoding.EncodeToString([]byte("-----BEGIN CERTIFICATE-----\nsimulated " + o.ID + "\n-----END CERTIFICATE-----\n"))}},
				"identity":             []any{map[string]any{"oidc": []any{map[string]any{"issuer": fmt.Sprintf("https://oidc.eks.%s.amazonaws.com/id/%s", o.Region, h)}}}},
				"vpcConfig":            map[string]any{"clusterSecurityGroupId": eksClusterSecurityGroup(o.ID)},
				"status":               "ACTIVE",
				"version":              s(o.Parameters, "version"),
				"platformVersion":      "eks.1",
			}
		}},
	kNodeGroup: {service: "eks", resource: "nodegroup",
		id: func(o *awsObject) string { return s(o.Parameters, "clusterName") + ":" + o.ID },
		relations: func(fp map[string]any) []relation {
			return append(rel(kEKS, relIn, s(fp, "clusterName")), rel(kSubnet, relIn, strs(fp, "subnetIds")...)...)
		},
		observed: func(o *awsObject) map[string]any {
			// The provider does not late-initialize a node group's version: one created without
			// it stays on the version EKS gave it at creation.
			return map[string]any{"status": "ACTIVE", "version": o.Attributes["version"]}
		}},
	kAddon: {service: "eks", resource: "addon",
		id:        func(o *awsObject) string { return s(o.Parameters, "clusterName") + ":" + s(o.Parameters, "addonName") },
		relations: func(fp map[string]any) []relation { return rel(kEKS, relPart, s(fp, "clusterName")) }},
	"eks.aws.m.upbound.io/AccessEntry": {service: "eks", resource: "access-entry",
		id: func(o *awsObject) string {
			return s(o.Parameters, "clusterName") + ":" + s(o.Parameters, "principalArn")
		},
		relations: func(fp map[string]any) []relation { return rel(kEKS, relPart, s(fp, "clusterName")) }},
	"eks.aws.m.upbound.io/AccessPolicyAssociation": {service: "eks", resource: "access-policy-association",
		id: func(o *awsObject) string {
			return s(o.Parameters, "clusterName") + "#" + s(o.Parameters, "principalArn") + "#" + s(o.Parameters, "policyArn")
		},
		relations: func(fp map[string]any) []relation { return rel(kEKS, relPart, s(fp, "clusterName")) }},
	"eks.aws.m.upbound.io/PodIdentityAssociation": {service: "eks", resource: "podidentityassociation", idPrefix: "a-",
		unique: func(fp map[string]any) string {
			return s(fp, "clusterName") + "|" + s(fp, "namespace") + "|" + s(fp, "serviceAccount")
		},
		refuseCode: "ResourceInUseException: Association already exists for this namespace and service account",
		relations:  func(fp map[string]any) []relation { return rel(kEKS, relPart, s(fp, "clusterName")) },
		observed: func(o *awsObject) map[string]any {
			return map[string]any{"associationId": o.ID, "associationArn": o.ARN}
		}},
	"eks.aws.m.upbound.io/ClusterAuth": {notAWS: true},
	kSubnetGrp: {service: "rds", resource: "subgrp",
		// The database's network interfaces live in these subnets.
		relations: func(fp map[string]any) []relation { return rel(kSubnet, relIn, strs(fp, "subnetIds")...) }},
	kParamGrp: {service: "rds", resource: "cluster-pg"},
	kRDS: {service: "rds", resource: "cluster",
		relations: func(fp map[string]any) []relation {
			out := append(rel(kSubnetGrp, relIn, s(fp, "dbSubnetGroupName")), rel(kParamGrp, relIn, s(fp, "dbClusterParameterGroupName"))...)
			out = append(out, rel(kSG, relIn, strs(fp, "vpcSecurityGroupIds")...)...)
			return append(out, rel(kKey, relEncrypted, s(fp, "kmsKeyId"))...)
		},
		observed: func(o *awsObject) map[string]any {
			h := hexOf(o.Account+o.Region, 12)
			user := s(o.Parameters, "masterUsername")
			return map[string]any{
				"endpoint":       fmt.Sprintf("%s.cluster-%s.%s.rds.amazonaws.com", o.ID, h, o.Region),
				"readerEndpoint": fmt.Sprintf("%s.cluster-ro-%s.%s.rds.amazonaws.com", o.ID, h, o.Region),
				"port":           int64(5432),
				"masterUsername": user,
				"masterUserSecret": []any{map[string]any{
					"secretArn":    fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:rds!cluster-%s", o.Region, o.Account, hexOf(o.ID, 8)),
					"secretStatus": "active",
				}},
				"clusterResourceId": "cluster-" + strings.ToUpper(hexOf(o.ID, 26)),
			}
		}},
	kRDSInst: {service: "rds", resource: "db",
		relations: func(fp map[string]any) []relation { return rel(kRDS, relIn, s(fp, "clusterIdentifier")) },
		observed: func(o *awsObject) map[string]any {
			return map[string]any{"endpoint": fmt.Sprintf("%s.%s.%s.rds.amazonaws.com", o.ID, hexOf(o.Account+o.Region, 12), o.Region), "port": int64(5432)}
		}},
}

func eksClusterSecurityGroup(cluster string) string { return "sg-" + hexOf("eks"+cluster, 17) }

func eksKeyArns(fp map[string]any) []string {
	var out []string
	enc, _ := fp["encryptionConfig"].(map[string]any)
	if p, ok := enc["provider"].(map[string]any); ok {
		out = append(out, s(p, "keyArn"))
	}
	return out
}

func queueURL(o *awsObject) string {
	return fmt.Sprintf("https://sqs.%s.amazonaws.com/%s/%s", o.Region, o.Account, o.ID)
}

func arnOf(m kindModel, o *awsObject) string {
	region := o.Region
	if m.global {
		region = ""
	}
	sep := "/"
	if m.service == "rds" || m.service == "sqs" {
		sep = ":"
	}
	name := o.ID
	switch m.resource {
	case "queue":
		return fmt.Sprintf("arn:aws:sqs:%s:%s:%s", region, o.Account, o.ID)
	case "alias":
		return fmt.Sprintf("arn:aws:kms:%s:%s:%s", region, o.Account, o.ID)
	case "nodegroup":
		name = s(o.Parameters, "clusterName") + "/" + o.ID + "/" + hexOf(o.ID, 8)
	}
	return fmt.Sprintf("arn:aws:%s:%s:%s:%s%s%s", m.service, region, o.Account, m.resource, sep, name)
}

// hexOf is a stable pseudo-random hex string: the same input gives the same id on every run.
func hexOf(seed string, n int) string {
	sum := sha256.Sum256([]byte(seed))
	h := hex.EncodeToString(sum[:])
	for len(h) < n {
		h += h
	}
	return h[:n]
}

func fakeIP(seed string) string {
	sum := sha256.Sum256([]byte(seed))
	return fmt.Sprintf("203.0.%d.%d", sum[0], sum[1]%254+1)
}

func s(m map[string]any, k string) string {
	if m == nil {
		return ""
	}
	v, _ := m[k].(string)
	return v
}

func strs(m map[string]any, k string) []string {
	if m == nil {
		return nil
	}
	raw, _ := m[k].([]any)
	var out []string
	for _, v := range raw {
		if x, ok := v.(string); ok {
			out = append(out, x)
		}
	}
	return out
}

// subnetZone is the zone a subnet is in, by name and by ID. Zone IDs (use1-az1) name the same
// physical zone in every account; the letters (us-east-1a) are shuffled per account ("AZ IDs for
// your AWS resources", AWS RAM user guide), so the simulated AWS shuffles them too, by account and
// region, and a composition that assumes a letter for an ID is caught.
func subnetZone(o *awsObject) map[string]any {
	// As many letters as the region numbers zone IDs, so each ID has a letter of its own (with
	// three, cac1-az4 took cac1-az1's letter).
	zones := 3
	if n, ok := zoneIDCount[o.Region]; ok {
		zones = n
	}
	shift := int(sha256.Sum256([]byte(o.Account + "/" + o.Region))[0])
	prefix := regionZonePrefix(o.Region)
	if id := s(o.Parameters, "availabilityZoneId"); id != "" {
		var n int
		if _, err := fmt.Sscanf(strings.TrimPrefix(id, prefix), "-az%d", &n); err == nil && n >= 1 && n <= zones {
			return map[string]any{"availabilityZone": o.Region + string(rune('a'+(n-1+shift)%zones)), "availabilityZoneId": id}
		}
		return map[string]any{"availabilityZoneId": id}
	}
	if name := s(o.Parameters, "availabilityZone"); len(name) == len(o.Region)+1 && strings.HasPrefix(name, o.Region) {
		letter := int(name[len(name)-1] - 'a')
		n := ((letter-shift)%zones+zones)%zones + 1
		return map[string]any{"availabilityZone": name, "availabilityZoneId": fmt.Sprintf("%s-az%d", prefix, n)}
	}
	return nil
}

// zoneIDCount is how far a region numbers its zone IDs where that is past 3 (a number AWS no
// longer offers new accounts still counts: apne1-az3, cac1-az3), from the AWS "Availability
// Zones" list (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html,
// late 2026). Every other region numbers three.
var zoneIDCount = map[string]int{"us-east-1": 6, "us-west-2": 4, "ap-northeast-1": 4, "ap-northeast-2": 4, "ca-central-1": 4}

// regionZonePrefix is the prefix of a region's zone IDs: us-east-1 -> use1, ap-southeast-2 -> apse2.
func regionZonePrefix(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) != 3 {
		return region
	}
	direction := map[string]string{"northeast": "ne", "southeast": "se", "northwest": "nw", "southwest": "sw"}[parts[1]]
	if direction == "" {
		direction = parts[1][:1]
	}
	return parts[0] + direction + parts[2]
}
