// RBAC on the control cluster: teams get the developer-facing Cluster in their namespaces, and
// the Secrets it points them to there, nothing lower-level; the platform group gets every platform API. (Admission adds what RBAC
// cannot say: test/admission.test.ts.)
import { describe, expect, it } from 'vitest';
import { PLATFORM_ENGINEER_ROLE, PLATFORM_USER_ROLE, PROVIDER_KUBERNETES_SA } from '../charts/rbac';
import { PLATFORM } from '../environments/platform';
import { chartObjects, platform } from './support';

const objects = chartObjects();
const role = (name: string) => objects.find((o) => o.kind === 'ClusterRole' && o.metadata.name === name);
const LOWER_LEVEL = platform()
  .compositions.map((c) => c.api.plural)
  .filter((p) => p !== 'clusters');

describe('RBAC', () => {
  it('teams may create, read, change and delete Clusters, read their status, and get (not list) the Secrets it points to, nothing else', () => {
    expect(role(PLATFORM_USER_ROLE).rules).toEqual([
      { apiGroups: [PLATFORM.apiGroup], resources: ['clusters'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] },
      { apiGroups: [PLATFORM.apiGroup], resources: ['clusters/status'], verbs: ['get', 'list', 'watch'] },
      // status.kubeconfigSecret and status.database.connectionSecret, by name, in the team's namespace.
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
    ]);
    expect(LOWER_LEVEL.sort()).toEqual(['databases', 'eksclusters', 'networks']);
  });

  it('binds each team group to it in its own namespace only', () => {
    for (const team of PLATFORM.teams) {
      const bindings = objects.filter(
        (o) =>
          (o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding') && o.subjects?.some((s: any) => s.kind === 'Group' && s.name === team.group),
      );
      const toUserRole = bindings.filter((b) => b.roleRef.name === PLATFORM_USER_ROLE);
      expect(toUserRole.map((b) => `${b.kind}/${b.metadata.namespace}`)).toEqual([`RoleBinding/${team.namespace}`]);
      // ...and to nothing else (e.g. Crossplane's crossplane-edit, which grants every XR and its status).
      if (team.group !== PLATFORM.platformGroup) expect(bindings.map((b) => b.roleRef.name)).toEqual([PLATFORM_USER_ROLE]);
    }
  });

  it("the lower-level APIs are the platform group's, in every namespace", () => {
    const engineer = role(PLATFORM_ENGINEER_ROLE);
    expect(engineer.rules[0].resources.sort()).toEqual(['clusters', ...LOWER_LEVEL].sort());
    const grants = objects.filter((o) => o.roleRef?.name === PLATFORM_ENGINEER_ROLE);
    expect(grants.map((b) => [b.kind, b.subjects])).toEqual([
      ['ClusterRoleBinding', [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: PLATFORM.platformGroup }]],
    ]);
  });

  it("provider-kubernetes follows a teardown's parts: get (and the dry-run apply it observes with) on the lower-level APIs, in team namespaces only", () => {
    const toProvider = objects.filter((o) => o.subjects?.some((s: any) => s.kind === 'ServiceAccount' && s.name === PROVIDER_KUBERNETES_SA));
    const teardown = toProvider.filter((b) => role(b.roleRef.name)?.rules.some((r: any) => r.apiGroups.includes(PLATFORM.apiGroup)));
    expect(teardown.map((b) => `${b.kind}/${b.metadata.namespace}`).sort()).toEqual(PLATFORM.teams.map((t) => `RoleBinding/${t.namespace}`).sort());
    expect(role(teardown[0].roleRef.name).rules).toEqual([
      { apiGroups: [PLATFORM.apiGroup], resources: expect.arrayContaining(LOWER_LEVEL), verbs: ['get', 'patch'] },
    ]);
    expect(role(teardown[0].roleRef.name).rules[0].resources).not.toContain('clusters');
  });
});
