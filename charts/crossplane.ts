import type { Construct } from 'constructs';
import { PROVIDERS } from '../catalog';
import { type FunctionPackage, functionsOf, isManaged } from '../compositions/authoring';
import { CONTROL_CLUSTER_PROVIDER_CONFIG } from '../compositions/cluster/composition';
import { ENVIRONMENT_LABEL } from '../compositions/cluster/environment';
import type { Environment } from '../environments';
import { ManagedResourceActivationPolicy } from '../imports/apiextensions.crossplane.io';
import { ClusterProviderConfig, ClusterProviderConfigSpecCredentialsSource } from '../imports/aws.m.upbound.io';
import {
  KubernetesClusterProviderConfig,
  ClusterProviderConfigSpecCredentialsSource as KubernetesCredentialsSource,
} from '../imports/kubernetes.m.crossplane.io';
import { Function as CrossplaneFunction, DeploymentRuntimeConfig, Provider } from '../imports/pkg.crossplane.io';
import { DistChart, WAVES } from './dist-chart';
import { PROVIDER_KUBERNETES_SA } from './rbac';

/** What a Composition composes: a working-tree PlatformComposition, or a frozen release (charts/releases.ts). */
export interface Composes {
  readonly resources: readonly { readonly base: { readonly apiVersion: string; readonly kind: string } }[];
}

/** The managed kinds the compositions compose, as MRD names (`vpcs.ec2.aws.m.upbound.io`), sorted. */
export function composedKinds(compositions: readonly Composes[], plural: (apiVersion: string, kind: string) => string): string[] {
  const names = new Set<string>();
  for (const c of compositions) {
    for (const r of c.resources)
      if (isManaged(r.base.apiVersion)) names.add(`${plural(r.base.apiVersion, r.base.kind)}.${r.base.apiVersion.split('/')[0]}`);
  }
  return [...names].sort();
}

/** Service account (and DeploymentRuntimeConfig) of every provider-upjet-aws family member. */
export const AWS_PROVIDER_SA = 'provider-aws';

/** provider-kubernetes, for the Objects that write into the control cluster (Argo CD cluster Secrets). */
export const PROVIDER_KUBERNETES = `${PROVIDERS.kubernetes.repository}:${PROVIDERS.kubernetes.version}`;

/**
 * provider-kubernetes' flags. Its default `--poll` is 10 minutes (cmd/provider/main.go at the
 * pinned release), and a Cluster's teardown learns that a part is gone from an Object that only
 * observes it (compositions/cluster/teardown-watch.ts): every step would be noticed up to 10 minutes
 * late, a four-step teardown 40. `--poll` paces only Ready Objects: one not Ready is looked at every
 * 30 s whatever it says (internal/controller/namespaced/object/object.go:163-167), and a watcher is
 * Ready while its part exists. One minute is Crossplane core's own poll of composites
 * (`--poll-interval`); a poll costs one GET (the dry-run apply an Object's desired state needs is
 * cached until its manifest changes, object/syncer.go:90-126), and a Cluster keeps one Object
 * outside its teardown (its registration): about 2 requests a second for 100 Clusters.
 * `--enable-watches` gives the Objects that ask for it (`spec.watch`: the teardown's Jobs in the
 * workload cluster) an informer on their kind, cluster-wide in that cluster (the kubeconfig's
 * identity is its cluster admin, compositions/eks/access.ts). The informer keeps the credentials of
 * the Object's first look (object/informers.go WatchResources, one per ProviderConfig and kind), and
 * the EKS token in the kubeconfig lasts 15 minutes (refreshPeriod plus 5, provider-upjet-aws
 * internal/controller/namespaced/eks/clusterauth/controller.go:138-146): past that its watch fails (logged at debug
 * only) and the Job is noticed by the 30-second poll of an Object not Ready. The control-cluster
 * watchers do not ask, because a watch lists their kind cluster-wide, and provider-kubernetes may
 * read XRs only in team namespaces (charts/rbac.ts).
 */
export const PROVIDER_KUBERNETES_ARGS = ['--poll=1m', '--enable-watches'] as const;

/** provider-upjet-aws family members needed for `kinds`, e.g. `ec2` for `vpcs.ec2.aws.m.upbound.io`. */
export function awsFamilies(kinds: readonly string[]): string[] {
  return [...new Set(kinds.filter((k) => k.endsWith('.aws.m.upbound.io')).map((k) => k.split('.')[1]))].sort();
}

export interface CrossplaneChartsProps {
  /** Every Composition dist/ ships, releases included: their functions are installed. */
  readonly compositions: readonly { functions(): FunctionPackage[] }[];
  /** MRD names of every composed kind. */
  readonly kinds: readonly string[];
  /** Each gets a ClusterProviderConfig for its account. */
  readonly environments: readonly Environment[];
}

/**
 * What Crossplane on the control cluster needs before any platform API works: provider
 * packages (only the families used), the composition functions, the default AWS provider
 * config and an activation policy that turns on only the kinds the compositions use.
 */
export function crossplaneCharts(scope: Construct, props: CrossplaneChartsProps): DistChart[] {
  const providers = new DistChart(scope, 'providers', { file: 'crossplane/providers.yaml', wave: WAVES.packages });
  // Each provider runs as a service account of a known name, so the control cluster's EKS Pod
  // Identity associations (made with the control cluster, outside this repository) can name it.
  const runtime = (name: string, args?: readonly string[]) =>
    new DeploymentRuntimeConfig(providers, `runtime-${name}`, {
      metadata: { name },
      spec: {
        serviceAccountTemplate: { metadata: { name } },
        // Crossplane merges this template into the provider's Deployment; its container is
        // `package-runtime` (crossplane internal/controller/pkg/runtime/runtime.go `ContainerName`), and the
        // schema requires `selector` and `template` once `spec` is given.
        ...(args && {
          deploymentTemplate: { spec: { selector: {}, template: { spec: { containers: [{ name: 'package-runtime', args: [...args] }] } } } },
        }),
      },
    });
  runtime(AWS_PROVIDER_SA);
  for (const family of awsFamilies(props.kinds)) {
    new Provider(providers, `provider-aws-${family}`, {
      metadata: { name: `provider-aws-${family}` },
      spec: { package: `${PROVIDERS.aws.repository}-${family}:${PROVIDERS.aws.version}`, runtimeConfigRef: { name: AWS_PROVIDER_SA } },
    });
  }

  if (props.kinds.some((k) => k.endsWith('.kubernetes.m.crossplane.io'))) {
    runtime(PROVIDER_KUBERNETES_SA, PROVIDER_KUBERNETES_ARGS);
    new Provider(providers, 'provider-kubernetes', {
      metadata: { name: 'provider-kubernetes' },
      spec: { package: PROVIDER_KUBERNETES, runtimeConfigRef: { name: PROVIDER_KUBERNETES_SA } },
    });
  }

  const functions = new DistChart(scope, 'functions', { file: 'crossplane/functions.yaml', wave: WAVES.packages });
  for (const f of functionsOf(props.compositions)) {
    new CrossplaneFunction(functions, f.name, { metadata: { name: f.name }, spec: { package: f.package } });
  }

  const activation = new DistChart(scope, 'activation', { file: 'crossplane/activation-policy.yaml', wave: WAVES.packages });
  new ManagedResourceActivationPolicy(activation, 'platform-kinds', {
    metadata: { name: 'drydock-platform' },
    spec: { activate: [...props.kinds] },
  });

  const providerConfig = new DistChart(scope, 'provider-config', {
    file: 'crossplane/provider-config.yaml',
    wave: WAVES.providerConfigs,
    crdsFromPackages: true,
  });
  // The provider pods get AWS credentials from EKS Pod Identity on the control cluster: no
  // long-lived keys in Secrets. Other accounts get their own ClusterProviderConfig.
  new ClusterProviderConfig(providerConfig, 'default', {
    metadata: { name: 'default' },
    spec: { credentials: { source: ClusterProviderConfigSpecCredentialsSource.POD_IDENTITY } },
  });
  // Each environment's account, reached by assuming its role from the control cluster's identity.
  for (const env of props.environments) {
    if (env.aws.providerConfigName === 'default') continue;
    new ClusterProviderConfig(providerConfig, `aws-${env.name}`, {
      metadata: { name: env.aws.providerConfigName, labels: { [ENVIRONMENT_LABEL]: env.name } },
      spec: {
        credentials: { source: ClusterProviderConfigSpecCredentialsSource.POD_IDENTITY },
        ...(env.aws.assumeRoleArn ? { assumeRoleChain: [{ roleArn: env.aws.assumeRoleArn }] } : {}),
      },
    });
  }
  // provider-kubernetes acts on the control cluster itself, with its own service account.
  if (props.kinds.some((k) => k.endsWith('.kubernetes.m.crossplane.io'))) {
    new KubernetesClusterProviderConfig(providerConfig, 'control-cluster', {
      metadata: { name: CONTROL_CLUSTER_PROVIDER_CONFIG },
      spec: { credentials: { source: KubernetesCredentialsSource.INJECTED_IDENTITY } },
    });
  }
  return [providers, functions, activation, providerConfig];
}
