// What the real renderer makes of the Network examples: layout, tags, NAT, and the status an
// observed network reports. (test/render.test.ts validates every rendered resource.)
//
// Needs crank and the functions in the tool cache (lib/tools.ts); without them these tests are
// reported skipped with the reason, and the always-on checks (composed-samples.test.ts) remain.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { networkApi, networkComposition, TIERS } from '../compositions/network';
import { repoRoot } from '../lib/paths';
import { readObservedFixture } from '../lib/render';
import { examples, renderSetup } from './support';

const DIR = 'compositions/network/examples';
const setup = renderSetup({ functions: networkComposition(networkApi()).functions() });

describe.skipIf(!setup.ready)('Network rendered by crank with the real functions', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  it.each(examples(DIR).map((e) => [e.file, e.object]))('%s: subnets, zones, NAT gateways and routes as the XR asks', (_f, xr: any) => {
    const out = setup.render(xr);
    const zones: string[] = xr.spec.availabilityZones ?? ['a', 'b', 'c'];
    const tiers = TIERS.filter((t) => !xr.spec.subnets || xr.spec.subnets[t]);
    const subnets = out.ofKind('Subnet');
    expect(subnets).toHaveLength(tiers.length * zones.length);
    for (const s of subnets) {
      expect(s.spec.forProvider.cidrBlock).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
      expect(s.spec.providerConfigRef).toEqual({ kind: 'ClusterProviderConfig', name: xr.spec.providerConfigName ?? 'default' });
    }
    // Placed by zone ID when the XR names zones by ID, else by region and letter; never both.
    const byId = zones.every((z) => z.includes('-az'));
    for (const tier of tiers) {
      const given: string[] | undefined = xr.spec.subnets?.[tier];
      const rendered = zones.map((_z, i) =>
        subnets.find(
          (s) => s.metadata.labels['networks.drydock.dev/tier'] === tier && s.metadata.labels['networks.drydock.dev/zone'] === `az${i + 1}`,
        ),
      );
      expect(rendered.map((s) => [s.spec.forProvider.availabilityZone, s.spec.forProvider.availabilityZoneId])).toEqual(
        zones.map((z) => (byId ? [undefined, z] : [`${xr.spec.region}${z}`, undefined])),
      );
      if (given) expect(rendered.map((s) => s.spec.forProvider.cidrBlock)).toEqual(given);
    }
    // Karpenter finds the nodes' subnets by their tag: the private ones, or the public ones where there are none.
    const nodeTier = tiers.includes('private') ? 'private' : 'public';
    for (const s of subnets)
      expect(s.spec.forProvider.tags['karpenter.sh/discovery'], s.metadata.annotations['crossplane.io/composition-resource-name']).toBe(
        s.metadata.labels['networks.drydock.dev/tier'] === nodeTier ? (xr.spec.clusterName ?? xr.metadata.name) : undefined,
      );
    const nat = (xr.spec.nat ?? 'PerZone') as 'PerZone' | 'Single' | 'None';
    expect(out.ofKind('NATGateway')).toHaveLength({ PerZone: zones.length, Single: 1, None: 0 }[nat]);
    expect(out.ofKind('Route').filter((r) => r.spec.forProvider.natGatewayIdSelector)).toHaveLength(nat === 'None' ? 0 : zones.length);
    expect(out.ofKind('RouteTable').map((r) => r.metadata.labels['networks.drydock.dev/tier'])).not.toContain(undefined);
    expect(new Set(out.ofKind('RouteTable').map((r) => r.metadata.labels['networks.drydock.dev/tier']))).toEqual(new Set(tiers));
    expect(out.ofKind('RouteTableAssociation')).toHaveLength(tiers.length * zones.length);
  });

  it('carves the default /16 into private /18s and public and data /21s', () => {
    const out = setup.render(examples(DIR).find((e) => e.file === 'minimal.yaml')!.object);
    const cidrs = (tier: string) => ['az1', 'az2', 'az3'].map((z) => out.byName(`subnet-${tier}-${z}`).spec.forProvider.cidrBlock);
    expect(cidrs('private')).toEqual(['10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18']);
    expect(cidrs('public')).toEqual(['10.0.192.0/21', '10.0.200.0/21', '10.0.208.0/21']);
    expect(cidrs('data')).toEqual(['10.0.216.0/21', '10.0.224.0/21', '10.0.232.0/21']);
    expect(out.byName('subnet-private-az1').spec.forProvider.tags).toMatchObject({ Name: 'team-a-private-az1', 'karpenter.sh/discovery': 'team-a' });
  });

  it('reports the observed IDs in the Network status, in zone order, and becomes Ready', () => {
    // GIVEN AWS reports every resource of the minimal example Ready, with its ID
    const xr = examples(DIR).find((e) => e.file === 'minimal.yaml')!.object;
    const observed = readObservedFixture(path.join(repoRoot, DIR, 'observed', 'minimal.yaml'));
    // WHEN the Network is rendered against that observed state
    const out = setup.render(xr, observed);
    // THEN its status carries the IDs and its Ready condition is True
    const ids = observed.atProvider!;
    expect(out.xr.status.vpcId).toBe(ids.vpc.id);
    for (const tier of TIERS) expect(out.xr.status.subnetIds[tier]).toEqual(['az1', 'az2', 'az3'].map((z) => ids[`subnet-${tier}-${z}`].id));
    expect(out.xr.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    // AND the zones AWS placed them in, by name and by this account's letter
    expect(out.xr.status.availabilityZoneNames).toEqual(['az1', 'az2', 'az3'].map((z) => ids[`subnet-public-${z}`].availabilityZone));
    expect(out.xr.status.availabilityZoneLetters).toEqual(
      ['az1', 'az2', 'az3'].map((z) => String(ids[`subnet-public-${z}`].availabilityZone).slice(-1)),
    );
  });

  it('is not Ready while AWS has not reported its resources', () => {
    const out = setup.render(examples(DIR).find((e) => e.file === 'minimal.yaml')!.object, { ready: false });
    expect(out.xr.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'False' });
    expect(out.xr.status.vpcId).toBeUndefined();
  });
});

if (!setup.ready) {
  describe('Network render tests', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}
