// Amazon EKS facts that change with time: Kubernetes versions, their support windows, and the EKS
// managed add-on versions a cluster of each version runs. Read on FACTS_AS_OF; sources per entry.
// Refresh with `aws eks describe-cluster-versions` and
// `aws eks describe-addon-versions --kubernetes-version <v> --addon-name <name>`.
//
// Everything about Kubernetes versions in the platform follows from this file: the EKSCluster and
// Cluster enums and CEL messages, the add-on versions the EKS composition sets, which versions need
// EXTENDED support, and `npm run versions`.

/** The day these facts were read. "Offered" is judged on this day, so synth output does not drift with the clock. */
export const FACTS_AS_OF = '2026-11-30';

/** Versions of the EKS managed add-ons the EKS composition installs, for one Kubernetes version. */
export interface EksManagedAddonVersions {
  readonly vpcCni: string;
  readonly coredns: string;
  readonly kubeProxy: string;
  readonly podIdentityAgent: string;
  readonly ebsCsiDriver: string;
}

export interface KubernetesRelease {
  readonly version: string;
  /** Release on EKS, and the ends of its standard (14 months) and extended (12 more) support, UTC dates. */
  readonly eksRelease: string;
  readonly endOfStandardSupport: string;
  readonly endOfExtendedSupport: string;
  /** Where the dates were read. */
  readonly datesSource: string;
  /** The managed add-ons for clusters at this version; absent for versions no cluster may be at. */
  readonly addons?: EksManagedAddonVersions & { readonly source: string };
}

const CALENDAR = 'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar';
/** AWS Labs' EKS blueprints pin the default add-on versions per Kubernetes version (tested in their e2e). */
const BLUEPRINTS = 'github.com/awslabs/cdk-eks-blueprints@05d3dbd (2026-07-01) lib/addons/<addon>/index.ts versionMap';

/** Newest first; every version a cluster may be at, or was at, with its support window. */
export const KUBERNETES_RELEASES = [
  {
    version: '1.36',
    eksRelease: '2026-06-02',
    endOfStandardSupport: '2027-08-02',
    endOfExtendedSupport: '2028-08-02',
    datesSource: CALENDAR,
    addons: {
      vpcCni: 'v1.22.4-eksbuild.3',
      coredns: 'v1.14.3-eksbuild.16',
      kubeProxy: 'v1.36.0-eksbuild.21',
      podIdentityAgent: 'v1.3.10-eksbuild.3',
      ebsCsiDriver: 'v1.63.1-eksbuild.1',
      // No AWS table for 1.36 was readable: the versions EKS picked by default for a 1.36 cluster on
      // 2026-09-16 (a published deploy record); EBS CSI as pinned for 1.36 by a public module.
      source: 'EKS defaults for a 1.36 cluster, 2026-09-16 (verify with describe-addon-versions)',
    },
  },
  {
    version: '1.35',
    eksRelease: '2026-01-27',
    endOfStandardSupport: '2027-03-27',
    endOfExtendedSupport: '2028-03-27',
    datesSource: CALENDAR,
    addons: {
      vpcCni: 'v1.21.1-eksbuild.1',
      coredns: 'v1.13.2-eksbuild.3',
      kubeProxy: 'v1.35.0-eksbuild.2',
      podIdentityAgent: 'v1.3.10-eksbuild.2',
      ebsCsiDriver: 'v1.57.1-eksbuild.1',
      source: BLUEPRINTS,
    },
  },
  {
    version: '1.34',
    eksRelease: '2025-10-02',
    endOfStandardSupport: '2026-12-02',
    endOfExtendedSupport: '2027-12-02',
    datesSource: CALENDAR,
    addons: {
      vpcCni: 'v1.20.4-eksbuild.2',
      coredns: 'v1.12.3-eksbuild.1',
      kubeProxy: 'v1.34.0-eksbuild.2',
      podIdentityAgent: 'v1.3.10-eksbuild.2',
      ebsCsiDriver: 'v1.56.0-eksbuild.1',
      source: BLUEPRINTS,
    },
  },
  {
    version: '1.33',
    eksRelease: '2025-05-29',
    endOfStandardSupport: '2026-07-29',
    endOfExtendedSupport: '2027-07-29',
    datesSource: CALENDAR,
    addons: {
      vpcCni: 'v1.20.4-eksbuild.2',
      coredns: 'v1.12.1-eksbuild.2',
      kubeProxy: 'v1.33.3-eksbuild.4',
      podIdentityAgent: 'v1.3.10-eksbuild.2',
      ebsCsiDriver: 'v1.56.0-eksbuild.1',
      source: BLUEPRINTS,
    },
  },
  {
    version: '1.32',
    eksRelease: '2025-01-23',
    endOfStandardSupport: '2026-03-23',
    endOfExtendedSupport: '2027-03-23',
    datesSource: CALENDAR,
    addons: {
      vpcCni: 'v1.20.4-eksbuild.2',
      coredns: 'v1.11.4-eksbuild.2',
      kubeProxy: 'v1.32.6-eksbuild.12',
      podIdentityAgent: 'v1.3.10-eksbuild.2',
      ebsCsiDriver: 'v1.56.0-eksbuild.1',
      source: BLUEPRINTS,
    },
  },
  // Past extended support: kept so the APIs can say when they left and what to use instead.
  { version: '1.31', eksRelease: '2024-09-26', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26', datesSource: CALENDAR },
  { version: '1.30', eksRelease: '2024-05-23', endOfStandardSupport: '2025-07-23', endOfExtendedSupport: '2026-07-23', datesSource: CALENDAR },
] as const satisfies readonly KubernetesRelease[];

/** A Kubernetes version the catalog knows (offered or retired). */
export type KubernetesVersion = (typeof KUBERNETES_RELEASES)[number]['version'];

/**
 * What EKS does at the end of standard support (view-upgrade-policy): STANDARD upgrades the control
 * plane itself; EXTENDED keeps the version (at extra cost) until the end of extended support. A
 * cluster already in extended support cannot be switched to STANDARD (disable-extended-support).
 */
export type SupportType = 'STANDARD' | 'EXTENDED';
