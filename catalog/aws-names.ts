// AWS names the compositions choose: for each composed kind that AWS knows by a name we give it,
// where the name is, AWS's limit on its length and where AWS keeps it unique. Two resources with
// one name in one scope are one resource to AWS, and the provider adopts an existing one instead of
// refusing (provider-upjet-aws config/externalname.go: EKS clusters, IAM roles, RDS clusters and
// instances, subnet groups, KMS aliases and EventBridge rules are found by name). Limits are from
// each service's API reference, as of late 2026. test/names.test.ts measures every rendered name
// against its limit and proves no two Clusters share one.

/** Where AWS (or the control cluster) keeps a name unique. */
export type NameScope = 'account' | 'region' | 'vpc' | 'control-cluster';

export interface AwsName {
  /** API group and kind of the composed resource. */
  readonly group: string;
  readonly kind: string;
  /** Field holding the name. */
  readonly field: string;
  /** Most characters AWS allows. */
  readonly max: number;
  readonly scope: NameScope;
  /** The API reference and parameter that state the limit. */
  readonly source: string;
}

const EXTERNAL_NAME = 'metadata.annotations[crossplane.io/external-name]';

export const AWS_NAMES: readonly AwsName[] = [
  { group: 'eks.aws.m.upbound.io', kind: 'Cluster', field: EXTERNAL_NAME, max: 100, scope: 'region', source: 'EKS CreateCluster, name' },
  { group: 'iam.aws.m.upbound.io', kind: 'Role', field: EXTERNAL_NAME, max: 64, scope: 'account', source: 'IAM CreateRole, RoleName' },
  { group: 'sqs.aws.m.upbound.io', kind: 'Queue', field: 'spec.forProvider.name', max: 80, scope: 'region', source: 'SQS CreateQueue, QueueName' },
  {
    group: 'cloudwatchevents.aws.m.upbound.io',
    kind: 'Rule',
    field: EXTERNAL_NAME,
    max: 64,
    scope: 'region',
    source: 'EventBridge PutRule, Name (unique per event bus; we use the default bus)',
  },
  { group: 'kms.aws.m.upbound.io', kind: 'Alias', field: EXTERNAL_NAME, max: 256, scope: 'region', source: 'KMS CreateAlias, AliasName' },
  {
    group: 'ec2.aws.m.upbound.io',
    kind: 'LaunchTemplate',
    field: 'spec.forProvider.name',
    max: 128,
    scope: 'region',
    source: 'EC2 CreateLaunchTemplate, LaunchTemplateName',
  },
  {
    group: 'ec2.aws.m.upbound.io',
    kind: 'SecurityGroup',
    field: 'spec.forProvider.name',
    max: 255,
    scope: 'vpc',
    source: 'EC2 CreateSecurityGroup, GroupName',
  },
  {
    group: 'rds.aws.m.upbound.io',
    kind: 'Cluster',
    field: EXTERNAL_NAME,
    max: 63,
    scope: 'region',
    source: 'RDS CreateDBCluster, DBClusterIdentifier',
  },
  {
    group: 'rds.aws.m.upbound.io',
    kind: 'Cluster',
    field: 'spec.forProvider.finalSnapshotIdentifier',
    max: 255,
    scope: 'region',
    source: 'RDS DeleteDBCluster, FinalDBSnapshotIdentifier',
  },
  {
    group: 'rds.aws.m.upbound.io',
    kind: 'ClusterInstance',
    field: EXTERNAL_NAME,
    max: 63,
    scope: 'region',
    source: 'RDS CreateDBInstance, DBInstanceIdentifier',
  },
  {
    group: 'rds.aws.m.upbound.io',
    kind: 'SubnetGroup',
    field: EXTERNAL_NAME,
    max: 255,
    scope: 'region',
    source: 'RDS CreateDBSubnetGroup, DBSubnetGroupName',
  },
  {
    group: 'kubernetes.m.crossplane.io',
    kind: 'Object',
    field: 'spec.forProvider.manifest.metadata.name',
    max: 253,
    scope: 'control-cluster',
    source: 'Kubernetes object names (DNS subdomain): the Argo CD cluster Secret, all in one namespace',
  },
];

/**
 * Composed kinds whose AWS name we do not choose, and why no two XRs can collide on them: AWS
 * assigns an ID, or the name is unique only inside a parent that is itself named above.
 */
export const UNNAMED_KINDS: Readonly<Record<string, string>> = {
  'ec2.aws.m.upbound.io/VPC': 'AWS assigns the ID',
  'ec2.aws.m.upbound.io/Subnet': 'AWS assigns the ID',
  'ec2.aws.m.upbound.io/RouteTable': 'AWS assigns the ID',
  'ec2.aws.m.upbound.io/RouteTableAssociation': 'AWS assigns the ID',
  'ec2.aws.m.upbound.io/Route': 'inside its route table',
  'ec2.aws.m.upbound.io/InternetGateway': 'AWS assigns the ID',
  'ec2.aws.m.upbound.io/NATGateway': 'AWS assigns the ID',
  'ec2.aws.m.upbound.io/EIP': 'AWS assigns the ID',
  'ec2.aws.m.upbound.io/VPCEndpoint': 'AWS assigns the ID',
  'ec2.aws.m.upbound.io/SecurityGroupIngressRule': 'AWS assigns the ID',
  'ec2.aws.m.upbound.io/SecurityGroupEgressRule': 'AWS assigns the ID',
  'kms.aws.m.upbound.io/Key': 'AWS assigns the ID',
  'eks.aws.m.upbound.io/NodeGroup': 'unique inside its EKS cluster',
  'eks.aws.m.upbound.io/Addon': 'unique inside its EKS cluster',
  'eks.aws.m.upbound.io/AccessEntry': 'unique inside its EKS cluster (cluster:principal)',
  'eks.aws.m.upbound.io/AccessPolicyAssociation': 'unique inside its EKS cluster',
  'eks.aws.m.upbound.io/PodIdentityAssociation': 'unique inside its EKS cluster',
  'eks.aws.m.upbound.io/ClusterAuth': 'no AWS object: a kubeconfig of its cluster',
  'iam.aws.m.upbound.io/RolePolicy': 'unique inside its role',
  'iam.aws.m.upbound.io/RolePolicyAttachment': 'an attachment to its role',
  'sqs.aws.m.upbound.io/QueuePolicy': 'part of its queue',
  'cloudwatchevents.aws.m.upbound.io/Target': 'unique inside its rule',
  'rds.aws.m.upbound.io/ClusterParameterGroup': "named after the managed resource's own generated name",
  'protection.crossplane.io/Usage': 'no AWS object: deletion order on the control cluster',
  'kubernetes.m.crossplane.io/ProviderConfig':
    "no AWS object: how the Cluster reaches its workload cluster (<Cluster>-workload, in the Cluster's namespace); the Objects it applies there exist only while the Cluster is deleted",
};
