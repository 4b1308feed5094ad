/** Settings that hold for the whole platform, in every environment. Versions are in catalog/versions.ts. */
export const PLATFORM = {
  /** API group of every platform API (XRDs). Change it once here; synth follows. */
  apiGroup: 'platform.drydock.dev',
  /** This repository, as Argo CD on the control cluster reaches it, and the branch it follows. */
  repoURL: 'https://github.com/drydock-dev/platform.git',
  targetRevision: 'main',
  /** Namespaces where Argo CD and Crossplane run on the control cluster. */
  argocdNamespace: 'argocd',
  crossplaneNamespace: 'crossplane-system',
  /** Team namespaces on the control cluster and the group (from the cluster's identity provider) that may use the platform APIs there. */
  teams: [
    { namespace: 'team-orders', group: 'team-orders' },
    { namespace: 'payments', group: 'payments' },
    { namespace: 'storefront', group: 'storefront' },
    { namespace: 'platform', group: 'platform-engineers' },
  ],
} as const;
