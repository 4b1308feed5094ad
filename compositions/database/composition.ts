// The Database composition: an Aurora PostgreSQL Serverless v2 cluster in a given network, with its
// KMS key, subnet and parameter groups, security group and ingress, instances, deletion gate and
// the application identities of access.ts; what the XR reports is STATUS below.
// (About 320 lines on purpose: the resources read top to bottom in one list, each with when it
// exists and what it waits for, as the style asks of a composition; the helpers above the list
// serve only it.)
import { AUTO_PAUSE_SECONDS } from '../../catalog';
import { SecurityGroup, SecurityGroupIngressRule } from '../../imports/ec2.aws.m.upbound.io';
import { Alias, Key } from '../../imports/kms.aws.m.upbound.io';
import { ResourcesResourcesConnectionDetailsType as ConnectionDetailType } from '../../imports/pt.fn.crossplane.io';
import { Cluster, ClusterInstance, ClusterParameterGroup, SubnetGroup } from '../../imports/rds.aws.m.upbound.io';
import {
  anyOf,
  atLeast,
  type ComposedResource,
  type Condition,
  combineFromXr,
  convert,
  EXTERNAL_NAME,
  enabled,
  fieldIn,
  format,
  fromXr,
  gate,
  MINE,
  mapping,
  matchLiteral,
  observed,
  PATCHED,
  type Patch,
  type PlatformApi,
  PlatformComposition,
  prefer,
  present,
  regexp,
  type StatusMap,
  stemOf,
  usage,
  xr,
} from '../authoring';
import { ACCESS_STATUS, applicationIdentities } from './access';
import { MAX_READERS } from './definition';

export const POSTGRES_PORT = 5432;
const ENGINE = 'aurora-postgresql';
/** Every AWS name starts with the RDS identifier: spec.identifier, else the Database's name. */
const NAMES = stemOf('spec.identifier', 'metadata.name');
const mine = () => ({ ...MINE });

/** Admit PostgreSQL from one source; nothing else opens the port. */
function ingress(name: string, source: Patch, includeWhen: Condition): ComposedResource {
  return {
    name,
    base: SecurityGroupIngressRule.manifest({
      spec: {
        forProvider: {
          region: PATCHED,
          securityGroupIdSelector: mine(),
          ipProtocol: 'tcp',
          fromPort: POSTGRES_PORT,
          toPort: POSTGRES_PORT,
          description: 'PostgreSQL from the workload cluster',
        },
      },
    }),
    patches: [source],
    includeWhen,
  };
}

/** An Aurora Serverless v2 instance: the writer (slot 0) or a reader, in the slot's zone when zones are given. */
function instance(slot: number): ComposedResource {
  const name = slot === 0 ? 'writer' : `reader-${slot}`;
  return {
    name: `instance-${name}`,
    base: ClusterInstance.manifest({
      spec: {
        forProvider: {
          region: PATCHED,
          engine: ENGINE,
          instanceClass: 'db.serverless',
          clusterIdentifierSelector: mine(),
          publiclyAccessible: false,
          autoMinorVersionUpgrade: true,
          // Failover goes to the lowest tier: readers in order, the writer's own tier first.
          promotionTier: slot,
          // Off until the key it must use is known: AWS refuses to change the key of Performance
          // Insights once it is on, so it must never start with the default aws/rds key.
          performanceInsightsEnabled: false,
        },
      },
    }),
    patches: [
      ...NAMES.externalName(`-${name}`),
      ...NAMES.tag(`-${name}`),
      // No engineVersion: an Aurora instance runs its cluster's version, which alone is upgraded
      // (the provider's ClusterInstance CRD, ../shared/crds: "to upgrade the engine_version of
      // the instance, it must be done on the aws_rds_cluster"). Set here, it would differ from
      // what AWS reports while a minor upgrade waits for the maintenance window and after AWS's
      // own minor upgrades (autoMinorVersionUpgrade), and the provider, which suppresses a lower
      // desired version only for the cluster (config/namespaced/rds/config.go), would modify the
      // instance on every poll without ever changing it.
      //
      // The key as an ARN, which is what the provider's schema and AWS want (a selector would give
      // the bare key ID, a permanent diff), and only while Performance Insights is asked for: the
      // status field exists only then (see PERFORMANCE_INSIGHTS_KEY).
      fromXr('status.performanceInsightsKmsKeyArn', 'spec.forProvider.performanceInsightsKmsKeyId'),
      fromXr('status.performanceInsightsKmsKeyArn', 'spec.forProvider.performanceInsightsEnabled', {
        transforms: [regexp('^arn:'), mapping({ 'arn:': true })],
      }),
      combineFromXr(['spec.region', `spec.network.availabilityZones[${slot}]`], '%s%s', 'spec.forProvider.availabilityZone'),
    ],
    includeWhen: slot === 0 ? undefined : atLeast('spec.readers', slot),
  };
}

/**
 * Performance Insights encrypts with the database's own key. This alias of that key exists only
 * while spec.performanceInsights is true, and reports the key's ARN into the XR status: so the
 * instances get the key (and turn Performance Insights on) only then, and lose both when it is
 * turned off (Crossplane applies the XR status server-side: a field no longer reported goes).
 */
const PERFORMANCE_INSIGHTS_KEY = 'kms-alias-performance-insights';

/** What a Database reports: where to connect, and what its parts are called in AWS. */
const STATUS: StatusMap = {
  kmsKeyArn: observed('kms-key', 'status.atProvider.arn'),
  performanceInsightsKmsKeyArn: observed(PERFORMANCE_INSIGHTS_KEY, 'status.atProvider.targetKeyArn'),
  securityGroupId: observed('security-group', 'status.atProvider.id'),
  endpoint: observed('cluster', 'status.atProvider.endpoint'),
  readerEndpoint: observed('cluster', 'status.atProvider.readerEndpoint'),
  port: observed('cluster', 'status.atProvider.port'),
  databaseName: observed('cluster', 'status.atProvider.databaseName'),
  clusterArn: observed('cluster', 'status.atProvider.arn'),
  masterSecretArn: observed('cluster', 'status.atProvider.masterUserSecret[0].secretArn'),
  deletionProtection: observed('cluster', 'status.atProvider.deletionProtection'),
  finalSnapshotIdentifier: observed('cluster', 'spec.forProvider.finalSnapshotIdentifier'),
  clusterResourceId: observed('cluster', 'status.atProvider.clusterResourceId'),
  ...ACCESS_STATUS,
};

/**
 * Data is protected while deletion protection is asked for or AWS still reports it: deleting the
 * Database is refused (AWS would refuse the cluster for ever, and still let the instances go).
 */
const PROTECTED = anyOf(fieldIn('spec.deletionProtection', [true]), enabled('status.deletionProtection'));

/**
 * The KMS key (and its alias) stay in AWS when the database is deleted while it keeps deletion
 * protection or a final snapshot: the snapshot and the backups are encrypted with it, and a key
 * scheduled for deletion makes them unreadable after its window. Management policies without
 * Delete (crossplane-runtime's "No Delete" set) orphan it; one resource either way, so changing
 * the settings never replaces a key.
 */
const KEEP = ['Observe', 'Create', 'Update', 'LateInitialize'];
const keyKept = combineFromXr(['spec.deletionProtection', 'spec.finalSnapshot'], '%v-%v', 'spec.managementPolicies', {
  transforms: [mapping({ 'true-true': KEEP, 'true-false': KEEP, 'false-true': KEEP, 'false-false': ['*'] })],
});

/** The XR's connection Secret, key by key, from the Aurora cluster once observed. */
const CONNECTION = {
  host: 'status.atProvider.endpoint',
  reader_host: 'status.atProvider.readerEndpoint',
  port: 'status.atProvider.port',
  database: 'status.atProvider.databaseName',
  username: 'status.atProvider.masterUsername',
  master_secret_arn: 'status.atProvider.masterUserSecret[0].secretArn',
};

export function databaseComposition(api: PlatformApi): PlatformComposition {
  const resources: ComposedResource[] = [
    {
      name: 'kms-key',
      base: Key.manifest({
        spec: { forProvider: { region: PATCHED, enableKeyRotation: true, deletionWindowInDays: 30, keyUsage: 'ENCRYPT_DECRYPT' } },
      }),
      patches: [...NAMES.format('spec.forProvider.description', 'Aurora storage and master secret of %s'), ...NAMES.tag('-rds'), keyKept],
    },
    {
      name: 'kms-alias',
      base: Alias.manifest({ spec: { forProvider: { region: PATCHED, targetKeyIdSelector: mine() } } }),
      patches: [...NAMES.format(EXTERNAL_NAME, 'alias/rds/%s'), keyKept],
    },
    // Even where it is deleted, the key goes only after the cluster that writes with it.
    usage({
      name: 'usage-kms-key-by-cluster',
      of: { apiVersion: Key.GVK.apiVersion, kind: Key.GVK.kind },
      by: { apiVersion: Cluster.GVK.apiVersion, kind: Cluster.GVK.kind },
    }),
    // A delete of a protected Database is refused with what to do. No replay: a delete refused
    // long ago must not fire when someone turns protection off for another reason.
    gate({
      name: 'protection',
      of: { apiVersion: api.apiVersion, kind: api.kind },
      replayDeletion: false,
      includeWhen: PROTECTED,
      patches: NAMES.format(
        'spec.reason',
        'database %s has deletion protection: set spec.deletionProtection to false (in prod, with the reason) and delete it again; its final snapshot and its KMS key (alias/rds/%[1]s) stay in AWS',
      ),
    }),
    {
      name: PERFORMANCE_INSIGHTS_KEY,
      base: Alias.manifest({ spec: { forProvider: { region: PATCHED, targetKeyIdSelector: mine() } } }),
      patches: NAMES.format(EXTERNAL_NAME, 'alias/rds/%s-performance-insights'),
      includeWhen: enabled('spec.performanceInsights'),
    },
    {
      name: 'subnet-group',
      base: SubnetGroup.manifest({ spec: { forProvider: { region: PATCHED, description: 'Isolated data subnets' } } }),
      patches: [...NAMES.externalName(), ...NAMES.tag(), fromXr('spec.network.subnetIds', 'spec.forProvider.subnetIds')],
    },
    {
      name: 'security-group',
      base: SecurityGroup.manifest({
        spec: { forProvider: { region: PATCHED, description: 'PostgreSQL from the workload cluster only', revokeRulesOnDelete: true } },
      }),
      patches: [
        ...NAMES.named('spec.forProvider.name', '-postgres'),
        ...NAMES.tag('-postgres'),
        fromXr('spec.network.vpcId', 'spec.forProvider.vpcId'),
      ],
    },
    ingress(
      'ingress-from-security-group',
      fromXr('spec.allowedFrom.securityGroupId', 'spec.forProvider.referencedSecurityGroupId'),
      present('spec.allowedFrom.securityGroupId'),
    ),
    ...Array.from({ length: 3 }, (_, i) =>
      ingress(`ingress-from-cidr-${i}`, fromXr(`spec.allowedFrom.cidrBlocks[${i}]`, 'spec.forProvider.cidrIpv4'), {
        expression: `${present('spec.allowedFrom.cidrBlocks').expression} && size(observed.composite.resource.spec.allowedFrom.cidrBlocks) > ${i}`,
        reads: ['spec.allowedFrom.cidrBlocks'],
      }),
    ),
    {
      name: 'parameter-group',
      base: ClusterParameterGroup.manifest({
        spec: {
          forProvider: {
            region: PATCHED,
            family: PATCHED,
            description: 'Drydock defaults: TLS only',
            parameter: [{ name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' }],
          },
        },
      }),
      patches: [
        fromXr('spec.engineVersion', 'spec.forProvider.family', { transforms: [regexp('^([0-9]+)[.]', 1), format(`${ENGINE}%s`)] }),
        ...NAMES.tag(),
        // The platform's extra parameters follow the TLS one; none can replace it.
        ...Array.from({ length: 8 }, (_, i) => fromXr(`spec.parameters[${i}]`, `spec.forProvider.parameter[${i + 1}]`)),
      ],
    },
    {
      name: 'cluster',
      base: Cluster.manifest({
        spec: {
          forProvider: {
            region: PATCHED,
            engine: ENGINE,
            engineMode: 'provisioned',
            storageEncrypted: true,
            kmsKeyIdSelector: mine(),
            dbSubnetGroupNameSelector: mine(),
            vpcSecurityGroupIdSelector: mine(),
            dbClusterParameterGroupNameSelector: mine(),
            manageMasterUserPassword: true,
            copyTagsToSnapshot: true,
            enabledCloudwatchLogsExports: ['postgresql'],
            preferredMaintenanceWindow: 'sun:04:30-sun:05:30',
            port: POSTGRES_PORT,
          },
        },
      }),
      patches: [
        ...NAMES.externalName(),
        ...NAMES.tag(),
        fromXr('spec.engineVersion', 'spec.forProvider.engineVersion'),
        // A minimum of 0 ACU pauses the database when idle, after secondsUntilAutoPause (AWS's
        // default unless the XR says). AWS refuses that field with any other minimum, so the block
        // gets it only then; the XR's capacity fields are written into the block after it.
        ...prefer(
          [
            xr('spec.capacity.secondsUntilAutoPause', { at: 'secondsUntilAutoPause' }),
            xr('spec.capacity.maxAcu', { at: 'maxCapacity' }),
            xr('spec.capacity.minAcu', { at: 'minCapacity' }),
            xr('spec.capacity.minAcu', {
              transforms: [convert('string'), matchLiteral({ '0': { secondsUntilAutoPause: AUTO_PAUSE_SECONDS.default } }, {})],
            }),
          ],
          'spec.forProvider.serverlessv2ScalingConfiguration',
        ),
        fromXr('spec.databaseName', 'spec.forProvider.databaseName'),
        fromXr('spec.masterUsername', 'spec.forProvider.masterUsername'),
        fromXr('spec.iamAuthentication', 'spec.forProvider.iamDatabaseAuthenticationEnabled'),
        fromXr('spec.backup.retentionDays', 'spec.forProvider.backupRetentionPeriod'),
        fromXr('spec.backup.window', 'spec.forProvider.preferredBackupWindow'),
        fromXr('spec.deletionProtection', 'spec.forProvider.deletionProtection'),
        fromXr('spec.finalSnapshot', 'spec.forProvider.skipFinalSnapshot', {
          transforms: [convert('string'), mapping({ true: false, false: true })],
        }),
        // Unique per Database incarnation, so re-creating one never collides with an old snapshot.
        ...NAMES.format('spec.forProvider.finalSnapshotIdentifier', '%s-final-%s', { with: ['metadata.uid'] }),
        // The master secret is encrypted with the database's own key; the cluster waits for it.
        fromXr('status.kmsKeyArn', 'spec.forProvider.masterUserSecretKmsKeyId', { required: true }),
      ],
      connectionDetails: Object.entries(CONNECTION).map(([name, fromFieldPath]) => ({
        name,
        type: ConnectionDetailType.FROM_FIELD_PATH,
        fromFieldPath,
      })),
    },
    ...Array.from({ length: MAX_READERS + 1 }, (_, slot) => instance(slot)),
    ...applicationIdentities(NAMES),
  ];
  return new PlatformComposition({
    api,
    name: 'database-aurora-postgresql',
    placement: { region: 'spec.region', providerConfigName: 'spec.providerConfigName' },
    status: STATUS,
    resources,
  });
}
