// The reference architectures the product was made from, as the platform APIs express them
// (compositions/cluster/examples/reference/<architecture>/: the environments it needs and its
// claims). Each is built into a platform of its own environments, admitted by that platform's
// Cluster XRD, rendered end to end by the real renderer, and every child and resource accepted.
// What the APIs cannot express is said in the README (Reference architectures).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionsOf } from '../compositions/authoring';
import { loadEnvironments } from '../environments';
import { kubevalidate } from '../lib/kubevalidate';
import { repoRoot } from '../lib/paths';
import { definitionsFor, type ObservedFixture, Renderer, readObservedFixture } from '../lib/render';
import { explainMissing, findRenderTools } from '../lib/tools';
import { crdForXrd } from '../lib/xrd';
import { buildPlatform } from '../main';
import { crds, examples } from './support';

const REFERENCE = 'compositions/cluster/examples/reference';
const ARCHITECTURES = fs.readdirSync(path.join(repoRoot, REFERENCE)).sort();

/** One architecture: its environments, the platform built for them, and its claims. */
function architecture(name: string) {
  const dir = path.join(REFERENCE, name);
  const loaded = loadEnvironments(path.join(repoRoot, dir, 'environments'));
  // The team that runs the architecture, in the architecture's environments, with the hosted zones
  // a platform engineer lists for it in PLATFORM.teams (one per domain of the product, and dev's).
  const teams = [
    {
      namespace: 'builderspace',
      group: 'builderspace',
      environments: loaded.environments.map((e) => e.name),
      hostedZoneIds: ['Z01BUILDERSPACEIO000', 'Z02BUILDERSPACEAPP00', 'Z03BUILDERSPACEDEV00', 'Z04BUILDERSPACEEU000', 'Z05DEVBUILDERSPACE00'],
    },
  ];
  const platform = buildPlatform({ plural: (a, k) => crds().plural(a, k), environments: loaded.environments, teams });
  const objects = platform.charts.flatMap((c) => c.toJson());
  return { dir, ...loaded, platform, objects, claims: examples(dir).map((e) => e.object) };
}
const all = ARCHITECTURES.map(architecture);
const xrds = (objects: any[]) => objects.filter((o) => o.kind === 'CompositeResourceDefinition');

/** What the parts of a Cluster report once they exist, with one subnet and zone per zone asked for. */
function reported(xr: any): ObservedFixture {
  const fixture = readObservedFixture(path.join(repoRoot, 'compositions/cluster/examples/observed/default.yaml')) as ObservedFixture & {
    status: Record<string, any>;
  };
  const zones = xr.spec.network.availabilityZones.length;
  const network = fixture.status.network;
  const subnetIds = Object.fromEntries(Object.entries(network.subnetIds).map(([tier, ids]) => [tier, (ids as string[]).slice(0, zones)]));
  return {
    ...fixture,
    status: { ...fixture.status, network: { ...network, subnetIds, availabilityZoneLetters: network.availabilityZoneLetters.slice(0, zones) } },
  };
}

describe('reference architectures', () => {
  it('are all here: production and development', () => {
    expect(ARCHITECTURES).toEqual(['development', 'production']);
  });

  describe.each(all.map((a) => [path.basename(a.dir), a]))('%s', (_name, a) => {
    it('has valid environments and claims its own platform admits', () => {
      expect(a.problems).toEqual([]);
      expect(a.claims.length).toBeGreaterThan(0);
      const crd = crdForXrd(xrds(a.objects).find((x) => x.spec.names.kind === 'Cluster'));
      const report = kubevalidate(
        [crd],
        a.claims.map((object, i) => ({ id: String(i), object })),
      );
      expect(report.crds[0].errors).toEqual([]);
      expect(report.objects.map((o) => o.errors)).toEqual(a.claims.map(() => []));
    });
  });

  it('leaves production syncs to a person, and syncs development by itself', () => {
    const app = (a: (typeof all)[number], env: string) =>
      a.objects.find((o) => o.kind === 'Application' && o.metadata.name === `clusters-${env}`).spec.syncPolicy;
    const production = all.find((a) => a.dir.endsWith('production'))!;
    const development = all.find((a) => a.dir.endsWith('development'))!;
    expect(app(production, 'production').automated).toBeUndefined();
    expect(app(development, 'development').automated).toEqual({ prune: true, selfHeal: true });
  });
});

const found = findRenderTools(functionsOf(all[0].platform.compositions));

describe.skipIf(!found.tools)('reference architectures rendered by crank with the real functions', () => {
  let renderer: Renderer;
  beforeAll(async () => {
    renderer = await Renderer.start(found.tools!, crds(), xrds(all[0].objects));
  });
  afterAll(() => renderer?.stop());

  const cases = all.flatMap((a) => a.claims.map((xr) => [`${path.basename(a.dir)}/${xr.metadata.name}`, a, xr] as const));

  it.each(cases)('%s: composes what the architecture runs, every child and resource accepted', (_name, a, xr) => {
    // GIVEN the claim once its parts report
    const out = renderer.render({ xr, ...definitionsFor(xr, a.objects), observed: reported(xr) });
    const byName = (n: string) => out.composed.find((o) => o.metadata.annotations['crossplane.io/composition-resource-name'] === n);
    // THEN the EKS cluster sends only the log types the claim names
    expect(byName('eks').spec.logTypes).toEqual(xr.spec.kubernetes.logTypes);
    // AND every domain and hosted zone reaches ExternalDNS and cert-manager through the cluster Secret
    const annotations = byName('registration').spec.forProvider.manifest.metadata.annotations;
    expect(annotations.external_dns_domain_filters.split(',')).toEqual(xr.spec.dns.domains);
    expect(annotations.external_dns_zone_id_filters.split(',')).toEqual(xr.spec.dns.hostedZoneIds);
    expect(annotations.cert_manager_hosted_zone_ids.split(',')).toEqual(xr.spec.dns.hostedZoneIds);
    // AND the environment's network and database
    const env = a.environments.find((e) => e.name === xr.spec.environment)!;
    expect(byName('network').spec).toMatchObject({ nat: env.network.nat, availabilityZones: xr.spec.network.availabilityZones });
    expect(byName('database').spec.capacity).toEqual({ minAcu: env.database.minAcu, maxAcu: env.database.maxAcu });
    // AND each child XR renders through its own composition into resources their CRDs accept
    for (const child of out.composed.filter((o) => ['Network', 'EKSCluster', 'Database'].includes(o.kind))) {
      const named = { ...child, metadata: { ...child.metadata, name: `${xr.metadata.name}-${child.kind.toLowerCase()}` } };
      const rendered = renderer.render({ xr: named, ...definitionsFor(named, a.objects), observed: { ready: true } });
      const v = renderer.validate([named, ...rendered.composed]);
      expect(v.ok, v.output).toBe(true);
      if (child.kind === 'EKSCluster') {
        const dns = rendered.composed.filter(
          (o) => o.kind === 'RolePolicy' && String(o.spec.forProvider.policy).includes('route53:ChangeResourceRecordSets'),
        );
        // ExternalDNS and cert-manager may change the claim's zones, the last of four included
        expect(dns.map((p) => p.metadata.annotations['crossplane.io/composition-resource-name']).sort()).toEqual([
          `role-cert-manager-zones-${xr.spec.dns.hostedZoneIds.length}`,
          `role-external-dns-zones-${xr.spec.dns.hostedZoneIds.length}`,
        ]);
        for (const p of dns) expect(JSON.stringify(yaml.load(p.spec.forProvider.policy))).toContain(`hostedzone/${xr.spec.dns.hostedZoneIds.at(-1)}`);
      }
    }
  });
});

if (!found.tools) {
  describe('reference render tests', () => {
    it.skip(`skipped: ${explainMissing(found.missing)}`, () => {});
  });
}
