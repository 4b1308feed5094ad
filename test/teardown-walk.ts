// A deletion walk: the Cluster's teardown replayed round by round, each round rendered by the real
// renderer, with the rules of the engines around it written down as they are in their source:
//
// - Crossplane's composer deletes a resource the pipeline stops desiring (foreground), and a
//   delete refused by the Usage webhook aborts the whole reconcile (crossplane/crossplane at
//   the pinned release, internal/controller/apiextensions/composite/composition_functions.go:
//   538-540, 838-897). The resource leaves spec.resourceRefs in that reconcile, and the pipeline
//   observes only what resourceRefs names: from then on it is not observed, though it may take
//   long to go (same file, 749-790 and 902-920).
// - The Usage webhook refuses the DELETE of a used object and records
//   `usage.crossplane.io/deletion-attempt-with-policy` on it; the Usage controller replays that
//   delete when the Usage goes with replayDeletion (internal/webhook/protection/usage/handler.go:
//   106-160, internal/controller/protection/usage/reconciler.go:398-415). A Usage with `by` is
//   owned by its user and goes with it (reconciler.go:520).
// - A deleted XR runs no pipeline and is gone at once with background propagation
//   (internal/controller/apiextensions/composite/reconciler.go:582-603).
//
// What AWS and the workload cluster need before each part may go is the protocol's business: the
// walk asks `rules` whether a part may start deleting and when it is gone, and records every
// refusal as a violation naming the protocol step it breaks.

/** The annotation the Usage webhook writes on an object whose deletion it refused. */
export const DELETION_ATTEMPT = 'usage.crossplane.io/deletion-attempt-with-policy';
const RESOURCE_NAME = 'crossplane.io/composition-resource-name';

export const resourceNameOf = (o: any): string => o?.metadata?.annotations?.[RESOURCE_NAME];

/** One observed composed resource: what the API server holds. */
export interface Observed {
  readonly name: string;
  object: any;
  /** Set once Crossplane deleted it and something (a finalizer, AWS) still holds it. */
  deleting?: number;
}

export interface World {
  readonly round: number;
  readonly xr: any;
  readonly observed: ReadonlyMap<string, Observed>;
  /** Names of composed resources that were observed once and are gone. */
  readonly gone: ReadonlySet<string>;
  /** Composition resource names that reached Ready, by the round they did. */
  readonly readyAt: ReadonlyMap<string, number>;
}

export interface Violation {
  /** The protocol step the violation breaks. */
  readonly step: string;
  readonly message: string;
}

export interface WalkRules {
  /** The protocol step a composed resource belongs to (for messages), or undefined. */
  stepOf(name: string): string | undefined;
  /** A resource the pipeline dropped: may it start deleting now? A violation says why not. */
  mayStartDeleting(name: string, world: World): Violation | undefined;
  /** A resource that started deleting: is it gone this round (its finalizers and AWS done)? */
  goneNow(o: Observed, world: World): boolean;
  /** A resource the pipeline added: what the API server and its controller report for it. */
  observe(desired: any, world: World): any;
  /** A new resource appears: may it, now? (e.g. the drain before Argo CD stopped managing) */
  mayAppear(name: string, world: World): Violation | undefined;
  /** What a controller reports one round later (a Job completes). @default - nothing changes */
  tick?(o: Observed, world: World): any;
  /** Nothing moves any more: the step the teardown is stuck at. */
  stuckAt(world: World): string;
  /** The XR is gone: what garbage collection deletes now that should have gone in a step first. */
  leftAtTheEnd(world: World): Violation | undefined;
}

export interface WalkEvent {
  readonly round: number;
  readonly name: string;
  readonly kind: string;
  readonly what: 'appeared' | 'ready' | 'dropped' | 'gone' | 'xr-deleted';
}

export interface WalkResult {
  readonly events: readonly WalkEvent[];
  /** `status.teardown.step` of the XR after each round. */
  readonly steps: readonly (string | undefined)[];
  /** `status.teardown.waitingFor` of the XR after each round. */
  readonly waiting: readonly (string | undefined)[];
  readonly violations: readonly Violation[];
  /** Whether the XR itself was deleted at the end (the gate released and the delete replayed). */
  readonly xrDeleted: boolean;
  readonly rounds: number;
  /** Every resource the pipeline desired during the walk, as last desired, by name. */
  readonly desired: ReadonlyMap<string, any>;
}

export interface WalkProps {
  /** The XR as it lives, with every part observed (the state before anyone deletes it). */
  readonly xr: any;
  readonly observed: readonly any[];
  /** The renderer: one reconcile of the XR against what is observed. */
  readonly render: (xr: any, observed: readonly any[]) => { xr: any; composed: readonly any[] };
  readonly rules: WalkRules;
  /** A change someone makes to the XR before a round (turning protection off). @default - none */
  readonly change?: (round: number, xr: any, world: World) => any;
  /** @default 40 */
  readonly maxRounds?: number;
}

/** The Usages among the observed resources that hold `target` (a composed resource or the XR). */
export function usagesOf(target: any, observed: ReadonlyMap<string, Observed>, xr: any): Observed[] {
  return [...observed.values()].filter((o) => o.object.kind === 'Usage' && !o.deleting && selects(o.object.spec.of, target, xr));
}

/** Whether a Usage's `of` or `by` selects `target` among the XR's composed resources. */
export function selects(ref: any, target: any, xr: any): boolean {
  if (!ref || ref.apiVersion !== target.apiVersion || ref.kind !== target.kind) return false;
  if (ref.resourceRef) return ref.resourceRef.name === target.metadata?.name;
  const sel = ref.resourceSelector ?? {};
  // Every candidate here is controlled by the XR, except the XR itself.
  if (sel.matchControllerRef && target === xr) return false;
  return Object.entries(sel.matchLabels ?? {}).every(([k, v]) => target.metadata?.labels?.[k] === v);
}

/** Replay deletion from the first DELETE of the XR until it is gone or nothing moves. */
export function walk(props: WalkProps): WalkResult {
  const observed = new Map<string, Observed>();
  for (const o of props.observed) observed.set(resourceNameOf(o), { name: resourceNameOf(o), object: o });
  const gone = new Set<string>();
  const readyAt = new Map<string, number>();
  const events: WalkEvent[] = [];
  const steps: (string | undefined)[] = [];
  const waiting: (string | undefined)[] = [];
  const violations: Violation[] = [];
  const everDesired = new Map<string, any>();
  let xr = props.xr;
  const world = (round: number): World => ({ round, xr, observed, gone, readyAt });

  // kubectl delete: refused (and recorded) when a Usage holds the XR, else the XR goes at once.
  if (!usagesOf(xr, observed, xr).length) {
    violations.push({
      step: 'gate',
      message: `nothing holds ${xr.kind} ${xr.metadata.name}: a delete removes it at once, its parts go together and no step can be reported`,
    });
    return { events, steps, waiting, violations, xrDeleted: true, rounds: 0, desired: everDesired };
  }
  xr = { ...xr, metadata: { ...xr.metadata, annotations: { ...xr.metadata.annotations, [DELETION_ATTEMPT]: 'Background' } } };

  const max = props.maxRounds ?? 40;
  let round = 1;
  let idle = 0;
  for (; round <= max; round++) {
    if (props.change) xr = props.change(round, xr, world(round));
    for (const o of observed.values()) if (!o.deleting && props.rules.tick) o.object = props.rules.tick(o, world(round));
    // What the controllers report now (a Job that completed) is what this round's render sees.
    for (const o of observed.values()) {
      const ready = o.object.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True');
      if (ready && !readyAt.has(o.name)) {
        readyAt.set(o.name, round);
        events.push({ round, name: o.name, kind: o.object.kind, what: 'ready' });
      }
    }

    // The composer observes only what spec.resourceRefs names, and a resource it deleted left
    // resourceRefs in the same reconcile (composition_functions.go:749-790, 538-560, 902-920): a
    // part still being deleted is in the API server (and in `observed` here) but not in the render.
    const out = props.render(
      xr,
      [...observed.values()].filter((o) => !o.deleting).map((o) => o.object),
    );
    xr = { ...xr, status: out.xr.status };
    steps.push(out.xr.status?.teardown?.step);
    waiting.push(out.xr.status?.teardown?.waitingFor);
    const desired = new Map(out.composed.map((o) => [resourceNameOf(o), o]));
    for (const [name, d] of desired) everDesired.set(name, d);
    let moved = false;

    // Crossplane's composer: whatever the pipeline no longer desires is deleted.
    for (const o of [...observed.values()]) {
      if (desired.has(o.name) || o.deleting) continue;
      const holders = usagesOf(o.object, observed, xr).filter((u) => !u.object.spec.by || usedBy(u.object, observed, xr));
      if (holders.length) {
        violations.push({
          step: props.rules.stepOf(o.name) ?? o.name,
          message: `round ${round}: the pipeline dropped "${o.name}" while Usage "${holders[0].name}" holds it: the webhook refuses, the composer aborts, the Cluster stalls`,
        });
        return { events, steps, waiting, violations, xrDeleted: false, rounds: round, desired: everDesired };
      }
      const refused = props.rules.mayStartDeleting(o.name, world(round));
      if (refused) {
        violations.push({ ...refused, message: `round ${round}: "${o.name}" started deleting too early: ${refused.message}` });
        return { events, steps, waiting, violations, xrDeleted: false, rounds: round, desired: everDesired };
      }
      o.deleting = round;
      o.object = { ...o.object, metadata: { ...o.object.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
      events.push({ round, name: o.name, kind: o.object.kind, what: 'dropped' });
      moved = true;
    }

    // Deletions that finish this round (a Usage goes with its user: it is owned by it).
    for (const o of [...observed.values()]) {
      const orphanedUsage = o.object.kind === 'Usage' && o.object.spec.by && !usedBy(o.object, observed, xr) && !desired.has(o.name);
      if (!(o.deleting && o.deleting < round && props.rules.goneNow(o, world(round))) && !orphanedUsage) continue;
      observed.delete(o.name);
      gone.add(o.name);
      events.push({ round, name: o.name, kind: o.object.kind, what: 'gone' });
      moved = true;
    }

    // New desired resources are created, and observed as their controllers report them.
    for (const [name, d] of desired) {
      const seen = observed.get(name);
      if (seen) {
        if (!seen.deleting) seen.object = { ...props.rules.observe(d, world(round)), metadata: seen.object.metadata, status: seen.object.status };
        continue;
      }
      if (gone.has(name)) {
        violations.push({
          step: props.rules.stepOf(name) ?? name,
          message: `round ${round}: "${name}" is desired again after it was deleted: the teardown is not monotonic`,
        });
        return { events, steps, waiting, violations, xrDeleted: false, rounds: round, desired: everDesired };
      }
      const refused = props.rules.mayAppear(name, world(round));
      if (refused) {
        violations.push({ ...refused, message: `round ${round}: "${name}" appeared too early: ${refused.message}` });
        return { events, steps, waiting, violations, xrDeleted: false, rounds: round, desired: everDesired };
      }
      observed.set(name, { name, object: props.rules.observe(d, world(round)) });
      events.push({ round, name, kind: d.kind, what: 'appeared' });
      moved = true;
    }
    // The gate released: the Usage controller replays the Cluster's deletion; GC takes the rest.
    if (!usagesOf(xr, observed, xr).length) {
      events.push({ round, name: xr.metadata.name, kind: xr.kind, what: 'xr-deleted' });
      const left = props.rules.leftAtTheEnd(world(round));
      if (left) violations.push(left);
      return { events, steps, waiting, violations, xrDeleted: true, rounds: round, desired: everDesired };
    }
    idle = moved ? 0 : idle + 1;
    if (idle >= 3) break;
  }
  violations.push({
    step: props.rules.stuckAt(world(round)),
    message: `nothing moved after round ${round}: still observed ${[...observed.keys()].sort().join(', ')}; status says "${steps.at(-1) ?? ''}"`,
  });
  return { events, steps, waiting, violations, xrDeleted: false, rounds: round, desired: everDesired };
}

/** Whether a Usage's user is still there. */
function usedBy(usage: any, observed: ReadonlyMap<string, Observed>, xr: any): boolean {
  return [...observed.values()].some((o) => selects(usage.spec.by, o.object, xr));
}
