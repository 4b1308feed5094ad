// What `prefer` means once the real function-patch-and-transform runs it, not the order of the
// patches it emits: the first present source wins; a formatted source is skipped while any field
// it formats is absent; a source `at` one field overrides only that field of the object a less
// preferred source writes; and a required source holds a new resource back whichever source
// wins (function-patch-and-transform fn.go at the tag catalog/ pins: a missing source skips the patch, a missing Required
// source skips the whole resource while it does not exist yet).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NameScheme, PlatformApi, PlatformComposition, prefer, xr } from '../compositions/authoring';
import { Vpc } from '../imports/ec2.aws.m.upbound.io';
import { renderSetup } from './support';

const api = new PlatformApi({
  group: 'test.drydock.dev',
  kind: 'Precedence',
  plural: 'precedences',
  spec: {
    type: 'object',
    properties: { mode: { type: 'string' }, cidr: { type: 'string' }, zones: { type: 'array', items: { type: 'string' } } },
  },
  status: { type: 'object' },
});

/** Names start from `spec.mode`, else the XR's name. */
const NAMES = new NameScheme({ stem: [xr('spec.mode'), xr('metadata.name')] });
const vpc = () => Vpc.manifest({ spec: { forProvider: { region: 'eu-west-1', cidrBlock: '10.0.0.0/16' } } });

const composition = new PlatformComposition({
  api,
  name: 'precedence',
  resources: [
    {
      name: 'named',
      base: vpc(),
      patches: [
        ...NAMES.stem('metadata.annotations[name]'),
        ...NAMES.format('metadata.annotations[alias]', 'alias/%s-%s', { with: ['spec.zones[2]'] }),
        // The XR's labels as tags, with its mode (where it gives one) as the `mode` tag.
        ...prefer([xr('spec.mode', { at: '[mode]' }), xr('metadata.labels')], 'spec.forProvider.tags'),
      ],
    },
    {
      name: 'gated',
      base: vpc(),
      patches: prefer([xr('spec.mode'), xr('spec.cidr', { required: true })], 'metadata.annotations[gated]'),
    },
  ],
});

const thing = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: api.apiVersion,
  kind: api.kind,
  metadata: { name, namespace: 'team-a', labels: { team: 'a', mode: 'from-label' } },
  spec,
});

const setup = renderSetup({ compositions: [composition] });
describe.skipIf(!setup.ready)('prefer, run by the real patch-and-transform', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  it('the first present source wins; a source at one field overrides only that field; a required fallback still gates', () => {
    const out = setup.render(thing('p', { mode: 'blue', zones: ['a', 'b', 'c'] }));
    const named = out.byName('named');
    expect(named.metadata.annotations).toMatchObject({ name: 'blue', alias: 'alias/blue-c' });
    expect(named.spec.forProvider.tags).toEqual({ team: 'a', mode: 'blue' });
    // spec.mode is present and preferred, but the Required fallback spec.cidr is not: held back.
    expect(out.byName('gated')).toBeUndefined();
  });

  it('falls back when the preferred source is absent, and skips a formatted source while a field it formats is absent', () => {
    const out = setup.render(thing('p', { cidr: '10.1.0.0/16', zones: ['a', 'b'] }));
    const named = out.byName('named');
    expect(named.metadata.annotations.name).toBe('p');
    expect(named.metadata.annotations).not.toHaveProperty('alias');
    expect(named.spec.forProvider.tags).toEqual({ team: 'a', mode: 'from-label' });
    expect(out.byName('gated').metadata.annotations.gated).toBe('10.1.0.0/16');
  });

  it('takes the preferred source when both are present', () => {
    expect(setup.render(thing('p', { mode: 'blue', cidr: '10.1.0.0/16' })).byName('gated').metadata.annotations.gated).toBe('blue');
  });
});

if (!setup.ready) {
  describe('prefer, run by the real patch-and-transform', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}
