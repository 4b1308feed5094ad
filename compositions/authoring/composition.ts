import type { ResourcesResourcesConnectionDetails, ResourcesResourcesReadinessChecks } from '../../imports/pt.fn.crossplane.io';
import type { CrdCatalog } from '../../lib/crds';
import { covers, leafPaths, parseFieldPath, resolveFieldPath } from '../../lib/schema';
import type { PlatformApi } from './api';
import type { Condition } from './conditions';
import { FUNCTIONS, type FunctionPackage } from './functions';
import { envReads, fromXr, type Patch, xrReads } from './patches';

export interface ComposedResource {
  /** The composition-resource-name; stable, unique within the composition. */
  readonly name: string;
  /** The base object, from an imported provider class's `manifest()`. */
  readonly base: { readonly apiVersion: string; readonly kind: string; readonly [key: string]: unknown };
  /** @default - none */
  readonly patches?: readonly Patch[];
  /** @default - the resource is ready when its Ready condition is True */
  readonly readinessChecks?: readonly ResourcesResourcesReadinessChecks[];
  /** @default - always composed */
  readonly includeWhen?: Condition;
  /**
   * Values for the XR's connection Secret (`<xr>-connection` in the XR's namespace), read from
   * this resource once it is observed.
   * @default - none
   */
  readonly connectionDetails?: readonly ResourcesResourcesConnectionDetails[];
}

/** A pipeline step that runs before patch-and-transform and reads or writes XR fields. */
export interface PreStep {
  readonly step: string;
  readonly fn: FunctionPackage;
  readonly input: Record<string, unknown>;
  /** XR fields the step reads. */
  readonly reads: readonly string[];
  /** XR fields the step writes (they must exist in the XRD status schema). */
  readonly writes: readonly string[];
}

/**
 * Where the composition's managed resources live: which AWS region and which account. The
 * authoring layer applies it to every managed resource, so no resource can forget a part.
 */
export interface Placement {
  /**
   * XR field holding the AWS region. It is written (as Required: the resource waits for it)
   * into every managed resource whose base marks `spec.forProvider.region` as PATCHED.
   */
  readonly region: string;
  /**
   * XR field naming the ClusterProviderConfig (the AWS account). Every managed resource gets a
   * complete `providerConfigRef {kind, name}`: the provider CRD requires both, and its default
   * applies only when the whole reference is absent, so a patch of the name alone is refused.
   */
  readonly providerConfigName: string;
}

export interface PlatformCompositionProps {
  readonly api: PlatformApi;
  /** Composition name. */
  readonly name: string;
  readonly resources: readonly ComposedResource[];
  /** @default - none */
  readonly preSteps?: readonly PreStep[];
  /** @default - managed resources keep the provider's defaults (region must then be in the base) */
  readonly placement?: Placement;
  /**
   * Platform APIs whose XRs this composition composes (the Cluster composes a Network...): their
   * schemas check the patches to them.
   * @default - none
   */
  readonly children?: readonly PlatformApi[];
  /**
   * The environment data the pipeline selects (one environment's EnvironmentConfig data): every
   * environment patch's source is checked against it.
   * @default - no environment
   */
  readonly environment?: Record<string, unknown>;
}

/** The kind of provider config every managed resource refers to. */
export const PROVIDER_CONFIG_KIND = 'ClusterProviderConfig';

/**
 * A Composition in Pipeline mode: (pre-steps) -> patch-and-transform -> cel-filter (only
 * when some resource is optional) -> auto-ready.
 */
export class PlatformComposition {
  readonly api: PlatformApi;
  readonly name: string;
  readonly resources: readonly ComposedResource[];
  readonly preSteps: readonly PreStep[];
  readonly placement?: Placement;
  readonly environment?: Record<string, unknown>;
  readonly children: readonly PlatformApi[];

  constructor(props: PlatformCompositionProps) {
    this.api = props.api;
    this.name = props.name;
    this.preSteps = props.preSteps ?? [];
    this.placement = props.placement;
    this.environment = props.environment;
    this.children = props.children ?? [];
    this.resources = props.resources.map((r) => this.placed(r));
  }

  /**
   * A resource as patch-and-transform receives it: placement applied to managed resources
   * (anything that is not an XR of the platform's own group), the region and provider config
   * patches first so the resource's own patches can still override them.
   */
  private placed(r: ComposedResource): ComposedResource {
    if (!this.placement || !isManaged(r.base.apiVersion)) return r;
    const spec = (r.base.spec ?? {}) as Record<string, any>;
    const regional = spec.forProvider?.region === PATCHED;
    return {
      ...r,
      base: { ...r.base, spec: { ...spec, providerConfigRef: { kind: PROVIDER_CONFIG_KIND, name: 'default' } } },
      patches: [
        ...(regional ? [fromXr(this.placement.region, 'spec.forProvider.region', { required: true })] : []),
        fromXr(this.placement.providerConfigName, 'spec.providerConfigRef.name'),
        ...(r.patches ?? []),
      ],
    };
  }

  /** The schema of a composed kind: a child platform API's, else the upstream CRD's. */
  schemaOf(apiVersion: string, kind: string, catalog: CrdCatalog): any {
    const child = this.children.find((c) => c.apiVersion === apiVersion && c.kind === kind);
    return child ? child.schema() : catalog.schema(apiVersion, kind);
  }

  /** Functions the pipeline runs, in pipeline order. */
  functions(): FunctionPackage[] {
    return this.pipeline().map((s) => s.fn);
  }

  /** The Composition spec. */
  spec(): any {
    return {
      compositeTypeRef: { apiVersion: this.api.apiVersion, kind: this.api.kind },
      mode: 'Pipeline',
      pipeline: this.pipeline().map((s) => ({ step: s.step, functionRef: { name: s.fn.name }, ...(s.input ? { input: s.input } : {}) })),
    };
  }

  private pipeline(): { step: string; fn: FunctionPackage; input?: Record<string, unknown> }[] {
    const steps: { step: string; fn: FunctionPackage; input?: Record<string, unknown> }[] = [...this.preSteps];
    steps.push({
      step: 'patch-and-transform',
      fn: FUNCTIONS.patchAndTransform,
      input: {
        apiVersion: 'pt.fn.crossplane.io/v1beta1',
        kind: 'Resources',
        resources: this.resources.map((r) => ({
          name: r.name,
          base: stripPatched(r.base).base,
          ...(r.patches?.length ? { patches: r.patches } : {}),
          ...(r.readinessChecks?.length ? { readinessChecks: r.readinessChecks } : {}),
          ...(r.connectionDetails?.length ? { connectionDetails: r.connectionDetails } : {}),
        })),
      },
    });
    const filters = this.filters();
    if (filters.length) {
      steps.push({
        step: 'drop-unused-resources',
        fn: FUNCTIONS.celFilter,
        input: { apiVersion: 'cel.fn.crossplane.io/v1beta1', kind: 'Filters', filters },
      });
    }
    steps.push({ step: 'auto-ready', fn: FUNCTIONS.autoReady });
    return steps;
  }

  /** One cel-filter filter per distinct condition, naming its resources exactly. */
  private filters(): { name: string; expression: string }[] {
    const byExpression = new Map<string, string[]>();
    for (const r of this.resources) {
      if (!r.includeWhen) continue;
      byExpression.set(r.includeWhen.expression, [...(byExpression.get(r.includeWhen.expression) ?? []), r.name]);
    }
    return [...byExpression].map(([expression, names]) => ({
      name: names.length === 1 ? escapeRegExp(names[0]) : `(${names.map(escapeRegExp).join('|')})`,
      expression,
    }));
  }

  /**
   * Everything that would make the composition silently do nothing or the wrong thing:
   * patch paths that are not in the XRD or the composed kind's CRD, duplicate names,
   * XRD spec fields nothing reads. Empty when the composition is sound.
   */
  problems(catalog: CrdCatalog): string[] {
    const out: string[] = [];
    const where = (r: string, what: string) => `composition ${this.name}: resource "${r}": ${what}`;
    const xr = this.api.schema();
    const reads: string[] = [];
    const check = (schema: any, p: string, role: string, owner: string) => {
      const res = resolveFieldPath(schema, p);
      if (!res.ok) out.push(where(owner, `${role} "${p}": ${res.problem}`));
    };

    for (const s of this.preSteps) {
      for (const p of s.reads) check(xr, p, `step ${s.step} reads`, s.step);
      for (const p of s.writes) check(xr, p, `step ${s.step} writes`, s.step);
      reads.push(...s.reads);
    }
    const seen = new Set<string>();
    for (const r of this.resources) {
      if (seen.has(r.name)) out.push(where(r.name, 'the name is used twice'));
      seen.add(r.name);
      let composed: any;
      try {
        composed = this.schemaOf(r.base.apiVersion, r.base.kind, catalog);
      } catch (e) {
        out.push(where(r.name, (e as Error).message));
        continue;
      }
      for (const p of r.patches ?? []) {
        if (p.type === 'ToCompositeFieldPath') {
          check(composed, p.fromFieldPath!, `patch from ${r.base.kind}`, r.name);
          check(xr, p.toFieldPath!, 'patch to the XR at', r.name);
          continue;
        }
        for (const from of xrReads(p)) check(xr, from, 'patch from the XR at', r.name);
        for (const from of envReads(p)) {
          if (!this.environment) out.push(where(r.name, `patch from the environment at "${from}", but the composition selects no environment`));
          else if (valueAt(this.environment, from) === undefined)
            out.push(where(r.name, `patch from the environment at "${from}": the environment has no such field`));
        }
        check(composed, p.toFieldPath!, `patch to ${r.base.kind} at`, r.name);
        reads.push(...xrReads(p));
      }
      const written = new Set((r.patches ?? []).filter((p) => p.type !== 'ToCompositeFieldPath').map((p) => p.toFieldPath));
      for (const placeholder of stripPatched(r.base).paths) {
        if (!written.has(placeholder)) {
          out.push(where(r.name, `"${placeholder}" is marked PATCHED but no patch writes it`));
        }
      }
      for (const d of r.connectionDetails ?? [])
        if (d.fromFieldPath) check(composed, d.fromFieldPath, `connection detail "${d.name}" from ${r.base.kind}`, r.name);
      for (const p of r.includeWhen?.reads ?? []) check(xr, p, 'condition reads', r.name);
      reads.push(...(r.includeWhen?.reads ?? []));
    }
    for (const field of leafPaths(this.api.specSchema(), 'spec')) {
      if (!reads.some((read) => covers(read, field)))
        out.push(`composition ${this.name}: XRD field "${field}" is not read by any patch, condition or step: use it or remove it from the XRD`);
    }
    return out;
  }
}

/**
 * Whether a composed kind is a namespaced managed resource (`*.m.upbound.io`,
 * `*.m.crossplane.io`): only those take a provider config. XRs and Crossplane's own kinds
 * (Usage) do not.
 */
export function isManaged(apiVersion: string): boolean {
  return /\.m\.(upbound|crossplane)\.io\//.test(apiVersion);
}

/** The value at a field path of a plain object, or undefined. */
function valueAt(data: unknown, fieldPath: string): unknown {
  let at: any = data;
  for (const seg of parseFieldPath(fieldPath)) at = at?.['index' in seg ? seg.index : seg.name];
  return at;
}

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

function escapeRegExp(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
