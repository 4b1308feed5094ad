// Every add-on chart the catalog pins, walked through an upgrade the way the platform ships one: a
// maintainer raises the pin in catalog/versions.ts and synth writes dist/argocd/addons.yaml. Here
// addonsChart runs under a catalog whose pin is raised (vi.doMock of catalog/versions.ts: the code
// under test is unchanged), both files are turned into Applications by Argo CD's own
// ApplicationSet code (tools/argocd) for the clusters the Cluster API registers (crank), and
// RollingSync is run by the ApplicationSet controller's own reconcile. What must hold: each
// Application is updated in place (same name, project, destination, sync options), only that
// add-on's targetRevision moves, nothing is pruned or cascaded, and the change goes dev, then
// staging, then prod. The CRD-carrying charts are rendered by real helm as Argo CD renders them,
// and a pin an environment cannot run is refused by synth. Over 300 lines on purpose: the walks
// share one crank setup (slow to start) and the catalog override, so they stay in one file.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHARTS, compareVersions } from '../catalog';
import { ADDON_SPECS, ROLLOUT_LABEL } from '../charts/addons';
import { ENVIRONMENTS } from '../environments';
import { renderApplicationSets, rollingSync } from '../lib/argocd';
import { chartDir } from '../lib/charts';
import { helmTemplate } from '../lib/helm';
import { repoRoot } from '../lib/paths';
import { type ObservedFixture, readObservedFixture } from '../lib/render';
import { readYamlDocs } from '../lib/yaml';
import { rootObjects } from './argocd-support';
import { examples, renderSetup } from './support';

type ChartName = keyof typeof CHARTS;
type Pins = Partial<Record<ChartName, { version?: string; kubernetes?: { min: string; max?: string; source: string } }>>;

const COMMITTED = readYamlDocs(path.join(repoRoot, 'dist', 'argocd', 'addons.yaml'));
const CATALOG = path.join(repoRoot, 'catalog', 'versions.ts');

/** Load `load` afresh under a catalog whose CHARTS carry `pins`. */
async function underCatalog<T>(pins: Pins, load: () => Promise<T>): Promise<T> {
  vi.resetModules();
  vi.doMock(CATALOG, async (importOriginal) => {
    const real: any = await importOriginal();
    const charts = Object.fromEntries(Object.entries(real.CHARTS).map(([name, c]: [string, any]) => [name, { ...c, ...pins[name as ChartName] }]));
    return { ...real, CHARTS: charts };
  });
  try {
    return await load();
  } finally {
    vi.doUnmock(CATALOG);
    vi.resetModules();
  }
}

/** dist/argocd/addons.yaml as synth's addonsChart writes it under a catalog with `pins`. */
const synthAddons = (pins: Pins): Promise<any[]> =>
  underCatalog(pins, async () => {
    const { App } = await import('cdk8s');
    const { addonsChart } = await import('../charts/addons.js');
    const { ENVIRONMENTS } = await import('../environments/index.js');
    return addonsChart(new App(), ENVIRONMENTS).toJson();
  });

/** The next patch release of a version as its chart publishes it (a leading `v` kept). */
const nextPatch = (v: string) => v.replace(/(\d+)$/, (n) => String(Number(n) + 1));

/** Dotted paths at which `a` and `b` differ. */
function differences(a: any, b: any, at = ''): string[] {
  if (a === b) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => differences(a[k], b[k], at ? `${at}.${k}` : k));
  }
  return [at];
}

/** Each add-on installed from an upstream chart, its catalog entry, and the release it is raised to. */
const UPSTREAM = ADDON_SPECS.flatMap((s) => {
  if (s.chart === 'own') return [];
  const release = s.chart;
  const name = (Object.keys(CHARTS) as ChartName[]).find((n) => CHARTS[n] === release)!;
  return [{ addon: s.name, name, from: release.version, to: nextPatch(release.version) }];
});

const setup = renderSetup();
const clusterExample = (file: string) => examples('compositions/cluster/examples').find((e) => e.file === file)!.object;

/** The Cluster's Argo CD registration Secret as the Cluster API writes it once its parts report, registered a month ago. */
function registrationSecret(xr: any): any {
  const fixture = readObservedFixture(path.join(repoRoot, 'compositions/cluster/examples/observed/default.yaml')) as ObservedFixture & {
    status: any;
  };
  const eks = { ...fixture.status.eks, clusterName: xr.metadata.name };
  const secret = setup.render(xr, { ...fixture, status: { ...fixture.status, eks } }).byName('registration').spec.forProvider.manifest;
  const monthAgo = new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString();
  return { ...secret, metadata: { ...secret.metadata, annotations: { ...secret.metadata.annotations, cluster_created_at: monthAgo } } };
}

describe('an add-on chart pin raised in the catalog', () => {
  it('is synthesized by the same code that wrote dist/argocd/addons.yaml (the walk starts from what is committed)', async () => {
    expect(await synthAddons({})).toEqual(COMMITTED);
  });

  it.each(UPSTREAM)(
    "$name $from -> $to changes only that add-on's ApplicationSet, and only its targetRevision",
    async ({ addon, name, from, to }) => {
      const raised = await synthAddons({ [name]: { version: to } });
      expect(raised.map((s) => s.metadata.name)).toEqual(COMMITTED.map((s) => s.metadata.name));
      for (const [i, before] of COMMITTED.entries()) {
        const changed = differences(before, raised[i]);
        if (before.metadata.name !== `addon-${addon}`) expect(changed, before.metadata.name).toEqual([]);
        else {
          expect(changed).toEqual(['spec.template.spec.source.targetRevision']);
          expect([before.spec.template.spec.source.targetRevision, raised[i].spec.template.spec.source.targetRevision]).toEqual([from, to]);
        }
      }
    },
  );
});

describe('a raised pin synth refuses, leaving dist/ as it was', () => {
  /** Synth under a catalog with `pins`, into a dist/ holding today's addons.yaml; its error, and whether that file changed. */
  async function refusal(pins: Pins): Promise<{ message: string; untouched: boolean }> {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-addon-upgrade-'));
    try {
      const file = path.join(outDir, 'argocd', 'addons.yaml');
      fs.mkdirSync(path.dirname(file));
      fs.copyFileSync(path.join(repoRoot, 'dist', 'argocd', 'addons.yaml'), file);
      const message = await underCatalog(pins, async () => {
        const { synth } = await import('../scripts/synth.js');
        try {
          synth({ outDir });
          return 'synth succeeded';
        } catch (e) {
          return (e as Error).message;
        }
      });
      const untouched = fs.readFileSync(file, 'utf8') === fs.readFileSync(path.join(repoRoot, 'dist', 'argocd', 'addons.yaml'), 'utf8');
      return { message, untouched };
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  }

  /** The minor after a Kubernetes version. */
  const minorAfter = (v: string) => `1.${Number(v.split('.')[1]) + 1}`;
  const prod = ENVIRONMENTS.find((e) => e.name === 'prod')!;
  /** The environments other than prod, none of which runs a version below prod's own. */
  const others = ENVIRONMENTS.filter((e) => e !== prod);
  it('holds the environments these walks assume: prod allows an older version than its own, the others none', () => {
    expect(prod.kubernetes.allowedVersions?.some((v) => compareVersions(v, prod.kubernetes.version) < 0)).toBe(true);
    for (const e of others)
      for (const v of [e.kubernetes.version, ...(e.kubernetes.allowedVersions ?? [])])
        expect(compareVersions(v, prod.kubernetes.version), e.name).toBeGreaterThanOrEqual(0);
  });

  it('refuses a Karpenter release that does not support a Kubernetes version an environment runs, naming the pin, the environment and the fix', async () => {
    // GIVEN a release whose compatibility matrix starts at prod's own version, above the older one prod still allows
    const older = prod.kubernetes.allowedVersions!.filter((v) => compareVersions(v, prod.kubernetes.version) < 0);
    const { max } = CHARTS.karpenter.kubernetes;
    const source = 'https://karpenter.sh/docs/upgrading/compatibility/';
    const version = nextPatch(CHARTS.karpenter.version);
    const { message, untouched } = await refusal({ karpenter: { version, kubernetes: { min: prod.kubernetes.version, max, source } } });
    expect(message).toContain(
      `catalog/versions.ts: CHARTS['karpenter'].version: Invalid value: "${version}": karpenter ${version} supports Kubernetes ${prod.kubernetes.version} to ${max} (${source}), ` +
        `but the prod environment runs ${older.join(', ')} (environments/prod.ts kubernetes.allowedVersions): ` +
        `pin a karpenter release that supports ${older.join(', ')}, or move prod off ${older.join(', ')} first`,
    );
    for (const e of others) expect(message).not.toContain(`the ${e.name} environment`);
    expect(untouched).toBe(true);
  });

  it("refuses a release that drops an environment's own default version, naming kubernetes.version", async () => {
    const min = minorAfter(prod.kubernetes.version);
    const { message } = await refusal({ 'cert-manager': { kubernetes: { min, source: 'https://cert-manager.io/docs/releases/' } } });
    const outside = [prod.kubernetes.version, ...(prod.kubernetes.allowedVersions ?? [])].filter(
      (v, i, all) => all.indexOf(v) === i && compareVersions(v, min) < 0,
    );
    expect(message).toContain(`but the prod environment runs ${outside.join(', ')} (environments/prod.ts kubernetes.version)`);
    for (const e of others.filter((e) => compareVersions(e.kubernetes.version, min) >= 0 && !e.kubernetes.allowedVersions))
      expect(message).not.toContain(`the ${e.name} environment`);
  });

  it('refuses a cert-manager pin that skips a minor (upstream: one minor at a time), and names the release to pin first', async () => {
    const from = CHARTS['cert-manager'].version;
    const [major, minor] = from.replace(/^v/, '').split('.').map(Number);
    const skip = `v${major}.${minor + 2}.0`;
    const { message, untouched } = await refusal({ 'cert-manager': { version: skip } });
    expect(message).toContain(
      `catalog/versions.ts: CHARTS['cert-manager'].version: Invalid value: "${skip}": dist/argocd/addons.yaml ships cert-manager ${from}, ` +
        `and cert-manager is upgraded one minor at a time (https://cert-manager.io/docs/installation/upgrade/): pin the latest v${major}.${minor + 1} patch`,
    );
    expect(untouched).toBe(true);
  });

  it('lets a cert-manager pin move one minor, and any other chart any distance', async () => {
    const [major, minor] = CHARTS['cert-manager'].version.replace(/^v/, '').split('.').map(Number);
    const problems = await underCatalog(
      { 'cert-manager': { version: `v${major}.${minor + 1}.0` }, karpenter: { version: '1.16.0' }, 'external-dns': { version: '2.0.0' } },
      async () => (await import('../charts/addons.js')).chartStepProblems(COMMITTED),
    );
    expect(problems).toEqual([]);
  });
});

describe.skipIf(!setup.ready)('an add-on upgrade as Argo CD ships it to registered clusters', () => {
  const secrets: any[] = [];
  const raised = new Map<string, any[]>();
  const projects = rootObjects.filter((o) => o.object.kind === 'AppProject').map((o) => o.object);
  beforeAll(async () => {
    await setup.start();
    const optIn = {
      ...clusterExample('dev-minimal.yaml'),
      metadata: { name: 'legacy-ingress', namespace: 'team-orders' },
      spec: { ...clusterExample('dev-minimal.yaml').spec, addons: { ingressNginx: true } },
    };
    // One cluster per environment, and a dev one that opts in to the add-on no example turns on.
    for (const xr of [clusterExample('dev-minimal.yaml'), clusterExample('staging-with-database.yaml'), clusterExample('prod-full.yaml'), optIn])
      secrets.push(registrationSecret(xr));
    for (const u of UPSTREAM) raised.set(u.addon, await synthAddons({ [u.name]: { version: u.to } }));
  });
  afterAll(setup.stop);

  const render = (sets: readonly any[]) => {
    const results = renderApplicationSets(sets, secrets);
    for (const r of results) expect(r.error, `${r.applicationSet}: ${r.error}`).toBeUndefined();
    return new Map(results.map((r) => [r.applicationSet, r.applications]));
  };

  it('reaches every add-on on some registered cluster, so each walk below judges real Applications', () => {
    const apps = render(COMMITTED);
    for (const u of UPSTREAM) expect(apps.get(`addon-${u.addon}`)!.length, u.addon).toBeGreaterThan(0);
  });

  it.each(UPSTREAM)('$name $from -> $to: the same Applications, updated in place, only their targetRevision moves', ({ addon, from, to }) => {
    const before = render(COMMITTED);
    const after = render(raised.get(addon)!);
    for (const [set, apps] of before) {
      const next = after.get(set)!;
      // The ApplicationSet controller matches generated Applications to existing ones by name: a
      // name that moved would delete one Application and create another.
      expect(next.map((a) => a.metadata.name).sort(), set).toEqual(apps.map((a) => a.metadata.name).sort());
      for (const app of apps) {
        const updated = next.find((a) => a.metadata.name === app.metadata.name);
        const changed = differences(app, updated);
        if (set !== `addon-${addon}`) expect(changed, app.metadata.name).toEqual([]);
        else {
          // Project, destination, sync options and Helm values stay: only the chart version moves.
          expect(changed, app.metadata.name).toEqual(['spec.source.targetRevision']);
          expect([app.spec.source.targetRevision, updated.spec.source.targetRevision]).toEqual([from, to]);
        }
        // preserveResourcesOnDeletion: Argo CD gives the Application no resources finalizer
        // (applicationset/utils/utils.go, v3.2), so were it ever deleted nothing it installed,
        // the add-on's CRDs and their objects included, would be cascaded away.
        expect(updated.metadata.finalizers ?? [], app.metadata.name).not.toContain('resources-finalizer.argocd.argoproj.io');
        // No automated sync: RollingSync triggers each sync with prune = syncPolicy.automated.prune
        // (applicationset_controller.go:1533-1551, v3.2), so nothing the old chart had and the
        // new one lacks is pruned by the upgrade (a CRD dropped upstream is left for a person).
        expect(updated.spec.syncPolicy.automated, app.metadata.name).toBeUndefined();
        expect(updated.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true']);
      }
    }
    const set = raised.get(addon)!.find((s) => s.metadata.name === `addon-${addon}`);
    expect(set.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
  });

  it.each(UPSTREAM)('$name $from -> $to rolls out dev, then staging, then prod, each cluster synced once', ({ addon }) => {
    const of = (sets: any[]) => sets.find((s) => s.metadata.name === `addon-${addon}`);
    const [installed, upgraded] = rollingSync({
      projects,
      phases: [
        { name: 'installed', applicationSet: of(COMMITTED), clusterSecrets: secrets },
        { name: 'upgraded', applicationSet: of(raised.get(addon)!), clusterSecrets: secrets },
      ],
    });
    for (const r of [installed, upgraded]) {
      expect(r.error, r.name).toBeUndefined();
      expect(r.settled, r.name).toBe(true);
    }
    const apps = upgraded.applications;
    expect(apps.length).toBeGreaterThan(0);
    for (const a of apps) expect([a.name, a.sync, a.health], a.name).toEqual([a.name, 'Synced', 'Healthy']);
    // Each Application of the add-on is synced exactly once by the upgrade, in its environment's step.
    expect(upgraded.syncs.map((s) => s.application).sort()).toEqual(apps.map((a) => a.name).sort());
    const round = (env: string) => upgraded.syncs.filter((s) => apps.find((a) => a.name === s.application)!.labels[ROLLOUT_LABEL] === env);
    const order = ['dev', 'staging', 'prod'].map(round).filter((r) => r.length);
    for (let i = 1; i < order.length; i++)
      expect(Math.max(...order[i - 1].map((s) => s.round)), JSON.stringify(upgraded.syncs)).toBeLessThan(Math.min(...order[i].map((s) => s.round)));
  });
  // The CRDs of an add-on travel in its own Application, rendered from the same chart release:
  // Argo CD runs `helm template --include-crds` unless the source sets skipCrds (util/helm/cmd.go:423,
  // v3.2), and applies what it renders on every sync, so they move with each pin. Helm's own
  // install/upgrade would not (it installs crds/ once: "Subsequent chart upgrades will not add or
  // remove CRDs", https://karpenter.sh/preview/upgrade-guide), which is why Karpenter also
  // publishes karpenter-crd; under Argo CD its crds/ already gives the same version, in the same
  // sync. Within that sync Argo CD applies a CustomResourceDefinition before Deployments and
  // webhooks of the same wave (gitops-engine pkg/sync/sync_tasks.go kindOrder).
  const wave = (o: any) => Number(o.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
  it.each([
    { addon: 'karpenter', groups: ['karpenter.sh', 'karpenter.k8s.aws'] },
    { addon: 'cert-manager', groups: ['cert-manager.io', 'acme.cert-manager.io'] },
  ])("applies $addon's CRDs from its own chart release, in the same sync and no later than its controller", ({ addon, groups }) => {
    const spec = ADDON_SPECS.find((s) => s.name === addon)!;
    if (spec.chart === 'own' || !spec.chart.source) throw new Error(`${addon}: no chart source in the catalog`);
    const [app] = render(COMMITTED).get(`addon-${addon}`)!;
    expect(app.spec.source.helm.skipCrds).toBeUndefined();
    const objects = helmTemplate(
      chartDir(spec.chart.source),
      app.spec.source.helm.releaseName,
      app.spec.destination.namespace,
      app.spec.source.helm.values,
      {
        includeCrds: true,
        kubeVersion: '1.34.0',
      },
    );
    const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
    // Every group our own chart or the add-on's users write objects of (Karpenter's chart ships others too).
    for (const g of groups)
      expect(
        crds.map((c) => c.spec.group),
        g,
      ).toContain(g);
    for (const c of crds) {
      // Not a hook: a hook is run, not kept in sync, and is outside the Application's diff.
      expect(c.metadata.annotations?.['helm.sh/hook'], c.metadata.name).toBeUndefined();
      expect(c.metadata.annotations?.['argocd.argoproj.io/hook'], c.metadata.name).toBeUndefined();
    }
    const controllers = objects.filter((o) => o.kind === 'Deployment');
    expect(controllers.length).toBeGreaterThan(0);
    expect(Math.max(...crds.map(wave))).toBeLessThanOrEqual(Math.min(...controllers.map(wave)));
  });
});
