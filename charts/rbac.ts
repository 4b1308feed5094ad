// RBAC on the control cluster: provider-kubernetes writes Argo CD cluster Secrets and nothing
// else; developers create and read the platform's XRs in their team namespaces. (Crossplane's
// own RBAC manager already grants Crossplane the XRs its XRDs define.) Team namespaces are
// created here, so platform-owned XRs in claims/ have somewhere to live.
import { k8s } from 'cdk8s-plus-30';
import type { Construct } from 'constructs';
import { PLATFORM } from '../environments/platform';
import { DistChart, WAVES } from './dist-chart';

/** Service account provider-kubernetes runs as (its DeploymentRuntimeConfig names it). */
export const PROVIDER_KUBERNETES_SA = 'provider-kubernetes';
export const PLATFORM_USER_ROLE = 'drydock-platform-user';

export function rbacChart(scope: Construct, apiPlurals: readonly string[]): DistChart {
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
      { apiGroups: [PLATFORM.apiGroup], resources: [...apiPlurals], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: [PLATFORM.apiGroup], resources: apiPlurals.map((p) => `${p}/status`), verbs: ['get', 'list', 'watch'] },
    ],
  });
  for (const team of PLATFORM.teams) {
    new k8s.KubeNamespace(chart, `namespace-${team.namespace}`, { metadata: { name: team.namespace } });
    new k8s.KubeRoleBinding(chart, `platform-user-${team.namespace}`, {
      metadata: { name: PLATFORM_USER_ROLE, namespace: team.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: PLATFORM_USER_ROLE },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: team.group }],
    });
  }
  return chart;
}
