// The allow list of grants on the resource "*": a test (and the policy gate) refuse any other.
import { AWS_LOAD_BALANCER_CONTROLLER } from './load-balancer-controller';

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
