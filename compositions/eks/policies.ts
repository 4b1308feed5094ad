// The IAM policies of an EKS cluster's add-ons, as typed data. Placeholders ({{clusterName}},
// {{region}}, {{accountId}}, {{zone0}}...) are patched in from the XR's spec (see
// authoring/iam.ts), so every grant names only this cluster's resources. ARNs of composed
// resources are built from the names the composition gives them, not read back from AWS, so no
// policy has to wait for another resource to exist.
//
// Karpenter's are those of its own CloudFormation template (POLICY_SOURCES.karpenter in
// catalog/versions.ts), merged into one document.
// Wildcard resources remain only where AWS offers no narrower resource; WILDCARD_ALLOWED lists
// each of them with the reason, and a test fails on any other.
import { type PolicyDocument, policy } from '../authoring';

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
    Resource: [
      'arn:aws:ec2:{{region}}::image/*',
      'arn:aws:ec2:{{region}}::snapshot/*',
      ec2('security-group'),
      ec2('subnet'),
      ec2('capacity-reservation'),
      ec2('placement-group'),
    ],
    Action: ['ec2:RunInstances', 'ec2:CreateFleet'],
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

/** Hosted zone ARNs of the first `n` zones the XR names. */
const zones = (n: number) => Array.from({ length: n }, (_, i) => `arn:aws:route53:::hostedzone/{{zone${i}}}`);

/** ExternalDNS: change and list records only in the cluster's zones. */
export const externalDns = (n: number): PolicyDocument =>
  policy(
    {
      Sid: 'ChangeRecordsInTheClusterZones',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
      Resource: zones(n),
    },
    { Sid: 'FindZones', Effect: 'Allow', Action: ['route53:ListHostedZones'], Resource: '*' },
  );

/** cert-manager DNS-01: only TXT records for ACME challenges, only in the cluster's zones. */
export const certManager = (n: number): PolicyDocument =>
  policy(
    { Sid: 'ReadChangeStatus', Effect: 'Allow', Action: 'route53:GetChange', Resource: 'arn:aws:route53:::change/*' },
    {
      Sid: 'AcmeChallengeRecordsOnly',
      Effect: 'Allow',
      Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
      Resource: zones(n),
      Condition: {
        'ForAllValues:StringEquals': { 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] },
        'ForAllValues:StringLike': { 'route53:ChangeResourceRecordSetsNormalizedRecordNames': ['_acme-challenge.*'] },
      },
    },
    { Sid: 'FindZones', Effect: 'Allow', Action: 'route53:ListHostedZonesByName', Resource: '*' },
  );

const elb = (type: string) => `arn:aws:elasticloadbalancing:{{region}}:{{accountId}}:${type}`;
const LOAD_BALANCERS = [elb('loadbalancer/app/*/*'), elb('loadbalancer/net/*/*')];
const TARGET_GROUPS = elb('targetgroup/*/*');
const LISTENERS = [elb('listener/app/*/*/*'), elb('listener/net/*/*/*'), elb('listener-rule/app/*/*/*'), elb('listener-rule/net/*/*/*')];
const SECURITY_GROUPS = 'arn:aws:ec2:{{region}}:{{accountId}}:security-group/*';
/** The controller tags what it creates with elbv2.k8s.aws/cluster; most writes require that tag. */
const CONTROLLER_OWNED = { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } };
const CONTROLLER_CREATES = { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'false' } };

/**
 * The AWS Load Balancer Controller: its upstream policy (POLICY_SOURCES.awsLoadBalancerController), with every resource narrowed to
 * this account and region where AWS allows it, and WAF Classic (waf-regional) left out.
 */
export const AWS_LOAD_BALANCER_CONTROLLER: PolicyDocument = policy(
  {
    Sid: 'ServiceLinkedRole',
    Effect: 'Allow',
    Action: 'iam:CreateServiceLinkedRole',
    Resource: 'arn:aws:iam::{{accountId}}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing',
    Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
  },
  {
    Sid: 'Discover',
    Effect: 'Allow',
    Resource: '*',
    Action: [
      'ec2:DescribeAccountAttributes',
      'ec2:DescribeAddresses',
      'ec2:DescribeAvailabilityZones',
      'ec2:DescribeInternetGateways',
      'ec2:DescribeVpcs',
      'ec2:DescribeVpcPeeringConnections',
      'ec2:DescribeSubnets',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeInstances',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeTags',
      'ec2:GetCoipPoolUsage',
      'ec2:DescribeCoipPools',
      'ec2:GetSecurityGroupsForVpc',
      'ec2:DescribeIpamPools',
      'ec2:DescribeRouteTables',
      'elasticloadbalancing:DescribeLoadBalancers',
      'elasticloadbalancing:DescribeLoadBalancerAttributes',
      'elasticloadbalancing:DescribeListeners',
      'elasticloadbalancing:DescribeListenerCertificates',
      'elasticloadbalancing:DescribeSSLPolicies',
      'elasticloadbalancing:DescribeRules',
      'elasticloadbalancing:DescribeTargetGroups',
      'elasticloadbalancing:DescribeTargetGroupAttributes',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:DescribeTags',
      'elasticloadbalancing:DescribeTrustStores',
      'elasticloadbalancing:DescribeListenerAttributes',
      'elasticloadbalancing:DescribeCapacityReservation',
      'acm:ListCertificates',
      'iam:ListServerCertificates',
      'shield:GetSubscriptionState',
    ],
  },
  {
    Sid: 'ReadCertificatesAndProtections',
    Effect: 'Allow',
    Action: ['acm:DescribeCertificate', 'iam:GetServerCertificate', 'cognito-idp:DescribeUserPoolClient', 'shield:DescribeProtection'],
    Resource: [
      'arn:aws:acm:{{region}}:{{accountId}}:certificate/*',
      'arn:aws:iam::{{accountId}}:server-certificate/*',
      'arn:aws:cognito-idp:{{region}}:{{accountId}}:userpool/*',
      'arn:aws:shield::{{accountId}}:protection/*',
    ],
  },
  {
    Sid: 'AttachWebAclsAndShield',
    Effect: 'Allow',
    Action: [
      'wafv2:GetWebACL',
      'wafv2:GetWebACLForResource',
      'wafv2:AssociateWebACL',
      'wafv2:DisassociateWebACL',
      'shield:CreateProtection',
      'shield:DeleteProtection',
    ],
    Resource: ['arn:aws:wafv2:{{region}}:{{accountId}}:regional/webacl/*/*', 'arn:aws:shield::{{accountId}}:protection/*', ...LOAD_BALANCERS],
  },
  {
    Sid: 'ManageSecurityGroupRules',
    Effect: 'Allow',
    Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
    Resource: SECURITY_GROUPS,
  },
  {
    Sid: 'CreateSecurityGroups',
    Effect: 'Allow',
    Action: 'ec2:CreateSecurityGroup',
    Resource: [SECURITY_GROUPS, 'arn:aws:ec2:{{region}}:{{accountId}}:vpc/*'],
  },
  {
    Sid: 'TagNewSecurityGroups',
    Effect: 'Allow',
    Action: 'ec2:CreateTags',
    Resource: SECURITY_GROUPS,
    Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, ...CONTROLLER_CREATES },
  },
  {
    Sid: 'RetagOwnSecurityGroups',
    Effect: 'Allow',
    Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
    Resource: SECURITY_GROUPS,
    Condition: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true', 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
  },
  {
    Sid: 'ChangeOwnSecurityGroups',
    Effect: 'Allow',
    Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
    Resource: SECURITY_GROUPS,
    Condition: CONTROLLER_OWNED,
  },
  {
    Sid: 'CreateLoadBalancers',
    Effect: 'Allow',
    Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
    Resource: [...LOAD_BALANCERS, TARGET_GROUPS],
    Condition: CONTROLLER_CREATES,
  },
  {
    Sid: 'ManageListeners',
    Effect: 'Allow',
    Action: [
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:DeleteListener',
      'elasticloadbalancing:CreateRule',
      'elasticloadbalancing:DeleteRule',
    ],
    Resource: [...LOAD_BALANCERS, ...LISTENERS],
  },
  {
    Sid: 'RetagOwnLoadBalancers',
    Effect: 'Allow',
    Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
    Resource: [TARGET_GROUPS, ...LOAD_BALANCERS],
    Condition: { Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': 'true', 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } },
  },
  { Sid: 'TagListeners', Effect: 'Allow', Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'], Resource: LISTENERS },
  {
    Sid: 'ChangeOwnLoadBalancers',
    Effect: 'Allow',
    Action: [
      'elasticloadbalancing:ModifyLoadBalancerAttributes',
      'elasticloadbalancing:SetIpAddressType',
      'elasticloadbalancing:SetSecurityGroups',
      'elasticloadbalancing:SetSubnets',
      'elasticloadbalancing:DeleteLoadBalancer',
      'elasticloadbalancing:ModifyTargetGroup',
      'elasticloadbalancing:ModifyTargetGroupAttributes',
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:ModifyListenerAttributes',
      'elasticloadbalancing:ModifyCapacityReservation',
      'elasticloadbalancing:ModifyIpPools',
    ],
    Resource: [...LOAD_BALANCERS, TARGET_GROUPS, ...LISTENERS],
    Condition: CONTROLLER_OWNED,
  },
  {
    Sid: 'TagOnCreate',
    Effect: 'Allow',
    Action: 'elasticloadbalancing:AddTags',
    Resource: [TARGET_GROUPS, ...LOAD_BALANCERS],
    Condition: { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] }, ...CONTROLLER_CREATES },
  },
  {
    Sid: 'RegisterTargets',
    Effect: 'Allow',
    Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
    Resource: TARGET_GROUPS,
  },
  {
    Sid: 'ConfigureListeners',
    Effect: 'Allow',
    Action: [
      'elasticloadbalancing:SetWebAcl',
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:AddListenerCertificates',
      'elasticloadbalancing:RemoveListenerCertificates',
      'elasticloadbalancing:ModifyRule',
      'elasticloadbalancing:SetRulePriorities',
    ],
    Resource: [...LOAD_BALANCERS, ...LISTENERS],
  },
);

/**
 * The only grants allowed a wildcard resource: actions AWS authorizes on no narrower resource
 * (https://docs.aws.amazon.com/service-authorization/), each limited otherwise where it can be.
 */
export const WILDCARD_ALLOWED: Readonly<Record<string, string>> = {
  'arc-zonal-shift:GetManagedResource': 'resource-level scoping not supported; limited by the ResourceIdentifier condition to this cluster',
  'ec2:DescribeCapacityReservations': 'Describe* calls support no resource; limited to the cluster region by aws:RequestedRegion',
  'ec2:DescribeImages': 'as above',
  'ec2:DescribeInstances': 'as above',
  'ec2:DescribeInstanceStatus': 'as above',
  'ec2:DescribeInstanceTypeOfferings': 'as above',
  'ec2:DescribeInstanceTypes': 'as above',
  'ec2:DescribeLaunchTemplates': 'as above',
  'ec2:DescribePlacementGroups': 'as above',
  'ec2:DescribeSecurityGroups': 'as above',
  'ec2:DescribeSpotPriceHistory': 'as above',
  'ec2:DescribeSubnets': 'as above',
  'pricing:GetProducts': 'the Price List API supports no resource',
  'iam:ListInstanceProfiles': 'List calls support no resource',
  'route53:ListHostedZones': 'supports no resource; finding the zones is read-only',
  'route53:ListHostedZonesByName': 'supports no resource; finding the zones is read-only',
  ...Object.fromEntries(
    (AWS_LOAD_BALANCER_CONTROLLER.Statement.find((s) => s.Sid === 'Discover')!.Action as readonly string[]).map((a) => [
      a,
      'AWS Load Balancer Controller discovery: Describe/List/Get calls that support no resource, read-only',
    ]),
  ),
};

/**
 * External Secrets: read the secrets under the environment's prefixes (one policy variant per
 * prefix count), nothing else; listing is not needed to fetch by name.
 */
export const externalSecrets = (n: number): PolicyDocument =>
  policy({
    Sid: 'ReadTheEnvironmentsSecrets',
    Effect: 'Allow',
    Action: [
      'secretsmanager:GetSecretValue',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetResourcePolicy',
      'secretsmanager:ListSecretVersionIds',
    ],
    Resource: Array.from({ length: n }, (_, i) => `arn:aws:secretsmanager:{{region}}:{{accountId}}:secret:{{prefix${i}}}`),
  });
