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
 * Fields that name a resource in AWS. Changing one replaces the resource: upjet looks a resource up
 * by its external name, so a new name is a new resource and the old one is deleted. The
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
