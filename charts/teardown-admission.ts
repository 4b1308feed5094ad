// A dry run of deleting a Cluster is refused. Crossplane's Usage webhook is registered with
// `sideEffects: None` and never reads the request's dryRun: refusing a DELETE of an object in use,
// it patches the object with usage.crossplane.io/deletion-attempt-with-policy for real
// (crossplane/crossplane at the pinned release, cluster/webhookconfigurations/usage.yaml and
// internal/webhook/protection/usage/handler.go:106-160). On a Cluster that annotation is the
// teardown's start (compositions/cluster/teardown.ts): `kubectl delete --dry-run=server`, or
// `kubectl apply --prune --dry-run=server`, would drain and delete the cluster. kube-apiserver runs
// ValidatingAdmissionPolicies before validating webhooks and stops at the first refusal
// (kubernetes pkg/kubeapiserver/options/plugins.go, AllOrderedPlugins), so this policy answers first.

import type { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import type { PlatformApi } from '../compositions/authoring';
import { NEVER_PRUNE_OR_DELETE } from './admission';

export const NO_DRY_RUN_DELETE = 'drydock-no-dry-run-delete';

export function noDryRunDelete(chart: Chart, api: PlatformApi): void {
  new k8s.KubeValidatingAdmissionPolicy(chart, `${NO_DRY_RUN_DELETE}-policy`, {
    metadata: { name: NO_DRY_RUN_DELETE, annotations: NEVER_PRUNE_OR_DELETE },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [{ apiGroups: [api.group], apiVersions: [api.version], operations: ['DELETE'], resources: [api.plural] }],
      },
      validations: [
        {
          expression: '!request.dryRun',
          message: `a dry run of deleting a ${api.kind} is refused: Crossplane's Usage webhook records even a dry run as a deletion attempt, and the ${api.kind} would start tearing itself down. What a delete does is in the README, "Deleting a Cluster"`,
        },
      ],
    },
  });
  new k8s.KubeValidatingAdmissionPolicyBinding(chart, `${NO_DRY_RUN_DELETE}-binding`, {
    metadata: { name: NO_DRY_RUN_DELETE, annotations: NEVER_PRUNE_OR_DELETE },
    spec: { policyName: NO_DRY_RUN_DELETE, validationActions: ['Deny'] },
  });
}
