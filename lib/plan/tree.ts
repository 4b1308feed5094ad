// A whole XR tree rendered by the real engine: the XR through its Composition, then every
// platform XR it composes (a Cluster's Network, EKSCluster and Database) through theirs, each with
// its API's observed fixture, and each child's rendered status fed back to the parent until
// nothing changes, as Crossplane converges on a cluster.
import { createHash } from 'node:crypto';
import { definitionsFor, type ObservedFixture, RenderedXr, type Renderer, type RenderInput, resourceName } from '../render';
import type { RenderMemo } from './cache';

/** One XR of a tree, rendered. */
export interface RenderedNode {
  /** The XR as rendered (desired status included). */
  readonly xr: any;
  /** The Composition it ran. */
  readonly composition: string;
  /** Desired composed resources, by composition-resource-name (child XRs included). */
  readonly composed: ReadonlyMap<string, any>;
  /** Each composed platform XR rendered in turn, by composition-resource-name. */
  readonly children: ReadonlyMap<string, RenderedNode>;
  /** Why the renderer refused it; then nothing above is complete. */
  readonly error?: string;
  /** A hash of everything its own render reads: the same on both sides means the same render. */
  readonly inputs: string;
}

/** Feedback rounds between a parent and its children before the plan gives up converging. */
const MAX_ROUNDS = 6;
const MAX_DEPTH = 4;

export interface TreeRendererProps {
  readonly renderer: Renderer;
  /** The side's dist objects: XRDs, Compositions, EnvironmentConfigs. */
  readonly objects: readonly any[];
  /** The fixture of each kind, for XRs with none of their own. */
  readonly fixtures: ReadonlyMap<string, ObservedFixture>;
  /** What the renderer runs (crank and function versions): part of what makes two renders the same. */
  readonly engine: string;
  /**
   * Whether a tree whose every input equals that of the `existing` tree it is given is taken as it
   * is instead of rendered again. Off only to prove that rendering again gives the same.
   * @default true
   */
  readonly reuse?: boolean;
  /** Renders shared with the other side and, with a RenderCache, with earlier plans. @default - none */
  readonly memo?: RenderMemo;
}

const hash = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** Renders under way, per memo: a render the other side (or another tree) asks for meanwhile is awaited, not run twice. */
const rendering = new WeakMap<RenderMemo, Map<string, Promise<RenderedXr | Error>>>();
function inFlight(memo: RenderMemo): Map<string, Promise<RenderedXr | Error>> {
  let m = rendering.get(memo);
  if (!m) {
    m = new Map();
    rendering.set(memo, m);
  }
  return m;
}

/**
 * Renders trees with one side's dist objects. Identical renders (same XR, Composition, XRD,
 * EnvironmentConfigs and observed state) are done once and shared, also between the two sides of
 * a plan: pass the same `memo` to both.
 */
export class TreeRenderer {
  private readonly objectHashes = new WeakMap<object, string>();

  private readonly renderer: Renderer;
  private readonly objects: readonly any[];
  private readonly fixtures: ReadonlyMap<string, ObservedFixture>;
  private readonly memo: RenderMemo;
  private readonly engine: string;
  private readonly reuse: boolean;

  constructor(props: TreeRendererProps) {
    this.renderer = props.renderer;
    this.objects = props.objects;
    this.fixtures = props.fixtures;
    this.memo = props.memo ?? new Map();
    this.engine = props.engine;
    this.reuse = props.reuse ?? true;
  }

  /** Renders run, renders shared (the same inputs seen before, or being rendered), trees reused whole from the base. */
  readonly stats = { renders: 0, shared: 0, reused: 0 };

  private readonly platformKinds = (): Set<string> =>
    new Set(this.objects.filter((o) => o.kind === 'CompositeResourceDefinition').map((o) => `${o.spec.group}/${o.spec.names.kind}`));

  /**
   * Render `xr` and its children until they agree. With `existing` (the same XR's tree rendered
   * from the base), the XR is treated as one that exists: its resources and its children's
   * statuses are observed from the first render, as when a changed Composition reaches a live XR;
   * else it renders as a new XR would.
   */
  async render(xr: any, observed?: ObservedFixture, existing?: RenderedNode, depth = 0): Promise<RenderedNode> {
    const fixture = observed ?? this.fixtures.get(xr.kind) ?? { ready: true };
    let definitions: ReturnType<typeof definitionsFor>;
    try {
      definitions = definitionsFor(xr, this.objects);
    } catch (e) {
      return { xr, composition: '', composed: new Map(), children: new Map(), error: (e as Error).message, inputs: '' };
    }
    const inputs = this.inputsOf(xr, definitions, fixture);
    const warm = existing && !existing.error ? existing : undefined;
    // Nothing its own render reads changed, and its children report what they reported: it
    // renders as it did (a parent reads its children only through their status).
    if (this.reuse && warm && warm.inputs === inputs) {
      const children = new Map(
        await Promise.all(
          [...warm.children].map(
            async ([name, c]) => [name, await this.render(childXr(warm.composed.get(name), xr, name), undefined, c, depth + 1)] as const,
          ),
        ),
      );
      if ([...children].every(([name, c]) => JSON.stringify(c.xr.status) === JSON.stringify(warm.children.get(name)!.xr.status))) {
        this.stats.reused++;
        return [...children].every(([name, c]) => c === warm.children.get(name)) ? warm : { ...warm, children };
      }
    }
    const kinds = this.platformKinds();
    let statuses: Record<string, Record<string, unknown>> = Object.fromEntries(
      [...(warm?.children ?? [])].filter(([, c]) => c.xr.status).map(([name, c]) => [name, c.xr.status]),
    );
    let node: RenderedNode | undefined = warm;
    // A parent's fixture may say what its children report (a Cluster's does, for its own render
    // tests); here each child's status comes from rendering that child, so the fixture's status
    // is used only for composed resources that are not children.
    const ownStatus = () =>
      Object.fromEntries(Object.entries(fixture.status ?? {}).filter(([name]) => node?.composed.has(name) && !node.children.has(name)));
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const input = { ...fixture, status: { ...ownStatus(), ...statuses } };
      // Each round continues from the last: the resources rendered so far exist.
      const previous = node && new RenderedXr(node.xr, [...node.composed.values()], 0);
      const out = await this.once(xr, definitions, input, previous);
      if (out instanceof Error)
        return { xr, composition: definitions.composition.metadata.name, composed: new Map(), children: new Map(), error: out.message, inputs };
      const composed = new Map(out.composed.map((o) => [resourceName(o), o]));
      // The children render side by side (the Renderer's pool bounds them), in composed order.
      const platformChildren = [...composed].filter(([, o]) => kinds.has(`${String(o.apiVersion).split('/')[0]}/${o.kind}`) && depth < MAX_DEPTH);
      const children = new Map(
        await Promise.all(
          platformChildren.map(
            async ([name, o]) => [name, await this.render(childXr(o, xr, name), undefined, node?.children.get(name), depth + 1)] as const,
          ),
        ),
      );
      const next: Record<string, Record<string, unknown>> = {};
      for (const [name, child] of children) if (child.xr.status) next[name] = child.xr.status;
      node = { xr: out.xr, composition: definitions.composition.metadata.name, composed, children, inputs };
      // Converged: every child reports what the parent was rendered with.
      if (Object.keys(next).every((name) => JSON.stringify(next[name]) === JSON.stringify(input.status?.[name]))) break;
      statuses = next;
    }
    return node!;
  }

  private async once(
    xr: any,
    d: ReturnType<typeof definitionsFor>,
    observed: ObservedFixture,
    existing?: RenderInput['existing'],
  ): Promise<RenderedXr | Error> {
    const key = this.inputsOf(xr, d, observed, existing);
    const known = this.memo.get(key) ?? inFlight(this.memo).get(key);
    if (known) {
      this.stats.shared++;
      return known;
    }
    this.stats.renders++;
    const rendering = this.renderer.renderAsync({ xr, ...d, observed, existing }).catch((e: Error) => e);
    inFlight(this.memo).set(key, rendering);
    const out = await rendering;
    inFlight(this.memo).delete(key);
    this.memo.set(key, out);
    return out;
  }

  /** A hash of everything one render reads. */
  private inputsOf(xr: any, d: ReturnType<typeof definitionsFor>, observed: ObservedFixture, existing?: RenderInput['existing']): string {
    const definitions = [this.hashOf(d.composition), this.hashOf(d.xrd), d.requiredResources.map((o) => this.hashOf(o))];
    return hash([this.engine, xr, definitions, observed, existing ?? null]);
  }

  private hashOf(o: object): string {
    let h = this.objectHashes.get(o);
    if (!h) {
      h = hash(o);
      this.objectHashes.set(o, h);
    }
    return h;
  }
}

/**
 * A composed platform XR as its own XR: Crossplane names it `<parent>-<random>`; the plan names
 * it after the parent and its composition-resource-name, the same on both sides.
 */
function childXr(composed: any, parent: any, name: string): any {
  return { ...composed, metadata: { ...composed.metadata, name: `${parent.metadata.name}-${name}`, namespace: parent.metadata.namespace } };
}

/** Every resource of a tree, keyed by its path of composition-resource-names (`eks/kms-key`). */
export function flattenTree(node: RenderedNode, prefix = ''): Map<string, any> {
  const out = new Map<string, any>();
  for (const [name, o] of node.composed) {
    out.set(`${prefix}${name}`, o);
    const child = node.children.get(name);
    if (child) for (const [p, c] of flattenTree(child, `${prefix}${name}/`)) out.set(p, c);
  }
  return out;
}
