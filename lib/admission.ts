// Admission requests as the control cluster's API server would receive them, judged by its own
// ValidatingAdmissionPolicy plugin (tools/kubevalidate): who sends them, and the policies,
// bindings and namespaces synth writes to dist/.

import { serviceAccountUser } from '../charts/admission';
import { PLATFORM, type Team } from '../environments/platform';
import type { Admission, AdmissionRequest, RequestUser } from './kubevalidate';

/** The groups the API server adds to a service account's requests (and to an impersonated one's). */
const serviceAccountGroups = (namespace: string) => ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'];

/** Crossplane core: it creates the child XRs a Cluster composes. */
export const CROSSPLANE: RequestUser = {
  username: serviceAccountUser(PLATFORM.crossplaneNamespace, PLATFORM.serviceAccounts.crossplane),
  groups: serviceAccountGroups(PLATFORM.crossplaneNamespace),
};

/** Argo CD's application controller: it applies dist/, the XRs of claims/ included. */
export const ARGOCD: RequestUser = {
  username: serviceAccountUser(PLATFORM.argocdNamespace, PLATFORM.serviceAccounts.argocdApplicationController),
  groups: serviceAccountGroups(PLATFORM.argocdNamespace),
};

/** A person in a team, as the identity provider (or `kubectl --as alice --as-group <group>`) presents them. */
export const member = (team: Pick<Team, 'group'>, username = 'alice@example.com'): RequestUser => ({
  username,
  groups: [team.group, 'system:authenticated'],
});

/** A platform engineer. */
export const PLATFORM_ENGINEER: RequestUser = member({ group: PLATFORM.platformGroup }, 'pat@example.com');

/**
 * The admission section of a kubevalidate request: the policies and bindings among `objects`
 * (dist/), the Namespaces among them, and every other namespace a request names (a namespaced
 * request into a namespace that does not exist never reaches admission).
 */
export function admissionFor(objects: readonly any[], requests: readonly AdmissionRequest[]): Admission {
  const namespaces = objects.filter((o) => o.apiVersion === 'v1' && o.kind === 'Namespace');
  const known = new Set(namespaces.map((n) => n.metadata.name));
  const named = requests.map((r) => ((r.object ?? r.oldObject) as any)?.metadata?.namespace).filter((n): n is string => !!n && !known.has(n));
  return {
    policies: objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy'),
    bindings: objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding'),
    namespaces: [...namespaces, ...[...new Set(named)].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }))],
    requests,
  };
}
