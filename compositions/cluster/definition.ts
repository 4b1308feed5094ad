import { AURORA_POSTGRESQL_DEFAULT_VERSION } from '../../catalog';
import { GRAVITON_TYPE } from '../../catalog/ec2';
import { ENVIRONMENTS, type Environment } from '../../environments';
import {
  capacityRules,
  engineVersionField,
  group,
  type JsonSchema,
  kubernetesVersionField,
  nameField,
  PlatformApi,
  REGION,
  text,
} from '../authoring';
import { APPLICATIONS_SCHEMA } from '../database/access';
import { DEFAULT_MASTER_USERNAME, MAX_READERS } from '../database/definition';
import { LOG_TYPES, MAX_ZONES } from '../eks/definition';
import { LAYOUT, zoneRules } from '../network/definition';
import { ADDONS, ADDONS_WITH_IDENTITY } from './addons';
import { environmentRules } from './environment-rules';
import { HASH_LENGTH, MAX_READABLE_NAME } from './names';
import { TEARDOWN_SPEC, TEARDOWN_STATUS_SCHEMA } from './teardown-schema';

/** At most this many domains in `dns.domains`: ExternalDNS may manage them, cert-manager issue for them (a four-domain product fits). */
export const MAX_DOMAINS = 4;

export { ADDONS, ADDONS_WITH_IDENTITY, type Addon } from './addons';

const acu = (what: string): JsonSchema => ({
  type: 'number',
  description: `${what} in ACU (0 to 256, steps of 0.5). Default: the environment's.`,
  minimum: 0,
  maximum: 256,
  'x-kubernetes-validations': [
    { rule: 'double(int(self * 2.0)) == self * 2.0', message: 'capacity must be a multiple of 0.5 ACU (e.g. 0.5, 1, 1.5)' },
  ],
});

/** The readable part of the Cluster's AWS names (names.ts). */
const readable = nameField({
  field: 'clusterName',
  max: MAX_READABLE_NAME,
  why: `AWS names are "<clusterName>-<${HASH_LENGTH} hex digits>" and a suffix, within AWS limits`,
});
const READABLE: JsonSchema = {
  ...readable,
  description: `The readable part of every AWS name of this Cluster; default: the Cluster's name. Each AWS name is <clusterName>-<${HASH_LENGTH} hex digits of a hash of environment, namespace and name> (status.clusterName) and a suffix. Set by the platform group only (admission): a team's readable part is the Cluster's name. Cannot change.`,
  'x-kubernetes-validations': [
    ...readable['x-kubernetes-validations'],
    { rule: 'self == oldSelf', message: 'clusterName is immutable: every AWS name of the Cluster derives from it' },
  ],
};

/** The Cluster's spec, with the enum and the rules the given environments bring. */
const specOf = (environments: readonly Environment[]): JsonSchema => ({
  type: 'object',
  description:
    'A whole environment for a team: network, EKS cluster with its add-on identities, optionally an Aurora database, registered in Argo CD.',
  required: ['environment', 'region'],
  properties: {
    environment: {
      type: 'string',
      description: `Which environment the cluster belongs to; it decides account, sizes and protection: ${environments.map((e) => e.name).join(', ')}.`,
      enum: environments.map((e) => e.name),
      // Environment names are at most 16 characters (environments/environment.ts): a bound the
      // API server's cost estimate of the rules that print the name needs.
      maxLength: 16,
      'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'environment is immutable: create a new Cluster in the other environment' }],
    },
    region: REGION,
    clusterName: READABLE,
    network: {
      type: 'object',
      description: 'Address layout. Default: 10.0.0.0/16 over zones a, b, c, carved automatically.',
      default: { cidr: LAYOUT.properties.cidr.default, availabilityZones: LAYOUT.properties.availabilityZones.default },
      properties: LAYOUT.properties,
      'x-kubernetes-validations': LAYOUT.rules,
    },
    kubernetes: {
      type: 'object',
      description: 'The EKS cluster. Defaults come from the environment.',
      default: { computeMode: 'Managed', amiFamily: 'AL2023' },
      properties: {
        version: kubernetesVersionField({ fallback: "default: the environment's" }),
        computeMode: {
          type: 'string',
          description: 'Managed: system nodes plus Karpenter. Auto: EKS Auto Mode runs nodes, storage and load balancing. Cannot change.',
          enum: ['Managed', 'Auto'],
          default: 'Managed',
          'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'computeMode is immutable: create a new Cluster to switch' }],
        },
        amiFamily: {
          type: 'string',
          description: 'OS of the nodes Karpenter launches (Managed mode).',
          enum: ['AL2023', 'Bottlerocket'],
          default: 'AL2023',
        },
        nodes: {
          type: 'object',
          description: 'System nodes, if the environment default does not fit.',
          required: ['instanceTypes', 'architecture'],
          properties: {
            instanceTypes: {
              type: 'array',
              minItems: 1,
              maxItems: 8,
              items: { type: 'string', pattern: '^[a-z][a-z0-9-]*\\.[a-z0-9]+$', maxLength: 24 },
            },
            architecture: { type: 'string', enum: ['x86_64', 'arm64'] },
          },
          'x-kubernetes-validations': [
            {
              rule: `self.instanceTypes.all(t, t.matches('${GRAVITON_TYPE}') == (self.architecture == 'arm64'))`,
              message: 'kubernetes.nodes.instanceTypes must match the architecture: Graviton types (t4g, m7g, c7g...) for arm64, others for x86_64',
            },
          ],
        },
        logTypes: {
          type: 'array',
          description: `Control-plane log types EKS sends to CloudWatch Logs (billed per GB ingested). Default: all of ${LOG_TYPES.join(', ')}.`,
          maxItems: LOG_TYPES.length,
          'x-kubernetes-list-type': 'set',
          items: { type: 'string', enum: [...LOG_TYPES] },
        },
      },
    },
    database: {
      type: 'object',
      description: 'An Aurora PostgreSQL Serverless v2 database in the data subnets, reachable from the cluster only.',
      default: { enabled: false },
      properties: {
        enabled: { type: 'boolean', default: false },
        minAcu: acu('Lowest capacity'),
        maxAcu: acu('Highest capacity'),
        readers: { type: 'integer', minimum: 0, maximum: MAX_READERS, description: "Readers beside the writer. Default: the environment's." },
        engineVersion: engineVersionField({ fallback: `default ${AURORA_POSTGRESQL_DEFAULT_VERSION}` }),
        databaseName: { type: 'string', maxLength: 63, pattern: '^[a-z][a-z0-9_]*$' },
        deletionProtection: { type: 'boolean', description: "Default: the environment's (on in staging and prod)." },
        finalSnapshot: { type: 'boolean', description: "Default: the environment's (on in staging and prod)." },
        access: APPLICATIONS_SCHEMA,
        unprotectedReason: {
          type: 'string',
          minLength: 10,
          maxLength: 200,
          description: 'Why a prod database may lose deletion protection or its final snapshot.',
        },
      },
      'x-kubernetes-validations': [
        { rule: '!has(self.minAcu) || !has(self.maxAcu) || self.minAcu <= self.maxAcu', message: 'database.minAcu must not exceed database.maxAcu' },
        {
          // The Database the Cluster composes keeps its default master user and refuses an
          // application connecting as it: refused here, before the network and EKS are composed.
          rule: `!has(self.access) || self.access.all(a, a.user != '${DEFAULT_MASTER_USERNAME}')`,
          message: `database.access: ${DEFAULT_MASTER_USERNAME} is the database's master user, which no application may connect as: give the application a user of its own`,
          fieldPath: '.access',
        },
        ...capacityRules({ engineVersion: 'engineVersion', minAcu: 'minAcu', maxAcu: 'maxAcu' }),
      ],
    },
    dns: group('Route53 hosted zones and domains for ExternalDNS and cert-manager.', {
      hostedZoneIds: {
        type: 'array',
        description:
          "Route53 hosted zone IDs ExternalDNS and cert-manager may change: in a team namespace, only the team's own (hostedZoneIds in environments/platform.ts).",
        maxItems: MAX_ZONES,
        'x-kubernetes-list-type': 'set',
        items: { type: 'string', pattern: '^Z[A-Z0-9]{1,31}$' },
      },
      domains: {
        type: 'array',
        description: 'Domains ExternalDNS may manage (its domain filters) and cert-manager may issue for.',
        maxItems: MAX_DOMAINS,
        'x-kubernetes-list-type': 'set',
        items: { type: 'string', maxLength: 253, pattern: '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$' },
      },
    }),
    addons: {
      type: 'object',
      description: 'Add-ons Argo CD installs on the cluster.',
      default: {},
      properties: Object.fromEntries(Object.entries(ADDONS).map(([k, a]) => [k, { type: 'boolean', default: a.default, description: a.about }])),
    },
    teardown: TEARDOWN_SPEC,
  },
  'x-kubernetes-validations': [
    {
      rule: "self.environment != 'prod' || !has(self.database) || !self.database.enabled || has(self.database.unprotectedReason) || ((!has(self.database.deletionProtection) || self.database.deletionProtection) && (!has(self.database.finalSnapshot) || self.database.finalSnapshot))",
      message: 'a prod database keeps deletion protection and its final snapshot: to turn either off, say why in database.unprotectedReason',
    },
    ...zoneRules('self.region', 'self.network.availabilityZones', '.network.availabilityZones'),
    {
      rule: '!has(self.network.subnets) || has(self.network.subnets.private)',
      message: "a Cluster's nodes run in private subnets: give network.subnets.private (public-only layouts are for the Network API alone)",
    },
    {
      rule: '!(self.addons.externalDns || self.addons.certManager) || (has(self.dns) && has(self.dns.hostedZoneIds) && size(self.dns.hostedZoneIds) > 0 && has(self.dns.domains) && size(self.dns.domains) > 0)',
      message: 'addons.externalDns and addons.certManager need dns.hostedZoneIds and dns.domains: the zones they may change',
    },
    ...environmentRules(environments, ADDONS),
  ],
});

const conditions: JsonSchema = {
  type: 'array',
  description: "The part's own conditions: Ready says whether it is, and its message what it waits for.",
  items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
};
const part = (what: string, extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  description: what,
  properties: { conditions, ...extra },
});

const status: JsonSchema = {
  type: 'object',
  properties: {
    clusterName: text(
      'EKS cluster name, <readable>-<hash>: every AWS name of this Cluster (IAM roles, interruption queue, rules, KMS aliases, database identifiers, the Argo CD cluster Secret) starts with it.',
    ),
    kubernetesVersion: text('Kubernetes version the control plane runs, as EKS reports it: an upgrade is done when it shows the new version.'),
    endpoint: text('Kubernetes API server URL.'),
    kubeconfigSecret: text('Secret in this namespace with a kubeconfig (key kubeconfig), refreshed by the provider.'),
    database: group('The database, when enabled.', {
      endpoint: text('Writer endpoint.'),
      connectionSecret: text('Secret in this namespace with host, port, database, username and the master secret ARN.'),
      finalSnapshotIdentifier: text('The snapshot RDS takes when the database is deleted with finalSnapshot on; it stays in AWS.'),
      kmsKeyArn: text(
        'The key of the database, its backups and snapshots; it stays in AWS when the database keeps deletion protection or a final snapshot.',
      ),
    }),
    teardown: TEARDOWN_STATUS_SCHEMA,
    parts: group('Each part and its readiness: read this to see what the cluster waits for.', {
      network: part('The Network.'),
      cluster: part('The EKS cluster.'),
      database: part('The database, when enabled.'),
      registration: part('The Argo CD cluster Secret; it appears once the EKS cluster reports its endpoint and CA.'),
    }),
    wiring: group('Internal: values passed from one part to the next.', {
      privateSubnetIds: { type: 'array', items: { type: 'string', nullable: true } },
      dataSubnetIds: { type: 'array', items: { type: 'string', nullable: true } },
      availabilityZoneLetters: { type: 'array', items: { type: 'string', nullable: true } },
      ...Object.fromEntries(
        [
          'vpcId',
          'accountId',
          'caData',
          'clusterSecurityGroupId',
          'nodeRoleName',
          'karpenterRoleArn',
          'karpenterQueueName',
          'externalDnsRoleArn',
          'certManagerRoleArn',
          'externalSecretsRoleArn',
          'loadBalancerControllerRoleArn',
          'argoCdRoleArn',
          'computeMode',
          'databaseSecretArn',
          'databaseKmsKeyArn',
        ].map((k) => [k, text()]),
      ),
      podIdentity: group(
        'Pod Identity associations EKS reports, by add-on: an add-on is enabled in Argo CD only once its association exists.',
        Object.fromEntries(ADDONS_WITH_IDENTITY.map((k) => [k, text()])),
      ),
    }),
  },
};

/** The Cluster API for `environments`: its enum and the rules that depend on them. */
export function clusterApi(environments: readonly Environment[] = ENVIRONMENTS): PlatformApi {
  return new PlatformApi({
    kind: 'Cluster',
    plural: 'clusters',
    spec: specOf(environments),
    status,
    printerColumns: {
      ENVIRONMENT: '.spec.environment',
      REGION: '.spec.region',
      VERSION: '.spec.kubernetes.version',
      RUNNING: '.status.kubernetesVersion',
      CLUSTER: '.status.clusterName',
      TEARDOWN: '.status.teardown.step',
    },
  });
}
