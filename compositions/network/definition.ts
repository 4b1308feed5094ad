import { CLUSTER_NAME, type JsonSchema, PlatformApi, PROVIDER_CONFIG_NAME, REGION, text } from '../authoring';

/** Zones a Network can span, by slot; a developer picks the letters. */
export const ZONE_SLOTS = ['az1', 'az2', 'az3'] as const;
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
      description: 'Zone letters within the region, two or three, e.g. [a, b, c].',
      default: ['a', 'b', 'c'],
      minItems: 2,
      maxItems: 3,
      'x-kubernetes-list-type': 'set',
      items: { type: 'string', pattern: '^[a-z]$', maxLength: 1 },
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
      description:
        'NAT for the private subnets: PerZone (one NAT gateway per zone, no cross-zone dependency), Single (one shared gateway, cheaper) or None (private subnets have no internet route; put nodes in public subnets).',
      enum: ['PerZone', 'Single', 'None'],
      default: 'PerZone',
    },
    providerConfigName: PROVIDER_CONFIG_NAME,
  },
  'x-kubernetes-validations': [
    ...LAYOUT.rules,
    {
      rule: "!has(self.subnets) || has(self.subnets.private) || self.nat == 'None'",
      message: 'without private subnets the nodes run in the public ones and need no NAT: set nat: None',
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
