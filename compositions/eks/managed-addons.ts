// EKS managed add-ons (Managed mode; Auto Mode runs its own): the VPC CNI with prefix delegation,
// CoreDNS, kube-proxy, the Pod Identity agent and the EBS CSI driver with its identity. Their
// versions come from the catalog, per Kubernetes version (catalog/eks.ts).
import { type EksManagedAddonVersions, KUBERNETES, managedAddonsFor } from '../../catalog';
import { Addon } from '../../imports/eks.aws.m.upbound.io';
import { type ComposedResource, mapping, merge, PATCHED, prefer, xr } from '../authoring';
import { AWS_POLICY, MANAGED, part, podIdentityRole } from './vocabulary';

interface AddonProps {
  /** The EKS add-on name. */
  readonly name: string;
  /** Its field in the catalog's add-on versions. */
  readonly catalog: keyof EksManagedAddonVersions;
  /** More of the add-on's `forProvider` (its configuration values). @default - none */
  readonly forProvider?: Record<string, unknown>;
}

/** The add-on's version for each Kubernetes version a cluster may run (offered or not yet moved off). */
const versionsOf = (field: keyof EksManagedAddonVersions) =>
  mapping(Object.fromEntries(Object.keys(KUBERNETES.order).flatMap((k) => (KUBERNETES.release(k)?.addons ? [[k, managedAddonsFor(k)[field]]] : []))));

/**
 * A managed add-on at the catalog's version for the Kubernetes version the control plane reports;
 * before the cluster is observed, for the version the XR asks for (the one it is created at). So
 * an upgrade moves the add-ons only after the control plane, as EKS asks. Without a version the
 * provider would keep whatever EKS picked at creation for ever (it late-initializes the field).
 * Conflicts are resolved in our favour.
 */
function addon(props: AddonProps): ComposedResource {
  const forProvider = {
    region: PATCHED,
    clusterNameSelector: part('cluster'),
    addonName: props.name,
    resolveConflictsOnCreate: 'OVERWRITE',
    resolveConflictsOnUpdate: 'OVERWRITE',
  };
  const versions = versionsOf(props.catalog);
  return {
    name: `addon-${props.name}`,
    base: Addon.manifest({ spec: { forProvider: merge(forProvider, props.forProvider) } }),
    patches: prefer(
      [xr('status.kubernetesVersion', { transforms: [versions] }), xr('spec.version', { transforms: [versions] })],
      'spec.forProvider.addonVersion',
    ),
    includeWhen: MANAGED,
  };
}

export function managedAddons(): ComposedResource[] {
  return [
    addon({
      name: 'vpc-cni',
      catalog: 'vpcCni',
      forProvider: { configurationValues: JSON.stringify({ env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } }) },
    }),
    addon({ name: 'coredns', catalog: 'coredns' }),
    addon({ name: 'kube-proxy', catalog: 'kubeProxy' }),
    addon({ name: 'eks-pod-identity-agent', catalog: 'podIdentityAgent' }),
    addon({ name: 'aws-ebs-csi-driver', catalog: 'ebsCsiDriver' }),
    ...podIdentityRole({
      id: 'ebs-csi',
      suffix: '-ebs-csi',
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
      managed: [{ policy: `${AWS_POLICY}service-role/AmazonEBSCSIDriverPolicy` }],
      includeWhen: MANAGED,
    }),
  ];
}
