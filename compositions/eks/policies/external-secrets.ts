// External Secrets' IAM document: the environment's Secrets Manager prefixes only, patched in as
// {{prefix0}}, {{prefix1}}...
import { type PolicyDocument, policy } from '../../authoring';

/**
 * External Secrets: read the secrets under the environment's prefixes (one policy variant per
 * prefix count), nothing else; listing is not needed to fetch by name.
 */
export const externalSecrets = (n: number): PolicyDocument =>
  policy({
    Sid: 'ReadTheEnvironmentsSecrets',
    Effect: 'Allow',
    Action: [
      'secretsmanager:GetSecretValue',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetResourcePolicy',
      'secretsmanager:ListSecretVersionIds',
    ],
    Resource: Array.from({ length: n }, (_, i) => `arn:aws:secretsmanager:{{region}}:{{accountId}}:secret:{{prefix${i}}}`),
  });
