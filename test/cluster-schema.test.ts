// The developer's input to the Cluster API, judged by the API server's validation code (OpenAPI
// + CEL) against the CRD Crossplane derives from the XRD.
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_NAMES } from '../environments';
import { kubevalidate } from '../lib/kubevalidate';
import { describeExamples, examples, validateXrs, xrCrd } from './support';

describeExamples('Cluster', { valid: 3, invalid: 11 });

const dev = examples('compositions/cluster/examples').find((e) => e.file === 'dev-minimal.yaml')!.object;
const withSpec = (spec: Record<string, unknown>) => ({ ...dev, spec: { ...dev.spec, ...spec } });

describe('Cluster XRD', () => {
  it('offers exactly the environments in environments/', () => {
    expect(xrCrd('Cluster').spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.environment.enum).toEqual([...ENVIRONMENT_NAMES]);
  });

  it('is about ten lines for a developer: the minimal example needs nothing but environment and region', () => {
    const { spec } = kubevalidate([xrCrd('Cluster')], [{ id: 'dev', object: dev }]).objects[0].defaulted;
    expect(Object.keys(dev.spec).sort()).toEqual(['environment', 'region']);
    expect(spec).toMatchObject({
      network: { cidr: '10.0.0.0/16', availabilityZones: ['a', 'b', 'c'] },
      database: { enabled: false },
      addons: { karpenter: true, externalDns: false },
    });
  });

  it('lets prod turn database protection off only with a reason', () => {
    const prod = (database: Record<string, unknown>) => ({ object: withSpec({ environment: 'prod', database: { enabled: true, ...database } }) });
    const [unexplained, explained, dev] = validateXrs('Cluster', [
      prod({ finalSnapshot: false }),
      prod({ deletionProtection: false, unprotectedReason: 'scratch copy for a load test, deleted friday' }),
      { object: withSpec({ database: { enabled: true, deletionProtection: false } }) },
    ]);
    expect(unexplained.join('\n')).toContain('a prod database keeps deletion protection and its final snapshot');
    expect(explained).toEqual([]);
    expect(dev).toEqual([]);
  });

  it('refuses a change of environment', () => {
    const [errors] = validateXrs('Cluster', [{ object: withSpec({ environment: 'prod' }), old: dev }]);
    expect(errors.join('\n')).toContain('environment is immutable');
  });
});
