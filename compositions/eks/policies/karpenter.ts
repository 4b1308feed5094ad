// Karpenter's IAM documents: its controller policy and its interruption queue's policy, those of
// its own CloudFormation template (POLICY_SOURCES.karpenter in catalog/versions.ts), merged into
// one document each. Placeholders ({{clusterName}}, {{region}}, {{accountId}}) are patched in
// from the XR's spec (authoring/iam.ts), so every grant names only this cluster's resources;
// ARNs of composed resources are built from the names the composition gives them, so no policy
// waits for another resource to exist.
import { type PolicyDocument, policy } from '../../authoring';

const ec2 = (type: string, account = '*') => `arn:aws:ec2:{{region}}:${account}:${type}/*`;
const OWNED = { 'aws:ResourceTag/kubernetes.io/cluster/{{clusterName}}': 'owned' };
const ANY_NODEPOOL = { 'aws:ResourceTag/karpenter.sh/nodepool': '*' };
const LAUNCHED = [ec2('fleet'), ec2('instance'), ec2('volume'), ec2('network-interface'), ec2('launch-template'), ec2('spot-instances-request')];
const REQUEST_TAGS = { 'aws:RequestTag/kubernetes.io/cluster/{{clusterName}}': 'owned', 'aws:RequestTag/eks:eks-cluster-name': '{{clusterName}}' };
const INSTANCE_PROFILES = 'arn:aws:iam::{{accountId}}:instance-profile/*';
const CLUSTER_ARN = 'arn:aws:eks:{{region}}:{{accountId}}:cluster/{{clusterName}}';

/** Role suffix of the nodes Karpenter (or Auto Mode) launches; the composition names the role so. */
export const NODE_ROLE_SUFFIX = '-nodes';
export const NODE_ROLE_ARN = `arn:aws:iam::{{accountId}}:role/{{clusterName}}${NODE_ROLE_SUFFIX}`;
/** The interruption queue is named after the cluster. */
export const QUEUE_ARN = 'arn:aws:sqs:{{region}}:{{accountId}}:{{clusterName}}';

/** The Karpenter controller: node lifecycle, IAM integration, EKS, interruption, zonal shift, discovery. */
export const KARPENTER_CONTROLLER: PolicyDocument = policy(
  {
    Sid: 'AllowScopedEC2InstanceAccessActions',
    Effect: 'Allow',
    Resource: ['arn:aws:ec2:{{region}}::image/*', 'arn:aws:ec2:{{region}}::snapshot/*', ec2('capacity-reservation'), ec2('placement-group')],
    Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
  },
  // Upstream grants these two on every subnet and security group of the account: a cluster admin
  // (who writes EC2NodeClasses) could launch nodes into another team's subnets with its security
  // groups, next to its database. Nodes go only where this cluster's EC2NodeClass looks
  // (charts/addons/drydock-addons/templates/ec2nodeclass.yaml): subnets the Network tagged
  // karpenter.sh/discovery with this cluster's name, and the security group EKS tagged
  // aws:eks:cluster-name (a tag no one else can write: the aws: prefix is reserved).
  {
    Sid: 'AllowOwnSubnets',
    Effect: 'Allow',
    Resource: ec2('subnet'),
    Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
    Condition: { StringEquals: { 'aws:ResourceTag/karpenter.sh/discovery': '{{clusterName}}' } },
  },
  {
    Sid: 'AllowOwnSecurityGroups',
    Effect: 'Allow',
    Resource: ec2('security-group'),
    Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
    Condition: { StringEquals: { 'aws:ResourceTag/aws:eks:cluster-name': '{{clusterName}}' } },
  },
  {
    Sid: 'AllowScopedEC2LaunchTemplateAccessActions',
    Effect: 'Allow',
    Resource: ec2('launch-template'),
    Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
    Condition: { StringEquals: OWNED, StringLike: ANY_NODEPOOL },
  },
  {
    Sid: 'AllowScopedEC2InstanceActionsWithTags',
    Effect: 'Allow',
    Resource: LAUNCHED,
    Action: ['ec2:RunInstances', 'ec2:CreateFleet', 'ec2:CreateLaunchTemplate'],
    Condition: { StringEquals: REQUEST_TAGS, StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' } },
  },
  {
    Sid: 'AllowScopedResourceCreationTagging',
    Effect: 'Allow',
    Resource: LAUNCHED,
    Action: 'ec2:CreateTags',
    Condition: {
      StringEquals: { ...REQUEST_TAGS, 'ec2:CreateAction': ['RunInstances', 'CreateFleet', 'CreateLaunchTemplate'] },
      StringLike: { 'aws:RequestTag/karpenter.sh/nodepool': '*' },
    },
  },
  {
    Sid: 'AllowScopedResourceTagging',
    Effect: 'Allow',
    Resource: ec2('instance'),
    Action: 'ec2:CreateTags',
    Condition: {
      StringEquals: OWNED,
      StringLike: ANY_NODEPOOL,
      StringEqualsIfExists: { 'aws:RequestTag/eks:eks-cluster-name': '{{clusterName}}' },
      'ForAllValues:StringEquals': { 'aws:TagKeys': ['eks:eks-cluster-name', 'karpenter.sh/nodeclaim', 'Name'] },
    },
  },
  {
    Sid: 'AllowScopedDeletion',
    Effect: 'Allow',
    Resource: [ec2('instance'), ec2('launch-template')],
    Action: ['ec2:TerminateInstances', 'ec2:DeleteLaunchTemplate'],
    Condition: { StringEquals: OWNED, StringLike: ANY_NODEPOOL },
  },
  {
    Sid: 'AllowPassingInstanceRole',
    Effect: 'Allow',
    Resource: NODE_ROLE_ARN,
    Action: 'iam:PassRole',
    Condition: { StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } },
  },
  {
    Sid: 'AllowScopedInstanceProfileCreationActions',
    Effect: 'Allow',
    Resource: INSTANCE_PROFILES,
    Action: ['iam:CreateInstanceProfile'],
    Condition: {
      StringEquals: { ...REQUEST_TAGS, 'aws:RequestTag/topology.kubernetes.io/region': '{{region}}' },
      StringLike: { 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
    },
  },
  {
    Sid: 'AllowScopedInstanceProfileTagActions',
    Effect: 'Allow',
    Resource: INSTANCE_PROFILES,
    Action: ['iam:TagInstanceProfile'],
    Condition: {
      StringEquals: {
        ...OWNED,
        'aws:ResourceTag/topology.kubernetes.io/region': '{{region}}',
        ...REQUEST_TAGS,
        'aws:RequestTag/topology.kubernetes.io/region': '{{region}}',
      },
      StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*', 'aws:RequestTag/karpenter.k8s.aws/ec2nodeclass': '*' },
    },
  },
  {
    Sid: 'AllowScopedInstanceProfileActions',
    Effect: 'Allow',
    Resource: INSTANCE_PROFILES,
    Action: ['iam:AddRoleToInstanceProfile', 'iam:RemoveRoleFromInstanceProfile', 'iam:DeleteInstanceProfile'],
    Condition: {
      StringEquals: { ...OWNED, 'aws:ResourceTag/topology.kubernetes.io/region': '{{region}}' },
      StringLike: { 'aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass': '*' },
    },
  },
  { Sid: 'AllowAPIServerEndpointDiscovery', Effect: 'Allow', Resource: CLUSTER_ARN, Action: 'eks:DescribeCluster' },
  {
    Sid: 'AllowInterruptionQueueActions',
    Effect: 'Allow',
    Resource: QUEUE_ARN,
    Action: ['sqs:DeleteMessage', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage'],
  },
  {
    Sid: 'AllowZonalShiftStatusReadOnly',
    Effect: 'Allow',
    Resource: '*',
    Action: ['arc-zonal-shift:GetManagedResource'],
    Condition: { StringEquals: { 'arc-zonal-shift:ResourceIdentifier': CLUSTER_ARN } },
  },
  {
    Sid: 'AllowRegionalReadActions',
    Effect: 'Allow',
    Resource: '*',
    Action: [
      'ec2:DescribeCapacityReservations',
      'ec2:DescribeImages',
      'ec2:DescribeInstances',
      'ec2:DescribeInstanceStatus',
      'ec2:DescribeInstanceTypeOfferings',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeLaunchTemplates',
      'ec2:DescribePlacementGroups',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSpotPriceHistory',
      'ec2:DescribeSubnets',
    ],
    Condition: { StringEquals: { 'aws:RequestedRegion': '{{region}}' } },
  },
  { Sid: 'AllowSSMReadActions', Effect: 'Allow', Resource: 'arn:aws:ssm:{{region}}::parameter/aws/service/*', Action: 'ssm:GetParameter' },
  { Sid: 'AllowPricingReadActions', Effect: 'Allow', Resource: '*', Action: 'pricing:GetProducts' },
  { Sid: 'AllowUnscopedInstanceProfileListAction', Effect: 'Allow', Resource: '*', Action: 'iam:ListInstanceProfiles' },
  { Sid: 'AllowInstanceProfileReadActions', Effect: 'Allow', Resource: INSTANCE_PROFILES, Action: 'iam:GetInstanceProfile' },
);

/** Karpenter's interruption queue: only EventBridge (and SQS itself) may send, and only over TLS. */
export const INTERRUPTION_QUEUE: PolicyDocument = {
  Version: '2012-10-17',
  Id: 'EC2InterruptionPolicy',
  Statement: [
    {
      Sid: 'AllowEventBridge',
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] },
      Action: 'sqs:SendMessage',
      Resource: QUEUE_ARN,
    },
    { Sid: 'DenyHTTP', Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: QUEUE_ARN, Condition: { Bool: { 'aws:SecureTransport': false } } },
  ],
};
