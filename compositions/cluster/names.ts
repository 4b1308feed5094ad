// How a Cluster's AWS names are formed: `<readable>-<hash>`, every AWS name of the Cluster
// (EKS cluster, IAM roles, queue, rules, KMS aliases, RDS identifiers, security and subnet
// groups, launch template, the Argo CD cluster Secret) starting with it.
//   - readable: spec.clusterName if the developer gave one, else metadata.name;
//   - hash: the first 8 hex digits of SHA-256("<environment>/<namespace>/<name>"), what makes a
//     Cluster unique on the control cluster (Kubernetes keeps namespace/name unique; the
//     environment picks the account).
// So a claim cannot pick another team's AWS name: whatever readable part it gives, its own
// namespace and name are hashed in, and AWS adopts an existing resource of the same name
// (provider-upjet-aws config/externalname.go: EKS clusters, IAM roles and RDS clusters are
// found by name) only if every one of those agrees. A Cluster that already exists keeps the name
// its EKSCluster was given (status.clusterName wins), so a change of scheme never renames, and so
// never replaces, what runs.
import { MAX_CLUSTER_NAME, UniqueName } from '../authoring';

/** Hex digits of the hash: two Clusters with the same readable part collide with odds of 1 in 2^32. */
export const HASH_LENGTH = 8;

export const CLUSTER_NAMES = new UniqueName({
  readable: ['spec.clusterName', 'metadata.name'],
  identity: ['spec.environment', 'metadata.namespace', 'metadata.name'],
  hashLength: HASH_LENGTH,
  key: 'awsNames',
});

/** The readable part fits so that the whole name is at most the EKS cluster name every API allows. */
export const MAX_READABLE_NAME = MAX_CLUSTER_NAME - 1 - HASH_LENGTH;
