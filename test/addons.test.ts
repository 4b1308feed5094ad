// Add-ons proven by the real engines: the cluster Secrets the Cluster API renders (crank), turned
// into Applications by Argo CD's own ApplicationSet code (tools/argocd), our chart rendered by
// real helm with the values those Applications carry, every object validated against its CRD,
// and every value we set for an upstream chart present in that chart version's values.yaml;
// RollingSync run by the ApplicationSet controller; where each component runs before Karpenter
// has a node; everything the Applications deliver judged Healthy by Argo CD.
// Over 300 lines on purpose: every test here reads the Secrets one crank setup renders (slow to
// start), so they share one describe rather than a file each.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDON_SPECS, CRITICAL, FIRST_INSTALL, FIRST_INSTALL_HOURS, OWN_CHART_PATH, ROLLOUT_LABEL } from '../charts/addons';
import { SKIP_DRY_RUN, SYNC_OPTIONS } from '../charts/dist-chart';
import { ENVIRONMENTS } from '../environments';
import { argocdAssess, renderApplicationSets, rollingSync } from '../lib/argocd';
import { chartDir } from '../lib/charts';
import { isBuiltIn } from '../lib/crds';
import { helmTemplate } from '../lib/helm';
import { kubevalidate } from '../lib/kubevalidate';
import { repoRoot } from '../lib/paths';
import { type ObservedFixture, readObservedFixture } from '../lib/render';
import { readYamlDocs } from '../lib/yaml';
import { fixtures, INSTALLED_ARGOCD_CM, isHook, missingFixtures, observed, rootObjects, settings } from './argocd-support';
import { crds, examples, renderSetup } from './support';

const setup = renderSetup();
/** Our chart as Argo CD installs it: from dist/. */
const OWN_CHART = path.join(repoRoot, OWN_CHART_PATH);
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
    // Only the cluster's own zones, by ID: another zone matching a domain filter is never listed.
    for (const [cluster, file] of [
      ['payments', 'staging-with-database.yaml'],
      ['storefront', 'prod-full.yaml'],
    ]) {
      const zones: string[] = clusterExample(file).spec.dns.hostedZoneIds;
      const values = yaml.load(appFor('external-dns', cluster).spec.source.helm.values) as any;
      expect(values.extraArgs, cluster).toEqual(zones.map((z) => `--zone-id-filter=${z}`));
    }
    expect((yaml.load(appFor('external-dns', 'storefront').spec.source.helm.values) as any).extraArgs).toHaveLength(2);
  });

  it('renders every add-on when a cluster Secret the Cluster API did not write sits beside ours', () => {
    // A cluster an operator registered by hand (`argocd cluster add`, the control cluster by its
    // URL): none of our labels or annotations. Under missingkey=error one Secret that fails the
    // template stops the whole ApplicationSet for every cluster (Argo CD's GenerateApplications
    // returns its first render error and Reconcile then creates and updates nothing).
    const foreign = {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 'cluster-by-hand', namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
      stringData: { name: 'by-hand', server: 'https://by-hand.example.com', config: '{"tlsClientConfig":{"insecure":false}}' },
    };
    const results = renderApplicationSets(appSets, [...secrets, foreign]);
    for (const r of results) {
      expect(r.error, `${r.applicationSet}: ${r.error}`).toBeUndefined();
      expect(r.applications.map((x) => x.spec.destination.name).sort(), r.applicationSet).toEqual(
        clustersOf(r.applicationSet.replace(/^addon-/, '')),
      );
    }
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

  it("rolls every add-on out to new clusters' first installs, then dev, then staging, then prod", () => {
    for (const set of appSets) {
      expect(set.spec.strategy.type).toBe('RollingSync');
      expect(set.spec.strategy.rollingSync.steps.map((s: any) => s.matchExpressions[0])).toEqual(
        [FIRST_INSTALL, 'dev', 'staging', 'prod'].map((v) => ({ key: ROLLOUT_LABEL, operator: 'In', values: [v] })),
      );
      expect(set.spec.goTemplateOptions).toEqual(['missingkey=error']);
    }
  });

  describe('RollingSync, run by the ApplicationSet controller', () => {
    const karpenter = () => appSets.find((s) => s.metadata.name === 'addon-karpenter');
    const created = (secret: any, at: Date) => ({
      ...secret,
      metadata: { ...secret.metadata, annotations: { ...secret.metadata.annotations, cluster_created_at: at.toISOString() } },
    });
    const renamed = (secret: any, name: string) => ({
      ...secret,
      metadata: { ...secret.metadata, name },
      stringData: { ...secret.stringData, name, server: `https://${name.toUpperCase()}.gr7.eu-west-1.eks.amazonaws.com` },
    });
    const long = new Date(Date.now() - 30 * 24 * 3600 * 1000);
    const changed = () => {
      const set = structuredClone(karpenter());
      set.spec.template.spec.source.targetRevision = '1.14.2';
      return set;
    };
    const projects = rootObjects.filter((o) => o.object.kind === 'AppProject').map((o) => o.object);
    const roundOf = (r: { syncs: { round: number; application: string }[] }, app: string) => r.syncs.find((x) => x.application === app)?.round;

    it('stages a change dev, then staging, then prod, and lets a new cluster install at once while a dev cluster is broken', () => {
      // GIVEN orders (dev), payments (staging), storefront (prod), registered a month ago
      const [orders, payments, storefront] = secrets.slice(0, 3).map((x) => created(x, long));
      // A prod cluster made a minute ago, registered by the Cluster API (crank): it writes when.
      const fresh = registrationSecret({
        ...clusterExample('prod-full.yaml'),
        metadata: { name: 'fresh', namespace: 'storefront', creationTimestamp: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z') },
      });
      expect(fresh.metadata.annotations.cluster_created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
      const [installed, change, brokenDev] = rollingSync({
        projects,
        phases: [
          { name: 'installed', applicationSet: karpenter(), clusterSecrets: [orders, payments, storefront] },
          // WHEN a change lands
          { name: 'change', applicationSet: changed(), clusterSecrets: [orders, payments, storefront] },
          // WHEN another change lands while orders is broken, and a new prod cluster registers
          {
            name: 'broken dev',
            applicationSet: karpenter(),
            clusterSecrets: [orders, payments, storefront, fresh],
            outcomes: { orders: 'Degraded' },
          },
        ],
      });
      for (const r of [installed, change, brokenDev]) {
        expect(r.error, r.name).toBeUndefined();
        expect(r.settled, r.name).toBe(true);
      }
      // THEN every change reaches dev first, staging next, prod last
      for (const r of [installed, change]) {
        const [dev, staging, prod] = ['orders', 'payments', 'storefront'].map((c) => roundOf(r, `${c}-karpenter`)!);
        expect([dev < staging, staging < prod], `${r.name}: ${JSON.stringify(r.syncs)}`).toEqual([true, true]);
      }
      // THEN the broken dev cluster holds the change back from staging and prod, not the new cluster
      expect(brokenDev.syncs.map((x) => x.application).sort()).toEqual(['fresh-karpenter', 'orders-karpenter']);
      const fresh1 = brokenDev.applications.find((a) => a.name === 'fresh-karpenter')!;
      expect([fresh1.labels[ROLLOUT_LABEL], fresh1.sync, fresh1.health]).toEqual([FIRST_INSTALL, 'Synced', 'Healthy']);
    });

    it(`puts a cluster in its environment's step once it is older than ${FIRST_INSTALL_HOURS} hours`, () => {
      const old = created(secrets[2], new Date(Date.now() - (FIRST_INSTALL_HOURS * 3600 + 60) * 1000));
      const young = created(renamed(secrets[2], 'young'), new Date(Date.now() - 60 * 1000));
      const [r] = renderApplicationSets([karpenter()], [old, young, secrets[0]]);
      const rollout = Object.fromEntries(r.applications.map((a) => [a.spec.destination.name, a.metadata.labels[ROLLOUT_LABEL]]));
      expect(rollout).toEqual({ storefront: 'prod', young: FIRST_INSTALL, orders: 'dev' });
    });
  });

  it('renders our chart with real helm into NodePools, EC2NodeClass, ClusterIssuers and a StorageClass their CRDs accept', () => {
    const rendered = (cluster: string) => {
      const app = appFor('drydock-addons', cluster);
      return helmTemplate(OWN_CHART, app.spec.source.helm.releaseName, app.spec.destination.namespace, app.spec.source.helm.values);
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
      // A PDB that allows no eviction cannot hold a node (and its instance) for ever.
      expect(p.spec.template.spec.terminationGracePeriod).toBe('48h');
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
      // Let's Encrypt reaches the solver through an internet-facing ALB (the controller's default is internal).
      expect(i.spec.acme.solvers[1]).toEqual({
        http01: {
          ingress: {
            ingressClassName: 'alb',
            ingressTemplate: { metadata: { annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } } },
          },
        },
      });
    }
    const [storage] = rendered('payments').filter((o) => o.kind === 'StorageClass');
    expect(storage).toMatchObject({ provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3', encrypted: 'true' } });
    expect(storage.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
  });

  it('solves HTTP-01 only where the AWS Load Balancer Controller runs', () => {
    const withoutAlb = {
      ...secrets[1],
      metadata: { ...secrets[1].metadata, labels: { ...secrets[1].metadata.labels, enable_aws_load_balancer_controller: 'false' } },
    };
    const [r] = renderApplicationSets(
      appSets.filter((x) => x.metadata.name === 'addon-drydock-addons'),
      [withoutAlb],
    );
    const app = r.applications[0];
    const issuers = helmTemplate(OWN_CHART, 'drydock-addons', 'kube-system', app.spec.source.helm.values).filter((o) => o.kind === 'ClusterIssuer');
    expect(issuers.length).toBe(2);
    for (const i of issuers) expect(i.spec.acme.solvers.map((x: any) => Object.keys(x).filter((k) => k !== 'selector'))).toEqual([['dns01']]);
  });

  it("lets every object of our chart whose CRD another add-on installs skip Argo CD's dry run", () => {
    const objects = ['orders', 'payments', 'storefront', 'analytics'].flatMap((c) => {
      const app = appFor('drydock-addons', c);
      return helmTemplate(OWN_CHART, 'drydock-addons', 'kube-system', app.spec.source.helm.values);
    });
    const custom = objects.filter((o) => !isBuiltIn(o.apiVersion));
    expect(new Set(custom.map((o) => o.kind))).toEqual(new Set(['NodePool', 'EC2NodeClass', 'ClusterIssuer', 'ClusterSecretStore']));
    for (const o of custom) expect((o.metadata.annotations?.[SYNC_OPTIONS] ?? '').split(','), `${o.kind} ${o.metadata.name}`).toContain(SKIP_DRY_RUN);
  });

  it('lets every component that must run before Karpenter has launched a node tolerate the system nodes, and says where the others run', () => {
    const unclassified: string[] = [];
    for (const spec of ADDON_SPECS) {
      if (spec.chart === 'own') continue;
      const upstream = yaml.load(
        fs.readFileSync(path.join(repoRoot, '..', 'shared', 'reference', 'charts', spec.chart.reference, 'values.yaml'), 'utf8'),
      );
      const keys = leafKeys(upstream, [], true)
        .filter((k) => k[k.length - 1] === 'tolerations')
        .map((k) => k.join('.'));
      const classified = [...(spec.tolerations?.system ?? []), ...Object.keys(spec.tolerations?.elsewhere ?? {})];
      for (const k of keys) if (!classified.includes(k)) unclassified.push(`${spec.name}: ${k}`);
      for (const k of classified) if (!keys.includes(k)) unclassified.push(`${spec.name}: ${k} is not a key of the chart`);
      for (const app of apps.get(`addon-${spec.name}`) ?? []) {
        const values = yaml.load(app.spec.source.helm.values);
        for (const k of spec.tolerations?.system ?? [])
          expect(
            k.split('.').reduce((at: any, x) => at?.[x], values),
            `${app.metadata.name} ${k}`,
          ).toEqual(CRITICAL);
      }
    }
    expect(unclassified).toEqual([]);
  });

  describe('what each add-on Application delivers, rendered by helm and judged by Argo CD', () => {
    const delivered = () =>
      [...apps.values()].flat().flatMap((app) => {
        const spec = ADDON_SPECS.find((x) => x.name === app.metadata.labels.addon)!;
        const dir = spec.chart === 'own' ? OWN_CHART : spec.chart.source && chartDir(spec.chart.source);
        if (!dir) return [];
        const objects = helmTemplate(dir, app.spec.source.helm.releaseName, app.spec.destination.namespace, app.spec.source.helm.values, {
          includeCrds: true,
          kubeVersion: '1.34.0',
        });
        return objects.map((object) => ({ app: app.metadata.name, addon: spec.name, object }));
      });
    const unrendered = ADDON_SPECS.filter((x) => x.chart !== 'own' && !x.chart.source).map((x) => x.name);

    it('runs every pod of an add-on whose components all tolerate the system nodes there too', () => {
      const allSystem = new Set(ADDON_SPECS.filter((x) => x.tolerations && !Object.keys(x.tolerations.elsewhere ?? {}).length).map((x) => x.name));
      const pods = delivered().filter((d) => allSystem.has(d.addon) && d.object.spec?.template?.spec);
      expect(pods.length).toBeGreaterThan(3);
      for (const d of pods)
        expect(d.object.spec.template.spec.tolerations ?? [], `${d.app}: ${d.object.kind} ${d.object.metadata.name}`).toContainEqual(CRITICAL[0]);
    });

    it('is Healthy once its controllers report all is well, or has no health', () => {
      const known = fixtures('addons/drydock-addons.yaml', 'addons/kubernetes.yaml');
      const objects = delivered().filter((d) => !isHook(d.object));
      expect(
        missingFixtures(
          objects.map((d) => d.object),
          known,
        ),
      ).toEqual([]);
      const assessed = argocdAssess({
        argocdCm: INSTALLED_ARGOCD_CM,
        argocdCmPatch: settings.argocdCm,
        objects: objects.map((d, i) => ({ id: String(i), object: observed(d.object, known) })),
      });
      const bad = assessed.objects
        .filter((r) => r.error || (r.status !== 'Healthy' && r.status !== ''))
        .map(
          (r) =>
            `${objects[Number(r.id)].app}: ${objects[Number(r.id)].object.kind} ${objects[Number(r.id)].object.metadata.name}: ${r.status} ${r.message}`,
        );
      expect(bad).toEqual([]);
      expect(new Set(objects.map((d) => d.addon))).toEqual(
        new Set(ADDON_SPECS.filter((x) => !unrendered.includes(x.name) && (apps.get(`addon-${x.name}`) ?? []).length).map((x) => x.name)),
      );
    });

    if (unrendered.length)
      it.skip(`not rendered here: ${unrendered.join(', ')} (the Go module proxy serves no source of their pinned charts)`, () => {});
  });

  it('leaves Auto Mode clusters to their own node pools and storage driver', () => {
    const app = appFor('drydock-addons', 'analytics');
    const objects = helmTemplate(OWN_CHART, 'drydock-addons', 'kube-system', app.spec.source.helm.values);
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

/** Key paths to the leaves of a values object (lists are leaves; `all`: and every map on the way). */
function leafKeys(v: unknown, at: string[] = [], all = false): string[][] {
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length)
    return [...(all && at.length ? [at] : []), ...Object.entries(v).flatMap(([k, x]) => leafKeys(x, [...at, k], all))];
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
