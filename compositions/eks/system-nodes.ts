// System nodes (Managed mode): a managed node group for the cluster's own add-ons, tainted
// CriticalAddonsOnly, on a launch template that requires IMDSv2 and encrypts the gp3 root volume.
import { LaunchTemplate } from '../../imports/ec2.aws.m.upbound.io';
import { NodeGroup } from '../../imports/eks.aws.m.upbound.io';
import { type ComposedResource, convert, fromXr, mapping, PATCHED, serviceTrust } from '../authoring';
import { MANAGED, NAMES, part, role } from './vocabulary';

export function systemNodes(): ComposedResource[] {
  return [
    ...role({
      id: 'system-nodes',
      suffix: '-system-nodes',
      trust: serviceTrust('ec2.amazonaws.com'),
      managed: ['AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy', 'AmazonEC2ContainerRegistryPullOnly', 'AmazonSSMManagedInstanceCore'].map(
        (policy) => ({ policy }),
      ),
      includeWhen: MANAGED,
    }),
    {
      name: 'launch-template',
      base: LaunchTemplate.manifest({
        spec: {
          forProvider: {
            region: PATCHED,
            updateDefaultVersion: true,
            metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 },
            blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } }],
          },
        },
      }),
      patches: [
        ...NAMES.named('spec.forProvider.name', '-system-nodes'),
        ...NAMES.tag('-system-nodes'),
        fromXr('spec.systemNodes.diskSizeGiB', 'spec.forProvider.blockDeviceMappings[0].ebs.volumeSize'),
      ],
      includeWhen: MANAGED,
    },
    {
      name: 'system-node-group',
      base: NodeGroup.manifest({
        spec: {
          forProvider: {
            region: PATCHED,
            clusterNameSelector: part('cluster'),
            nodeRoleArnSelector: part('system-nodes'),
            scalingConfig: {},
            updateConfig: { maxUnavailable: 1 },
            launchTemplate: { name: PATCHED },
          },
        },
      }),
      patches: [
        ...NAMES.tag('-system'),
        fromXr('spec.subnetIds', 'spec.forProvider.subnetIds'),
        fromXr('spec.systemNodes.instanceTypes', 'spec.forProvider.instanceTypes'),
        fromXr('spec.systemNodes.architecture', 'spec.forProvider.amiType', {
          transforms: [mapping({ x86_64: 'AL2023_x86_64_STANDARD', arm64: 'AL2023_ARM_64_STANDARD' })],
        }),
        fromXr('spec.systemNodes.capacityType', 'spec.forProvider.capacityType'),
        fromXr('spec.systemNodes.minSize', 'spec.forProvider.scalingConfig.minSize'),
        fromXr('spec.systemNodes.maxSize', 'spec.forProvider.scalingConfig.maxSize'),
        fromXr('spec.systemNodes.desiredSize', 'spec.forProvider.scalingConfig.desiredSize'),
        fromXr('spec.systemNodes.labels', 'spec.forProvider.labels'),
        fromXr('spec.systemNodes.criticalAddonsOnly', 'spec.forProvider.taint', {
          transforms: [convert('string'), mapping({ true: [{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }], false: [] })],
        }),
        // The Kubernetes version the control plane reports, never the one the XR asks for: during an
        // upgrade the nodes wait until EKS has finished the control plane (nodes may not be newer),
        // and they must follow before the next one (EKS refuses a control plane two minors ahead).
        // The provider never fills this field itself (it is not late-initialized), so without this
        // patch the nodes would stay on their creation version.
        fromXr('status.kubernetesVersion', 'spec.forProvider.version'),
        // By name, known from the start; the version once the template is observed (until then
        // the node group waits: EKS needs the template to exist).
        ...NAMES.named('spec.forProvider.launchTemplate.name', '-system-nodes'),
        fromXr('status.launchTemplate.version', 'spec.forProvider.launchTemplate.version', { transforms: [convert('string')] }),
      ],
      includeWhen: MANAGED,
    },
  ];
}
