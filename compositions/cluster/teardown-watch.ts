// Following a part after the Cluster stopped composing it. Crossplane's composer deletes a part the
// pipeline drops (foreground: a child XR stays until its managed resources are gone in AWS) and, in
// the same reconcile, writes spec.resourceRefs without it; the pipeline observes only what
// resourceRefs names, so from the next reconcile on the part is not observed however long it takes
// to go (crossplane/crossplane at the pinned release,
// internal/controller/apiextensions/composite/composition_functions.go:538-560, 749-790, 853-920).
// "Not observed" is therefore not "gone": a step waiting on it would start the next one at once.
//
// So each part the teardown deletes and waits for has a watcher, composed when the teardown
// begins: an Object of provider-kubernetes in the control cluster, managed with the Observe policy
// alone (it never writes, and is released without touching its target), naming the part by the
// name the Cluster recorded in status.teardown.names while it still observed it. It reports the part
// while it exists (with its deletionTimestamp once deleting: status.teardown shows the step), and
// Synced=False "external resource does not exist" once it is gone
// (authoring/conditions.ts composedObservesNothing). provider-kubernetes re-observes every --poll
// (10 minutes by default, cmd/provider/main.go:85; dist/ sets one minute, charts/crossplane.ts
// PROVIDER_KUBERNETES_ARGS), so a step may be noticed that much later.
import { KubernetesObject, ObjectSpecManagementPolicies as Policy } from '../../imports/kubernetes.m.crossplane.io';
import {
  allOf,
  alreadyComposed,
  anyOf,
  type ComposedResource,
  type Condition,
  composedObservesNothing,
  fromXr,
  not,
  observed,
  PATCHED,
  present,
  type StatusSource,
} from '../authoring';
import { CONTROL_CLUSTER_PROVIDER_CONFIG } from './registration';

/** The parts whose deletion a step waits for, by composition-resource-name. */
export type Watched = 'registration' | 'database' | 'eks' | 'network';

export const watcherOf = (part: Watched) => `watch-${part}`;
const nameField = (part: Watched) => `status.teardown.names.${part}`;

/** What records a part's name: the part while composed, then its watcher (a later resource wins). */
export const nameSources = (part: Watched): StatusSource[] => [
  observed(part, 'metadata.name'),
  observed(watcherOf(part), 'spec.forProvider.manifest.metadata.name'),
];

/** The watcher is there from the first teardown reconcile in which its part or itself is, until the Cluster goes. */
export const watching = (part: Watched, tearingDown: Condition): Condition =>
  allOf(tearingDown, present(nameField(part)), anyOf(alreadyComposed(part), alreadyComposed(watcherOf(part))));

/**
 * The part is gone: the pipeline no longer composes it and its watcher found nothing (or there is
 * no watcher: the part was never composed, or its name was never recorded).
 */
export const partGone = (part: Watched): Condition =>
  allOf(not(alreadyComposed(part)), anyOf(not(alreadyComposed(watcherOf(part))), composedObservesNothing(watcherOf(part))));

/** The watcher of `part`, a resource of `kind` in the Cluster's namespace. */
export function watcher(part: Watched, kind: { apiVersion: string; kind: string }, includeWhen: Condition): ComposedResource {
  return {
    name: watcherOf(part),
    base: KubernetesObject.manifest({
      spec: {
        managementPolicies: [Policy.OBSERVE],
        providerConfigRef: { kind: 'ClusterProviderConfig', name: CONTROL_CLUSTER_PROVIDER_CONFIG },
        forProvider: { manifest: { apiVersion: kind.apiVersion, kind: kind.kind, metadata: { name: PATCHED, namespace: PATCHED } } },
      },
    }),
    patches: [
      fromXr(nameField(part), 'spec.forProvider.manifest.metadata.name'),
      fromXr('metadata.namespace', 'spec.forProvider.manifest.metadata.namespace'),
    ],
    includeWhen,
  };
}
