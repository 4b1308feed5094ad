// The Argo CD cluster Secret a Cluster registers its EKS cluster with (gitops-bridge style), as
// one typed table: which key it carries, where (label, annotation, data), and where the value
// comes from. The Cluster composition writes the Secret from this table, and the add-on
// ApplicationSets (charts/addons.ts) select and template by its keys, typed: a key misspelled on
// either side does not compile.
import { PLATFORM } from '../../environments/platform';
import { KubernetesObject } from '../../imports/kubernetes.m.crossplane.io';
import {
  type ComposedResource,
  type Condition,
  combined,
  combineFromXr,
  convert,
  format,
  fromEnv,
  fromXr,
  merge,
  type Patch,
  type PatchOptions,
  prefer,
} from '../authoring';
import { MAX_ZONES } from '../eks/definition';
import { ADDONS, ADDONS_WITH_IDENTITY, type Addon, MAX_DOMAINS } from './definition';

/** The ClusterProviderConfig of provider-kubernetes that writes into the control cluster itself. */
export const CONTROL_CLUSTER_PROVIDER_CONFIG = 'control-cluster';

/** Where the Secret carries a key: Argo CD's cluster generator exposes each to templates. */
type Carrier = 'label' | 'annotation' | 'stringData';

/** One key of the Secret. */
export interface SecretField<C extends Carrier = Carrier, Optional extends boolean = boolean> {
  readonly in: C;
  /**
   * The key may be missing (a list the XR leaves empty, the role of an add-on it does not enable):
   * a template reads it with `index`, since the ApplicationSets fail on a missing key read
   * directly (missingkey=error). A required key may still be missing where no ApplicationSet
   * reading it selects the cluster (the interruption queue of an Auto Mode cluster).
   */
  readonly optional: Optional;
  /** A fixed value, in the Secret as composed. */
  readonly value?: string;
  /** The patches that write it to `to`. */
  readonly write?: (to: string) => Patch[];
}

const copy =
  (from: string, options: PatchOptions = {}) =>
  (to: string) => [fromXr(from, to, options)];
const environment = (from: string) => (to: string) => [fromEnv(from, to)];
/**
 * A list of up to `max` XR values (its schema's maxItems) as one comma-separated string: the
 * longest present wins, since a combine patch is skipped while any item it formats is absent.
 */
const joined = (list: string, max: number) => (to: string) =>
  prefer(
    Array.from({ length: max }, (_, i) => max - i).map((n) =>
      combined(
        Array.from({ length: n }, (_, i) => `${list}[${i}]`),
        Array(n).fill('%s').join(','),
      ),
    ),
    to,
  );
/** The registration waits for values other parts report: it appears only once all are known. */
const waitFor = (from: string) => copy(from, { required: true });

const label = (write: (to: string) => Patch[]): SecretField<'label', false> => ({ in: 'label', optional: false, write });
const annotation = (write: (to: string) => Patch[]): SecretField<'annotation', false> => ({ in: 'annotation', optional: false, write });
const optionalAnnotation = (write: (to: string) => Patch[]): SecretField<'annotation', true> => ({ in: 'annotation', optional: true, write });
const data = (write: (to: string) => Patch[]): SecretField<'stringData', false> => ({ in: 'stringData', optional: false, write });

/**
 * Each add-on's toggle as a label (`enable_karpenter: "true"`), which its ApplicationSet selects.
 * An add-on with a Pod Identity association reads "false" until EKS reports the association, so
 * Argo CD creates its Application only after it (also when the add-on is switched on later): EKS
 * injects credentials only into pods created after the association exists, and hop limit 1 keeps
 * pods from the node's instance metadata. The combine needs both fields and prints the toggle alone.
 */
const TOGGLES = Object.fromEntries(
  (Object.entries(ADDONS) as [Addon, (typeof ADDONS)[Addon]][]).map(([key, a]) => [
    a.label,
    ADDONS_WITH_IDENTITY.includes(key)
      ? ({
          in: 'label',
          optional: false,
          value: 'false',
          write: (to: string) => [combineFromXr([`spec.addons.${key}`, `status.wiring.podIdentity.${key}`], '%[1]v', to)],
        } as SecretField<'label', false>)
      : label(copy(`spec.addons.${key}`, { transforms: [convert('string')] })),
  ]),
) as Record<(typeof ADDONS)[Addon]['label'], SecretField<'label', false>>;

/** The Secret's keys in the order they are written; the values are strings, as Argo CD reads them. */
export const CLUSTER_SECRET = {
  'argocd.argoproj.io/secret-type': { in: 'label', optional: false, value: 'cluster' } as SecretField<'label', false>,
  name: data(waitFor('status.clusterName')),
  server: data(waitFor('status.endpoint')),
  config: data((to) => [
    combineFromXr(
      ['status.clusterName', 'status.wiring.argoCdRoleArn', 'status.wiring.caData'],
      '{"awsAuthConfig":{"clusterName":"%s","roleARN":"%s"},"tlsClientConfig":{"insecure":false,"caData":"%s"}}',
      to,
      { required: true },
    ),
  ]),
  environment: label(copy('spec.environment')),
  // Project-scoped cluster: only the environment's add-on project may deploy to it.
  project: data(copy('spec.environment', { transforms: [format('addons-%s')] })),
  ...TOGGLES,
  aws_cluster_name: annotation(copy('status.clusterName')),
  aws_region: annotation(copy('spec.region')),
  aws_account_id: annotation(copy('status.wiring.accountId')),
  aws_vpc_id: annotation(copy('status.wiring.vpcId')),
  eks_compute_mode: label(copy('status.wiring.computeMode')),
  karpenter_ami_family: annotation(copy('spec.kubernetes.amiFamily')),
  karpenter_instance_families: annotation(environment('addons.karpenterInstanceFamilies')),
  karpenter_capacity_types: annotation(environment('addons.karpenterCapacityTypes')),
  karpenter_cpu_limit: annotation(environment('addons.karpenterCpuLimit')),
  karpenter_memory_limit_gi: annotation(environment('addons.karpenterMemoryLimitGi')),
  karpenter_replicas: annotation(environment('addons.karpenterReplicas')),
  external_dns_policy: annotation(environment('addons.externalDnsPolicy')),
  cert_manager_email: annotation(environment('addons.certManagerEmail')),
  external_secrets_prefixes: annotation(environment('addons.externalSecretsPrefixes')),
  cert_manager_hosted_zone_ids: optionalAnnotation(joined('spec.dns.hostedZoneIds', MAX_ZONES)),
  karpenter_iam_role_arn: optionalAnnotation(copy('status.wiring.karpenterRoleArn')),
  karpenter_sqs_queue_name: annotation(copy('status.wiring.karpenterQueueName')),
  karpenter_node_iam_role_name: annotation(copy('status.wiring.nodeRoleName')),
  external_dns_iam_role_arn: optionalAnnotation(copy('status.wiring.externalDnsRoleArn')),
  cert_manager_iam_role_arn: optionalAnnotation(copy('status.wiring.certManagerRoleArn')),
  external_secrets_iam_role_arn: optionalAnnotation(copy('status.wiring.externalSecretsRoleArn')),
  aws_load_balancer_controller_iam_role_arn: optionalAnnotation(copy('status.wiring.loadBalancerControllerRoleArn')),
  external_dns_domain_filters: optionalAnnotation(joined('spec.dns.domains', MAX_DOMAINS)),
  // When the Cluster was made: RollingSync installs a new cluster's add-ons at once (charts/addons-rollout.ts).
  cluster_created_at: optionalAnnotation(copy('metadata.creationTimestamp')),
  // The zones ExternalDNS may change (its IAM policy names only these): without an ID filter it
  // also lists any other zone its domain filters match (a private twin, a delegated sub-zone), and
  // one AccessDenied there fails its whole sync.
  external_dns_zone_id_filters: optionalAnnotation(joined('spec.dns.hostedZoneIds', MAX_ZONES)),
} as const satisfies Record<string, SecretField>;

type Table = typeof CLUSTER_SECRET;
type KeysWhere<F> = { [K in keyof Table]: Table[K] extends F ? K : never }[keyof Table];
/** A label of the cluster Secret: ApplicationSets select clusters by these. */
export type SecretLabel = KeysWhere<SecretField<'label'>>;
/** An annotation every registered cluster's Secret has. */
export type SecretAnnotation = KeysWhere<SecretField<'annotation', false>>;
/** An annotation a cluster's Secret may lack. */
export type SecretOptionalAnnotation = KeysWhere<SecretField<'annotation', true>>;
/**
 * A data key of the Secret that templates read at the top level (`{{ .server }}`): Argo CD's
 * cluster generator copies only `name`, `server` and `project` out of the data, never `config`
 * (applicationset/generators/cluster.go, getClusterParameters, in the Argo CD release CONTROL_CLUSTER pins).
 */
export type SecretData = Extract<KeysWhere<SecretField<'stringData'>>, 'name' | 'server' | 'project'>;
/**
 * The keys of `K` a Go template reads by field access (`.metadata.labels.environment`): Go
 * identifiers. Others (`argocd.argoproj.io/secret-type`) parse as several fields or not at all,
 * and need `index`.
 */
export type TemplateField<K extends string> = Exclude<K, `${string}${'/' | '.' | '-'}${string}`>;

const manifestPath = (key: string, f: SecretField) =>
  f.in === 'stringData' ? `spec.forProvider.manifest.stringData.${key}` : `spec.forProvider.manifest.metadata.${f.in}s[${key}]`;

/**
 * The Argo CD cluster Secret, composed into the control cluster's argocd namespace by
 * provider-kubernetes, while `includeWhen` holds (a teardown removes it first).
 */
export function registration(includeWhen?: Condition): ComposedResource {
  const fields = Object.entries(CLUSTER_SECRET) as [string, SecretField][];
  const fixed = (carrier: Carrier) =>
    Object.fromEntries(fields.filter(([, f]) => f.in === carrier && f.value !== undefined).map(([k, f]) => [k, f.value!]));
  return {
    name: 'registration',
    base: KubernetesObject.manifest({
      spec: {
        providerConfigRef: { kind: 'ClusterProviderConfig', name: CONTROL_CLUSTER_PROVIDER_CONFIG },
        forProvider: {
          manifest: merge(
            { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { namespace: PLATFORM.argocdNamespace, labels: fixed('label') } },
            Object.keys(fixed('annotation')).length ? { metadata: { annotations: fixed('annotation') } } : undefined,
          ),
        },
      },
    }),
    patches: [
      // The Secret is named after the EKS cluster, once EKS reports it.
      ...waitFor('status.clusterName')('spec.forProvider.manifest.metadata.name'),
      ...fields.flatMap(([key, f]) => f.write?.(manifestPath(key, f)) ?? []),
    ],
    includeWhen,
  };
}
