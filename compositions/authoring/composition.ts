import type { ResourcesResourcesConnectionDetails, ResourcesResourcesReadinessChecks } from '../../imports/pt.fn.crossplane.io';
import type { CrdCatalog } from '../../lib/crds';
import type { PlatformApi } from './api';
import type { Condition } from './conditions';
import { FUNCTIONS, type FunctionPackage } from './functions';
import { merge } from './merge';
import type { UniqueName } from './naming';
import { PATCHED, stripPatched } from './patched';
import { fromXr, type Patch, toXr, writesXr } from './patches';
import { compositionProblems } from './problems';
import { laterWinsInOrder, type StatusMap, sourcesOf, transformed } from './status';

export { type LaterWins, laterWins, observed, type StatusMap, type StatusSource } from './status';

export interface ComposedResource {
  /** The composition-resource-name; stable, unique within the composition. */
  readonly name: string;
  /** The base object, from an imported provider class's `manifest()`. */
  readonly base: { readonly apiVersion: string; readonly kind: string; readonly [key: string]: unknown };
  /** Patches onto the resource. What it reports back to the XR goes in the composition's `status` map. @default - none */
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

/** An environment's data as the pipeline selects it (its EnvironmentConfig's `data`). */
export interface EnvironmentData {
  readonly name: string;
  readonly data: Record<string, unknown>;
}

export interface PlatformCompositionProps {
  readonly api: PlatformApi;
  /** Composition name. */
  readonly name: string;
  readonly resources: readonly ComposedResource[];
  /**
   * The XR's status, field by field (relative to `status`), and where each comes from: read top to
   * bottom, it is everything the XR reports. It makes the ToCompositeFieldPath patches and the
   * status section of docs/apis; a resource's own patches never write the XR.
   * @default - the XR reports only what pre-steps write
   */
  readonly status?: StatusMap;
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
   * Every environment's data the pipeline may select: every environment patch's source is checked
   * against each of them.
   * @default - no environment
   */
  readonly environments?: readonly EnvironmentData[];
  /**
   * Names computed in the pipeline's environment before any resource is patched (UniqueName):
   * resources read them as environment sources.
   * @default - none
   */
  readonly uniqueNames?: readonly UniqueName[];
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
  readonly environments: readonly EnvironmentData[];
  readonly children: readonly PlatformApi[];
  readonly status: StatusMap;
  readonly uniqueNames: readonly UniqueName[];

  constructor(props: PlatformCompositionProps) {
    this.api = props.api;
    this.name = props.name;
    this.preSteps = props.preSteps ?? [];
    this.placement = props.placement;
    this.environments = props.environments ?? [];
    this.children = props.children ?? [];
    this.status = props.status ?? {};
    this.uniqueNames = props.uniqueNames ?? [];
    const byName = new Map(props.resources.map((r) => [r.name, r]));
    for (const [field, sources] of Object.entries(this.status)) {
      const list = sourcesOf(sources);
      for (const s of list)
        if (!byName.has(s.resource))
          throw new Error(
            `composition ${this.name}: status.${field} comes from resource "${s.resource}", which it does not compose: name one of its resources`,
          );
      if ('laterWins' in sources) {
        laterWinsInOrder(this.name, field, list, props.resources);
        continue;
      }
      // Alternatives must never be composed together: patch-and-transform applies every observed
      // resource's patches, and the later resource would silently win.
      const conditions = list.map((s) => byName.get(s.resource)!.includeWhen?.expression);
      if (list.length > 1 && (conditions.includes(undefined) || new Set(conditions).size < list.length))
        throw new Error(
          `composition ${this.name}: status.${field} comes from ${list.map((s) => `"${s.resource}"`).join(' or ')}, which are not alternatives: give each its own includeWhen`,
        );
    }
    this.resources = props.resources.map((r) => this.reporting(this.placed(r)));
  }

  /**
   * A resource as patch-and-transform receives it: placement applied to managed resources
   * (anything that is not an XR of the platform's own group), region and provider config first.
   * A resource that sets either itself would be silently overridden (or override), so it throws.
   */
  private placed(r: ComposedResource): ComposedResource {
    if (!this.placement || !isManaged(r.base.apiVersion)) return r;
    const where = `composition ${this.name}: resource "${r.name}"`;
    const spec = (r.base.spec ?? {}) as Record<string, any>;
    if (spec.providerConfigRef !== undefined)
      throw new Error(
        `${where} sets spec.providerConfigRef ${JSON.stringify(spec.providerConfigRef)}, which the placement writes: drop it from the base, or compose it without placement`,
      );
    const region = spec.forProvider?.region;
    if (region !== undefined && region !== PATCHED)
      throw new Error(`${where} sets spec.forProvider.region "${region}", which the placement writes: mark it PATCHED`);
    const placed = ['spec.providerConfigRef.name', ...(region === PATCHED ? ['spec.forProvider.region'] : [])];
    for (const p of r.patches ?? [])
      if (p.toFieldPath && placed.includes(p.toFieldPath))
        throw new Error(`${where} patches ${p.toFieldPath}, which the placement writes from ${this.placement.region}: drop the patch`);
    return {
      ...r,
      base: merge(r.base, { spec: { providerConfigRef: { kind: PROVIDER_CONFIG_KIND, name: 'default' } } }),
      patches: [
        ...(region === PATCHED ? [fromXr(this.placement.region, 'spec.forProvider.region', { required: true })] : []),
        fromXr(this.placement.providerConfigName, 'spec.providerConfigRef.name'),
        ...(r.patches ?? []),
      ],
    };
  }

  /** A resource with the status fields it reports appended to its patches, in the status map's order. */
  private reporting(r: ComposedResource): ComposedResource {
    const own = (r.patches ?? []).find(writesXr);
    if (own)
      throw new Error(
        `composition ${this.name}: resource "${r.name}" writes the XR at "${own.toFieldPath}" itself: declare it in the composition's status map`,
      );
    const reports = Object.entries(this.status).flatMap(([field, sources]) =>
      sourcesOf(sources)
        .filter((s) => s.resource === r.name)
        .map((s) => toXr(s.field, `status.${field}`, { transforms: s.transforms })),
    );
    return reports.length ? { ...r, patches: [...(r.patches ?? []), ...reports] } : r;
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

  /** Each XR status field the composition writes and where it comes from, for readers (docs/apis). */
  statusSources(): { field: string; from: string }[] {
    const kinds = new Map(this.resources.map((r) => [r.name, r.base.kind]));
    return [
      ...this.preSteps.flatMap((s) => s.writes.map((field) => ({ field, from: `step \`${s.step}\` (${s.fn.name})` }))),
      ...Object.entries(this.status).map(([field, sources]) => ({
        field: `status.${field}`,
        from: sourcesOf(sources)
          .map((s) => `\`${s.field}\` of \`${s.resource}\` (${kinds.get(s.resource)})${transformed(s.transforms)}`)
          .join(', or '),
      })),
    ];
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
        ...(this.uniqueNames.length ? { environment: { patches: this.uniqueNames.flatMap((n) => n.environmentPatches()) } } : {}),
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
   * Everything that would make the composition silently do nothing or the wrong thing: paths that
   * are not in the XRD, the environments or the composed kind's CRD, duplicate names, XRD spec
   * fields nothing reads and status fields nothing writes, two patches racing for one field.
   * Empty when the composition is sound.
   */
  problems(catalog: CrdCatalog): string[] {
    return compositionProblems(this, catalog);
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

function escapeRegExp(name: string): string {
  return name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
