import { EKS_REFUSED_ZONE_IDS, EKS_ZONE_ID_SUGGESTIONS } from '../../catalog/eks-network';
import { natGatewaysMonthly, PRICES, usd } from '../../catalog/prices';
import { AWS_REGION_CODES, zoneIdPrefix } from '../../catalog/regions';
import { CLUSTER_NAME, type JsonSchema, PlatformApi, PROVIDER_CONFIG_NAME, REGION, text } from '../authoring';

/** Zones a Network can span, by slot; a developer names them by letter or by zone ID. */
export const ZONE_SLOTS = ['az1', 'az2', 'az3'] as const;

/** A zone ID (use1-az1): the same physical zone in every account, unlike a letter. */
export const ZONE_ID = '^[a-z]{2,5}[0-9]-az[0-9]{1,2}$';
const ZONE_LETTER = '^[a-z]$';
const celMap = (m: Record<string, string>) =>
  `{${Object.entries(m)
    .map(([k, v]) => `'${k}': '${v}'`)
    .join(', ')}}`;
const celList = (l: readonly string[]) => `[${l.map((v) => `'${v}'`).join(', ')}]`;
const PREFIXES = celMap(Object.fromEntries(AWS_REGION_CODES.map((r) => [r, zoneIdPrefix(r)])));
const REFUSED = Object.values(EKS_REFUSED_ZONE_IDS).flat();

/**
 * Rules between the region and the zones, where both are in view (`spec` of a Network, of a
 * Cluster): zone IDs belong to the region, and EKS never gets a zone it refuses. In the regions
 * where EKS refuses a zone ID, zones must be named by ID: a letter maps to a different zone in
 * each account, so a letter can never be checked (catalog/eks-network.ts).
 */
export function zoneRules(region: string, zones: string, fieldPath: string): JsonSchema[] {
  const byId = `${zones}.all(z, z.matches('${ZONE_ID}'))`;
  const strictRegions = celList(Object.keys(EKS_REFUSED_ZONE_IDS));
  const refusedIn = celMap(Object.fromEntries(Object.entries(EKS_REFUSED_ZONE_IDS).map(([r, ids]) => [r, ids.join(', ')])));
  const suggested = celMap(Object.fromEntries(Object.entries(EKS_ZONE_ID_SUGGESTIONS).map(([r, ids]) => [r, ids.join(', ')])));
  return [
    {
      rule: `!(${region} in ${PREFIXES}) || !(${byId}) || ${zones}.all(z, z.startsWith(${PREFIXES}[${region}] + '-az'))`,
      messageExpression: `'zone IDs of ' + ${region} + ' start with ' + ${PREFIXES}[${region}] + '-az (e.g. ' + ${PREFIXES}[${region}] + '-az1): give zones of the region'`,
      message: "zone IDs must be the region's: use1-az1 is in us-east-1, euw1-az1 in eu-west-1",
      fieldPath,
    },
    {
      rule: `!(${region} in ${strictRegions}) || ${byId}`,
      messageExpression: `'in ' + ${region} + ' zone letters map to a different zone in each AWS account, and EKS refuses subnets in ' + ${refusedIn}[${region}] + ': name the zones by ID, e.g. availabilityZones: [' + ${suggested}[${region}] + ']'`,
      message: 'in us-east-1, us-west-1 and ca-central-1 EKS refuses a zone ID, which a zone letter may map to: name the zones by ID',
      fieldPath,
    },
    {
      rule: `${zones}.all(z, !(z in ${celList(REFUSED)}))`,
      message: `EKS refuses cluster subnets in ${REFUSED.join(', ')} (EKS network requirements): pick another zone ID of the region`,
      fieldPath,
    },
  ];
}
export const TIERS = ['public', 'private', 'data'] as const;
export type Tier = (typeof TIERS)[number];

/**
 * How the computed layout carves the VPC: function-cidr's cidrsubnets with these new bits, in
 * this order: private x3, public x3, data x3. Three zones are always reserved so adding a
 * third zone later moves no subnet. A /16 gives private /18s, public and data /21s.
 */
export const LAYOUT_NEW_BITS = [2, 2, 2, 5, 5, 5, 5, 5, 5];
export const layoutIndex = (tier: Tier, slot: number) => ({ private: 0, public: 3, data: 6 })[tier] + slot;

/** CEL: `x` is an IPv4 CIDR. Every other CIDR rule is guarded by it, so bad input gets one clear error. */
const v4 = (x: string) => `(isCIDR(${x}) && cidr(${x}).ip().family() == 4)`;

const CIDR_RULES = [
  { rule: v4('self'), message: 'must be an IPv4 CIDR such as 10.0.0.0/16' },
  {
    rule: `!${v4('self')} || string(cidr(self).masked()) == self`,
    messageExpression: "self + ' has host bits set: give the first address of the block (e.g. 10.0.0.0/20, not 10.0.1.0/20)'",
    message: 'CIDR has host bits set: give the first address of the block (e.g. 10.0.0.0/20, not 10.0.1.0/20)',
  },
];

const subnetList = (tier: Tier, purpose: string): JsonSchema => ({
  type: 'array',
  description: `CIDRs of the ${tier} subnets (${purpose}), one per availability zone, in zone order.`,
  minItems: 2,
  maxItems: 3,
  items: {
    type: 'string',
    maxLength: 18,
    'x-kubernetes-validations': [
      ...CIDR_RULES,
      {
        rule: `!${v4('self')} || (cidr(self).prefixLength() >= 16 && cidr(self).prefixLength() <= 28)`,
        message: 'a subnet must be between /16 and /28 (AWS limits)',
      },
    ],
  },
});

// CEL building blocks for the spec-level rules. They apply only when subnets are given (public
// always, private and data optional) and skip malformed CIDRs: their own field's rules say why.
const SUBNETS_GIVEN = 'has(self.subnets)';
const tier = (t: string) => `(has(self.subnets.${t}) ? self.subnets.${t} : [])`;
const ALL_SUBNETS = `self.subnets.public + ${tier('private')} + ${tier('data')}`;
const GIVEN_TIERS = `[self.subnets.public] + (has(self.subnets.private) ? [self.subnets.private] : []) + (has(self.subnets.data) ? [self.subnets.data] : [])`;
const OVERLAP = '(cidr(a).containsIP(cidr(b).ip()) || cidr(b).containsIP(cidr(a).ip()))';

/**
 * The address layout of a network: VPC CIDR, zones and optional explicit subnets, with the CEL
 * rules that keep them consistent. Shared by the Network API and the Cluster API's
 * \`spec.network\`, so both refuse the same input with the same words.
 */
export const LAYOUT: { properties: Record<string, JsonSchema>; rules: JsonSchema[] } = {
  properties: {
    cidr: {
      type: 'string',
      description:
        'VPC CIDR, /16 to /24. Without explicit subnets it must be /23 or larger and is carved automatically: private /18s, public and data /21s for a /16.',
      default: '10.0.0.0/16',
      maxLength: 18,
      'x-kubernetes-validations': [
        ...CIDR_RULES,
        {
          rule: `!${v4('self')} || (cidr(self).prefixLength() >= 16 && cidr(self).prefixLength() <= 24)`,
          message: 'a VPC CIDR must be between /16 and /24 (AWS limits)',
        },
      ],
    },
    availabilityZones: {
      type: 'array',
      description:
        'Two or three zones: letters within the region (a, b, c), or zone IDs (use1-az1, use1-az2, use1-az4), which name the same physical zone in every account. In us-east-1, us-west-1 and ca-central-1, where EKS refuses one zone ID, give zone IDs.',
      default: ['a', 'b', 'c'],
      minItems: 2,
      maxItems: 3,
      'x-kubernetes-list-type': 'set',
      items: { type: 'string', pattern: '^([a-z]|[a-z]{2,5}[0-9]-az[0-9]{1,2})$', maxLength: 12 },
      'x-kubernetes-validations': [
        {
          rule: `self.all(z, z.matches('${ZONE_LETTER}')) || self.all(z, z.matches('${ZONE_ID}'))`,
          message: 'availabilityZones are all letters (a, b, c) or all zone IDs (use1-az1...), not a mix',
        },
      ],
    },
    subnets: {
      type: 'object',
      description:
        'Explicit subnet CIDRs, replacing the computed layout: public always; private (nodes) unless nodes run in the public subnets; data (databases) when there are private ones.',
      required: ['public'],
      properties: {
        public: subnetList('public', 'load balancers, NAT gateways'),
        private: subnetList('private', 'nodes and pods'),
        data: subnetList('data', 'databases; no internet route'),
      },
    },
  },
  rules: [
    {
      rule: `has(self.subnets) || !${v4('self.cidr')} || cidr(self.cidr).prefixLength() <= 23`,
      messageExpression: "'VPC CIDR ' + self.cidr + ' is too small to carve automatically: use /23 or larger, or give subnets explicitly'",
      message: 'VPC CIDR is too small to carve automatically: use /23 or larger, or give subnets explicitly',
    },
    {
      rule: `!${SUBNETS_GIVEN} || (${GIVEN_TIERS}).all(t, size(t) == size(self.availabilityZones))`,
      message: 'subnets.public, private and data each need exactly one CIDR per availability zone',
    },
    {
      rule: `!${SUBNETS_GIVEN} || !has(self.subnets.data) || has(self.subnets.private)`,
      message: 'subnets.data needs subnets.private: give private subnets for the nodes, or leave out data',
    },
    {
      rule: `!${SUBNETS_GIVEN} || !${v4('self.cidr')} || (${ALL_SUBNETS}).all(s, !${v4('s')} || cidr(self.cidr).containsCIDR(s))`,
      messageExpression: `'every subnet must lie inside the VPC CIDR ' + self.cidr`,
      message: 'every subnet must lie inside the VPC CIDR',
    },
    {
      rule: `!${SUBNETS_GIVEN} || (${ALL_SUBNETS}).all(a, !${v4('a')} || (${ALL_SUBNETS}).exists_one(b, ${v4('b')} && ${OVERLAP}))`,
      message: 'subnets must not overlap each other (or repeat): give every subnet its own block',
    },
  ],
};

/**
 * Why a network with private subnets needs NAT: nothing else gets its nodes out. VPC endpoints
 * could (catalog/eks-network.ts lists the ones a cluster needs), but provider-upjet-aws's namespaced
 * VPCEndpoint takes its subnets, security groups and route tables only through association kinds
 * whose CRDs this platform does not have yet; until it does, no NAT means nodes that never join.
 */
export const NAT_NONE_REFUSED = `nat: None leaves the private subnets without a way out: nodes there cannot pull images or reach AWS APIs (STS, EKS, EC2) and never join. Use nat: Single (one NAT gateway, about ${usd(natGatewaysMonthly(1))} a month in ${PRICES.region}) or PerZone, or the public-only layout (only subnets.public) for nodes in public subnets`;

const spec: JsonSchema = {
  type: 'object',
  description:
    'An AWS network for one workload cluster: a VPC with public, private (nodes) and isolated data subnets in two or three availability zones.',
  required: ['region'],
  properties: {
    region: REGION,
    clusterName: {
      ...CLUSTER_NAME,
      description:
        'Name of the EKS cluster that will use this network; used in Name tags and the karpenter.sh/discovery tag. Defaults to the Network name.',
    },
    ...LAYOUT.properties,
    nat: {
      type: 'string',
      description: `NAT for the private subnets: PerZone (one NAT gateway per zone, no cross-zone dependency), Single (one shared gateway, cheaper) or None (only for the public-only layout, where nodes run in the public subnets). Each NAT gateway costs about ${usd(natGatewaysMonthly(1))} a month before traffic (${PRICES.region} list price, catalog/prices.ts).`,
      enum: ['PerZone', 'Single', 'None'],
      default: 'PerZone',
    },
    providerConfigName: PROVIDER_CONFIG_NAME,
  },
  'x-kubernetes-validations': [
    ...LAYOUT.rules,
    ...zoneRules('self.region', 'self.availabilityZones', '.availabilityZones'),
    {
      rule: "!has(self.subnets) || has(self.subnets.private) || self.nat == 'None'",
      message: 'without private subnets the nodes run in the public ones and need no NAT: set nat: None',
    },
    {
      rule: "self.nat != 'None' || (has(self.subnets) && !has(self.subnets.private))",
      message: NAT_NONE_REFUSED,
    },
    {
      // Public subnets change resources with the layout (Karpenter's tag), and nodes would move.
      rule: '(has(self.subnets) && !has(self.subnets.private)) == (has(oldSelf.subnets) && !has(oldSelf.subnets.private))',
      message: 'whether nodes run in public or private subnets cannot change: create a new Network for the other layout',
    },
  ],
};

const subnetIds = (tier: Tier): JsonSchema => ({
  type: 'array',
  description: `IDs of the ${tier} subnets, in zone order.`,
  // Written one zone at a time as subnets become observed; a gap is null until then.
  items: { type: 'string', nullable: true },
});

const status: JsonSchema = {
  type: 'object',
  properties: {
    vpcId: text('ID of the VPC.'),
    subnetCidrs: {
      type: 'array',
      description: 'Internal: the computed layout (private x3, public x3, data x3), written by function-cidr; explicit spec.subnets override it.',
      items: text(),
    },
    subnetIds: {
      type: 'object',
      description: 'Subnet IDs per tier, for the EKS cluster (private), load balancers (public) and databases (data).',
      properties: { public: subnetIds('public'), private: subnetIds('private'), data: subnetIds('data') },
    },
    availabilityZoneNames: {
      type: 'array',
      description: 'The zones AWS placed the subnets in, by name (eu-west-1a), in zone order: the same for every tier.',
      items: { type: 'string', nullable: true },
    },
    availabilityZoneLetters: {
      type: 'array',
      description: 'The letters of those zones in this account (a for eu-west-1a), for what AWS places by letter only (database instances).',
      items: { type: 'string', nullable: true },
    },
  },
};

export function networkApi(): PlatformApi {
  return new PlatformApi({
    kind: 'Network',
    plural: 'networks',
    spec,
    status,
    printerColumns: {
      REGION: '.spec.region',
      CIDR: '.spec.cidr',
      VPC: '.status.vpcId',
    },
  });
}
