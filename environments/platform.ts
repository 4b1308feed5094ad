/** Settings that hold for the whole platform, in every environment. Versions are in catalog/versions.ts. */
export const PLATFORM = {
  /** API group of every platform API (XRDs). Change it once here; synth follows. */
  apiGroup: 'platform.drydock.dev',
  /** This repository, as Argo CD on the control cluster reaches it, and the branch it follows. */
  repoURL: 'https://github.com/drydock-dev/platform.git',
  targetRevision: 'main',
  /**
   * The control cluster as AWS knows it. Its account is the one the providers act in without
   * assuming a role (ClusterProviderConfig `default`); there Crossplane gives Argo CD's pods the
   * role `argocdRoleName` by EKS Pod Identity (dist/crossplane/argocd-identity.yaml).
   */
  controlCluster: { name: 'drydock-control', region: 'eu-west-1', accountId: '999988887777', argocdRoleName: 'argocd-control-plane' },
  /** Namespaces where Argo CD and Crossplane run on the control cluster. */
  argocdNamespace: 'argocd',
  crossplaneNamespace: 'crossplane-system',
  /**
   * Who acts for the platform on the control cluster. The group (from the cluster's identity
   * provider) may use every platform API anywhere, the lower-level ones included; admission
   * policies (charts/admission.ts) and RBAC (charts/rbac.ts) name these identities.
   */
  platformGroup: 'platform-engineers',
  serviceAccounts: {
    /**
     * Crossplane core, which creates the child XRs a Cluster composes, in the Cluster's own
     * namespace: the chart's `crossplane` service account in `crossplaneNamespace`
     * (crossplane/crossplane cluster/charts/crossplane/templates/deployment.yaml at the core
     * release of catalog/versions.ts: serviceAccountName defaults to the chart name).
     */
    crossplane: 'crossplane',
    /**
     * Argo CD's application controller, which applies dist/ and so the XRs of claims/
     * (argo-cd manifests/base/application-controller, serviceAccountName).
     */
    argocdApplicationController: 'argocd-application-controller',
  },
  /**
   * Team namespaces on the control cluster, the group (from the cluster's identity provider)
   * that may create Clusters there, and the environments (so the AWS accounts) those Clusters
   * may use. Removing an environment stops new Clusters in it; existing ones keep running.
   * Removing a team leaves its Namespace (and every XR in it) where it is: Argo CD never prunes
   * or deletes a team Namespace; delete it by hand once its Clusters are gone.
   */
  teams: [
    { namespace: 'team-orders', group: 'team-orders', environments: ['dev', 'staging'] },
    { namespace: 'payments', group: 'payments', environments: ['dev', 'staging', 'prod'] },
    { namespace: 'storefront', group: 'storefront', environments: ['dev', 'staging', 'prod'] },
    { namespace: 'platform', group: 'platform-engineers', environments: ['dev', 'staging', 'prod'] },
  ],
} as const;

/** A team as PLATFORM.teams declares it. */
export type Team = (typeof PLATFORM.teams)[number];
