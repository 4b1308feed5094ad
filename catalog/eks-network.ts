// Amazon EKS network facts that change with time.
//
// Sources (read late 2026 in github.com/awsdocs/amazon-eks-user-guide, the source of the EKS user
// guide, and github.com/aws/karpenter-provider-aws at v1.14.1):
// - "View Amazon EKS networking requirements for VPC and subnets" (latest/ug/networking/network-reqs.adoc,
//   https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html), "Subnet requirements for clusters".
// - "Deploy private clusters with limited internet access" (latest/ug/clusters/private-clusters.adoc,
//   https://docs.aws.amazon.com/eks/latest/userguide/private-clusters.html).
// - Karpenter's "Getting Started", section "Private Clusters"
//   (website/content/en/docs/getting-started/getting-started-with-karpenter/_index.md).

/**
 * Zone IDs where EKS refuses cluster subnets, by region. Zone IDs are the same in every account;
 * zone letters (us-east-1a) map to a different zone ID in each account, so a letter cannot be
 * checked against this list: in these regions a network for EKS names its zones by ID.
 */
export const EKS_REFUSED_ZONE_IDS: Readonly<Record<string, readonly string[]>> = {
  'us-east-1': ['use1-az3'],
  'us-west-1': ['usw1-az2'],
  'ca-central-1': ['cac1-az3'],
};

/**
 * Zone IDs to suggest instead, in those regions: others of the region that EKS accepts. us-west-1
 * offers new accounts two zones (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-availability-zones.html).
 */
export const EKS_ZONE_ID_SUGGESTIONS: Readonly<Record<keyof typeof EKS_REFUSED_ZONE_IDS, readonly string[]>> = {
  'us-east-1': ['use1-az1', 'use1-az2', 'use1-az4'],
  'us-west-1': ['usw1-az1', 'usw1-az3'],
  'ca-central-1': ['cac1-az1', 'cac1-az2', 'cac1-az4'],
};

/** An AWS service a VPC without a route to the internet reaches through a VPC endpoint. */
export interface PrivateEndpoint {
  /** The service name's last part: com.amazonaws.<region>.<service>. */
  readonly service: string;
  /** Gateway endpoints (S3) are route-table entries and free; interface endpoints are billed per zone. */
  readonly type: 'Gateway' | 'Interface';
  /** Who needs it on our clusters, in the docs' words. */
  readonly why: string;
}

/**
 * What nodes and add-ons of a Drydock cluster call when its private subnets have no NAT route:
 * the EKS private-cluster list, narrowed to what our clusters use, plus Karpenter's own list.
 */
export const PRIVATE_CLUSTER_ENDPOINTS: readonly PrivateEndpoint[] = [
  { service: 's3', type: 'Gateway', why: 'image layers from Amazon ECR are served from S3' },
  { service: 'ecr.api', type: 'Interface', why: 'pulling images from Amazon ECR (EKS add-on images, your own)' },
  { service: 'ecr.dkr', type: 'Interface', why: 'pulling images from Amazon ECR' },
  { service: 'sts', type: 'Interface', why: 'IAM roles for service accounts and AWS SDK credential calls' },
  { service: 'ec2', type: 'Interface', why: 'the EKS optimized AMI names its node; Karpenter launches instances' },
  { service: 'eks-auth', type: 'Interface', why: 'EKS Pod Identity credentials (Karpenter, ExternalDNS, cert-manager, EBS CSI)' },
  { service: 'eks', type: 'Interface', why: 'Karpenter discovers the cluster endpoint' },
  { service: 'ssm', type: 'Interface', why: 'Karpenter resolves the default AMIs (al2023@latest) from SSM parameters' },
  { service: 'sqs', type: 'Interface', why: "Karpenter's interruption queue" },
  { service: 'logs', type: 'Interface', why: 'node and pod logs sent to CloudWatch Logs' },
];

/**
 * What VPC endpoints cannot give a cluster without NAT (same sources): images on public
 * registries (public.ecr.aws, registry.k8s.io, quay.io, docker.io) are unreachable, so add-ons
 * installed from them need a copy in Amazon ECR; the IAM API has no endpoint (Karpenter must use a
 * pre-made instance profile); the Price List API has none (Karpenter falls back to its built-in prices).
 */
export const PRIVATE_CLUSTER_LIMITS = ['public registries', 'IAM API', 'Price List API'] as const;
