// Per environment: which Composition each child API's XRs run (the working tree's or a frozen
// release, lib/releases.ts), what this change moves, and what promoting the environment (giving it
// what the environment one rollout step before runs) would change in its XRs, rendered.
import { ENVIRONMENT_LABEL } from '../../compositions/cluster/environment';
import { type Plan, plan } from './plan';
import type { PlanSide } from './sources';
import type { TreeRenderer } from './tree';

export interface EnvironmentRollout {
  readonly environment: string;
  /** Composition by child API on each side; `base` is undefined for a new environment. */
  readonly runs: { readonly base?: Readonly<Record<string, string>>; readonly head: Readonly<Record<string, string>> };
  /** The working tree's Composition of each child API, to tell it from a release. */
  readonly edge: Readonly<Record<string, string>>;
  readonly promotion: Promotion;
}

export interface Move {
  readonly api: string;
  readonly from: string;
  readonly to: string;
}

export interface Promotion {
  /** The environment it would take its Compositions from, or undefined for the working tree. */
  readonly from?: string;
  /** Child APIs that would run a Composition with other content. */
  readonly moves: readonly Move[];
  /** Child APIs that would run a Composition of another name and the same content: nothing composed changes. */
  readonly renames: readonly Move[];
  /** This environment's XRs rendered before and after; absent when there is nothing to render. */
  readonly plan?: Plan;
}

const runsOf = (side: PlanSide) =>
  new Map<string, Record<string, string>>(
    side.objects
      .filter((o) => o.kind === 'EnvironmentConfig' && o.data?.compositions)
      .map((o) => [o.metadata.labels?.[ENVIRONMENT_LABEL] ?? o.metadata.name, o.data.compositions]),
  );

/** `side` with `environment` running `compositions`. */
function withRuns(side: PlanSide, environment: string, compositions: Record<string, string>, label: string): PlanSide {
  const objects = side.objects.map((o) =>
    o.kind === 'EnvironmentConfig' && o.metadata.labels?.[ENVIRONMENT_LABEL] === environment ? { ...o, data: { ...o.data, compositions } } : o,
  );
  return { ...side, label, objects };
}

/**
 * The rollout of the working tree (`head`), in `order` (lowest rollout step first). `renderer`
 * makes a TreeRenderer for a side; give it the plan's memo so what the plan rendered is shared.
 */
export function rollout(input: {
  readonly base: PlanSide;
  readonly head: PlanSide;
  /** The plan of base and head: its working-tree trees are what promotion starts from. */
  readonly plan: Plan;
  readonly order: readonly string[];
  readonly renderer: (side: PlanSide) => TreeRenderer;
}): Promise<EnvironmentRollout[]> {
  const { head } = input;
  const before = runsOf(input.base);
  const after = runsOf(head);
  const compositions = new Map(head.objects.filter((o) => o.kind === 'Composition').map((o) => [o.metadata.name, o]));
  const defaults = new Map(
    head.objects.filter((o) => o.kind === 'CompositeResourceDefinition').map((o) => [o.spec.names.kind, o.spec.defaultCompositionRef?.name]),
  );
  const order = input.order.filter((e) => after.has(e));
  // Environments plan side by side, listed in `order`.
  return Promise.all(
    order.map(async (environment, i): Promise<EnvironmentRollout> => {
      const runs = after.get(environment)!;
      const edge = Object.fromEntries(
        Object.entries(runs).map(([api, name]) => [api, defaults.get(compositions.get(name)?.spec.compositeTypeRef.kind) ?? name]),
      );
      const from = i > 0 ? order[i - 1] : undefined;
      const target = from ? after.get(from)! : edge;
      const content = (name: string) => JSON.stringify(compositions.get(name)?.spec);
      const differ = Object.keys(runs)
        .filter((api) => runs[api] !== target[api])
        .map((api) => ({ api, from: runs[api], to: target[api] }));
      const moves = differ.filter((m) => content(m.from) !== content(m.to));
      const renames = differ.filter((m) => content(m.from) === content(m.to));
      let promoted: Plan | undefined;
      if (moves.length) {
        const xrs = head.xrs.filter((x) => x.xr.spec?.environment === environment);
        const now = { ...head, xrs };
        const next = withRuns(now, environment, target, `${environment} promoted from ${from ?? 'the working tree'}`);
        promoted = await plan({
          base: now,
          head: next,
          rendered: input.plan.rendered,
          renderers: { base: input.renderer(now), head: input.renderer(next) },
        });
      }
      return { environment, runs: { base: before.get(environment), head: runs }, edge, promotion: { from, moves, renames, plan: promoted } };
    }),
  );
}
