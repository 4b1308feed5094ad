import { Eip, InternetGateway, NatGateway, Route, RouteTable, RouteTableAssociation, Subnet, Vpc } from '../../imports/ec2.aws.m.upbound.io';
import {
  allOf,
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
  regexp,
  type StatusMap,
  sizeAtLeast,
  stemOf,
  when,
  xr,
} from '../authoring';
import { LAYOUT_NEW_BITS, layoutIndex, TIERS, type Tier, ZONE_ID, ZONE_SLOTS } from './definition';

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

/** Zones named by ID (use1-az1) rather than letter: the XRD allows only one kind per list. */
const ZONES_BY_ID: Condition = {
  expression: `${present('spec.availabilityZones').expression} && observed.composite.resource.spec.availabilityZones.all(z, z.matches('${ZONE_ID}'))`,
  reads: ['spec.availabilityZones'],
};
/** The public-only layout: explicit subnets without a private tier, so the nodes run in the public ones. */
const NODES_IN_PUBLIC: Condition = allOf(present('spec.subnets'), not(present('spec.subnets.private')));

const TIER_TAGS: Record<Tier, Record<string, string>> = {
  public: { 'kubernetes.io/role/elb': '1' },
  private: { 'kubernetes.io/role/internal-elb': '1' },
  data: {},
};

/**
 * How a subnet is placed and what it hosts. Each is its own composed resource, since a patch
 * cannot be conditional: by zone letter (region + letter) or by zone ID (`availabilityZoneId`,
 * the same physical zone in every account); and for public subnets, whether the nodes run there
 * (the public-only layout), which makes them Karpenter's subnets too.
 */
interface SubnetVariant {
  readonly byId: boolean;
  readonly nodes: boolean;
}
const variants = (tier: Tier): SubnetVariant[] =>
  [false, true].flatMap((byId) => (tier === 'public' ? [false, true] : [false]).map((nodes) => ({ byId, nodes })));
const variantName = (tier: Tier, zone: string, v: SubnetVariant) => `subnet-${tier}${v.nodes ? '-nodes' : ''}-${zone}${v.byId ? '-zone-id' : ''}`;

function subnet(tier: Tier, slot: number, v: SubnetVariant): ComposedResource {
  const zone = ZONE_SLOTS[slot];
  // Karpenter's EC2NodeClass finds the nodes' subnets by this tag: the private ones, or the public
  // ones where there are no private ones.
  const discovery = tier === 'private' || v.nodes ? NAMES.stem('spec.forProvider.tags[karpenter.sh/discovery]') : [];
  return {
    name: variantName(tier, zone, v),
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
      v.byId
        ? fromXr(`spec.availabilityZones[${slot}]`, 'spec.forProvider.availabilityZoneId')
        : combineFromXr(['spec.region', `spec.availabilityZones[${slot}]`], '%s%s', 'spec.forProvider.availabilityZone'),
      ...discovery,
    ],
    includeWhen: when(
      tierExists(tier),
      zoneExists(slot),
      v.byId ? ZONES_BY_ID : not(ZONES_BY_ID),
      tier === 'public' ? (v.nodes ? NODES_IN_PUBLIC : not(NODES_IN_PUBLIC)) : undefined,
    ),
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
      ZONE_SLOTS.map((zone, slot) => [
        `subnetIds.${tier}[${slot}]`,
        variants(tier).map((v) => observed(variantName(tier, zone, v), 'status.atProvider.id')),
      ]),
    ),
  ),
  // The zones AWS placed the subnets in (us-east-1d), whichever way they were named, and their
  // letters in this account: what can only be placed by letter (an RDS instance) follows them.
  ...Object.fromEntries(
    ZONE_SLOTS.flatMap((zone, slot) => [
      [
        `availabilityZoneNames[${slot}]`,
        variants('public').map((v) => observed(variantName('public', zone, v), 'status.atProvider.availabilityZone')),
      ],
      [
        `availabilityZoneLetters[${slot}]`,
        variants('public').map((v) =>
          observed(variantName('public', zone, v), 'status.atProvider.availabilityZone', { transforms: [regexp('[a-z]$')] }),
        ),
      ],
    ]),
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
    ...TIERS.flatMap((tier) => slots.flatMap((slot) => variants(tier).map((v) => subnet(tier, slot, v)))),
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
