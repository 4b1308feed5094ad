// Who each controller of the local control cluster is, and what RBAC lets it do: the service
// accounts and roles Crossplane's Helm chart and Argo CD's install manifests create, so that
// admission policies and RBAC judge each controller as they would in a real install (dist/'s
// policies let Crossplane's and Argo CD's service accounts do what a team may not). Each
// controller reaches the API server with a token of its own service account (TokenRequest), as
// its pod would; none acts as the admin.
//
// The rules are facts from the upstream installs at the pinned releases, written out here:
// - Crossplane (CONTROL_CLUSTER.crossplane) cluster/charts/crossplane/templates/: clusterrole.yaml (the
//   aggregated `crossplane` role and its system part), rbac-manager-clusterrole.yaml,
//   rbac-manager-allowed-provider-permissions.yaml, the bindings. The RBAC manager itself runs
//   (`crossplane rbac start`) and makes the per-XRD and per-provider roles that aggregate into
//   `crossplane`, as in a cluster. The chart's user-facing aggregated roles (crossplane-admin,
//   -edit, -view, -browse) are left out: no identity here is bound to them.
// - Argo CD (CONTROL_CLUSTER.argocd) manifests/install.yaml (cluster install): base/application-controller-roles,
//   base/applicationset-controller, cluster-rbac/application-controller and
//   cluster-rbac/applicationset-controller. The repo-server mounts no token
//   (automountServiceAccountToken: false), so it gets none.
import { PLATFORM } from '../../environments/platform';

export interface Identity {
  readonly namespace: string;
  readonly name: string;
}

const xp = PLATFORM.crossplaneNamespace;
const argo = PLATFORM.argocdNamespace;

/** The service account each controller runs as in a real install. */
export const IDENTITIES = {
  crossplane: { namespace: xp, name: 'crossplane' },
  rbacManager: { namespace: xp, name: 'rbac-manager' },
  applicationController: { namespace: argo, name: 'argocd-application-controller' },
  applicationSetController: { namespace: argo, name: 'argocd-applicationset-controller' },
  repoServer: { namespace: argo, name: 'argocd-repo-server' },
} as const satisfies Record<string, Identity>;

/** The user name a service account's token authenticates as. */
export const userOf = (i: Identity): string => `system:serviceaccount:${i.namespace}:${i.name}`;

type Rule = { apiGroups?: string[]; resources?: string[]; resourceNames?: string[]; nonResourceURLs?: string[]; verbs: string[] };

const RBAC = 'rbac.authorization.k8s.io';
const all = ['*'];
const read = ['get', 'list', 'watch'];

const clusterRole = (name: string, rules: Rule[], labels?: Record<string, string>) => ({
  apiVersion: `${RBAC}/v1`,
  kind: 'ClusterRole',
  metadata: { name, ...(labels ? { labels } : {}) },
  rules,
});
const aggregated = (name: string, selector: string) => ({
  apiVersion: `${RBAC}/v1`,
  kind: 'ClusterRole',
  metadata: { name },
  aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [selector]: 'true' } }] },
});
const role = (name: string, namespace: string, rules: Rule[]) => ({
  apiVersion: `${RBAC}/v1`,
  kind: 'Role',
  metadata: { name, namespace },
  rules,
});
const bind = (kind: 'ClusterRole' | 'Role', name: string, who: Identity) => ({
  apiVersion: `${RBAC}/v1`,
  kind: kind === 'ClusterRole' ? 'ClusterRoleBinding' : 'RoleBinding',
  metadata: kind === 'ClusterRole' ? { name } : { name, namespace: who.namespace },
  roleRef: { apiGroup: RBAC, kind, name },
  subjects: [{ kind: 'ServiceAccount', name: who.name, namespace: who.namespace }],
});
const serviceAccount = (i: Identity) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: i.name, namespace: i.namespace } });

/** Crossplane core's rules (chart clusterrole.yaml: `crossplane:system:aggregate-to-crossplane`). */
const CROSSPLANE_SYSTEM: Rule[] = [
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'update', 'patch', 'delete'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions', 'customresourcedefinitions/status'], verbs: all },
  { apiGroups: [''], resources: ['secrets'], verbs: [...read, 'create', 'update', 'patch', 'delete'] },
  { apiGroups: [''], resources: ['serviceaccounts', 'services'], verbs: all },
  { apiGroups: ['apiextensions.crossplane.io', 'ops.crossplane.io', 'pkg.crossplane.io', 'protection.crossplane.io'], resources: all, verbs: all },
  { apiGroups: ['extensions', 'apps'], resources: ['deployments'], verbs: ['get', 'list', 'create', 'update', 'patch', 'delete', 'watch'] },
  {
    apiGroups: ['', 'coordination.k8s.io'],
    resources: ['configmaps', 'leases'],
    verbs: ['get', 'list', 'create', 'update', 'patch', 'watch', 'delete'],
  },
  {
    apiGroups: ['admissionregistration.k8s.io'],
    resources: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'],
    verbs: ['get', 'list', 'create', 'update', 'patch', 'watch', 'delete'],
  },
];

/** The RBAC manager's rules (chart rbac-manager-clusterrole.yaml). */
const RBAC_MANAGER: Rule[] = [
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'update', 'patch', 'delete'] },
  { apiGroups: [''], resources: ['namespaces'], verbs: read },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: read },
  { apiGroups: [''], resources: ['namespaces/finalizers'], verbs: ['update'] },
  { apiGroups: ['apiextensions.crossplane.io'], resources: ['compositeresourcedefinitions'], verbs: read },
  { apiGroups: ['apiextensions.crossplane.io'], resources: ['compositeresourcedefinitions/finalizers'], verbs: ['update'] },
  { apiGroups: ['pkg.crossplane.io'], resources: ['providerrevisions'], verbs: read },
  { apiGroups: ['pkg.crossplane.io'], resources: ['providerrevisions/finalizers'], verbs: ['update'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: read },
  // The RBAC manager grants access it does not have (escalate) and binds the roles it makes.
  { apiGroups: [RBAC], resources: ['clusterroles', 'roles'], verbs: [...read, 'create', 'update', 'patch', 'escalate'] },
  { apiGroups: [RBAC], resources: ['clusterroles'], verbs: ['bind'] },
  { apiGroups: [RBAC], resources: ['clusterrolebindings'], verbs: all },
  {
    apiGroups: ['', 'coordination.k8s.io'],
    resources: ['configmaps', 'leases'],
    verbs: ['get', 'list', 'create', 'update', 'patch', 'watch', 'delete'],
  },
];

/** The RBAC manager's flag naming the ClusterRole of what providers may ask for (chart rbac-manager-deployment.yaml). */
export const ALLOWED_PROVIDER_PERMISSIONS = 'crossplane:allowed-provider-permissions';

/** What Crossplane's chart installs for core and the RBAC manager. */
function crossplaneRbac(): unknown[] {
  const { crossplane, rbacManager } = IDENTITIES;
  return [
    serviceAccount(crossplane),
    aggregated('crossplane', 'rbac.crossplane.io/aggregate-to-crossplane'),
    clusterRole('crossplane:system:aggregate-to-crossplane', CROSSPLANE_SYSTEM, {
      'crossplane.io/scope': 'system',
      'rbac.crossplane.io/aggregate-to-crossplane': 'true',
    }),
    bind('ClusterRole', 'crossplane', crossplane),
    serviceAccount(rbacManager),
    clusterRole('crossplane-rbac-manager', RBAC_MANAGER),
    bind('ClusterRole', 'crossplane-rbac-manager', rbacManager),
    aggregated(ALLOWED_PROVIDER_PERMISSIONS, 'rbac.crossplane.io/aggregate-to-allowed-provider-permissions'),
  ];
}

/** The application controller's rules in Argo CD's namespace (base/application-controller-roles). */
const APPLICATION_CONTROLLER: Rule[] = [
  { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: read },
  {
    apiGroups: ['argoproj.io'],
    resources: ['applications', 'applicationsets', 'appprojects'],
    verbs: ['create', ...read, 'update', 'patch', 'delete'],
  },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'list'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: read },
];

/** The ApplicationSet controller's rules: its Role and its ClusterRole carry the same (base/ and cluster-rbac/). */
const APPLICATIONSET_CONTROLLER: Rule[] = [
  {
    apiGroups: ['argoproj.io'],
    resources: ['applications', 'applicationsets', 'applicationsets/finalizers'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  },
  { apiGroups: ['argoproj.io'], resources: ['appprojects'], verbs: read },
  { apiGroups: ['argoproj.io'], resources: ['applicationsets/status'], verbs: ['get', 'patch', 'update'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'get', 'list', 'patch', 'watch'] },
  { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: read },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  {
    apiGroups: ['coordination.k8s.io'],
    resources: ['leases'],
    resourceNames: ['58ac56fa.applicationsets.argoproj.io'],
    verbs: ['get', 'update', 'create'],
  },
];

/** What Argo CD's cluster install creates for the three controllers run here. */
function argocdRbac(): unknown[] {
  const { applicationController: ctrl, applicationSetController: appset, repoServer } = IDENTITIES;
  return [
    serviceAccount(ctrl),
    role(ctrl.name, ctrl.namespace, APPLICATION_CONTROLLER),
    bind('Role', ctrl.name, ctrl),
    // Cluster install: the application controller manages every kind in the cluster.
    clusterRole(ctrl.name, [
      { apiGroups: all, resources: all, verbs: all },
      { nonResourceURLs: all, verbs: all },
    ]),
    bind('ClusterRole', ctrl.name, ctrl),
    serviceAccount(appset),
    role(appset.name, appset.namespace, APPLICATIONSET_CONTROLLER),
    bind('Role', appset.name, appset),
    clusterRole(appset.name, APPLICATIONSET_CONTROLLER),
    bind('ClusterRole', appset.name, appset),
    serviceAccount(repoServer),
  ];
}

/** Every service account, role and binding of the two installs, to apply once their namespaces exist. */
export function controllerRbac(): unknown[] {
  return [...crossplaneRbac(), ...argocdRbac()];
}
