// The authoring layer refuses the compositions that would silently do nothing.
import { describe, expect, it } from 'vitest';
import { fieldIn, fromXr, PATCHED, PlatformApi, PlatformComposition, sizeAtLeast, toXr } from '../compositions/authoring';
import { InternetGateway, Vpc } from '../imports/ec2.aws.m.upbound.io';
import { crds } from './support';

const api = new PlatformApi({
  group: 'test.drydock.dev',
  kind: 'Thing',
  plural: 'things',
  spec: {
    type: 'object',
    properties: {
      region: { type: 'string' },
      cidr: { type: 'string' },
      zones: { type: 'array', items: { type: 'string' } },
      mode: { type: 'string' },
    },
  },
  status: { type: 'object', properties: { vpcId: { type: 'string' } } },
});

const vpc = (patches: any[], base: any = { spec: { forProvider: { region: PATCHED } } }) =>
  new PlatformComposition({
    api,
    name: 'thing',
    resources: [
      {
        name: 'vpc',
        base: Vpc.manifest(base),
        patches: [
          fromXr('spec.region', 'spec.forProvider.region'),
          fromXr('spec.zones', 'metadata.annotations[zones]'),
          fromXr('spec.mode', 'metadata.annotations[mode]'),
          ...patches,
        ],
      },
    ],
  });

describe('PlatformComposition.problems', () => {
  it('accepts a sound composition', () => {
    const c = vpc([fromXr('spec.cidr', 'spec.forProvider.cidrBlock'), toXr('status.atProvider.id', 'status.vpcId')]);
    expect(c.problems(crds())).toEqual([]);
  });

  it('names the composition, the path and the nearest field for a misspelled target', () => {
    const c = vpc([fromXr('spec.cidr', 'spec.forProvider.cidrBlok')]);
    expect(c.problems(crds())).toEqual([
      'composition thing: resource "vpc": patch to VPC at "spec.forProvider.cidrBlok": "spec.forProvider" has no field "cidrBlok"; did you mean "cidrBlock"?',
    ]);
  });

  it('refuses a source path the XRD does not have', () => {
    const problems = vpc([fromXr('spec.cidr', 'spec.forProvider.cidrBlock'), fromXr('spec.cdir', 'spec.forProvider.cidrBlock')]).problems(crds());
    expect(problems).toEqual([
      'composition thing: resource "vpc": patch from the XR at "spec.cdir": "spec" has no field "cdir"; did you mean "cidr"?',
    ]);
  });

  it('refuses a ToComposite patch into a status field the XRD lacks', () => {
    const problems = vpc([fromXr('spec.cidr', 'spec.forProvider.cidrBlock'), toXr('status.atProvider.id', 'status.vpcID')]).problems(crds());
    expect(problems).toEqual([
      'composition thing: resource "vpc": patch to the XR at "status.vpcID": "status" has no field "vpcID"; did you mean "vpcId"?',
    ]);
  });

  it('says which XRD spec field nothing reads', () => {
    expect(vpc([]).problems(crds())).toEqual([
      'composition thing: XRD field "spec.cidr" is not read by any patch, condition or step: use it or remove it from the XRD',
    ]);
  });

  it('refuses a PATCHED placeholder that no patch fills', () => {
    const c = vpc([fromXr('spec.cidr', 'metadata.annotations[cidr]')], { spec: { forProvider: { region: PATCHED, cidrBlock: PATCHED } } });
    expect(c.problems(crds())).toEqual(['composition thing: resource "vpc": "spec.forProvider.cidrBlock" is marked PATCHED but no patch writes it']);
  });

  it('refuses duplicate resource names and conditions on unknown fields', () => {
    const c = new PlatformComposition({
      api,
      name: 'thing',
      resources: [
        {
          name: 'gw',
          base: InternetGateway.manifest({ spec: { forProvider: { region: 'eu-west-1' } } }),
          patches: [fromXr('spec.region', 'metadata.annotations[r]'), fromXr('spec.cidr', 'metadata.annotations[c]')],
          includeWhen: sizeAtLeast('spec.zone', 3),
        },
        { name: 'gw', base: InternetGateway.manifest({ spec: { forProvider: { region: 'eu-west-1' } } }), includeWhen: fieldIn('spec.mode', ['A']) },
      ],
    });
    const problems = c.problems(crds());
    expect(problems).toContain('composition thing: resource "gw": the name is used twice');
    expect(problems).toContain('composition thing: resource "gw": condition reads "spec.zone": "spec" has no field "zone"; did you mean "zones"?');
  });
});

describe('PlatformComposition.spec', () => {
  it('runs patch-and-transform, then cel-filter for optional resources, then auto-ready', () => {
    const c = new PlatformComposition({
      api,
      name: 'thing',
      resources: [
        { name: 'always', base: InternetGateway.manifest({ spec: { forProvider: { region: 'eu-west-1' } } }) },
        {
          name: 'third.zone',
          base: InternetGateway.manifest({ spec: { forProvider: { region: 'eu-west-1' } } }),
          includeWhen: sizeAtLeast('spec.zones', 3),
        },
      ],
    });
    const spec = c.spec();
    expect(spec.mode).toBe('Pipeline');
    expect(spec.pipeline.map((s: any) => s.functionRef.name)).toEqual(['function-patch-and-transform', 'function-cel-filter', 'function-auto-ready']);
    expect(spec.pipeline[1].input.filters).toEqual([
      {
        name: 'third\\.zone',
        expression:
          'has(observed.composite.resource.spec) && has(observed.composite.resource.spec.zones) && size(observed.composite.resource.spec.zones) >= 3',
      },
    ]);
  });

  it('leaves out cel-filter when every resource is always composed, and strips PATCHED from bases', () => {
    const spec = vpc([fromXr('spec.cidr', 'spec.forProvider.cidrBlock')]).spec();
    expect(spec.pipeline.map((s: any) => s.step)).toEqual(['patch-and-transform', 'auto-ready']);
    expect(spec.pipeline[0].input.resources[0].base.spec.forProvider).toEqual({});
  });

  it('refuses a condition on anything but a plain spec or status path', () => {
    expect(() => fieldIn('metadata.name', ['x'])).toThrow(/must be a dotted path under spec or status/);
  });
});
