import type { Environment } from '../../environments';
import { PLATFORM } from '../../environments/platform';
import { KubernetesObject } from '../../imports/kubernetes.m.crossplane.io';
import { Usage } from '../../imports/protection.crossplane.io';
import {
  allOf,
  type ComposedResource,
  type Condition,
  combineFromXr,
  convert,
  FUNCTIONS,
  fieldIn,
  firstPresent,
  format,
  fromEnv,
  fromXr,
  not,
  type Patch,
  type PlatformApi,
  PlatformComposition,
  present,
  Required,
  toXr,
} from '../authoring';
import { ADDONS } from './definition';
import { ENVIRONMENT_LABEL, environmentData } from './environment';

/** The ClusterProviderConfig of provider-kubernetes that writes into the control cluster itself. */
export const CONTROL_CLUSTER_PROVIDER_CONFIG = 'control-cluster';

const CLUSTER_NAME = ['spec.clusterName', 'metadata.name'];
const DATABASE = fieldIn('spec.database.enabled', [true]);

/**
 * The database is composed once the subnets it lives in are all known: the data tier, or the
 * private one when an explicit layout has no data tier. A CEL filter rather than a Required patch:
 * it holds the database back without marking the Cluster unready for good.
 */
const subnetsKnown = (field: string): string => {
  const list = `observed.composite.resource.status.wiring.${field}`;
  return `(${present(`status.wiring.${field}`).expression} && size(${list}) == size(observed.composite.resource.spec.network.availabilityZones) && ${list}.all(id, id != null))`;
};
const NO_DATA_TIER = allOf(present('spec.network.subnets'), not(present('spec.network.subnets.data')));
const DATABASE_SUBNETS_KNOWN: Condition = {
  expression: `(${DATABASE.expression}) && ((${NO_DATA_TIER.expression}) ? ${subnetsKnown('privateSubnetIds')} : ${subnetsKnown('dataSubnetIds')})`,
  reads: [
    ...DATABASE.reads,
    ...NO_DATA_TIER.reads,
    'status.wiring.privateSubnetIds',
    'status.wiring.dataSubnetIds',
    'spec.network.availabilityZones',
  ],
};

/** An environment default, then the XR's own value when it gives one (the later patch wins). */
const envThenXr = (env: string, xr: string, to: string): Patch[] => [fromEnv(env, to), fromXr(xr, to)];
/** Wait for a value another part reports. */
const waitFor = (from: string, to: string): Patch => fromXr(from, to, { required: true });

/** A combine patch that waits for all its sources (the registration appears only when all are known). */
const combineRequired = (from: string[], fmt: string, to: string): Patch => ({
  ...combineFromXr(from, fmt, to),
  policy: { fromFieldPath: Required },
});

/** A list of up to three XR values as one comma-separated string: the longest list present wins. */
const joined = (list: string, to: string): Patch[] =>
  [1, 2, 3].map((n) =>
    combineFromXr(
      Array.from({ length: n }, (_, i) => `${list}[${i}]`),
      Array(n).fill('%s').join(','),
      to,
    ),
  );

/** Deletion order: `of` cannot be deleted while `by` exists. Both are this XR's composed resources. */
function usage(
  name: string,
  of: PlatformApi | { apiVersion: string; kind: string },
  by: { apiVersion: string; kind: string },
  includeWhen?: ReturnType<typeof fieldIn>,
): ComposedResource {
  const ref = (r: { apiVersion: string; kind: string }) => ({
    apiVersion: r.apiVersion,
    kind: r.kind,
    resourceSelector: { matchControllerRef: true },
  });
  return {
    name: `usage-${name}`,
    base: Usage.manifest({ spec: { of: ref(of), by: ref(by), replayDeletion: true } }),
    includeWhen,
  };
}

/** The Argo CD cluster Secret, gitops-bridge style: labels select add-ons, annotations carry values. */
function registration(): ComposedResource {
  const annotation = (key: string) => `spec.forProvider.manifest.metadata.annotations[${key}]`;
  const label = (key: string) => `spec.forProvider.manifest.metadata.labels[${key}]`;
  return {
    name: 'registration',
    base: KubernetesObject.manifest({
      spec: {
        providerConfigRef: { kind: 'ClusterProviderConfig', name: CONTROL_CLUSTER_PROVIDER_CONFIG },
        forProvider: {
          manifest: {
            apiVersion: 'v1',
            kind: 'Secret',
            type: 'Opaque',
            metadata: { namespace: PLATFORM.argocdNamespace, labels: { 'argocd.argoproj.io/secret-type': 'cluster' } },
          },
        },
      },
    }),
    patches: [
      waitFor('status.clusterName', 'spec.forProvider.manifest.metadata.name'),
      waitFor('status.clusterName', 'spec.forProvider.manifest.stringData.name'),
      waitFor('status.endpoint', 'spec.forProvider.manifest.stringData.server'),
      combineRequired(
        ['status.clusterName', 'status.wiring.argoCdRoleArn', 'status.wiring.caData'],
        '{"awsAuthConfig":{"clusterName":"%s","roleARN":"%s"},"tlsClientConfig":{"insecure":false,"caData":"%s"}}',
        'spec.forProvider.manifest.stringData.config',
      ),
      fromXr('spec.environment', label('environment')),
      // Project-scoped cluster: only the environment's add-on project may deploy to it.
      fromXr('spec.environment', 'spec.forProvider.manifest.stringData.project', { transforms: [format('addons-%s')] }),
      ...Object.entries(ADDONS).map(([key, a]) => fromXr(`spec.addons.${key}`, label(a.label), { transforms: [convert('string')] })),
      fromXr('status.clusterName', annotation('aws_cluster_name')),
      fromXr('spec.region', annotation('aws_region')),
      fromXr('status.wiring.accountId', annotation('aws_account_id')),
      fromXr('status.wiring.vpcId', annotation('aws_vpc_id')),
      fromXr('status.wiring.computeMode', label('eks_compute_mode')),
      fromXr('spec.kubernetes.amiFamily', annotation('karpenter_ami_family')),
      fromEnv('addons.karpenterInstanceFamilies', annotation('karpenter_instance_families')),
      fromEnv('addons.karpenterCapacityTypes', annotation('karpenter_capacity_types')),
      fromEnv('addons.karpenterCpuLimit', annotation('karpenter_cpu_limit')),
      fromEnv('addons.karpenterMemoryLimitGi', annotation('karpenter_memory_limit_gi')),
      fromEnv('addons.karpenterReplicas', annotation('karpenter_replicas')),
      fromEnv('addons.externalDnsPolicy', annotation('external_dns_policy')),
      fromEnv('addons.certManagerEmail', annotation('cert_manager_email')),
      fromEnv('addons.externalSecretsPrefixes', annotation('external_secrets_prefixes')),
      // Comma-separated lists: the longest present wins (up to three entries).
      ...joined('spec.dns.hostedZoneIds', annotation('cert_manager_hosted_zone_ids')),
      fromXr('status.wiring.karpenterRoleArn', annotation('karpenter_iam_role_arn')),
      fromXr('status.wiring.karpenterQueueName', annotation('karpenter_sqs_queue_name')),
      fromXr('status.wiring.nodeRoleName', annotation('karpenter_node_iam_role_name')),
      fromXr('status.wiring.externalDnsRoleArn', annotation('external_dns_iam_role_arn')),
      fromXr('status.wiring.certManagerRoleArn', annotation('cert_manager_iam_role_arn')),
      fromXr('status.wiring.externalSecretsRoleArn', annotation('external_secrets_iam_role_arn')),
      fromXr('status.wiring.loadBalancerControllerRoleArn', annotation('aws_load_balancer_controller_iam_role_arn')),
      ...joined('spec.dns.domains', annotation('external_dns_domain_filters')),
      toXr('status.conditions', 'status.parts.registration.conditions'),
    ],
  };
}

export function clusterComposition(
  api: PlatformApi,
  children: { network: PlatformApi; eks: PlatformApi; database: PlatformApi },
  environments: readonly Environment[],
): PlatformComposition {
  const { network, eks, database } = children;
  const xr = (child: PlatformApi) => ({ apiVersion: child.apiVersion, kind: child.kind, spec: {} });
  const resources: ComposedResource[] = [
    {
      name: 'network',
      base: xr(network),
      patches: [
        fromXr('spec.region', 'spec.region'),
        ...firstPresent(CLUSTER_NAME, 'spec.clusterName'),
        fromXr('spec.network.cidr', 'spec.cidr'),
        fromXr('spec.network.availabilityZones', 'spec.availabilityZones'),
        fromXr('spec.network.subnets', 'spec.subnets'),
        fromEnv('network.nat', 'spec.nat'),
        fromEnv('aws.providerConfigName', 'spec.providerConfigName'),
        toXr('status.vpcId', 'status.wiring.vpcId'),
        toXr('status.subnetIds.private', 'status.wiring.privateSubnetIds'),
        toXr('status.subnetIds.data', 'status.wiring.dataSubnetIds'),
        toXr('status.conditions', 'status.parts.network.conditions'),
      ],
    },
    {
      name: 'eks',
      base: xr(eks),
      patches: [
        fromXr('spec.region', 'spec.region'),
        fromEnv('aws.accountId', 'spec.accountId'),
        ...firstPresent(CLUSTER_NAME, 'spec.clusterName'),
        ...envThenXr('kubernetes.version', 'spec.kubernetes.version', 'spec.version'),
        waitFor('status.wiring.privateSubnetIds', 'spec.subnetIds'),
        fromEnv('kubernetes.publicEndpoint', 'spec.endpoint.public'),
        fromEnv('kubernetes.publicAccessCidrs', 'spec.endpoint.publicAccessCidrs'),
        fromEnv('kubernetes.systemNodes', 'spec.systemNodes'),
        fromXr('spec.kubernetes.nodes.instanceTypes', 'spec.systemNodes.instanceTypes'),
        fromXr('spec.kubernetes.nodes.architecture', 'spec.systemNodes.architecture'),
        fromEnv('kubernetes.adminRoleArns', 'spec.access.adminRoleArns'),
        fromEnv('kubernetes.argoCdRoleArn', 'spec.access.argoCdRoleArn'),
        fromXr('spec.dns.hostedZoneIds', 'spec.dns.hostedZoneIds'),
        fromXr('spec.kubernetes.computeMode', 'spec.computeMode'),
        fromXr('spec.addons.externalSecrets', 'spec.externalSecrets.enabled'),
        fromXr('spec.addons.awsLoadBalancerController', 'spec.awsLoadBalancerController.enabled'),
        fromEnv('externalSecrets.prefixes', 'spec.externalSecrets.secretPrefixes'),
        fromEnv('aws.providerConfigName', 'spec.providerConfigName'),
        toXr('status.clusterName', 'status.clusterName'),
        toXr('status.endpoint', 'status.endpoint'),
        toXr('status.kubeconfigSecret', 'status.kubeconfigSecret'),
        toXr('status.caData', 'status.wiring.caData'),
        toXr('status.clusterSecurityGroupId', 'status.wiring.clusterSecurityGroupId'),
        toXr('status.nodeRoleName', 'status.wiring.nodeRoleName'),
        toXr('status.karpenter.roleArn', 'status.wiring.karpenterRoleArn'),
        toXr('status.karpenter.queueName', 'status.wiring.karpenterQueueName'),
        toXr('status.roles.externalDns', 'status.wiring.externalDnsRoleArn'),
        toXr('status.roles.certManager', 'status.wiring.certManagerRoleArn'),
        toXr('status.roles.externalSecrets', 'status.wiring.externalSecretsRoleArn'),
        toXr('status.roles.awsLoadBalancerController', 'status.wiring.loadBalancerControllerRoleArn'),
        toXr('status.computeMode', 'status.wiring.computeMode'),
        toXr('spec.accountId', 'status.wiring.accountId'),
        toXr('spec.access.argoCdRoleArn', 'status.wiring.argoCdRoleArn'),
        toXr('status.conditions', 'status.parts.cluster.conditions'),
      ],
    },
    {
      name: 'database',
      base: xr(database),
      patches: [
        fromXr('spec.region', 'spec.region'),
        ...firstPresent(CLUSTER_NAME, 'spec.identifier'),
        waitFor('status.wiring.vpcId', 'spec.network.vpcId'),
        // The data tier's subnets, or the private ones where the layout has no data tier.
        fromXr('status.wiring.privateSubnetIds', 'spec.network.subnetIds'),
        fromXr('status.wiring.dataSubnetIds', 'spec.network.subnetIds'),
        fromXr('spec.network.availabilityZones', 'spec.network.availabilityZones'),
        waitFor('status.wiring.clusterSecurityGroupId', 'spec.allowedFrom.securityGroupId'),
        ...envThenXr('database.minAcu', 'spec.database.minAcu', 'spec.capacity.minAcu'),
        ...envThenXr('database.maxAcu', 'spec.database.maxAcu', 'spec.capacity.maxAcu'),
        ...envThenXr('database.readers', 'spec.database.readers', 'spec.readers'),
        fromXr('spec.database.engineVersion', 'spec.engineVersion'),
        fromXr('spec.database.databaseName', 'spec.databaseName'),
        ...envThenXr('database.deletionProtection', 'spec.database.deletionProtection', 'spec.deletionProtection'),
        ...envThenXr('database.finalSnapshot', 'spec.database.finalSnapshot', 'spec.finalSnapshot'),
        fromEnv('database.backupRetentionDays', 'spec.backup.retentionDays'),
        // Kept on the database for whoever asks later why a prod database is unprotected.
        fromXr('spec.database.unprotectedReason', 'metadata.annotations[platform.drydock.dev/unprotected-reason]'),
        fromEnv('aws.providerConfigName', 'spec.providerConfigName'),
        toXr('status.endpoint', 'status.database.endpoint'),
        { ...toXr('metadata.name', 'status.database.connectionSecret'), transforms: [format('%s-connection')] },
        toXr('status.conditions', 'status.parts.database.conditions'),
      ],
      includeWhen: DATABASE_SUBNETS_KNOWN,
    },
    registration(),
    // Deletion runs in reverse: registration and database before the cluster, the cluster before the network.
    usage('network-by-eks', network, eks),
    usage('eks-by-registration', eks, { apiVersion: KubernetesObject.GVK.apiVersion, kind: KubernetesObject.GVK.kind }),
    usage('eks-by-database', eks, database, DATABASE),
    usage('network-by-database', network, database, DATABASE),
  ];
  return new PlatformComposition({
    api,
    name: 'cluster-aws',
    children: [network, eks, database],
    environment: environmentData(environments[0]),
    preSteps: [
      {
        step: 'environment',
        fn: FUNCTIONS.environmentConfigs,
        input: {
          apiVersion: 'environmentconfigs.fn.crossplane.io/v1beta1',
          kind: 'Input',
          spec: {
            environmentConfigs: [
              {
                type: 'Selector',
                selector: {
                  mode: 'Single',
                  matchLabels: [{ key: ENVIRONMENT_LABEL, type: 'FromCompositeFieldPath', valueFromFieldPath: 'spec.environment' }],
                },
              },
            ],
          },
        },
        reads: ['spec.environment'],
        writes: [],
      },
    ],
    resources,
  });
}
