// The control plane: the EKS cluster (Managed, or Auto Mode where EKS runs the nodes), the KMS
// key that envelope-encrypts its Secrets, its IAM role, and a kubeconfig Secret for the XR.
import { Cluster, ClusterAuth } from '../../imports/eks.aws.m.upbound.io';
import { Alias, Key } from '../../imports/kms.aws.m.upbound.io';
import { type ComposedResource, combineFromXr, EXTERNAL_NAME, fromXr, MINE, merge, PATCHED, type Patch, serviceTrust, usage } from '../authoring';
import { NODE_ROLE_ARN } from './policies';
import { AUTO, arnPatch, MANAGED, NAMES, PARTS, part, role } from './vocabulary';

/** The cluster as EKS creates it; Auto Mode adds compute, storage and load balancing run by EKS. */
function clusterBase(auto: boolean) {
  const forProvider = {
    region: PATCHED,
    version: PATCHED,
    roleArnSelector: part('cluster'),
    accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
    vpcConfig: { endpointPrivateAccess: true },
    encryptionConfig: { resources: ['secrets'], provider: { keyArn: PATCHED } },
    upgradePolicy: { supportType: PATCHED },
  };
  const autoMode = {
    bootstrapSelfManagedAddons: false,
    computeConfig: { enabled: true, nodePools: ['general-purpose', 'system'], nodeRoleArn: PATCHED },
    storageConfig: { blockStorage: { enabled: true } },
    kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
  };
  return Cluster.manifest({ metadata: PARTS.on({ part: 'cluster' }), spec: { forProvider: merge(forProvider, auto ? autoMode : undefined) } });
}

const clusterPatches = (): Patch[] => [
  ...NAMES.stem(EXTERNAL_NAME),
  ...NAMES.stem('spec.forProvider.tags[Name]'),
  fromXr('spec.version', 'spec.forProvider.version'),
  fromXr('spec.supportType', 'spec.forProvider.upgradePolicy.supportType'),
  fromXr('spec.subnetIds', 'spec.forProvider.vpcConfig.subnetIds'),
  fromXr('spec.endpoint.public', 'spec.forProvider.vpcConfig.endpointPublicAccess'),
  fromXr('spec.endpoint.publicAccessCidrs', 'spec.forProvider.vpcConfig.publicAccessCidrs'),
  fromXr('spec.logTypes', 'spec.forProvider.enabledClusterLogTypes'),
  // Envelope encryption needs the key's ARN (the field has no selector): wait for the key.
  fromXr('status.kmsKeyArn', 'spec.forProvider.encryptionConfig.provider.keyArn', { required: true }),
];

export function controlPlane(): ComposedResource[] {
  return [
    // Envelope encryption of Kubernetes secrets.
    {
      name: 'kms-key',
      base: Key.manifest({
        metadata: PARTS.on({ part: 'kms-key' }),
        spec: { forProvider: { region: PATCHED, enableKeyRotation: true, deletionWindowInDays: 30, keyUsage: 'ENCRYPT_DECRYPT' } },
      }),
      patches: [...NAMES.format('spec.forProvider.description', 'Kubernetes secrets of EKS cluster %s'), ...NAMES.tag('-secrets')],
    },
    // The key is scheduled for deletion only once the cluster is gone: a cluster whose key is
    // disabled cannot read its own Secrets, and its add-ons run until the very end of a teardown.
    usage({
      name: 'usage-kms-key-by-cluster',
      of: { apiVersion: Key.GVK.apiVersion, kind: Key.GVK.kind, selector: PARTS.select({ part: 'kms-key' }) },
      by: { apiVersion: Cluster.GVK.apiVersion, kind: Cluster.GVK.kind, selector: part('cluster') },
    }),
    {
      name: 'kms-alias',
      base: Alias.manifest({ spec: { forProvider: { region: PATCHED, targetKeyIdSelector: { ...MINE } } } }),
      patches: NAMES.format(EXTERNAL_NAME, 'alias/eks/%s'),
    },
    ...role({
      id: 'cluster',
      suffix: '-cluster',
      trust: serviceTrust('eks.amazonaws.com', ['sts:AssumeRole', 'sts:TagSession']),
      managed: [
        { policy: 'AmazonEKSClusterPolicy' },
        ...['AmazonEKSComputePolicy', 'AmazonEKSBlockStoragePolicy', 'AmazonEKSLoadBalancingPolicy', 'AmazonEKSNetworkingPolicy'].map((policy) => ({
          policy,
          includeWhen: AUTO,
        })),
      ],
    }),
    { name: 'cluster', base: clusterBase(false), patches: clusterPatches(), includeWhen: MANAGED },
    {
      name: 'cluster-auto',
      base: clusterBase(true),
      patches: [...clusterPatches(), arnPatch(NODE_ROLE_ARN, 'spec.forProvider.computeConfig.nodeRoleArn')],
      includeWhen: AUTO,
    },
    {
      name: 'kubeconfig',
      base: ClusterAuth.manifest({
        spec: {
          forProvider: { region: PATCHED, clusterNameSelector: part('cluster'), refreshPeriod: '10m' },
          writeConnectionSecretToRef: { name: PATCHED },
        },
      }),
      // Named after the XR (a Kubernetes Secret in its namespace), not after the cluster.
      patches: [combineFromXr(['metadata.name'], '%s-kubeconfig', 'spec.writeConnectionSecretToRef.name')],
    },
  ];
}
