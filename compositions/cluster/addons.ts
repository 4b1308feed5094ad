// The add-ons of the Cluster API: the toggles a developer switches, each with its default, its
// chart (catalog/versions.ts) and whether its pods need a Pod Identity association.
import type { ChartName } from '../../catalog';

/**
 * Add-ons a developer can switch, with their defaults and their chart (catalog/versions.ts). DNS
 * add-ons need hosted zones. `podIdentity`: its pods take AWS credentials from a Pod Identity
 * association the EKS API composes (and reports in status.podIdentity under the same key).
 */
export const ADDONS = {
  karpenter: {
    default: true,
    label: 'enable_karpenter',
    about: 'Karpenter node autoscaling (not on Auto Mode clusters)',
    chart: 'karpenter',
    podIdentity: true,
  },
  externalDns: {
    default: false,
    label: 'enable_external_dns',
    about: 'ExternalDNS for the hosted zones in dns',
    chart: 'external-dns',
    podIdentity: true,
  },
  certManager: {
    default: false,
    label: 'enable_cert_manager',
    about: "cert-manager with Let's Encrypt issuers (DNS-01 in the hosted zones)",
    chart: 'cert-manager',
    podIdentity: true,
  },
  awsLoadBalancerController: {
    default: false,
    label: 'enable_aws_load_balancer_controller',
    about: 'AWS Load Balancer Controller: the way in (Ingress, Gateway API)',
    chart: 'aws-load-balancer-controller',
    podIdentity: true,
  },
  ingressNginx: {
    default: false,
    label: 'enable_ingress_nginx',
    about: 'DEPRECATED: ingress-nginx was retired upstream in 2026; use awsLoadBalancerController',
    chart: 'ingress-nginx',
  },
  externalSecrets: {
    default: false,
    label: 'enable_external_secrets',
    about:
      "External Secrets with a store for this environment's Secrets Manager prefixes: the secrets there tagged platform.drydock.dev/namespace with this Cluster's namespace",
    chart: 'external-secrets',
    podIdentity: true,
  },
  monitoring: { default: false, label: 'enable_kube_prometheus_stack', about: 'kube-prometheus-stack', chart: 'kube-prometheus-stack' },
} as const satisfies Record<string, { default: boolean; label: string; about: string; chart: ChartName; podIdentity?: true }>;
export type Addon = keyof typeof ADDONS;
/** The add-ons whose pods need their Pod Identity association before they start. */
export const ADDONS_WITH_IDENTITY = (Object.keys(ADDONS) as Addon[]).filter((a) => 'podIdentity' in ADDONS[a]);
