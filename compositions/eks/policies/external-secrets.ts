// External Secrets' IAM document: the environment's Secrets Manager prefixes only, patched in as
// {{prefix0}}, {{prefix1}}..., and of those only the secrets tagged for the XR's namespace.

import { PLATFORM } from '../../../environments/platform';
import { type PolicyDocument, policy } from '../../authoring';

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
