// What the Cluster composition reads from an environment: the data of its EnvironmentConfig,
// selected by the label below from the Cluster's spec.environment.
import type { Environment } from '../../environments';
import { PLATFORM } from '../../environments/platform';

/** The label an environment's objects carry (its EnvironmentConfig, its account's ClusterProviderConfig). */
export const ENVIRONMENT_LABEL = `${PLATFORM.apiGroup}/environment`;
export const environmentConfigName = (env: string) => `drydock-${env}`;

/** The EnvironmentConfig data of `env`. Fields the composition never reads stay out. */
export function environmentData(env: Environment) {
  const k = env.kubernetes;
  return {
    name: env.name,
    aws: { accountId: env.aws.accountId, providerConfigName: env.aws.providerConfigName },
    network: { nat: env.network.nat },
    kubernetes: {
      version: k.version,
      supportType: k.supportType,
      publicEndpoint: k.publicAccessCidrs.length > 0,
      // An empty list would be refused (a public endpoint needs CIDRs); absent means private only.
      ...(k.publicAccessCidrs.length ? { publicAccessCidrs: [...k.publicAccessCidrs] } : {}),
      adminRoleArns: [...k.adminRoleArns],
      argoCdRoleArn: k.argoCdRoleArn,
      // The role the providers act as in the account: the kubeconfig Secret's token is minted by
      // it, so the cluster gives it an access entry. Absent for the control cluster's own account.
      ...(env.aws.assumeRoleArn ? { providerRoleArn: env.aws.assumeRoleArn } : {}),
      systemNodes: { ...k.systemNodes, instanceTypes: [...k.systemNodes.instanceTypes] },
    },
    database: { ...env.database },
    externalSecrets: { prefixes: [...env.externalSecrets.prefixes] },
    // The Composition each child XR runs: release ids here, names once charts/apis.ts resolves them.
    compositions: {
      network: env.compositions?.network ?? 'edge',
      eks: env.compositions?.eks ?? 'edge',
      database: env.compositions?.database ?? 'edge',
    },
    // What the add-ons read from the cluster's Argo CD Secret, as annotation-ready strings.
    addons: {
      karpenterInstanceFamilies: env.karpenter.instanceFamilies.join(','),
      karpenterCapacityTypes: env.karpenter.capacityTypes.join(','),
      karpenterCpuLimit: String(env.karpenter.cpuLimit),
      karpenterMemoryLimitGi: String(env.karpenter.memoryLimitGi),
      karpenterReplicas: String(env.karpenter.replicas),
      externalDnsPolicy: env.externalDns.policy,
      certManagerEmail: env.certManager.email,
      externalSecretsPrefixes: env.externalSecrets.prefixes.join(','),
    },
  };
}
