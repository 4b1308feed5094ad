import { Eip, InternetGateway, NatGateway, Route, RouteTable, RouteTableAssociation, Subnet, Vpc } from '../../imports/ec2.aws.m.upbound.io';
import {
  anyOf,
  type ComposedResource,
  type Condition,
  combineFromXr,
  FUNCTIONS,
  fieldIn,
  fromXr,
  Labels,
  mapping,
  merge,
  not,
  observed,
  PATCHED,
  type PlatformApi,
  PlatformComposition,
  prefer,
  present,
  type StatusMap,
  sizeAtLeast,
  stemOf,
  when,
  xr,
} from '../authoring';
import { LAYOUT_NEW_BITS, layoutIndex, TIERS, type Tier, ZONE_SLOTS } from './definition';

/** Every AWS name and tag starts with the cluster's name, else the Network's own. */
const NAMES = stemOf('spec.clusterName', 'metadata.name');
/** Composed resources are labelled by tier and zone slot, so siblings select them. */
const LABELS = new Labels<'tier' | 'zone'>({ tier: 'networks.drydock.dev/tier', zone: 'networks.drydock.dev/zone' });

/** A tier exists unless explicit subnets leave it out (public is always given). */
const tierExists = (tier: Tier): Condition | undefined =>
  tier === 'public' ? undefined : anyOf(not(present('spec.subnets')), present(`spec.subnets.${tier}`));

/** The third zone's resources exist only when three zones are asked for. */
const zoneExists = (slot: number): Condition | undefined => (slot >= 2 ? sizeAtLeast('spec.availabilityZones', slot + 1) : undefined);
const natIn = (slot: number): Condition => (slot === 0 ? fieldIn('spec.nat', ['PerZone', 'Single']) : fieldIn('spec.nat', ['PerZone']));

const TIER_TAGS: Record<Tier, Record<string, string>> = {
  public: { 'kubernetes.io/role/elb': '1' },
  private: { 'kubernetes.io/role/internal-elb': '1' },
  data: {},
};

function subnet(tier: Tier, slot: number): ComposedResource {
  const zone = ZONE_SLOTS[slot];
  const discovery = tier === 'private' ? NAMES.stem('spec.forProvider.tags[karpenter.sh/discovery]') : [];
  return {
    name: `subnet-${tier}-${zone}`,
    base: Subnet.manifest({
      metadata: LABELS.on({ tier, zone }),
      spec: {
        forProvider: {
          region: PATCHED,
          vpcIdSelector: LABELS.select(),
          mapPublicIpOnLaunch: tier === 'public',
          tags: merge({ [LABELS.key('tier')]: tier }, TIER_TAGS[tier]),
        },
      },
    }),
    patches: [
      ...NAMES.tag(`-${tier}-${zone}`),
      // Explicit CIDRs win; else the computed layout, which arrives in the XR status from
      // function-cidr: the subnet is held back until it is there.
      ...prefer(
        [xr(`spec.subnets.${tier}[${slot}]`), xr(`status.subnetCidrs[${layoutIndex(tier, slot)}]`, { required: true })],
        'spec.forProvider.cidrBlock',
      ),
      combineFromXr(['spec.region', `spec.availabilityZones[${slot}]`], '%s%s', 'spec.forProvider.availabilityZone'),
      ...discovery,
    ],
    includeWhen: when(tierExists(tier), zoneExists(slot)),
  };
}

function routeTable(tier: Tier, zone?: string, includeWhen?: Condition): ComposedResource {
  return {
    name: zone ? `route-table-${tier}-${zone}` : `route-table-${tier}`,
    base: RouteTable.manifest({ metadata: LABELS.on({ tier, zone }), spec: { forProvider: { region: PATCHED, vpcIdSelector: LABELS.select() } } }),
    patches: NAMES.tag(zone ? `-${tier}-${zone}` : `-${tier}`),
    includeWhen,
  };
}

function association(tier: Tier, slot: number, perZoneTable: boolean): ComposedResource {
  const zone = ZONE_SLOTS[slot];
  return {
    name: `route-table-association-${tier}-${zone}`,
    base: RouteTableAssociation.manifest({
      spec: {
        forProvider: {
          region: PATCHED,
          subnetIdSelector: LABELS.select({ tier, zone }),
          routeTableIdSelector: LABELS.select(perZoneTable ? { tier, zone } : { tier }),
        },
      },
    }),
    includeWhen: when(tierExists(tier), zoneExists(slot)),
  };
}

function natGateway(slot: number): ComposedResource[] {
  const zone = ZONE_SLOTS[slot];
  const includeWhen = when(natIn(slot), zoneExists(slot));
  return [
    {
      name: `eip-nat-${zone}`,
      base: Eip.manifest({ metadata: LABELS.on({ zone }), spec: { forProvider: { region: PATCHED, domain: 'vpc' } } }),
      patches: NAMES.tag(`-nat-${zone}`),
      includeWhen,
    },
    {
      name: `nat-gateway-${zone}`,
      base: NatGateway.manifest({
        metadata: LABELS.on({ zone }),
        spec: {
          forProvider: {
            region: PATCHED,
            connectivityType: 'public',
            allocationIdSelector: LABELS.select({ zone }),
            subnetIdSelector: LABELS.select({ tier: 'public', zone }),
          },
        },
      }),
      patches: NAMES.tag(`-${zone}`),
      includeWhen,
    },
  ];
}

/** Private route to the internet: through the zone's own NAT (PerZone) or the first zone's (Single). */
function privateDefaultRoute(slot: number): ComposedResource {
  const zone = ZONE_SLOTS[slot];
  return {
    name: `route-private-nat-${zone}`,
    base: Route.manifest({
      spec: {
        forProvider: {
          region: PATCHED,
          destinationCidrBlock: '0.0.0.0/0',
          routeTableIdSelector: LABELS.select({ tier: 'private', zone }),
          natGatewayIdSelector: LABELS.select({ zone }),
        },
      },
    }),
    patches: [
      fromXr('spec.nat', `spec.forProvider.natGatewayIdSelector.matchLabels[${LABELS.key('zone')}]`, {
        transforms: [mapping({ PerZone: zone, Single: ZONE_SLOTS[0], None: zone })],
      }),
    ],
    includeWhen: when(fieldIn('spec.nat', ['PerZone', 'Single']), tierExists('private'), zoneExists(slot)),
  };
}

/** What a Network reports: the IDs Clusters and their databases need, in zone order. */
const STATUS: StatusMap = {
  vpcId: observed('vpc', 'status.atProvider.id'),
  ...Object.fromEntries(
    TIERS.flatMap((tier) =>
      ZONE_SLOTS.map((zone, slot) => [`subnetIds.${tier}[${slot}]`, observed(`subnet-${tier}-${zone}`, 'status.atProvider.id')]),
    ),
  ),
};

export function networkComposition(api: PlatformApi): PlatformComposition {
  const slots = ZONE_SLOTS.map((_, i) => i);
  const resources: ComposedResource[] = [
    {
      name: 'vpc',
      base: Vpc.manifest({ spec: { forProvider: { region: PATCHED, cidrBlock: PATCHED, enableDnsHostnames: true, enableDnsSupport: true } } }),
      patches: [...NAMES.tag(), fromXr('spec.cidr', 'spec.forProvider.cidrBlock', { required: true })],
    },
    {
      name: 'internet-gateway',
      base: InternetGateway.manifest({ spec: { forProvider: { region: PATCHED, vpcIdSelector: LABELS.select() } } }),
      patches: NAMES.tag(),
    },
    ...TIERS.flatMap((tier) => slots.map((slot) => subnet(tier, slot))),
    routeTable('public'),
    {
      name: 'route-public-internet',
      base: Route.manifest({
        spec: {
          forProvider: {
            region: PATCHED,
            destinationCidrBlock: '0.0.0.0/0',
            routeTableIdSelector: LABELS.select({ tier: 'public' }),
            gatewayIdSelector: LABELS.select(),
          },
        },
      }),
    },
    ...slots.map((slot) => association('public', slot, false)),
    ...slots.flatMap(natGateway),
    ...slots.map((slot) => routeTable('private', ZONE_SLOTS[slot], when(tierExists('private'), zoneExists(slot)))),
    ...slots.map(privateDefaultRoute),
    ...slots.map((slot) => association('private', slot, true)),
    routeTable('data', undefined, tierExists('data')),
    ...slots.map((slot) => association('data', slot, false)),
  ];
  return new PlatformComposition({
    api,
    name: 'network-aws',
    placement: { region: 'spec.region', providerConfigName: 'spec.providerConfigName' },
    status: STATUS,
    preSteps: [
      {
        step: 'carve-subnets',
        fn: FUNCTIONS.cidr,
        input: {
          apiVersion: 'cidr.fn.crossplane.io/v1beta1',
          kind: 'Parameters',
          cidrFunc: 'cidrsubnets',
          prefixField: 'spec.cidr',
          newBits: LAYOUT_NEW_BITS,
          outputField: 'status.subnetCidrs',
        },
        reads: ['spec.cidr'],
        writes: ['status.subnetCidrs'],
      },
    ],
    resources,
  });
}
