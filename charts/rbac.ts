// RBAC on the control cluster: provider-kubernetes writes Argo CD cluster Secrets, reads the
// kubeconfig Secrets of team namespaces and gets the platform XRs there, nothing else; developers create and read Clusters (the
// developer-facing API) in their team namespaces, nothing lower-level, and read the Secrets those
// XRs point them to there; the platform group uses every platform API. (Crossplane's
// own RBAC manager already grants Crossplane the XRs its XRDs define.) Team namespaces are
// created here, so platform-owned XRs in claims/ have somewhere to live, and Argo CD never
// prunes or deletes them: a Namespace's deletion deletes every XR in it. What RBAC cannot say
// (which environments a team may use) is said by admission (charts/admission.ts).
import { k8s } from 'cdk8s-plus-30';
import type { Construct } from 'constructs';
import { PLATFORM } from '../environments/platform';
import { NEVER_PRUNE_OR_DELETE } from './admission';
import { DistChart, WAVES } from './dist-chart';

/** Service account provider-kubernetes runs as (its DeploymentRuntimeConfig names it). */
export const PROVIDER_KUBERNETES_SA = 'provider-kubernetes';
export const PLATFORM_USER_ROLE = 'drydock-platform-user';
/** Every platform API, the lower-level ones included: for the platform group only. */
export const PLATFORM_ENGINEER_ROLE = 'drydock-platform-engineer';
const PROVIDER_KUBERNETES_KUBECONFIGS = 'drydock-provider-kubernetes-kubeconfigs';
const PROVIDER_KUBERNETES_TEARDOWN = 'drydock-provider-kubernetes-teardown';

export interface RbacChartProps {
  /** Plurals of the APIs teams create (the developer-facing Cluster). */
  readonly teamApis: readonly string[];
  /** Plurals of every platform API. */
  readonly platformApis: readonly string[];
}

export function rbacChart(scope: Construct, props: RbacChartProps): DistChart {
  const chart = new DistChart(scope, 'rbac', { file: 'crossplane/rbac.yaml', wave: WAVES.packages });
  new k8s.KubeRole(chart, 'argocd-cluster-secrets', {
    metadata: { name: 'drydock-argocd-cluster-secrets', namespace: PLATFORM.argocdNamespace },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }],
  });
  new k8s.KubeRoleBinding(chart, 'argocd-cluster-secrets-binding', {
    metadata: { name: 'drydock-provider-kubernetes', namespace: PLATFORM.argocdNamespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'drydock-argocd-cluster-secrets' },
    subjects: [{ kind: 'ServiceAccount', name: PROVIDER_KUBERNETES_SA, namespace: PLATFORM.crossplaneNamespace }],
  });
  new k8s.KubeClusterRole(chart, 'platform-user', {
    metadata: { name: PLATFORM_USER_ROLE },
    rules: [
      ...xrRules(props.teamApis),
      // The Secrets an XR's status points to (status.kubeconfigSecret,
      // status.database.connectionSecret), read by name: `get` without `list` or `watch`, and
      // only in the team's own namespace (the RoleBinding below scopes this ClusterRole).
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
    ],
  });
  // A Cluster reaches its own workload cluster (to drain it before deleting it) through a
  // namespaced ProviderConfig whose kubeconfig Secret ClusterAuth writes into the team namespace;
  // provider-kubernetes reads it there (compositions/cluster/workload.ts).
  new k8s.KubeClusterRole(chart, 'provider-kubernetes-kubeconfigs', {
    metadata: { name: PROVIDER_KUBERNETES_KUBECONFIGS },
    rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }],
  });
  // A Cluster being deleted follows each child XR it dropped until it is gone, with an Object that
  // only observes it (compositions/cluster/teardown-watch.ts), in team namespaces only (the
  // RoleBindings below). Observing, provider-kubernetes also server-side applies the Object's
  // manifest as a dry run to compare it (provider-kubernetes at the catalog's PROVIDERS.kubernetes,
  // internal/controller/namespaced/object/syncer.go:90-115): without `patch` every observation of
  // a part that still exists fails with Forbidden.
  new k8s.KubeClusterRole(chart, 'provider-kubernetes-teardown', {
    metadata: { name: PROVIDER_KUBERNETES_TEARDOWN },
    rules: [{ apiGroups: [PLATFORM.apiGroup], resources: props.platformApis.filter((p) => !props.teamApis.includes(p)), verbs: ['get', 'patch'] }],
  });
  for (const team of PLATFORM.teams) {
    new k8s.KubeNamespace(chart, `namespace-${team.namespace}`, { metadata: { name: team.namespace, annotations: NEVER_PRUNE_OR_DELETE } });
    new k8s.KubeRoleBinding(chart, `provider-kubernetes-kubeconfigs-${team.namespace}`, {
      metadata: { name: PROVIDER_KUBERNETES_KUBECONFIGS, namespace: team.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: PROVIDER_KUBERNETES_KUBECONFIGS },
      subjects: [{ kind: 'ServiceAccount', name: PROVIDER_KUBERNETES_SA, namespace: PLATFORM.crossplaneNamespace }],
    });
    new k8s.KubeRoleBinding(chart, `provider-kubernetes-teardown-${team.namespace}`, {
      metadata: { name: PROVIDER_KUBERNETES_TEARDOWN, namespace: team.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: PROVIDER_KUBERNETES_TEARDOWN },
      subjects: [{ kind: 'ServiceAccount', name: PROVIDER_KUBERNETES_SA, namespace: PLATFORM.crossplaneNamespace }],
    });
    new k8s.KubeRoleBinding(chart, `platform-user-${team.namespace}`, {
      metadata: { name: PLATFORM_USER_ROLE, namespace: team.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: PLATFORM_USER_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: team.group }],
    });
  }
  platformEngineers(chart, props.platformApis);
  return chart;
}

/** Create, read, change and delete XRs of `plurals`; read their status. */
const xrRules = (plurals: readonly string[]): k8s.PolicyRule[] => [
  { apiGroups: [PLATFORM.apiGroup], resources: [...plurals], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
  { apiGroups: [PLATFORM.apiGroup], resources: plurals.map((p) => `${p}/status`), verbs: ['get', 'list', 'watch'] },
];

/** The platform group: every platform API, in every namespace. */
function platformEngineers(chart: DistChart, plurals: readonly string[]): void {
  new k8s.KubeClusterRole(chart, 'platform-engineer', { metadata: { name: PLATFORM_ENGINEER_ROLE }, rules: xrRules(plurals) });
  new k8s.KubeClusterRoleBinding(chart, 'platform-engineer-binding', {
    metadata: { name: PLATFORM_ENGINEER_ROLE },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: PLATFORM_ENGINEER_ROLE },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: PLATFORM.platformGroup }],
  });
}
