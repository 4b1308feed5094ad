import type { ResourcesResourcesPatches, ResourcesResourcesPatchesTransforms } from '../../imports/pt.fn.crossplane.io';

/** A patch-and-transform patch, as function-patch-and-transform reads it. */
export type Patch = ResourcesResourcesPatches;
export type Transform = ResourcesResourcesPatchesTransforms;

export interface FromXrOptions {
  /**
   * Hold the composed resource back until the source field exists
   * (function-patch-and-transform leaves a resource out while a Required patch cannot apply).
   * @default false - a missing source field skips this patch only
   */
  readonly required?: boolean;
  /** @default - none */
  readonly transforms?: Transform[];
}

/** The policy that holds a composed resource back until the patch's source exists. */
export const Required = 'Required' as any;

/** Copy an XR field (spec or status) onto the composed resource. */
export function fromXr(from: string, to: string, options: FromXrOptions = {}): Patch {
  return {
    type: 'FromCompositeFieldPath' as Patch['type'],
    fromFieldPath: from,
    toFieldPath: to,
    ...(options.required ? { policy: { fromFieldPath: Required } } : {}),
    ...(options.transforms?.length ? { transforms: options.transforms } : {}),
  };
}

/**
 * Copy a value of the environment (the EnvironmentConfig data function-environment-configs
 * selected) onto the composed resource. Emit it before the XR patch it defaults: a later patch
 * wins when its source is set.
 */
export function fromEnv(from: string, to: string, options: FromXrOptions = {}): Patch {
  return { ...fromXr(from, to, options), type: 'FromEnvironmentFieldPath' as Patch['type'] };
}

/** Format several XR fields into one composed field, e.g. region + zone letter. */
export function combineFromXr(from: readonly string[], format: string, to: string): Patch {
  return {
    type: 'CombineFromComposite' as Patch['type'],
    combine: { variables: from.map((fromFieldPath) => ({ fromFieldPath })), strategy: 'string' as any, string: { fmt: format } },
    toFieldPath: to,
  };
}

/**
 * Write the first present of several XR fields, in order of preference (e.g. the cluster name,
 * else the XR's own name). Patch-and-transform applies patches in order and skips a patch
 * whose source is absent, so the patches are emitted in reverse: the preferred source comes
 * last and wins whenever it is set. With `format`, each value is formatted (`%s-public`).
 */
export function firstPresent(sources: readonly string[], to: string, options: FirstPresentOptions = {}): Patch[] {
  const { format, with: extra = [] } = options;
  return [...sources].reverse().map((from) => (format ? combineFromXr([from, ...extra], format, to) : fromXr(from, to)));
}

export interface FirstPresentOptions {
  /** Format the value (and `with`) into this string. @default - the value as it is */
  readonly format?: string;
  /** More XR fields for `format`, after the chosen one (e.g. `metadata.uid`). @default - none */
  readonly with?: readonly string[];
}

/** Copy an observed field of the composed resource (usually status.atProvider) to the XR status. */
export function toXr(from: string, to: string): Patch {
  return { type: 'ToCompositeFieldPath' as Patch['type'], fromFieldPath: from, toFieldPath: to };
}

/** Map transform: look the value up in `map`. */
export function mapping(map: Record<string, unknown>): Transform {
  return { type: 'map' as Transform['type'], map };
}

/** String transform: the `group` of the first match of `match` (RE2), e.g. the major of "16.4". */
export function regexp(match: string, group = 0): Transform {
  return { type: 'string' as Transform['type'], string: { type: 'Regexp' as any, regexp: { match, group } } };
}

/** String transform: format the value into `fmt` (`aurora-postgresql%s`). */
export function format(fmt: string): Transform {
  return { type: 'string' as Transform['type'], string: { type: 'Format' as any, fmt } };
}

/** Convert transform: change the value's type (`bool` to `string` before a map, say). */
export function convert(toType: 'string' | 'int' | 'int64' | 'bool' | 'float64'): Transform {
  return { type: 'convert' as Transform['type'], convert: { toType: toType as any } };
}

/** The environment field paths a patch reads. */
export function envReads(p: Patch): string[] {
  return p.type === 'FromEnvironmentFieldPath' ? [p.fromFieldPath!] : [];
}

/** The XR field paths a patch reads. */
export function xrReads(p: Patch): string[] {
  switch (p.type) {
    case 'FromCompositeFieldPath':
      return [p.fromFieldPath!];
    case 'CombineFromComposite':
      return p.combine!.variables.map((v) => v.fromFieldPath);
    default:
      return [];
  }
}
