// ExternalDNS's record cleanup, the step after the drain: one more ExternalDNS run in the workload
// cluster (workload.ts), with `--policy=sync --once` (flag `once`: "exits the synchronization loop
// after the first iteration"), the add-on's own service account (its Pod Identity role) and the
// same owner id: it deletes the records this cluster owns whose sources the drain removed, also
// in environments whose ExternalDNS runs upsert-only and never deletes.
import { IMAGES, imageRef } from '../../catalog';
import { type ComposedResource, type Condition, format, fromXr, prefer, xr } from '../authoring';
import { ON_SYSTEM_NODES, RESTRICTED, SMALL, workloadObject } from './workload';

/** The cleanup Job's Object (its composition-resource-name). */
export const DNS_CLEANUP = 'dns-cleanup';
export const DNS_JOB = { namespace: 'external-dns', name: 'drydock-dns-cleanup', serviceAccount: 'external-dns' } as const;

/** The arguments of the one-shot ExternalDNS run; the owner id and domains are patched per cluster. */
const DOMAIN_SLOTS = 3;
const DNS_ARGS = ['--provider=aws', '--source=service', '--source=ingress', '--registry=txt', '--policy=sync', '--once'];

/**
 * ExternalDNS once more, with `--policy=sync` and the add-on's own identity (its service account's
 * Pod Identity) and owner id: the records this cluster owns whose sources the drain removed are
 * deleted, even in environments whose ExternalDNS runs upsert-only and never deletes.
 */
export function dnsCleanup(includeWhen: Condition): ComposedResource {
  const args = `spec.forProvider.manifest.spec.template.spec.containers[0].args`;
  return workloadObject(
    DNS_CLEANUP,
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: DNS_JOB.name, namespace: DNS_JOB.namespace },
      spec: {
        backoffLimit: 10,
        template: {
          spec: {
            serviceAccountName: DNS_JOB.serviceAccount,
            restartPolicy: 'Never',
            ...ON_SYSTEM_NODES,
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'external-dns',
                image: imageRef(IMAGES.externalDns),
                // The owner id and each domain filter are patched in after these.
                args: [...DNS_ARGS],
                env: [{ name: 'AWS_DEFAULT_REGION' }],
                securityContext: RESTRICTED,
                resources: SMALL,
              },
            ],
          },
        },
      },
    },
    {
      job: true,
      includeWhen,
      patches: [
        fromXr('status.clusterName', `${args}[${DNS_ARGS.length}]`, { transforms: [format('--txt-owner-id=%s')] }),
        // Up to three domains; where fewer are given, the first one fills the slot again.
        ...Array.from({ length: DOMAIN_SLOTS }, (_, i) =>
          prefer(
            [xr(`spec.dns.domains[${i}]`, { format: '--domain-filter=%s' }), xr('spec.dns.domains[0]', { format: '--domain-filter=%s' })],
            `${args}[${DNS_ARGS.length + 1 + i}]`,
          ),
        ).flat(),
        fromXr('spec.region', 'spec.forProvider.manifest.spec.template.spec.containers[0].env[0].value'),
      ],
    },
  );
}
