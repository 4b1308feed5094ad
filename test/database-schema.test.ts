// Developer input for the Database API, judged by the API server's validation code (OpenAPI +
// CEL) against the CRD Crossplane derives from the XRD.
import { describe, expect, it } from 'vitest';
import { kubevalidate } from '../lib/kubevalidate';
import { describeExamples, examples, validateXrs, xrCrd } from './support';

describeExamples('Database', { valid: 3, invalid: 12 });

const dev = examples('compositions/database/examples').find((e) => e.file === 'dev-minimal.yaml')!.object;
const withSpec = (spec: Record<string, unknown>) => ({ ...dev, spec: { ...dev.spec, ...spec } });

describe('Database XRD', () => {
  it('defaults to a safe database: protected, snapshotted on delete, IAM auth, 7-day backups, a current 16.x', () => {
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
    expect(spec.engineVersion).toMatch(/^16\.\d+$/);
  });

  it('accepts every half step of ACU from 0 to 256 and the supported engine versions', () => {
    const accepted = [0, 0.5, 1, 1.5, 127.5, 256].map((minAcu) => withSpec({ capacity: { minAcu, maxAcu: 256 } }));
    const versions = ['14.3', '15.2', '16.1', '16.4', '17.4', '17.10'].map((engineVersion) => withSpec({ engineVersion }));
    expect(
      validateXrs(
        'Database',
        [...accepted, ...versions].map((object) => ({ object })),
      ),
    ).toEqual(Array(12).fill([]));
  });

  it('refuses engine versions outside standard support or without Serverless v2', () => {
    const refused = ['13.12', '14.2', '16.0', '18.1', '16', '16.4.1', 'latest'].map((engineVersion) => ({ object: withSpec({ engineVersion }) }));
    for (const errors of validateXrs('Database', refused)) expect(errors.join('\n')).toMatch(/engineVersion must be an Aurora PostgreSQL version/);
  });

  it('refuses a change of region', () => {
    const [errors] = validateXrs('Database', [{ object: withSpec({ region: 'us-east-1' }), old: dev }]);
    expect(errors.join('\n')).toContain('region is immutable');
  });
});
