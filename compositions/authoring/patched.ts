// A placeholder for values a composition always patches in: a typed base can say "this field is
// set" (the provider CRD requires `region`, say) without a value, and synth fails if no patch
// writes it.

/**
 * Stands in a typed base for a value the composition always patches in (e.g. a required
 * `region`). It is removed from the emitted base, and synth fails if no patch writes it.
 */
export const PATCHED = '\u0000patched';

/** The base without PATCHED placeholders, and the paths they stood at. */
export function stripPatched(base: unknown, at = ''): { base: unknown; paths: string[] } {
  if (base === null || typeof base !== 'object') return { base, paths: [] };
  const entries = Array.isArray(base) ? base.map((v, i) => [i, v] as const) : Object.entries(base);
  const out: any = Array.isArray(base) ? [] : {};
  const paths: string[] = [];
  for (const [k, v] of entries) {
    const here = typeof k === 'number' ? `${at}[${k}]` : at ? `${at}.${k}` : k;
    if (v === PATCHED) {
      paths.push(here);
      continue;
    }
    const inner = stripPatched(v, here);
    out[k] = inner.base;
    paths.push(...inner.paths);
  }
  return { base: out, paths };
}
