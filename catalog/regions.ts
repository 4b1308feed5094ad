// AWS regions the platform can place a network or cluster in: those of the commercial partition
// (`aws`), because every IAM document and policy ARN we compose starts with `arn:aws:`
// (compositions/eks/policies.ts). China (`aws-cn`), GovCloud (`aws-us-gov`) and the ISO partitions
// would need their own ARN prefix and are left out on purpose.
//
// Source: the `aws` partition of the AWS SDK for Go v2's endpoint rules,
// github.com/aws/aws-sdk-go-v2 v1.44.0, internal/endpoints/awsrulesfn/partitions.json
// (read from the Go module cache, late 2026); `aws-global` is a pseudo-region and left out.
// Add a region here when AWS opens one (and the SDK lists it); synth and the XRDs follow.

/** Region code to its name, as the SDK describes it. */
export const AWS_REGIONS = {
  'af-south-1': 'Africa (Cape Town)',
  'ap-east-1': 'Asia Pacific (Hong Kong)',
  'ap-east-2': 'Asia Pacific (Taipei)',
  'ap-northeast-1': 'Asia Pacific (Tokyo)',
  'ap-northeast-2': 'Asia Pacific (Seoul)',
  'ap-northeast-3': 'Asia Pacific (Osaka)',
  'ap-south-1': 'Asia Pacific (Mumbai)',
  'ap-south-2': 'Asia Pacific (Hyderabad)',
  'ap-southeast-1': 'Asia Pacific (Singapore)',
  'ap-southeast-2': 'Asia Pacific (Sydney)',
  'ap-southeast-3': 'Asia Pacific (Jakarta)',
  'ap-southeast-4': 'Asia Pacific (Melbourne)',
  'ap-southeast-5': 'Asia Pacific (Malaysia)',
  'ap-southeast-6': 'Asia Pacific (New Zealand)',
  'ap-southeast-7': 'Asia Pacific (Thailand)',
  'ca-central-1': 'Canada (Central)',
  'ca-west-1': 'Canada West (Calgary)',
  'eu-central-1': 'Europe (Frankfurt)',
  'eu-central-2': 'Europe (Zurich)',
  'eu-north-1': 'Europe (Stockholm)',
  'eu-south-1': 'Europe (Milan)',
  'eu-south-2': 'Europe (Spain)',
  'eu-west-1': 'Europe (Ireland)',
  'eu-west-2': 'Europe (London)',
  'eu-west-3': 'Europe (Paris)',
  'il-central-1': 'Israel (Tel Aviv)',
  'me-central-1': 'Middle East (UAE)',
  'me-south-1': 'Middle East (Bahrain)',
  'mx-central-1': 'Mexico (Central)',
  'sa-east-1': 'South America (Sao Paulo)',
  'us-east-1': 'US East (N. Virginia)',
  'us-east-2': 'US East (Ohio)',
  'us-west-1': 'US West (N. California)',
  'us-west-2': 'US West (Oregon)',
} as const;

export type AwsRegion = keyof typeof AWS_REGIONS;

/** Every region code, sorted. */
export const AWS_REGION_CODES: readonly AwsRegion[] = Object.keys(AWS_REGIONS).sort() as AwsRegion[];

export const isAwsRegion = (region: string): region is AwsRegion => Object.hasOwn(AWS_REGIONS, region);

const DIRECTIONS: Record<string, string> = {
  east: 'e',
  west: 'w',
  north: 'n',
  south: 's',
  central: 'c',
  northeast: 'ne',
  northwest: 'nw',
  southeast: 'se',
  southwest: 'sw',
};

/**
 * The prefix of the region's availability zone IDs: `use1` for us-east-1 (use1-az1), `apne1` for
 * ap-northeast-1, `euc1` for eu-central-1. Zone IDs name the same physical zone in every account,
 * unlike zone letters (https://docs.aws.amazon.com/global-infrastructure/latest/regions/az-ids.html).
 */
export function zoneIdPrefix(region: AwsRegion): string {
  const [area, direction, n] = region.split('-');
  return `${area}${DIRECTIONS[direction]}${n}`;
}
