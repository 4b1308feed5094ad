// What the real renderer makes of the Database examples: encryption, isolation, capacity,
// readers, protection, and the status and connection Secret an observed database reports.
// (test/render.test.ts validates every rendered resource against its CRD.)
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AURORA_POSTGRESQL_DEFAULT_VERSION } from '../catalog';
import { databaseApi, databaseComposition, POSTGRES_PORT } from '../compositions/database';
import { repoRoot } from '../lib/paths';
import { type RenderedXr, readObservedFixture } from '../lib/render';
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
