import { AURORA_POSTGRESQL_DEFAULT_VERSION } from '../../catalog';
import {
  AUTO_PAUSE_FIELD,
  CLUSTER_NAME,
  capacityRules,
  engineVersionField,
  type JsonSchema,
  PlatformApi,
  PROVIDER_CONFIG_NAME,
  REGION,
  text,
} from '../authoring';
import { APPLICATIONS_SCHEMA, MAX_APPLICATIONS } from './access';

/** Readers a Database can have, beside its writer: one per extra zone of a three-zone network. */
export const MAX_READERS = 2;
/** The master user when a Database names none (a Cluster never does): no application may connect as it. */
export const DEFAULT_MASTER_USERNAME = 'dbadmin';

/**
 * The longest suffix composition adds to the identifier (`-reader-2`), so the identifier stays
 * within RDS's 63-character limit for instance identifiers.
 */
const LONGEST_SUFFIX = '-reader-2';
export const MAX_IDENTIFIER = 63 - LONGEST_SUFFIX.length;

/** A private IPv4 block (RFC 1918 or the shared CGNAT range) that can reach the database. */
const privateCidr: JsonSchema = {
  type: 'string',
  maxLength: 18,
  'x-kubernetes-validations': [
    { rule: 'isCIDR(self) && cidr(self).ip().family() == 4', message: 'must be an IPv4 CIDR such as 10.0.0.0/18' },
    {
      rule: "!isCIDR(self) || ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].exists(p, cidr(p).containsCIDR(self))",
      message: 'only private address ranges may reach the database (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10): never 0.0.0.0/0',
    },
  ],
};

/**
 * An ACU bound. The half-unit step is a CEL rule, not `multipleOf`: the API server checks an
 * integer value (such as a default of 4) against an integer-truncated factor, so `multipleOf: 0.5`
 * makes it refuse the CRD.
 */
const acu = (what: string, minimum: number, fallback: number): JsonSchema => ({
  type: 'number',
  description: `${what}, ${minimum} to 256 ACU in steps of 0.5 (the engine version may allow less: see engineVersion).`,
  minimum,
  maximum: 256,
  default: fallback,
  'x-kubernetes-validations': [
    { rule: 'double(int(self * 2.0)) == self * 2.0', message: 'capacity must be a multiple of 0.5 ACU (e.g. 0.5, 1, 1.5)' },
  ],
});

const spec: JsonSchema = {
  type: 'object',
  description: "An Aurora PostgreSQL Serverless v2 cluster in a network's isolated data subnets: encrypted, private, backed up.",
  required: ['region', 'network', 'allowedFrom'],
  properties: {
    region: REGION,
    identifier: {
      type: 'string',
      description: `RDS cluster identifier, also the prefix of its instances. Defaults to the Database's name. At most ${MAX_IDENTIFIER} characters.`,
      maxLength: 63,
      'x-kubernetes-validations': [
        {
          rule: `size(self) <= ${MAX_IDENTIFIER}`,
          message: `identifier must be at most ${MAX_IDENTIFIER} characters: RDS allows 63 and instance identifiers add "${LONGEST_SUFFIX}"`,
        },
        {
          rule: "self.matches('^[a-z]([a-z0-9]|-[a-z0-9])*$')",
          message: 'identifier must start with a letter and use lowercase letters, digits and single hyphens, not ending with one (RDS rules)',
        },
      ],
    },
    network: {
      type: 'object',
      description: 'Where the database lives: a VPC and its isolated data subnets (from a Network, or an existing VPC).',
      required: ['vpcId', 'subnetIds'],
      properties: {
        vpcId: { type: 'string', description: 'VPC ID.', pattern: '^vpc-[0-9a-f]{8,17}$' },
        subnetIds: {
          type: 'array',
          description: 'Data subnet IDs, in at least two availability zones.',
          minItems: 2,
          maxItems: 6,
          'x-kubernetes-list-type': 'set',
          items: { type: 'string', pattern: '^subnet-[0-9a-f]{8,17}$' },
        },
        availabilityZones: {
          type: 'array',
          description: 'Zone letters of the subnets, in order. The writer goes to the first, reader N to zone N+1. Defaults to letting RDS choose.',
          minItems: 2,
          maxItems: 3,
          'x-kubernetes-list-type': 'set',
          items: { type: 'string', pattern: '^[a-z]$', maxLength: 1 },
        },
      },
    },
    allowedFrom: {
      type: 'object',
      description: "Who may connect on the PostgreSQL port: the cluster's node security group and/or private CIDRs. Nothing else is admitted.",
      properties: {
        securityGroupId: {
          type: 'string',
          description: "A security group (usually the EKS cluster's) whose members may connect.",
          pattern: '^sg-[0-9a-f]{8,17}$',
        },
        cidrBlocks: {
          type: 'array',
          description: 'Private CIDRs (usually the private subnets) that may connect.',
          maxItems: 3,
          'x-kubernetes-list-type': 'set',
          items: privateCidr,
        },
      },
      'x-kubernetes-validations': [
        {
          rule: 'has(self.securityGroupId) || (has(self.cidrBlocks) && size(self.cidrBlocks) > 0)',
          message: 'allowedFrom needs a securityGroupId or at least one private CIDR in cidrBlocks',
        },
      ],
    },
    engineVersion: engineVersionField({
      fallback: `default ${AURORA_POSTGRESQL_DEFAULT_VERSION}, a long-term support release`,
      default: AURORA_POSTGRESQL_DEFAULT_VERSION,
    }),
    capacity: {
      type: 'object',
      description:
        'Serverless v2 capacity in Aurora capacity units (ACU), in steps of 0.5. 0 as minimum lets the cluster pause when idle (secondsUntilAutoPause after the last connection).',
      default: { minAcu: 0.5, maxAcu: 4 },
      properties: {
        minAcu: acu('Lowest capacity', 0, 0.5),
        maxAcu: acu('Highest capacity', 1, 4),
        secondsUntilAutoPause: AUTO_PAUSE_FIELD,
      },
      'x-kubernetes-validations': [
        { rule: 'self.minAcu <= self.maxAcu', message: 'capacity.minAcu must not exceed capacity.maxAcu' },
        {
          rule: '!has(self.secondsUntilAutoPause) || self.minAcu == 0.0',
          message: 'capacity.secondsUntilAutoPause needs minAcu 0 (AWS refuses it otherwise): set minAcu to 0, or drop secondsUntilAutoPause',
        },
      ],
    },
    databaseName: {
      type: 'string',
      description:
        'Name of the database created in the cluster: a PostgreSQL identifier (lowercase letter first, then letters, digits, underscores).',
      default: 'app',
      maxLength: 63,
      pattern: '^[a-z][a-z0-9_]*$',
    },
    masterUsername: {
      type: 'string',
      description: 'Master user; its password is generated and kept in Secrets Manager, never in Kubernetes.',
      default: DEFAULT_MASTER_USERNAME,
      maxLength: 16,
      pattern: '^[a-z][a-z0-9_]*$',
      'x-kubernetes-validations': [
        { rule: "!(self in ['rdsadmin', 'postgres', 'admin'])", message: 'masterUsername must not be a reserved name (rdsadmin, postgres, admin)' },
      ],
    },
    iamAuthentication: { type: 'boolean', description: 'Allow IAM database authentication (tokens instead of passwords).', default: true },
    readers: {
      type: 'integer',
      description: `Reader instances beside the writer, each in another zone (Multi-AZ), 0 to ${MAX_READERS}.`,
      minimum: 0,
      maximum: MAX_READERS,
      default: 0,
    },
    backup: {
      type: 'object',
      description: 'Automated backups (point-in-time restore within the retention).',
      default: { retentionDays: 7, window: '03:00-04:00' },
      properties: {
        retentionDays: { type: 'integer', description: 'Days of backups kept, 1 to 35.', minimum: 1, maximum: 35, default: 7 },
        window: {
          type: 'string',
          description: 'Daily backup window, UTC, hh:mm-hh:mm (at least 30 minutes).',
          default: '03:00-04:00',
          pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$',
        },
      },
    },
    performanceInsights: { type: 'boolean', description: 'Performance Insights on every instance, encrypted with the database key.', default: false },
    deletionProtection: {
      type: 'boolean',
      description: 'Refuse deletion of the cluster in AWS. On by default; turning it off must be written explicitly.',
      default: true,
    },
    finalSnapshot: {
      type: 'boolean',
      description: 'Take a final snapshot when the cluster is deleted. On by default; turning it off must be written explicitly.',
      default: true,
    },
    parameters: {
      type: 'array',
      description: 'Extra cluster parameters, set by the platform. rds.force_ssl is always 1 and cannot be changed.',
      maxItems: 8,
      items: {
        type: 'object',
        required: ['name', 'value'],
        properties: {
          name: { type: 'string', maxLength: 64, pattern: '^[a-z_.]+$' },
          value: { type: 'string', maxLength: 256 },
          applyMethod: { type: 'string', enum: ['immediate', 'pending-reboot'], default: 'pending-reboot' },
        },
        'x-kubernetes-validations': [{ rule: "self.name != 'rds.force_ssl'", message: 'rds.force_ssl is always 1: connections must use TLS' }],
      },
    },
    access: {
      type: 'object',
      description: 'Who connects with IAM authentication (iamAuthentication): applications on an EKS cluster, each as its own database user.',
      properties: {
        clusterName: { ...CLUSTER_NAME, description: 'The EKS cluster the applications run on (their Pod Identity associations).' },
        accountId: { type: 'string', description: 'AWS account ID of the database (in the connect policy ARN).', pattern: '^[0-9]{12}$' },
        applications: APPLICATIONS_SCHEMA,
      },
    },
    providerConfigName: PROVIDER_CONFIG_NAME,
  },
  'x-kubernetes-validations': [
    ...capacityRules({ engineVersion: 'engineVersion', minAcu: 'capacity.minAcu', maxAcu: 'capacity.maxAcu' }),
    {
      rule: '!has(self.access) || !has(self.access.applications) || (has(self.access.clusterName) && has(self.access.accountId))',
      message: 'access.applications needs access.clusterName (their EKS cluster) and access.accountId',
    },
    {
      rule: '!has(self.access) || !has(self.access.applications) || self.iamAuthentication',
      message: 'access.applications connect with IAM authentication: keep iamAuthentication true',
    },
    {
      // The master user's password is in Secrets Manager; an IAM token must not open it as well.
      rule: '!has(self.access) || !has(self.access.applications) || self.access.applications.all(a, a.user != self.masterUsername)',
      message: 'an application must not connect as the master user: give it a user of its own',
    },
  ],
};

const status: JsonSchema = {
  type: 'object',
  properties: {
    endpoint: text('Writer endpoint (host name).'),
    readerEndpoint: text('Reader endpoint (host name), balanced over the readers.'),
    port: { type: 'integer', description: 'PostgreSQL port.' },
    databaseName: text('Database created in the cluster.'),
    masterSecretArn: text('ARN of the Secrets Manager secret with the master credentials.'),
    clusterArn: text('ARN of the Aurora cluster.'),
    kmsKeyArn: text(
      'ARN of the KMS key that encrypts storage, backups, snapshots and the master secret. Kept in AWS when the database is deleted while it keeps deletion protection or a final snapshot (alias alias/rds/<identifier>).',
    ),
    deletionProtection: {
      type: 'boolean',
      description:
        'Deletion protection as AWS reports it. While it is on (or asked for), a delete of this Database is refused and nothing is deleted.',
    },
    finalSnapshotIdentifier: text('The snapshot RDS takes when the database is deleted (when finalSnapshot is on); it is kept, with the key.'),
    performanceInsightsKmsKeyArn: text('Internal: ARN of the key Performance Insights uses (the same key), present only while it is on.'),
    securityGroupId: text('ID of the security group guarding the PostgreSQL port.'),
    clusterResourceId: text('The cluster resource ID (cluster-...) IAM authentication policies name.'),
    access: {
      type: 'object',
      description: 'What the applications of spec.access got.',
      properties: {
        roleArns: {
          type: 'array',
          description: `The IAM role of each application, in the order of spec.access.applications (up to ${MAX_APPLICATIONS}).`,
          items: { type: 'string', nullable: true },
        },
      },
    },
  },
};

export function databaseApi(): PlatformApi {
  return new PlatformApi({
    kind: 'Database',
    plural: 'databases',
    spec,
    status,
    printerColumns: {
      VERSION: '.spec.engineVersion',
      ACU: '.spec.capacity.maxAcu',
      ENDPOINT: '.status.endpoint',
    },
  });
}
