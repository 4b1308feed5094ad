// The health checks Argo CD gets for Crossplane kinds, run by Argo CD's own Lua runner
// (tools/argocd): an Application is Healthy only when its XRs, resources and packages are.
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { HEALTH_CHECKS, healthScript } from '../charts/argocd';
import { argocdHealth } from '../lib/argocd';
import { repoRoot } from '../lib/paths';
import { readYamlDocs } from '../lib/yaml';

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
const mr = (conditions: unknown[]) => ({
  apiVersion: 'ec2.aws.m.upbound.io/v1beta1',
  kind: 'VPC',
  metadata: { name: 'vpc', namespace: 'team-orders' },
  spec: {},
  status: { conditions },
});
const pkg = (conditions?: unknown[]) => ({
  apiVersion: 'pkg.crossplane.io/v1',
  kind: 'Provider',
  metadata: { name: 'provider-aws-ec2' },
  spec: {},
  ...(conditions ? { status: { conditions } } : {}),
});

const cases: { id: string; script: string; object: unknown; expected: string; message?: RegExp }[] = [
  {
    id: 'xr ready',
    script: 'crossplane-resource.lua',
    object: xr([condition('Synced', 'True', 'ReconcileSuccess'), condition('Ready', 'True', 'Available')]),
    expected: 'Healthy',
  },
  {
    id: 'xr waiting for its parts',
    script: 'crossplane-resource.lua',
    object: xr([condition('Synced', 'True', 'ReconcileSuccess'), condition('Ready', 'False', 'Creating', 'Unready resources: eks, registration')]),
    expected: 'Progressing',
    message: /Unready resources: eks, registration/,
  },
  { id: 'xr new, no status yet', script: 'crossplane-resource.lua', object: xr(), expected: 'Progressing' },
  {
    id: 'xr whose composition fails',
    script: 'crossplane-resource.lua',
    object: xr([condition('Synced', 'False', 'ReconcileError', 'cannot compose resources: function-patch-and-transform failed')]),
    expected: 'Degraded',
    message: /cannot compose resources/,
  },
  {
    id: 'managed resource unavailable',
    script: 'crossplane-resource.lua',
    object: mr([condition('Synced', 'True', 'ReconcileSuccess'), condition('Ready', 'False', 'Unavailable')]),
    expected: 'Degraded',
  },
  {
    id: 'managed resource AWS refuses',
    script: 'crossplane-resource.lua',
    object: mr([condition('Synced', 'False', 'ReconcileError', 'create failed: VpcLimitExceeded'), condition('Ready', 'False', 'Creating')]),
    expected: 'Degraded',
    message: /VpcLimitExceeded/,
  },
  {
    id: 'provider config',
    script: 'crossplane-resource.lua',
    object: {
      apiVersion: 'aws.m.upbound.io/v1beta1',
      kind: 'ClusterProviderConfig',
      metadata: { name: 'default' },
      spec: { credentials: { source: 'PodIdentity' } },
    },
    expected: 'Healthy',
  },
  {
    id: 'package installed and healthy',
    script: 'crossplane-package.lua',
    object: pkg([condition('Installed', 'True', 'ActivePackageRevision'), condition('Healthy', 'True', 'HealthyPackageRevision')]),
    expected: 'Healthy',
  },
  { id: 'package still installing', script: 'crossplane-package.lua', object: pkg(), expected: 'Progressing' },
  {
    id: 'package unhealthy',
    script: 'crossplane-package.lua',
    object: pkg([
      condition('Installed', 'True', 'ActivePackageRevision'),
      condition('Healthy', 'False', 'UnhealthyPackageRevision', 'cannot pull image'),
    ]),
    expected: 'Degraded',
    message: /cannot pull image/,
  },
];

describe('Argo CD health of Crossplane kinds, run by Argo CD', () => {
  const results = argocdHealth(cases.map((c) => ({ id: c.id, script: healthScript(c.script), object: c.object })));

  it.each(cases.map((c, i) => [c.id, c, results[i]] as const))('%s', (_id, c, r) => {
    expect(r.error, r.error).toBeUndefined();
    expect(r.status).toBe(c.expected);
    if (c.message) expect(r.message).toMatch(c.message);
  });

  it('ships those scripts in argocd-cm for XRs, managed resources, Usages and packages', () => {
    const [cm] = readYamlDocs(path.join(repoRoot, 'dist', 'argocd', 'config.yaml'));
    const customizations = yaml.load(cm.data['resource.customizations']) as Record<string, { 'health.lua': string }>;
    expect(Object.keys(customizations).sort()).toEqual(Object.keys(HEALTH_CHECKS).sort());
    for (const [key, file] of Object.entries(HEALTH_CHECKS)) expect(customizations[key]['health.lua'].trim(), key).toBe(healthScript(file).trim());
    expect(cm.data['application.resourceTrackingMethod']).toBe('annotation');
  });
});
