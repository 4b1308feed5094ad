// dist/argocd/ as Argo CD would follow it: from the root Application through every Application
// it creates, to files that exist, in an order that installs every CRD before its objects.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { APP_WAVES } from '../charts/argocd';
import { DistChart } from '../charts/dist-chart';
import { ENVIRONMENTS } from '../environments';
import { PLATFORM } from '../environments/platform';
import { repoRoot } from '../lib/paths';
import { readYamlDocs } from '../lib/yaml';

const dist = path.join(repoRoot, 'dist');

/** The objects Argo CD syncs from a repository path (a directory Application). */
function synced(repoPath: string, recurse: boolean): { file: string; object: any }[] {
  const dir = path.join(repoRoot, repoPath);
  const entries = fs.readdirSync(dir, { withFileTypes: true, recursive: recurse });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .flatMap((e) =>
      readYamlDocs(path.join(e.parentPath, e.name)).map((object) => ({ file: path.relative(repoRoot, path.join(e.parentPath, e.name)), object })),
    );
}

const bootstrap = readYamlDocs(path.join(dist, 'argocd', 'bootstrap.yaml'));
const root = bootstrap.find((o) => o.kind === 'Application');
const rootObjects = synced(root.spec.source.path, !!root.spec.source.directory?.recurse);
const apps = rootObjects.filter((o) => o.object.kind === 'Application' && o.object.metadata.name !== root.metadata.name).map((o) => o.object);
const wave = (o: any) => Number(o.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);

/** Every object each Application syncs, with the (application wave, object wave) it is applied in. */
const appliedAt = apps.flatMap((app) =>
  synced(app.spec.source.path, !!app.spec.source.directory?.recurse).map((o) => ({
    ...o,
    app: app.metadata.name,
    order: [wave(app), wave(o.object)] as const,
  })),
);
const before = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

describe('dist/argocd', () => {
  it('is bootstrapped by one file: the platform project and a root Application for dist/argocd/', () => {
    expect(bootstrap.map((o) => o.kind)).toEqual(['AppProject', 'Application']);
    expect(root.spec).toMatchObject({
      project: 'platform',
      source: { repoURL: PLATFORM.repoURL, path: 'dist/argocd' },
      destination: { server: 'https://kubernetes.default.svc' },
    });
    expect(root.spec.syncPolicy.automated.prune).toBe(false);
    expect(rootObjects.map((o) => o.file)).toContain('dist/argocd/bootstrap.yaml');
  });

  it('syncs, through the root, every folder of dist/ and only folders that exist', () => {
    const paths = apps.map((a) => a.spec.source.path).sort();
    expect(paths).toEqual(['dist/apis', 'dist/crossplane', ...ENVIRONMENTS.map((e) => `dist/clusters/${e.name}`)].sort());
    for (const app of apps) {
      expect(fs.existsSync(path.join(repoRoot, app.spec.source.path)), app.spec.source.path).toBe(true);
      expect(synced(app.spec.source.path, !!app.spec.source.directory?.recurse).length, app.spec.source.path).toBeGreaterThan(0);
    }
    // The add-on ApplicationSets' own chart is installed onto workload clusters from dist/addons/.
    const ownChart = rootObjects
      .filter((o) => o.object.kind === 'ApplicationSet' && o.object.spec.template.spec.source.path)
      .map((o) => o.object.spec.template.spec.source.path);
    expect(ownChart).toEqual(['dist/addons/drydock-addons']);
    const chartFiles = fs
      .readdirSync(path.join(repoRoot, ownChart[0]), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)));
    const reached = new Set([...rootObjects, ...appliedAt].map((o) => o.file).concat(chartFiles));
    const all = fs
      .readdirSync(dist, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)));
    expect(all.filter((f) => !reached.has(f))).toEqual([]);
  });

  it('installs every CRD-providing package or XRD before the objects of its kinds', () => {
    const providers = appliedAt.filter((o) => o.object.kind === 'Provider');
    const xrds = appliedAt.filter((o) => o.object.kind === 'CompositeResourceDefinition');
    const provided = (o: any) => {
      const group = o.apiVersion.split('/')[0];
      if (group.endsWith('.aws.m.upbound.io') || group === 'aws.m.upbound.io')
        return providers.filter((p) => p.object.spec.package.includes('/provider-aws-'));
      if (group === 'kubernetes.m.crossplane.io') return providers.filter((p) => p.object.spec.package.includes('/provider-kubernetes:'));
      if (group === PLATFORM.apiGroup) return xrds.filter((x) => x.object.spec.names.kind === o.kind);
      return undefined;
    };
    let checked = 0;
    for (const o of appliedAt) {
      const sources = provided(o.object);
      if (!sources) continue;
      expect(sources.length, `${o.object.kind} in ${o.file} has a package or XRD`).toBeGreaterThan(0);
      for (const s of sources)
        expect(before(s.order, o.order), `${s.object.kind} ${s.object.metadata.name} before ${o.object.kind} ${o.object.metadata.name}`).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('lets objects whose CRD a package installs skip the dry run until it exists', () => {
    for (const o of appliedAt.filter(
      (x) => /\.m\.(upbound|crossplane)\.io\//.test(x.object.apiVersion) || x.object.apiVersion.startsWith(`${PLATFORM.apiGroup}/`),
    )) {
      expect(o.object.metadata.annotations['argocd.argoproj.io/sync-options'], `${o.object.kind} ${o.file}`).toBe('SkipDryRunOnMissingResource=true');
    }
  });

  it('creates the Applications in their own waves: packages, then APIs, then platform-owned XRs', () => {
    // Argo CD v3 assesses no health for an Application unless argocd-cm says how, so these waves
    // order when each is created, not when the one before is Healthy.
    expect(Object.fromEntries(apps.map((a) => [a.metadata.name, wave(a)]))).toEqual({
      'crossplane-packages': APP_WAVES.crossplane,
      'platform-apis': APP_WAVES.apis,
      ...Object.fromEntries(ENVIRONMENTS.map((e) => [`clusters-${e.name}`, APP_WAVES.clusters])),
    });
  });

  it("refuses an object's own sync wave that its file's wave would overwrite, and an object without one in a file without", () => {
    const chart = (wave?: number, annotations?: Record<string, string>) => {
      const c = new DistChart(new App(), 'x', { file: 'x.yaml', wave });
      new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', annotations } });
      return c;
    };
    expect(() => chart(1, { 'argocd.argoproj.io/sync-wave': '0' }).toJson()).toThrow(
      'x.yaml: ConfigMap "cm" sets argocd.argoproj.io/sync-wave: "0", which the file\'s "1" would overwrite: drop it, or give the file no wave and each object its own',
    );
    expect(() => chart().toJson()).toThrow('x.yaml: ConfigMap "cm" has no sync wave');
    expect(chart(undefined, { 'argocd.argoproj.io/sync-wave': '2' }).toJson()[0].metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '2',
    });
    expect(chart(1, { 'argocd.argoproj.io/sync-wave': '1' }).toJson()[0].metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '1' });
  });

  it('prunes dev and staging clusters automatically, never production ones, and never platform APIs', () => {
    const byName = new Map(apps.map((a) => [a.metadata.name, a]));
    for (const env of ENVIRONMENTS)
      expect(byName.get(`clusters-${env.name}`)?.spec.syncPolicy.automated, env.name).toEqual({ prune: env.name !== 'prod', selfHeal: true });
    expect(byName.get('platform-apis').spec.syncPolicy.automated.prune).toBe(false);
    for (const a of apps) expect(a.spec.syncPolicy.syncOptions, a.metadata.name).toContain('ServerSideApply=true');
  });

  it('gives each environment an add-on project, and the platform project only this repository and the control cluster', () => {
    const projects = rootObjects.filter((o) => o.object.kind === 'AppProject').map((o) => o.object);
    expect(projects.map((p) => p.metadata.name).sort()).toEqual(['platform', ...ENVIRONMENTS.map((e) => `addons-${e.name}`)].sort());
    const platform = projects.find((p) => p.metadata.name === 'platform');
    expect(platform.spec.sourceRepos).toEqual([PLATFORM.repoURL]);
    expect(platform.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: '*' }]);
  });
});
