// Code generated from provider-upjet-aws (PROVIDERS.aws) (apis/namespaced/*/v1beta1/zz_generated.resolvers.go,
// at that tag) for the kinds dist/crossplane/activation-policy.yaml activates; field paths
// as the CRDs in $CRDS_DIR/provider-upjet-aws spell them. Facts only: which field of which kind
// refers to which kind, and what is taken from the referenced resource. Regenerate when the
// provider version or the activated kinds change (see tools/controlplane/README.md).

package main

// references of each managed kind, by "<group>/<Kind>".
var references = map[string][]reference{
	"cloudwatchevents.aws.m.upbound.io/Rule": {
		{Path: "eventBusName", Ref: "eventBusNameRef", Selector: "eventBusNameSelector", Multi: false, Target: "cloudwatchevents.aws.m.upbound.io/Bus", Extract: "externalName"},
		{Path: "roleArn", Ref: "roleArnRef", Selector: "roleArnSelector", Multi: false, Target: "iam.aws.m.upbound.io/Role", Extract: "status.atProvider.arn"},
	},
	"cloudwatchevents.aws.m.upbound.io/Target": {
		{Path: "ecsTarget.taskDefinitionArn", Ref: "taskDefinitionArnRef", Selector: "taskDefinitionArnSelector", Multi: false, Target: "ecs.aws.m.upbound.io/TaskDefinition", Extract: "status.atProvider.arn"},
		{Path: "eventBusName", Ref: "eventBusNameRef", Selector: "eventBusNameSelector", Multi: false, Target: "cloudwatchevents.aws.m.upbound.io/Bus", Extract: "externalName"},
		{Path: "roleArn", Ref: "roleArnRef", Selector: "roleArnSelector", Multi: false, Target: "iam.aws.m.upbound.io/Role", Extract: "status.atProvider.arn"},
		{Path: "rule", Ref: "ruleRef", Selector: "ruleSelector", Multi: false, Target: "cloudwatchevents.aws.m.upbound.io/Rule", Extract: "externalName"},
	},
	"ec2.aws.m.upbound.io/EIP": {
		{Path: "instance", Ref: "instanceRef", Selector: "instanceSelector", Multi: false, Target: "ec2.aws.m.upbound.io/Instance", Extract: "externalName"},
		{Path: "networkInterface", Ref: "networkInterfaceRef", Selector: "networkInterfaceSelector", Multi: false, Target: "ec2.aws.m.upbound.io/NetworkInterface", Extract: "externalName"},
	},
	"ec2.aws.m.upbound.io/InternetGateway": {
		{Path: "vpcId", Ref: "vpcIdRef", Selector: "vpcIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/VPC", Extract: "externalName"},
	},
	"ec2.aws.m.upbound.io/LaunchTemplate": {
		{Path: "blockDeviceMappings[].ebs.kmsKeyId", Ref: "kmsKeyIdRef", Selector: "kmsKeyIdSelector", Multi: false, Target: "kms.aws.m.upbound.io/Key", Extract: "status.atProvider.arn"},
		{Path: "iamInstanceProfile.arn", Ref: "arnRef", Selector: "arnSelector", Multi: false, Target: "iam.aws.m.upbound.io/InstanceProfile", Extract: "status.atProvider.arn"},
		{Path: "iamInstanceProfile.name", Ref: "nameRef", Selector: "nameSelector", Multi: false, Target: "iam.aws.m.upbound.io/InstanceProfile", Extract: "externalName"},
		{Path: "networkInterfaces[].networkInterfaceId", Ref: "networkInterfaceIdRef", Selector: "networkInterfaceIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/NetworkInterface", Extract: "externalName"},
		{Path: "networkInterfaces[].securityGroups", Ref: "securityGroupRefs", Selector: "securityGroupSelector", Multi: true, Target: "ec2.aws.m.upbound.io/SecurityGroup", Extract: "externalName"},
		{Path: "networkInterfaces[].subnetId", Ref: "subnetIdRef", Selector: "subnetIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/Subnet", Extract: "externalName"},
		{Path: "securityGroupNames", Ref: "securityGroupNameRefs", Selector: "securityGroupNameSelector", Multi: true, Target: "ec2.aws.m.upbound.io/SecurityGroup", Extract: "externalName"},
		{Path: "vpcSecurityGroupIds", Ref: "vpcSecurityGroupIdRefs", Selector: "vpcSecurityGroupIdSelector", Multi: true, Target: "ec2.aws.m.upbound.io/SecurityGroup", Extract: "externalName"},
	},
	"ec2.aws.m.upbound.io/NATGateway": {
		{Path: "allocationId", Ref: "allocationIdRef", Selector: "allocationIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/EIP", Extract: "status.atProvider.id"},
		{Path: "availabilityZoneAddress[].allocationIds", Ref: "allocationIdsRefs", Selector: "allocationIdsSelector", Multi: true, Target: "ec2.aws.m.upbound.io/EIP", Extract: "status.atProvider.id"},
		{Path: "secondaryAllocationIds", Ref: "secondaryAllocationIdsRefs", Selector: "secondaryAllocationIdsSelector", Multi: true, Target: "ec2.aws.m.upbound.io/EIP", Extract: "status.atProvider.id"},
		{Path: "subnetId", Ref: "subnetIdRef", Selector: "subnetIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/Subnet", Extract: "externalName"},
		{Path: "vpcId", Ref: "vpcIdRef", Selector: "vpcIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/VPC", Extract: "externalName"},
	},
	"ec2.aws.m.upbound.io/Route": {
		{Path: "destinationPrefixListId", Ref: "destinationPrefixListIdRef", Selector: "destinationPrefixListIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/ManagedPrefixList", Extract: "externalName"},
		{Path: "egressOnlyGatewayId", Ref: "egressOnlyGatewayIdRef", Selector: "egressOnlyGatewayIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/EgressOnlyInternetGateway", Extract: "status.atProvider.id"},
		{Path: "gatewayId", Ref: "gatewayIdRef", Selector: "gatewayIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/InternetGateway", Extract: "externalName"},
		{Path: "natGatewayId", Ref: "natGatewayIdRef", Selector: "natGatewayIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/NATGateway", Extract: "externalName"},
		{Path: "networkInterfaceId", Ref: "networkInterfaceIdRef", Selector: "networkInterfaceIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/NetworkInterface", Extract: "externalName"},
		{Path: "routeTableId", Ref: "routeTableIdRef", Selector: "routeTableIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/RouteTable", Extract: "externalName"},
		{Path: "transitGatewayId", Ref: "transitGatewayIdRef", Selector: "transitGatewayIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/TransitGateway", Extract: "externalName"},
		{Path: "vpcEndpointId", Ref: "vpcEndpointIdRef", Selector: "vpcEndpointIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/VPCEndpoint", Extract: "externalName"},
		{Path: "vpcPeeringConnectionId", Ref: "vpcPeeringConnectionIdRef", Selector: "vpcPeeringConnectionIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/VPCPeeringConnection", Extract: "externalName"},
	},
	"ec2.aws.m.upbound.io/RouteTable": {
		{Path: "vpcId", Ref: "vpcIdRef", Selector: "vpcIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/VPC", Extract: "externalName"},
	},
	"ec2.aws.m.upbound.io/RouteTableAssociation": {
		{Path: "gatewayId", Ref: "gatewayIdRef", Selector: "gatewayIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/InternetGateway", Extract: "status.atProvider.id"},
		{Path: "routeTableId", Ref: "routeTableIdRef", Selector: "routeTableIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/RouteTable", Extract: "externalName"},
		{Path: "subnetId", Ref: "subnetIdRef", Selector: "subnetIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/Subnet", Extract: "externalName"},
	},
	"ec2.aws.m.upbound.io/SecurityGroup": {
		{Path: "vpcId", Ref: "vpcIdRef", Selector: "vpcIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/VPC", Extract: "externalName"},
	},
	"ec2.aws.m.upbound.io/SecurityGroupIngressRule": {
		{Path: "prefixListId", Ref: "prefixListIdRef", Selector: "prefixListIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/ManagedPrefixList", Extract: "externalName"},
		{Path: "referencedSecurityGroupId", Ref: "referencedSecurityGroupIdRef", Selector: "referencedSecurityGroupIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/SecurityGroup", Extract: "externalName"},
		{Path: "securityGroupId", Ref: "securityGroupIdRef", Selector: "securityGroupIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/SecurityGroup", Extract: "externalName"},
	},
	"ec2.aws.m.upbound.io/Subnet": {
		{Path: "ipv4IpamPoolId", Ref: "ipv4IpamPoolIdRef", Selector: "ipv4IpamPoolIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/VPCIpamPool", Extract: "status.atProvider.id"},
		{Path: "vpcId", Ref: "vpcIdRef", Selector: "vpcIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/VPC", Extract: "externalName"},
	},
	"ec2.aws.m.upbound.io/VPC": {
		{Path: "ipv4IpamPoolId", Ref: "ipv4IpamPoolIdRef", Selector: "ipv4IpamPoolIdSelector", Multi: false, Target: "ec2.aws.m.upbound.io/VPCIpamPool", Extract: "status.atProvider.id"},
	},
	"eks.aws.m.upbound.io/AccessEntry": {
		{Path: "clusterName", Ref: "clusterNameRef", Selector: "clusterNameSelector", Multi: false, Target: "eks.aws.m.upbound.io/Cluster", Extract: "status.atProvider.id"},
		{Path: "principalArn", Ref: "principalArnFromRoleRef", Selector: "principalArnFromRoleSelector", Multi: false, Target: "iam.aws.m.upbound.io/Role", Extract: "status.atProvider.arn"},
	},
	"eks.aws.m.upbound.io/AccessPolicyAssociation": {
		{Path: "clusterName", Ref: "clusterNameRef", Selector: "clusterNameSelector", Multi: false, Target: "eks.aws.m.upbound.io/Cluster", Extract: "status.atProvider.id"},
		{Path: "principalArn", Ref: "principalArnRef", Selector: "principalArnSelector", Multi: false, Target: "eks.aws.m.upbound.io/AccessEntry", Extract: "status.atProvider.principalArn"},
	},
	"eks.aws.m.upbound.io/Addon": {
		{Path: "clusterName", Ref: "clusterNameRef", Selector: "clusterNameSelector", Multi: false, Target: "eks.aws.m.upbound.io/Cluster", Extract: "externalName"},
		{Path: "serviceAccountRoleArn", Ref: "serviceAccountRoleArnRef", Selector: "serviceAccountRoleArnSelector", Multi: false, Target: "iam.aws.m.upbound.io/Role", Extract: "status.atProvider.arn"},
	},
	"eks.aws.m.upbound.io/Cluster": {
		{Path: "roleArn", Ref: "roleArnRef", Selector: "roleArnSelector", Multi: false, Target: "iam.aws.m.upbound.io/Role", Extract: "status.atProvider.arn"},
		{Path: "vpcConfig.securityGroupIds", Ref: "securityGroupIdRefs", Selector: "securityGroupIdSelector", Multi: true, Target: "ec2.aws.m.upbound.io/SecurityGroup", Extract: "externalName"},
		{Path: "vpcConfig.subnetIds", Ref: "subnetIdRefs", Selector: "subnetIdSelector", Multi: true, Target: "ec2.aws.m.upbound.io/Subnet", Extract: "externalName"},
	},
	"eks.aws.m.upbound.io/NodeGroup": {
		{Path: "clusterName", Ref: "clusterNameRef", Selector: "clusterNameSelector", Multi: false, Target: "eks.aws.m.upbound.io/Cluster", Extract: "externalName"},
		{Path: "nodeRoleArn", Ref: "nodeRoleArnRef", Selector: "nodeRoleArnSelector", Multi: false, Target: "iam.aws.m.upbound.io/Role", Extract: "status.atProvider.arn"},
		{Path: "remoteAccess.sourceSecurityGroupIds", Ref: "sourceSecurityGroupIdRefs", Selector: "sourceSecurityGroupIdSelector", Multi: true, Target: "ec2.aws.m.upbound.io/SecurityGroup", Extract: "externalName"},
		{Path: "subnetIds", Ref: "subnetIdRefs", Selector: "subnetIdSelector", Multi: true, Target: "ec2.aws.m.upbound.io/Subnet", Extract: "externalName"},
		{Path: "version", Ref: "versionRef", Selector: "versionSelector", Multi: false, Target: "eks.aws.m.upbound.io/Cluster", Extract: "spec.forProvider.version"},
	},
	"eks.aws.m.upbound.io/PodIdentityAssociation": {
		{Path: "clusterName", Ref: "clusterNameRef", Selector: "clusterNameSelector", Multi: false, Target: "eks.aws.m.upbound.io/Cluster", Extract: "externalName"},
		{Path: "roleArn", Ref: "roleArnRef", Selector: "roleArnSelector", Multi: false, Target: "iam.aws.m.upbound.io/Role", Extract: "status.atProvider.arn"},
		{Path: "targetRoleArn", Ref: "targetRoleArnRef", Selector: "targetRoleArnSelector", Multi: false, Target: "iam.aws.m.upbound.io/Role", Extract: "status.atProvider.arn"},
	},
	"iam.aws.m.upbound.io/Role": {
		{Path: "managedPolicyArns", Ref: "managedPolicyArnsRefs", Selector: "managedPolicyArnsSelector", Multi: true, Target: "iam.aws.m.upbound.io/Policy", Extract: "status.atProvider.arn"},
	},
	"iam.aws.m.upbound.io/RolePolicy": {
		{Path: "role", Ref: "roleRef", Selector: "roleSelector", Multi: false, Target: "iam.aws.m.upbound.io/Role", Extract: "status.atProvider.id"},
	},
	"iam.aws.m.upbound.io/RolePolicyAttachment": {
		{Path: "policyArn", Ref: "policyArnRef", Selector: "policyArnSelector", Multi: false, Target: "iam.aws.m.upbound.io/Policy", Extract: "status.atProvider.arn"},
		{Path: "role", Ref: "roleRef", Selector: "roleSelector", Multi: false, Target: "iam.aws.m.upbound.io/Role", Extract: "externalName"},
	},
	"kms.aws.m.upbound.io/Alias": {
		{Path: "targetKeyId", Ref: "targetKeyIdRef", Selector: "targetKeyIdSelector", Multi: false, Target: "kms.aws.m.upbound.io/Key", Extract: "externalName"},
	},
	"rds.aws.m.upbound.io/Cluster": {
		{Path: "dbClusterParameterGroupName", Ref: "dbClusterParameterGroupNameRef", Selector: "dbClusterParameterGroupNameSelector", Multi: false, Target: "rds.aws.m.upbound.io/ClusterParameterGroup", Extract: "externalName"},
		{Path: "dbInstanceParameterGroupName", Ref: "dbInstanceParameterGroupNameRef", Selector: "dbInstanceParameterGroupNameSelector", Multi: false, Target: "rds.aws.m.upbound.io/ParameterGroup", Extract: "externalName"},
		{Path: "dbSubnetGroupName", Ref: "dbSubnetGroupNameRef", Selector: "dbSubnetGroupNameSelector", Multi: false, Target: "rds.aws.m.upbound.io/SubnetGroup", Extract: "externalName"},
		{Path: "kmsKeyId", Ref: "kmsKeyIdRef", Selector: "kmsKeyIdSelector", Multi: false, Target: "kms.aws.m.upbound.io/Key", Extract: "status.atProvider.arn"},
		{Path: "masterUserSecretKmsKeyId", Ref: "masterUserSecretKmsKeyIdRef", Selector: "masterUserSecretKmsKeyIdSelector", Multi: false, Target: "kms.aws.m.upbound.io/Key", Extract: "status.atProvider.keyId"},
		{Path: "monitoringRoleArn", Ref: "monitoringRoleArnRef", Selector: "monitoringRoleArnSelector", Multi: false, Target: "iam.aws.m.upbound.io/Role", Extract: "status.atProvider.arn"},
		{Path: "restoreToPointInTime.sourceClusterIdentifier", Ref: "sourceClusterIdentifierRef", Selector: "sourceClusterIdentifierSelector", Multi: false, Target: "rds.aws.m.upbound.io/Cluster", Extract: "externalName"},
		{Path: "s3Import.bucketName", Ref: "bucketNameRef", Selector: "bucketNameSelector", Multi: false, Target: "s3.aws.m.upbound.io/Bucket", Extract: "externalName"},
		{Path: "vpcSecurityGroupIds", Ref: "vpcSecurityGroupIdRefs", Selector: "vpcSecurityGroupIdSelector", Multi: true, Target: "ec2.aws.m.upbound.io/SecurityGroup", Extract: "externalName"},
	},
	"rds.aws.m.upbound.io/ClusterInstance": {
		{Path: "clusterIdentifier", Ref: "clusterIdentifierRef", Selector: "clusterIdentifierSelector", Multi: false, Target: "rds.aws.m.upbound.io/Cluster", Extract: "status.atProvider.id"},
		{Path: "dbParameterGroupName", Ref: "dbParameterGroupNameRef", Selector: "dbParameterGroupNameSelector", Multi: false, Target: "rds.aws.m.upbound.io/ParameterGroup", Extract: "externalName"},
		{Path: "dbSubnetGroupName", Ref: "dbSubnetGroupNameRef", Selector: "dbSubnetGroupNameSelector", Multi: false, Target: "rds.aws.m.upbound.io/SubnetGroup", Extract: "externalName"},
		{Path: "monitoringRoleArn", Ref: "monitoringRoleArnRef", Selector: "monitoringRoleArnSelector", Multi: false, Target: "iam.aws.m.upbound.io/Role", Extract: "status.atProvider.arn"},
		{Path: "performanceInsightsKmsKeyId", Ref: "performanceInsightsKmsKeyIdRef", Selector: "performanceInsightsKmsKeyIdSelector", Multi: false, Target: "kms.aws.m.upbound.io/Key", Extract: "externalName"},
	},
	"rds.aws.m.upbound.io/SubnetGroup": {
		{Path: "subnetIds", Ref: "subnetIdRefs", Selector: "subnetIdSelector", Multi: true, Target: "ec2.aws.m.upbound.io/Subnet", Extract: "externalName"},
	},
	"sqs.aws.m.upbound.io/QueuePolicy": {
		{Path: "queueUrl", Ref: "queueUrlRef", Selector: "queueUrlSelector", Multi: false, Target: "sqs.aws.m.upbound.io/Queue", Extract: "status.atProvider.id"},
	},
}
