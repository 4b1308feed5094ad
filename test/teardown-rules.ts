// The rules a Cluster's teardown must keep, as the engines around it decide them: what may not go
// before what, each naming the protocol step it breaks when it does. The walk (teardown-walk.ts)
// asks these round by round while the real renderer decides what goes.
import { DNS_CLEANUP } from '../compositions/cluster/dns-cleanup';
import { DRAIN, DRAIN_PARTS } from '../compositions/cluster/drain';
import { DATABASE_PARTS, EKS_PARTS, GATE, HELD, NETWORK_PARTS, REGISTRATION, STEPS, type StepId } from '../compositions/cluster/teardown';
import { WORKLOAD } from '../compositions/cluster/workload';
import type { ObservedFixture } from '../lib/render';
import { type Observed, resourceNameOf, type Violation, type WalkRules, type World } from './teardown-walk';

/** The protocol the issue asks for, in order (held is a state, not a step). */
export const PROTOCOL: readonly StepId[] = ['argocd', 'drain', 'dns', 'database', 'eks', 'network'];

const JOBS = [DRAIN, DNS_CLEANUP];
const ORPHANED = [WORKLOAD, ...DRAIN_PARTS, DRAIN, DNS_CLEANUP];
const APPEARED = 'test.drydock.dev/appeared-round';
const CHILD_XRS = ['Database', 'EKSCluster', 'Network'];
const SLOW_ROUNDS = 3;

export interface ClusterRulesProps {
  /** What AWS reports for the parts (the Cluster's observed fixture). */
  readonly fixture: ObservedFixture & { status: Record<string, any> };
  /** Observe a freshly desired resource as the renderer's harness would. */
  readonly observe: (desired: any, xr: any, fixture: ObservedFixture) => any;
}

/** A watcher (teardown-watch.ts): an Object observing, never writing. */
const isWatcher = (o: any) => o.kind === 'Object' && JSON.stringify(o.spec?.managementPolicies) === '["Observe"]';
/**
 * What provider-kubernetes reports for a watcher: its target as the API server holds it (a part
 * being deleted included), or, once there is none, what crossplane-runtime's managed reconciler
 * writes for an Observe-only resource with nothing to observe (reconciler.go:1138-1141).
 */
function watched(o: any, w: World): any {
  const m = o.spec.forProvider.manifest;
  const target = [...w.observed.values()].find((t) => t.object.kind === m.kind && t.object.metadata?.name === m.metadata.name);
  const conditions = target
    ? [{ type: 'Synced', status: 'True', reason: 'ReconcileSuccess' }]
    : [{ type: 'Synced', status: 'False', reason: 'ReconcileError', message: 'observe failed: external resource does not exist' }];
  const atProvider = target ? { manifest: target.object } : (o.status?.atProvider ?? {});
  return { ...o, status: { ...o.status, atProvider, conditions } };
}
const isProtected = (db: Observed | undefined) =>
  !!db && (db.object.spec?.deletionProtection === true || db.object.status?.deletionProtection === true);
const present = (w: World, names: readonly string[]) => names.filter((n) => w.observed.has(n));
const xrEnables = (w: World, addon: string) => w.xr.spec?.addons?.[addon] === true;
/** The workload cluster could be reached: its ProviderConfig existed and nobody said to skip the drain. */
const reachable = (w: World) => (w.observed.has(WORKLOAD) || w.gone.has(WORKLOAD)) && !w.xr.spec?.teardown?.skipDrainReason;
const drained = (w: World) => !reachable(w) || w.readyAt.has(DRAIN);
const dnsDone = (w: World) => drained(w) && (!reachable(w) || !xrEnables(w, 'externalDns') || w.readyAt.has(DNS_CLEANUP));

export function clusterRules(props: ClusterRulesProps): WalkRules {
  const v = (step: string, message: string): Violation => ({ step, message });
  return {
    stepOf: (name) => {
      if (name === GATE) return 'gate';
      if (name === HELD) return 'held';
      if ((ORPHANED as string[]).includes(name) && name !== DNS_CLEANUP) return 'drain';
      return STEPS.find((s) => s.resources.includes(name))?.id;
    },

    mayStartDeleting(name, w) {
      if ((ORPHANED as string[]).includes(name)) {
        const o = w.observed.get(name)!;
        // A ProviderConfig is released once nothing uses it; only Objects act on the cluster.
        if (o.object.kind !== 'Object') return undefined;
        const policies: string[] = o.object.spec?.managementPolicies ?? ['*'];
        if (policies.includes('*') || policies.includes('Delete'))
          return v(
            this.stepOf(name)!,
            `its management policies (${policies.join(', ')}) let provider-kubernetes delete through the workload cluster: once EKS is gone it can never be released (crossplane-runtime managed reconciler, reconciler.go:969-1000)`,
          );
        return undefined;
      }
      if ((REGISTRATION as readonly string[]).includes(name) && isProtected(w.observed.get('database')))
        return v(
          'held',
          'the teardown started although the database keeps deletion protection: the drain would take the workloads down while the data cannot go',
        );
      if (name === 'database') {
        if (isProtected(w.observed.get('database')))
          return v('held', 'RDS refuses to delete a protected cluster for ever, after deleting its instances: the data stays, unreachable');
        if (present(w, REGISTRATION).length || !dnsDone(w)) return v('database', 'the database went before the cluster was drained');
      }
      if (name === 'eks') {
        if (present(w, DATABASE_PARTS).length)
          return v(
            'eks',
            `EKS went while ${present(w, DATABASE_PARTS).join(', ')} exist: the database admits the cluster security group, which EKS deletes`,
          );
        if (!drained(w))
          return v(
            'eks',
            "EKS went before the drain completed: Karpenter's instances keep running and billing, load balancers and volumes stay, their ENIs keep the VPC (DependencyViolation), and Karpenter's instance profiles and launch templates stay",
          );
        if (!dnsDone(w)) return v('eks', "EKS went before ExternalDNS's cleanup: its identity goes with EKS and the records stay");
      }
      if (name === 'network' && present(w, [...EKS_PARTS, ...DATABASE_PARTS]).length)
        return v(
          'network',
          `the network went while ${present(w, [...EKS_PARTS, ...DATABASE_PARTS]).join(', ')} exist: the VPC cannot be deleted (DependencyViolation)`,
        );
      return undefined;
    },

    // A child XR deleted in the foreground stays until its managed resources are gone in AWS
    // (minutes to tens of minutes: an Aurora final snapshot, an EKS cluster): several rounds here.
    goneNow: (o, w) => !CHILD_XRS.includes(o.object.kind) || w.round - o.deleting! >= SLOW_ROUNDS,

    mayAppear(name, w) {
      if (name === DRAIN && present(w, REGISTRATION).length)
        return v(
          'drain',
          'the drain started while Argo CD still manages the cluster: it would re-apply the NodePools and the rest the drain deletes',
        );
      if (name === DNS_CLEANUP && !w.readyAt.has(DRAIN))
        return v('dns', "ExternalDNS's cleanup started before the drain removed the records' sources: it would keep the records");
      return undefined;
    },

    observe(desired, w) {
      const name = resourceNameOf(desired);
      const o = props.observe(desired, w.xr, props.fixture);
      if (isWatcher(o)) return watched(o, w);
      if (name === 'database') return { ...o, status: { ...o.status, deletionProtection: desired.spec.deletionProtection } };
      if (!JOBS.includes(name)) return o;
      // A Job runs a while: it completes one round after it appears.
      const conditions = o.status.conditions.map((c: any) => (c.type === 'Ready' ? { ...c, status: 'False', reason: 'Unavailable' } : c));
      return {
        ...o,
        metadata: { ...o.metadata, annotations: { ...o.metadata.annotations, [APPEARED]: String(w.round) } },
        status: { ...o.status, conditions },
      };
    },

    tick(o, w) {
      if (isWatcher(o.object)) return watched(o.object, w);
      // AWS applies a change of deletion protection a round later, and then reports it.
      if (o.name === 'database') return { ...o.object, status: { ...o.object.status, deletionProtection: o.object.spec.deletionProtection } };
      if (!JOBS.includes(o.name) || Number(o.object.metadata.annotations?.[APPEARED]) >= w.round) return o.object;
      const conditions = o.object.status.conditions.map((c: any) => (c.type === 'Ready' ? { ...c, status: 'True', reason: 'Available' } : c));
      return { ...o.object, status: { ...o.object.status, conditions } };
    },

    stuckAt(w) {
      if (w.observed.has(HELD)) return 'held';
      return STEPS.find((s) => s.id !== 'held' && s.resources.some((r) => w.observed.has(r)))?.id ?? 'gate';
    },

    leftAtTheEnd(w) {
      const left = present(w, [...REGISTRATION, ...DATABASE_PARTS, ...EKS_PARTS, ...NETWORK_PARTS]);
      return left.length
        ? v('gate', `the Cluster was deleted while ${left.join(', ')} remained: garbage collection deletes them all at once`)
        : undefined;
    },
  };
}
