// What each Network example composes, as data: which subnets, route tables, routes and NAT
// gateways, tagged and wired how. Rendered by the real renderer (test/composition-cases.ts);
// test/network-render.test.ts checks the CIDR layout and the observed status.
import { describe, expect, it } from 'vitest';
import { LAYOUT_NEW_BITS, layoutIndex, networkApi, networkComposition, TIERS, ZONE_SLOTS } from '../compositions/network';
import { type CompositionCase, describeCases } from './composition-cases';
import { renderSetup } from './support';

const TIER = 'networks.drydock.dev/tier';
const ZONE = 'networks.drydock.dev/zone';
/** `<prefix>-<zone>` for the first `n` zone slots. */
const perZone = (prefix: string, n: number) => ZONE_SLOTS.slice(0, n).map((z) => `${prefix}-${z}`);
const placed = (region: string, account = 'default') => ({
  spec: { forProvider: { region }, providerConfigRef: { kind: 'ClusterProviderConfig', name: account } },
});

const CASES: CompositionCase[] = [
  {
    says: 'minimal: three zones, all tiers, a NAT gateway per zone; private zones route to their own NAT, the data tier nowhere',
    xr: 'minimal.yaml',
    everyResource: placed('eu-west-1'),
    composes: {
      VPC: ['vpc'],
      InternetGateway: ['internet-gateway'],
      Subnet: [...perZone('subnet-public', 3), ...perZone('subnet-private', 3), ...perZone('subnet-data', 3)],
      RouteTable: ['route-table-public', ...perZone('route-table-private', 3), 'route-table-data'],
      Route: ['route-public-internet', ...perZone('route-private-nat', 3)],
      RouteTableAssociation: [
        ...perZone('route-table-association-public', 3),
        ...perZone('route-table-association-private', 3),
        ...perZone('route-table-association-data', 3),
      ],
      EIP: perZone('eip-nat', 3),
      NATGateway: perZone('nat-gateway', 3),
    },
    resources: {
      vpc: { spec: { forProvider: { cidrBlock: '10.0.0.0/16', tags: { Name: 'team-a' } } } },
      'subnet-public-az1': {
        metadata: { labels: { [TIER]: 'public', [ZONE]: 'az1' } },
        spec: {
          forProvider: {
            availabilityZone: 'eu-west-1a',
            mapPublicIpOnLaunch: true,
            tags: { Name: 'team-a-public-az1', [TIER]: 'public', 'kubernetes.io/role/elb': '1' },
          },
        },
      },
      'subnet-private-az2': {
        spec: {
          forProvider: {
            availabilityZone: 'eu-west-1b',
            mapPublicIpOnLaunch: false,
            tags: { Name: 'team-a-private-az2', 'kubernetes.io/role/internal-elb': '1', 'karpenter.sh/discovery': 'team-a' },
          },
        },
      },
      // The data tier is isolated: no load balancer may land there.
      'subnet-data-az1': {
        spec: { forProvider: { mapPublicIpOnLaunch: false, tags: expect.not.objectContaining({ 'kubernetes.io/role/elb': expect.anything() }) } },
      },
      'subnet-data-az2': { spec: { forProvider: { tags: expect.not.objectContaining({ 'kubernetes.io/role/internal-elb': expect.anything() }) } } },
      'route-public-internet': {
        spec: { forProvider: { destinationCidrBlock: '0.0.0.0/0', routeTableIdSelector: { matchLabels: { [TIER]: 'public' } } } },
      },
      'route-private-nat-az2': {
        spec: {
          forProvider: {
            destinationCidrBlock: '0.0.0.0/0',
            routeTableIdSelector: { matchControllerRef: true, matchLabels: { [TIER]: 'private', [ZONE]: 'az2' } },
            natGatewayIdSelector: { matchControllerRef: true, matchLabels: { [ZONE]: 'az2' } },
          },
        },
      },
      'nat-gateway-az3': { spec: { forProvider: { subnetIdSelector: { matchLabels: { [TIER]: 'public', [ZONE]: 'az3' } } } } },
      'route-table-association-data-az1': { spec: { forProvider: { routeTableIdSelector: { matchLabels: { [TIER]: 'data' } } } } },
    },
  },
  {
    says: 'explicit subnets win over the computed layout, the cluster name over the Network name; zones named by ID place subnets by ID',
    xr: 'three-tiers-of-24s.yaml',
    everyResource: placed('us-east-1', 'prod'),
    composes: {
      Subnet: [...perZone('subnet-public', 3), ...perZone('subnet-private', 3), ...perZone('subnet-data', 3)].map((n) => `${n}-zone-id`),
    },
    resources: {
      'subnet-public-az1-zone-id': {
        spec: { forProvider: { cidrBlock: '10.20.0.0/24', availabilityZoneId: 'use1-az1', tags: { Name: 'payments-prod-public-az1' } } },
      },
      'subnet-private-az3-zone-id': {
        spec: { forProvider: { cidrBlock: '10.20.12.0/24', availabilityZoneId: 'use1-az4', tags: { 'karpenter.sh/discovery': 'payments-prod' } } },
      },
      // By ID only: a letter maps to a different zone in each account, and EKS refuses use1-az3.
      'subnet-data-az2-zone-id': {
        spec: { forProvider: { cidrBlock: '10.20.21.0/24', availabilityZoneId: 'use1-az2' } },
      },
    },
  },
  {
    says: 'a single NAT gateway in the first zone serves every private zone; two zones compose nothing for the third',
    xr: 'two-zones-public-22s.yaml',
    composes: { NATGateway: ['nat-gateway-az1'], EIP: ['eip-nat-az1'], Route: ['route-public-internet', ...perZone('route-private-nat', 2)] },
    resources: {
      'route-private-nat-az2': { spec: { forProvider: { natGatewayIdSelector: { matchLabels: { [ZONE]: 'az1' } } } } },
      'subnet-public-az2': { spec: { forProvider: { availabilityZone: 'eu-central-1c', cidrBlock: '10.30.4.0/22' } } },
    },
    absent: [/-az3$/],
  },
  {
    says: 'public and private tiers only: no data subnets, table or associations',
    xr: 'public-and-private.yaml',
    composes: { RouteTable: ['route-table-public', ...perZone('route-table-private', 2)], NATGateway: ['nat-gateway-az1'] },
    absent: [/data/],
  },
  {
    says: 'public subnets only: no private or data tier, no NAT; the nodes run in the public subnets, so Karpenter finds those',
    xr: 'public-only.yaml',
    composes: {
      Subnet: perZone('subnet-public-nodes', 2),
      RouteTable: ['route-table-public'],
      Route: ['route-public-internet'],
      NATGateway: [],
    },
    resources: {
      'subnet-public-nodes-az2': {
        spec: { forProvider: { mapPublicIpOnLaunch: true, tags: { 'karpenter.sh/discovery': 'public-only', 'kubernetes.io/role/elb': '1' } } },
      },
    },
    absent: [/private|data/],
  },
  {
    says: 'a Network in another account: every resource names its ClusterProviderConfig',
    xr: {
      apiVersion: networkApi().apiVersion,
      kind: 'Network',
      metadata: { name: 'elsewhere', namespace: 'payments' },
      spec: { region: 'ap-southeast-2', providerConfigName: 'prod', availabilityZones: ['a', 'b'], nat: 'Single' },
    },
    everyResource: placed('ap-southeast-2', 'prod'),
  },
];

describeCases('Network', CASES, renderSetup({ functions: networkComposition(networkApi()).functions() }));

describe('Network layout', () => {
  it('fits the VPC without gaps: sizes never grow, add up to at most the VPC, one slot per tier and zone', () => {
    const sizes = LAYOUT_NEW_BITS.map((b) => 2 ** -b);
    expect(sizes.reduce((a, b) => a + b)).toBeLessThanOrEqual(1);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    expect(new Set(TIERS.flatMap((t) => ZONE_SLOTS.map((_, i) => layoutIndex(t, i)))).size).toBe(TIERS.length * ZONE_SLOTS.length);
  });
});
