/** Settings that hold for the whole platform, in every environment. */
export const PLATFORM = {
  /** API group of every platform API (XRDs). Change it once here; synth follows. */
  apiGroup: 'platform.drydock.dev',
  /** provider-upjet-aws release whose CRDs imports/ is generated from. */
  awsProviderVersion: 'v2.6.0',
  /** provider-kubernetes release (the Argo CD cluster Secrets). */
  kubernetesProviderVersion: 'v1.2.1',
  /** Composition function releases, by Function name. The render tests run these very versions. */
  functionVersions: {
    'function-environment-configs': 'v0.7.1',
    'function-cidr': 'v0.6.0',
    'function-patch-and-transform': 'v0.10.8',
    'function-cel-filter': 'v0.1.1',
    'function-auto-ready': 'v0.7.0',
  },
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
