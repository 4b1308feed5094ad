// What the real renderer makes of the Database examples: encryption, isolation, capacity,
// readers, protection, and the status and connection Secret an observed database reports.
// (test/render.test.ts validates every rendered resource against its CRD.)
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AURORA_POSTGRESQL_DEFAULT_VERSION } from '../catalog';
import { databaseApi, databaseComposition, POSTGRES_PORT } from '../compositions/database';
import { repoRoot } from '../lib/paths';
import { type RenderedXr, readObservedFixture } from '../lib/render';
import { expectedPodIdentityTrust } from './expected-iam';
import { examples, renderSetup } from './support';

const DIR = 'compositions/database/examples';
const setup = renderSetup({ functions: databaseComposition(databaseApi()).functions() });
const example = (file: string) => examples(DIR).find((e) => e.file === file)!.object;
const production = () =>
  setup.render(example('production-two-readers.yaml'), readObservedFixture(path.join(repoRoot, DIR, 'observed', 'production-two-readers.yaml')));
const decode = (data: Record<string, string>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));

describe.skipIf(!setup.ready)('Database rendered by crank with the real functions', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  /** An example once AWS reports it, so the cluster (held back until its key exists) is there. */
  const reported = (xr: any): RenderedXr =>
    setup.render(xr, { ready: true, atProvider: { 'kms-key': { arn: 'arn:aws:kms:eu-west-1:111122223333:key/k' } } });

  it('holds the Aurora cluster back until its KMS key exists, then encrypts storage and the master secret with it', () => {
    const first = setup.render(example('dev-minimal.yaml'));
    expect(first.byName('cluster')).toBeUndefined();
    expect(first.byName('kms-key').spec.forProvider).toMatchObject({ enableKeyRotation: true });
    const later = setup.render(example('dev-minimal.yaml'), {
      ready: true,
      atProvider: { 'kms-key': { arn: 'arn:aws:kms:eu-west-1:111122223333:key/k1' } },
    });
    expect(later.byName('cluster').spec.forProvider).toMatchObject({
      storageEncrypted: true,
      kmsKeyIdSelector: { matchControllerRef: true },
      masterUserSecretKmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/k1',
      manageMasterUserPassword: true,
    });
    expect(later.byName('kms-alias').metadata.annotations['crossplane.io/external-name']).toBe('alias/rds/orders-dev');
  });

  it.each(examples(DIR).map((e) => [e.file, e.object]))('%s: private, TLS-only, sized and protected as the XR says', (_file, xr: any) => {
    const out = reported(xr);
    const cluster = out.byName('cluster').spec.forProvider;
    expect(cluster).toMatchObject({
      engine: 'aurora-postgresql',
      engineMode: 'provisioned',
      serverlessv2ScalingConfiguration: { minCapacity: xr.spec.capacity?.minAcu ?? 0.5, maxCapacity: xr.spec.capacity?.maxAcu ?? 4 },
      deletionProtection: xr.spec.deletionProtection ?? true,
      skipFinalSnapshot: !(xr.spec.finalSnapshot ?? true),
      backupRetentionPeriod: xr.spec.backup?.retentionDays ?? 7,
      iamDatabaseAuthenticationEnabled: xr.spec.iamAuthentication ?? true,
      enabledCloudwatchLogsExports: ['postgresql'],
      copyTagsToSnapshot: true,
    });
    expect(cluster.finalSnapshotIdentifier).toMatch(new RegExp(`^${xr.spec.identifier ?? xr.metadata.name}-final-[0-9a-f-]{36}$`));

    const instances = out.ofKind('ClusterInstance');
    expect(instances).toHaveLength(1 + (xr.spec.readers ?? 0));
    for (const i of instances) expect(i.spec.forProvider).toMatchObject({ instanceClass: 'db.serverless', publiclyAccessible: false });
    const zones: string[] | undefined = xr.spec.network.availabilityZones;
    if (zones)
      expect(instances.map((i) => i.spec.forProvider.availabilityZone).sort()).toEqual(
        zones.slice(0, instances.length).map((z) => `${xr.spec.region}${z}`),
      );

    const group = out.byName('parameter-group').spec.forProvider;
    expect(group.family).toBe(`aurora-postgresql${(xr.spec.engineVersion ?? AURORA_POSTGRESQL_DEFAULT_VERSION).split('.')[0]}`);
    expect(group.parameter[0]).toEqual({ name: 'rds.force_ssl', value: '1', applyMethod: 'pending-reboot' });
    expect(out.byName('subnet-group').spec.forProvider.subnetIds).toEqual(xr.spec.network.subnetIds);

    // The only way in: PostgreSQL's port, from the sources the XR names, never the internet.
    const rules = out.ofKind('SecurityGroupIngressRule').map((r) => r.spec.forProvider);
    const from = xr.spec.allowedFrom;
    expect(rules).toHaveLength((from.securityGroupId ? 1 : 0) + (from.cidrBlocks?.length ?? 0));
    for (const r of rules)
      expect(r).toMatchObject({
        ipProtocol: 'tcp',
        fromPort: POSTGRES_PORT,
        toPort: POSTGRES_PORT,
        securityGroupIdSelector: { matchControllerRef: true },
      });
    expect(rules.map((r) => r.referencedSecurityGroupId ?? r.cidrIpv4).sort()).toEqual(
      [...(from.securityGroupId ? [from.securityGroupId] : []), ...(from.cidrBlocks ?? [])].sort(),
    );
    expect(rules.map((r) => r.cidrIpv4)).not.toContain('0.0.0.0/0');
  });

  it('gives Performance Insights the key as an ARN, only while it is on, and never turns it on before the key is known', () => {
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/0a1b2c3d-4e5f-4a60-8b71-92a3b4c5d6e7';
    const pi = (out: RenderedXr) =>
      out.ofKind('ClusterInstance').map((i) => [i.spec.forProvider.performanceInsightsEnabled, i.spec.forProvider.performanceInsightsKmsKeyId]);
    // GIVEN Performance Insights off: no key is sent, and it stays off
    const off = reported(example('dev-minimal.yaml'));
    expect(off.byName('kms-alias-performance-insights')).toBeUndefined();
    expect(pi(off)).toEqual([[false, undefined]]);
    // GIVEN it on, before AWS reports the key behind its alias: still off (AWS would pick aws/rds, for good)
    const xr = example('production-two-readers.yaml');
    const waiting = reported(xr);
    expect(waiting.byName('kms-alias-performance-insights').metadata.annotations['crossplane.io/external-name']).toBe(
      'alias/rds/payments-prod-performance-insights',
    );
    expect(pi(waiting)).toEqual([
      [false, undefined],
      [false, undefined],
      [false, undefined],
    ]);
    // WHEN the alias reports the key's ARN THEN every instance encrypts with it: an ARN, not the selector's bare key ID
    const known = setup.render(xr, {
      ready: true,
      atProvider: { 'kms-key': { arn: key }, 'kms-alias-performance-insights': { targetKeyArn: key } },
    });
    expect(known.xr.status.performanceInsightsKmsKeyArn).toBe(key);
    expect(pi(known)).toEqual([
      [true, key],
      [true, key],
      [true, key],
    ]);
    for (const i of known.ofKind('ClusterInstance')) expect(i.spec.forProvider.performanceInsightsKmsKeyIdSelector).toBeUndefined();
  });

  it('gives each application a role its service account gets through Pod Identity, allowed to connect as its own user only', () => {
    // GIVEN two applications, and AWS reporting the cluster's resource ID
    const xr = example('with-applications.yaml');
    const out = setup.render(xr, {
      ready: true,
      atProvider: {
        'kms-key': { arn: 'arn:aws:kms:eu-west-1:111122223333:key/k' },
        cluster: { clusterResourceId: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXY0' },
      },
    });
    // THEN each gets a role named after the database, trusted by Pod Identity only
    for (const [i, app] of xr.spec.access.applications.entries()) {
      const n = i + 1;
      const role = out.byName(`role-app-${n}`);
      expect(role.metadata.annotations['crossplane.io/external-name']).toBe(`orders-app-${n}`);
      // (only its own service account of its own cluster, as EKS Pod Identity tags the session)
      expect(JSON.parse(role.spec.forProvider.assumeRolePolicy).Statement).toEqual(
        expectedPodIdentityTrust('arn:aws:eks:eu-west-1:111122223333:cluster/orders', app),
      );
      // AND may connect as its user of this cluster, nothing else
      expect(JSON.parse(out.byName(`role-app-${n}-connect`).spec.forProvider.policy).Statement).toEqual([
        {
          Sid: 'ConnectAsItsDatabaseUser',
          Effect: 'Allow',
          Action: 'rds-db:connect',
          Resource: `arn:aws:rds-db:eu-west-1:111122223333:dbuser:cluster-ABCDEFGHIJKLMNOPQRSTUVWXY0/${app.user}`,
        },
      ]);
      // AND its service account on the cluster gets that role
      expect(out.byName(`pod-identity-app-${n}`).spec.forProvider).toMatchObject({
        clusterName: 'orders',
        namespace: app.namespace,
        serviceAccount: app.serviceAccount,
        roleArnSelector: { matchControllerRef: true, matchLabels: { 'databases.drydock.dev/application': `app-${n}` } },
      });
    }
    expect(out.byName('role-app-3')).toBeUndefined();
    // Before RDS reports the cluster's resource ID no policy is written (it would name no user).
    expect(reported(xr).byName('role-app-1-connect')).toBeUndefined();
  });

  it('reports endpoints and the master secret in status, and writes the connection Secret in the XR namespace', () => {
    // GIVEN AWS reports the production database Ready
    const out = production();
    // THEN the status a developer reads carries the endpoints
    const observed = readObservedFixture(path.join(repoRoot, DIR, 'observed', 'production-two-readers.yaml')).atProvider!.cluster as any;
    expect(out.xr.status).toMatchObject({
      endpoint: observed.endpoint,
      readerEndpoint: observed.readerEndpoint,
      port: POSTGRES_PORT,
      databaseName: 'app',
      masterSecretArn: observed.masterUserSecret[0].secretArn,
    });
    expect(out.xr.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    // AND a connection Secret an application (or External Secrets) can read; no password in it
    const [secret] = out.ofKind('Secret');
    expect(secret.metadata).toMatchObject({ name: 'payments-connection', namespace: 'payments' });
    expect(decode(secret.data)).toEqual({
      host: observed.endpoint,
      reader_host: observed.readerEndpoint,
      port: String(POSTGRES_PORT),
      database: 'app',
      username: 'dbadmin',
      master_secret_arn: observed.masterUserSecret[0].secretArn,
    });
  });

  /**
   * What deleting the XR leaves in AWS, read off the rendered graph: a Usage of the XR itself
   * refuses the delete (everything stays); otherwise garbage collection deletes every managed
   * resource, and those whose management policies hold no Delete are released, their AWS object
   * kept. A Usage keeps its `of` until its `by` is gone.
   */
  function afterDeletion(out: RenderedXr) {
    const gate = out.ofKind('Usage').find((u) => u.spec.of.resourceRef?.name === out.xr.metadata.name);
    const managed = out.composed.filter((o) => /\.m\.upbound\.io\//.test(o.apiVersion));
    const kept = managed.filter((o) => {
      const policies: string[] = o.spec.managementPolicies ?? ['*'];
      return !policies.includes('*') && !policies.includes('Delete');
    });
    const heldBy = (kind: string) =>
      out
        .ofKind('Usage')
        .filter((u) => u.spec.by && u.spec.of.kind === kind)
        .map((u) => u.spec.by.kind);
    return { refused: !!gate, gate, kept: kept.map((o) => o.kind).sort(), heldBy };
  }
  const withSettings = (settings: Record<string, unknown>) => {
    const xr = example('dev-minimal.yaml');
    return reported({ ...xr, spec: { ...xr.spec, ...settings } });
  };

  it('refuses to be deleted while it keeps deletion protection, saying what to do and what stays', () => {
    const { refused, gate } = afterDeletion(withSettings({ deletionProtection: true }));
    expect(refused).toBe(true);
    expect(gate.spec).toMatchObject({ replayDeletion: false, of: { kind: 'Database', resourceRef: { name: 'orders-dev' } } });
    expect(gate.spec.reason).toContain('alias/rds/orders-dev');
  });

  it("keeps a protected database's key (and alias) in AWS after the Database is gone; the key goes only after the cluster", () => {
    // GIVEN a database that keeps its final snapshot, unprotected so it may be deleted
    const out = withSettings({ deletionProtection: false, finalSnapshot: true });
    const { refused, kept, heldBy } = afterDeletion(out);
    // THEN the delete goes ahead, and the key outlives the XR: the snapshot stays readable
    expect(refused).toBe(false);
    expect(kept).toEqual(['Alias', 'Key']);
    expect(heldBy('Key')).toEqual(['Cluster']);
    expect(out.byName('kms-key').spec.managementPolicies).toEqual(['Observe', 'Create', 'Update', 'LateInitialize']);
    // AND with deletion protection alone (no snapshot) the key stays too: backups need it
    expect(afterDeletion(withSettings({ deletionProtection: true, finalSnapshot: false })).kept).toEqual(['Alias', 'Key']);
  });

  it("deletes an unprotected database's key too, after the cluster (30-day window), when nothing needs it", () => {
    const out = withSettings({ deletionProtection: false, finalSnapshot: false });
    const { refused, kept, heldBy } = afterDeletion(out);
    expect(refused).toBe(false);
    expect(kept).toEqual([]);
    expect(heldBy('Key')).toEqual(['Cluster']);
    expect(out.byName('kms-key').spec.forProvider.deletionWindowInDays).toBe(30);
  });

  it('reports protection as AWS has it, and the final snapshot it will take', () => {
    const out = setup.render(example('dev-minimal.yaml'), {
      ready: true,
      atProvider: { 'kms-key': { arn: 'arn:aws:kms:eu-west-1:111122223333:key/k' }, cluster: { deletionProtection: true } },
    });
    expect(out.xr.status.deletionProtection).toBe(true);
    expect(out.xr.status.finalSnapshotIdentifier).toBe(out.byName('cluster').spec.forProvider.finalSnapshotIdentifier);
    // While AWS still reports protection on, the delete is refused even if the spec turned it off.
    const xr = example('dev-minimal.yaml');
    const turning = setup.render(
      { ...xr, spec: { ...xr.spec, deletionProtection: false } },
      { ready: true, atProvider: { 'kms-key': { arn: 'arn:aws:kms:eu-west-1:111122223333:key/k' }, cluster: { deletionProtection: true } } },
    );
    expect(afterDeletion(turning).refused).toBe(true);
  });

  it('has no connection Secret and is not Ready before AWS reports the cluster', () => {
    const out = setup.render(example('production-two-readers.yaml'), { ready: false });
    expect(out.ofKind('Secret')).toEqual([]);
    expect(out.xr.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'False' });
  });
});

if (!setup.ready) {
  describe('Database render tests', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}
