import { Eip, InternetGateway, NatGateway, Route, RouteTable, RouteTableAssociation, Subnet, Vpc } from '../../imports/ec2.aws.m.upbound.io';
import {
  allOf,
  anyOf,
  type ComposedResource,
  type Condition,
  combineFromXr,
  FUNCTIONS,
  fieldIn,
  firstPresent,
  fromXr,
  mapping,
  not,
  PATCHED,
  type Patch,
  type PlatformApi,
  PlatformComposition,
  present,
  sizeAtLeast,
  toXr,
} from '../authoring';
import { LAYOUT_NEW_BITS, layoutIndex, TIERS, type Tier, ZONE_SLOTS } from './definition';

const TIER_LABEL = 'networks.drydock.dev/tier';
const ZONE_LABEL = 'networks.drydock.dev/zone';

/** The Name tag: `<cluster>-<suffix>`, the cluster being spec.clusterName, else the Network's name. */
const nameTag = (suffix: string): Patch[] =>
  firstPresent(['spec.clusterName', 'metadata.name'], 'spec.forProvider.tags[Name]', { format: `%s${suffix}` });

/** Select a sibling composed resource of this XR, optionally by tier and zone slot. */
function sibling(labels: { tier?: Tier; zone?: string } = {}) {
  const matchLabels: Record<string, string> = {};
  if (labels.tier) matchLabels[TIER_LABEL] = labels.tier;
  if (labels.zone) matchLabels[ZONE_LABEL] = labels.zone;
  return { matchControllerRef: true, ...(Object.keys(matchLabels).length ? { matchLabels } : {}) };
}

function labels(tier?: Tier, zone?: string) {
  return { labels: { ...(tier ? { [TIER_LABEL]: tier } : {}), ...(zone ? { [ZONE_LABEL]: zone } : {}) } };
}

/** A tier exists unless explicit subnets leave it out (public is always given). */
const tierExists = (tier: Tier): Condition | undefined =>
  tier === 'public' ? undefined : anyOf(not(present('spec.subnets')), present(`spec.subnets.${tier}`));

/** The third zone's resources exist only when three zones are asked for. */
const zoneExists = (slot: number): Condition | undefined => (slot >= 2 ? sizeAtLeast('spec.availabilityZones', slot + 1) : undefined);
const natIn = (slot: number): Condition => (slot === 0 ? fieldIn('spec.nat', ['PerZone', 'Single']) : fieldIn('spec.nat', ['PerZone']));
const when = (...conditions: (Condition | undefined)[]): Condition | undefined => {
  const c = conditions.filter((x): x is Condition => x !== undefined);
  return c.length ? allOf(...c) : undefined;
};

const TIER_TAGS: Record<Tier, Record<string, string>> = {
  public: { 'kubernetes.io/role/elb': '1' },
  private: { 'kubernetes.io/role/internal-elb': '1' },
  data: {},
};

function subnet(tier: Tier, slot: number): ComposedResource {
  const zone = ZONE_SLOTS[slot];
  const discovery = tier === 'private' ? firstPresent(['spec.clusterName', 'metadata.name'], 'spec.forProvider.tags[karpenter.sh/discovery]') : [];
  return {
    name: `subnet-${tier}-${zone}`,
    base: Subnet.manifest({
      metadata: labels(tier, zone),
      spec: {
        forProvider: {
          region: PATCHED,
          vpcIdSelector: sibling(),
          mapPublicIpOnLaunch: tier === 'public',
          tags: { [TIER_LABEL]: tier, ...TIER_TAGS[tier] },
        },
      },
    }),
    patches: [
      ...nameTag(`-${tier}-${zone}`),
      // The computed layout arrives in the XR status from function-cidr; hold the subnet
      // back until it is there, then let explicit CIDRs override it.
      fromXr(`status.subnetCidrs[${layoutIndex(tier, slot)}]`, 'spec.forProvider.cidrBlock', { required: true }),
      fromXr(`spec.subnets.${tier}[${slot}]`, 'spec.forProvider.cidrBlock'),
      combineFromXr(['spec.region', `spec.availabilityZones[${slot}]`], '%s%s', 'spec.forProvider.availabilityZone'),
      ...discovery,
      toXr('status.atProvider.id', `status.subnetIds.${tier}[${slot}]`),
    ],
    includeWhen: when(tierExists(tier), zoneExists(slot)),
  };
}

function routeTable(tier: Tier, zone?: string, includeWhen?: Condition): ComposedResource {
  return {
    name: zone ? `route-table-${tier}-${zone}` : `route-table-${tier}`,
    base: RouteTable.manifest({ metadata: labels(tier, zone), spec: { forProvider: { region: PATCHED, vpcIdSelector: sibling() } } }),
    patches: nameTag(zone ? `-${tier}-${zone}` : `-${tier}`),
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
          subnetIdSelector: sibling({ tier, zone }),
          routeTableIdSelector: sibling(perZoneTable ? { tier, zone } : { tier }),
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
      base: Eip.manifest({ metadata: labels(undefined, zone), spec: { forProvider: { region: PATCHED, domain: 'vpc' } } }),
      patches: nameTag(`-nat-${zone}`),
      includeWhen,
    },
    {
      name: `nat-gateway-${zone}`,
      base: NatGateway.manifest({
        metadata: labels(undefined, zone),
        spec: {
          forProvider: {
            region: PATCHED,
            connectivityType: 'public',
            allocationIdSelector: sibling({ zone }),
            subnetIdSelector: sibling({ tier: 'public', zone }),
          },
        },
      }),
      patches: nameTag(`-${zone}`),
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
          routeTableIdSelector: sibling({ tier: 'private', zone }),
          natGatewayIdSelector: sibling({ zone }),
        },
      },
    }),
    patches: [
      fromXr('spec.nat', `spec.forProvider.natGatewayIdSelector.matchLabels[${ZONE_LABEL}]`, {
        transforms: [mapping({ PerZone: zone, Single: ZONE_SLOTS[0], None: zone })],
      }),
    ],
    includeWhen: when(fieldIn('spec.nat', ['PerZone', 'Single']), tierExists('private'), zoneExists(slot)),
  };
}

export function networkComposition(api: PlatformApi): PlatformComposition {
  const slots = ZONE_SLOTS.map((_, i) => i);
  const resources: ComposedResource[] = [
    {
      name: 'vpc',
      base: Vpc.manifest({ spec: { forProvider: { region: PATCHED, cidrBlock: PATCHED, enableDnsHostnames: true, enableDnsSupport: true } } }),
      patches: [...nameTag(''), fromXr('spec.cidr', 'spec.forProvider.cidrBlock', { required: true }), toXr('status.atProvider.id', 'status.vpcId')],
    },
    {
      name: 'internet-gateway',
      base: InternetGateway.manifest({ spec: { forProvider: { region: PATCHED, vpcIdSelector: sibling() } } }),
      patches: nameTag(''),
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
            routeTableIdSelector: sibling({ tier: 'public' }),
            gatewayIdSelector: sibling(),
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
