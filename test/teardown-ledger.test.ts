// Every AWS kind a Cluster can create, directly (the managed resources its compositions compose)
// or through AWS services and its add-ons, and for each what deletes it in which teardown step,
// or why it stays (compositions/cluster/aws-ledger.ts). A kind or a creator nobody answers for
// fails, and so does an answer the rendered drain Job does not keep.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDON_SPECS } from '../charts/addons';
import { DELETION_ATTEMPT_ANNOTATION } from '../compositions/authoring';
import { COMPOSED, CREATORS, type Fate } from '../compositions/cluster/aws-ledger';
import { DRAIN_COMMANDS, KEPT_NAMESPACES } from '../compositions/cluster/drain';
import { repoRoot } from '../lib/paths';
import { type ObservedFixture, readObservedFixture, resourceName } from '../lib/render';
import { examples, platform, renderSetup } from './support';
import { PROTOCOL } from './teardown-rules';

const DIR = 'compositions/cluster/examples';
const setup = renderSetup();
const fixture = readObservedFixture(path.join(repoRoot, DIR, 'observed', 'default.yaml')) as ObservedFixture & { status: Record<string, any> };

/** `ec2/VPC` for `ec2.aws.m.upbound.io/v1beta1` VPC. */
const kindKey = (apiVersion: string, kind: string) => `${apiVersion.split('.')[0]}/${kind}`;
const isAws = (apiVersion: string) => /\.aws\.m\.upbound\.io\//.test(apiVersion);

/** Every AWS kind the platform's compositions can compose (each resource of each, whatever its condition). */
function composableKinds(): string[] {
  const kinds = platform().compositions.flatMap((c) => c.resources.map((r) => r.base).filter((b) => isAws(b.apiVersion)));
  return [...new Set(kinds.map((b) => kindKey(b.apiVersion, b.kind)))].sort();
}

/** Who creates AWS things for a Cluster: AWS services, EKS managed add-ons, the add-ons Argo CD installs. */
function creators(): string[] {
  const eks = platform().compositions.find((c) => c.api.kind === 'EKSCluster')!;
  const managedAddons = eks.resources.filter((r) => r.base.kind === 'Addon').map((r) => (r.base as any).spec.forProvider.addonName);
  return [...new Set(['eks', 'eks-auto-mode', 'rds', 'cloud-controller-manager', ...managedAddons, ...ADDON_SPECS.map((a) => a.name)])].sort();
}

/** The drain Job's containers (name and kubectl arguments), in order, as rendered for a Cluster being deleted in `mode`. */
function renderedDrainContainers(mode: 'Managed' | 'Auto', composition?: any): { name: string; args: string[] }[] {
  const base = examples(DIR).find((e) => e.file === 'staging-with-database.yaml')!.object;
  const xr = {
    ...base,
    metadata: { ...base.metadata, annotations: { [DELETION_ATTEMPT_ANNOTATION]: 'Background' } },
    spec: { ...base.spec, kubernetes: { computeMode: mode }, database: { enabled: false } },
  };
  // Argo CD's registration gone, the cluster still reachable through its kubeconfig.
  const living = setup.render({ ...base, spec: { ...base.spec, kubernetes: { computeMode: mode }, database: { enabled: false } } }, fixture);
  const observed = living.composed
    .filter((o) => !['registration', 'usage-eks-by-registration'].includes(resourceName(o)))
    .map((o) => setup.renderer.observe(o, xr, fixture));
  const out = setup.renderAgainst(xr, observed, composition);
  const job = out.byName('drain')?.spec.forProvider.manifest;
  if (!job) throw new Error(`no drain Job rendered for a ${mode} Cluster being deleted`);
  return [...(job.spec.template.spec.initContainers ?? []), ...job.spec.template.spec.containers];
}

/** The drain Job's commands, in order, as rendered for a Cluster being deleted in `mode`. */
export const renderedDrain = (mode: 'Managed' | 'Auto', composition?: any): string[] => renderedDrainContainers(mode, composition).map((c) => c.name);

/** Whether a `kubectl delete namespaces -l <selector>` deletes `ns` (set-based selectors on the name label). */
function selects(selector: string, ns: string): boolean {
  const m = /^kubernetes\.io\/metadata\.name (notin|in) \(([^)]*)\)$/.exec(selector);
  if (!m) throw new Error(`a namespace selector the test cannot read: ${selector}`);
  return m[2].split(',').includes(ns) === (m[1] === 'in');
}

/**
 * Where the drain takes an add-on's namespace before the developers' namespaces are gone (its
 * controller and webhooks would go while objects they finalize remain: cert-manager's ACME
 * challenges), or never, though it is neither the system's nor ExternalDNS's (its claims would keep
 * their volumes and the volumes command would wait for ever).
 */
function addonNamespaceProblems(containers: readonly { name: string; args: readonly string[] }[], namespaces: readonly string[]): string[] {
  const deleting = containers
    .map((c, at) => ({ at, name: c.name, selector: c.args[1] === 'namespaces' ? c.args[c.args.indexOf('-l') + 1] : undefined }))
    .filter((c): c is { at: number; name: string; selector: string } => !!c.selector);
  const developers = deleting.find((c) => c.selector.includes(' notin '));
  const volumes = containers.findIndex((c) => c.name === 'volumes');
  const out: string[] = [];
  for (const ns of namespaces) {
    if ((KEPT_NAMESPACES as readonly string[]).includes(ns)) continue;
    const by = deleting.find((c) => selects(c.selector, ns));
    if (!by) out.push(`step drain: the add-on namespace ${ns} is never deleted: its claims keep their volumes, and the volumes command waits`);
    else if (by === developers)
      out.push(
        `step drain: the add-on namespace ${ns} goes with the developers' namespaces (${by.name}): its controller would go while objects it finalizes remain`,
      );
    else if (by.at > volumes) out.push(`step drain: the add-on namespace ${ns} goes after the volumes command, which waits for its claims`);
  }
  return out;
}

/** What is wrong with the ledger, each problem naming the step it concerns. */
function ledgerProblems(props: {
  kinds: readonly string[];
  creators: readonly string[];
  drain: Record<'Managed' | 'Auto', readonly string[]>;
}): string[] {
  const out: string[] = [];
  const check = (what: string, fate: Fate | undefined, commands?: readonly string[]) => {
    if (!fate) return out.push(`${what}: nothing says what deletes it: add it to compositions/cluster/aws-ledger.ts`);
    if ('kept' in fate) return fate.kept.length > 10 ? 0 : out.push(`${what}: kept without a reason`);
    if (!PROTOCOL.includes(fate.step)) out.push(`${what}: step "${fate.step}" is not a step of the protocol`);
    if (!fate.deletedBy) out.push(`${what}: step ${fate.step} names no deleter`);
    if (fate.drainCommand && !DRAIN_COMMANDS.some((c) => c.name === fate.drainCommand))
      out.push(`${what}: step drain: no drain command "${fate.drainCommand}"`);
    if (fate.drainCommand && commands && !commands.includes(fate.drainCommand))
      out.push(`${what}: step drain: the rendered drain Job runs no "${fate.drainCommand}" (${commands.join(', ')})`);
  };
  for (const k of props.kinds) check(`composed ${k}`, COMPOSED[k]);
  for (const k of Object.keys(COMPOSED)) if (!props.kinds.includes(k)) out.push(`composed ${k}: no composition composes it: drop it from the ledger`);
  for (const c of props.creators) {
    const entry = CREATORS[c];
    if (!entry) {
      out.push(`${c}: nothing says what it creates in AWS (creates: [] if nothing)`);
      continue;
    }
    // Karpenter runs on Managed clusters only; Auto Mode's own controllers only on Auto ones.
    const modes: ('Managed' | 'Auto')[] = c === 'karpenter' || c === 'vpc-cni' ? ['Managed'] : c === 'eks-auto-mode' ? ['Auto'] : ['Managed', 'Auto'];
    for (const { what, fate } of entry.creates) for (const m of modes) check(`${c} (${m}): ${what}`, fate, props.drain[m]);
  }
  for (const c of Object.keys(CREATORS)) if (!props.creators.includes(c)) out.push(`${c}: not a creator of this platform: drop it from the ledger`);
  return out;
}

describe.skipIf(!setup.ready)('the AWS ledger: what deletes every kind a Cluster can create', () => {
  let drain: Record<'Managed' | 'Auto', string[]>;
  beforeAll(async () => {
    await setup.start();
    drain = { Managed: renderedDrain('Managed'), Auto: renderedDrain('Auto') };
  });
  afterAll(setup.stop);

  it('answers for every composed kind and every creator, with a step of the protocol the drain Job keeps', () => {
    expect(ledgerProblems({ kinds: composableKinds(), creators: creators(), drain })).toEqual([]);
    // The drain deletes in the order its comments give: what owns load balancers, then workloads, then Karpenter's nodes.
    expect(drain.Managed).toEqual(DRAIN_COMMANDS.map((c) => c.name));
    expect(drain.Auto).toEqual(DRAIN_COMMANDS.filter((c) => !c.karpenterOnly).map((c) => c.name));
  });

  it('fails for a kind or a creator nobody answers for', () => {
    expect(ledgerProblems({ kinds: [...composableKinds(), 's3/Bucket'], creators: creators(), drain })).toEqual([
      'composed s3/Bucket: nothing says what deletes it: add it to compositions/cluster/aws-ledger.ts',
    ]);
    expect(ledgerProblems({ kinds: composableKinds(), creators: [...creators(), 'velero'], drain })).toEqual([
      'velero: nothing says what it creates in AWS (creates: [] if nothing)',
    ]);
  });

  it("fails at the drain when the rendered Job stops deleting Karpenter's NodePools", () => {
    const composition = structuredClone(setup.composition('Cluster'));
    const pt = composition.spec.pipeline.find((s: any) => s.step === 'patch-and-transform');
    for (const p of pt.input.resources.find((r: any) => r.name === 'drain').patches)
      for (const t of p.transforms ?? [])
        if (t.map) for (const list of Object.values(t.map) as any[][]) list.splice(0, list.length, ...list.filter((c) => c.name !== 'nodepools'));
    const problems = ledgerProblems({
      kinds: composableKinds(),
      creators: creators(),
      drain: { ...drain, Managed: renderedDrain('Managed', composition) },
    });
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(/step drain: the rendered drain Job runs no "nodepools"/);
    expect(problems.some((p) => p.startsWith('karpenter (Managed): EC2 instances'))).toBe(true);
  });

  it("deletes the developers' namespaces while every add-on still runs, then the add-ons' own, before the volumes", () => {
    const addonNamespaces = [...new Set(ADDON_SPECS.map((a) => a.namespace))];
    for (const mode of ['Managed', 'Auto'] as const) expect(addonNamespaceProblems(renderedDrainContainers(mode), addonNamespaces), mode).toEqual([]);
    // An add-on in a namespace the drain does not know fails, naming the step
    expect(addonNamespaceProblems(renderedDrainContainers('Managed'), [...addonNamespaces, 'velero'])).toEqual([
      "step drain: the add-on namespace velero goes with the developers' namespaces (namespaces): its controller would go while objects it finalizes remain",
    ]);
  });

  it("fails at the drain when the add-ons' namespaces go with the developers'", () => {
    const composition = structuredClone(setup.composition('Cluster'));
    const pt = composition.spec.pipeline.find((s: any) => s.step === 'patch-and-transform');
    const flatten = (list: any[]) => {
      const kept = list.filter((c) => c.name !== 'addon-namespaces');
      for (const c of kept)
        if (c.name === 'namespaces') c.args[c.args.indexOf('-l') + 1] = `kubernetes.io/metadata.name notin (${KEPT_NAMESPACES.join(',')})`;
      list.splice(0, list.length, ...kept);
    };
    for (const p of pt.input.resources.find((r: any) => r.name === 'drain').patches)
      for (const t of p.transforms ?? []) if (t.map) for (const list of Object.values(t.map) as any[][]) flatten(list);
    const problems = addonNamespaceProblems(renderedDrainContainers('Managed', composition), [...new Set(ADDON_SPECS.map((a) => a.namespace))]);
    expect([...problems].sort()).toEqual(
      ['cert-manager', 'external-secrets', 'ingress-nginx', 'monitoring'].map(
        (ns) =>
          `step drain: the add-on namespace ${ns} goes with the developers' namespaces (namespaces): its controller would go while objects it finalizes remain`,
      ),
    );
  });
});

if (!setup.ready) {
  describe('the AWS ledger', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}
