// The teardown protocol, derived from what is rendered: a Cluster with every add-on and a database
// is deleted round by round (teardown-walk.ts), each round rendered by the real renderer with the
// real functions against what the API server would hold, under the rules of Crossplane, Argo CD,
// Karpenter and AWS (teardown-rules.ts). The order the parts go in is read off the walk and must
// be the protocol's; removing any one link of the protocol makes the walk fail at that step.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWN_CHART_SOURCE } from '../charts/addons';
import { STEPS, type TeardownLinks } from '../compositions/cluster/teardown';
import { renderApplicationSets } from '../lib/argocd';
import { repoRoot } from '../lib/paths';
import { readYamlDocs } from '../lib/yaml';
import { renderSetup } from './support';
import { clusterTeardown, derivedOrder, everything, fixture, unprotectAt } from './teardown-cluster';
import { PROTOCOL } from './teardown-rules';
import { resourceNameOf } from './teardown-walk';

const setup = renderSetup();
const { teardown, compositionWithout } = clusterTeardown(setup);

describe.skipIf(!setup.ready)('the teardown protocol, walked with the real renderer', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  it.each(['Managed', 'Auto'] as const)('%s: argocd, drain, dns, database, eks, network, then the Cluster itself', (mode) => {
    // GIVEN a Cluster with every add-on and an unprotected database, WHEN it is deleted
    const result = teardown(everything(mode, { deletionProtection: false }));
    // THEN nothing breaks a rule, the order is the protocol's and the Cluster goes last
    expect(result.violations).toEqual([]);
    expect(derivedOrder(result)).toEqual(PROTOCOL);
    expect(result.xrDeleted).toBe(true);
    // Everything the teardown composed (the drain, the DNS cleanup, the workload ProviderConfig) is valid for its CRD
    const v = setup.renderer.validate([...result.desired.values()]);
    expect(v.ok, v.output).toBe(true);
    // and while each step ran, status.teardown said so: the round after a part started deleting
    // (the render sees its deletionTimestamp) or its Job appeared
    for (const st of STEPS.filter((x) => x.id !== 'held')) {
      const began = result.events.find((e) => st.resources.includes(e.name) && (e.what === 'dropped' || e.what === 'appeared'));
      if (!began) continue;
      expect(result.steps[began.round], `status in the round after ${st.id} began`).toBe(st.column);
    }
  });

  it('holds a protected database before anything is touched, then continues once protection is off in AWS', () => {
    // GIVEN the staging Cluster, whose environment protects the database
    const result = teardown(everything('Managed'), { change: unprotectAt(3) });
    // THEN nothing goes, and once the held Usage is observed (round 2) status says "held" and how to proceed
    expect(result.steps.slice(1, 3)).toEqual(['held', 'held']);
    expect(result.events.filter((e) => e.what === 'dropped' && e.round < 4)).toEqual([]);
    // WHEN protection is turned off, THEN the protocol runs to the end
    expect(result.violations).toEqual([]);
    expect(derivedOrder(result)).toEqual(PROTOCOL);
  });

  it('never deletes a protected database: without a decision the walk stays held', () => {
    const result = teardown(everything('Managed'));
    expect(result.violations.map((v) => v.step)).toEqual(['held']);
    expect(result.events.filter((e) => e.what === 'dropped')).toEqual([]);
  });

  // Each link removed in turn: the walk fails, naming the step that went too early.
  const LINK_STEP: Record<keyof TeardownLinks, string> = {
    hold: 'held',
    argocdBeforeDrain: 'drain',
    drainBeforeDns: 'dns',
    dnsBeforeDatabase: 'database',
    databaseBeforeEks: 'eks',
    eksBeforeNetwork: 'network',
    networkBeforeGate: 'gate',
    // A dropped part is not observed any more while it is still deleting: without its watcher the
    // next step starts at once (EKS while the database still deletes, its final snapshot and all).
    followDeletion: 'eks',
  };
  it.each(Object.entries(LINK_STEP))('without the link %s, the walk fails at step %s', (link, step) => {
    const composition = compositionWithout({ [link]: false });
    const xr = link === 'hold' ? everything('Managed') : everything('Managed', { deletionProtection: false });
    const result = teardown(xr, { composition });
    expect(result.violations.length, `removing ${link} changed nothing`).toBeGreaterThan(0);
    expect(result.violations[0].step, result.violations[0].message).toBe(step);
    expect(result.violations[0].message, 'a rule broken, not a walk that merely stopped').not.toMatch(/nothing moved/);
  });

  it('without the gate, a delete removes the Cluster at once and nothing can be ordered or shown', () => {
    const dist = setup.composition('Cluster');
    const composition = structuredClone(dist);
    const pt = composition.spec.pipeline.find((s: any) => s.step === 'patch-and-transform');
    pt.input.resources = pt.input.resources.filter((r: any) => r.name !== 'deletion-gate');
    const result = teardown(everything('Managed', { deletionProtection: false }), { composition });
    expect(result.violations.map((v) => v.step)).toEqual(['gate']);
  });

  it('with a drain or DNS Object that may delete through the workload cluster, releasing it would hang: the walk fails at drain', () => {
    const composition = structuredClone(setup.composition('Cluster'));
    const pt = composition.spec.pipeline.find((s: any) => s.step === 'patch-and-transform');
    const job = pt.input.resources.find((r: any) => r.name === 'drain');
    job.base.spec.managementPolicies = ['*'];
    const result = teardown(everything('Managed', { deletionProtection: false }), { composition });
    expect(result.violations[0]?.step).toBe('drain');
  });
});

/**
 * Where the teardown is bypassed (a team namespace deleted whole, a Cluster deleted before its gate
 * was in force), garbage collection deletes the parts together and only Usages order them: the
 * order they give, read off the rendered Usages, each missing pair naming the step it guards.
 */
function fallbackProblems(composed: readonly any[]): string[] {
  const pairs = new Set(composed.filter((o) => o.kind === 'Usage' && o.spec.by).map((u) => `${u.spec.of.kind}<-${u.spec.by.kind}`));
  const needed: [string, string, string][] = [
    ['EKSCluster<-Object', 'eks', 'EKS could go while Argo CD still reaches it'],
    ['EKSCluster<-Database', 'eks', 'EKS could go while the database admits its security group'],
    ['Network<-Database', 'network', 'the network could go while the database is in it'],
    ['Network<-EKSCluster', 'network', 'the network could go while EKS is in it'],
  ];
  return needed.filter(([pair]) => !pairs.has(pair)).map(([pair, step, why]) => `step ${step}: no Usage ${pair}: ${why}`);
}

/**
 * What Argo CD does when the registration goes, from the Applications its own ApplicationSet code
 * generates: each comes from a cluster generator over the registration Secret (so the
 * ApplicationSet deletes it when the Secret goes, applicationset_controller.go:809-880) and carries
 * no resources finalizer and no delete hook: it goes without touching the cluster, whose
 * controllers must outlive it for the drain. Argo CD adds that finalizer unless the ApplicationSet
 * preserves resources (applicationset/utils/utils.go:294-302); it strips it again for a cluster its
 * cluster list no longer has (applicationset_controller.go:907-965), but the generator reads
 * Secrets from another cache than that list, so a cascade deleting the controllers first would
 * depend on which cache sees the Secret go first.
 */
function argocdProblems(applications: readonly any[], chartTemplates: string): string[] {
  const out: string[] = [];
  for (const a of applications) {
    const finalizers: string[] = a.metadata.finalizers ?? [];
    if (finalizers.some((f) => f.startsWith('resources-finalizer.argocd.argoproj.io') || /delete-finalizer/.test(f)))
      out.push(
        `step argocd: Application ${a.metadata.name} carries ${finalizers.join(', ')}: deleting it would delete its controllers, in parallel with what they must clean up`,
      );
  }
  if (/argocd\.argoproj\.io\/hook:\s*(PreDelete|PostDelete)|helm\.sh\/hook:\s*(pre|post)-delete/.test(chartTemplates))
    out.push('step argocd: the add-on chart carries a delete hook: Argo CD would run it against a cluster being taken apart');
  return out;
}

describe.skipIf(!setup.ready)('what the order rests on outside the pipeline', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);
  const living = () => setup.render(everything('Managed'), fixture);
  const appSets = () => readYamlDocs(path.join(repoRoot, 'dist', 'argocd', 'addons.yaml'));
  const templates = () =>
    fs
      .readdirSync(path.join(OWN_CHART_SOURCE, 'templates'))
      .map((f) => fs.readFileSync(path.join(OWN_CHART_SOURCE, 'templates', f), 'utf8'))
      .join('\n');
  const applicationsFor = (sets: readonly any[], secrets: readonly any[]) => {
    const results = renderApplicationSets(sets, secrets);
    for (const r of results) expect(r.error, `${r.applicationSet}: ${r.error}`).toBeUndefined();
    return results.flatMap((r) => r.applications);
  };

  it("Argo CD's own ApplicationSet code: the add-on Applications exist only while the registration does, and go without touching the cluster", () => {
    const secret = living().byName('registration').spec.forProvider.manifest;
    const apps = applicationsFor(appSets(), [secret]);
    expect(apps.length).toBeGreaterThan(5);
    expect(argocdProblems(apps, templates())).toEqual([]);
    // Without the Secret, no ApplicationSet generates an Application for the cluster: it deletes them.
    expect(applicationsFor(appSets(), [])).toEqual([]);
  });

  it("without preserveResourcesOnDeletion, Argo CD's code gives every Application the resources finalizer, and the check fails at step argocd", () => {
    const secret = living().byName('registration').spec.forProvider.manifest;
    const sets = appSets().map((a: any) => {
      const { syncPolicy: _, ...spec } = a.spec;
      return { ...a, spec };
    });
    const problems = argocdProblems(applicationsFor(sets, [secret]), templates());
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(/^step argocd: .* carries resources-finalizer.argocd.argoproj.io/);
  });

  it('the Usages order the parts where the steps are bypassed; removing any one fails naming its step', () => {
    const composed = living().composed;
    expect(fallbackProblems(composed)).toEqual([]);
    const usages = composed.filter((o) => o.kind === 'Usage' && o.spec.by);
    for (const u of usages) {
      const problems = fallbackProblems(composed.filter((o) => o !== u));
      expect(problems, `without ${resourceNameOf(u)}`).toHaveLength(1);
      expect(problems[0]).toMatch(/^step (eks|network): /);
    }
  });
});

if (!setup.ready) {
  describe('the teardown protocol', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}
