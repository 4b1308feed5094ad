// Who may use the cluster, through EKS access entries: the platform admins, Argo CD and the
// kubeconfig Secret's identity (the role the providers act as) as cluster admins, and the nodes Karpenter (Managed) or Auto Mode launches, by their one role.
import { AccessEntry, AccessPolicyAssociation } from '../../imports/eks.aws.m.upbound.io';
import { type ComposedResource, type Condition, fromXr, mapping, PATCHED, present, serviceTrust, sizeAtLeast } from '../authoring';
import { MAX_ADMINS } from './definition';
import { NODE_ROLE_ARN, NODE_ROLE_SUFFIX } from './policies';
import { AUTO, arnPatch, EKS_ACCESS_POLICY, MANAGED, part, role } from './vocabulary';

/** Access to the cluster with an EKS access policy, for every namespace. */
function accessPolicy(policy: string) {
  return {
    region: PATCHED,
    clusterNameSelector: part('cluster'),
    policyArn: `${EKS_ACCESS_POLICY}${policy}`,
    accessScope: { type: 'cluster' },
    principalArn: PATCHED,
  };
}

/** An access entry for a principal given in the XR, with the cluster-admin policy. */
function adminAccess(id: string, principalFrom: string, includeWhen: Condition): ComposedResource[] {
  return [
    {
      name: `access-${id}`,
      base: AccessEntry.manifest({
        spec: { forProvider: { region: PATCHED, clusterNameSelector: part('cluster'), type: 'STANDARD', principalArn: PATCHED } },
      }),
      patches: [fromXr(principalFrom, 'spec.forProvider.principalArn')],
      includeWhen,
    },
    {
      name: `access-${id}-admin`,
      base: AccessPolicyAssociation.manifest({ spec: { forProvider: accessPolicy('AmazonEKSClusterAdminPolicy') } }),
      patches: [fromXr(principalFrom, 'spec.forProvider.principalArn')],
      includeWhen,
    },
  ];
}

export function access(): ComposedResource[] {
  return [
    ...Array.from({ length: MAX_ADMINS }, (_, i) =>
      adminAccess(`admin-${i}`, `spec.access.adminRoleArns[${i}]`, sizeAtLeast('spec.access.adminRoleArns', i + 1)),
    ).flat(),
    ...adminAccess('argocd', 'spec.access.argoCdRoleArn', present('spec.access.argoCdRoleArn')),
    // The kubeconfig Secret's token is minted with the providers' identity (ClusterAuth): without
    // an entry of its own, every call with it is refused. provider-kubernetes drains the cluster
    // through that kubeconfig before the Cluster API deletes it (compositions/cluster/teardown.ts).
    ...adminAccess('provider', 'spec.access.providerRoleArn', present('spec.access.providerRoleArn')),

    // Nodes Karpenter (Managed) or Auto Mode launches: one role, with the access entry type each needs.
    ...role({
      id: 'nodes',
      suffix: NODE_ROLE_SUFFIX,
      trust: serviceTrust('ec2.amazonaws.com'),
      managed: [
        { policy: 'AmazonEKSWorkerNodePolicy', includeWhen: MANAGED },
        { policy: 'AmazonEKS_CNI_Policy', includeWhen: MANAGED },
        { policy: 'AmazonSSMManagedInstanceCore', includeWhen: MANAGED },
        { policy: 'AmazonEKSWorkerNodeMinimalPolicy', includeWhen: AUTO },
        { policy: 'AmazonEC2ContainerRegistryPullOnly' },
      ],
    }),
    {
      name: 'access-nodes',
      base: AccessEntry.manifest({
        spec: { forProvider: { region: PATCHED, clusterNameSelector: part('cluster'), type: PATCHED, principalArnFromRoleSelector: part('nodes') } },
      }),
      patches: [fromXr('spec.computeMode', 'spec.forProvider.type', { transforms: [mapping({ Managed: 'EC2_LINUX', Auto: 'EC2' })] })],
    },
    {
      name: 'access-nodes-auto',
      base: AccessPolicyAssociation.manifest({ spec: { forProvider: accessPolicy('AmazonEKSAutoNodePolicy') } }),
      patches: [arnPatch(NODE_ROLE_ARN, 'spec.forProvider.principalArn')],
      includeWhen: AUTO,
    },
  ];
}
