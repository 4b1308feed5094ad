// Karpenter (Managed mode): the controller's identity, its interruption queue and the EventBridge
// rules that feed it, as Karpenter's own CloudFormation template lays them out (POLICY_SOURCES.karpenter).
import { Rule, Target } from '../../imports/cloudwatchevents.aws.m.upbound.io';
import { Queue, QueuePolicy } from '../../imports/sqs.aws.m.upbound.io';
import { type ComposedResource, PATCHED, policyPatch } from '../authoring';
import { INTERRUPTION_QUEUE, KARPENTER_CONTROLLER, QUEUE_ARN } from './policies';
import { arnPatch, MANAGED, NAMES, PARTS, POLICY_VALUES, part, podIdentityRole } from './vocabulary';

/** Karpenter's interruption events: EventBridge rule and its target, the interruption queue. */
const INTERRUPTION_EVENTS: readonly { id: string; source: string; detailType: string }[] = [
  { id: 'spot-interruption', source: 'aws.ec2', detailType: 'EC2 Spot Instance Interruption Warning' },
  { id: 'rebalance', source: 'aws.ec2', detailType: 'EC2 Instance Rebalance Recommendation' },
  { id: 'state-change', source: 'aws.ec2', detailType: 'EC2 Instance State-change Notification' },
  { id: 'scheduled-change', source: 'aws.health', detailType: 'AWS Health Event' },
  { id: 'capacity-interrupt', source: 'aws.ec2', detailType: 'EC2 Capacity Reservation Instance Interruption Warning' },
];

/** An EventBridge rule named `<cluster>-<id>` for one event, and its target: the interruption queue. */
function interruptionRule(e: (typeof INTERRUPTION_EVENTS)[number]): ComposedResource[] {
  return [
    {
      name: `rule-${e.id}`,
      base: Rule.manifest({
        metadata: PARTS.on({ part: `rule-${e.id}` }),
        spec: {
          forProvider: {
            region: PATCHED,
            description: `Karpenter: ${e.detailType}`,
            eventPattern: JSON.stringify({ source: [e.source], 'detail-type': [e.detailType] }),
          },
        },
      }),
      patches: [...NAMES.externalName(`-${e.id}`), ...NAMES.tag(`-${e.id}`)],
      includeWhen: MANAGED,
    },
    {
      name: `rule-${e.id}-target`,
      base: Target.manifest({
        spec: { forProvider: { region: PATCHED, arn: PATCHED, targetId: 'karpenter-interruption-queue', ruleSelector: part(`rule-${e.id}`) } },
      }),
      patches: [arnPatch(QUEUE_ARN, 'spec.forProvider.arn')],
      includeWhen: MANAGED,
    },
  ];
}

export function karpenter(): ComposedResource[] {
  return [
    ...podIdentityRole({
      id: 'karpenter',
      suffix: '-karpenter',
      namespace: 'kube-system',
      serviceAccount: 'karpenter',
      inline: [{ name: 'controller', doc: KARPENTER_CONTROLLER }],
      includeWhen: MANAGED,
    }),
    {
      name: 'interruption-queue',
      base: Queue.manifest({
        metadata: PARTS.on({ part: 'queue' }),
        spec: { forProvider: { region: PATCHED, messageRetentionSeconds: 300, sqsManagedSseEnabled: true } },
      }),
      // Named after the cluster alone, as the controller policy's QUEUE_ARN expects.
      patches: [...NAMES.stem('spec.forProvider.name'), ...NAMES.tag()],
      includeWhen: MANAGED,
    },
    {
      name: 'interruption-queue-policy',
      base: QueuePolicy.manifest({ spec: { forProvider: { region: PATCHED, policy: PATCHED, queueUrlSelector: part('queue') } } }),
      patches: [policyPatch(INTERRUPTION_QUEUE, 'spec.forProvider.policy', POLICY_VALUES)],
      includeWhen: MANAGED,
    },
    ...INTERRUPTION_EVENTS.flatMap(interruptionRule),
  ];
}
