// Objects put together from parts without one part silently replacing another's value: where a
// spread would let the last part win, `merge` throws and names the field.

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * `base` and more parts merged into one object, nested objects merged field by field. Two parts that set the
 * same field (other than to the same nested object) are a mistake: it throws, naming the field,
 * instead of letting the later part win.
 */
export function merge<T extends object>(base: T, ...more: readonly (object | undefined)[]): T {
  const out: Plain = {};
  const into = (target: Plain, part: Plain, at: string) => {
    for (const [k, v] of Object.entries(part)) {
      const here = at ? `${at}.${k}` : k;
      if (!Object.hasOwn(target, k)) target[k] = isPlain(v) ? into({}, v, here) : v;
      else if (isPlain(target[k]) && isPlain(v)) into(target[k] as Plain, v, here);
      else throw new Error(`"${here}" is set twice (${JSON.stringify(target[k])}, then ${JSON.stringify(v)}): set it in one place`);
    }
    return target;
  };
  for (const p of [base, ...more]) if (p) into(out, p as Plain, '');
  return out as T;
}
