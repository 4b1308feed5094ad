// Patches as function-patch-and-transform reads them, built by a few functions so none is written
// by hand. Where two patches write one field, the later applied wins whenever its source is set;
// say which source wins with `prefer`, never by the order of two lines.
import {
  ResourcesResourcesPatchesCombineStrategy as CombineStrategy,
  ResourcesResourcesPatchesTransformsConvertToType as ConvertToType,
  ResourcesResourcesPatchesPolicyFromFieldPath as FromFieldPathPolicy,
  ResourcesResourcesPatchesTransformsMatchPatternsType as MatchPatternType,
  ResourcesResourcesPatchesType as PatchType,
  type ResourcesResourcesPatches,
  type ResourcesResourcesPatchesTransforms,
  ResourcesResourcesPatchesTransformsStringType as StringTransformType,
  ResourcesResourcesPatchesTransformsType as TransformType,
} from '../../imports/pt.fn.crossplane.io';

/** A patch-and-transform patch, as function-patch-and-transform reads it. */
export type Patch = ResourcesResourcesPatches;
export type Transform = ResourcesResourcesPatchesTransforms;
export { PatchType };

export interface PatchOptions {
  /**
   * Hold the composed resource back until the source field exists
   * (function-patch-and-transform leaves a resource out while a Required patch cannot apply).
   * @default false - a missing source field skips this patch only
   */
  readonly required?: boolean;
  /** @default - none */
  readonly transforms?: readonly Transform[];
}

const policyOf = (options: PatchOptions) => ({
  ...(options.required ? { policy: { fromFieldPath: FromFieldPathPolicy.REQUIRED } } : {}),
  ...(options.transforms?.length ? { transforms: [...options.transforms] } : {}),
});

/** Copy an XR field (spec, status or metadata) onto the composed resource. */
export function fromXr(from: string, to: string, options: PatchOptions = {}): Patch {
  return { type: PatchType.FROM_COMPOSITE_FIELD_PATH, fromFieldPath: from, toFieldPath: to, ...policyOf(options) };
}

export interface EnvPatchOptions extends PatchOptions {
  /**
   * When an environment's data may lack the field (its patch is then skipped): the reason, for
   * the reader. `problems()` otherwise requires the field in every environment.
   * @default - every environment has the field
   */
  readonly absentWhen?: string;
}

const MAY_BE_ABSENT = new WeakSet<Patch>();

/**
 * Copy a value of the environment (the EnvironmentConfig data function-environment-configs
 * selected) onto the composed resource. Where the XR may override it, use `prefer`.
 */
export function fromEnv(from: string, to: string, options: EnvPatchOptions = {}): Patch {
  const p: Patch = { type: PatchType.FROM_ENVIRONMENT_FIELD_PATH, fromFieldPath: from, toFieldPath: to, ...policyOf(options) };
  if (options.absentWhen) MAY_BE_ABSENT.add(p);
  return p;
}

/** Whether some environments may lack the field `p` reads (see `EnvPatchOptions.absentWhen`). */
export const mayBeAbsent = (p: Patch): boolean => MAY_BE_ABSENT.has(p);

/** Format several XR fields into one composed field, e.g. region + zone letter. */
export function combineFromXr(from: readonly string[], format: string, to: string, options: PatchOptions = {}): Patch {
  return {
    type: PatchType.COMBINE_FROM_COMPOSITE,
    combine: { variables: from.map((fromFieldPath) => ({ fromFieldPath })), strategy: CombineStrategy.STRING, string: { fmt: format } },
    toFieldPath: to,
    ...policyOf(options),
  };
}

/** Format several values of the pipeline's environment into one composed field. */
export function combineFromEnv(from: readonly string[], format: string, to: string, options: Pick<PatchOptions, 'required'> = {}): Patch {
  return {
    type: PatchType.COMBINE_FROM_ENVIRONMENT,
    combine: { variables: from.map((fromFieldPath) => ({ fromFieldPath })), strategy: CombineStrategy.STRING, string: { fmt: format } },
    toFieldPath: to,
    ...policyOf(options),
  };
}

/**
 * Copy an observed field of a composed resource into the XR's status. Compositions declare their
 * status in one map (`PlatformCompositionProps.status`), which makes these patches.
 */
export function toXr(from: string, to: string, options: Pick<PatchOptions, 'transforms'> = {}): Patch {
  return { type: PatchType.TO_COMPOSITE_FIELD_PATH, fromFieldPath: from, toFieldPath: to, ...policyOf(options) };
}

/** One source of a value for `prefer`. */
export interface Source {
  /** Where the value is read: the XR, or the selected environment's data. */
  readonly from: 'xr' | 'environment';
  /** Field paths read; more than one only with `format`. */
  readonly paths: readonly string[];
  /** Format the values into this string (`%s-public`). @default - the value as it is */
  readonly format?: string;
  /** A field under the target this source writes (`instanceTypes` of `spec.systemNodes`). @default - the target itself */
  readonly at?: string;
  readonly options?: EnvPatchOptions;
}

/** The XR field `path` as a source; `format` formats it, with the XR fields of `with` after it. */
export function xr(path: string, options: PatchOptions & { format?: string; with?: readonly string[]; at?: string } = {}): Source {
  const { format, with: extra = [], at, ...patch } = options;
  return { from: 'xr', paths: [path, ...extra], format, at, options: patch };
}

/** The environment data field `path` as a source. */
export function env(path: string, options: EnvPatchOptions & { at?: string } = {}): Source {
  const { at, ...patch } = options;
  return { from: 'environment', paths: [path], at, options: patch };
}

/** Several fields of the pipeline's environment formatted into one value, as a source. */
export function envCombined(paths: readonly string[], format: string): Source {
  return { from: 'environment', paths, format };
}

/** Several XR fields formatted into one value, as a source (`%s,%s` of a list's first two items). */
export function combined(paths: readonly string[], format: string): Source {
  return { from: 'xr', paths, format };
}

/**
 * The field `at` under `to`: `tags` + `[team]` is `tags[team]`, `nodes` + `size` is `nodes.size`.
 * Crossplane's field path parser refuses a bracket right after a period (`tags.[team]`), failing
 * the whole render (crossplane-runtime v2.1.0 pkg/fieldpath/fieldpath.go, lexPeriod).
 */
const under = (to: string, at: string): string => (at.startsWith('[') ? `${to}${at}` : `${to}.${at}`);

/** The `prefer` call each patch came from: patches of one call agree on their precedence. */
const PREFERRED = new WeakMap<Patch, number>();
let preferCalls = 0;

/**
 * Write `to` from the first of `sources` that is present, in order of preference: the XR's own
 * value before the environment's default, the cluster name before the XR's name. A source with
 * `at` writes only that field under `to`, so it wins over a preferred-less source for that field
 * alone. Patch-and-transform applies patches in order and a later one wins when its source is set,
 * so the patches are emitted least preferred first; `problems()` knows these patches agree.
 *
 * A `required` source is a gate, not a preference: a new resource is held back until that source
 * is present, whichever source would win (function-patch-and-transform fn.go skips the whole
 * resource on a Required patch whose source is absent, and only warns once the resource exists).
 * The Network's subnets wait so for the computed layout even where explicit CIDRs win.
 * test/precedence.test.ts runs each of these rules through the real function.
 */
export function prefer(sources: readonly Source[], to: string): Patch[] {
  if (!sources.length) throw new Error(`prefer(..., "${to}") needs at least one source`);
  const call = ++preferCalls;
  return [...sources].reverse().map((s) => {
    const target = s.at ? under(to, s.at) : to;
    if (s.from === 'environment') {
      if (!s.format && s.paths.length > 1) throw new Error(`prefer(..., "${to}"): several environment fields ${s.paths.join(', ')} need a format`);
      if (s.format && s.options?.transforms?.length) throw new Error(`prefer(..., "${to}"): a formatted source takes no transforms`);
      const p = s.format ? combineFromEnv(s.paths, s.format, target, s.options) : fromEnv(s.paths[0], target, s.options);
      PREFERRED.set(p, call);
      return p;
    }
    if (!s.format && s.paths.length > 1) throw new Error(`prefer(..., "${to}"): several XR fields ${s.paths.join(', ')} need a format`);
    const p = s.format ? combineFromXr(s.paths, s.format, target, s.options) : fromXr(s.paths[0], target, s.options);
    if (s.format && s.options?.transforms?.length) throw new Error(`prefer(..., "${to}"): a formatted source takes no transforms`);
    PREFERRED.set(p, call);
    return p;
  });
}

/** Whether `a` and `b` came from one `prefer` call, which states their precedence. */
export const preferredTogether = (a: Patch, b: Patch): boolean => PREFERRED.has(a) && PREFERRED.get(a) === PREFERRED.get(b);

/** Map transform: look the value up in `map`. */
export function mapping(map: Record<string, unknown>): Transform {
  return { type: TransformType.MAP, map };
}

/** Match transform: the value of the literal case the (string) input equals, else `fallback`. */
export function matchLiteral(cases: Record<string, unknown>, fallback: unknown): Transform {
  return {
    type: TransformType.MATCH,
    match: {
      patterns: Object.entries(cases).map(([literal, result]) => ({ type: MatchPatternType.LITERAL, literal, result })),
      fallbackValue: fallback,
    },
  };
}

/** String transform: the `group` of the first match of `match` (RE2), e.g. the major of an engine version `major.minor`. */
export function regexp(match: string, group = 0): Transform {
  return { type: TransformType.STRING, string: { type: StringTransformType.REGEXP, regexp: { match, group } } };
}

/** String transform: format the value into `fmt` (`aurora-postgresql%s`). */
export function format(fmt: string): Transform {
  return { type: TransformType.STRING, string: { type: StringTransformType.FORMAT, fmt } };
}

/**
 * Match transform: `value`, whatever the (string) input. For a status field that says which step
 * is running, read from a field that exists only during that step. (function-patch-and-transform
 * as pinned requires a pattern, and a regexp pattern a string: convert a number first.)
 */
export function constant(value: string): Transform {
  return {
    type: TransformType.MATCH,
    match: { patterns: [{ type: MatchPatternType.REGEXP, regexp: '.*', result: value }], fallbackValue: value },
  };
}

/** Convert transform: change the value's type (`bool` to `string` before a map, say). */
export function convert(toType: 'string' | 'int' | 'int64' | 'bool' | 'float64'): Transform {
  const types = {
    string: ConvertToType.STRING,
    int: ConvertToType.INT,
    int64: ConvertToType.INT64,
    bool: ConvertToType.BOOL,
    float64: ConvertToType.FLOAT64,
  };
  return { type: TransformType.CONVERT, convert: { toType: types[toType] } };
}

/** The environment field paths a patch reads. */
export function envReads(p: Patch): string[] {
  switch (p.type) {
    case PatchType.FROM_ENVIRONMENT_FIELD_PATH:
      return [p.fromFieldPath!];
    case PatchType.COMBINE_FROM_ENVIRONMENT:
      return p.combine!.variables.map((v) => v.fromFieldPath);
    default:
      return [];
  }
}

/** The XR field paths a patch reads. */
export function xrReads(p: Patch): string[] {
  switch (p.type) {
    case PatchType.FROM_COMPOSITE_FIELD_PATH:
      return [p.fromFieldPath!];
    case PatchType.COMBINE_FROM_COMPOSITE:
      return p.combine!.variables.map((v) => v.fromFieldPath);
    default:
      return [];
  }
}

/** Whether a patch writes the XR (its status) rather than the composed resource. */
export const writesXr = (p: Patch): boolean => p.type === PatchType.TO_COMPOSITE_FIELD_PATH || p.type === PatchType.COMBINE_TO_COMPOSITE;
