// dist/argocd/ as Argo CD follows it: from the root Application through every Application it
// creates, to files that exist; the Applications as Argo CD's controller normalizes them and as
// their projects admit them (tools/argocd); the settings Argo CD is installed with.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CHARTS } from '../catalog';
import { clusterSyncPolicy } from '../charts/argocd';
import { ARGOCD_SERVICE_ACCOUNTS } from '../charts/argocd-identity';
import { DistChart } from '../charts/dist-chart';
import { ENVIRONMENTS } from '../environments';
import { PLATFORM } from '../environments/platform';
import { validateApplications } from '../lib/argocd';
import { repoRoot } from '../lib/paths';
import { bootstrap, childApps, controlPlaneObjects, dist, root, rootObjects, settings, syncedFrom } from './argocd-support';

const projects = rootObjects.filter((o) => o.object.kind === 'AppProject').map((o) => o.object);

/** A workload cluster's registration Secret, as the Cluster API writes it. */
const clusterSecret = (name: string, env: string, server = `https://${name.toUpperCase()}.gr7.eu-west-1.eks.amazonaws.com`) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'argocd', labels: { 'argocd.argoproj.io/secret-type': 'cluster', environment: env } },
  stringData: { name, server, project: `addons-${env}`, config: '{"tlsClientConfig":{"insecure":false}}' },
});
const addonApp = (project: string, destination: Record<string, string>) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: `${destination.name ?? 'x'}-karpenter`, namespace: 'argocd' },
  spec: {
    project,
    destination: { namespace: 'kube-system', ...destination },
    source: { repoURL: CHARTS.karpenter.repoURL, chart: CHARTS.karpenter.chart, targetRevision: CHARTS.karpenter.version },
  },
});

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

  it('syncs, through the root, every folder of dist/ but the install-time settings, and only folders that exist', () => {
    const paths = childApps.map((a) => a.spec.source.path).sort();
    expect(paths).toEqual(['dist/apis', 'dist/crossplane', ...ENVIRONMENTS.map((e) => `dist/clusters/${e.name}`)].sort());
    for (const app of childApps) {
      expect(fs.existsSync(path.join(repoRoot, app.spec.source.path)), app.spec.source.path).toBe(true);
      expect(syncedFrom(app.spec.source).length, app.spec.source.path).toBeGreaterThan(0);
    }
    // The add-on ApplicationSets' own chart is installed onto workload clusters from dist/addons/.
    const ownChart = rootObjects
      .filter((o) => o.object.kind === 'ApplicationSet' && o.object.spec.template.spec.source.path)
      .map((o) => o.object.spec.template.spec.source.path);
    expect(ownChart).toEqual(['dist/addons/drydock-addons']);
    const files = (dir: string) =>
      fs
        .readdirSync(path.join(repoRoot, dir), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(repoRoot, path.join(e.parentPath, e.name)));
    const reached = new Set([...controlPlaneObjects.map((o) => o.file), ...files(ownChart[0])]);
    // dist/bootstrap/ is merged into Argo CD's own ConfigMaps when Argo CD is installed.
    expect(files('dist').filter((f) => !reached.has(f))).toEqual(['dist/bootstrap/argocd-cm.yaml', 'dist/bootstrap/argocd-cmd-params-cm.yaml']);
  });

  it('lets objects whose CRD a package installs skip the dry run until it exists', () => {
    for (const o of controlPlaneObjects.filter(
      (x) => /\.m\.(upbound|crossplane)\.io\//.test(x.object.apiVersion) || x.object.apiVersion.startsWith(`${PLATFORM.apiGroup}/`),
    )) {
      expect(o.object.metadata.annotations['argocd.argoproj.io/sync-options'], `${o.object.kind} ${o.file}`).toBe('SkipDryRunOnMissingResource=true');
    }
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
    // A file an operator applies (dist/bootstrap/) carries no sync annotations, and takes none.
    const byHand = (annotations?: Record<string, string>) => {
      const c = new DistChart(new App(), 'y', { file: 'y.yaml', syncedByArgoCd: false });
      new ApiObject(c, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', annotations } });
      return c;
    };
    expect(byHand().toJson()[0].metadata.annotations).toBeUndefined();
    expect(() => byHand({ 'argocd.argoproj.io/sync-wave': '0' }).toJson()).toThrow('y.yaml: ConfigMap "cm" carries Argo CD sync annotations');
    expect(() => new DistChart(new App(), 'z', { file: 'z.yaml', wave: 0, syncedByArgoCd: false })).toThrow('z.yaml: Argo CD does not sync the file');
  });

  it('prunes dev and staging clusters automatically, never production ones, and never platform APIs', () => {
    const byName = new Map(childApps.map((a) => [a.metadata.name, a]));
    for (const env of ENVIRONMENTS)
      expect(byName.get(`clusters-${env.name}`)?.spec.syncPolicy.automated, env.name).toEqual({ prune: env.name !== 'prod', selfHeal: true });
    expect(byName.get('platform-apis').spec.syncPolicy.automated.prune).toBe(false);
    for (const a of childApps) expect(a.spec.syncPolicy.syncOptions, a.metadata.name).toContain('ServerSideApply=true');
  });

  it('retries a failed sync for ever, on the newest revision, so a bootstrap that met a slow CRD converges', () => {
    for (const a of [root, ...childApps]) expect(a.spec.syncPolicy.retry, a.metadata.name).toMatchObject({ limit: -1, refresh: true });
  });

  it('leaves every sync of an environment with sync: Manual to a person: no automated policy at all', () => {
    const prod = ENVIRONMENTS.find((e) => e.name === 'prod')!;
    const manual = clusterSyncPolicy({ ...prod, argocd: { ...prod.argocd, sync: 'Manual' } });
    expect(manual.automated).toBeUndefined();
    expect(manual.syncOptions).toContain('ServerSideApply=true');
    expect(clusterSyncPolicy(prod).automated).toEqual({ prune: false, selfHeal: true });
  });

  it('gives each environment an add-on project, and the platform project only this repository and the control cluster', () => {
    expect(projects.map((p) => p.metadata.name).sort()).toEqual(['platform', ...ENVIRONMENTS.map((e) => `addons-${e.name}`)].sort());
    const platform = projects.find((p) => p.metadata.name === 'platform');
    expect(platform.spec.sourceRepos).toEqual([PLATFORM.repoURL]);
    expect(platform.spec.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: '*' }]);
  });
});

describe('the Applications, as Argo CD reads them', () => {
  it('are as Argo CD normalizes them, so the live ones never differ from git', () => {
    const results = validateApplications({ projects, applications: [root, ...childApps] });
    for (const r of results) {
      expect(r.error, r.name).toBeUndefined();
      expect(r.normalized, r.name).toEqual(r.asRead);
      expect(r.conditions, r.name).toEqual([]);
    }
  });

  it('send add-ons only to clusters registered in their environment, never to the control cluster', () => {
    const secrets = [
      clusterSecret('orders', 'dev'),
      clusterSecret('shop', 'prod'),
      { ...clusterSecret('stray', 'dev'), stringData: { name: 'stray', server: 'https://STRAY.eks.amazonaws.com' } },
    ];
    const cases = [
      { app: addonApp('addons-dev', { name: 'orders' }), allowed: true },
      { app: addonApp('addons-dev', { name: 'shop' }), allowed: false },
      { app: addonApp('addons-prod', { name: 'shop' }), allowed: true },
      { app: addonApp('addons-dev', { name: 'stray' }), allowed: false },
      { app: addonApp('addons-dev', { server: 'https://kubernetes.default.svc' }), allowed: false },
      { app: addonApp('addons-prod', { name: 'in-cluster' }), allowed: false },
    ];
    const results = validateApplications({ projects, clusterSecrets: secrets, applications: cases.map((c) => c.app) });
    results.forEach((r, i) => {
      const what = `${cases[i].app.spec.project} -> ${JSON.stringify(cases[i].app.spec.destination)}: ${r.conditions.map((c) => c.message).join('; ')}`;
      if (cases[i].allowed) expect(r.conditions, what).toEqual([]);
      else expect(r.conditions.map((c) => c.message).join('; '), what).toMatch(/do not match any of the allowed destinations in project/);
    });
    for (const p of projects.filter((x) => x.metadata.name.startsWith('addons-')))
      expect(p.spec.permitOnlyProjectScopedClusters, p.metadata.name).toBe(true);
  });
});

describe("Argo CD's AWS identity on the control cluster", () => {
  const objects = controlPlaneObjects.map((o) => o.object);
  const associations = objects.filter((o) => o.kind === 'PodIdentityAssociation' && o.spec.forProvider.namespace === PLATFORM.argocdNamespace);

  it('gives each Argo CD pod that runs argocd-k8s-auth a role by Pod Identity on the control cluster', () => {
    expect(associations.map((a) => a.spec.forProvider.serviceAccount).sort()).toEqual([...ARGOCD_SERVICE_ACCOUNTS].sort());
    for (const a of associations) expect(a.spec.forProvider.clusterName).toBe(PLATFORM.controlCluster.name);
    expect(new Set(associations.map((a) => a.spec.forProvider.roleArnRef.name)).size).toBe(1);
  });

  it("lets that role assume every environment's Argo CD role (the registration's roleARN), and be assumed by them alone", () => {
    const roleName = associations[0].spec.forProvider.roleArnRef.name;
    const role = objects.find((o) => o.kind === 'Role' && o.metadata.name === roleName);
    const grants = objects
      .filter((o) => o.kind === 'RolePolicy' && o.spec.forProvider.roleRef?.name === roleName)
      .flatMap((p) => JSON.parse(p.spec.forProvider.policy).Statement);
    const roleArn = `arn:aws:iam::${PLATFORM.controlCluster.accountId}:role/${roleName}`;
    for (const env of ENVIRONMENTS) {
      const may = grants.some(
        (s: any) =>
          s.Effect === 'Allow' && [s.Resource].flat().includes(env.kubernetes.argoCdRoleArn) && [s.Action].flat().includes('sts:AssumeRole'),
      );
      expect(may, env.name).toBe(true);
    }
    const trust = JSON.parse(role.spec.forProvider.assumeRolePolicy).Statement;
    const pods = trust.find((s: any) => s.Principal.Service === 'pods.eks.amazonaws.com');
    expect(pods.Condition.StringEquals).toEqual({
      'aws:RequestTag/eks-cluster-arn': `arn:aws:eks:${PLATFORM.controlCluster.region}:${PLATFORM.controlCluster.accountId}:cluster/${PLATFORM.controlCluster.name}`,
      'aws:RequestTag/kubernetes-namespace': PLATFORM.argocdNamespace,
      'aws:RequestTag/kubernetes-service-account': [...ARGOCD_SERVICE_ACCOUNTS],
    });
    // argocd-k8s-auth assumes the registration's role with the pod's credentials: where that is
    // this very role, it must trust itself.
    if (ENVIRONMENTS.some((e) => e.kubernetes.argoCdRoleArn === roleArn))
      expect(trust).toContainEqual(expect.objectContaining({ Condition: { ArnEquals: { 'aws:PrincipalArn': roleArn } } }));
  });
});

describe('the settings Argo CD is installed with (dist/bootstrap/)', () => {
  it('turn progressive syncs on where the ApplicationSet controller reads them at start', () => {
    expect(settings.argocdCmdParamsCm).toMatchObject({
      kind: 'ConfigMap',
      metadata: { name: 'argocd-cmd-params-cm', namespace: PLATFORM.argocdNamespace },
      data: { 'applicationsetcontroller.enable.progressive.syncs': 'true' },
    });
  });

  it("are no Application's to sync: no second owner of Argo CD's own ConfigMaps", () => {
    const owned = controlPlaneObjects.filter((o) => o.object.kind === 'ConfigMap' && /^argocd-/.test(o.object.metadata.name));
    expect(owned.map((o) => o.file)).toEqual([]);
    expect(fs.readdirSync(path.join(dist, 'argocd')).filter((f) => /config/.test(f))).toEqual([]);
  });

  it('carry the Application health check, without which waves between Applications order nothing', () => {
    expect(Object.keys(settings.argocdCm.data)).toContain('resource.customizations.health.argoproj.io_Application');
    expect(settings.argocdCm.data['application.resourceTrackingMethod']).toBe('annotation');
  });
});
