// What a Cluster creates in AWS, and what deletes each of it in which step of its teardown
// (teardown.ts), or why it stays. Two halves: what the platform composes itself (one managed
// resource kind each), and what AWS services and the add-ons create on their own, which only their
// own controllers delete, while they still run. test/teardown-ledger.test.ts holds every kind the
// renderer composes and every add-on to an entry here: a kind nobody answers for fails it.
import type { DrainCommand } from './drain';
import type { StepId } from './teardown';

/** A step of the teardown, or `kept`: left in AWS on purpose. */
export type Fate = { readonly step: StepId; readonly deletedBy: string; readonly drainCommand?: DrainCommand['name'] } | { readonly kept: string };

/** Deleted by Crossplane with the child XR of `step` (its managed resources go with it). */
const withPart = (step: 'network' | 'eks' | 'database', note = ''): Fate => ({
  step,
  deletedBy: `Crossplane, with the ${{ network: 'Network', eks: 'EKSCluster', database: 'Database' }[step]}${note ? ` (${note})` : ''}`,
});

/** Kinds the compositions compose, by API group suffix and kind: which child XR they belong to decides the step. */
export const COMPOSED: Readonly<Record<string, Fate>> = {
  'ec2/VPC': withPart('network'),
  'ec2/Subnet': withPart('network'),
  'ec2/InternetGateway': withPart('network'),
  'ec2/NATGateway': withPart('network'),
  'ec2/EIP': withPart('network'),
  'ec2/RouteTable': withPart('network'),
  'ec2/Route': withPart('network'),
  'ec2/RouteTableAssociation': withPart('network'),
  'eks/Cluster': withPart('eks'),
  'eks/NodeGroup': withPart('eks', 'EKS terminates the system nodes'),
  'eks/Addon': withPart('eks'),
  'eks/AccessEntry': withPart('eks'),
  'eks/AccessPolicyAssociation': withPart('eks'),
  'eks/PodIdentityAssociation': withPart('eks'),
  'eks/ClusterAuth': { step: 'eks', deletedBy: 'nothing in AWS: a token and a Secret in the XR namespace' },
  'ec2/LaunchTemplate': withPart('eks'),
  // Deleting a role first takes it out of any instance profile (terraform-provider-aws
  // internal/service/iam/role.go, deleteRoleInstanceProfiles), so a profile Karpenter left would not
  // hold the node role; it would stay in AWS, empty. The drain deletes Karpenter's before (below).
  'iam/Role': withPart('eks', 'the node role after the drain deleted the instance profiles Karpenter made for it'),
  'iam/RolePolicy': withPart('eks'),
  'iam/RolePolicyAttachment': withPart('eks'),
  'kms/Key': {
    step: 'eks',
    deletedBy:
      "Crossplane schedules deletion (30-day window) after the resource that uses it: the EKS key with the EKSCluster; the database's key with the Database, unless the database keeps deletion protection or a final snapshot (then kept: see rds/Cluster)",
  },
  'kms/Alias': { step: 'eks', deletedBy: 'Crossplane, with its key (kept with it where the key is kept)' },
  'sqs/Queue': withPart('eks'),
  'sqs/QueuePolicy': withPart('eks'),
  'cloudwatchevents/Rule': withPart('eks'),
  'cloudwatchevents/Target': withPart('eks'),
  'rds/Cluster': {
    step: 'database',
    deletedBy:
      'Crossplane, with the Database, once deletion protection is off in AWS; RDS first takes the final snapshot <identifier>-final-<Database uid> (kept), and the key and alias alias/rds/<identifier> stay with it',
  },
  'rds/ClusterInstance': withPart('database', 'only once the Database may go'),
  'rds/SubnetGroup': withPart('database'),
  'rds/ClusterParameterGroup': withPart('database'),
  'ec2/SecurityGroup': withPart('database'),
  'ec2/SecurityGroupIngressRule': withPart('database'),
};

/** What one creator (an AWS service, a managed add-on, an Argo CD add-on) makes in AWS on its own. */
export interface Creator {
  /** The AWS things it creates, each with its fate; empty when it creates nothing. */
  readonly creates: readonly { readonly what: string; readonly fate: Fate }[];
}

const drained = (deletedBy: string, drainCommand: DrainCommand['name']): Fate => ({ step: 'drain', deletedBy, drainCommand });

/** By creator: the add-on names of charts/addons.ts, EKS managed add-on names, and AWS services. */
export const CREATORS: Readonly<Record<string, Creator>> = {
  // AWS services, on the platform's behalf.
  eks: {
    creates: [
      { what: 'cluster security group, control-plane ENIs', fate: { step: 'eks', deletedBy: 'EKS, with the cluster' } },
      { what: 'system node Auto Scaling group, instances, their instance profile', fate: { step: 'eks', deletedBy: 'EKS, with the node group' } },
      {
        what: 'CloudWatch log group /aws/eks/<cluster>/cluster',
        fate: {
          kept: 'EKS does not delete it, and no provider kind the platform pins can own it (no cloudwatchlogs CRDs): audit logs, left with AWS retention',
        },
      },
    ],
  },
  'eks-auto-mode': {
    creates: [
      { what: 'Auto Mode instances', fate: { step: 'eks', deletedBy: 'EKS terminates them with the cluster (EKS user guide, "Delete a cluster")' } },
      {
        what: 'load balancers of Auto Mode Ingresses and Services',
        fate: drained('EKS Auto Mode, when the drain deletes their Ingress or Service', 'ingresses'),
      },
      {
        what: 'EBS volumes of Auto Mode claims',
        fate: drained('EKS Auto Mode, when the drain deletes their claims and volumes (EKS leaves them otherwise)', 'volumes'),
      },
    ],
  },
  rds: {
    creates: [
      { what: 'database ENIs', fate: { step: 'database', deletedBy: 'RDS, with the cluster' } },
      {
        what: 'final snapshot <identifier>-final-<Database uid>',
        fate: { kept: 'on purpose: the data of a database deleted with finalSnapshot on' },
      },
      { what: 'master user secret in Secrets Manager', fate: { step: 'database', deletedBy: 'RDS, with the cluster (it manages the secret)' } },
      {
        what: 'CloudWatch log group /aws/rds/cluster/<identifier>/postgresql',
        fate: { kept: 'RDS does not delete it, and no provider kind the platform pins can own it: audit logs, left with AWS retention' },
      },
    ],
  },
  'cloud-controller-manager': {
    creates: [
      {
        what: 'Classic or Network load balancers and k8s-elb-* security groups of Services without the controller class',
        fate: drained('the cloud controller manager in the EKS control plane, when the drain deletes the Service', 'load-balancer-services'),
      },
    ],
  },
  // EKS managed add-ons.
  'vpc-cni': {
    creates: [
      {
        what: "secondary ENIs on Karpenter's nodes",
        fate: drained('EC2, with each instance the drain terminates (delete on termination)', 'nodepools'),
      },
    ],
  },
  coredns: { creates: [] },
  'kube-proxy': { creates: [] },
  'eks-pod-identity-agent': { creates: [] },
  'aws-ebs-csi-driver': {
    creates: [
      {
        what: 'EBS volumes of claims (StorageClass reclaim policy Delete)',
        fate: drained(
          'the EBS CSI controller, when the drain deletes the claims and volumes (their PV finalizer holds until the volume is gone)',
          'volumes',
        ),
      },
      {
        what: 'EBS volumes with reclaim policy Retain',
        fate: { kept: 'on purpose: their StorageClass said Retain; tagged ebs.csi.aws.com/cluster=true and kubernetes.io/created-for/pvc/*' },
      },
    ],
  },
  // Add-ons Argo CD installs (charts/addons.ts).
  karpenter: {
    creates: [
      {
        what: 'EC2 instances (and their root volumes, deleted on termination)',
        fate: drained('Karpenter, when the drain deletes the NodePools', 'nodepools'),
      },
      {
        what: 'instance profiles of the node role',
        fate: drained("Karpenter's EC2NodeClass finalizer, when the drain deletes the EC2NodeClasses", 'nodeclasses'),
      },
      { what: 'launch templates', fate: drained("Karpenter's EC2NodeClass finalizer", 'nodeclasses') },
    ],
  },
  // Kubernetes objects only (NodePools, EC2NodeClass, ClusterIssuers...): what acts on them is listed under its controller.
  'drydock-addons': { creates: [] },
  'aws-load-balancer-controller': {
    creates: [
      {
        what: 'ALBs, target groups, listeners and rules of Ingresses',
        fate: drained('the load balancer controller, when the drain deletes the Ingresses', 'ingresses'),
      },
      { what: 'NLBs of Services', fate: drained('the load balancer controller, when the drain deletes the Services', 'load-balancer-services') },
      {
        what: 'security groups (k8s-traffic-<cluster>-*, per load balancer) and their rules on the node group',
        fate: drained('the load balancer controller, with the last load balancer using them', 'load-balancer-services'),
      },
      {
        what: 'load balancers of Gateways and TargetGroupBindings in developer namespaces',
        fate: drained('the load balancer controller, when the drain deletes the namespaces', 'namespaces'),
      },
    ],
  },
  'ingress-nginx': {
    creates: [
      {
        what: 'its Service of type LoadBalancer (an NLB or Classic LB)',
        fate: drained('the controller serving it, when the drain deletes the Service', 'load-balancer-services'),
      },
    ],
  },
  'external-dns': {
    creates: [
      {
        what: 'Route53 records and their TXT ownership records',
        fate: { step: 'dns', deletedBy: 'the one-shot ExternalDNS sync (policy sync, the same owner id) after the drain' },
      },
    ],
  },
  'cert-manager': {
    creates: [
      {
        what: 'Route53 TXT records of DNS-01 challenges',
        fate: drained(
          "cert-manager, when each challenge ends, or when the drain deletes its namespace: the Challenge's finalizer holds until the record is gone, and cert-manager's own namespace goes after the developers'",
          'namespaces',
        ),
      },
    ],
  },
  // Read-only on Secrets Manager (compositions/eks/policies/external-secrets.ts).
  'external-secrets': { creates: [] },
  'kube-prometheus-stack': {
    creates: [
      {
        what: 'EBS volumes if persistence is turned on',
        fate: drained('the EBS CSI controller, when the drain deletes the namespace and volumes', 'volumes'),
      },
    ],
  },
};
