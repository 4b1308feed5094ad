import { type CompositeResourceDefinitionV2Spec, CompositeResourceDefinitionV2SpecScope } from '../../imports/apiextensions.crossplane.io';

/** An OpenAPI v3 schema as CRDs carry it. */
export type JsonSchema = Record<string, any>;

export interface PlatformApiProps {
  /** API group, e.g. `platform.drydock.dev`. */
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  /** @default 'v1alpha1' */
  readonly version?: string;
  /** The `spec` schema: descriptions, defaults, enums, patterns and CEL rules for developers. */
  readonly spec: JsonSchema;
  /** The `status` schema the composition writes. */
  readonly status: JsonSchema;
  /** @default - Ready and Synced columns only */
  readonly printerColumns?: readonly { name: string; type: string; jsonPath: string }[];
}

/**
 * A namespaced Crossplane v2 platform API: its XRD, and the CRD Crossplane derives from it
 * (the API server validates XRs against that CRD).
 */
export class PlatformApi {
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly version: string;

  constructor(private readonly props: PlatformApiProps) {
    this.group = props.group;
    this.kind = props.kind;
    this.plural = props.plural;
    this.version = props.version ?? 'v1alpha1';
  }

  get apiVersion(): string {
    return `${this.group}/${this.version}`;
  }

  /** The XRD and CRD name. */
  get name(): string {
    return `${this.plural}.${this.group}`;
  }

  /** The XRD spec (apiextensions.crossplane.io/v2), typed so a misnamed field cannot compile. */
  xrdSpec(): CompositeResourceDefinitionV2Spec {
    return {
      group: this.group,
      names: { kind: this.kind, plural: this.plural, categories: ['drydock'] },
      // Offline tools read XRDs as v1 and default a missing scope to LegacyCluster.
      scope: CompositeResourceDefinitionV2SpecScope.NAMESPACED,
      versions: [
        {
          name: this.version,
          served: true,
          referenceable: true,
          additionalPrinterColumns: this.props.printerColumns ? [...this.props.printerColumns] : undefined,
          schema: { openApiv3Schema: { type: 'object', properties: { spec: this.props.spec, status: this.props.status }, required: ['spec'] } },
        },
      ],
    };
  }

  /** Schema of a whole XR, for resolving patch paths (spec, status, metadata). */
  schema(): JsonSchema {
    return xrSchema(this.props.spec, this.props.status);
  }

  /** The XRD spec's own schema, without Crossplane's machinery fields. */
  specSchema(): JsonSchema {
    return this.props.spec;
  }
}

/**
 * The CRD Crossplane derives from an XRD (as written to dist/). Like Crossplane's own
 * derivation (internal/xcrd) it keeps only the spec and status of each version's schema
 * (properties, required, CEL rules) and adds Crossplane's machinery fields, which this
 * project leaves open. The API server validates XRs against this CRD.
 */
export function crdForXrd(xrd: any): any {
  const { group, names } = xrd.spec;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: xrd.metadata.name },
    spec: {
      group,
      names: { ...names, singular: names.singular ?? names.kind.toLowerCase(), listKind: names.listKind ?? `${names.kind}List`, categories: [...(names.categories ?? []), 'composite'] },
      scope: xrd.spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
      versions: xrd.spec.versions.map((v: any) => {
        const props = v.schema?.openAPIV3Schema?.properties ?? {};
        return {
          name: v.name,
          served: v.served,
          storage: v.referenceable,
          subresources: { status: {} },
          schema: { openAPIV3Schema: xrSchema(props.spec ?? {}, props.status ?? {}) },
        };
      }),
    },
  };
}

/** A whole XR's schema as Crossplane builds it: the XRD's spec and status plus Crossplane's fields. */
function xrSchema(spec: JsonSchema, status: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: { ...spec, type: 'object', properties: { ...spec.properties, crossplane: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      status: {
        ...status,
        type: 'object',
        properties: { ...status.properties, conditions: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      },
    },
  };
}
