// Health as Argo CD decides it, by Argo CD's own code (tools/argocd): our Lua scripts on their
// own, then every object Argo CD syncs on the control cluster with the status its controller
// reports once all is well (charts/observed/), under an installation's argocd-cm with
// dist/bootstrap/argocd-cm.yaml merged in: our customizations first, then Argo CD's built-ins.
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../catalog';
import { HEALTH_KEY_PREFIX, HEALTH_RULES, healthScript } from '../charts/argocd-health';
import { argocdAssess, argocdHealth } from '../lib/argocd';
import { groupOf } from '../lib/crds';
import { crdForXrd } from '../lib/xrd';
import {
  CONTROL_PLANE_FIXTURES,
  controlPlaneObjects,
  fixtures,
  INSTALLED_ARGOCD_CM,
  missingFixtures,
  observed,
  observedAll,
  settings,
} from './argocd-support';
import { crds } from './support';

const condition = (type: string, status: string, reason: string, message?: string) => ({
  type,
  status,
  reason,
  ...(message ? { message } : {}),
  lastTransitionTime: '2026-01-01T00:00:00Z',
});
const xr = (conditions?: unknown[]) => ({
  apiVersion: 'platform.drydock.dev/v1alpha1',
  kind: 'Cluster',
  metadata: { name: 'orders', namespace: 'team-orders' },
  spec: {},
  ...(conditions ? { status: { conditions } } : {}),
});
const pkg = (conditions?: unknown[]) => ({
  apiVersion: 'pkg.crossplane.io/v1',
  kind: 'Provider',
  metadata: { name: 'provider-aws-ec2' },
  spec: { package: `${PROVIDERS.aws.repository}-ec2:${PROVIDERS.aws.version}` },
  ...(conditions ? { status: { conditions } } : {}),
});
const installed = condition('Installed', 'True', 'ActivePackageRevision');
const source = { repoURL: 'https://github.com/drydock-dev/platform.git', path: 'dist/crossplane', targetRevision: 'main' };
const destination = { server: 'https://kubernetes.default.svc' };
const app = (status?: unknown) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'crossplane-packages', namespace: 'argocd' },
  spec: { project: 'platform', source, destination },
  ...(status ? { status } : {}),
});
const synced = (health: string, sync = 'Synced', compared: unknown = source, phase = 'Succeeded') => ({
  sync: { status: sync, revision: 'abc', comparedTo: { source: compared, destination } },
  health: { status: health },
  operationState: { phase },
});

const inSync = { group: 'apiextensions.crossplane.io', kind: 'Composition', name: 'networks', status: 'Synced' };
const extra = { group: 'apiextensions.crossplane.io', kind: 'EnvironmentConfig', name: 'retired', status: 'OutOfSync', requiresPruning: true };
/** An Application whose automated sync prunes or not, out of sync by these resources. */
const prunable = (prune: boolean, resources: unknown[]) => {
  const a: any = app({ ...synced('Healthy', 'OutOfSync'), resources });
  a.spec.syncPolicy = { automated: { prune, selfHeal: true } };
  return a;
};

const cases: { id: string; script: string; object: unknown; expected: string; message?: RegExp }[] = [
  {
    id: 'xr ready',
    script: 'crossplane-composite.lua',
    object: xr([condition('Synced', 'True', 'ReconcileSuccess'), condition('Ready', 'True', 'Available')]),
    expected: 'Healthy',
  },
  {
    id: 'xr waiting for its parts',
    script: 'crossplane-composite.lua',
    object: xr([condition('Synced', 'True', 'ReconcileSuccess'), condition('Ready', 'False', 'Creating', 'Unready resources: eks, registration')]),
    expected: 'Progressing',
    message: /Unready resources: eks, registration/,
  },
  { id: 'xr new, no status yet', script: 'crossplane-composite.lua', object: xr(), expected: 'Progressing' },
  {
    id: 'xr whose composition fails',
    script: 'crossplane-composite.lua',
    object: xr([condition('Synced', 'False', 'ReconcileError', 'cannot compose resources: function-patch-and-transform failed')]),
    expected: 'Degraded',
    message: /cannot compose resources/,
  },
  {
    id: 'xr unavailable',
    script: 'crossplane-composite.lua',
    object: xr([condition('Synced', 'True', 'ReconcileSuccess'), condition('Ready', 'False', 'Unavailable')]),
    expected: 'Degraded',
  },
  {
    id: 'package installed and healthy',
    script: 'crossplane-package.lua',
    object: pkg([installed, condition('Healthy', 'True', 'HealthyPackageRevision')]),
    expected: 'Healthy',
  },
  { id: 'package still installing', script: 'crossplane-package.lua', object: pkg(), expected: 'Progressing' },
  {
    // Crossplane v2.2 PackageHealth: a new revision whose health is not known yet.
    id: 'package whose revision health is still unknown',
    script: 'crossplane-package.lua',
    object: pkg([installed, condition('Healthy', 'False', 'UnhealthyPackageRevision', 'Package revision health is "Unknown"')]),
    expected: 'Progressing',
    message: /Unknown/,
  },
  {
    id: 'package whose runtime health is still unknown',
    script: 'crossplane-package.lua',
    object: pkg([installed, condition('Healthy', 'False', 'UnhealthyPackageRevision', 'Package runtime health is "Unknown"')]),
    expected: 'Progressing',
  },
  {
    id: 'package unhealthy',
    script: 'crossplane-package.lua',
    object: pkg([
      installed,
      condition('Healthy', 'False', 'UnhealthyPackageRevision', 'Package runtime health is "False" with message: cannot pull image'),
    ]),
    expected: 'Degraded',
    message: /cannot pull image/,
  },
  { id: 'application just created', script: 'argocd-application.lua', object: app(), expected: 'Progressing' },
  { id: 'application synced and healthy', script: 'argocd-application.lua', object: app(synced('Healthy')), expected: 'Healthy' },
  {
    // Argo CD writes comparedTo from its Go types: a directory source gains an empty jsonnet.
    id: 'application compared as Argo CD serializes its spec',
    script: 'argocd-application.lua',
    object: {
      ...app(synced('Healthy', 'Synced', { ...source, directory: { recurse: true, jsonnet: {} } })),
      spec: { project: 'platform', source: { ...source, directory: { recurse: true } }, destination },
    },
    expected: 'Healthy',
  },
  {
    id: 'application whose status is of its previous spec',
    script: 'argocd-application.lua',
    object: app(synced('Healthy', 'Synced', { ...source, path: 'dist/old' })),
    expected: 'Progressing',
  },
  {
    id: 'application still syncing',
    script: 'argocd-application.lua',
    object: app(synced('Healthy', 'Synced', source, 'Running')),
    expected: 'Progressing',
  },
  { id: 'application out of sync', script: 'argocd-application.lua', object: app(synced('Healthy', 'OutOfSync')), expected: 'Progressing' },
  { id: 'application degraded', script: 'argocd-application.lua', object: app(synced('Degraded', 'OutOfSync')), expected: 'Degraded' },
  {
    // platform-apis never prunes: a file removed from dist/apis leaves its object behind, and
    // Argo CD's auto-sync then has nothing to do (appcontroller.go autoSync), so the parent must
    // not wait on it for ever.
    id: 'application out of sync only by extras its automated sync may not prune',
    script: 'argocd-application.lua',
    object: prunable(false, [extra, inSync]),
    expected: 'Healthy',
    message: /pruned by hand/,
  },
  {
    id: 'application with extras its automated sync will prune',
    script: 'argocd-application.lua',
    object: prunable(true, [extra, inSync]),
    expected: 'Progressing',
  },
  {
    id: 'application with extras and a resource still to apply',
    script: 'argocd-application.lua',
    object: prunable(false, [extra, { ...inSync, name: 'clusters', status: 'OutOfSync' }]),
    expected: 'Progressing',
  },
];

describe('our health scripts, run by Argo CD', () => {
  const results = argocdHealth(cases.map((c) => ({ id: c.id, script: healthScript(c.script), object: c.object })));

  it.each(cases.map((c, i) => [c.id, c, results[i]] as const))('%s', (_id, c, r) => {
    expect(r.error, r.error).toBeUndefined();
    expect(r.status).toBe(c.expected);
    if (c.message) expect(r.message).toMatch(c.message);
  });
});

describe('every object Argo CD syncs on the control cluster, judged by Argo CD', () => {
  const known = fixtures(...CONTROL_PLANE_FIXTURES);
  const objects = controlPlaneObjects.map((o) => o.object);

  it('has the status its controller reports once all is well (charts/observed/)', () => {
    expect(missingFixtures(objects, known)).toEqual([]);
  });

  const assessed = argocdAssess({
    argocdCm: INSTALLED_ARGOCD_CM,
    argocdCmPatch: settings.argocdCm,
    objects: observedAll(objects, known).map((object, i) => ({ id: String(i), object })),
  });
  const label = (i: number) => `${objects[i].kind} ${objects[i].metadata.name}`;

  it('is Healthy, or has no health Argo CD would wait for', () => {
    const notHealthy = assessed.objects
      .filter((r) => r.error || (r.status !== 'Healthy' && r.status !== ''))
      .map((r) => `${label(Number(r.id))}: ${r.status} ${r.message} ${r.error ?? ''}`);
    expect(notHealthy).toEqual([]);
  });

  it('keeps Argo CD built-in checks for kinds without status: no customization of ours shadows them', () => {
    const shadowed = assessed.objects
      .map((r, i) => ({ r, o: objects[i] }))
      .filter(({ o, r }) => observed(o, known).status === undefined && r.source === 'customization')
      .map(({ o }) => `${o.apiVersion} ${o.kind}`);
    expect(shadowed).toEqual([]);
    // A DeploymentRuntimeConfig (no status at all) in particular: Argo CD's built-in script knows.
    const runtime = assessed.objects.find((_, i) => objects[i].kind === 'DeploymentRuntimeConfig');
    expect(runtime?.status).toBe('Healthy');
    expect(runtime?.source).toBe('built-in script');
  });

  it('gives a health script only to kinds whose objects report status conditions, one split key per kind', () => {
    const keys = Object.keys(settings.argocdCm.data).filter((k) => k.startsWith('resource.customizations'));
    expect(keys.filter((k) => !k.startsWith(HEALTH_KEY_PREFIX))).toEqual([]);
    const xrds = objects.filter((o) => o.kind === 'CompositeResourceDefinition').map((x) => crdForXrd(x));
    for (const key of keys) {
      const [group, kind] = key.slice(HEALTH_KEY_PREFIX.length).split('_');
      const crd = xrds.find((c) => c.spec.group === group && c.spec.names.kind === kind) ?? crds().find(`${group}/v1`, kind);
      const version = crd?.spec.versions.find((v: any) => v.storage) ?? crd?.spec.versions[0];
      const status = version?.schema?.openAPIV3Schema?.properties?.status?.properties;
      expect(status?.conditions ?? status?.health, `${key}: its CRD must declare status conditions`).toBeDefined();
    }
    expect(HEALTH_RULES.map((r) => r.script).sort()).toEqual(['argocd-application.lua', 'crossplane-composite.lua', 'crossplane-package.lua']);
  });

  it("leaves every key the installation's argocd-cm carried, and adds ours as split keys Argo CD reads", () => {
    for (const [key, value] of Object.entries(INSTALLED_ARGOCD_CM.data)) expect(assessed.argocdCm.data?.[key], key).toBe(value);
    expect(assessed.overrides).toContain('example.com/Widget');
    for (const key of Object.keys(settings.argocdCm.data).filter((k) => k.startsWith(HEALTH_KEY_PREFIX))) {
      const [group, kind] = key.slice(HEALTH_KEY_PREFIX.length).split('_');
      expect(assessed.overrides, key).toContain(`${group}/${kind}`);
    }
    expect(settings.argocdCm.data['resource.customizations']).toBeUndefined();
  });

  it('treats a package whose new revision has unknown health as progressing, not degraded', () => {
    const [r] = argocdAssess({
      argocdCm: INSTALLED_ARGOCD_CM,
      argocdCmPatch: settings.argocdCm,
      objects: [
        {
          id: 'p',
          object: pkg([installed, condition('Healthy', 'False', 'UnhealthyPackageRevision', 'Package revision health is "Unknown"')]),
        },
      ],
    }).objects;
    expect([r.status, r.source]).toEqual(['Progressing', 'customization']);
  });

  it('judges the XRs of every platform API and every Crossplane package it ships by our scripts', () => {
    const bySource = new Map(assessed.objects.map((r, i) => [`${groupOf(objects[i].apiVersion)}/${objects[i].kind}`, r.source]));
    for (const kind of ['platform.drydock.dev/Cluster', 'pkg.crossplane.io/Provider', 'pkg.crossplane.io/Function', 'argoproj.io/Application'])
      expect(bySource.get(kind), kind).toBe('customization');
  });
});
