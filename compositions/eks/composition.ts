import { Rule, Target } from '../../imports/cloudwatchevents.aws.m.upbound.io';
import { LaunchTemplate } from '../../imports/ec2.aws.m.upbound.io';
import {
  AccessEntry,
  AccessPolicyAssociation,
  Addon,
  Cluster,
  ClusterAuth,
  NodeGroup,
  PodIdentityAssociation,
} from '../../imports/eks.aws.m.upbound.io';
import { Role, RolePolicy, RolePolicyAttachment } from '../../imports/iam.aws.m.upbound.io';
import { Alias, Key } from '../../imports/kms.aws.m.upbound.io';
import { Queue, QueuePolicy } from '../../imports/sqs.aws.m.upbound.io';
import {
  allOf,
  type ComposedResource,
  type Condition,
  combineFromXr,
  convert,
  fieldIn,
  fromXr,
  mapping,
  PATCHED,
  type Patch,
  type PlatformApi,
  PlatformComposition,
  POD_IDENTITY_TRUST,
  type PolicyDocument,
  policyPatch,
  present,
  serviceTrust,
  sizeAtLeast,
  sizeIs,
  toXr,
} from '../authoring';
import { MAX_ADMINS, MAX_SECRET_PREFIXES, MAX_ZONES } from './definition';
import {
  AWS_LOAD_BALANCER_CONTROLLER,
  certManager,
  externalDns,
  externalSecrets,
  INTERRUPTION_QUEUE,
  KARPENTER_CONTROLLER,
  NODE_ROLE_ARN,
  NODE_ROLE_SUFFIX,
  QUEUE_ARN,
} from './policies';

const PART = 'eks.drydock.dev/part';
const EXTERNAL_NAME = 'metadata.annotations[crossplane.io/external-name]';
const mine = { matchControllerRef: true };
/** Select this XR's composed resource labelled `part`. */
const part = (name: string) => ({ matchControllerRef: true, matchLabels: { [PART]: name } });
const labelled = (name: string) => ({ labels: { [PART]: name } });
/** `<clusterName><suffix>`: every AWS name derives from the cluster name the XRD bounds. */
const named = (suffix: string, to = EXTERNAL_NAME): Patch => combineFromXr(['spec.clusterName'], `%s${suffix}`, to);
const nameTag = (suffix = ''): Patch => named(suffix, 'spec.forProvider.tags[Name]');
const cluster = { clusterNameSelector: part('cluster') };

const MANAGED = fieldIn('spec.computeMode', ['Managed']);
const LOAD_BALANCER_CONTROLLER = allOf(present('spec.awsLoadBalancerController.enabled'), fieldIn('spec.awsLoadBalancerController.enabled', [true]));
const EXTERNAL_SECRETS = allOf(present('spec.externalSecrets.enabled'), fieldIn('spec.externalSecrets.enabled', [true]));
const AUTO = fieldIn('spec.computeMode', ['Auto']);
const when = (...c: (Condition | undefined)[]) => {
  const all = c.filter((x): x is Condition => !!x);
  return all.length ? allOf(...all) : undefined;
};

const AWS_POLICY = 'arn:aws:iam::aws:policy/';
const EKS_ACCESS_POLICY = 'arn:aws:eks::aws:cluster-access-policy/';

/** Values patched into policy documents, by placeholder: all from the spec, known from the start. */
const POLICY_VALUES = {
  region: 'spec.region',
  accountId: 'spec.accountId',
  clusterName: 'spec.clusterName',
  ...Object.fromEntries(Array.from({ length: MAX_ZONES }, (_, i) => [`zone${i}`, `spec.dns.hostedZoneIds[${i}]`])),
  ...Object.fromEntries(Array.from({ length: MAX_SECRET_PREFIXES }, (_, i) => [`prefix${i}`, `spec.externalSecrets.secretPrefixes[${i}]`])),
};

/** A patch writing an ARN built from the spec, the way policies name it (`{{accountId}}`...). */
function arnPatch(template: string, to: string): Patch {
  const names = [...template.matchAll(/\{\{([A-Za-z0-9]+)\}\}/g)].map((m) => m[1]);
  const fmt = template.replace(/\{\{[A-Za-z0-9]+\}\}/g, '%s');
  return combineFromXr(
    names.map((n) => POLICY_VALUES[n as keyof typeof POLICY_VALUES]),
    fmt,
    to,
  );
}

interface RoleProps {
  /** Composition-resource-name prefix and `part` label. */
  readonly id: string;
  /** Role name suffix after the cluster name. */
  readonly suffix: string;
  readonly trust: PolicyDocument;
  /** AWS managed policies, each with the condition it is attached under. */
  readonly managed?: readonly { readonly policy: string; readonly includeWhen?: Condition }[];
  /** Inline policy documents, each with the condition it is written under. */
  readonly inline?: readonly { readonly name: string; readonly doc: PolicyDocument; readonly includeWhen?: Condition }[];
  /** Where the role's ARN goes in the XR status. */
  readonly arnTo?: string;
  readonly nameTo?: string;
  readonly includeWhen?: Condition;
}

/** An IAM role named after the cluster, with its managed policy attachments and inline policies. */
function role(props: RoleProps): ComposedResource[] {
  const { id, includeWhen } = props;
  return [
    {
      name: `role-${id}`,
      base: Role.manifest({ metadata: labelled(id), spec: { forProvider: { assumeRolePolicy: JSON.stringify(props.trust), path: '/' } } }),
      patches: [
        named(props.suffix),
        nameTag(props.suffix),
        ...(props.arnTo ? [toXr('status.atProvider.arn', props.arnTo)] : []),
        ...(props.nameTo ? [toXr('status.atProvider.id', props.nameTo)] : []),
      ],
      includeWhen,
    },
    ...(props.managed ?? []).map((m) => ({
      name: `role-${id}-${m.policy.split('/').pop()!.toLowerCase().replace(/_/g, '-')}`,
      base: RolePolicyAttachment.manifest({
        spec: { forProvider: { policyArn: m.policy.startsWith('arn:') ? m.policy : `${AWS_POLICY}${m.policy}`, roleSelector: part(id) } },
      }),
      includeWhen: when(includeWhen, m.includeWhen),
    })),
    ...(props.inline ?? []).map((p) => ({
      name: `role-${id}-${p.name}`,
      base: RolePolicy.manifest({ spec: { forProvider: { policy: PATCHED, roleSelector: part(id) } } }),
      patches: [policyPatch(p.doc, 'spec.forProvider.policy', POLICY_VALUES)],
      includeWhen: when(includeWhen, p.includeWhen),
    })),
  ];
}

/** A Pod Identity association: `namespace/serviceAccount` assumes the role labelled `id`. */
function podIdentity(id: string, namespace: string, serviceAccount: string, includeWhen?: Condition): ComposedResource {
  return {
    name: `pod-identity-${id}`,
    base: PodIdentityAssociation.manifest({
      spec: { forProvider: { region: PATCHED, ...cluster, namespace, serviceAccount, roleArnSelector: part(id) } },
    }),
    includeWhen,
  };
}

/** An access entry for a principal given in the XR, with the cluster-admin policy. */
function adminAccess(id: string, principalFrom: string, includeWhen: Condition): ComposedResource[] {
  return [
    {
      name: `access-${id}`,
      base: AccessEntry.manifest({ spec: { forProvider: { region: PATCHED, ...cluster, type: 'STANDARD', principalArn: PATCHED } } }),
      patches: [fromXr(principalFrom, 'spec.forProvider.principalArn')],
      includeWhen,
    },
    {
      name: `access-${id}-admin`,
      base: AccessPolicyAssociation.manifest({
        spec: {
          forProvider: {
            region: PATCHED,
            ...cluster,
            policyArn: `${EKS_ACCESS_POLICY}AmazonEKSClusterAdminPolicy`,
            accessScope: { type: 'cluster' },
            principalArn: PATCHED,
          },
        },
      }),
      patches: [fromXr(principalFrom, 'spec.forProvider.principalArn')],
      includeWhen,
    },
  ];
}

/** A managed add-on, versioned by the XR when it pins one. */
function addon(name: string, field: string, extra: Record<string, unknown> = {}): ComposedResource {
  return {
    name: `addon-${name}`,
    base: Addon.manifest({
      spec: {
        forProvider: {
          region: PATCHED,
          ...cluster,
          addonName: name,
          resolveConflictsOnCreate: 'OVERWRITE',
          resolveConflictsOnUpdate: 'OVERWRITE',
          ...extra,
        },
      },
    }),
    patches: [fromXr(`spec.addons.${field}.version`, 'spec.forProvider.addonVersion')],
    includeWhen: MANAGED,
  };
}

/** Karpenter's interruption events: EventBridge rule and its target, the interruption queue. */
const INTERRUPTION_EVENTS: readonly { id: string; suffix: string; source: string; detailType: string }[] = [
  { id: 'spot-interruption', suffix: '-spot-interruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'rebalance', suffix: '-rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'state-change', suffix: '-state-change', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
  { id: 'scheduled-change', suffix: '-scheduled-change', source: 'aws.health', detailType: 'AWS Health Event' },
  {
    id: 'capacity-interrupt',
    suffix: '-capacity-interrupt',
    source: 'aws.ec2',
    detailType: 'EC2 Capacity Reservation Instance Interruption Warning',
  },
];

function interruptionRule(e: (typeof INTERRUPTION_EVENTS)[number]): ComposedResource[] {
  return [
    {
      name: `rule-${e.id}`,
      base: Rule.manifest({
        metadata: labelled(`rule-${e.id}`),
        spec: {
          forProvider: {
            region: PATCHED,
            description: `Karpenter: ${e.detailType}`,
            eventPattern: JSON.stringify({ source: [e.source], 'detail-type': [e.detailType] }),
          },
        },
      }),
      patches: [named(e.suffix), nameTag(e.suffix)],
      includeWhen: MANAGED,
    },
    {
      name: `rule-${e.id}-target`,
      base: Target.manifest({
        spec: { forProvider: { region: PATCHED, arn: PATCHED, targetId: 'karpenter-interruption-queue', ruleSelector: part(`rule-${e.id}`) } },
      }),
      patches: [arnPatch(QUEUE_ARN, 'spec.forProvider.arn')],
      includeWhen: MANAGED,
    },
  ];
}

/** Pod Identity roles limited to the XR's hosted zones: one policy variant per zone count. */
function zoneRole(
  id: string,
  suffix: string,
  doc: (zones: number) => PolicyDocument,
  namespace: string,
  serviceAccount: string,
  arnTo: string,
): ComposedResource[] {
  const hasZones = sizeAtLeast('spec.dns.hostedZoneIds', 1);
  return [
    ...role({
      id,
      suffix,
      trust: POD_IDENTITY_TRUST,
      inline: Array.from({ length: MAX_ZONES }, (_, i) => ({
        name: `zones-${i + 1}`,
        doc: doc(i + 1),
        includeWhen: sizeIs('spec.dns.hostedZoneIds', i + 1),
      })),
      arnTo,
      includeWhen: hasZones,
    }),
    podIdentity(id, namespace, serviceAccount, hasZones),
  ];
}

export function eksComposition(api: PlatformApi): PlatformComposition {
  const clusterBase = (auto: boolean) =>
    Cluster.manifest({
      metadata: labelled('cluster'),
      spec: {
        forProvider: {
          region: PATCHED,
          version: PATCHED,
          roleArnSelector: part('cluster'),
          accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
          vpcConfig: { endpointPrivateAccess: true },
          encryptionConfig: { resources: ['secrets'], provider: { keyArn: PATCHED } },
          upgradePolicy: { supportType: 'STANDARD' },
          ...(auto
            ? {
                bootstrapSelfManagedAddons: false,
                computeConfig: { enabled: true, nodePools: ['general-purpose', 'system'], nodeRoleArn: PATCHED },
                storageConfig: { blockStorage: { enabled: true } },
                kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
              }
            : {}),
        },
      },
    });
  const clusterPatches: Patch[] = [
    fromXr('spec.clusterName', EXTERNAL_NAME),
    fromXr('spec.clusterName', 'spec.forProvider.tags[Name]'),
    fromXr('spec.version', 'spec.forProvider.version'),
    fromXr('spec.subnetIds', 'spec.forProvider.vpcConfig.subnetIds'),
    fromXr('spec.endpoint.public', 'spec.forProvider.vpcConfig.endpointPublicAccess'),
    fromXr('spec.endpoint.publicAccessCidrs', 'spec.forProvider.vpcConfig.publicAccessCidrs'),
    fromXr('spec.logTypes', 'spec.forProvider.enabledClusterLogTypes'),
    // Envelope encryption needs the key's ARN (the field has no selector): wait for the key.
    fromXr('status.kmsKeyArn', 'spec.forProvider.encryptionConfig.provider.keyArn', { required: true }),
    toXr('metadata.annotations[crossplane.io/external-name]', 'status.clusterName'),
    toXr('status.atProvider.arn', 'status.clusterArn'),
    toXr('status.atProvider.endpoint', 'status.endpoint'),
    toXr('status.atProvider.certificateAuthority[0].data', 'status.caData'),
    toXr('status.atProvider.identity[0].oidc[0].issuer', 'status.oidcIssuer'),
    toXr('status.atProvider.vpcConfig.clusterSecurityGroupId', 'status.clusterSecurityGroupId'),
  ];

  const resources: ComposedResource[] = [
    // Envelope encryption of Kubernetes secrets.
    {
      name: 'kms-key',
      base: Key.manifest({
        spec: { forProvider: { region: PATCHED, enableKeyRotation: true, deletionWindowInDays: 30, keyUsage: 'ENCRYPT_DECRYPT' } },
      }),
      patches: [
        combineFromXr(['spec.clusterName'], 'Kubernetes secrets of EKS cluster %s', 'spec.forProvider.description'),
        nameTag('-secrets'),
        toXr('status.atProvider.arn', 'status.kmsKeyArn'),
      ],
    },
    {
      name: 'kms-alias',
      base: Alias.manifest({ spec: { forProvider: { region: PATCHED, targetKeyIdSelector: mine } } }),
      patches: [combineFromXr(['spec.clusterName'], 'alias/eks/%s', EXTERNAL_NAME)],
    },

    // Control plane.
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
    { name: 'cluster', base: clusterBase(false), patches: clusterPatches, includeWhen: MANAGED },
    {
      name: 'cluster-auto',
      base: clusterBase(true),
      patches: [...clusterPatches, arnPatch(NODE_ROLE_ARN, 'spec.forProvider.computeConfig.nodeRoleArn')],
      includeWhen: AUTO,
    },
    {
      name: 'kubeconfig',
      base: ClusterAuth.manifest({
        spec: { forProvider: { region: PATCHED, ...cluster, refreshPeriod: '10m' }, writeConnectionSecretToRef: { name: PATCHED } },
      }),
      patches: [
        combineFromXr(['metadata.name'], '%s-kubeconfig', 'spec.writeConnectionSecretToRef.name'),
        toXr('spec.writeConnectionSecretToRef.name', 'status.kubeconfigSecret'),
      ],
    },

    // System nodes (Managed): a node group on a launch template that requires IMDSv2 and
    // encrypts the gp3 root volume.
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
        named('-system-nodes', 'spec.forProvider.name'),
        nameTag('-system-nodes'),
        fromXr('spec.systemNodes.diskSizeGiB', 'spec.forProvider.blockDeviceMappings[0].ebs.volumeSize'),
        toXr('status.atProvider.latestVersion', 'status.launchTemplate.version'),
      ],
      includeWhen: MANAGED,
    },
    {
      name: 'system-node-group',
      base: NodeGroup.manifest({
        spec: {
          forProvider: {
            region: PATCHED,
            ...cluster,
            nodeRoleArnSelector: part('system-nodes'),
            scalingConfig: {},
            updateConfig: { maxUnavailable: 1 },
            launchTemplate: { name: PATCHED },
          },
        },
      }),
      patches: [
        named('-system', 'spec.forProvider.tags[Name]'),
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
        // By name, known from the start; the version once the template is observed (until then
        // the node group waits: EKS needs the template to exist).
        named('-system-nodes', 'spec.forProvider.launchTemplate.name'),
        fromXr('status.launchTemplate.version', 'spec.forProvider.launchTemplate.version', { transforms: [convert('string')] }),
      ],
      includeWhen: MANAGED,
    },

    // Managed add-ons (Auto Mode runs its own).
    addon('vpc-cni', 'vpcCni', { configurationValues: JSON.stringify({ env: { ENABLE_PREFIX_DELEGATION: 'true', WARM_PREFIX_TARGET: '1' } }) }),
    addon('coredns', 'coredns'),
    addon('kube-proxy', 'kubeProxy'),
    addon('eks-pod-identity-agent', 'podIdentityAgent'),
    addon('aws-ebs-csi-driver', 'ebsCsiDriver'),
    podIdentity('ebs-csi', 'kube-system', 'ebs-csi-controller-sa', MANAGED),
    ...role({
      id: 'ebs-csi',
      suffix: '-ebs-csi',
      trust: POD_IDENTITY_TRUST,
      managed: [{ policy: `${AWS_POLICY}service-role/AmazonEBSCSIDriverPolicy` }],
      arnTo: 'status.roles.ebsCsiDriver',
      includeWhen: MANAGED,
    }),

    // Access: platform admins and Argo CD.
    ...Array.from({ length: MAX_ADMINS }, (_, i) =>
      adminAccess(`admin-${i}`, `spec.access.adminRoleArns[${i}]`, sizeAtLeast('spec.access.adminRoleArns', i + 1)),
    ).flat(),
    ...adminAccess('argocd', 'spec.access.argoCdRoleArn', present('spec.access.argoCdRoleArn')),

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
      arnTo: 'status.nodeRoleArn',
      nameTo: 'status.nodeRoleName',
    }),
    {
      name: 'access-nodes',
      base: AccessEntry.manifest({
        spec: { forProvider: { region: PATCHED, ...cluster, type: PATCHED, principalArnFromRoleSelector: part('nodes') } },
      }),
      patches: [fromXr('spec.computeMode', 'spec.forProvider.type', { transforms: [mapping({ Managed: 'EC2_LINUX', Auto: 'EC2' })] })],
    },
    {
      name: 'access-nodes-auto',
      base: AccessPolicyAssociation.manifest({
        spec: {
          forProvider: {
            region: PATCHED,
            ...cluster,
            policyArn: `${EKS_ACCESS_POLICY}AmazonEKSAutoNodePolicy`,
            accessScope: { type: 'cluster' },
            principalArn: PATCHED,
          },
        },
      }),
      patches: [arnPatch(NODE_ROLE_ARN, 'spec.forProvider.principalArn')],
      includeWhen: AUTO,
    },

    // Karpenter (Managed): controller identity, interruption queue and its events.
    ...role({
      id: 'karpenter',
      suffix: '-karpenter',
      trust: POD_IDENTITY_TRUST,
      inline: [{ name: 'controller', doc: KARPENTER_CONTROLLER }],
      arnTo: 'status.karpenter.roleArn',
      includeWhen: MANAGED,
    }),
    podIdentity('karpenter', 'kube-system', 'karpenter', MANAGED),
    {
      name: 'interruption-queue',
      base: Queue.manifest({
        metadata: labelled('queue'),
        spec: { forProvider: { region: PATCHED, messageRetentionSeconds: 300, sqsManagedSseEnabled: true } },
      }),
      patches: [
        fromXr('spec.clusterName', 'spec.forProvider.name'),
        nameTag(),
        toXr('status.atProvider.name', 'status.karpenter.queueName'),
        toXr('status.atProvider.arn', 'status.karpenter.queueArn'),
        toXr('status.atProvider.url', 'status.karpenter.queueUrl'),
      ],
      includeWhen: MANAGED,
    },
    {
      name: 'interruption-queue-policy',
      base: QueuePolicy.manifest({ spec: { forProvider: { region: PATCHED, policy: PATCHED, queueUrlSelector: part('queue') } } }),
      patches: [policyPatch(INTERRUPTION_QUEUE, 'spec.forProvider.policy', POLICY_VALUES)],
      includeWhen: MANAGED,
    },
    ...INTERRUPTION_EVENTS.flatMap(interruptionRule),

    // DNS add-ons: only with hosted zones, only for those zones.
    ...zoneRole('external-dns', '-external-dns', externalDns, 'external-dns', 'external-dns', 'status.roles.externalDns'),
    ...zoneRole('cert-manager', '-cert-manager', certManager, 'cert-manager', 'cert-manager', 'status.roles.certManager'),

    // External Secrets: only when enabled, only the environment's prefixes.
    ...role({
      id: 'external-secrets',
      suffix: '-external-secrets',
      trust: POD_IDENTITY_TRUST,
      inline: Array.from({ length: MAX_SECRET_PREFIXES }, (_, i) => ({
        name: `prefixes-${i + 1}`,
        doc: externalSecrets(i + 1),
        includeWhen: sizeIs('spec.externalSecrets.secretPrefixes', i + 1),
      })),
      arnTo: 'status.roles.externalSecrets',
      includeWhen: EXTERNAL_SECRETS,
    }),
    podIdentity('external-secrets', 'external-secrets', 'external-secrets', EXTERNAL_SECRETS),

    // AWS Load Balancer Controller: only when enabled.
    ...role({
      id: 'load-balancer-controller',
      suffix: '-lb-controller',
      trust: POD_IDENTITY_TRUST,
      inline: [{ name: 'controller', doc: AWS_LOAD_BALANCER_CONTROLLER }],
      arnTo: 'status.roles.awsLoadBalancerController',
      includeWhen: LOAD_BALANCER_CONTROLLER,
    }),
    podIdentity('load-balancer-controller', 'kube-system', 'aws-load-balancer-controller', LOAD_BALANCER_CONTROLLER),
  ];
  return new PlatformComposition({
    api,
    name: 'eks-aws',
    placement: { region: 'spec.region', providerConfigName: 'spec.providerConfigName' },
    resources,
  });
}
