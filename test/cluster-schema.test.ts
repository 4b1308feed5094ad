// The developer's input to the Cluster API, judged by the API server's validation code (OpenAPI
// + CEL) against the CRD Crossplane derives from the XRD.
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_NAMES, ENVIRONMENTS } from '../environments';
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

  it("judges the database's capacity with the environment's defaults for what the Cluster leaves out", () => {
    // dev gives 0.5 to 2 ACU, prod 2 to 64
    const db = (environment: string, database: Record<string, unknown>) => ({
      object: withSpec({ environment, database: { enabled: true, ...database } }),
    });
    const [aboveDevMax, raised, belowProdMin, fine] = validateXrs('Cluster', [
      db('dev', { minAcu: 4 }),
      db('dev', { minAcu: 4, maxAcu: 8 }),
      db('prod', { maxAcu: 1 }),
      db('prod', { minAcu: 4 }),
    ]);
    expect(aboveDevMax.join('\n')).toContain('the dev environment gives minAcu 0.5 and maxAcu 2');
    expect(raised).toEqual([]);
    expect(belowProdMin.join('\n')).toContain('the prod environment gives minAcu 2 and maxAcu 64');
    expect(fine).toEqual([]);
  });

  it('allows the Kubernetes versions the environment allows, and its default when none is named; a Cluster already at another stays editable', () => {
    // GIVEN prod allows fewer versions than dev, and dev's is not among them
    const prod = ENVIRONMENTS.find((e) => e.name === 'prod')!.kubernetes;
    const devVersion = ENVIRONMENTS.find((e) => e.name === 'dev')!.kubernetes.version;
    expect(prod.allowedVersions).not.toContain(devVersion);
    const version = (environment: string, v?: string) => withSpec({ environment, kubernetes: v ? { version: v } : {} });
    const [allowed, notAllowed, inDev, byDefault, edited] = validateXrs('Cluster', [
      { object: version('prod', prod.allowedVersions![0]) },
      { object: version('prod', devVersion) },
      { object: version('dev', devVersion) },
      { object: version('prod') },
      // an edit (a database turned on) of a prod Cluster already at that version
      {
        object: { ...version('prod', devVersion), spec: { ...version('prod', devVersion).spec, database: { enabled: true } } },
        old: version('prod', devVersion),
      },
    ]);
    expect([allowed, inDev, byDefault, edited]).toEqual([[], [], [], []]);
    expect(notAllowed.join('\n')).toContain(`Kubernetes ${devVersion} is not allowed in the prod environment`);
  });

  it('refuses a change of environment', () => {
    const [errors] = validateXrs('Cluster', [{ object: withSpec({ environment: 'prod' }), old: dev }]);
    expect(errors.join('\n')).toContain('environment is immutable');
  });
});
