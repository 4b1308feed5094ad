// A dry run of deleting a Cluster, judged by the API server's own ValidatingAdmissionPolicy plugin
// (tools/kubevalidate): refused before Crossplane's Usage webhook could record it as a deletion
// attempt and start the teardown (charts/teardown-admission.ts); a real delete, and a dry run of
// anything else, are the policy's no business.
import { describe, expect, it } from 'vitest';
import { NO_DRY_RUN_DELETE } from '../charts/teardown-admission';
import { PLATFORM } from '../environments/platform';
import { admissionFor, member, PLATFORM_ENGINEER } from '../lib/admission';
import { type AdmissionRequest, kubevalidate } from '../lib/kubevalidate';
import { chartObjects, xrCrd } from './support';

const ORDERS = member(PLATFORM.teams.find((t) => t.namespace === 'team-orders')!);
const stored = (kind: string, name: string) => ({
  apiVersion: `${PLATFORM.apiGroup}/v1alpha1`,
  kind,
  metadata: { name, namespace: 'team-orders', labels: { 'crossplane.io/in-use': 'true' } },
  spec: kind === 'Cluster' ? { environment: 'dev', region: 'eu-west-1' } : { region: 'eu-west-1' },
});

describe('a dry run of deleting a Cluster', () => {
  const requests: AdmissionRequest[] = [
    { id: 'dry-run', operation: 'DELETE', oldObject: stored('Cluster', 'orders'), dryRun: true, user: ORDERS },
    { id: 'real', operation: 'DELETE', oldObject: stored('Cluster', 'orders'), user: ORDERS },
    { id: 'network', operation: 'DELETE', oldObject: stored('Network', 'orders-net'), dryRun: true, user: PLATFORM_ENGINEER },
  ];
  const report = kubevalidate(['Cluster', 'Network'].map(xrCrd), [], admissionFor(chartObjects(), requests));
  const verdict = (id: string) => report.admission!.find((v) => v.id === id)!;

  it('is refused, saying why', () => {
    expect(verdict('dry-run')).toMatchObject({ allowed: false });
    expect(verdict('dry-run').message).toContain(`ValidatingAdmissionPolicy '${NO_DRY_RUN_DELETE}'`);
    expect(verdict('dry-run').message).toMatch(/records even a dry run as a deletion attempt/);
  });

  it('leaves a real delete to the Usage webhook, and a dry run of another kind alone', () => {
    expect(verdict('real'), verdict('real').message).toMatchObject({ allowed: true });
    expect(verdict('network'), verdict('network').message).toMatchObject({ allowed: true });
  });
});
