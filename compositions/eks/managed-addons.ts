// EKS managed add-ons (Managed mode; Auto Mode runs its own): the VPC CNI with prefix delegation,
// CoreDNS, kube-proxy, the Pod Identity agent and the EBS CSI driver with its identity.
import { Addon } from '../../imports/eks.aws.m.upbound.io';
import { type ComposedResource, fromXr, merge, PATCHED, POD_IDENTITY_TRUST } from '../authoring';
import { AWS_POLICY, MANAGED, part, podIdentity, role } from './vocabulary';

interface AddonProps {
  /** The EKS add-on name. */
  readonly name: string;
  /** The field of `spec.addons` that pins its version. */
  readonly field: string;
  /** More of the add-on's `forProvider` (its configuration values). @default - none */
  readonly forProvider?: Record<string, unknown>;
}

/** A managed add-on, versioned by the XR when it pins one; conflicts are resolved in its favour. */
function addon(props: AddonProps): ComposedResource {
  const forProvider = {
    region: PATCHED,
    clusterNameSelector: part('cluster'),
    addonName: props.name,
    resolveConflictsOnCreate: 'OVERWRITE',
    resolveConflictsOnUpdate: 'OVERWRITE',
  };
  return {
    name: `addon-${props.name}`,
    base: Addon.manifest({ spec: { forProvider: merge(forProvider, props.forProvider) } }),
    patches: [fromXr(`spec.addons.${props.field}.version`, 'spec.forProvider.addonVersion')],
    includeWhen: MANAGED,
  };
}

export function managedAddons(): ComposedResource[] {
  return [
    addon({
      name: 'vpc-cni',
      field: 'vpcCni',
      forProvider: { configurationValues: JSON.stringify({ env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } }) },
    }),
    addon({ name: 'coredns', field: 'coredns' }),
    addon({ name: 'kube-proxy', field: 'kubeProxy' }),
    addon({ name: 'eks-pod-identity-agent', field: 'podIdentityAgent' }),
    addon({ name: 'aws-ebs-csi-driver', field: 'ebsCsiDriver' }),
    podIdentity({ id: 'ebs-csi', namespace: 'kube-system', serviceAccount: 'ebs-csi-controller-sa', includeWhen: MANAGED }),
    ...role({
      id: 'ebs-csi',
      suffix: '-ebs-csi',
      trust: POD_IDENTITY_TRUST,
      managed: [{ policy: `${AWS_POLICY}service-role/AmazonEBSCSIDriverPolicy` }],
      includeWhen: MANAGED,
    }),
  ];
}
