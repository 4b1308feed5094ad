// Composed resources as the API server will see them, without running the renderer: the base
// with every patch target filled by a value of the type the composed kind's CRD expects.
// Validating these against the CRDs catches a composition whose resources lack a required
// field, set an unknown one or write the wrong type, on machines that cannot render for real.
import type { CrdCatalog } from '../../lib/crds';
import { parseFieldPath, resolveFieldPath } from '../../lib/schema';
import type { JsonSchema } from '../../lib/xrd';
import type { PlatformComposition } from './composition';

export interface ComposedSample {
  /** `composition <name>: resource "<name>" (<Kind>)`, for error messages. */
  readonly label: string;
  readonly object: any;
}

/**
 * Every composed resource of `composition` with an upstream CRD, fully patched with sample
 * values. Child XRs (a Cluster's Network) are left to the render tests: their schemas carry
 * patterns and CEL rules that only real values satisfy, and real values flow there.
 */
export function composedSamples(composition: PlatformComposition, catalog: CrdCatalog): ComposedSample[] {
  const input = composition.spec().pipeline.find((s: any) => s.step === 'patch-and-transform').input;
  const childKinds = new Set(composition.children.map((c) => `${c.apiVersion}/${c.kind}`));
  return input.resources
    .filter((r: any) => !childKinds.has(`${r.base.apiVersion}/${r.base.kind}`))
    .map((r: any) => {
      const object = structuredClone(r.base);
      const schema = composition.schemaOf(object.apiVersion, object.kind, catalog);
      for (const p of r.patches ?? []) {
        if (p.type === 'ToCompositeFieldPath' || p.type === 'CombineToComposite') continue;
        const target = resolveFieldPath(schema, p.toFieldPath);
        // A path outside the schema is reported by the authoring checks, with a suggestion.
        if (target.ok) setAt(object, p.toFieldPath, patchedValue(p.transforms ?? [], target.schema));
      }
      object.metadata = { ...object.metadata, name: `${composition.name}-${r.name}`, namespace: 'sample' };
      return { label: `composition ${composition.name}: resource "${r.name}" (${object.kind})`, object };
    });
}

/**
 * What a patch writes: a value of the target's type, unless its last transform decides the
 * type (a map or match yields its own values, a convert its target type), so a transform that
 * yields a string where the CRD wants a boolean is caught.
 */
function patchedValue(transforms: readonly any[], target: JsonSchema): unknown {
  const last = transforms[transforms.length - 1];
  switch (last?.type) {
    case 'map':
      return Object.values(last.map ?? {})[0];
    case 'match':
      return last.match?.patterns?.[0]?.result ?? last.match?.fallbackValue;
    case 'convert':
      return (
        { string: 'sample', int: 1, int64: 1, float64: 1.5, bool: true, object: {}, array: [] }[last.convert?.toType as string] ?? sampleValue(target)
      );
    case 'math':
      return 1;
    default:
      return sampleValue(target);
  }
}

/** A value the schema accepts: its first enum value or default, else a plain value of its type. */
export function sampleValue(schema: JsonSchema): unknown {
  if (schema.enum?.length) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  switch (schema.type) {
    case 'boolean':
      return true;
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'array':
      return [sampleValue(schema.items ?? {})];
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((k: string) => [k, sampleValue(schema.properties?.[k] ?? {})]));
    default:
      return 'sample';
  }
}

/** Set `value` at a Crossplane field path, creating the objects and lists on the way. */
function setAt(object: any, fieldPath: string, value: unknown): void {
  const segments = parseFieldPath(fieldPath);
  let at = object;
  segments.forEach((seg, i) => {
    const key = 'index' in seg ? seg.index : seg.name;
    if (i === segments.length - 1) {
      at[key] = value;
      // A list patched at [2] alone still has items 0 and 1 once rendered: fill the gaps alike.
      if (Array.isArray(at)) for (let j = 0; j < at.length; j++) at[j] ??= structuredClone(value);
      return;
    }
    const next = segments[i + 1];
    at[key] ??= 'index' in next ? [] : {};
    at = at[key];
  });
}
