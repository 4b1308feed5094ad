// External Secrets' IAM document: the environment's Secrets Manager prefixes only, patched in as
// {{prefix0}}, {{prefix1}}..., and of those only the secrets tagged for the XR's namespace.

import { PLATFORM } from '../../../environments/platform';
import { type JsonSchema, type PolicyDocument, policy } from '../../authoring';

/**
 * One of the prefixes the EKS API takes. Secrets Manager ends every secret's ARN with a random
 * suffix (-AbCdEf), so an exact name in the role's policy matches nothing: only a prefix with its
 * `*` works, and anything else is refused with that reason.
 */
/** The longest prefix the EKS API takes, its * included (an environment's too: environments/environment.ts). */
export const MAX_SECRET_PREFIX_LENGTH = 128;

export const SECRET_PREFIX: JsonSchema = {
  type: 'string',
  maxLength: MAX_SECRET_PREFIX_LENGTH,
  pattern: '^[A-Za-z0-9/_+=.@-]+[*]?$',
  'x-kubernetes-validations': [
    {
      rule: "self.endsWith('*')",
      messageExpression:
        "self + ' is not a prefix: end it with * (e.g. ' + self + '*): Secrets Manager appends a random suffix to every secret ARN, so an exact name matches nothing'",
      message: 'a secret prefix must end with *: Secrets Manager appends a random suffix to every secret ARN, so an exact name matches nothing',
    },
  ],
};

/** The database master secret the EKS API lets External Secrets read, with the key that encrypts it. */
export const DATABASE_SECRET: JsonSchema = {
  type: 'object',
  description: "The cluster's database master secret it may also read, and the key that encrypts it (decrypt through Secrets Manager only).",
  required: ['secretArn', 'kmsKeyArn'],
  properties: {
    secretArn: { type: 'string', maxLength: 2048, pattern: '^arn:aws:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$' },
    kmsKeyArn: { type: 'string', maxLength: 2048, pattern: '^arn:aws:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$' },
  },
};

/**
 * The tag a secret carries to be readable by the clusters of one team namespace: its value is the
 * namespace. The environment's prefixes are shared by every team in its account (production/*),
 * so without it any team's cluster admin could read every other team's secrets through their
 * own External Secrets role. Secrets Manager evaluates aws:ResourceTag on GetSecretValue and the
 * other reads (Service Authorization Reference, AWS Secrets Manager: the secret resource type's
 * condition keys).
 */
export const SECRET_OWNER_TAG = `${PLATFORM.apiGroup}/namespace`;

/**
 * External Secrets: read the secrets under the environment's prefixes (one policy variant per
 * prefix count) that are tagged for this XR's namespace, nothing else; listing is not needed to
 * fetch by name.
 */
export const externalSecrets = (n: number): PolicyDocument =>
  policy({
    Sid: 'ReadTheTeamsSecrets',
    Effect: 'Allow',
    Action: [
      'secretsmanager:GetSecretValue',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetResourcePolicy',
      'secretsmanager:ListSecretVersionIds',
    ],
    Resource: Array.from({ length: n }, (_, i) => `arn:aws:secretsmanager:{{region}}:{{accountId}}:secret:{{prefix${i}}}`),
    Condition: { StringEquals: { [`aws:ResourceTag/${SECRET_OWNER_TAG}`]: '{{namespace}}' } },
  });

/**
 * External Secrets and the cluster's database: the master secret RDS manages for it (`rds!cluster-...`,
 * outside every prefix) and decrypt with the database's own key, only when Secrets Manager asks
 * (kms:ViaService), so the key opens nothing else for it
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
 */
export const EXTERNAL_SECRETS_DATABASE: PolicyDocument = policy(
  {
    Sid: 'ReadTheDatabaseMasterSecret',
    Effect: 'Allow',
    Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
    Resource: '{{databaseSecretArn}}',
  },
  {
    Sid: 'DecryptItWithTheDatabaseKeyOnly',
    Effect: 'Allow',
    Action: 'kms:Decrypt',
    Resource: '{{databaseKeyArn}}',
    Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.{{region}}.amazonaws.com' } },
  },
);
