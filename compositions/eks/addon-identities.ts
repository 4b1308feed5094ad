// Identities of opt-in add-ons, composed only when the XR enables them: External Secrets (limited
// to the environment's Secrets Manager prefixes) and the AWS Load Balancer Controller.
import { type ComposedResource, present, sizeIs } from '../authoring';
import { MAX_SECRET_PREFIXES } from './definition';
import { AWS_LOAD_BALANCER_CONTROLLER, EXTERNAL_SECRETS_DATABASE, externalSecrets } from './policies';
import { EXTERNAL_SECRETS, LOAD_BALANCER_CONTROLLER, podIdentityRole } from './vocabulary';

export function addonIdentities(): ComposedResource[] {
  return [
    ...podIdentityRole({
      id: 'external-secrets',
      suffix: '-external-secrets',
      namespace: 'external-secrets',
      serviceAccount: 'external-secrets',
      inline: [
        ...Array.from({ length: MAX_SECRET_PREFIXES }, (_, i) => ({
          name: `prefixes-${i + 1}`,
          doc: externalSecrets(i + 1),
          includeWhen: sizeIs('spec.externalSecrets.secretPrefixes', i + 1),
        })),
        // The cluster's database master secret, once the database reports it.
        {
          name: 'database-secret',
          doc: EXTERNAL_SECRETS_DATABASE,
          includeWhen: present('spec.externalSecrets.database.kmsKeyArn'),
        },
      ],
      includeWhen: EXTERNAL_SECRETS,
    }),
    ...podIdentityRole({
      id: 'load-balancer-controller',
      suffix: '-lb-controller',
      namespace: 'kube-system',
      serviceAccount: 'aws-load-balancer-controller',
      inline: [{ name: 'controller', doc: AWS_LOAD_BALANCER_CONTROLLER }],
      includeWhen: LOAD_BALANCER_CONTROLLER,
    }),
  ];
}
