// npm run plan judged with the real renderer: every XR tree of claims/ and of the Cluster examples
// rendered by crank with the real functions, once with the platform as synth builds it and once
// with a change, and what the plan says about each change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_LABEL } from '../compositions/cluster/environment';
import { repoRoot } from '../lib/paths';
import {
  folderSource,
  type Plan,
  type PlanSide,
  type PlanXr,
  plan,
  planExitCode,
  planMarkdown,
  planText,
  sideFromObjects,
  TreeRenderer,
} from '../lib/plan';
import { renderSetup, workingTreeObjects } from './support';

const setup = renderSetup();
const repo = folderSource(repoRoot, 'working tree');
/**
 * The platform as synth builds it, every environment on the working tree's Compositions (releases
 * are test/plan-rollout.test.ts's), with every Cluster of claims/ and of the Cluster examples.
 */
function platformSide(label = 'base'): PlanSide {
  const side = sideFromObjects({ label, objects: workingTreeObjects(), repo });
  return { ...side, xrs: side.xrs.filter((x) => x.xr.kind === 'Cluster') };
}

/** The side with one composed resource of the working tree's Composition of `kind` changed by `change` (or dropped when it returns undefined). */
function withComposedResource(side: PlanSide, kind: string, resource: string, change: (r: any) => any): PlanSide {
  const objects = structuredClone(side.objects) as any[];
  const edge = objects.find((o) => o.kind === 'CompositeResourceDefinition' && o.spec.names.kind === kind).spec.defaultCompositionRef.name;
  const composition = objects.find((o) => o.kind === 'Composition' && o.metadata.name === edge);
  const step = composition.spec.pipeline.find((s: any) => s.input?.kind === 'Resources');
  const found = step.input.resources.find((r: any) => r.name === resource);
  expect(found, `${kind} composes "${resource}"`).toBeDefined();
  step.input.resources = step.input.resources.flatMap((r: any) => (r === found ? [change(r)].filter(Boolean) : [r]));
  return { ...side, label: 'head', objects };
}

/** The side with the XR titled `title` changed. */
const withXr = (side: PlanSide, title: string, change: (x: PlanXr) => PlanXr): PlanSide => ({
  ...side,
  label: 'head',
  xrs: side.xrs.map((x) => (x.title === title ? change(x) : x)),
});

const xrPlan = (p: Plan, name: string) => {
  const x = p.xrs.find((x) => x.title.endsWith(`/${name}`));
  expect(x, `the plan has ${name}`).toBeDefined();
  return x!;
};

describe.skipIf(!setup.ready)('npm run plan with the real renderer', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);
  // Base renders are shared between the tests (the same inputs render the same).
  const memo = new Map();
  const planOf = (base: PlanSide, head: PlanSide, props: { memo?: Map<string, any>; reuse?: boolean } = {}) =>
    plan({
      base,
      head,
      renderers: {
        base: new TreeRenderer({
          renderer: setup.renderer,
          objects: base.objects,
          fixtures: base.fixtures,
          engine: 'test',
          memo: props.memo ?? memo,
        }),
        head: new TreeRenderer({
          renderer: setup.renderer,
          objects: head.objects,
          fixtures: base.fixtures,
          engine: 'test',
          memo: props.memo ?? memo,
          reuse: props.reuse,
        }),
      },
    });

  it('plans an unchanged tree as 0 changed and exit 0, rendering the working tree again rather than trusting the base', async () => {
    // GIVEN the same platform on both sides, WHEN the head renders afresh (no shared renders, no reuse)
    const side = platformSide();
    const head = new TreeRenderer({ renderer: setup.renderer, objects: side.objects, fixtures: side.fixtures, engine: 'test', reuse: false });
    const result = await plan({
      base: side,
      head: { ...side, label: 'head' },
      renderers: { base: new TreeRenderer({ renderer: setup.renderer, objects: side.objects, fixtures: side.fixtures, engine: 'test', memo }), head },
    });
    // THEN every tree rendered on the head and nothing differs
    expect(head.stats.renders).toBeGreaterThanOrEqual(side.xrs.length);
    expect(result.summary).toEqual({ unchanged: side.xrs.length, changed: 0, destructive: 0, failed: 0 });
    expect(planExitCode(result, { strict: true })).toBe(0);
    // Whole trees: each Cluster ran its own composition and its children's.
    const canary = xrPlan(result, 'platform-canary');
    expect([...canary.compositions.head.keys()].sort()).toEqual(['', 'database', 'eks', 'network']);
  }, 600_000);

  it('plans a harmless change (a tag on the EKS cluster) as changed, naming the field, not destructive', async () => {
    const base = platformSide();
    const head = withComposedResource(base, 'EKSCluster', 'cluster', (r) => ({
      ...r,
      base: {
        ...r.base,
        spec: { ...r.base.spec, forProvider: { ...r.base.spec.forProvider, tags: { ...r.base.spec.forProvider.tags, team: 'platform' } } },
      },
    }));
    const result = await planOf(base, head);
    const sandbox = xrPlan(result, 'platform-sandbox');
    expect(sandbox.status).toBe('changed');
    expect(sandbox.destructive).toBe(false);
    expect(sandbox.resources).toEqual([
      {
        path: 'eks/cluster',
        type: 'eks.aws.m.upbound.io/v1beta1 Cluster',
        action: 'changed',
        fields: [{ path: 'spec.forProvider.tags.team', after: 'platform' }],
        destructive: [],
      },
    ]);
    expect(result.summary.destructive).toBe(0);
    expect(planExitCode(result, { strict: true })).toBe(0);
    expect(planText(result, { color: false })).toContain('spec.forProvider.tags.team: (absent) -> "platform"');
  });

  it("flags removing the database's KMS key as destructive, and --strict fails on it", async () => {
    const base = platformSide();
    const head = withComposedResource(base, 'Database', 'kms-key', () => undefined);
    const result = await planOf(base, head);
    const canary = xrPlan(result, 'platform-canary');
    expect(canary.destructive).toBe(true);
    const key = canary.resources.find((r) => r.path === 'database/kms-key')!;
    expect(key).toMatchObject({ action: 'removed', type: 'kms.aws.m.upbound.io/v1beta1 Key' });
    expect(key.destructive).toEqual([expect.stringMatching(/^KMS key .* removed: Crossplane deletes it in AWS$/)]);
    // Clusters without a database compose no key: untouched.
    expect(xrPlan(result, 'platform-sandbox').status).toBe('unchanged');
    expect(planExitCode(result, { strict: false })).toBe(0);
    expect(planExitCode(result, { strict: true })).toBe(1);
    const md = planMarkdown(result);
    expect(md).toContain('🔴 KMS key');
    expect(md).toMatch(/\*\*\d+ XRs: \d+ unchanged, \d+ changed, [1-9]\d* with destructive changes\*\*/);
  });

  it("flags a composition change to an AWS name as destructive (the nodes' IAM role renamed), naming the field", async () => {
    const base = platformSide();
    const head = withComposedResource(base, 'EKSCluster', 'role-nodes', (r) => ({
      ...r,
      patches: r.patches.map((p: any) =>
        p.toFieldPath === 'metadata.annotations[crossplane.io/external-name]' ? { ...p, combine: { ...p.combine, string: { fmt: '%s-node' } } } : p,
      ),
    }));
    const result = await planOf(base, head);
    const sandbox = xrPlan(result, 'platform-sandbox');
    expect(sandbox.destructive).toBe(true);
    const role = sandbox.resources.find((r) => r.path === 'eks/role-nodes')!;
    expect(role.fields).toEqual([
      { path: 'metadata.annotations[crossplane.io/external-name]', before: expect.stringMatching(/-nodes$/), after: expect.stringMatching(/-node$/) },
    ]);
    expect(role.destructive).toEqual([
      'metadata.annotations[crossplane.io/external-name] names it in AWS: changing it replaces the IAM role (its ARN and every trust in it)',
    ]);
  });

  it("flags an environment that turns its databases' deletion protection and final snapshot off, on every database it reaches", async () => {
    // GIVEN staging's EnvironmentConfig with both protections off (environments/staging.ts edited)
    const base = platformSide();
    const objects = base.objects.map((o) =>
      o.kind === 'EnvironmentConfig' && o.metadata.labels[ENVIRONMENT_LABEL] === 'staging'
        ? { ...o, data: { ...o.data, database: { ...o.data.database, deletionProtection: false, finalSnapshot: false } } }
        : o,
    );
    const result = await planOf(base, { ...base, label: 'head', objects });
    // THEN the staging canary's database is flagged, on the Database XR and on the RDS cluster
    const canary = xrPlan(result, 'platform-canary');
    expect(canary.destructive).toBe(true);
    const flagged = canary.resources.flatMap((r) => r.destructive.map((why) => `${r.path}: ${why}`));
    expect(flagged).toEqual(
      expect.arrayContaining([
        'database: spec.deletionProtection protects data from deletion: true -> false',
        'database/cluster: spec.forProvider.deletionProtection protects data from deletion: true -> false',
        'database/cluster: spec.forProvider.skipFinalSnapshot protects data from deletion: false -> true',
      ]),
    );
    // Other environments' XRs do not read staging's settings.
    expect(xrPlan(result, 'shared-services').status).toBe('unchanged');
    expect(planExitCode(result, { strict: true })).toBe(1);
  });

  it('plans a new spec.clusterName on an existing Cluster as no change: it keeps the name EKS reports, and every AWS name with it', async () => {
    const base = platformSide();
    const head = withXr(base, 'Cluster platform/shared-services', (x) => ({ ...x, xr: { ...x.xr, spec: { ...x.xr.spec, clusterName: 'shared' } } }));
    const result = await planOf(base, head);
    // The working tree is planned as an update of what exists: the Cluster composition names its
    // children after status.clusterName once EKS reports one, so nothing is replaced.
    expect(xrPlan(result, 'shared-services')).toMatchObject({ status: 'unchanged', destructive: false });
  });

  it('flags renaming a Cluster XR (its metadata.name) as destructive: the old tree is deleted, stateful resources first among them', async () => {
    const base = platformSide();
    const head = withXr(base, 'Cluster platform/platform-canary', (x) => ({
      ...x,
      key: 'Cluster platform/canary',
      title: 'Cluster platform/canary',
      xr: { ...x.xr, metadata: { ...x.xr.metadata, name: 'canary' } },
    }));
    const result = await planOf(base, head);
    const gone = result.xrs.find((x) => x.title === 'Cluster platform/platform-canary')!;
    expect(gone.status).toBe('removed');
    expect(gone.destructive).toBe(true);
    expect(gone.resources.filter((r) => r.destructive.length).map((r) => r.path)).toEqual(
      expect.arrayContaining(['database/cluster', 'database/kms-key', 'eks/cluster', 'network/vpc']),
    );
    expect(result.xrs.find((x) => x.title === 'Cluster platform/canary')!.status).toBe('added');
  });

  it("lists the add-on Applications a claim's registration gains and loses, from Argo CD's own ApplicationSet code", async () => {
    const base = platformSide();
    const toggled = (x: any) => ({
      ...x,
      xr: { ...x.xr, spec: { ...x.xr.spec, addons: { ...x.xr.spec.addons, monitoring: true, certManager: false } } },
    });
    const head = withXr(base, 'Cluster platform/platform-sandbox', toggled);
    const result = await planOf(base, head);
    const sandbox = xrPlan(result, 'platform-sandbox');
    // Applications are named after the cluster: its readable name and a hash (compositions/cluster/names.ts).
    expect(sandbox.addons.gained).toEqual([
      expect.stringMatching(/^addon-kube-prometheus-stack\/platform-sandbox-[0-9a-f]{8}-kube-prometheus-stack$/),
    ]);
    expect(sandbox.addons.lost).toEqual([expect.stringMatching(/^addon-cert-manager\/platform-sandbox-[0-9a-f]{8}-cert-manager$/)]);
  });
});
