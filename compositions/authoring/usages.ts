// Crossplane Usages as composed resources: one resource may not be deleted while another uses
// it, or at all while a reason holds it. What they do, read in crossplane/crossplane at
// the release the platform pins (catalog TOOLS.crank):
// - the webhook refuses a DELETE of a used object (HTTP 409, the Usage's reason in the message) and
//   records `usage.crossplane.io/deletion-attempt-with-policy` on it
//   (internal/webhook/protection/usage/handler.go:106-160);
// - a Usage with `by` becomes owned by its user (internal/controller/protection/usage/reconciler.go:520);
//   when the Usage goes and `replayDeletion` is set, the refused DELETE is issued again (398-415).
import { Usage } from '../../imports/protection.crossplane.io';
import type { ComposedResource } from './composition';
import type { Condition } from './conditions';
import { PATCHED } from './patched';
import { fromXr, type Patch } from './patches';
import { MINE, type Selector } from './selectors';

/** What Crossplane's Usage webhook writes on an object whose deletion it refused. */
export const DELETION_ATTEMPT_ANNOTATION = 'usage.crossplane.io/deletion-attempt-with-policy';

/** A composed resource a Usage names: its kind, selected among this XR's resources. */
export interface UsageTarget {
  readonly apiVersion: string;
  readonly kind: string;
  /** @default - this XR's resource of that kind */
  readonly selector?: Selector;
}

export interface UsageProps {
  /** The composition-resource-name. */
  readonly name: string;
  /** What may not be deleted. */
  readonly of: UsageTarget;
  /** What uses it; it may go first. Give this or `reason`. */
  readonly by?: UsageTarget;
  /** Why `of` may not be deleted at all, shown to whoever tries. */
  readonly reason?: string;
  /** Delete `of` again once this Usage goes, if a delete was refused meanwhile. @default true */
  readonly replayDeletion?: boolean;
  /** @default - always composed */
  readonly includeWhen?: Condition;
  /** @default - none */
  readonly patches?: readonly Patch[];
}

const ref = (t: UsageTarget) => ({ apiVersion: t.apiVersion, kind: t.kind, resourceSelector: { ...(t.selector ?? MINE) } });

/** A Usage between two of this XR's composed resources, or of one held for a reason. */
export function usage(props: UsageProps): ComposedResource {
  if (!props.by === !props.reason) throw new Error(`usage "${props.name}": give either by (what uses it) or reason (why it is held), not both`);
  return {
    name: props.name,
    base: Usage.manifest({
      spec: {
        of: ref(props.of),
        ...(props.by ? { by: ref(props.by) } : { reason: props.reason }),
        replayDeletion: props.replayDeletion ?? true,
      },
    }),
    patches: props.patches,
    includeWhen: props.includeWhen,
  };
}

export interface GateProps {
  /** The composition-resource-name. */
  readonly name: string;
  /** The XR's own API version and kind. */
  readonly of: { readonly apiVersion: string; readonly kind: string };
  /**
   * What a refused `kubectl delete` says; patches may write it instead (`spec.reason`).
   * @default - the patches write it
   */
  readonly reason?: string;
  /** Delete the XR once the gate goes, if a delete was refused while it stood. */
  readonly replayDeletion: boolean;
  /** @default - always composed */
  readonly includeWhen?: Condition;
  /** Patches onto the Usage (its reason from the XR). @default - none */
  readonly patches?: readonly Patch[];
}

/**
 * A Usage of the XR itself: a delete is refused with the reason (and recorded on the XR, whose
 * pipeline keeps running and can act on it), until the composition drops the gate.
 */
export function gate(props: GateProps): ComposedResource {
  return {
    name: props.name,
    base: Usage.manifest({
      spec: {
        of: { apiVersion: props.of.apiVersion, kind: props.of.kind, resourceRef: { name: PATCHED } },
        reason: props.reason ?? PATCHED,
        replayDeletion: props.replayDeletion,
      },
    }),
    patches: [fromXr('metadata.name', 'spec.of.resourceRef.name', { required: true }), ...(props.patches ?? [])],
    includeWhen: props.includeWhen,
  };
}
