// Field paths (the Crossplane flavour: `spec.forProvider.tags[kubernetes.io/role/elb]`,
// `status.subnetIds.public[0]`) resolved against OpenAPI schemas.

/** One step of a field path: a property name or a list index. */
export type Segment = { readonly name: string } | { readonly index: number };

/**
 * Split a Crossplane field path into segments; throws on a path Crossplane's own parser refuses
 * (crossplane-runtime v2.1.0 pkg/fieldpath/fieldpath.go): an empty name (`a..b`, a trailing
 * period), a bracket right after a period (`tags.[Name]`), empty or unbalanced brackets.
 * patch-and-transform fails the whole render on such a path, so it must fail synth instead.
 */
export function parseFieldPath(p: string): Segment[] {
  const out: Segment[] = [];
  const malformed = (why: string) => new Error(`field path "${p}" is malformed: ${why}`);
  const re = /([^.[\]]+)|\[([^[\]]*)\]|(\.)/g;
  let expectName = true;
  let afterPeriod = false;
  let at = 0;
  for (const m of p.matchAll(re)) {
    if (m.index !== at) throw malformed(`unexpected "${p[at]}" at ${at}`);
    at = m.index + m[0].length;
    if (m[1] !== undefined) {
      out.push({ name: m[1] });
      expectName = false;
    } else if (m[2] !== undefined) {
      const inner = m[2];
      if (afterPeriod) throw malformed(`a bracket right after a period at ${m.index}: write "a[b]", not "a.[b]"`);
      if (!inner) throw malformed(`empty brackets at ${m.index}`);
      out.push(/^\d+$/.test(inner) ? { index: Number(inner) } : { name: inner });
      expectName = false;
    } else {
      if (expectName) throw malformed(`a period without a name before it at ${m.index}`);
      expectName = true;
    }
    afterPeriod = m[3] !== undefined;
  }
  if (at !== p.length) throw malformed(`unexpected "${p[at]}" at ${at}`);
  if (out.length === 0 || expectName) throw malformed('it ends without a name');
  return out;
}

/** The shape of ObjectMeta that composed resources and XRs may be patched at. */
const OBJECT_META: any = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    namespace: { type: 'string' },
    generateName: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    uid: { type: 'string' },
    // Set by the API server: readable as a patch source (when an XR was made), never written.
    creationTimestamp: { type: 'string', format: 'date-time' },
    // Set by the API server once a delete is accepted and a finalizer still holds the object.
    deletionTimestamp: { type: 'string' },
  },
};

export type Resolution = { ok: true; schema: any } | { ok: false; at: string; problem: string };

/** Walk `fieldPath` through `schema`; say where and why it leaves the schema. */
export function resolveFieldPath(schema: any, fieldPath: string): Resolution {
  let s = schema;
  let segs: Segment[];
  try {
    segs = parseFieldPath(fieldPath);
  } catch (e) {
    return { ok: false, at: '(root)', problem: (e as Error).message };
  }
  const walked: string[] = [];
  for (const [i, seg] of segs.entries()) {
    if (s['x-kubernetes-preserve-unknown-fields'] && !s.properties && !s.items) return { ok: true, schema: {} };
    const here = walked.join('.') || '(root)';
    if ('index' in seg) {
      if (s.type !== 'array') return { ok: false, at: here, problem: `"${here}" is ${s.type ?? 'untyped'}, not a list` };
      s = s.items ?? {};
      walked[walked.length - 1] += `[${seg.index}]`;
      continue;
    }
    if (i === 0 && seg.name === 'metadata') {
      s = OBJECT_META;
    } else if (s.properties?.[seg.name]) {
      s = s.properties[seg.name];
    } else if (s.additionalProperties && !s.properties) {
      s = s.additionalProperties === true ? {} : s.additionalProperties;
    } else if (s.type === 'object' || s.properties) {
      const known = Object.keys(s.properties ?? {});
      const near = nearest(seg.name, known);
      const hint = near ? `; did you mean "${near}"?` : known.length ? `; known fields: ${known.slice(0, 12).join(', ')}` : '';
      return { ok: false, at: here, problem: `"${here}" has no field "${seg.name}"${hint}` };
    } else {
      return { ok: false, at: here, problem: `"${here}" is ${s.type ?? 'untyped'}, it has no field "${seg.name}"` };
    }
    walked.push(seg.name);
  }
  return { ok: true, schema: s };
}

/**
 * For a field the schema does not know (`spec.databse`): the known field it most likely means,
 * found among the fields of its parent object.
 */
export function nearestField(schema: any, fieldPath: string): string | undefined {
  let segs: Segment[];
  try {
    segs = parseFieldPath(fieldPath);
  } catch {
    return undefined;
  }
  const last = segs[segs.length - 1];
  if (!('name' in last)) return undefined;
  const parentPath = fieldPath.slice(0, fieldPath.length - last.name.length).replace(/\.$/, '');
  const parent = parentPath ? resolveFieldPath(schema, parentPath) : { ok: true as const, schema };
  if (!parent.ok) return undefined;
  return nearest(last.name, Object.keys(parent.schema.properties ?? {}));
}

/** The candidate closest to `word` by edit distance, if close enough to be a likely typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** Paths of every leaf field under `schema` (lists and maps count as leaves). */
export function leafPaths(schema: any, prefix: string): string[] {
  const props = schema?.properties;
  if (!props || Object.keys(props).length === 0) return [prefix];
  return Object.keys(props).flatMap((k) => leafPaths(props[k], `${prefix}.${k}`));
}

/** Whether reading `read` also reads `field` (same path, or one contains the other). */
export function covers(read: string, field: string): boolean {
  const norm = (p: string) => p.replace(/\[\d+\]/g, '');
  const r = norm(read);
  const f = norm(field);
  return r === f || f.startsWith(`${r}.`) || r.startsWith(`${f}.`) || r.startsWith(`${f}[`);
}
