// Where an XR's status comes from, declared in one map per composition (kro style: field ->
// source), from which the composition makes its ToCompositeFieldPath patches and docs/apis the
// "from" column of its status table.
import type { Transform } from './patches';

/** Where an XR status field comes from: a field of one composed resource, once it is observed. */
export interface StatusSource {
  /** The composition-resource-name. */
  readonly resource: string;
  /** The field of that resource (usually under `status.atProvider`). */
  readonly field: string;
  /** @default - none */
  readonly transforms?: readonly Transform[];
}

/** `field` of the composed resource `resource`, as a status source. */
export const observed = (resource: string, field: string, options: { transforms?: readonly Transform[] } = {}): StatusSource => ({
  resource,
  field,
  ...options,
});

/**
 * Sources that may be composed together, in precedence order: the last one composed whose field
 * is set wins. The resources must come in this order in the composition (patch-and-transform
 * applies them in order, a later write replacing an earlier one); the composition checks it. For a
 * status that says which step of a sequence runs, from resources that exist in that step.
 */
export interface LaterWins {
  readonly laterWins: readonly StatusSource[];
}

/** Sources in precedence order, the later winning where several are composed. */
export const laterWins = (...sources: StatusSource[]): LaterWins => ({ laterWins: sources });

/**
 * The XR's status fields (relative to `status`), each from one composed resource, or from several
 * of which only one is ever composed (a Managed or an Auto Mode cluster), or from several in
 * precedence order (`laterWins`).
 */
export type StatusMap = Readonly<Record<string, StatusSource | readonly StatusSource[] | LaterWins>>;

/** The sources of a status field, as a list. */
export const sourcesOf = (s: StatusSource | readonly StatusSource[] | LaterWins): readonly StatusSource[] =>
  'resource' in s ? [s] : 'laterWins' in s ? s.laterWins : s;

/** How a status source's transforms change its value, for readers. */
export function transformed(transforms: readonly Transform[] = []): string {
  return transforms.map((t) => (t.string?.fmt ? `, formatted as \`${t.string.fmt}\`` : `, through a ${t.type} transform`)).join('');
}

/** Sources in precedence order must be composed in that order (the later resource wins): throws when not. */
export function laterWinsInOrder(composition: string, field: string, sources: readonly StatusSource[], resources: readonly { name: string }[]): void {
  const at = sources.map((s) => resources.findIndex((r) => r.name === s.resource));
  const wrong = at.findIndex((i, k) => k > 0 && i < at[k - 1]);
  if (wrong > 0)
    throw new Error(
      `composition ${composition}: status.${field} lets "${sources[wrong].resource}" win over "${sources[wrong - 1].resource}", but composes it first: put it after`,
    );
}
