// Developer input for the Network API, checked by the Kubernetes API server's own
// validation code (OpenAPI + CEL) against the CRD Crossplane derives from our XRD.
import { describe, expect, it } from 'vitest';
import { kubevalidate } from '../lib/kubevalidate';
import { describeExamples, examples, validateXrs, xrCrd } from './support';

const valid = examples('compositions/network/examples');
const invalid = examples('compositions/network/examples/invalid');

describeExamples('Network', { valid: 4, invalid: 10 });

describe('Network XRD', () => {
  it('fills the defaults a minimal Network relies on', () => {
    // GIVEN only a region
    const object = valid.find((e) => e.file === 'minimal.yaml')!.object;
    // WHEN the API server admits it
    const report = kubevalidate([xrCrd('Network')], [{ id: 'minimal', object }]);
    // THEN the defaults are in place
    expect(report.objects[0].errors).toEqual([]);
    const spec = report.objects[0].defaulted.spec;
    expect(spec.cidr).toBe('10.0.0.0/16');
    expect(spec.availabilityZones).toEqual(['a', 'b', 'c']);
    expect(spec.nat).toBe('PerZone');
    expect(spec.providerConfigName).toBe('default');
  });

  it('refuses a change of region and allows other changes', () => {
    const old = valid.find((e) => e.file === 'minimal.yaml')!.object;
    const moved = { ...old, spec: { ...old.spec, region: 'us-east-1' } };
    const resized = { ...old, spec: { ...old.spec, nat: 'Single' } };
    const [movedErrors, resizedErrors] = validateXrs('Network', [
      { object: moved, old },
      { object: resized, old },
    ]);
    expect(movedErrors.join('\n')).toContain('region is immutable');
    expect(resizedErrors).toEqual([]);
  });

  it('refuses moving the nodes between public and private subnets: the subnets would be replaced under them', () => {
    const old = valid.find((e) => e.file === 'public-only.yaml')!.object;
    const withPrivate = {
      ...old,
      spec: { ...old.spec, nat: 'Single', subnets: { ...old.spec.subnets, private: ['10.51.8.0/22', '10.51.12.0/22'] } },
    };
    const [moved] = validateXrs('Network', [{ object: withPrivate, old }]);
    expect(moved.join('\n')).toContain('whether nodes run in public or private subnets cannot change: create a new Network for the other layout');
    // The same layout is fine for a new Network.
    expect(validateXrs('Network', [{ object: withPrivate }])[0]).toEqual([]);
  });

  it('names the offending value for host bits in a subnet', () => {
    const object = invalid.find((e) => e.file === 'subnet-host-bits.yaml')!.object;
    const [errors] = validateXrs('Network', [{ object }]);
    expect(errors.join('\n')).toMatch(/spec\.subnets\.public\[0\].*10\.0\.0\.1\/24 has host bits set/);
  });
});
