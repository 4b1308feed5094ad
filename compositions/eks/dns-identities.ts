// Identities of the DNS add-ons, ExternalDNS and cert-manager: composed only when the XR names
// hosted zones, and limited to those zones (one policy variant per zone count).
import { type ComposedResource, type PolicyDocument, sizeAtLeast, sizeIs } from '../authoring';
import { MAX_ZONES } from './definition';
import { certManager, externalDns } from './policies';
import { podIdentityRole } from './vocabulary';

interface ZoneRoleProps {
  readonly id: string;
  /** Role name suffix after the cluster name. */
  readonly suffix: string;
  /** The policy for a given number of zones. */
  readonly policy: (zones: number) => PolicyDocument;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** A Pod Identity role limited to the XR's hosted zones. */
function zoneRole(props: ZoneRoleProps): ComposedResource[] {
  const hasZones = sizeAtLeast('spec.dns.hostedZoneIds', 1);
  return podIdentityRole({
    id: props.id,
    suffix: props.suffix,
    namespace: props.namespace,
    serviceAccount: props.serviceAccount,
    inline: Array.from({ length: MAX_ZONES }, (_, i) => ({
      name: `zones-${i + 1}`,
      doc: props.policy(i + 1),
      includeWhen: sizeIs('spec.dns.hostedZoneIds', i + 1),
    })),
    includeWhen: hasZones,
  });
}

export function dnsIdentities(): ComposedResource[] {
  return [
    ...zoneRole({ id: 'external-dns', suffix: '-external-dns', policy: externalDns, namespace: 'external-dns', serviceAccount: 'external-dns' }),
    ...zoneRole({ id: 'cert-manager', suffix: '-cert-manager', policy: certManager, namespace: 'cert-manager', serviceAccount: 'cert-manager' }),
  ];
}
