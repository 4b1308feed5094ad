// The check that runs at every synth, with or without the real renderer: each composed
// resource, fully patched with sample values, is validated against its provider CRD.
import { describe, expect, it } from 'vitest';
import { composedSamples, fromXr, mapping, PATCHED, PlatformComposition, sampleValue, writesXr } from '../compositions/authoring';
import { networkApi, networkComposition } from '../compositions/network';
import { Vpc } from '../imports/ec2.aws.m.upbound.io';
import { kubevalidate } from '../lib/kubevalidate';
import { crds, platform } from './support';

const api = networkApi();

/** API-server findings for every composed resource of `composition`, one line each. */
function problems(composition: PlatformComposition): string[] {
  const samples = composedSamples(composition, crds());
  const kinds = new Map(samples.map((s) => [`${s.object.apiVersion}/${s.object.kind}`, crds().get(s.object.apiVersion, s.object.kind)]));
  const report = kubevalidate(
    [...kinds.values()],
    samples.map((s, i) => ({ id: String(i), object: s.object })),
  );
  return report.objects.flatMap((r) => r.errors.map((f) => `${samples[Number(r.id)].label}: ${f.message}`));
}

/** A one-resource composition of a VPC with the given extra patches. */
const vpc = (patches: ReturnType<typeof fromXr>[]) =>
  new PlatformComposition({
    api,
    name: 'probe',
    placement: { region: 'spec.region', providerConfigName: 'spec.providerConfigName' },
    resources: [{ name: 'vpc', base: Vpc.manifest({ spec: { forProvider: { region: PATCHED } } }), patches }],
  });

describe('composed resources validated against their CRDs once patched', () => {
  it.each(platform().compositions.map((c) => [c.name, c]))(
    '%s passes the authoring checks (every path exists, every XRD field is used)',
    (_name, c) => {
      expect(c.problems(crds())).toEqual([]);
    },
  );

  it.each(platform().compositions.map((c) => [c.name, c]))('accepts every resource of %s', (_name, c) => {
    expect(composedSamples(c, crds()).length).toBe(
      c.resources.length - c.resources.filter((r) => c.children.some((k) => k.kind === r.base.kind)).length,
    );
    expect(problems(c)).toEqual([]);
  });

  it('gives every managed resource a complete provider config reference', () => {
    for (const s of composedSamples(networkComposition(api), crds())) {
      expect(s.object.spec.providerConfigRef, s.label).toEqual({ kind: 'ClusterProviderConfig', name: 'sample' });
    }
  });

  it('refuses the Network composition without the fix: a patch of providerConfigRef.name alone', () => {
    // GIVEN the composition as it was: the name patched in, no complete reference in the base
    const fixed = networkComposition(api);
    const broken = new PlatformComposition({
      api,
      name: fixed.name,
      preSteps: fixed.preSteps,
      resources: fixed.resources.map((r) => {
        const { providerConfigRef: _, ...spec } = r.base.spec as Record<string, unknown>;
        return { ...r, base: { ...r.base, spec }, patches: r.patches?.filter((p) => !writesXr(p)) };
      }),
    });
    // THEN every resource is refused, naming the composition, the resource and the field
    const found = problems(broken);
    expect(found).toHaveLength(composedSamples(fixed, crds()).length);
    expect(found).toContain('composition network-aws: resource "subnet-public-az1" (Subnet): spec.providerConfigRef.kind: Required value');
    expect(found).toContain('composition network-aws: resource "vpc" (VPC): spec.providerConfigRef.kind: Required value');
  });

  it('refuses a patch whose transform writes the wrong type', () => {
    // enableDnsSupport is a boolean; a map transform that yields strings cannot land there
    const c = vpc([fromXr('spec.nat', 'spec.forProvider.enableDnsSupport', { transforms: [mapping({ PerZone: 'yes', Single: 'no', None: 'no' })] })]);
    expect(problems(c)).toEqual([
      'composition probe: resource "vpc" (VPC): spec.forProvider.enableDnsSupport: Invalid value: "string": spec.forProvider.enableDnsSupport in body must be of type boolean: "string"',
    ]);
  });

  it('refuses a field the CRD does not know', () => {
    const c = new PlatformComposition({
      api,
      name: 'probe',
      placement: { region: 'spec.region', providerConfigName: 'spec.providerConfigName' },
      resources: [
        {
          name: 'vpc',
          base: { apiVersion: Vpc.GVK.apiVersion, kind: Vpc.GVK.kind, spec: { forProvider: { region: PATCHED, cidrBlok: '10.0.0.0/16' } } },
        },
      ],
    });
    expect(problems(c)).toEqual([
      'composition probe: resource "vpc" (VPC): spec.forProvider.cidrBlok: Forbidden: unknown field "spec.forProvider.cidrBlok": did you mean "cidrBlock"?',
    ]);
  });

  it('fills list gaps and required members, so a patch at [1] yields a whole list', () => {
    expect(
      sampleValue({
        type: 'object',
        required: ['kind', 'name'],
        properties: { kind: { type: 'string', enum: ['A', 'B'] }, name: { type: 'string' } },
      }),
    ).toEqual({ kind: 'A', name: 'sample' });
    const c = vpc([fromXr('spec.availabilityZones[1]', 'spec.forProvider.tags[zone]')]);
    expect(composedSamples(c, crds())[0].object.spec.forProvider.tags).toEqual({ zone: 'sample' });
  });
});
