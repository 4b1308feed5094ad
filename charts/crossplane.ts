import type { Construct } from 'constructs';
import type { PlatformComposition } from '../compositions/authoring';
import { PLATFORM } from '../environments/platform';
import { ManagedResourceActivationPolicy } from '../imports/apiextensions.crossplane.io';
import { ClusterProviderConfig, ClusterProviderConfigSpecCredentialsSource } from '../imports/aws.m.upbound.io';
import { Function as CrossplaneFunction, Provider } from '../imports/pkg.crossplane.io';
import { DistChart, WAVES } from './dist-chart';

/** The kinds the compositions compose, as MRD names (`vpcs.ec2.aws.m.upbound.io`), sorted. */
export function composedKinds(compositions: readonly PlatformComposition[], plural: (apiVersion: string, kind: string) => string): string[] {
  const names = new Set<string>();
  for (const c of compositions)
    for (const r of c.resources) names.add(`${plural(r.base.apiVersion, r.base.kind)}.${r.base.apiVersion.split('/')[0]}`);
  return [...names].sort();
}

/** provider-upjet-aws family members needed for `kinds`, e.g. `ec2` for `vpcs.ec2.aws.m.upbound.io`. */
export function awsFamilies(kinds: readonly string[]): string[] {
  return [...new Set(kinds.filter((k) => k.endsWith('.aws.m.upbound.io')).map((k) => k.split('.')[1]))].sort();
}

export interface CrossplaneChartsProps {
  readonly compositions: readonly PlatformComposition[];
  /** MRD names of every composed kind. */
  readonly kinds: readonly string[];
}

/**
 * What Crossplane on the control cluster needs before any platform API works: provider
 * packages (only the families used), the composition functions, the default AWS provider
 * config and an activation policy that turns on only the kinds the compositions use.
 */
export function crossplaneCharts(scope: Construct, props: CrossplaneChartsProps): DistChart[] {
  const providers = new DistChart(scope, 'providers', { file: 'crossplane/providers.yaml', wave: WAVES.packages });
  for (const family of awsFamilies(props.kinds)) {
    new Provider(providers, `provider-aws-${family}`, {
      metadata: { name: `provider-aws-${family}` },
      spec: { package: `xpkg.upbound.io/upbound/provider-aws-${family}:${PLATFORM.awsProviderVersion}` },
    });
  }

  const functions = new DistChart(scope, 'functions', { file: 'crossplane/functions.yaml', wave: WAVES.packages });
  const used = new Map(props.compositions.flatMap((c) => c.functions()).map((f) => [f.name, f]));
  for (const f of [...used.values()].sort((a, b) => a.name.localeCompare(b.name))) {
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
  return [providers, functions, activation, providerConfig];
}
