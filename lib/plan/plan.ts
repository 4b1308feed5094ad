// A plan: every top-level XR of two sides rendered down its whole tree, paired by identity, and
// what differs, judged. Rendering is left to TreeRenderers the caller starts (scripts/plan.ts),
// so tests can plan any two sets of dist objects.
import { applicationsFor, clusterSecrets, type GroupApplications } from './addons';
import { diffResources, type FieldChange, fieldChanges, type ResourceChange } from './diff';
import type { PlanSide, PlanXr } from './sources';
import { flattenTree, type RenderedNode, type TreeRenderer } from './tree';

export interface AddonChanges {
  /** `<ApplicationSet>/<Application>` the registration gains, loses, or keeps with another spec. */
  readonly gained: readonly string[];
  readonly lost: readonly string[];
  readonly changed: readonly { readonly app: string; readonly fields: readonly FieldChange[] }[];
  /** ApplicationSets that fail for this cluster with the working tree, failing so for no XR of the base. */
  readonly failing: readonly string[];
  /** ApplicationSets that fail for this cluster as they fail on the base: a problem the change did not make. */
  readonly stillFailing: readonly string[];
}

export type XrStatus = 'unchanged' | 'changed' | 'added' | 'removed' | 'failed';

export interface XrPlan {
  readonly key: string;
  readonly title: string;
  readonly source: string;
  /** spec.environment, for XRs that have one. */
  readonly environment?: string;
  readonly status: XrStatus;
  /** The Composition each XR of the tree runs, by path (`` for the top XR, `eks` for a child). */
  readonly compositions: { readonly base: ReadonlyMap<string, string>; readonly head: ReadonlyMap<string, string> };
  readonly resources: readonly ResourceChange[];
  readonly addons: AddonChanges;
  /** Why a render failed: on the working tree's side this fails the plan. */
  readonly errors: readonly string[];
  readonly destructive: boolean;
}

export interface PlanSummary {
  readonly unchanged: number;
  readonly changed: number;
  readonly destructive: number;
  readonly failed: number;
}

export interface Plan {
  readonly base: string;
  readonly head: string;
  readonly xrs: readonly XrPlan[];
  readonly summary: PlanSummary;
  /** The working tree's rendered trees, by XR key: a later plan can start from them. */
  readonly rendered: ReadonlyMap<string, RenderedNode>;
}

export interface PlanInput {
  readonly base: PlanSide;
  readonly head: PlanSide;
  readonly renderers: { readonly base: TreeRenderer; readonly head: TreeRenderer };
  /** The base's trees, rendered already (by an earlier plan's head), by XR key. @default - rendered here */
  readonly rendered?: ReadonlyMap<string, RenderedNode>;
}

interface SideResult {
  readonly node: RenderedNode;
  readonly resources: Map<string, any>;
  readonly errors: string[];
}

async function renderSide(
  xr: PlanXr | undefined,
  renderer: TreeRenderer,
  observed: PlanXr['observed'],
  existing?: RenderedNode,
): Promise<SideResult | undefined> {
  if (!xr) return undefined;
  return sideResult(await renderer.render(xr.xr, observed, existing));
}

const sideResult = (node: RenderedNode): SideResult => ({ node, resources: flattenTree(node), errors: treeErrors(node) });

/** Why each XR of a tree did not render, by its path of composition-resource-names. */
export function treeErrors(node: RenderedNode, prefix = ''): string[] {
  return [
    ...(node.error ? [`${prefix || node.xr.kind}: ${node.error}`] : []),
    ...[...node.children].flatMap(([name, child]) => treeErrors(child, `${prefix}${name}/`.replace(/\/$/, ''))),
  ];
}

function compositionsOf(node: RenderedNode | undefined, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (!node) return out;
  out.set(prefix, node.composition);
  for (const [name, child] of node.children) for (const [p, c] of compositionsOf(child, prefix ? `${prefix}/${name}` : name)) out.set(p, c);
  return out;
}

/** `failedBefore`: every ApplicationSet failure of the base, whichever XR it came from. */
function addonChanges(before: GroupApplications | undefined, after: GroupApplications | undefined, failedBefore: ReadonlySet<string>): AddonChanges {
  const a = before?.applications ?? new Map();
  const b = after?.applications ?? new Map();
  return {
    failing: (after?.errors ?? []).filter((e) => !failedBefore.has(e)),
    stillFailing: (after?.errors ?? []).filter((e) => failedBefore.has(e)),
    gained: [...b.keys()].filter((k) => !a.has(k)).sort(),
    lost: [...a.keys()].filter((k) => !b.has(k)).sort(),
    changed: [...b.keys()]
      .filter((k) => a.has(k))
      .map((app) => ({ app, fields: fieldChanges(a.get(app), b.get(app)) }))
      .filter((c) => c.fields.length)
      .sort((x, y) => x.app.localeCompare(y.app)),
  };
}

/**
 * Plan every XR of either side: render both trees, pair them, diff them, judge the differences.
 * The XRs render side by side (the Renderer's pool bounds how many crank runs at once); the plan
 * lists them in the order of `keys` whatever order they finish in.
 */
export async function plan(input: PlanInput): Promise<Plan> {
  const { base, head } = input;
  const kinds = new Set(
    [...base.objects, ...head.objects].filter((o) => o.kind === 'CompositeResourceDefinition').map((o) => `${o.spec.group}/${o.spec.names.kind}`),
  );
  const isXr = (o: any) => kinds.has(`${String(o.apiVersion).split('/')[0]}/${o.kind}`);
  const keys = [...new Set([...base.xrs.map((x) => x.key), ...head.xrs.map((x) => x.key)])];
  const rendered = await Promise.all(
    keys.map(async (key) => {
      const b = base.xrs.find((x) => x.key === key);
      const h = head.xrs.find((x) => x.key === key);
      const known = b && input.rendered?.get(key);
      const before = known ? sideResult(known) : await renderSide(b, input.renderers.base, h?.observed ?? b?.observed);
      // The working tree reaches an XR that exists: it is rendered from what the base composed.
      return { key, b, h, before, after: await renderSide(h, input.renderers.head, h?.observed, before?.node) };
    }),
  );
  const apps = (side: PlanSide, pick: (r: (typeof rendered)[number]) => SideResult | undefined) =>
    applicationsFor(
      side.objects.filter((o) => o.kind === 'ApplicationSet'),
      new Map(rendered.map((r) => [r.key, clusterSecrets(pick(r)?.resources.values() ?? [])])),
    );
  const appsBefore = apps(base, (r) => r.before);
  const appsAfter = apps(head, (r) => r.after);
  // A failure the base has too, for any XR, is not made by this change (a new XR meets it as well).
  const failedBefore = new Set([...appsBefore.values()].flatMap((g) => g.errors));

  const xrs = rendered.map(({ key, b, h, before, after }): XrPlan => {
    const resources = diffResources(before?.resources ?? new Map(), after?.resources ?? new Map(), isXr);
    const addons = addonChanges(appsBefore.get(key), appsAfter.get(key), failedBefore);
    const errors = [...(after?.errors ?? []), ...(before?.errors ?? []).map((e) => `${base.label}: ${e}`)];
    const any = h ?? b!;
    const status: XrStatus =
      after?.errors.length || addons.failing.length
        ? 'failed'
        : !before
          ? 'added'
          : !after
            ? 'removed'
            : resources.length || addons.gained.length || addons.lost.length || addons.changed.length || addons.failing.length
              ? 'changed'
              : 'unchanged';
    return {
      key,
      title: any.title,
      source: any.source,
      environment: any.xr.spec?.environment,
      status,
      compositions: { base: compositionsOf(before?.node), head: compositionsOf(after?.node) },
      resources,
      addons,
      errors,
      destructive: resources.some((r) => r.destructive.length > 0),
    };
  });
  return {
    base: base.label,
    head: head.label,
    rendered: new Map(rendered.filter((r) => r.after).map((r) => [r.key, r.after!.node])),
    xrs,
    summary: {
      unchanged: xrs.filter((x) => x.status === 'unchanged').length,
      changed: xrs.filter((x) => x.status !== 'unchanged' && x.status !== 'failed').length,
      destructive: xrs.filter((x) => x.destructive).length,
      failed: xrs.filter((x) => x.status === 'failed').length,
    },
  };
}

/** What the command exits with: 1 when the working tree fails to render, or with `strict` when a change is destructive. */
export function planExitCode(p: Plan, props: { readonly strict: boolean }): number {
  if (p.summary.failed) return 1;
  return props.strict && p.summary.destructive ? 1 : 0;
}
