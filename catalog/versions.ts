// Every version the platform pins, in one place: what runs on the control cluster (providers and
// functions), what Argo CD installs on workload clusters (charts), what builds and checks the
// repository (tools and Go libraries), and the upstream documents our IAM policies were reviewed
// against. Each entry names where the release is published.
//
// The code reads these. tools/*/go.mod and the README's "Pinned versions" table are tested
// against them, and a test fails when one of these version strings is written by hand anywhere
// else (test/catalog.test.ts). To upgrade one: change it here, run `npm run synth` and `npm test`;
// the tests say what must follow (a go.mod require, an IAM policy to review again).
// (Over 300 lines on purpose: it is data, the one manifest of pins with the source of each, which
// an upgrade reads and edits in one place.)
import { KUBERNETES_RELEASES } from './eks';

/** A release on GitHub: the repository (`owner/name`) and its tag. */
export interface GitHubRelease {
  readonly github: string;
  readonly version: string;
}

/** The page of a release. */
export const releaseUrl = (r: GitHubRelease): string => `https://github.com/${r.github}/releases/tag/${r.version}`;

/** A Crossplane package (provider or function): its OCI repository without the tag. */
export interface CrossplanePackage extends GitHubRelease {
  readonly repository: string;
}

/** Providers the control cluster installs. */
export const PROVIDERS = {
  /**
   * provider-upjet-aws: each family member is `<repository>-<family>` (provider-aws-ec2...). imports/
   * is generated from this release's CRDs (../shared/crds/provider-upjet-aws/SOURCE.md).
   */
  aws: { repository: 'xpkg.upbound.io/upbound/provider-aws', github: 'crossplane-contrib/provider-upjet-aws', version: 'v2.6.0' },
  /** provider-kubernetes: writes the Argo CD cluster Secrets into the control cluster (../shared/crds/provider-kubernetes/SOURCE.md). */
  kubernetes: {
    repository: 'xpkg.crossplane.io/crossplane-contrib/provider-kubernetes',
    github: 'crossplane-contrib/provider-kubernetes',
    version: 'v1.2.1',
  },
} as const satisfies Record<string, CrossplanePackage>;

/** A composition function: the Function object is named by its key. */
export interface FunctionRelease extends CrossplanePackage {
  /** The Go module a local build of it would use. */
  readonly module: string;
}

/**
 * Composition functions, by Function name. The render tests run these very versions from the tool
 * cache (lib/tools.ts); the input CRDs in ../shared/crds/functions/SOURCE.md are of the same tags.
 */
export const FUNCTIONS = {
  'function-environment-configs': {
    repository: 'xpkg.crossplane.io/crossplane-contrib/function-environment-configs',
    github: 'crossplane-contrib/function-environment-configs',
    module: 'github.com/crossplane-contrib/function-environment-configs',
    version: 'v0.7.1',
  },
  'function-cidr': {
    repository: 'xpkg.upbound.io/upbound/function-cidr',
    github: 'upbound/function-cidr',
    module: 'github.com/upbound/function-cidr',
    version: 'v0.6.0',
  },
  'function-patch-and-transform': {
    repository: 'xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform',
    github: 'crossplane-contrib/function-patch-and-transform',
    module: 'github.com/crossplane-contrib/function-patch-and-transform',
    version: 'v0.10.8',
  },
  'function-cel-filter': {
    repository: 'xpkg.crossplane.io/crossplane-contrib/function-cel-filter',
    github: 'crossplane-contrib/function-cel-filter',
    module: 'github.com/crossplane-contrib/function-cel-filter',
    version: 'v0.1.1',
  },
  'function-auto-ready': {
    repository: 'xpkg.crossplane.io/crossplane-contrib/function-auto-ready',
    github: 'crossplane-contrib/function-auto-ready',
    module: 'github.com/crossplane/function-auto-ready',
    version: 'v0.7.0',
  },
} as const satisfies Record<string, FunctionRelease>;
export type FunctionName = keyof typeof FUNCTIONS;

/** A Helm chart Argo CD installs on workload clusters. */
export interface ChartRelease {
  /** The Helm repository (or OCI registry path) Argo CD pulls from; the add-on projects allow exactly these. */
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
  /** The folder of ../shared/reference/charts/ holding this version's values.yaml (and its SOURCE.md). */
  readonly reference: string;
  /**
   * The Kubernetes minors this release supports, as its project states them (`max` absent: no upper
   * bound stated; `tested`: the only ones the project tests, where that is narrower), and where.
   */
  readonly kubernetes: { readonly min: string; readonly max?: string; readonly tested?: readonly string[]; readonly source: string };
  /**
   * How far one change of the pin may move it, where the project states a limit: `minor`, one
   * minor at a time (synth compares the pin with the version dist/ ships), and where it says so.
   * @default - no stated limit
   */
  readonly upgrades?: { readonly step: 'minor'; readonly source: string };
  /**
   * Where the Go module proxy serves this chart's source, so tests render what the add-on
   * Application delivers (lib/charts.ts).
   * @default - not served: the chart is not rendered here
   */
  readonly source?: ChartSource;
}

/** A chart's source in a Go module's tree, at the release tag of the chart's app. */
export interface ChartSource {
  /** Go module path, e.g. `github.com/cert-manager/cert-manager`. */
  readonly module: string;
  readonly version: string;
  /** The chart's folder in the module. */
  readonly path: string;
  /** How the chart in git differs from the published one, if it does. */
  readonly note?: string;
  /**
   * The module folder the published chart's crds/ holds, where git has crds/ as a symlink
   * (module zips leave symlinks out).
   */
  readonly crds?: string;
}

/**
 * Upstream charts of the add-ons (charts/addons.ts), each used by exactly one add-on. Versions as
 * published (cert-manager's carries a leading "v"); sources in ../shared/reference/charts/<reference>/SOURCE.md.
 */
export const CHARTS = {
  karpenter: {
    repoURL: 'public.ecr.aws/karpenter',
    chart: 'karpenter',
    version: '1.14.1',
    reference: 'karpenter',
    // The compatibility matrix of the release's docs (website/content/en/v1.14/upgrading/compatibility.md).
    kubernetes: { min: '1.30', max: '1.36', source: 'https://karpenter.sh/v1.14/upgrading/compatibility/' },
    source: {
      module: 'github.com/aws/karpenter-provider-aws',
      version: 'v1.14.1',
      path: 'charts/karpenter',
      note: "the release build rewrites only Chart.yaml's version and the image tags",
      crds: 'pkg/apis/crds',
    },
  },
  'external-dns': {
    repoURL: 'https://kubernetes-sigs.github.io/external-dns',
    chart: 'external-dns',
    version: '1.21.1',
    reference: 'external-dns',
    // README "Kubernetes version compatibility": every release from 0.18 runs on 1.21 and later.
    kubernetes: { min: '1.21', source: 'https://github.com/kubernetes-sigs/external-dns#kubernetes-version-compatibility' },
    source: {
      module: 'sigs.k8s.io/external-dns',
      version: 'v0.22.0',
      path: 'charts/external-dns',
      note: 'chart 1.21.1 as on the v0.22.0 tag: two values (service.enabled, replicaCount) were added after the chart release',
    },
  },
  'cert-manager': {
    repoURL: 'https://charts.jetstack.io',
    chart: 'cert-manager',
    version: 'v1.21.1',
    reference: 'cert-manager',
    // "Supported Releases": 1.21 supports and tests 1.33 to 1.36 (1.20 was the last for 1.32).
    kubernetes: { min: '1.33', max: '1.36', source: 'https://cert-manager.io/docs/releases/' },
    // "We recommend that you upgrade cert-manager one minor version at a time, always choosing the
    // latest patch version for the minor version."
    upgrades: { step: 'minor', source: 'https://cert-manager.io/docs/installation/upgrade/' },
    source: {
      module: 'github.com/cert-manager/cert-manager',
      version: 'v1.21.1',
      path: 'deploy/charts/cert-manager',
      note: 'Chart.yaml carries the v0.0.0 placeholder the release build replaces',
    },
  },
  'aws-load-balancer-controller': {
    repoURL: 'https://aws.github.io/eks-charts',
    chart: 'aws-load-balancer-controller',
    version: '3.5.0',
    reference: 'aws-load-balancer-controller',
    // Installation guide, "Supported Kubernetes versions": v2.5.0 and later need 1.22 or later.
    kubernetes: { min: '1.22', source: 'https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/' },
  },
  // Retired upstream in March 2026: 4.15.1 is the last chart.
  'ingress-nginx': {
    repoURL: 'https://kubernetes.github.io/ingress-nginx',
    chart: 'ingress-nginx',
    version: '4.15.1',
    reference: 'ingress-nginx',
    kubernetes: { min: '1.21', source: "the chart's Chart.yaml kubeVersion (../shared/reference/charts/ingress-nginx)" },
  },
  'external-secrets': {
    repoURL: 'https://charts.external-secrets.io',
    chart: 'external-secrets',
    version: '2.9.0',
    reference: 'external-secrets',
    // "Stability and support": each release is tested on one Kubernetes version; the chart asks for 1.19+.
    kubernetes: { min: '1.19', tested: ['1.36'], source: 'https://external-secrets.io/latest/introduction/stability-support/' },
  },
  'kube-prometheus-stack': {
    repoURL: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    version: '88.5.3',
    reference: 'kube-prometheus-stack',
    // The chart's Chart.yaml kubeVersion (kube-prometheus release-0.18, the same operator line, tests 1.33 to 1.36).
    kubernetes: { min: '1.25', source: "the chart's Chart.yaml kubeVersion (../shared/reference/charts/kube-prometheus-stack)" },
  },
} as const satisfies Record<string, ChartRelease>;
export type ChartName = keyof typeof CHARTS;

/** The chart repositories the add-on projects may install from, in catalog order, each once. */
export const CHART_REPOSITORIES: readonly string[] = [...new Set(Object.values(CHARTS).map((c) => c.repoURL))];

/** A container image the platform runs itself, outside any chart: its repository without the tag. */
export interface ImageRelease extends GitHubRelease {
  readonly repository: string;
}

/** Images of the Jobs the Cluster API runs in a workload cluster before deleting it (compositions/cluster/drain.ts). */
export const IMAGES = {
  /** Kubernetes' own kubectl image (distroless; its entrypoint is kubectl): the drain Job's commands. */
  kubectl: { repository: 'registry.k8s.io/kubectl', github: 'kubernetes/kubernetes', version: 'v1.35.4' },
  /**
   * ExternalDNS as the pinned chart runs it (CHARTS['external-dns'] defaults its image tag to its
   * appVersion, 0.21.0): a one-shot sync with the add-on's own identity removes the cluster's records.
   */
  externalDns: { repository: 'registry.k8s.io/external-dns/external-dns', github: 'kubernetes-sigs/external-dns', version: 'v0.21.0' },
} as const satisfies Record<string, ImageRelease>;

/** The image reference `repository:version`. */
export const imageRef = (i: ImageRelease): string => `${i.repository}:${i.version}`;

/** A tool the checks run, installed with `go install <module>@<version>`; where the Go module proxy refuses it, put into the tool cache by hand. */
export interface ToolRelease extends GitHubRelease {
  /** The `go install` path. */
  readonly module?: string;
  /** A Go variable `go install` sets to the version (`-ldflags -X=<versionFlag>=<version>`), for tools that report it. */
  readonly versionFlag?: string;
}

export const TOOLS = {
  /**
   * Crossplane's last CLI that renders in process (`crank render`, `crank beta validate`). Its
   * version is stamped at build (`versionFlag`): validate seeds its cache from the Crossplane image
   * of that version.
   */
  crank: {
    github: 'crossplane/crossplane',
    module: 'github.com/crossplane/crossplane/v2/cmd/crank',
    versionFlag: 'github.com/crossplane/crossplane/v2/internal/version.version',
    version: 'v2.2.4',
  },
  /** Renders our own add-on chart as Argo CD would. */
  helm: { github: 'helm/helm', module: 'helm.sh/helm/v3/cmd/helm', version: 'v3.22.0' },
  /** Runs the policy gate in policies/. */
  conftest: { github: 'open-policy-agent/conftest', module: 'github.com/open-policy-agent/conftest', version: 'v0.71.1' },
} as const satisfies Record<string, ToolRelease>;

/**
 * What the control cluster runs besides what Argo CD syncs: installed by an operator before the
 * one `kubectl apply` (README, Bootstrapping). Crossplane core is the release the render tests'
 * crank is; Argo CD is newer than the library tools/argocd is built on (GO_LIBRARIES). Alike in
 * both: how a health script is looked up and run (util/lua), argocd-cm's split keys
 * (util/settings), project checks and RollingSync's step gating. Different in v3.5, for states
 * the tests do not reach: the built-in `_.crossplane.io` and `_.upbound.io` scripts no longer stop
 * at the first True Ready condition (a later Synced=False is Degraded), and RollingSync also stages
 * a template change that leaves the revisions alone (applicationset/progressivesync, "spec differs").
 */
export const CONTROL_CLUSTER = {
  /** Its Helm chart (crossplane-stable/crossplane) is versioned without the "v". */
  crossplane: { github: 'crossplane/crossplane', version: TOOLS.crank.version },
  /** manifests/install.yaml of this tag, applied server-side. */
  argocd: { github: 'argoproj/argo-cd', version: 'v3.5.1' },
} as const satisfies Record<string, GitHubRelease>;

/**
 * Go libraries the test engines in tools/ are built on, by folder: each module's required version
 * (or its `replace` target) in that folder's go.mod must be this one. go.mod stays hand-edited (Go
 * resolves the rest of the graph); a test holds it to these.
 */
export const GO_LIBRARIES = {
  /** Argo CD's own code as a library: its health Lua runner and ApplicationSet controller. */
  'tools/argocd': {
    'github.com/argoproj/argo-cd/v3': 'v3.2.12',
    // Argo CD pins every k8s.io module to one release with its replace block; ours copies it.
    'k8s.io/api': 'v0.34.0',
    'k8s.io/apimachinery': 'v0.34.0',
    'k8s.io/client-go': 'v0.34.0',
  },
  /** The local control cluster's etcd, kube-apiserver and kube-controller-manager (lib/controlplane/). */
  'tools/kube': {
    'k8s.io/kubernetes': 'v1.35.4',
    // The etcd release k8s.io/kubernetes itself requires at that version.
    'go.etcd.io/etcd/server/v3': 'v3.6.5',
  },
  /** Our package runtime and simulated AWS for the local control cluster. */
  'tools/controlplane': {
    'k8s.io/client-go': 'v0.35.4',
  },
  /**
   * The API server's validation code (CRD admission, defaulting, OpenAPI and CEL) and its
   * ValidatingAdmissionPolicy plugin, fed by client-go informers over a fake clientset.
   */
  'tools/kubevalidate': {
    'k8s.io/api': 'v0.35.10',
    'k8s.io/apiextensions-apiserver': 'v0.35.10',
    'k8s.io/apimachinery': 'v0.35.10',
    'k8s.io/apiserver': 'v0.35.10',
    'k8s.io/client-go': 'v0.35.10',
    'k8s.io/component-base': 'v0.35.10',
  },
} as const satisfies Record<string, Record<string, string>>;

/** An upstream document an IAM policy of ours was written from. */
export interface PolicySource extends GitHubRelease {
  /** The file in that repository at that tag (or commit). */
  readonly path: string;
  /**
   * The chart whose release the policy was reviewed for. When the chart moves, a test fails until
   * the policy is compared with the new release's document and this is updated.
   * @default - the document is not tied to a chart release
   */
  readonly reviewedFor?: { readonly chart: ChartName; readonly version: string };
}

/** Where the IAM documents of compositions/eks/policies/ come from. */
export const POLICY_SOURCES = {
  /** Karpenter's CloudFormation template: the controller policies, the node role, the interruption queue and rules. */
  karpenter: {
    github: 'aws/karpenter-provider-aws',
    version: 'v1.14.1',
    path: 'website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml',
    reviewedFor: { chart: 'karpenter', version: '1.14.1' },
  },
  awsLoadBalancerController: {
    github: 'kubernetes-sigs/aws-load-balancer-controller',
    version: 'v3.5.0',
    path: 'docs/install/iam_policy.json',
    reviewedFor: { chart: 'aws-load-balancer-controller', version: '3.5.0' },
  },
  /** The "IAM Policy" section of ExternalDNS's AWS tutorial. */
  externalDns: { github: 'kubernetes-sigs/external-dns', version: 'v0.22.0', path: 'docs/tutorials/aws.md' },
  /** The "Set up an IAM Policy" section of cert-manager's Route53 DNS-01 page (a commit of the website, which has no tags). */
  certManager: { github: 'cert-manager/website', version: '776e5dba', path: 'content/docs/configuration/acme/dns01/route53.md' },
} as const satisfies Record<string, PolicySource>;

/**
 * Every version string pinned here, with where it is pinned: none may be written by hand anywhere
 * else (test/catalog.test.ts). Add new pins to this list. (Kubernetes and Aurora versions are choices
 * environments and examples make: their own test keeps them out of the code. The EKS add-on builds
 * of eks.ts are pins.)
 */
export function pinnedVersions(): { where: string; version: string }[] {
  return [
    ...Object.entries(PROVIDERS).map(([k, p]) => ({ where: `PROVIDERS.${k}`, version: p.version })),
    ...Object.entries(FUNCTIONS).map(([k, f]) => ({ where: `FUNCTIONS['${k}']`, version: f.version })),
    ...Object.entries(CHARTS).map(([k, c]) => ({ where: `CHARTS['${k}']`, version: c.version })),
    ...Object.entries(CHARTS).flatMap(([k, c]) =>
      'source' in c ? [{ where: `CHARTS['${k}'].source`, version: (c.source as ChartSource).version }] : [],
    ),
    ...Object.entries(TOOLS).map(([k, t]) => ({ where: `TOOLS.${k}`, version: t.version })),
    ...Object.entries(CONTROL_CLUSTER).map(([k, t]) => ({ where: `CONTROL_CLUSTER.${k}`, version: t.version })),
    ...Object.entries(IMAGES).map(([k, i]) => ({ where: `IMAGES.${k}`, version: i.version })),
    ...Object.entries(GO_LIBRARIES).flatMap(([folder, m]) =>
      Object.entries(m).map(([module, version]) => ({ where: `GO_LIBRARIES['${folder}']['${module}']`, version })),
    ),
    ...Object.entries(POLICY_SOURCES).map(([k, s]) => ({ where: `POLICY_SOURCES.${k}`, version: s.version })),
    ...KUBERNETES_RELEASES.flatMap((r) =>
      'addons' in r
        ? Object.entries(r.addons).flatMap(([k, v]) =>
            k === 'source' ? [] : [{ where: `KUBERNETES_RELEASES['${r.version}'].addons.${k}`, version: v }],
          )
        : [],
    ),
  ];
}
