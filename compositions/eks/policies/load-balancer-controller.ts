// The AWS Load Balancer Controller's IAM document (POLICY_SOURCES.awsLoadBalancerController in
// catalog/versions.ts), narrowed to this account ({{accountId}}) and region ({{region}}).
import { type PolicyDocument, policy } from '../../authoring';

const elb = (type: string) => `arn:aws:elasticloadbalancing:{{region}}:{{accountId}}:${type}`;
const LOAD_BALANCERS = [elb('loadbalancer/app/*/*'), elb('loadbalancer/net/*/*')];
const TARGET_GROUPS = elb('targetgroup/*/*');
const LISTENERS = [elb('listener/app/*/*/*'), elb('listener/net/*/*/*'), elb('listener-rule/app/*/*/*'), elb('listener-rule/net/*/*/*')];
const SECURITY_GROUPS = 'arn:aws:ec2:{{region}}:{{accountId}}:security-group/*';
/**
 * The controller tags everything it creates with `elbv2.k8s.aws/cluster: <its --cluster-name>`
 * (aws-load-balancer-controller pkg/deploy/tracking/provider.go, StackTags). Upstream only asks
 * that the tag be present (Null), which in a shared account lets one cluster's controller modify
 * and delete the load balancers, target groups and security groups of every other cluster's
 * controller: here the tag must name this cluster.
 */
const TAG = 'elbv2.k8s.aws/cluster';
const CONTROLLER_OWNED = { StringEquals: { [`aws:ResourceTag/${TAG}`]: '{{clusterName}}' } };
const CONTROLLER_CREATES = { StringEquals: { [`aws:RequestTag/${TAG}`]: '{{clusterName}}' } };
/** A retag that leaves the cluster tag alone, on what this cluster's controller owns. */
const RETAG_OWN = { Null: { [`aws:RequestTag/${TAG}`]: 'true' }, ...CONTROLLER_OWNED };
/**
 * Security-group writes only in the cluster's own VPC ({{vpcId}}): upstream grants them on every
 * group in the account, and its installation guide recommends this ArnEquals on ec2:Vpc
 * (kubernetes-sigs/aws-load-balancer-controller docs/deploy/installation.md, "Permissions with
 * the least privileges"). Without it, a cluster admin of one team could open another team's
 * database security group in a shared account.
 */
const THIS_VPC = 'arn:aws:ec2:{{region}}:{{accountId}}:vpc/{{vpcId}}';
const IN_THIS_VPC = { ArnEquals: { 'ec2:Vpc': THIS_VPC } };

/**
 * The AWS Load Balancer Controller: its upstream policy, with every resource narrowed to this
 * account and region where AWS allows it, and WAF Classic (waf-regional) left out.
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
    Condition: IN_THIS_VPC,
  },
  {
    Sid: 'CreateSecurityGroups',
    Effect: 'Allow',
    Action: 'ec2:CreateSecurityGroup',
    Resource: [SECURITY_GROUPS, THIS_VPC],
  },
  {
    Sid: 'TagNewSecurityGroups',
    Effect: 'Allow',
    Action: 'ec2:CreateTags',
    Resource: SECURITY_GROUPS,
    Condition: { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup', ...CONTROLLER_CREATES.StringEquals } },
  },
  {
    Sid: 'RetagOwnSecurityGroups',
    Effect: 'Allow',
    Action: ['ec2:CreateTags', 'ec2:DeleteTags'],
    Resource: SECURITY_GROUPS,
    Condition: RETAG_OWN,
  },
  {
    Sid: 'ChangeOwnSecurityGroups',
    Effect: 'Allow',
    Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'],
    Resource: SECURITY_GROUPS,
    Condition: { ...CONTROLLER_OWNED, ...IN_THIS_VPC },
  },
  {
    Sid: 'CreateLoadBalancers',
    Effect: 'Allow',
    Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
    Resource: [...LOAD_BALANCERS, TARGET_GROUPS],
    Condition: CONTROLLER_CREATES,
  },
  {
    Sid: 'RetagOwnLoadBalancers',
    Effect: 'Allow',
    Action: ['elasticloadbalancing:AddTags', 'elasticloadbalancing:RemoveTags'],
    Resource: [TARGET_GROUPS, ...LOAD_BALANCERS, ...LISTENERS],
    Condition: RETAG_OWN,
  },
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
      // Upstream grants these on every listener and rule of the account, unconditioned: another
      // cluster's controller could delete this cluster's listeners or point them at its own
      // target groups. Listeners and rules carry the cluster tag (ListenerRulesTagging, on by
      // default: pkg/deploy/elbv2/listener_manager.go, listener_rule_manager.go), and a new
      // listener's own load balancer does.
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:DeleteListener',
      'elasticloadbalancing:ModifyListener',
      'elasticloadbalancing:AddListenerCertificates',
      'elasticloadbalancing:RemoveListenerCertificates',
      'elasticloadbalancing:CreateRule',
      'elasticloadbalancing:DeleteRule',
      'elasticloadbalancing:ModifyRule',
      'elasticloadbalancing:SetRulePriorities',
      // AWS WAF's Associate/DisassociateWebACL on a load balancer require this too.
      'elasticloadbalancing:SetWebAcl',
    ],
    Resource: [...LOAD_BALANCERS, TARGET_GROUPS, ...LISTENERS],
    Condition: CONTROLLER_OWNED,
  },
  {
    Sid: 'TagOnCreate',
    Effect: 'Allow',
    Action: 'elasticloadbalancing:AddTags',
    Resource: [TARGET_GROUPS, ...LOAD_BALANCERS, ...LISTENERS],
    Condition: {
      StringEquals: {
        'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer', 'CreateListener', 'CreateRule'],
        ...CONTROLLER_CREATES.StringEquals,
      },
    },
  },
  {
    // Upstream: any target group of the account, so another cluster could add its pods to this
    // cluster's target groups (and take their traffic) or drain them. A TargetGroupBinding to a
    // target group made outside the controller needs the cluster tag on it.
    Sid: 'RegisterTargets',
    Effect: 'Allow',
    Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
    Resource: TARGET_GROUPS,
    Condition: CONTROLLER_OWNED,
  },
);
