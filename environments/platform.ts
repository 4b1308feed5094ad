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
   *
   * `hostedZoneIds` are the Route53 hosted zones the team's Clusters may hand to ExternalDNS and
   * cert-manager (dns.hostedZoneIds): those add-ons may change every record of a zone they are
   * given, so a zone listed for two teams lets each rewrite the other's names and obtain
   * certificates for them. List a zone under one team (delegate a subdomain zone per team).
   */
  teams: [
    { namespace: 'team-orders', group: 'team-orders', environments: ['dev', 'staging'], hostedZoneIds: [] },
    { namespace: 'payments', group: 'payments', environments: ['dev', 'staging', 'prod'], hostedZoneIds: ['Z0123456789ABCDEFGHIJ'] },
    {
      namespace: 'storefront',
      group: 'storefront',
      environments: ['dev', 'staging', 'prod'],
      hostedZoneIds: ['Z9876543210ZYXWVUTSRQ', 'Z8876543210ZYXWVUTSRQ'],
    },
    {
      namespace: 'platform',
      group: 'platform-engineers',
      environments: ['dev', 'staging', 'prod'],
      hostedZoneIds: ['Z0323456789ABCDEFGHIJ', 'Z1123456789ABCDEFGHIJ'],
    },
  ],
} as const;

/** A team as PLATFORM.teams declares it (its namespace, group, environments and hosted zones). */
export interface Team {
  readonly namespace: string;
  readonly group: string;
  readonly environments: readonly string[];
  readonly hostedZoneIds: readonly string[];
}
