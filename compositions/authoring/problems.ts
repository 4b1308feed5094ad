// The build-time checks of a composition: what would make it silently do nothing or the wrong
// thing once Crossplane runs it. Each problem names the composition, the resource and the fix.
import type { CrdCatalog } from '../../lib/crds';
import { covers, leafPaths, parseFieldPath, resolveFieldPath } from '../../lib/schema';
import type { PlatformComposition } from './composition';
import { stripPatched } from './patched';
import { envReads, mayBeAbsent, type Patch, preferredTogether, writesXr, xrReads } from './patches';

export function compositionProblems(c: PlatformComposition, catalog: CrdCatalog): string[] {
  const out: string[] = [];
  const where = (r: string, what: string) => `composition ${c.name}: resource "${r}": ${what}`;
  const xr = c.api.schema();
  const reads: string[] = [];
  const writes: string[] = [];
  const check = (schema: any, p: string, role: string, owner: string) => {
    const res = resolveFieldPath(schema, p);
    if (!res.ok) out.push(where(owner, `${role} "${p}": ${res.problem}`));
  };

  for (const s of c.preSteps) {
    for (const p of s.reads) check(xr, p, `step ${s.step} reads`, s.step);
    for (const p of s.writes) check(xr, p, `step ${s.step} writes`, s.step);
    reads.push(...s.reads);
    writes.push(...s.writes);
  }
  // Names the pipeline computes into its environment: their XR fields must exist, and a resource
  // reading one reads those fields.
  const computed = new Set(c.uniqueNames.flatMap((n) => Object.values(n.fields)));
  for (const n of c.uniqueNames) {
    for (const p of n.reads()) check(xr, p, 'unique name reads', n.props.key);
    for (const e of c.environments)
      if (valueAt(e.data, n.props.key) !== undefined)
        out.push(`composition ${c.name}: unique name key "${n.props.key}" is also a field of environment "${e.name}": pick another key`);
  }
  const seen = new Set<string>();
  for (const r of c.resources) {
    if (seen.has(r.name)) out.push(where(r.name, 'the name is used twice'));
    seen.add(r.name);
    let composed: any;
    try {
      composed = c.schemaOf(r.base.apiVersion, r.base.kind, catalog);
    } catch (e) {
      out.push(where(r.name, (e as Error).message));
      continue;
    }
    for (const p of r.patches ?? []) {
      if (writesXr(p)) {
        check(composed, p.fromFieldPath!, `patch from ${r.base.kind}`, r.name);
        check(xr, p.toFieldPath!, 'patch to the XR at', r.name);
        writes.push(p.toFieldPath!);
        continue;
      }
      for (const from of xrReads(p)) check(xr, from, 'patch from the XR at', r.name);
      for (const from of envReads(p)) if (!computed.has(from)) out.push(...environmentProblems(c, p, from).map((m) => where(r.name, m)));
      check(composed, p.toFieldPath!, `patch to ${r.base.kind} at`, r.name);
      reads.push(...xrReads(p));
      for (const n of c.uniqueNames) if (envReads(p).some((f) => Object.values(n.fields).includes(f))) reads.push(...n.reads());
    }
    out.push(...racingPatches(r.patches ?? []).map((m) => where(r.name, m)));
    const written = new Set((r.patches ?? []).filter((p) => !writesXr(p)).map((p) => p.toFieldPath));
    for (const placeholder of stripPatched(r.base).paths) {
      if (!written.has(placeholder)) out.push(where(r.name, `"${placeholder}" is marked PATCHED but no patch writes it`));
    }
    for (const d of r.connectionDetails ?? [])
      if (d.fromFieldPath) check(composed, d.fromFieldPath, `connection detail "${d.name}" from ${r.base.kind}`, r.name);
    for (const p of r.includeWhen?.reads ?? []) check(xr, p, 'condition reads', r.name);
    reads.push(...(r.includeWhen?.reads ?? []));
  }
  for (const field of leafPaths(c.api.specSchema(), 'spec')) {
    if (!reads.some((read) => covers(read, field)))
      out.push(`composition ${c.name}: XRD field "${field}" is not read by any patch, condition or step: use it or remove it from the XRD`);
  }
  for (const field of leafPaths(c.api.statusSchema(), 'status')) {
    if (!writes.some((w) => covers(w, field)))
      out.push(`composition ${c.name}: XRD status field "${field}" is written by nothing: add it to the status map, or remove it from the XRD`);
  }
  return out;
}

/** An environment patch's source, checked against every environment the pipeline may select. */
function environmentProblems(c: PlatformComposition, p: Patch, from: string): string[] {
  if (!c.environments.length) return [`patch from the environment at "${from}", but the composition selects no environment`];
  const lacking = c.environments.filter((e) => valueAt(e.data, from) === undefined).map((e) => e.name);
  if (!lacking.length || (mayBeAbsent(p) && lacking.length < c.environments.length)) return [];
  const which = lacking.length === c.environments.length ? 'no environment has' : `environment ${lacking.map((n) => `"${n}"`).join(', ')} lacks`;
  return [`patch from the environment at "${from}": ${which} that field: fix the path, or say when it may be absent (fromEnv absentWhen)`];
}

/**
 * Two patches that write one field (or one inside the other) race: whichever patch-and-transform
 * applies later wins whenever its source is set, so the earlier one's value silently disappears.
 * Only `prefer` may write a field twice, since it says which source wins.
 */
function racingPatches(patches: readonly Patch[]): string[] {
  const out: string[] = [];
  const toResource = patches.filter((p) => !writesXr(p));
  toResource.forEach((a, i) => {
    for (const b of toResource.slice(i + 1)) {
      if (!overlaps(a.toFieldPath!, b.toFieldPath!) || preferredTogether(a, b)) continue;
      const source = (p: Patch) => `${envReads(p).length ? 'the environment' : 'the XR'} at "${[...xrReads(p), ...envReads(p)].join('", "')}"`;
      out.push(
        `the patch from ${source(a)} to "${a.toFieldPath}" is silently beaten by the later one from ${source(b)} to "${b.toFieldPath}" whenever that is set: say which wins with prefer([...], ...)`,
      );
    }
  });
  return out;
}

/** Whether two field paths are one field, or one lies inside the other (`spec.nodes` and `spec.nodes.size`). */
function overlaps(a: string, b: string): boolean {
  const key = (s: ReturnType<typeof parseFieldPath>[number]) => ('index' in s ? `[${s.index}]` : s.name);
  const [x, y] = [parseFieldPath(a).map(key), parseFieldPath(b).map(key)];
  return x.slice(0, y.length).every((k, i) => k === y[i]);
}

/** The value at a field path of a plain object, or undefined. */
function valueAt(data: unknown, fieldPath: string): unknown {
  let at: any = data;
  for (const seg of parseFieldPath(fieldPath)) at = at?.['index' in seg ? seg.index : seg.name];
  return at;
}
