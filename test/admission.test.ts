// The admission policies of dist/argocd/admission.yaml, judged by the Kubernetes API server's own
// ValidatingAdmissionPolicy plugin (tools/kubevalidate): every rule refuses what it must with its
// message, and lets through what the platform itself does (Crossplane composing a Cluster,
// Argo CD applying claims/, platform engineers, updates of what already exists).
// Tests as data: one request per case, all judged in one run.

import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_FIELDS, ADMISSION_FILE, admissionChart } from '../charts/admission';
import { ENVIRONMENTS } from '../environments';
import { PLATFORM } from '../environments/platform';
import { admissionFor, member, PLATFORM_ENGINEER } from '../lib/admission';
import { type AdmissionRequest, kubevalidate } from '../lib/kubevalidate';
import { CASES, cluster } from './admission-cases';
import { chartObjects, examples, platform, xrCrd } from './support';

const objects = chartObjects();
const CRDS = ['Cluster', 'Network', 'EKSCluster', 'Database'].map(xrCrd);

function judge(requests: AdmissionRequest[]) {
  const report = kubevalidate(CRDS, [], admissionFor(objects, requests));
  return report.admission!;
}

describe('admission policies, judged by the API server', () => {
  const verdicts = judge(
    CASES.map((c, i) => ({ id: String(i), operation: c.operation, object: c.object, oldObject: c.old, subResource: c.subResource, user: c.user })),
  );

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    const v = verdicts[i];
    if (c.refused === null) expect(v, v.message).toMatchObject({ allowed: true });
    else expect(v).toMatchObject({ allowed: false, message: c.refused });
  });

  it('admits every valid example by the identity that would create it', () => {
    const { compositions, folders } = platform();
    const requests: AdmissionRequest[] = compositions.flatMap((c) =>
      examples(`compositions/${folders.get(c.api.kind)}/examples`).map((e, i) => {
        const team = PLATFORM.teams.find((t) => t.namespace === e.object.metadata.namespace);
        // Developers write Clusters; everything lower-level is the platform's, and so is a
        // Cluster's spec.clusterName (the readable part of its AWS names).
        const user = c.api.kind === 'Cluster' && team && !e.object.spec.clusterName ? member(team) : PLATFORM_ENGINEER;
        return { id: `${c.api.kind}/${e.file}/${i}`, operation: 'CREATE' as const, object: e.object, user };
      }),
    );
    expect(requests.length).toBeGreaterThan(15);
    const refused = judge(requests).filter((v) => !v.allowed);
    expect(refused).toEqual([]);
  });

  it('type-checks against the schemas of the kinds it matches, as the API server does: clean, and a misspelled field is found', () => {
    const clean = kubevalidate(CRDS, [], admissionFor(objects, []));
    expect(clean.policyWarnings ?? []).toEqual([]);
    const typo = objects.map((o) =>
      o.kind === 'ValidatingAdmissionPolicy' && o.metadata.name === 'drydock-clusters'
        ? JSON.parse(JSON.stringify(o).replace('object.spec.environment in', 'object.spec.enviroment in'))
        : o,
    );
    const found = kubevalidate(CRDS, [], admissionFor(typo, [])).policyWarnings ?? [];
    const rule = objects
      .find((o) => o.metadata.name === 'drydock-clusters' && o.kind === 'ValidatingAdmissionPolicy')
      .spec.validations.findIndex((v: any) => v.expression.includes('object.spec.environment in'));
    expect(found.map((w) => [w.policy, w.fieldRef])).toEqual([['drydock-clusters', `spec.validations[${rule}].expression`]]);
    expect(found[0].warning).toMatch(/undefined field 'enviroment'/);
  });

  it('ships every policy with a binding that denies, failing closed', () => {
    const policies = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicy');
    const bindings = objects.filter((o) => o.kind === 'ValidatingAdmissionPolicyBinding');
    expect(policies.map((p) => p.metadata.name).sort()).toEqual([
      'drydock-clusters',
      'drydock-databases',
      'drydock-eksclusters',
      'drydock-networks',
      'drydock-no-dry-run-delete',
    ]);
    for (const p of policies) {
      expect(p.spec.failurePolicy).toBe('Fail');
      expect(bindings.find((b) => b.spec.policyName === p.metadata.name)?.spec.validationActions).toEqual(['Deny']);
    }
  });
});

describe('where the policies live', () => {
  const chart = platform().charts.find((c) => c.file === ADMISSION_FILE)!;

  it('in the root Application, before the Applications that carry XRs, never pruned or deleted', () => {
    const apps = platform()
      .charts.flatMap((c) => c.toJson())
      .filter((o) => o.kind === 'Application' && o.metadata.name !== 'drydock');
    const appWaves = apps.map((a) => Number(a.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? chart.wave));
    expect(ADMISSION_FILE.startsWith('argocd/')).toBe(true);
    for (const o of chart.toJson()) {
      expect(Number(o.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeLessThan(Math.min(...appWaves));
      expect(syncOptions(o)).toEqual(expect.arrayContaining(['Prune=false', 'Delete=false']));
    }
    const root = platform()
      .charts.flatMap((c) => c.toJson())
      .find((o) => o.kind === 'Application' && o.metadata.name === 'drydock');
    expect(root.spec.source.path).toBe('dist/argocd');
    expect(root.spec.syncPolicy.automated.prune).toBe(false);
  });

  it('team Namespaces are never pruned or deleted by Argo CD: deleting one deletes every XR in it', () => {
    const namespaces = objects.filter((o) => o.kind === 'Namespace');
    expect(namespaces.map((n) => n.metadata.name).sort()).toEqual(PLATFORM.teams.map((t) => t.namespace).sort());
    for (const n of namespaces) expect(syncOptions(n)).toEqual(expect.arrayContaining(['Prune=false', 'Delete=false']));
  });
});

describe('team declarations', () => {
  const build = (teams: readonly any[]) => () => {
    const apis = platform().compositions.map((c) => c.api);
    admissionChart(new App(), {
      developerApi: apis.find((a) => a.kind === 'Cluster')!,
      platformApis: apis.filter((a) => a.kind !== 'Cluster'),
      environments: ENVIRONMENTS,
      teams,
    });
  };
  const team = (namespace: string, hostedZoneIds: string[]) => ({ namespace, group: namespace, environments: ['dev'], hostedZoneIds });

  it('refuse a hosted zone listed under two teams, naming both and the fix', () => {
    expect(build([team('a', ['Z0123456789ABCDEFGHIJ']), team('b', ['Z0123456789ABCDEFGHIJ'])])).toThrow(
      'environments/platform.ts: teams[1] (b).hostedZoneIds has "Z0123456789ABCDEFGHIJ", which team a has too: either team could rewrite the other\'s records and obtain certificates for its names; delegate a zone per team and list each under one team',
    );
  });

  it('refuse a hosted zone given by name instead of ID', () => {
    expect(build([team('a', ['example.com'])])).toThrow(
      'environments/platform.ts: teams[0] (a).hostedZoneIds has "example.com", which is not a Route53 hosted zone ID: use the zone\'s ID',
    );
  });
});

describe('account fields', () => {
  const ACCOUNTISH = /providerConfig|accountId|account|RoleArns?$|roleArn/i;
  const fieldsOf = (schema: any, at: string): string[] =>
    Object.entries(schema?.properties ?? {}).flatMap(([k, v]: [string, any]) => [`${at}.${k}`, ...fieldsOf(v, `${at}.${k}`)]);

  it('the developer-facing Cluster has none: no field a developer writes names a provider config, an account or a role', () => {
    const cluster = platform().compositions.find((c) => c.api.kind === 'Cluster')!;
    expect(fieldsOf(cluster.api.specSchema(), 'spec').filter((f) => ACCOUNTISH.test(f.split('.').pop()!))).toEqual([]);
  });

  it("every field of a lower-level API that names one is checked against the team's environments", () => {
    const named = platform()
      .compositions.filter((c) => c.api.kind !== 'Cluster')
      .flatMap((c) => fieldsOf(c.api.specSchema(), 'spec').filter((f) => ACCOUNTISH.test(f.split('.').pop()!)));
    expect(named.length).toBeGreaterThan(3);
    for (const f of named)
      expect(
        ACCOUNT_FIELDS.map((a) => a.path),
        `${f} names an account or a role`,
      ).toContain(f);
  });

  it('a Cluster naming a provider config or an account is refused by the API server (strict field validation), not passed on', () => {
    const report = kubevalidate(
      [xrCrd('Cluster')],
      [{ id: '0', object: cluster('team-orders', 'orders', { providerConfigName: 'prod', accountId: '777788889999' }) }],
    );
    expect(report.objects[0].errors.map((e) => e.message)).toEqual([
      'spec.accountId: Forbidden: unknown field "spec.accountId"',
      'spec.providerConfigName: Forbidden: unknown field "spec.providerConfigName"',
    ]);
  });
});

const syncOptions = (o: any): string[] =>
  String(o.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '')
    .split(',')
    .map((s) => s.trim());
