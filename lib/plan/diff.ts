// What changes between two renders of one tree: resources added, removed and changed field by
// field, each judged by the rules in rules.ts.
import { forcesNew, namesResource, protectsData, statefulKind } from './rules';

/** One field that differs; `before` or `after` is undefined where the field is absent. */
export interface FieldChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface ResourceChange {
  /** Path of composition-resource-names from the top XR: `eks/kms-key`. */
  readonly path: string;
  /** `kms.aws.m.upbound.io/v1beta1 Key`. */
  readonly type: string;
  readonly action: 'added' | 'removed' | 'changed';
  readonly fields: readonly FieldChange[];
  /** Why this deserves a second look; empty when it does not. */
  readonly destructive: readonly string[];
}

const typeOf = (o: any) => `${o.apiVersion} ${o.kind}`;
const segment = (key: string) => (/^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${key}]`);

/**
 * Leaf fields of an object by path: `spec.forProvider.tags[kubernetes.io/cluster/x]`. A list of
 * plain values is one field (its order matters and it reads better whole); a list of objects is
 * indexed.
 */
export function leaves(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  const json = typeof value === 'string' && /^\s*[[{]/.test(value) ? parseJson(value) : undefined;
  if (json !== undefined) {
    // A JSON document in a string (an IAM policy, a kubeconfig): its fields, not one long line.
    leaves(json, `${prefix}(json)`, out);
  } else if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
    for (const [i, v] of value.entries()) leaves(v, `${prefix}[${i}]`, out);
  } else if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length) {
    for (const [k, v] of Object.entries(value)) leaves(v, `${prefix}${segment(k)}`, out);
  } else {
    out.set(prefix.replace(/^\./, ''), value);
  }
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function fieldChanges(before: unknown, after: unknown): FieldChange[] {
  const a = leaves(before);
  const b = leaves(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths
    .filter((p) => JSON.stringify(a.get(p)) !== JSON.stringify(b.get(p)))
    .map((p) => ({ path: p, ...(a.has(p) ? { before: a.get(p) } : {}), ...(b.has(p) ? { after: b.get(p) } : {}) }));
}

/**
 * Every difference between the resources of two renders of a tree (`flattenTree`), in path
 * order. `isXr` tells the platform's own XRs, whose names are not names in AWS.
 */
export function diffResources(base: ReadonlyMap<string, any>, head: ReadonlyMap<string, any>, isXr: (o: any) => boolean): ResourceChange[] {
  const changes: ResourceChange[] = [];
  const added = [...head.keys()].filter((p) => !base.has(p) || typeOf(base.get(p)) !== typeOf(head.get(p)));
  const removed = [...base.keys()].filter((p) => !head.has(p) || typeOf(base.get(p)) !== typeOf(head.get(p)));
  const parent = (p: string) => p.slice(0, p.lastIndexOf('/') + 1);
  for (const p of removed) {
    const o = base.get(p);
    const stateful = statefulKind(o);
    // A stateful resource removed where one of its type appears beside it: renamed in the composition.
    const renamedTo = added.find((q) => parent(q) === parent(p) && typeOf(head.get(q)) === typeOf(o));
    const why = stateful
      ? [
          renamedTo
            ? `${stateful} renamed to "${renamedTo}" in the composition: Crossplane deletes this one in AWS and creates another`
            : `${stateful} removed: Crossplane deletes it in AWS`,
        ]
      : [];
    changes.push({ path: p, type: typeOf(o), action: 'removed', fields: [], destructive: why });
  }
  for (const p of added) changes.push({ path: p, type: typeOf(head.get(p)), action: 'added', fields: [], destructive: [] });
  for (const p of [...head.keys()].filter((q) => base.has(q) && !added.includes(q))) {
    const fields = fieldChanges(base.get(p), head.get(p));
    if (!fields.length) continue;
    const o = head.get(p);
    const why = fields.flatMap((f) => {
      if (!isXr(o) && namesResource(f.path)) return [`${f.path} names it in AWS: changing it replaces the ${statefulKind(o) ?? o.kind}`];
      if (!isXr(o) && f.after !== undefined && forcesNew(o, f.path))
        return [`${f.path} cannot change in place in AWS: upjet refuses the update, leaving the ${o.kind} unsynced until it is reverted or replaced`];
      if (protectsData(f.path)) return [`${f.path} protects data from deletion: ${show(f.before)} -> ${show(f.after)}`];
      return [];
    });
    changes.push({ path: p, type: typeOf(o), action: 'changed', fields, destructive: why });
  }
  return changes.sort((x, y) => x.path.localeCompare(y.path));
}

/** A value as a reader wants it in one line: JSON, shortened in the middle past `max` characters. */
export function show(v: unknown, max = 80): string {
  if (v === undefined) return '(absent)';
  const s = JSON.stringify(v);
  return s.length <= max ? s : `${s.slice(0, max / 2 - 2)} … ${s.slice(-(max / 2 - 2))}`;
}
