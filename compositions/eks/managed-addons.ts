// EKS managed add-ons (Managed mode; Auto Mode runs its own): the VPC CNI with prefix delegation,
// CoreDNS, kube-proxy, the Pod Identity agent and the EBS CSI driver with its identity. Their
// versions come from the catalog, per Kubernetes version (catalog/eks.ts).
//
// The EBS CSI identity rides on the add-on (Addon.forProvider.podIdentityAssociation): EKS creates
// the association with the add-on, so its controller pods never start without credentials. A
// separate PodIdentityAssociation races the add-on: EKS injects credentials only into pods created
// after the association exists, and hop limit 1 keeps pods from the node's instance metadata.
// The other managed add-ons need no identity of their own (the VPC CNI uses the node role).
import { type EksManagedAddonVersions, KUBERNETES, managedAddonsFor } from '../../catalog';
import { Addon } from '../../imports/eks.aws.m.upbound.io';
import { type ComposedResource, type Condition, fromXr, mapping, merge, PATCHED, type Patch, prefer, present, when, xr } from '../authoring';
import { AWS_POLICY, MANAGED, part, podIdentityRole } from './vocabulary';

interface AddonProps {
  /** The EKS add-on name. */
  readonly name: string;
  /** Its field in the catalog's add-on versions. */
  readonly catalog: keyof EksManagedAddonVersions;
  /** More of the add-on's `forProvider` (its configuration values). @default - none */
  readonly forProvider?: Record<string, unknown>;
  /** More patches (values known only later). @default - none */
  readonly patches?: readonly Patch[];
  /** More conditions it waits for. @default - none */
  readonly waitsFor?: Condition;
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
    patches: [
      ...prefer(
        [xr('status.kubernetesVersion', { transforms: [versions] }), xr('spec.version', { transforms: [versions] })],
        'spec.forProvider.addonVersion',
      ),
      ...(props.patches ?? []),
    ],
    includeWhen: when(MANAGED, props.waitsFor),
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
    addon({
      name: 'aws-ebs-csi-driver',
      catalog: 'ebsCsiDriver',
      forProvider: { podIdentityAssociation: [{ serviceAccount: 'ebs-csi-controller-sa', roleArn: PATCHED }] },
      // The add-on waits for its role (a condition, not a Required patch, which would hold the XR
      // unready in Auto Mode, where it is never composed): created with the association, never before.
      patches: [fromXr('status.roles.ebsCsiDriver', 'spec.forProvider.podIdentityAssociation[0].roleArn')],
      waitsFor: present('status.roles.ebsCsiDriver'),
    }),
    ...podIdentityRole({
      id: 'ebs-csi',
      suffix: '-ebs-csi',
      namespace: 'kube-system',
      serviceAccount: 'ebs-csi-controller-sa',
      associationOnAddon: true,
      managed: [{ policy: `${AWS_POLICY}service-role/AmazonEBSCSIDriverPolicy` }],
      includeWhen: MANAGED,
    }),
  ];
}
