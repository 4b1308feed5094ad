import { PLATFORM } from '../../environments/platform';
import { type CompositeResourceDefinitionV2Spec, CompositeResourceDefinitionV2SpecScope } from '../../imports/apiextensions.crossplane.io';
import type { JsonSchema } from '../../lib/xrd';
import { xrSchema } from '../../lib/xrd';

export type { JsonSchema };

export interface PlatformApiProps {
  /** @default - the platform's group, PLATFORM.apiGroup */
  readonly group?: string;
  readonly kind: string;
  readonly plural: string;
  /** @default 'v1alpha1' */
  readonly version?: string;
  /** The `spec` schema: descriptions, defaults, enums, patterns and CEL rules for developers. */
  readonly spec: JsonSchema;
  /** The `status` schema the composition writes. */
  readonly status: JsonSchema;
  /** More `kubectl get` columns: header -> JSON path of a string field. @default - Ready and Synced columns only */
  readonly printerColumns?: Readonly<Record<string, string>>;
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
    this.group = props.group ?? PLATFORM.apiGroup;
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
          additionalPrinterColumns: this.props.printerColumns
            ? Object.entries(this.props.printerColumns).map(([name, jsonPath]) => ({ name, type: 'string', jsonPath }))
            : undefined,
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

  /** The XRD status's own schema, without Crossplane's conditions. */
  statusSchema(): JsonSchema {
    return this.props.status;
  }
}
