// How a Cluster is deleted: one step at a time, each starting once the one before is done, the
// step in progress shown by `kubectl get cluster` (TEARDOWN) and status.teardown.
//
// Crossplane core runs no composition function for an XR being deleted: its finalizer is removed
// at once and garbage collection deletes every part together (crossplane/crossplane at the
// release the platform pins, internal/controller/apiextensions/composite/reconciler.go:582-603).
// So the Cluster is not deleted at first. A Usage of the Cluster itself (the gate) makes the API server refuse the delete with
// our message, and Crossplane's webhook records the attempt in the annotation
// usage.crossplane.io/deletion-attempt-with-policy (internal/webhook/protection/usage/handler.go:
// 106-160). The pipeline keeps running, sees the annotation and drops the parts in the order
// below; a part is dropped only once the step before is done, because the composer aborts a whole
// reconcile when a delete is refused (composition_functions.go:538-540). When nothing is left, it
// drops the gate and the Usage controller replays the delete (reconciler.go:398-415). A dropped
// part leaves the pipeline's view at once, however long it takes to go: a watcher follows each
// until it is really gone (teardown-watch.ts).
//
// The Usages between the parts (composition.ts) stay, for the deletions that bypass the gate: a
// team namespace deleted whole, a Cluster deleted before its gate was in force. They hold little
// there: a child XR deleted in the background is gone at once (its managed resources are deleted
// after it), and a Usage `by` it then lets go (internal/controller/protection/usage/reconciler.go:
// 318-355); they hold the order under foreground deletion only.
import {
  allGone,
  allOf,
  alreadyComposed,
  annotated,
  anyOf,
  type Condition,
  composedFieldIs,
  composedReady,
  constant,
  convert,
  DELETION_ATTEMPT_ANNOTATION,
  enabled,
  type LaterWins,
  laterWins,
  not,
  observed,
  present,
  type StatusSource,
} from '../authoring';
import { DNS_CLEANUP, DNS_JOB } from './dns-cleanup';
import { DRAIN, DRAIN_JOB } from './drain';
import { nameSources, partGone, type Watched, watcherOf, watching } from './teardown-watch';
import { WORKLOAD } from './workload';

export type StepId = 'held' | 'argocd' | 'drain' | 'dns' | 'database' | 'eks' | 'network';

export interface TeardownStep {
  readonly id: StepId;
  /** What the TEARDOWN column shows while the step runs. */
  readonly column: string;
  /** What status.teardown.waitingFor says. */
  readonly waitingFor: string;
  /** The composition resources the step deletes (or, for the Jobs, creates and waits for). */
  readonly resources: readonly string[];
  /** Why it comes where it does. */
  readonly why: string;
}

/** The registration and what its Usage holds; the database, EKS and network with theirs. */
export const REGISTRATION = ['registration', 'usage-eks-by-registration'] as const;
export const DATABASE_PARTS = ['database', 'usage-eks-by-database', 'usage-network-by-database'] as const;
export const EKS_PARTS = ['eks', 'usage-network-by-eks'] as const;
export const NETWORK_PARTS = ['network'] as const;
export const GATE = 'deletion-gate';
export const HELD = 'teardown-held';

/** The protocol, in order. The composition's conditions and the status below are made from it. */
export const STEPS: readonly TeardownStep[] = [
  {
    id: 'held',
    column: 'held',
    waitingFor: '(the reason of the teardown-held Usage: the database has deletion protection)',
    resources: [HELD],
    why: 'production data is never deleted by a delete: nothing is touched until protection is turned off',
  },
  {
    id: 'argocd',
    column: '1/6 argocd',
    waitingFor:
      'removing the Argo CD registration: the add-on Applications go without touching the cluster, whose controllers keep running for the drain',
    resources: REGISTRATION,
    why: 'Argo CD must stop re-applying what the drain deletes; its Applications carry no resources finalizer, so their controllers stay',
  },
  {
    id: 'drain',
    column: '2/6 drain',
    waitingFor: `the drain Job ${DRAIN_JOB.namespace}/${DRAIN_JOB.name} in the cluster: it deletes Ingresses, LoadBalancer Services, developer namespaces, volumes and Karpenter's nodes while their controllers still run`,
    resources: [DRAIN],
    why: 'load balancers, volumes, instances and instance profiles are deleted by the cluster’s own controllers, which need the cluster',
  },
  {
    id: 'dns',
    column: '3/6 dns',
    waitingFor: `ExternalDNS's one-shot sync (Job ${DNS_JOB.namespace}/${DNS_JOB.name}) deleting the records whose sources the drain removed`,
    resources: [DNS_CLEANUP],
    why: 'upsert-only ExternalDNS never deletes records; it needs its Pod Identity, which goes with EKS',
  },
  {
    id: 'database',
    column: '4/6 database',
    waitingFor: 'deleting the database (RDS takes the final snapshot when finalSnapshot is on; the key stays then)',
    resources: DATABASE_PARTS,
    why: "its security group admits the EKS cluster's security group, and its wiring comes from EKS",
  },
  {
    id: 'eks',
    column: '5/6 eks',
    waitingFor: 'deleting the EKS cluster, its nodes, roles and add-on identities',
    resources: EKS_PARTS,
    why: "nothing in the cluster owns AWS resources any more: Karpenter's instances and instance profiles are gone, and its identity and queue may go",
  },
  {
    id: 'network',
    column: '6/6 network',
    waitingFor:
      "deleting the network (VPC, subnets, NAT gateways). Anything with an interface in it holds it (DependencyViolation): after a skipped drain, the instances Karpenter left (tag karpenter.sh/nodepool) and the load balancers of the cluster's controllers (tag elbv2.k8s.aws/cluster) must be deleted by hand",
    resources: NETWORK_PARTS,
    why: 'no instance, load balancer, database or EKS interface is left in the VPC',
  },
];

export const step = (id: StepId): TeardownStep => STEPS.find((s) => s.id === id)!;

/** The Cluster is being deleted: a delete was refused by the gate and recorded. */
export const TEARING_DOWN = annotated(DELETION_ATTEMPT_ANNOTATION);
const SKIP_DRAIN = present('spec.teardown.skipDrainReason');

/** The database has deletion protection, asked for or as AWS still reports it. */
const DATABASE_PROTECTED = anyOf(
  composedFieldIs('database', 'spec.deletionProtection', true),
  composedFieldIs('database', 'status.deletionProtection', true),
);

/**
 * The links of the protocol: each step waits for the one before (and nothing else, so each link
 * is needed: a test removes each in turn and expects the walk to fail at that step).
 */
export interface TeardownLinks {
  /** A protected database holds the teardown before anything is touched, and is never dropped while protected. */
  readonly hold: boolean;
  /** The drain waits until Argo CD no longer manages the cluster. */
  readonly argocdBeforeDrain: boolean;
  /** ExternalDNS's cleanup waits for the drain (the records' sources must be gone). */
  readonly drainBeforeDns: boolean;
  /** The database waits for the cluster's own cleanup. */
  readonly dnsBeforeDatabase: boolean;
  /** EKS waits for the database. */
  readonly databaseBeforeEks: boolean;
  /** The network waits for EKS. */
  readonly eksBeforeNetwork: boolean;
  /** The gate stays until the network is gone. */
  readonly networkBeforeGate: boolean;
  /** A step is done when its parts are really gone (their watchers say so), not when the pipeline stopped observing them. */
  readonly followDeletion: boolean;
}

export const EVERY_LINK: TeardownLinks = {
  hold: true,
  argocdBeforeDrain: true,
  drainBeforeDns: true,
  dnsBeforeDatabase: true,
  databaseBeforeEks: true,
  eksBeforeNetwork: true,
  networkBeforeGate: true,
  followDeletion: true,
};

const NEVER: Condition = { expression: 'false', reads: [] };

/** The cluster could be reached: its kubeconfig was known (else nothing ran in it to drain). */
const REACHABLE = allOf(alreadyComposed(WORKLOAD), not(SKIP_DRAIN));

/**
 * A part that lives until its step: in normal life under its own condition; while tearing down
 * only if it still exists (nothing new is created) and its step has not begun.
 */
function until(name: string, begins: Condition, normally?: Condition): Condition {
  const living = normally ? allOf(not(TEARING_DOWN), normally) : not(TEARING_DOWN);
  return anyOf(living, allOf(TEARING_DOWN, alreadyComposed(name), not(begins)));
}

/** When each part of a Cluster is composed, from the links of the protocol. */
export function lifetimes(links: TeardownLinks = EVERY_LINK) {
  const after = (link: boolean, done: Condition): Condition[] => (link ? [done] : []);
  const gone = (part: Watched): Condition[] => (links.followDeletion ? [partGone(part)] : []);
  const holding = links.hold ? allOf(TEARING_DOWN, DATABASE_PROTECTED, alreadyComposed('registration')) : undefined;
  // Each step begins once the one before is done, and is done when its parts are gone (or its Job completed).
  const argocdDone = allOf(TEARING_DOWN, allGone(REGISTRATION), ...gone('registration'));
  const drainBegins = allOf(TEARING_DOWN, ...after(links.argocdBeforeDrain, argocdDone));
  const drainDone = allOf(drainBegins, anyOf(not(REACHABLE), composedReady(DRAIN)));
  const dnsBegins = allOf(TEARING_DOWN, ...after(links.drainBeforeDns, drainDone));
  const dnsDone = allOf(dnsBegins, anyOf(not(REACHABLE), not(enabled('spec.addons.externalDns')), composedReady(DNS_CLEANUP)));
  const databaseBegins = allOf(TEARING_DOWN, ...after(links.dnsBeforeDatabase, dnsDone), ...(links.hold ? [not(DATABASE_PROTECTED)] : []));
  const databaseDone = allOf(databaseBegins, allGone(DATABASE_PARTS), ...gone('database'));
  const eksBegins = allOf(TEARING_DOWN, ...after(links.databaseBeforeEks, databaseDone));
  const eksDone = allOf(eksBegins, allGone(EKS_PARTS), ...gone('eks'));
  const networkBegins = allOf(TEARING_DOWN, ...after(links.eksBeforeNetwork, eksDone));
  const networkDone = allOf(networkBegins, allGone(NETWORK_PARTS), ...gone('network'));
  const released = allOf(TEARING_DOWN, ...after(links.networkBeforeGate, networkDone));
  return {
    registration: (normally?: Condition) =>
      holding ? anyOf(until('registration', TEARING_DOWN, normally), holding) : until('registration', TEARING_DOWN, normally),
    database: (normally: Condition) => until('database', databaseBegins, normally),
    eks: () => until('eks', eksBegins),
    network: () => until('network', networkBegins),
    /**
     * The workload ProviderConfig: once the kubeconfig is known, until the Jobs are done. Dropped
     * before EKS goes: its kubeconfig Secret goes with EKS, and a ProviderConfig patched without it
     * would be refused by the API server and stall the whole reconcile. (What it applied stays in
     * the cluster; the Objects hold no Delete, so releasing them never needs the cluster.)
     */
    workload: () => anyOf(allOf(not(TEARING_DOWN), present('status.kubeconfigSecret')), allOf(TEARING_DOWN, alreadyComposed(WORKLOAD), not(dnsDone))),
    drain: () => allOf(drainBegins, REACHABLE),
    // Its owner id and domains come from the cluster (a Required patch would hold every Cluster unready).
    dns: () => allOf(dnsBegins, REACHABLE, enabled('spec.addons.externalDns'), present('status.clusterName'), present('spec.dns.domains')),
    held: () => allOf(TEARING_DOWN, DATABASE_PROTECTED),
    /** The watcher that tells when `part` is really gone (teardown-watch.ts). */
    watch: (part: Watched) => (links.followDeletion ? watching(part, TEARING_DOWN) : NEVER),
    /** Released once every part is gone: then the Usage controller replays the Cluster's deletion. */
    gate: () => not(released),
  };
}
export type Lifetimes = ReturnType<typeof lifetimes>;

/**
 * status.teardown, from resources that exist only while their step runs: the registration's watcher
 * (composed when the teardown begins, which is when its step begins), the Jobs, and the watchers of
 * the child XRs, which report a part's deletionTimestamp while it is being deleted (a dropped part
 * is not observed any more, teardown-watch.ts). Patch-and-transform applies resources in order, so
 * a later step's source, composed later, wins over an earlier one's.
 */
const stepSource = (resource: string, field: string, s: TeardownStep, what: 'column' | 'waitingFor'): StatusSource =>
  observed(resource, field, { transforms: [constant(s[what])] });
const DELETING = 'status.atProvider.manifest.metadata.deletionTimestamp';
const stepSources = (what: 'column' | 'waitingFor', drainFailed: StatusSource[], held: StatusSource) =>
  laterWins(
    stepSource(watcherOf('registration'), 'metadata.name', step('argocd'), what),
    stepSource(DRAIN, 'metadata.name', step('drain'), what),
    ...drainFailed,
    stepSource(DNS_CLEANUP, 'metadata.name', step('dns'), what),
    stepSource(watcherOf('database'), DELETING, step('database'), what),
    stepSource(watcherOf('eks'), DELETING, step('eks'), what),
    stepSource(watcherOf('network'), DELETING, step('network'), what),
    held,
  );

const WATCHED: readonly Watched[] = ['registration', 'database', 'eks', 'network'];

export const TEARDOWN_STATUS: Record<string, LaterWins> = {
  'teardown.step': stepSources('column', [], stepSource(HELD, 'metadata.name', step('held'), 'column')),
  'teardown.waitingFor': stepSources(
    'waitingFor',
    [
      observed(DRAIN, 'status.atProvider.manifest.status.failed', {
        transforms: [
          convert('string'),
          constant(
            `the drain Job has failed pods and retries: read kubectl -n ${DRAIN_JOB.namespace} logs job/${DRAIN_JOB.name} in the cluster; if the cluster cannot be reached any more, set spec.teardown.skipDrainReason`,
          ),
        ],
      }),
    ],
    observed(HELD, 'spec.reason'),
  ),
  // The parts' names, kept while the teardown follows them after they stopped being composed.
  ...Object.fromEntries(WATCHED.map((p) => [`teardown.names.${p}`, laterWins(...nameSources(p))])),
};
