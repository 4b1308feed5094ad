// What the Cluster applies in its own workload cluster: through provider-kubernetes, with the
// kubeconfig Secret ClusterAuth keeps fresh in the XR's namespace (a namespaced ProviderConfig,
// provider-kubernetes as PROVIDERS pins it, pkg/kube/client/client.go:90-117: the client is rebuilt from the
// Secret on every reconcile, so the token is always current). Only during a teardown: the drain
// (drain.ts) and ExternalDNS's record cleanup (dns-cleanup.ts).
import {
  KubernetesObject,
  KubernetesProviderConfig,
  ObjectSpecReadinessPolicy,
  ObjectSpecManagementPolicies as Policy,
  ProviderConfigSpecCredentialsSource,
} from '../../imports/kubernetes.m.crossplane.io';
import { ResourcesResourcesReadinessChecksType } from '../../imports/pt.fn.crossplane.io';
import { type ComposedResource, type Condition, combineFromXr, fromXr, PATCHED, type Patch } from '../authoring';

/** The namespaced ProviderConfig through which the Cluster reaches its workload cluster. */
export const WORKLOAD = 'workload';

/** Objects in the workload cluster are never deleted through it: it may be gone by then (no Delete). */
export const KEEP = [Policy.OBSERVE, Policy.CREATE, Policy.UPDATE, Policy.LATE_INITIALIZE];
/** A Job's Object is Ready when the Job completed (a failed Job is not: AllTrue would say it is). */
const JOB_COMPLETE = {
  policy: ObjectSpecReadinessPolicy.DERIVE_FROM_CEL_QUERY,
  celQuery: "has(object.status) && has(object.status.conditions) && object.status.conditions.exists(c, c.type == 'Complete' && c.status == 'True')",
};
/** The system nodes (Managed) or Auto Mode's system pool: they stay until EKS goes, Karpenter's do not. */
export const ON_SYSTEM_NODES = {
  tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }],
  affinity: {
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 100, preference: { matchExpressions: [{ key: 'eks.amazonaws.com/nodegroup', operator: 'Exists' }] } },
        { weight: 100, preference: { matchExpressions: [{ key: 'karpenter.sh/nodepool', operator: 'In', values: ['system'] }] } },
      ],
    },
  },
};
export const RESTRICTED = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 65532,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
export const SMALL = { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } };

/** `<xr>-workload`, the ProviderConfig every workload Object names. */
const workloadConfigName = (to: string): Patch => combineFromXr(['metadata.name'], '%s-workload', to);

/** The namespaced ProviderConfig: the kubeconfig Secret ClusterAuth writes into the XR's namespace. */
export function workloadProviderConfig(includeWhen: Condition): ComposedResource {
  return {
    name: WORKLOAD,
    base: KubernetesProviderConfig.manifest({
      spec: {
        credentials: { source: ProviderConfigSpecCredentialsSource.SECRET, secretRef: { namespace: PATCHED, name: PATCHED, key: 'kubeconfig' } },
      },
    }),
    patches: [
      workloadConfigName('metadata.name'),
      fromXr('metadata.namespace', 'spec.credentials.secretRef.namespace'),
      fromXr('status.kubeconfigSecret', 'spec.credentials.secretRef.name'),
    ],
    // A ProviderConfig reports no Ready condition (its status is only its users), so the default
    // check (Ready=True) would hold the Cluster unready for ever: seen on a real control cluster
    // (test/e2e, "Unready resources: workload").
    readinessChecks: [{ type: ResourcesResourcesReadinessChecksType.NONE }],
    includeWhen,
  };
}

/** An Object applying `manifest` in the workload cluster, released without reaching it. */
export function workloadObject(
  name: string,
  manifest: Record<string, unknown>,
  options: { patches?: Patch[]; job?: boolean; includeWhen: Condition },
) {
  return {
    name,
    base: KubernetesObject.manifest({
      spec: {
        managementPolicies: KEEP,
        providerConfigRef: { kind: 'ProviderConfig', name: PATCHED },
        forProvider: { manifest },
        ...(options.job ? { readiness: JOB_COMPLETE, watch: true } : {}),
      },
    }),
    patches: [workloadConfigName('spec.providerConfigRef.name'), ...(options.patches ?? [])],
    includeWhen: options.includeWhen,
  } satisfies ComposedResource;
}
