// The Cluster composition: a team's whole environment from a few lines, as child XRs of the
// platform's own APIs (Network, EKSCluster, Database) with the environment's defaults, and the
// Argo CD registration (registration.ts). Each child starts once the values it needs are known;
// deletion runs in reverse, one step at a time (teardown.ts), with what runs in the workload
// cluster first (drain.ts), and Usages hold the order where a deletion bypasses the steps.
// (About 320 lines on purpose: the child XRs and what each waits for read top to bottom in one
// list, with the status the Cluster reports from them; each concern with more to say is a file
// of its own beside this one.)
import type { Environment } from '../../environments';
import { PLATFORM } from '../../environments/platform';
import { KubernetesObject } from '../../imports/kubernetes.m.crossplane.io';
import {
  allOf,
  alreadyComposed,
  type ComposedResource,
  type Condition,
  combineFromXr,
  env,
  FUNCTIONS,
  fieldIn,
  format,
  fromEnv,
  fromXr,
  gate,
  NameScheme,
  not,
  observed,
  PATCHED,
  type PlatformApi,
  PlatformComposition,
  prefer,
  present,
  type StatusMap,
  usage,
  xr,
} from '../authoring';
import { ADDONS_WITH_IDENTITY } from './definition';
import { dnsCleanup } from './dns-cleanup';
import { drain } from './drain';
import { ENVIRONMENT_LABEL, environmentData } from './environment';
import { CLUSTER_NAMES } from './names';
import { registration } from './registration';
import { EVERY_LINK, GATE, HELD, lifetimes, STEPS, TEARDOWN_STATUS, type TeardownLinks } from './teardown';
import { watcher } from './teardown-watch';
import { workloadProviderConfig } from './workload';

export { CONTROL_CLUSTER_PROVIDER_CONFIG } from './registration';

/**
 * Every child is named after the Cluster's unique name (names.ts), unless its EKSCluster already
 * has a name: then that one (status.clusterName), so a Cluster made under another scheme keeps
 * its AWS names and nothing is replaced.
 */
const NAMES = new NameScheme({ stem: [xr('status.clusterName'), CLUSTER_NAMES.source()] });
/** Each child runs the Composition its environment names: the working tree's or a release (lib/releases.ts). */
const COMPOSITION_REF = 'spec.crossplane.compositionRef.name';
const DATABASE = fieldIn('spec.database.enabled', [true]);

/**
 * The database is composed once the subnets it lives in are all known: the data tier, or the
 * private one when an explicit layout has no data tier. A CEL filter rather than a Required patch:
 * it holds the database back without marking the Cluster unready for good. Once composed it stays
 * while the subnets change (a zone added to the layout has none yet): a false filter would have
 * Crossplane delete it.
 */
const subnetsKnown = (field: string): string => {
  const list = `observed.composite.resource.status.wiring.${field}`;
  return `(${present(`status.wiring.${field}`).expression} && size(${list}) == size(observed.composite.resource.spec.network.availabilityZones) && ${list}.all(id, id != null))`;
};
const NO_DATA_TIER = allOf(present('spec.network.subnets'), not(present('spec.network.subnets.data')));
const DATABASE_SUBNETS_KNOWN: Condition = {
  // Zones named by ID also wait for the letters AWS placed the subnets in (an RDS instance is placed
  // by name); zones named by letter need none, so a Network release that reports no letters (r1)
  // still gets its database.
  expression: `(${DATABASE.expression}) && (${alreadyComposed('database').expression} || (((${NO_DATA_TIER.expression}) ? ${subnetsKnown('privateSubnetIds')} : ${subnetsKnown('dataSubnetIds')}) && (observed.composite.resource.spec.network.availabilityZones.all(z, size(z) == 1) || ${subnetsKnown('availabilityZoneLetters')})))`,
  reads: [
    ...DATABASE.reads,
    ...NO_DATA_TIER.reads,
    'status.wiring.privateSubnetIds',
    'status.wiring.dataSubnetIds',
    'status.wiring.availabilityZoneLetters',
    'spec.network.availabilityZones',
  ],
};

/** The database's master secret and the key that encrypts it, as the Database reports them. */
const DATABASE_SECRET = ['status.wiring.databaseSecretArn', 'status.wiring.databaseKmsKeyArn'];

/** Wait for a value another part reports. */
const waitFor = (from: string, to: string) => fromXr(from, to, { required: true });
/** The XR's own value where it gives one, else the environment's. */
const xrElseEnvironment = (xrField: string, envField: string, to: string) => prefer([xr(xrField), env(envField)], to);

/** Deletion order where the steps are bypassed: `of` cannot be deleted while `by` exists. */
const held = (name: string, of: { apiVersion: string; kind: string }, by: { apiVersion: string; kind: string }, includeWhen: Condition) =>
  usage({ name, of, by, includeWhen });

/** What a Cluster reports: how to reach what it got, each part's readiness, and the values passed between parts. */
const STATUS: StatusMap = {
  'wiring.vpcId': observed('network', 'status.vpcId'),
  'wiring.privateSubnetIds': observed('network', 'status.subnetIds.private'),
  'wiring.dataSubnetIds': observed('network', 'status.subnetIds.data'),
  'wiring.availabilityZoneLetters': observed('network', 'status.availabilityZoneLetters'),
  'parts.network.conditions': observed('network', 'status.conditions'),
  clusterName: observed('eks', 'status.clusterName'),
  kubernetesVersion: observed('eks', 'status.kubernetesVersion'),
  endpoint: observed('eks', 'status.endpoint'),
  kubeconfigSecret: observed('eks', 'status.kubeconfigSecret'),
  'wiring.caData': observed('eks', 'status.caData'),
  'wiring.clusterSecurityGroupId': observed('eks', 'status.clusterSecurityGroupId'),
  'wiring.nodeRoleName': observed('eks', 'status.nodeRoleName'),
  'wiring.karpenterRoleArn': observed('eks', 'status.karpenter.roleArn'),
  'wiring.karpenterQueueName': observed('eks', 'status.karpenter.queueName'),
  'wiring.externalDnsRoleArn': observed('eks', 'status.roles.externalDns'),
  'wiring.certManagerRoleArn': observed('eks', 'status.roles.certManager'),
  'wiring.externalSecretsRoleArn': observed('eks', 'status.roles.externalSecrets'),
  'wiring.loadBalancerControllerRoleArn': observed('eks', 'status.roles.awsLoadBalancerController'),
  // What the EKSCluster was asked for: EKS reports no compute mode of its own.
  'wiring.computeMode': observed('eks', 'spec.computeMode'),
  'wiring.accountId': observed('eks', 'spec.accountId'),
  'wiring.argoCdRoleArn': observed('eks', 'spec.access.argoCdRoleArn'),
  'parts.cluster.conditions': observed('eks', 'status.conditions'),
  'database.endpoint': observed('database', 'status.endpoint'),
  'database.connectionSecret': observed('database', 'metadata.name', { transforms: [format('%s-connection')] }),
  'parts.database.conditions': observed('database', 'status.conditions'),
  'wiring.databaseSecretArn': observed('database', 'status.masterSecretArn'),
  'wiring.databaseKmsKeyArn': observed('database', 'status.kmsKeyArn'),
  'parts.registration.conditions': observed('registration', 'status.conditions'),
  'database.finalSnapshotIdentifier': observed('database', 'status.finalSnapshotIdentifier'),
  'database.kmsKeyArn': observed('database', 'status.kmsKeyArn'),
  ...Object.fromEntries(ADDONS_WITH_IDENTITY.map((a) => [`wiring.podIdentity.${a}`, observed('eks', `status.podIdentity.${a}`)])),
  ...TEARDOWN_STATUS,
};

export interface ClusterCompositionProps {
  /** The Cluster API. */
  readonly api: PlatformApi;
  /** The platform APIs it composes. */
  readonly children: { readonly network: PlatformApi; readonly eks: PlatformApi; readonly database: PlatformApi };
  /** Every environment a Cluster may name: each one's data is what the pipeline selects. */
  readonly environments: readonly Environment[];
  /**
   * The links of the teardown protocol (teardown.ts). The test that proves each link is needed
   * builds the composition without one.
   * @default - every link
   */
  readonly teardownLinks?: TeardownLinks;
}

export function clusterComposition(props: ClusterCompositionProps): PlatformComposition {
  const { api, environments } = props;
  const { network, eks, database } = props.children;
  const child = (c: PlatformApi) => ({ apiVersion: c.apiVersion, kind: c.kind, spec: {} });
  const LIFETIME = lifetimes(props.teardownLinks ?? EVERY_LINK);
  const networkPart: ComposedResource = {
    name: 'network',
    base: child(network),
    patches: [
      fromXr('spec.region', 'spec.region'),
      ...NAMES.stem('spec.clusterName'),
      fromXr('spec.network.cidr', 'spec.cidr'),
      fromXr('spec.network.availabilityZones', 'spec.availabilityZones'),
      fromXr('spec.network.subnets', 'spec.subnets'),
      fromEnv('network.nat', 'spec.nat'),
      fromEnv('compositions.network', COMPOSITION_REF),
      fromEnv('aws.providerConfigName', 'spec.providerConfigName'),
    ],
    includeWhen: LIFETIME.network(),
  };
  const eksPart: ComposedResource = {
    name: 'eks',
    base: child(eks),
    patches: [
      fromXr('spec.region', 'spec.region'),
      fromEnv('aws.accountId', 'spec.accountId'),
      ...NAMES.stem('spec.clusterName'),
      ...xrElseEnvironment('spec.kubernetes.version', 'kubernetes.version', 'spec.version'),
      fromEnv('kubernetes.supportType', 'spec.supportType'),
      waitFor('status.wiring.privateSubnetIds', 'spec.subnetIds'),
      waitFor('status.wiring.vpcId', 'spec.vpcId'),
      fromEnv('kubernetes.publicEndpoint', 'spec.endpoint.public'),
      fromEnv('compositions.eks', COMPOSITION_REF),
      fromEnv('kubernetes.publicAccessCidrs', 'spec.endpoint.publicAccessCidrs', { absentWhen: 'the environment keeps the endpoint private' }),
      // The environment's system nodes, with the XR's instance types and architecture where it gives them.
      ...prefer(
        [
          xr('spec.kubernetes.nodes.architecture', { at: 'architecture' }),
          xr('spec.kubernetes.nodes.instanceTypes', { at: 'instanceTypes' }),
          env('kubernetes.systemNodes'),
        ],
        'spec.systemNodes',
      ),
      fromEnv('kubernetes.adminRoleArns', 'spec.access.adminRoleArns'),
      fromEnv('kubernetes.argoCdRoleArn', 'spec.access.argoCdRoleArn'),
      fromEnv('kubernetes.providerRoleArn', 'spec.access.providerRoleArn'),
      fromXr('spec.dns.hostedZoneIds', 'spec.dns.hostedZoneIds'),
      fromXr('spec.kubernetes.logTypes', 'spec.logTypes'),
      fromXr('spec.kubernetes.computeMode', 'spec.computeMode'),
      fromXr('spec.addons.externalSecrets', 'spec.externalSecrets.enabled'),
      fromXr('spec.addons.awsLoadBalancerController', 'spec.awsLoadBalancerController.enabled'),
      fromEnv('externalSecrets.prefixes', 'spec.externalSecrets.secretPrefixes'),
      // The database's master secret and its key for External Secrets, both or neither (the EKS
      // API needs the pair): each written from the two together, once the database reports both.
      combineFromXr(DATABASE_SECRET, '%[1]s', 'spec.externalSecrets.database.secretArn'),
      combineFromXr(DATABASE_SECRET, '%[2]s', 'spec.externalSecrets.database.kmsKeyArn'),
      fromEnv('aws.providerConfigName', 'spec.providerConfigName'),
    ],
    includeWhen: LIFETIME.eks(),
  };
  const databasePart: ComposedResource = {
    name: 'database',
    base: child(database),
    patches: [
      fromXr('spec.region', 'spec.region'),
      ...NAMES.stem('spec.identifier'),
      waitFor('status.wiring.vpcId', 'spec.network.vpcId'),
      // The data tier's subnets, or the private ones where the layout has no data tier.
      ...prefer([xr('status.wiring.dataSubnetIds'), xr('status.wiring.privateSubnetIds')], 'spec.network.subnetIds'),
      // The letters of the zones AWS placed the subnets in (d for us-east-1d), reported with the
      // subnets: the Cluster may have named its zones by ID, which an RDS instance cannot be placed
      // by. A Network release from before they were reported (r1) leaves the Cluster's own letters.
      ...prefer([xr('status.wiring.availabilityZoneLetters'), xr('spec.network.availabilityZones')], 'spec.network.availabilityZones'),
      waitFor('status.wiring.clusterSecurityGroupId', 'spec.allowedFrom.securityGroupId'),
      ...xrElseEnvironment('spec.database.minAcu', 'database.minAcu', 'spec.capacity.minAcu'),
      ...xrElseEnvironment('spec.database.maxAcu', 'database.maxAcu', 'spec.capacity.maxAcu'),
      ...xrElseEnvironment('spec.database.readers', 'database.readers', 'spec.readers'),
      fromXr('spec.database.engineVersion', 'spec.engineVersion'),
      fromXr('spec.database.databaseName', 'spec.databaseName'),
      // Applications that connect with IAM authentication, on this Cluster's EKS cluster.
      fromXr('spec.database.access', 'spec.access.applications'),
      ...NAMES.stem('spec.access.clusterName'),
      fromEnv('aws.accountId', 'spec.access.accountId'),
      ...xrElseEnvironment('spec.database.deletionProtection', 'database.deletionProtection', 'spec.deletionProtection'),
      ...xrElseEnvironment('spec.database.finalSnapshot', 'database.finalSnapshot', 'spec.finalSnapshot'),
      fromEnv('database.backupRetentionDays', 'spec.backup.retentionDays'),
      fromEnv('compositions.database', COMPOSITION_REF),
      // Kept on the database for whoever asks later why a prod database is unprotected.
      fromXr('spec.database.unprotectedReason', `metadata.annotations[${PLATFORM.apiGroup}/unprotected-reason]`),
      fromEnv('aws.providerConfigName', 'spec.providerConfigName'),
    ],
    includeWhen: LIFETIME.database(DATABASE_SUBNETS_KNOWN),
  };
  const registrationObject = { apiVersion: KubernetesObject.GVK.apiVersion, kind: KubernetesObject.GVK.kind };
  // In the order of the teardown: a later step's status source wins over an earlier one's.
  const resources: ComposedResource[] = [
    registration(LIFETIME.registration()),
    held('usage-eks-by-registration', eks, registrationObject, LIFETIME.registration()),
    watcher('registration', registrationObject, LIFETIME.watch('registration')),
    workloadProviderConfig(LIFETIME.workload()),
    ...drain(LIFETIME.drain()),
    dnsCleanup(LIFETIME.dns()),
    databasePart,
    held('usage-eks-by-database', eks, database, LIFETIME.database(DATABASE)),
    held('usage-network-by-database', network, database, LIFETIME.database(DATABASE)),
    eksPart,
    held('usage-network-by-eks', network, eks, LIFETIME.eks()),
    networkPart,
    watcher('database', database, LIFETIME.watch('database')),
    watcher('eks', eks, LIFETIME.watch('eks')),
    watcher('network', network, LIFETIME.watch('network')),
    gate({
      name: GATE,
      of: api,
      replayDeletion: true,
      includeWhen: LIFETIME.gate(),
      patches: [
        combineFromXr(
          ['metadata.name', 'metadata.namespace'],
          `deletion accepted: the Cluster deletes its parts in order (${STEPS.filter((s) => s.id !== 'held')
            .map((s) => s.id)
            .join(', ')}), then itself; follow it with kubectl get cluster %s -n %s (TEARDOWN)`,
          'spec.reason',
        ),
      ],
    }),
    usage({
      name: HELD,
      of: database,
      reason: PATCHED,
      replayDeletion: false,
      includeWhen: LIFETIME.held(),
      patches: NAMES.format(
        'spec.reason',
        'held: database %s has deletion protection, so nothing is deleted. To delete the Cluster with its data (its final snapshot and KMS key stay in AWS), set spec.database.deletionProtection to false (in prod also spec.database.unprotectedReason). To keep the Cluster, remove the annotation usage.crossplane.io/deletion-attempt-with-policy',
      ),
    }),
  ];
  return new PlatformComposition({
    api,
    name: 'cluster-aws',
    children: [network, eks, database],
    environments: environments.map((e) => ({ name: e.name, data: environmentData(e) })),
    uniqueNames: [CLUSTER_NAMES],
    status: STATUS,
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
