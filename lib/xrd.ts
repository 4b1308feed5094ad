/** An OpenAPI v3 schema as CRDs carry it. */
export type JsonSchema = Record<string, any>;

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
      names: {
        ...names,
        singular: names.singular ?? names.kind.toLowerCase(),
        listKind: names.listKind ?? `${names.kind}List`,
        categories: [...(names.categories ?? []), 'composite'],
      },
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

const ref = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
const selector = {
  type: 'object',
  required: ['matchLabels'],
  properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } } },
};
/**
 * Crossplane's machinery fields of a modern XR (crossplane/crossplane internal/xcrd schemas.go,
 * CompositeResourceSpecProps), typed where admission policies read them; left open beyond that.
 */
const CROSSPLANE_SPEC: JsonSchema = {
  type: 'object',
  'x-kubernetes-preserve-unknown-fields': true,
  properties: {
    compositionRef: ref,
    compositionSelector: selector,
    compositionRevisionRef: ref,
    compositionRevisionSelector: selector,
    compositionUpdatePolicy: { type: 'string', enum: ['Automatic', 'Manual'] },
    // A namespaced XR's references name no namespace: what it composed lives in its own.
    resourceRefs: {
      type: 'array',
      'x-kubernetes-list-type': 'atomic',
      items: {
        type: 'object',
        required: ['apiVersion', 'kind'],
        properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' } },
      },
    },
  },
};

/** A whole XR's schema as Crossplane builds it: the XRD's spec and status plus Crossplane's fields. */
export function xrSchema(spec: JsonSchema, status: JsonSchema): JsonSchema {
  return {
    type: 'object',
    required: ['spec'],
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec: {
        ...spec,
        type: 'object',
        properties: { ...spec.properties, crossplane: CROSSPLANE_SPEC },
      },
      status: {
        ...status,
        type: 'object',
        properties: { ...status.properties, conditions: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
      },
    },
  };
}
