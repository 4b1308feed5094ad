// The teardown's part of the Cluster API: what a developer may say about it (spec.teardown) and
// what the Cluster reports while it runs (status.teardown). The protocol itself is teardown.ts.
import { group, type JsonSchema, text } from '../authoring';

export const TEARDOWN_SPEC: JsonSchema = {
  type: 'object',
  description:
    'How the Cluster is deleted. Deleting it is refused at first: it then deletes its parts in order and itself last (see status.teardown).',
  properties: {
    skipDrainReason: {
      type: 'string',
      minLength: 10,
      maxLength: 200,
      description:
        "Skip the drain of the workload cluster (and ExternalDNS's cleanup), for a cluster that can no longer be reached. What its controllers would have deleted is then left in AWS (load balancers, volumes, Karpenter's instances and instance profiles, DNS records), and the network step waits until the instances and load balancers among them are removed by hand (their interfaces keep the subnets): say why.",
    },
  },
};

export const TEARDOWN_STATUS_SCHEMA: JsonSchema = group('While the Cluster is being deleted: the step it is at and what it waits for.', {
  step: text('held, or 1/6 argocd ... 6/6 network.'),
  waitingFor: text('What the step waits for, and what to do where it needs you.'),
  names: group('Internal: the names of the parts, recorded so the teardown can follow each until it is gone.', {
    registration: text('The Argo CD registration Object.'),
    database: text('The Database.'),
    eks: text('The EKSCluster.'),
    network: text('The Network.'),
  }),
});
