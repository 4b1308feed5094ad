// Structure of the Network composition as synthesized. What the functions make of it at
// run time needs the real renderer (test/render.test.ts).
import { describe, expect, it } from 'vitest';
import { LAYOUT_NEW_BITS, layoutIndex, networkApi, networkComposition, TIERS, ZONE_SLOTS } from '../compositions/network';
import { crds } from './support';

const composition = networkComposition(networkApi('platform.drydock.dev'));
const spec = composition.spec();
const step = (name: string) => spec.pipeline.find((s: any) => s.step === name);
const resources: any[] = step('patch-and-transform').input.resources;
const resource = (name: string) => {
  const r = resources.find((x) => x.name === name);
  if (!r) throw new Error(`no resource ${name}`);
  return r;
};
const filters: { name: string; expression: string }[] = step('drop-unused-resources').input.filters;
/** The cel-filter expression that decides whether `name` is composed, if any. */
const conditionOf = (name: string) => filters.find((f) => new RegExp(`^${f.name}$`).test(name))?.expression;

describe('Network composition', () => {
  it('passes the authoring checks (every path exists, every XRD field is used)', () => {
    expect(composition.problems(crds())).toEqual([]);
  });

  it('runs cidr, patch-and-transform, cel-filter, auto-ready in that order', () => {
    expect(spec.pipeline.map((s: any) => s.functionRef.name)).toEqual([
      'function-cidr',
      'function-patch-and-transform',
      'function-cel-filter',
      'function-auto-ready',
    ]);
  });

  it('carves nine subnets from spec.cidr into status.subnetCidrs', () => {
    expect(step('carve-subnets').input).toEqual({
      apiVersion: 'cidr.fn.crossplane.io/v1beta1',
      kind: 'Parameters',
      cidrFunc: 'cidrsubnets',
      prefixField: 'spec.cidr',
      newBits: [2, 2, 2, 5, 5, 5, 5, 5, 5],
      outputField: 'status.subnetCidrs',
    });
  });

  it('uses a layout that fits the VPC without gaps: sizes never grow and add up to at most the VPC', () => {
    const sizes = LAYOUT_NEW_BITS.map((b) => 2 ** -b);
    expect(sizes.reduce((a, b) => a + b)).toBeLessThanOrEqual(1);
    expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
    expect(new Set(TIERS.flatMap((t) => ZONE_SLOTS.map((_, i) => layoutIndex(t, i)))).size).toBe(9);
  });

  it('composes 35 resources at most, each with a unique name', () => {
    expect(resources).toHaveLength(35);
    expect(new Set(resources.map((r) => r.name)).size).toBe(35);
  });

  it.each(TIERS.flatMap((t) => ZONE_SLOTS.map((z, i) => [t, z, i] as const)))(
    'subnet %s %s: computed CIDR held back until known, explicit CIDR wins',
    (tier, zone, slot) => {
      const patches = resource(`subnet-${tier}-${zone}`).patches;
      const cidrPatches = patches.filter((p: any) => p.toFieldPath === 'spec.forProvider.cidrBlock');
      expect(cidrPatches).toEqual([
        {
          type: 'FromCompositeFieldPath',
          fromFieldPath: `status.subnetCidrs[${layoutIndex(tier, slot)}]`,
          toFieldPath: 'spec.forProvider.cidrBlock',
          policy: { fromFieldPath: 'Required' },
        },
        { type: 'FromCompositeFieldPath', fromFieldPath: `spec.subnets.${tier}[${slot}]`, toFieldPath: 'spec.forProvider.cidrBlock' },
      ]);
      expect(patches).toContainEqual({
        type: 'CombineFromComposite',
        combine: {
          variables: [{ fromFieldPath: 'spec.region' }, { fromFieldPath: `spec.availabilityZones[${slot}]` }],
          strategy: 'string',
          string: { fmt: '%s%s' },
        },
        toFieldPath: 'spec.forProvider.availabilityZone',
      });
      expect(patches).toContainEqual({
        type: 'ToCompositeFieldPath',
        fromFieldPath: 'status.atProvider.id',
        toFieldPath: `status.subnetIds.${tier}[${slot}]`,
      });
    },
  );

  it('tags subnets for load balancers and Karpenter discovery', () => {
    expect(resource('subnet-public-az1').base.spec.forProvider).toMatchObject({ mapPublicIpOnLaunch: true, tags: { 'kubernetes.io/role/elb': '1' } });
    const priv = resource('subnet-private-az2');
    expect(priv.base.spec.forProvider).toMatchObject({ mapPublicIpOnLaunch: false, tags: { 'kubernetes.io/role/internal-elb': '1' } });
    expect(
      priv.patches.filter((p: any) => p.toFieldPath === 'spec.forProvider.tags[karpenter.sh/discovery]').map((p: any) => p.fromFieldPath),
    ).toEqual(['metadata.name', 'spec.clusterName']);
    expect(resource('subnet-data-az1').base.spec.forProvider.tags).toEqual({ 'networks.drydock.dev/tier': 'data' });
  });

  it('composes third-zone resources only for three zones', () => {
    for (const r of resources) {
      const third = r.name.endsWith('-az3');
      expect(conditionOf(r.name)?.includes('size(observed.composite.resource.spec.availabilityZones) >= 3') ?? false, r.name).toBe(third);
    }
  });

  it('composes NAT gateways per zone (PerZone), in the first zone only (Single), or not at all (None)', () => {
    expect(conditionOf('nat-gateway-az1')).toBe("observed.composite.resource.spec.nat in ['PerZone', 'Single']");
    expect(conditionOf('eip-nat-az1')).toBe("observed.composite.resource.spec.nat in ['PerZone', 'Single']");
    expect(conditionOf('nat-gateway-az2')).toBe("observed.composite.resource.spec.nat in ['PerZone']");
    expect(conditionOf('route-private-nat-az2')).toBe(
      "(observed.composite.resource.spec.nat in ['PerZone', 'Single']) && ((!(has(observed.composite.resource.spec) && has(observed.composite.resource.spec.subnets))) || (has(observed.composite.resource.spec) && has(observed.composite.resource.spec.subnets) && has(observed.composite.resource.spec.subnets.private)))",
    );
  });

  it('composes the private and data tiers unless explicit subnets leave them out', () => {
    const tierGiven = (tier: string) =>
      `(!(has(observed.composite.resource.spec) && has(observed.composite.resource.spec.subnets))) || (has(observed.composite.resource.spec) && has(observed.composite.resource.spec.subnets) && has(observed.composite.resource.spec.subnets.${tier}))`;
    expect(conditionOf('route-table-data')).toBe(tierGiven('data'));
    expect(conditionOf('subnet-private-az1')).toBe(tierGiven('private'));
    expect(conditionOf('subnet-public-az1')).toBeUndefined();
  });

  it("routes each private zone to its own NAT (PerZone) or to the first zone's (Single)", () => {
    for (const zone of ZONE_SLOTS) {
      const route = resource(`route-private-nat-${zone}`);
      expect(route.base.spec.forProvider.destinationCidrBlock).toBe('0.0.0.0/0');
      expect(route.base.spec.forProvider.routeTableIdSelector).toEqual({
        matchControllerRef: true,
        matchLabels: { 'networks.drydock.dev/tier': 'private', 'networks.drydock.dev/zone': zone },
      });
      const pick = route.patches.find((p: any) => p.toFieldPath === 'spec.forProvider.natGatewayIdSelector.matchLabels[networks.drydock.dev/zone]');
      expect(pick.transforms[0].map, zone).toEqual({ PerZone: zone, Single: 'az1', None: zone });
    }
  });

  it('gives the data tier no route out of the VPC', () => {
    const routes = resources.filter((r) => r.base.kind === 'Route');
    expect(routes.map((r) => r.base.spec.forProvider.routeTableIdSelector.matchLabels['networks.drydock.dev/tier'])).not.toContain('data');
    expect(resource('route-public-internet').base.spec.forProvider).toMatchObject({
      destinationCidrBlock: '0.0.0.0/0',
      gatewayIdSelector: { matchControllerRef: true },
    });
  });

  it('sets region and account on every resource, the region as Required', () => {
    for (const r of resources) {
      expect(r.patches, r.name).toContainEqual({
        type: 'FromCompositeFieldPath',
        fromFieldPath: 'spec.region',
        toFieldPath: 'spec.forProvider.region',
        policy: { fromFieldPath: 'Required' },
      });
      expect(r.patches, r.name).toContainEqual({
        type: 'FromCompositeFieldPath',
        fromFieldPath: 'spec.providerConfigName',
        toFieldPath: 'spec.providerConfigRef.name',
      });
    }
  });
});
