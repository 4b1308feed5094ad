// Amazon EKS facts that change with time. Source: the EKS user guide, "Understand the Kubernetes
// version lifecycle on EKS" (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html),
// as of late 2026.

/**
 * Kubernetes versions EKS offers for new clusters (standard or extended support), newest first; the
 * first is the default of the EKSCluster API. Add a version when EKS releases one, and drop one
 * when EKS stops creating clusters of it.
 */
export const EKS_VERSIONS = ['1.35', '1.34', '1.33', '1.32'] as const;
export type EksVersion = (typeof EKS_VERSIONS)[number];
