// The drain: a Job the Cluster runs inside its workload cluster before deleting it (workload.ts),
// which deletes everything that owns AWS resources there while the controllers that clean up
// after it still run.
//
// Why each command, and in this order (read in the upstream sources):
// - Ingresses and Services of type LoadBalancer: the AWS Load Balancer Controller (finalizers
//   ingress.k8s.aws/resources, service.k8s.aws/resources: aws-load-balancer-controller at
//   the release CHARTS pins, pkg/shared_constants/finalizers.go), the cloud controller manager and EKS Auto Mode delete their
//   load balancers and security groups only when these go; left behind they keep the VPC
//   (DependencyViolation). `spec.type` is a selectable field of Services (kubernetes
//   pkg/registry/core/service/strategy.go, SelectableFields).
// - Every developer namespace, whole: workloads, their claims, Gateways, TargetGroupBindings, PDBs.
//   The add-ons' namespaces stay until those are gone: their controllers finalize objects there
//   (ACME Orders and Challenges carry finalizer.acme.cert-manager.io, or acme.cert-manager.io/finalizer
//   under cert-manager's UseDomainQualifiedFinalizer gate, which only its controller removes, after
//   cleaning up the DNS-01 record a Challenge presented), and a namespace holding such an object
//   never finishes deleting without them. Then the add-ons'
//   own namespaces (Prometheus' claims with them); Karpenter, the load balancer controller and the
//   EBS CSI controller live in kube-system, external-dns stays for the record cleanup after.
// - Claims in `default`, then every PersistentVolume: a CSI volume with reclaim policy Delete
//   keeps `external-provisioner.volume.kubernetes.io/finalizer` until the EBS volume is deleted
//   (GA in Kubernetes since spring 2025); a Retain volume stays in AWS, as its policy says.
// - NodePools, with foreground deletion: their NodeClaims are owned by them (kubernetes-sigs/karpenter
//   at the release CHARTS pins, pkg/controllers/provisioning/scheduling/nodeclaimtemplate.go:152-165)
//   and Karpenter terminates each instance before releasing it. Then EC2NodeClasses: their finalizer waits for
//   the NodeClaims and deletes the instance profiles and launch templates Karpenter made
//   (karpenter-provider-aws, pkg/controllers/nodeclass/controller.go:214-249); left, those
//   keep the node role from being deleted. Auto Mode has none: EKS terminates its nodes with the
//   cluster (EKS user guide, "Delete a cluster", Auto Mode considerations).
//
// Each command is one container: init containers run in order, a failed one fails the pod, the
// Job retries, and every command is idempotent, so a retry resumes where the last one stopped.
import { IMAGES, imageRef } from '../../catalog';
import { type ComposedResource, type Condition, combineFromXr, mapping } from '../authoring';
import { DNS_JOB } from './dns-cleanup';
import { ON_SYSTEM_NODES, RESTRICTED, SMALL, workloadObject } from './workload';

/** The drain Job (its Object's composition-resource-name) and the rest of what it needs. */
export const DRAIN = 'drain';
export const DRAIN_PARTS = ['drain-service-account', 'drain-cluster-role', 'drain-binding'] as const;

export const DRAIN_JOB = { namespace: 'kube-system', name: 'drydock-teardown' } as const;

/** Namespaces the drain keeps: the system's, and ExternalDNS's for the record cleanup after it. */
export const KEPT_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'default', DNS_JOB.namespace] as const;

/**
 * The other namespaces the add-ons Argo CD installs run in (charts/addons.ts, ADDON_SPECS; a test
 * holds the two together): deleted only after the developers' namespaces.
 */
export const ADDON_NAMESPACES = ['cert-manager', 'external-secrets', 'ingress-nginx', 'monitoring'] as const;

/** One drain command: kubectl's arguments, and what it removes from AWS (read by the ledger test). */
export interface DrainCommand {
  readonly name: string;
  readonly args: readonly string[];
  /** Only where Karpenter runs (Managed mode with the add-on). */
  readonly karpenterOnly?: boolean;
}

const WAIT = ['--wait=true', '--timeout=30m'];
export const DRAIN_COMMANDS: readonly DrainCommand[] = [
  { name: 'ingresses', args: ['delete', 'ingresses.networking.k8s.io', '--all', '--all-namespaces', ...WAIT] },
  {
    name: 'load-balancer-services',
    args: ['delete', 'services', '--all-namespaces', '--field-selector=spec.type=LoadBalancer', ...WAIT],
  },
  {
    name: 'namespaces',
    args: ['delete', 'namespaces', '-l', `kubernetes.io/metadata.name notin (${[...KEPT_NAMESPACES, ...ADDON_NAMESPACES].join(',')})`, ...WAIT],
  },
  { name: 'addon-namespaces', args: ['delete', 'namespaces', '-l', `kubernetes.io/metadata.name in (${ADDON_NAMESPACES.join(',')})`, ...WAIT] },
  {
    name: 'default-namespace',
    args: [
      'delete',
      'deployments.apps,statefulsets.apps,daemonsets.apps,jobs.batch,cronjobs.batch,persistentvolumeclaims',
      '--all',
      '--namespace=default',
      ...WAIT,
    ],
  },
  { name: 'volumes', args: ['delete', 'persistentvolumes', '--all', ...WAIT] },
  { name: 'nodepools', args: ['delete', 'nodepools.karpenter.sh', '--all', '--cascade=foreground', ...WAIT], karpenterOnly: true },
  { name: 'nodeclasses', args: ['delete', 'ec2nodeclasses.karpenter.k8s.aws', '--all', ...WAIT], karpenterOnly: true },
];

/** What the drain may do: list, watch and delete what its commands name, nothing else. */
export const DRAIN_RULES = [
  {
    apiGroups: [''],
    resources: ['namespaces', 'services', 'persistentvolumeclaims', 'persistentvolumes'],
    verbs: ['get', 'list', 'watch', 'delete'],
  },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch', 'delete'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets'], verbs: ['get', 'list', 'watch', 'delete'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch', 'delete'] },
  { apiGroups: ['karpenter.sh'], resources: ['nodepools', 'nodeclaims'], verbs: ['get', 'list', 'watch', 'delete'] },
  { apiGroups: ['karpenter.k8s.aws'], resources: ['ec2nodeclasses'], verbs: ['get', 'list', 'watch', 'delete'] },
];

/** kubectl keeps a discovery cache under $HOME: a scratch volume, the root filesystem stays read-only. */
const SCRATCH = { name: 'scratch', emptyDir: {} };

const container = (c: DrainCommand) => ({
  name: c.name,
  image: imageRef(IMAGES.kubectl),
  args: [...c.args],
  env: [{ name: 'HOME', value: '/scratch' }],
  volumeMounts: [{ name: SCRATCH.name, mountPath: '/scratch' }],
  securityContext: RESTRICTED,
  resources: SMALL,
});

/** The containers of the drain for a cluster with or without Karpenter: all but the last run as init containers. */
export function drainContainers(karpenter: boolean) {
  const all = DRAIN_COMMANDS.filter((c) => karpenter || !c.karpenterOnly).map(container);
  return { initContainers: all.slice(0, -1), containers: all.slice(-1) };
}

/** The drain: its service account, what it may delete, and the Job. */
export function drain(includeWhen: Condition): ComposedResource[] {
  const sa = { kind: 'ServiceAccount', name: DRAIN_JOB.name, namespace: DRAIN_JOB.namespace };
  const base = drainContainers(false);
  return [
    workloadObject(
      'drain-service-account',
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: sa.name, namespace: sa.namespace } },
      { includeWhen },
    ),
    workloadObject(
      'drain-cluster-role',
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: DRAIN_JOB.name }, rules: DRAIN_RULES },
      { includeWhen },
    ),
    workloadObject(
      'drain-binding',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: DRAIN_JOB.name },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: DRAIN_JOB.name },
        subjects: [sa],
      },
      { includeWhen },
    ),
    workloadObject(
      DRAIN,
      {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: DRAIN_JOB.name, namespace: DRAIN_JOB.namespace },
        spec: {
          backoffLimit: 20,
          template: {
            spec: {
              serviceAccountName: sa.name,
              restartPolicy: 'Never',
              ...ON_SYSTEM_NODES,
              securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
              volumes: [SCRATCH],
              ...base,
            },
          },
        },
      },
      {
        job: true,
        includeWhen,
        // Karpenter's resources only where it runs (Managed mode with the add-on on).
        patches: [
          combineFromXr(
            ['spec.kubernetes.computeMode', 'spec.addons.karpenter'],
            '%s-%v',
            'spec.forProvider.manifest.spec.template.spec.initContainers',
            {
              transforms: [
                mapping({
                  'Managed-true': drainContainers(true).initContainers,
                  'Managed-false': base.initContainers,
                  'Auto-true': base.initContainers,
                  'Auto-false': base.initContainers,
                }),
              ],
            },
          ),
          combineFromXr(
            ['spec.kubernetes.computeMode', 'spec.addons.karpenter'],
            '%s-%v',
            'spec.forProvider.manifest.spec.template.spec.containers',
            {
              transforms: [
                mapping({
                  'Managed-true': drainContainers(true).containers,
                  'Managed-false': base.containers,
                  'Auto-true': base.containers,
                  'Auto-false': base.containers,
                }),
              ],
            },
          ),
        ],
      },
    ),
  ];
}
