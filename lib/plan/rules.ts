// What a plan flags for a second look: the changes that lose data or identity in AWS. Data, so a
// reviewer sees the whole list in one place.

/**
 * Kinds whose deletion loses state that cannot be recreated as it was: data, keys that encrypt
 * it, addresses others depend on, identities others trust. Matched by API group (both the
 * namespaced `.m.` and the cluster-scoped group) and kind of provider-upjet-aws.
 */
export const STATEFUL_KINDS: readonly { readonly group: string; readonly kind: string; readonly what: string }[] = [
  { group: 'rds', kind: 'Cluster', what: 'RDS cluster (its data)' },
  { group: 'rds', kind: 'ClusterInstance', what: 'RDS instance' },
  { group: 'rds', kind: 'Instance', what: 'RDS instance (its data)' },
  { group: 'kms', kind: 'Key', what: 'KMS key (what it encrypted becomes unreadable once it is deleted)' },
  { group: 'ec2', kind: 'VPC', what: 'VPC' },
  { group: 'ec2', kind: 'Subnet', what: 'subnet' },
  { group: 'eks', kind: 'Cluster', what: 'EKS cluster (every workload on it)' },
  { group: 'eks', kind: 'NodeGroup', what: 'node group (its nodes are drained and replaced)' },
  { group: 'iam', kind: 'Role', what: 'IAM role (its ARN and every trust in it)' },
];

/** The stateful kind of `o`, if it is one. */
export function statefulKind(o: { apiVersion?: string; kind?: string }): string | undefined {
  const group = String(o.apiVersion ?? '').split('/')[0];
  return STATEFUL_KINDS.find((k) => o.kind === k.kind && new RegExp(`^${k.group}\\.aws\\.(m\\.)?upbound\\.io$`).test(group))?.what;
}

/**
 * Fields that name a resource in AWS. upjet looks a resource up by its external name, so a new
 * external name is a new resource, created beside the old one, which stays in AWS unmanaged; a
 * name passed as an argument cannot change in place either (see FORCE_NEW). The
 * external-name annotation, and forProvider fields called `name`, `namePrefix` or `…Name` /
 * `…Identifier` (clusterIdentifier, dbSubnetGroupName, roleName), not those inside references,
 * selectors, tags or labels.
 */
export function namesResource(path: string): boolean {
  if (path === 'metadata.annotations[crossplane.io/external-name]') return true;
  if (!path.startsWith('spec.forProvider.') && !path.startsWith('spec.initProvider.')) return false;
  const segments = path.split(/\.|\[/).map((s) => s.replace(/\]$/, ''));
  if (segments.some((s) => /(Ref|Refs|Selector)$/.test(s) || s === 'tags' || s === 'labels')) return false;
  const last = segments[segments.length - 1].replace(/\[\d+\]$/, '');
  return /^(name|namePrefix)$/.test(last) || /[a-z](Name|NamePrefix|Identifier)$/.test(last);
}

/**
 * Fields that protect data from deletion: RDS deletion protection and the final snapshot, the
 * Database API's own switches for them, and Crossplane's managementPolicies (without Delete, a
 * deleted resource is orphaned in AWS instead of deleted).
 */
export function protectsData(path: string): boolean {
  const last = path
    .split('.')
    .pop()!
    .replace(/\[\d+\]$/, '');
  return ['deletionProtection', 'skipFinalSnapshot', 'finalSnapshotIdentifier', 'finalSnapshot', 'managementPolicies'].includes(last);
}

/**
 * Arguments of the stateful kinds that Terraform marks ForceNew: AWS cannot change them in place.
 * upjet refuses such an update rather than replacing the resource ("refuse to update the external
 * resource because the following update requires replacing it": assertNoForceNew in
 * pkg/controller/external_tfpluginsdk.go, planRequiresReplace in external_tfpluginfw.go of
 * crossplane/upjet), so the managed resource stays unsynced, ignoring every later change to it,
 * until the composition is reverted or the resource replaced by hand. Paths are under
 * spec.forProvider (or initProvider), list indexes left out. Source: the schemas in
 * hashicorp/terraform-provider-aws internal/service/ec2/vpc_subnet.go, vpc_.go (VPC), rds/cluster.go,
 * rds/cluster_instance.go, eks/cluster.go, eks/node_group.go, kms/key.go, iam/role.go. Names are in
 * namesResource already.
 */
export const FORCE_NEW: readonly { readonly group: string; readonly kind: string; readonly fields: readonly string[] }[] = [
  { group: 'ec2', kind: 'VPC', fields: ['cidrBlock', 'ipv4IpamPoolId', 'ipv4NetmaskLength'] },
  { group: 'ec2', kind: 'Subnet', fields: ['cidrBlock', 'availabilityZone', 'availabilityZoneId', 'vpcId', 'ipv6Native', 'outpostArn'] },
  {
    group: 'rds',
    kind: 'Cluster',
    fields: ['engine', 'engineMode', 'kmsKeyId', 'storageEncrypted', 'masterUsername', 'availabilityZones', 'snapshotIdentifier', 'sourceRegion'],
  },
  { group: 'rds', kind: 'ClusterInstance', fields: ['engine', 'availabilityZone'] },
  {
    group: 'eks',
    kind: 'Cluster',
    fields: ['roleArn', 'kubernetesNetworkConfig.serviceIpv4Cidr', 'kubernetesNetworkConfig.ipFamily', 'encryptionConfig.provider.keyArn'],
  },
  {
    group: 'eks',
    kind: 'NodeGroup',
    fields: [
      'amiType',
      'capacityType',
      'diskSize',
      'instanceTypes',
      'nodeRoleArn',
      'subnetIds',
      'remoteAccess.ec2SshKey',
      'remoteAccess.sourceSecurityGroupIds',
    ],
  },
  { group: 'kms', kind: 'Key', fields: ['keyUsage', 'customerMasterKeySpec', 'multiRegion'] },
  { group: 'iam', kind: 'Role', fields: ['path'] },
];

/** Whether changing `path` of `o` needs a new resource in AWS (FORCE_NEW). */
export function forcesNew(o: { apiVersion?: string; kind?: string }, path: string): boolean {
  const m = /^spec\.(forProvider|initProvider)\.(.+)$/.exec(path);
  if (!m) return false;
  const group = String(o.apiVersion ?? '').split('/')[0];
  const field = m[2].replace(/\[\d+\]/g, '');
  return FORCE_NEW.some((k) => o.kind === k.kind && new RegExp(`^${k.group}\\.aws\\.(m\\.)?upbound\\.io$`).test(group) && k.fields.includes(field));
}
