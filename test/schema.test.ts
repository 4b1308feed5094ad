import { describe, expect, it } from 'vitest';
import { covers, leafPaths, nearest, nearestField, parseFieldPath, resolveFieldPath } from '../lib/schema';

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        forProvider: {
          type: 'object',
          properties: {
            cidrBlock: { type: 'string' },
            tags: { type: 'object', additionalProperties: { type: 'string' } },
            subnets: { type: 'array', items: { type: 'string' } },
          },
        },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

describe('field paths', () => {
  it('parses Crossplane field paths with keys in brackets', () => {
    expect(parseFieldPath('spec.forProvider.tags[kubernetes.io/role/elb]')).toEqual([
      { name: 'spec' },
      { name: 'forProvider' },
      { name: 'tags' },
      { name: 'kubernetes.io/role/elb' },
    ]);
    expect(parseFieldPath('status.subnetIds.public[2]')).toEqual([{ name: 'status' }, { name: 'subnetIds' }, { name: 'public' }, { index: 2 }]);
  });

  it('refuses malformed paths', () => {
    expect(() => parseFieldPath('spec..cidr')).toThrow(/malformed/);
    expect(() => parseFieldPath('spec.')).toThrow(/malformed/);
  });

  it("refuses what Crossplane's own parser refuses, which would fail the whole render (crossplane-runtime pkg/fieldpath)", () => {
    expect(() => parseFieldPath('spec.forProvider.tags.[Name]')).toThrow(
      'field path "spec.forProvider.tags.[Name]" is malformed: a bracket right after a period at 22: write "a[b]", not "a.[b]"',
    );
    expect(() => parseFieldPath('spec.tags[]')).toThrow(/empty brackets/);
    expect(() => parseFieldPath('spec.tags[Name')).toThrow(/unexpected "\[" at 9/);
    expect(() => parseFieldPath('spec.tags]Name')).toThrow(/unexpected "]" at 9/);
    // What Crossplane accepts stays accepted: a bracket first, a name right after a bracket.
    expect(parseFieldPath('[0].a')).toEqual([{ index: 0 }, { name: 'a' }]);
    expect(parseFieldPath('a[0]b')).toEqual([{ name: 'a' }, { index: 0 }, { name: 'b' }]);
    expect(resolveFieldPath(schema, 'spec.forProvider.tags.[Name]')).toMatchObject({
      ok: false,
      problem: expect.stringContaining('a bracket right after a period'),
    });
  });

  it('resolves map keys, list items, metadata and free-form objects', () => {
    for (const p of ['spec.forProvider.tags[Name]', 'spec.forProvider.subnets[1]', 'metadata.labels[a/b]', 'spec.free.anything.below']) {
      expect(resolveFieldPath(schema, p).ok, p).toBe(true);
    }
  });

  it('names the nearest field for a typo', () => {
    const r = resolveFieldPath(schema, 'spec.forProvider.cidrBlok');
    expect(r).toEqual({ ok: false, at: 'spec.forProvider', problem: '"spec.forProvider" has no field "cidrBlok"; did you mean "cidrBlock"?' });
  });

  it('refuses an index into a non-list and a field below a string', () => {
    expect(resolveFieldPath(schema, 'spec.forProvider.cidrBlock[0]').ok).toBe(false);
    expect(resolveFieldPath(schema, 'spec.forProvider.cidrBlock.x').ok).toBe(false);
  });

  it('names the field an unknown one most likely means, at any depth', () => {
    expect(nearestField(schema, 'spec.forProvder')).toBe('forProvider');
    expect(nearestField(schema, 'spec.forProvider.cidrBlok')).toBe('cidrBlock');
    expect(nearestField(schema, 'spce')).toBe('spec');
    expect(nearestField(schema, 'spec.forProvider.zzz')).toBeUndefined();
    expect(nearestField(schema, 'spec.missing.cidrBlok')).toBeUndefined();
  });

  it('offers no suggestion when nothing is close', () => {
    expect(nearest('region', ['cidrBlock', 'tags'])).toBeUndefined();
  });

  it('lists leaves and knows which reads cover them', () => {
    expect(leafPaths(schema.properties.spec, 'spec')).toEqual([
      'spec.forProvider.cidrBlock',
      'spec.forProvider.tags',
      'spec.forProvider.subnets',
      'spec.free',
    ]);
    expect(covers('spec.forProvider.subnets[0]', 'spec.forProvider.subnets')).toBe(true);
    expect(covers('spec.forProvider', 'spec.forProvider.tags')).toBe(true);
    expect(covers('spec.forProvider.cidrBlock', 'spec.forProvider.tags')).toBe(false);
  });
});
