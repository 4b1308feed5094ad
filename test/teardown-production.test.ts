// Deleting a production Cluster, and one whose workload cluster cannot be reached, walked round by
// round with the real renderer (teardown-cluster.ts): what a developer sees, what they must change
// (and that the Cluster API accepts it), and what the teardown then deletes and keeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNS_CLEANUP } from '../compositions/cluster/dns-cleanup';
import { DRAIN, DRAIN_PARTS } from '../compositions/cluster/drain';
import { step } from '../compositions/cluster/teardown';
import { renderSetup, validateXrs } from './support';
import { clusterTeardown, derivedOrder, everything } from './teardown-cluster';
import { PROTOCOL } from './teardown-rules';

const setup = renderSetup();
const { teardown } = clusterTeardown(setup);

/** The Cluster's database with protection turned off, with or without the reason prod asks for. */
const unprotected = (xr: any, reason?: string) => ({
  ...xr,
  spec: { ...xr.spec, database: { ...xr.spec.database, deletionProtection: false, ...(reason ? { unprotectedReason: reason } : {}) } },
});

describe.skipIf(!setup.ready)('deleting a production Cluster, walked with the real renderer', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  it('is held, saying what to change; the change it names is accepted (refused without a reason); then it goes, its database with a final snapshot and its key kept', () => {
    // GIVEN a Cluster with every add-on in prod, whose environment protects the database and keeps
    // a final snapshot (the staging example's layout, which the observed fixture reports)
    const base = everything('Managed');
    const xr = { ...base, spec: { ...base.spec, environment: 'prod' } };
    expect(xr.spec.database).not.toHaveProperty('deletionProtection');
    const reason = 'the storefront moved to the new platform';
    // WHEN it is deleted, and the developer does what the status says from round 3 on
    const result = teardown(xr, { change: (round, x) => (round < 3 ? x : unprotected(x, reason)) });
    // THEN until then nothing goes, and the Cluster says why and what to do
    expect(result.steps.slice(1, 3)).toEqual(['held', 'held']);
    expect(result.events.filter((e) => e.what === 'dropped' && e.round < 3)).toEqual([]);
    for (const what of [
      'deletion protection',
      'spec.database.deletionProtection',
      'spec.database.unprotectedReason',
      'final snapshot and KMS key stay',
    ])
      expect(result.waiting[1]).toContain(what);
    // AND the Cluster API takes that change only with the reason
    const [without, withReason] = validateXrs('Cluster', [
      { object: unprotected(xr), old: xr },
      { object: unprotected(xr, reason), old: xr },
    ]);
    expect(without.join('\n')).toContain('a prod database keeps deletion protection and its final snapshot');
    expect(withReason).toEqual([]);
    // AND then the protocol runs to the end
    expect(result.violations).toEqual([]);
    expect(derivedOrder(result)).toEqual(PROTOCOL);
    expect(result.xrDeleted).toBe(true);
    // AND the Database it deleted kept its final snapshot, so its key and alias stay in AWS
    const database = result.desired.get('database');
    expect(database.spec).toMatchObject({ deletionProtection: false, finalSnapshot: true });
    const rendered = setup.render(
      {
        apiVersion: database.apiVersion,
        kind: database.kind,
        metadata: { name: `${xr.metadata.name}-database`, namespace: xr.metadata.namespace },
        spec: database.spec,
      },
      { ready: true, atProvider: { 'kms-key': { arn: 'arn:aws:kms:eu-central-1:777788889999:key/k' } } },
    );
    const orphan = ['Observe', 'Create', 'Update', 'LateInitialize'];
    expect(rendered.byName('kms-key').spec.managementPolicies).toEqual(orphan);
    expect(rendered.byName('kms-alias').spec.managementPolicies).toEqual(orphan);
    expect(rendered.byName('cluster').spec.forProvider).toMatchObject({ skipFinalSnapshot: false, deletionProtection: false });
  });

  it('a workload cluster that cannot be reached: with skipDrainReason nothing is created in it, the rest goes in order, and the network step says what may hold it', () => {
    const base = everything('Managed', { deletionProtection: false });
    const xr = { ...base, spec: { ...base.spec, teardown: { skipDrainReason: 'the cluster was deleted in the AWS console' } } };
    expect(validateXrs('Cluster', [{ object: xr }])).toEqual([[]]);
    const result = teardown(xr);
    expect(result.violations).toEqual([]);
    // No Job or RBAC is ever applied to the cluster: provider-kubernetes would wait for it for ever
    const inCluster = [DRAIN, ...DRAIN_PARTS, DNS_CLEANUP];
    expect(result.events.filter((e) => e.what === 'appeared' && inCluster.includes(e.name))).toEqual([]);
    expect(derivedOrder(result)).toEqual(PROTOCOL.filter((s) => s !== 'drain' && s !== 'dns'));
    expect(result.xrDeleted).toBe(true);
    // While the network goes, the Cluster says what a skipped drain leaves in it
    const at = result.steps.indexOf(step('network').column);
    expect(at).toBeGreaterThan(0);
    expect(result.waiting[at]).toContain('tag karpenter.sh/nodepool');
    expect(result.waiting[at]).toContain('tag elbv2.k8s.aws/cluster');
  });
});

if (!setup.ready) {
  describe('deleting a production Cluster', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}
