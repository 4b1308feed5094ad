import { spawnSync } from 'node:child_process';
import { goToolBinary } from './go-tools';
import { nearestField } from './schema';

export interface Finding {
  /** The API server's own wording, e.g. `spec.region: Required value`. */
  readonly message: string;
  readonly field: string;
  readonly type: string;
  readonly detail: string;
  readonly value?: string;
}

export interface ValidationReport {
  readonly crds: { name: string; errors: Finding[] }[];
  readonly objects: { id: string; errors: Finding[]; defaulted?: any }[];
  /** One verdict per admission request, when admission was asked for. */
  readonly admission?: AdmissionVerdict[];
  /**
   * What kube-apiserver would write to each policy's status.typeChecking: expressions that do not
   * type-check against the schema of a kind the policy matches (a misspelled field).
   */
  readonly policyWarnings?: { policy: string; fieldRef: string; warning: string }[];
}

/** Who sends a request, as the API server authenticated (or impersonated) them. */
export interface RequestUser {
  readonly username: string;
  readonly groups: readonly string[];
}

export interface AdmissionRequest {
  readonly id: string;
  readonly operation: 'CREATE' | 'UPDATE' | 'DELETE';
  /** Absent on DELETE. */
  readonly object?: unknown;
  /** The stored object, on UPDATE and DELETE. */
  readonly oldObject?: unknown;
  /** The resource (plural); needed only for kinds whose CRD is not given, e.g. `namespaces`. */
  readonly resource?: string;
  /** `status` for a write to the status subresource (what a controller's status update sends). */
  readonly subResource?: string;
  /** kubectl's --dry-run=server: admission runs, nothing is stored. @default false */
  readonly dryRun?: boolean;
  readonly user: RequestUser;
}

/**
 * What ValidatingAdmissionPolicies the request is judged by, and the namespaces that exist
 * (bindings select by namespace labels; policies read `namespaceObject`).
 */
export interface Admission {
  readonly policies: readonly unknown[];
  readonly bindings: readonly unknown[];
  readonly namespaces: readonly unknown[];
  readonly requests: readonly AdmissionRequest[];
}

export interface AdmissionVerdict {
  readonly id: string;
  readonly allowed: boolean;
  /** The API server's error when refused, e.g. `clusters.platform.drydock.dev "x" is forbidden: ValidatingAdmissionPolicy ...`. */
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
}

/** How a problem names the object it is about: `claims/dev/a.yaml: Cluster team-a/a`. */
export const objectLabel = (source: string, o: any): string =>
  `${source}: ${o?.kind} ${o?.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o?.metadata?.name}`;

/** Path of the kubevalidate binary (tools/kubevalidate), built on first use. */
export const kubevalidateBinary = () => goToolBinary('kubevalidate');

/**
 * Validate objects against CRDs with the Kubernetes API server's own validation code, and judge
 * admission requests with its own ValidatingAdmissionPolicy plugin (objects of the kinds `crds`
 * define are defaulted and pruned first, as the API server decodes them).
 */
export function kubevalidate(
  crds: readonly unknown[],
  objects: readonly { id: string; object: unknown; old?: unknown }[],
  admission?: Admission,
): ValidationReport {
  // DRYDOCK_KUBEVALIDATE names another binary: the fault-injection tests use one that crashes.
  const res = spawnSync(process.env.DRYDOCK_KUBEVALIDATE ?? kubevalidateBinary(), [], {
    input: JSON.stringify({ crds, objects, ...(admission ? { admission } : {}) }),
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`kubevalidate failed (exit ${res.status}): ${res.stderr || res.error?.message}`);
  return withDidYouMean(JSON.parse(res.stdout), crds, objects);
}

/**
 * The API server says only `unknown field "spec.databse"` (kubevalidate words it the same); add
 * the field the object's schema has that it most likely means: `...: did you mean "database"?`.
 */
function withDidYouMean(report: ValidationReport, crds: readonly unknown[], objects: readonly { id: string; object: unknown }[]): ValidationReport {
  const schemas = new Map<string, any>();
  for (const crd of crds as any[])
    for (const v of crd?.spec?.versions ?? []) schemas.set(`${crd.spec.group}/${v.name}/${crd.spec.names?.kind}`, v.schema?.openAPIV3Schema);
  const byId = new Map(objects.map((o) => [o.id, o.object as any]));
  const explain = (id: string, f: Finding): Finding => {
    if (f.type !== 'FieldValueForbidden' || !f.detail.startsWith('unknown field')) return f;
    const o = byId.get(id);
    const schema = schemas.get(`${o?.apiVersion}/${o?.kind}`);
    const near = schema && nearestField(schema, f.field);
    return near ? { ...f, detail: `${f.detail}: did you mean "${near}"?`, message: `${f.message}: did you mean "${near}"?` } : f;
  };
  return { ...report, objects: report.objects.map((r) => ({ ...r, errors: r.errors.map((f) => explain(r.id, f)) })) };
}
