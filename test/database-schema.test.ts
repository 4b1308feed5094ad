// Developer input for the Database API, judged by the API server's validation code (OpenAPI +
// CEL) against the CRD Crossplane derives from the XRD.
import { describe, expect, it } from 'vitest';
import { AURORA, AURORA_POSTGRESQL_DEFAULT_VERSION } from '../catalog';
import { kubevalidate } from '../lib/kubevalidate';
import { describeExamples, examples, validateXrs, xrCrd } from './support';

describeExamples('Database', { valid: 3, invalid: 16 });

const dev = examples('compositions/database/examples').find((e) => e.file === 'dev-minimal.yaml')!.object;
const withSpec = (spec: Record<string, unknown>) => ({ ...dev, spec: { ...dev.spec, ...spec } });

describe('Database XRD', () => {
  it("defaults to a safe database: protected, snapshotted on delete, IAM auth, 7-day backups, the catalog's long-term support release", () => {
    const { spec } = kubevalidate([xrCrd('Database')], [{ id: 'dev', object: { ...dev, spec: { ...dev.spec, capacity: undefined } } }]).objects[0]
      .defaulted;
    expect(spec).toMatchObject({
      deletionProtection: true,
      finalSnapshot: true,
      iamAuthentication: true,
      backup: { retentionDays: 7, window: '03:00-04:00' },
      capacity: { minAcu: 0.5, maxAcu: 4 },
      readers: 0,
      databaseName: 'app',
      performanceInsights: false,
    });
    expect(spec.engineVersion).toBe(AURORA_POSTGRESQL_DEFAULT_VERSION);
    expect(AURORA.version(AURORA_POSTGRESQL_DEFAULT_VERSION)).toMatchObject({ lts: true, minAcu: 0, maxAcu: 256 });
  });

  it('accepts every half step of ACU from 0 to 256, and every engine version the catalog offers', () => {
    const accepted = [0, 0.5, 1, 1.5, 127.5, 256].map((minAcu) => withSpec({ capacity: { minAcu, maxAcu: 256 } }));
    const versions = AURORA.offered.map((v) => withSpec({ engineVersion: v.version, capacity: { minAcu: v.minAcu, maxAcu: v.maxAcu } }));
    expect(
      validateXrs(
        'Database',
        [...accepted, ...versions].map((object) => ({ object })),
      ),
    ).toEqual(Array(accepted.length + versions.length).fill([]));
  });

  it('refuses engine versions the catalog does not offer, saying why', () => {
    const refused = ['13.12', '14.2', '16.0', '18.1', '16', '16.4.1', 'latest'].map((engineVersion) => ({ object: withSpec({ engineVersion }) }));
    for (const errors of validateXrs('Database', refused))
      expect(errors.join('\n')).toMatch(/is not a version Aurora Serverless v2 offers: use one of/);
    const retired = AURORA.retired.map((v) => ({ object: withSpec({ engineVersion: v.version }) }));
    expect(retired.length).toBeGreaterThan(0);
    for (const errors of validateXrs('Database', retired)) expect(errors.join('\n')).toMatch(/left Aurora standard support (on|in) .*: use /);
  });

  it('refuses a change of region', () => {
    const [errors] = validateXrs('Database', [{ object: withSpec({ region: 'us-east-1' }), old: dev }]);
    expect(errors.join('\n')).toContain('region is immutable');
  });
});
