// Conditions that decide whether an optional composed resource exists. They compile to CEL
// for function-cel-filter, which runs after patch-and-transform and removes a desired
// resource whose expression is false. Each condition records the XR fields it reads, so
// synth can check them against the XRD schema like any patch.

export interface Condition {
  /** CEL over the function request (`observed`, `desired`, `context`). */
  readonly expression: string;
  /** XR field paths the expression reads. */
  readonly reads: readonly string[];
}

const SIMPLE_PATH = /^(spec|status)(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

function xrField(path: string): string {
  if (!SIMPLE_PATH.test(path)) throw new Error(`condition field "${path}" must be a dotted path under spec or status`);
  return `observed.composite.resource.${path}`;
}

const literal = (v: string | number | boolean) => (typeof v === 'string' ? `'${v.replace(/'/g, "\\'")}'` : String(v));

/** True when the XR field equals one of `values`. */
export function fieldIn(path: string, values: readonly (string | number | boolean)[]): Condition {
  return { expression: `${xrField(path)} in [${values.map(literal).join(', ')}]`, reads: [path] };
}

/** True when the XR list field is set and has at least `n` items. */
export function sizeAtLeast(path: string, n: number): Condition {
  return { expression: `${present(path).expression} && size(${xrField(path)}) >= ${n}`, reads: [path] };
}

/** True when the XR list field is set and has exactly `n` items. */
export function sizeIs(path: string, n: number): Condition {
  return { expression: `${present(path).expression} && size(${xrField(path)}) == ${n}`, reads: [path] };
}

/** True when the XR field is set (every parent is checked, so an absent parent is false, not an error). */
export function present(path: string): Condition {
  xrField(path);
  const parts = path.split('.');
  const checks = parts.map((_, i) => `has(observed.composite.resource.${parts.slice(0, i + 1).join('.')})`);
  return { expression: checks.join(' && '), reads: [path] };
}

/**
 * True once the composed resource `name` exists (is observed). A condition that holds a resource
 * back until a value is known must keep it once it exists: function-cel-filter drops a desired
 * resource whose condition turns false, and Crossplane deletes an observed resource that is no
 * longer desired (Crossplane internal/controller/apiextensions/composite/composition_functions.go,
 * GarbageCollectComposedResources, at the release catalog/ pins for crank).
 */
export function alreadyComposed(name: string): Condition {
  return { expression: `${literal(name)} in observed.resources`, reads: [] };
}

/** True when the XR number field is set and at least `n`. */
export function atLeast(path: string, n: number): Condition {
  return { expression: `${present(path).expression} && ${xrField(path)} >= ${n}`, reads: [path] };
}

/** True when the condition is false. */
export function not(c: Condition): Condition {
  return { expression: `!(${c.expression})`, reads: c.reads };
}

/** True when any condition is. */
export function anyOf(...conditions: Condition[]): Condition {
  if (conditions.length === 1) return conditions[0];
  return { expression: conditions.map((c) => `(${c.expression})`).join(' || '), reads: conditions.flatMap((c) => c.reads) };
}

/** True when every condition is. */
export function allOf(...conditions: Condition[]): Condition {
  if (conditions.length === 1) return conditions[0];
  return { expression: conditions.map((c) => `(${c.expression})`).join(' && '), reads: conditions.flatMap((c) => c.reads) };
}

/** True when every given condition is; undefined (always) when none is given. */
export function when(...conditions: (Condition | undefined)[]): Condition | undefined {
  const given = conditions.filter((c): c is Condition => c !== undefined);
  return given.length ? allOf(...given) : undefined;
}

/** True when the optional boolean XR field is set and true. */
export function enabled(path: string): Condition {
  return allOf(present(path), fieldIn(path, [true]));
}

// Conditions over what Crossplane observes, for compositions that act in steps (a teardown): a
// step starts once the resources of the one before are gone. Composed resources are named by
// their composition-resource-name, as `observed.resources` keys them.

const observedResource = (name: string) => `observed.resources['${name}'].resource`;

/** True when the XR carries the annotation `key` (set by someone else, e.g. Crossplane's Usage webhook). */
export function annotated(key: string): Condition {
  return {
    expression: `has(observed.composite.resource.metadata.annotations) && '${key}' in observed.composite.resource.metadata.annotations`,
    reads: ['metadata.annotations'],
  };
}

/** True when every one of these composed resources is gone (or never existed). */
export function allGone(names: readonly string[]): Condition {
  return { expression: names.map((n) => `!('${n}' in observed.resources)`).join(' && ') || 'true', reads: [] };
}

/** True when the composed resource `name` exists and reports Ready=True. */
export function composedReady(name: string): Condition {
  const r = observedResource(name);
  return {
    expression: `'${name}' in observed.resources && has(${r}.status) && has(${r}.status.conditions) && ${r}.status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')`,
    reads: [],
  };
}

/**
 * True when the composed resource `name`, an Object of provider-kubernetes managed with the
 * Observe policy alone, found nothing to observe. crossplane-runtime's managed reconciler then
 * marks it Synced=False "observe failed: external resource does not exist" (crossplane-runtime
 * v2.0.0-rc.1, the version the catalog's provider-kubernetes builds with,
 * pkg/reconciler/managed/reconciler.go:1138-1141); any other error (RBAC, an unreachable API)
 * is not "nothing there".
 */
export function composedObservesNothing(name: string): Condition {
  const r = observedResource(name);
  return {
    expression: `'${name}' in observed.resources && has(${r}.status) && has(${r}.status.conditions) && ${r}.status.conditions.exists(c, c.type == 'Synced' && c.status == 'False' && has(c.message) && c.message.endsWith('external resource does not exist'))`,
    reads: [],
  };
}

/**
 * True when the composed resource `name` exists and its field `path` (dotted, e.g.
 * `spec.deletionProtection`) is set to `value`.
 */
export function composedFieldIs(name: string, path: string, value: string | number | boolean): Condition {
  const r = observedResource(name);
  const parts = path.split('.');
  const has = parts.map((_, i) => `has(${r}.${parts.slice(0, i + 1).join('.')})`);
  return { expression: [`'${name}' in observed.resources`, ...has, `${r}.${path} == ${literal(value)}`].join(' && '), reads: [] };
}
