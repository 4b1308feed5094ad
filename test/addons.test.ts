// Add-ons proven by the real engines: the cluster Secrets the Cluster API renders (crank), turned
// into Applications by Argo CD's own ApplicationSet code (tools/argocd), our chart rendered by
// real helm with the values those Applications carry, every object validated against its CRD,
// and every value we set for an upstream chart present in that chart version's values.yaml.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDON_SPECS, OWN_CHART_SOURCE } from '../charts/addons';
import { ENVIRONMENTS } from '../environments';
import { renderApplicationSets } from '../lib/argocd';
import { isBuiltIn } from '../lib/crds';
import { helmTemplate } from '../lib/helm';
import { kubevalidate } from '../lib/kubevalidate';
import { repoRoot } from '../lib/paths';
import { type ObservedFixture, readObservedFixture } from '../lib/render';
import { readYamlDocs } from '../lib/yaml';
import { crds, examples, renderSetup } from './support';

const setup = renderSetup();
const appSets = readYamlDocs(path.join(repoRoot, 'dist', 'argocd', 'addons.yaml'));
const clusterExample = (file: string) => examples('compositions/cluster/examples').find((e) => e.file === file)!.object;

/** The Cluster's Argo CD registration Secret once its parts report, named after the cluster. */
function registrationSecret(xr: any): any {
  const fixture = readObservedFixture(path.join(repoRoot, 'compositions/cluster/examples/observed/default.yaml')) as ObservedFixture & {
    status: any;
  };
  const eks = { ...fixture.status.eks, clusterName: xr.metadata.name };
  const out = setup.render(xr, { ...fixture, status: { ...fixture.status, eks } });
  return out.byName('registration').spec.forProvider.manifest;
}

describe.skipIf(!setup.ready)('add-ons on every registered cluster', () => {
  const secrets: any[] = [];
  let apps: Map<string, any[]>;
  beforeAll(async () => {
    await setup.start();
    const auto = {
      ...clusterExample('dev-minimal.yaml'),
      metadata: { name: 'analytics', namespace: 'team-orders' },
      spec: { environment: 'dev', region: 'eu-west-1', kubernetes: { computeMode: 'Auto' } },
    };
    secrets.push(
      registrationSecret(clusterExample('dev-minimal.yaml')),
      registrationSecret(clusterExample('staging-with-database.yaml')),
      registrationSecret(clusterExample('prod-full.yaml')),
      registrationSecret(auto),
    );
    const results = renderApplicationSets(appSets, secrets);
    for (const r of results) expect(r.error, `${r.applicationSet}: ${r.error}`).toBeUndefined();
    apps = new Map(results.map((r) => [r.applicationSet, r.applications]));
  });
  afterAll(setup.stop);
  const clustersOf = (addon: string) =>
    apps
      .get(`addon-${addon}`)!
      .map((a) => a.spec.destination.name)
      .sort();
  const appFor = (addon: string, cluster: string) => apps.get(`addon-${addon}`)!.find((a) => a.spec.destination.name === cluster);

  it('installs each add-on where its label asks for it, and Karpenter only where we run the nodes', () => {
    expect(clustersOf('drydock-addons')).toEqual(['analytics', 'orders', 'payments', 'storefront']);
    expect(clustersOf('karpenter')).toEqual(['orders', 'payments', 'storefront']);
    expect(clustersOf('external-dns')).toEqual(['payments', 'storefront']);
    expect(clustersOf('cert-manager')).toEqual(['payments', 'storefront']);
    expect(clustersOf('aws-load-balancer-controller')).toEqual(['payments', 'storefront']);
    expect(clustersOf('external-secrets')).toEqual(['storefront']);
    expect(clustersOf('kube-prometheus-stack')).toEqual(['storefront']);
    expect(clustersOf('ingress-nginx')).toEqual([]);
  });

  it("sends each Application to its cluster, in its environment's project, with every value resolved", () => {
    for (const [set, list] of apps) {
      for (const app of list) {
        const env = secrets.find((s) => s.metadata.name === app.spec.destination.name).metadata.labels.environment;
        expect(app.spec.project, `${set} ${app.metadata.name}`).toBe(`addons-${env}`);
        expect(app.metadata.labels).toMatchObject({ environment: env });
        expect(JSON.stringify(app), `${set} ${app.metadata.name}`).not.toMatch(/\{\{|<no value>/);
      }
    }
    const karpenter = yaml.load(appFor('karpenter', 'payments').spec.source.helm.values) as any;
    expect(karpenter.settings).toEqual({
      clusterName: 'payments',
      clusterEndpoint: secrets[1].stringData.server,
      interruptionQueue: 'observed-cluster',
    });
    expect(karpenter.replicas).toBe(ENVIRONMENTS.find((e) => e.name === 'staging')!.karpenter.replicas);
    expect(karpenter.serviceAccount).toEqual({ create: true, name: 'karpenter' });
    const dns = yaml.load(appFor('external-dns', 'payments').spec.source.helm.values) as any;
    expect(dns).toMatchObject({
      txtOwnerId: 'payments',
      policy: 'upsert-only',
      domainFilters: ['payments.staging.example.com', 'api.staging.example.com'],
    });
  });

  it('refuses to render a misspelled annotation (missingkey=error), naming it', () => {
    const broken = JSON.parse(
      JSON.stringify(appSets.find((s) => s.metadata.name === 'addon-karpenter')).replace(
        'annotations.aws_cluster_name',
        'annotations.aws_clustr_name',
      ),
    );
    const [result] = renderApplicationSets([broken], secrets);
    expect(result.applications).toEqual([]);
    expect(result.error).toMatch(/map has no entry for key "aws_clustr_name"/);
  });

  it('rolls every add-on out dev first, then staging, then prod', () => {
    for (const set of appSets) {
      expect(set.spec.strategy.type).toBe('RollingSync');
      expect(set.spec.strategy.rollingSync.steps.map((s: any) => s.matchExpressions[0].values[0])).toEqual(['dev', 'staging', 'prod']);
      expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
    }
  });

  it('renders our chart with real helm into NodePools, EC2NodeClass, ClusterIssuers and a StorageClass their CRDs accept', () => {
    const rendered = (cluster: string) => {
      const app = appFor('drydock-addons', cluster);
      return helmTemplate(OWN_CHART_SOURCE, app.spec.source.helm.releaseName, app.spec.destination.namespace, app.spec.source.helm.values);
    };
    const all = ['orders', 'payments', 'storefront', 'analytics'].flatMap((c) => rendered(c).map((o) => ({ cluster: c, o })));
    const custom = all.filter(({ o }) => !isBuiltIn(o.apiVersion));
    const kinds = new Map(custom.map(({ o }) => [`${o.apiVersion}/${o.kind}`, crds().get(o.apiVersion, o.kind)]));
    const report = kubevalidate(
      [...kinds.values()],
      custom.map(({ cluster, o }, i) => ({
        id: `${i}`,
        object: {
          ...o,
          metadata: {
            ...o.metadata,
            namespace:
              o.kind === 'ClusterIssuer' || o.kind === 'ClusterSecretStore' || o.kind === 'NodePool' || o.kind === 'EC2NodeClass'
                ? undefined
                : cluster,
          },
        },
      })),
    );
    expect(report.objects.flatMap((r) => r.errors.map((e) => `${custom[Number(r.id)].o.kind}: ${e.message}`))).toEqual([]);

    // Graviton spot first, x86 spot next, on-demand as the fallback, limited and consolidated.
    const pools = rendered('payments').filter((o) => o.kind === 'NodePool');
    expect(pools.map((p) => [p.metadata.name, p.spec.weight])).toEqual([
      ['graviton-spot', 10],
      ['x86-spot', 5],
      ['on-demand', 1],
    ]);
    const staging = ENVIRONMENTS.find((e) => e.name === 'staging')!.karpenter;
    for (const p of pools) {
      expect(p.spec.limits).toEqual({ cpu: String(staging.cpuLimit), memory: `${staging.memoryLimitGi}Gi` });
      expect(p.spec.disruption).toMatchObject({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '1m' });
      expect(p.spec.template.spec.expireAfter).toBe('720h');
    }
    expect(pools[0].spec.template.spec.requirements).toContainEqual({
      key: 'karpenter.k8s.aws/instance-family',
      operator: 'In',
      values: staging.instanceFamilies.filter((f) => /^[a-z]+\d+g/.test(f)),
    });
    const [nodeClass] = rendered('payments').filter((o) => o.kind === 'EC2NodeClass');
    expect(nodeClass.spec).toMatchObject({
      role: 'observed-cluster-nodes',
      amiSelectorTerms: [{ alias: 'al2023@latest' }],
      metadataOptions: { httpTokens: 'required', httpPutResponseHopLimit: 1 },
      subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'payments' } }],
    });
    for (const d of nodeClass.spec.blockDeviceMappings) expect(d.ebs).toMatchObject({ volumeType: 'gp3', encrypted: true });
    const issuers = rendered('payments').filter((o) => o.kind === 'ClusterIssuer');
    expect(issuers.map((i) => i.metadata.name).sort()).toEqual(['letsencrypt-prod', 'letsencrypt-staging']);
    for (const i of issuers) {
      expect(i.spec.acme.solvers[0]).toMatchObject({
        selector: { dnsZones: ['payments.staging.example.com', 'api.staging.example.com'] },
        dns01: { route53: { region: 'eu-central-1', hostedZoneID: 'Z0123456789ABCDEFGHIJ' } },
      });
      expect(i.spec.acme.solvers[1]).toEqual({ http01: { ingress: { ingressClassName: 'alb' } } });
    }
    const [storage] = rendered('payments').filter((o) => o.kind === 'StorageClass');
    expect(storage).toMatchObject({ provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true' } });
    expect(storage.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
  });

  it('leaves Auto Mode clusters to their own node pools and storage driver', () => {
    const app = appFor('drydock-addons', 'analytics');
    const objects = helmTemplate(OWN_CHART_SOURCE, 'drydock-addons', 'kube-system', app.spec.source.helm.values);
    expect(objects.filter((o) => o.kind === 'NodePool' || o.kind === 'EC2NodeClass')).toEqual([]);
    expect(objects.find((o) => o.kind === 'StorageClass').provisioner).toBe('ebs.csi.eks.amazonaws.com');
  });

  it("sets only values each upstream chart version's values.yaml has", () => {
    const missing: string[] = [];
    for (const spec of ADDON_SPECS) {
      if (spec.chart === 'own') continue;
      const upstream = yaml.load(
        fs.readFileSync(path.join(repoRoot, '..', 'shared', 'reference', 'charts', spec.chart.reference, 'values.yaml'), 'utf8'),
      );
      for (const app of apps.get(`addon-${spec.name}`) ?? []) {
        for (const key of leafKeys(yaml.load(app.spec.source.helm.values)))
          if (!hasPath(upstream, key)) missing.push(`${spec.name}: ${key.join('.')}`);
      }
      for (const key of leafKeys(spec.values)) if (!hasPath(upstream, key)) missing.push(`${spec.name}: ${key.join('.')}`);
    }
    expect(missing).toEqual([]);
  });
});

if (!setup.ready) {
  describe('add-ons', () => {
    it.skip(`skipped (the cluster Secrets come from the real renderer): ${setup.reason}`, () => {});
  });
}

/** Key paths to the leaves of a values object (lists are leaves). */
function leafKeys(v: unknown, at: string[] = []): string[][] {
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length) return Object.entries(v).flatMap(([k, x]) => leafKeys(x, [...at, k]));
  return at.length ? [at] : [];
}

/** Whether `values` has `key`: every step exists (a map open to any key, or null, counts as having it). */
function hasPath(values: any, key: string[]): boolean {
  let at = values;
  for (const k of key) {
    if (at === null || (typeof at === 'object' && !Array.isArray(at) && Object.keys(at).length === 0)) return true;
    if (typeof at !== 'object' || Array.isArray(at) || !(k in at)) return false;
    at = at[k];
  }
  return true;
}
