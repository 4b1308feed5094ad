// Run-time shapes for data written in TypeScript but loaded without type-checking (environment
// files): one checker per field, each adding a problem (field, value, fix) for its own value, and
// a did-you-mean for a field the shape does not know.
import { nearest } from './schema';

/** One wrong value: where, what, and how to fix it. */
export interface ShapeProblem {
  readonly field: string;
  readonly value: unknown;
  readonly fix: string;
  /** A field the shape does not know (a typo): reported without its value. */
  readonly unknown?: boolean;
}

/** Checks the value at `field`, adding a problem for each thing wrong with it. */
export type Check = (value: unknown, field: string, out: ShapeProblem[]) => void;
export const problem = (out: ShapeProblem[], field: string, value: unknown, fix: string) => out.push({ field, value, fix });

export const str =
  (pattern: RegExp, fix: string): Check =>
  (v, f, out) => {
    if (typeof v !== 'string' || !pattern.test(v)) problem(out, f, v, fix);
  };
export const oneOf =
  (values: readonly string[]): Check =>
  (v, f, out) => {
    if (typeof v !== 'string' || !values.includes(v)) problem(out, f, v, `use one of ${values.join(', ')}`);
  };
export const num =
  (min: number, max: number, opts: { integer?: boolean; step?: number } = {}): Check =>
  (v, f, out) => {
    const ok =
      typeof v === 'number' && v >= min && v <= max && (!opts.integer || Number.isInteger(v)) && (!opts.step || Number.isInteger(v / opts.step));
    if (!ok) problem(out, f, v, `${opts.integer ? 'a whole number' : opts.step ? `a multiple of ${opts.step}` : 'a number'} from ${min} to ${max}`);
  };
export const bool: Check = (v, f, out) => {
  if (typeof v !== 'boolean') problem(out, f, v, 'true or false');
};
export const list =
  (item: Check, min: number, max: number): Check =>
  (v, f, out) => {
    if (!Array.isArray(v) || v.length < min || v.length > max) {
      problem(out, f, v, min === max ? `a list of ${min}` : `a list of ${min} to ${max} entries`);
      return;
    }
    for (const [i, x] of v.entries()) item(x, `${f}[${i}]`, out);
  };
export const optional =
  (c: Check): Check =>
  (v, f, out) => {
    if (v !== undefined) c(v, f, out);
  };
export const obj =
  (fields: Record<string, Check>): Check =>
  (v, f, out) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      problem(out, f, v, `an object with ${Object.keys(fields).join(', ')}`);
      return;
    }
    const at = (k: string) => (f ? `${f}.${k}` : k);
    for (const k of Object.keys(v)) {
      if (k in fields) continue;
      const near = nearest(k, Object.keys(fields));
      const fix = near ? `unknown field: did you mean "${near}"?` : `unknown field: known fields are ${Object.keys(fields).join(', ')}`;
      out.push({ field: at(k), value: (v as any)[k], fix, unknown: true });
    }
    for (const [k, c] of Object.entries(fields)) c((v as any)[k], at(k), out);
  };
