// What the network choices of an environment or a Cluster add to the monthly AWS bill, as list
// prices. Prices vary by region; these are for us-east-1 (US East, N. Virginia), the reference
// region of AWS's pricing pages, in USD, as published in 2026:
//
// - NAT gateway: $0.045 per gateway-hour and $0.045 per GB processed; its Elastic IP is a public
//   IPv4 address at $0.005 per hour (https://aws.amazon.com/vpc/pricing/, "NAT Gateway" and
//   "Public IPv4 Address" tabs).
// - Interface VPC endpoint (AWS PrivateLink): $0.01 per endpoint-hour in each Availability Zone it
//   is placed in, and $0.01 per GB processed for the first PB
//   (https://aws.amazon.com/privatelink/pricing/, "Interface Endpoint pricing").
// - Gateway VPC endpoint (S3, DynamoDB): no hourly and no per-GB charge
//   (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html, "Pricing").
// - VPC flow logs delivered to CloudWatch Logs are "vended logs": $0.50 per GB ingested for the
//   first 10 TB a month, plus $0.03 per GB-month stored (https://aws.amazon.com/cloudwatch/pricing/,
//   "Logs" tab, "Vended Logs"). EKS control-plane logs are standard CloudWatch Logs ingestion,
//   $0.50 per GB (same page, "Collect (Data Ingestion)").
//
// Checked: 2026-12 against the pages above as quoted on 2026-05 and 2026-06 (usage.ai "AWS network
// costs", zacfukuda.com "NAT Gateway vs VPC Endpoint", both for us-east-1). Other regions cost more
// (eu-west-1: NAT $0.048/h, interface endpoint $0.011/h per AZ). Update the numbers and this date
// together; the README's cost table is generated from them.

/** Hours AWS bills in an average month (8760 / 12). */
export const HOURS_PER_MONTH = 730;

export const PRICES = {
  region: 'us-east-1',
  checked: '2026-12',
  currency: 'USD',
  natGatewayHour: 0.045,
  natGatewayGb: 0.045,
  publicIpv4Hour: 0.005,
  interfaceEndpointAzHour: 0.01,
  interfaceEndpointGb: 0.01,
  gatewayEndpointHour: 0,
  flowLogsCloudWatchGb: 0.5,
  cloudWatchLogsIngestGb: 0.5,
  cloudWatchLogsStorageGbMonth: 0.03,
} as const;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Fixed monthly cost of `natGateways` NAT gateways, each with its Elastic IP, before traffic. */
export const natGatewaysMonthly = (natGateways: number): number =>
  round2(natGateways * (PRICES.natGatewayHour + PRICES.publicIpv4Hour) * HOURS_PER_MONTH);

/** Fixed monthly cost of `endpoints` interface endpoints, each in `zones` zones, before traffic. */
export const interfaceEndpointsMonthly = (endpoints: number, zones: number): number =>
  round2(endpoints * zones * PRICES.interfaceEndpointAzHour * HOURS_PER_MONTH);

/** Monthly cost of `gb` GB of flow logs a month into CloudWatch Logs (ingestion only). */
export const flowLogsMonthly = (gb: number): number => round2(gb * PRICES.flowLogsCloudWatchGb);

/** A monthly amount as people read it: $36.50. */
export const usd = (n: number): string => `$${n.toFixed(2)}`;
