import { EKS_VERSIONS, KUBERNETES } from '../../catalog';
import { GRAVITON_TYPE } from '../../catalog/ec2';
import {
  CLUSTER_NAME,
  group,
  type JsonSchema,
  kubernetesVersionField,
  MAX_CLUSTER_NAME,
  PlatformApi,
  PROVIDER_CONFIG_NAME,
  REGION,
  SUPPORT_TYPE,
  supportTypeRule,
  text,
} from '../authoring';
import { DATABASE_SECRET, SECRET_PREFIX } from './policies/external-secrets';

export { EKS_VERSIONS };

/** Control-plane log types EKS can send to CloudWatch; all are on unless the XR picks a subset. */
export const LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

export { MAX_CLUSTER_NAME };

/** Hosted zones whose records ExternalDNS and cert-manager may change, at most (one per domain of a four-domain product). */
export const MAX_ZONES = 4;
/** Secrets Manager prefixes External Secrets may read, at most. */
export const MAX_SECRET_PREFIXES = 3;
/** Platform admin roles given cluster-admin access, at most. */
export const MAX_ADMINS = 3;

const cidr: JsonSchema = {
  type: 'string',
  maxLength: 18,
  'x-kubernetes-validations': [
    { rule: 'isCIDR(self) && cidr(self).ip().family() == 4', message: 'must be an IPv4 CIDR such as 203.0.113.0/24' },
    { rule: '!isCIDR(self) || string(cidr(self).masked()) == self', message: 'CIDR has host bits set: give the first address of the block' },
  ],
};

const roleArn = (what: string): JsonSchema => ({
  type: 'string',
  description: what,
  maxLength: 2048,
  pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+$',
});

/** Graviton instance types (catalog/ec2.ts), as a CEL string literal. */
const GRAVITON = `'${GRAVITON_TYPE}'`;

const spec: JsonSchema = {
  type: 'object',
  description: 'An EKS cluster in a network, with its system nodes, managed add-ons, access and the AWS identities its add-ons need.',
  required: ['region', 'accountId', 'clusterName', 'subnetIds'],
  properties: {
    region: REGION,
    accountId: { type: 'string', description: 'AWS account ID the cluster lives in (used in IAM policy ARNs).', pattern: '^[0-9]{12}$' },
    clusterName: {
      ...CLUSTER_NAME,
      description: `EKS cluster name, also the prefix of every composed AWS name. At most ${MAX_CLUSTER_NAME} characters.`,
      'x-kubernetes-validations': [
        ...CLUSTER_NAME['x-kubernetes-validations'],
        { rule: 'self == oldSelf', message: 'clusterName is immutable: EKS cannot rename a cluster' },
      ],
    },
    version: kubernetesVersionField({ fallback: `default ${EKS_VERSIONS[0]}`, default: EKS_VERSIONS[0] }),
    // EXTENDED by default, as in the EKS API: a cluster never changes version behind its XR's back.
    supportType: { ...SUPPORT_TYPE, default: 'EXTENDED' },
    computeMode: {
      type: 'string',
      description:
        'Managed: a system node group plus Karpenter (the reference architectures). Auto: EKS Auto Mode runs nodes, storage and load balancing; no node group, Karpenter or EBS CSI add-on of ours. Cannot change.',
      enum: ['Managed', 'Auto'],
      default: 'Managed',
      'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'computeMode is immutable: create a new cluster to switch' }],
    },
    vpcId: {
      type: 'string',
      description: 'The VPC of subnetIds. The AWS Load Balancer Controller may change security groups in this VPC only.',
      pattern: '^vpc-[0-9a-f]{8,17}$',
    },
    subnetIds: {
      type: 'array',
      description: "Subnets for the control plane's network interfaces and the nodes: the network's private tier.",
      minItems: 2,
      maxItems: 6,
      'x-kubernetes-list-type': 'set',
      items: { type: 'string', pattern: '^subnet-[0-9a-f]{8,17}$' },
    },
    endpoint: {
      type: 'object',
      description: 'API server endpoint. The private endpoint is always on; the public one only when asked for, and then only for the CIDRs given.',
      default: { public: false },
      properties: {
        public: { type: 'boolean', description: 'Expose the API server publicly (to publicAccessCidrs only).', default: false },
        publicAccessCidrs: {
          type: 'array',
          description: 'CIDRs that may reach the public endpoint.',
          minItems: 1,
          maxItems: 40,
          'x-kubernetes-list-type': 'set',
          items: cidr,
        },
      },
      'x-kubernetes-validations': [
        {
          rule: '!self.public || (has(self.publicAccessCidrs) && !self.publicAccessCidrs.exists(c, c == "0.0.0.0/0"))',
          message: 'a public endpoint needs publicAccessCidrs naming who may reach it (not 0.0.0.0/0); or set public: false',
        },
      ],
    },
    logTypes: {
      type: 'array',
      description: `Control-plane logs sent to CloudWatch. Default: all of ${LOG_TYPES.join(', ')}.`,
      default: [...LOG_TYPES],
      maxItems: LOG_TYPES.length,
      'x-kubernetes-list-type': 'set',
      items: { type: 'string', enum: [...LOG_TYPES] },
    },
    systemNodes: {
      type: 'object',
      description: 'The managed node group for system add-ons (Managed mode). Workloads run on Karpenter nodes.',
      default: {
        instanceTypes: ['m7i.large'],
        architecture: 'x86_64',
        capacityType: 'ON_DEMAND',
        minSize: 2,
        maxSize: 3,
        desiredSize: 2,
        diskSizeGiB: 50,
        criticalAddonsOnly: true,
      },
      properties: {
        instanceTypes: {
          type: 'array',
          description: 'Instance types, matching the architecture.',
          default: ['m7i.large'],
          minItems: 1,
          maxItems: 8,
          items: { type: 'string', pattern: '^[a-z][a-z0-9-]*\\.[a-z0-9]+$', maxLength: 24 },
        },
        architecture: { type: 'string', description: 'CPU architecture; the AMI (AL2023) follows it.', enum: ['x86_64', 'arm64'], default: 'x86_64' },
        capacityType: { type: 'string', description: 'ON_DEMAND or SPOT.', enum: ['ON_DEMAND', 'SPOT'], default: 'ON_DEMAND' },
        minSize: { type: 'integer', minimum: 1, maximum: 100, default: 2 },
        maxSize: { type: 'integer', minimum: 1, maximum: 100, default: 3 },
        desiredSize: { type: 'integer', minimum: 1, maximum: 100, default: 2 },
        diskSizeGiB: { type: 'integer', description: 'Encrypted gp3 root volume size.', minimum: 20, maximum: 1000, default: 50 },
        labels: { type: 'object', description: 'Node labels.', maxProperties: 20, additionalProperties: { type: 'string', maxLength: 63 } },
        criticalAddonsOnly: {
          type: 'boolean',
          description: 'Taint CriticalAddonsOnly=true:NoSchedule, so only system add-ons land here.',
          default: true,
        },
      },
      'x-kubernetes-validations': [
        {
          rule: 'self.minSize <= self.desiredSize && self.desiredSize <= self.maxSize',
          message: 'systemNodes needs minSize <= desiredSize <= maxSize',
        },
        {
          rule: `self.instanceTypes.all(t, t.matches(${GRAVITON}) == (self.architecture == 'arm64'))`,
          message: 'systemNodes.instanceTypes must match the architecture: Graviton types (t4g, m7g, c7g...) for arm64, others for x86_64',
        },
      ],
    },
    access: {
      type: 'object',
      description: 'Who may administer the cluster through EKS access entries.',
      default: {},
      properties: {
        adminRoleArns: {
          type: 'array',
          description: 'Platform admin roles (cluster admin).',
          maxItems: MAX_ADMINS,
          'x-kubernetes-list-type': 'set',
          items: roleArn('An IAM role ARN.'),
        },
        argoCdRoleArn: roleArn('The role Argo CD on the control cluster uses to deploy add-ons (cluster admin).'),
        providerRoleArn: roleArn(
          'The role Crossplane acts as in this account. The kubeconfig Secret (status.kubeconfigSecret) carries a token minted with it, so it gets cluster admin.',
        ),
      },
    },
    dns: {
      type: 'object',
      description: 'Route53 hosted zones ExternalDNS and cert-manager may change. Without zones, neither gets an identity.',
      default: {},
      properties: {
        hostedZoneIds: {
          type: 'array',
          maxItems: MAX_ZONES,
          'x-kubernetes-list-type': 'set',
          items: { type: 'string', pattern: '^Z[A-Z0-9]{1,31}$' },
        },
      },
    },
    awsLoadBalancerController: {
      type: 'object',
      description: 'An identity for the AWS Load Balancer Controller (kube-system/aws-load-balancer-controller).',
      default: { enabled: false },
      properties: { enabled: { type: 'boolean', default: false } },
    },
    externalSecrets: {
      type: 'object',
      description:
        'An identity for External Secrets (external-secrets/external-secrets) that reads only the given Secrets Manager prefixes, and there only the secrets tagged platform.drydock.dev/namespace with the namespace of this XR.',
      default: { enabled: false },
      properties: {
        enabled: { type: 'boolean', default: false },
        secretPrefixes: {
          type: 'array',
          description: 'Secret name prefixes it may read, each ending in *, e.g. production/*.',
          maxItems: MAX_SECRET_PREFIXES,
          items: SECRET_PREFIX,
        },
        database: DATABASE_SECRET,
      },
      'x-kubernetes-validations': [
        {
          rule: '!self.enabled || (has(self.secretPrefixes) && size(self.secretPrefixes) > 0)',
          message: 'externalSecrets.enabled needs at least one secretPrefixes entry',
        },
      ],
    },
    providerConfigName: PROVIDER_CONFIG_NAME,
  },
  'x-kubernetes-validations': [
    supportTypeRule({
      version: (o) => `${o}.version`,
      supportType: (o) => `${o}.supportType`,
      fix: `set supportType: EXTENDED (extended support costs more) or use ${KUBERNETES.standard[0]} or later`,
    }),
    {
      rule: '!self.awsLoadBalancerController.enabled || has(self.vpcId)',
      message: 'awsLoadBalancerController.enabled needs vpcId: the controller may change security groups of that VPC only',
    },
  ],
};

const status: JsonSchema = {
  type: 'object',
  properties: {
    clusterName: text('EKS cluster name.'),
    kubernetesVersion: text(
      'Kubernetes version the control plane runs, as EKS reports it. The system nodes and the managed add-ons (versions from catalog/eks.ts) move to a new version only once it shows here.',
    ),
    clusterArn: text('EKS cluster ARN.'),
    endpoint: text('API server URL.'),
    caData: text('Cluster CA certificate, base64.'),
    oidcIssuer: text('OIDC issuer URL.'),
    clusterSecurityGroupId: text('Security group EKS attaches to the control plane and nodes (for database access).'),
    kubeconfigSecret: text('Secret in this namespace holding a kubeconfig (key kubeconfig), refreshed by the provider.'),
    kmsKeyArn: text('Internal: KMS key encrypting Kubernetes secrets.'),
    launchTemplate: {
      type: 'object',
      description: 'Internal: the system nodes launch template (IMDSv2, encrypted root volume).',
      properties: { version: { type: 'integer', description: 'Latest version, which the node group uses.' } },
    },
    nodeRoleArn: text('Role of Karpenter nodes (Managed) or Auto Mode nodes.'),
    nodeRoleName: text('Name of that role, for EC2NodeClass.spec.role.'),
    karpenter: group('What the Karpenter add-on needs (Managed mode).', {
      roleArn: text('Controller role (Pod Identity, kube-system/karpenter).'),
      queueName: text('Interruption queue name.'),
      queueArn: text('Internal: interruption queue ARN.'),
      queueUrl: text('Internal: interruption queue URL.'),
    }),
    roles: group('Add-on role ARNs (Pod Identity).', {
      externalDns: text(),
      certManager: text(),
      ebsCsiDriver: text(),
      externalSecrets: text(),
      awsLoadBalancerController: text(),
    }),
    podIdentity: group(
      'Pod Identity associations of the add-ons Argo CD installs, once EKS reports them: an add-on whose pods start before its association never gets credentials, so it is installed only after.',
      {
        karpenter: text(),
        externalDns: text(),
        certManager: text(),
        externalSecrets: text(),
        awsLoadBalancerController: text(),
      },
    ),
  },
};

export function eksApi(): PlatformApi {
  return new PlatformApi({
    kind: 'EKSCluster',
    plural: 'eksclusters',
    spec,
    status,
    printerColumns: {
      CLUSTER: '.spec.clusterName',
      VERSION: '.spec.version',
      RUNNING: '.status.kubernetesVersion',
      MODE: '.spec.computeMode',
    },
  });
}
