// The authoring layer refuses the compositions that would silently do nothing or the wrong thing,
// and its helpers throw rather than overwrite a value they are given.
// (About 350 lines: every describe builds on one toy API, Thing, and its composition builder
// below; each describe is one family of helpers.)
import { describe, expect, it } from 'vitest';
import {
  type ComposedResource,
  combined,
  env,
  fieldIn,
  fromEnv,
  fromXr,
  merge,
  NameScheme,
  observed,
  PATCHED,
  type Patch,
  PlatformApi,
  PlatformComposition,
  type PlatformCompositionProps,
  prefer,
  sizeAtLeast,
  toXr,
  UniqueName,
  xr,
} from '../compositions/authoring';
import { InternetGateway, Vpc } from '../imports/ec2.aws.m.upbound.io';
import { type CompositionCase, describeCases } from './composition-cases';
import { crds, renderSetup } from './support';

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

/** Patches that read every spec field but `cidr`, so a composition of them is sound once it reads `cidr` too. */
const READS_ALL_BUT_CIDR = [fromXr('spec.zones', 'metadata.annotations[zones]'), fromXr('spec.mode', 'metadata.annotations[mode]')];
const REPORTS_VPC_ID = { vpcId: observed('vpc', 'status.atProvider.id') };

const thing = (props: Partial<PlatformCompositionProps> & { resources: readonly ComposedResource[] }) =>
  new PlatformComposition({ api, name: 'thing', status: REPORTS_VPC_ID, ...props });

const vpc = (patches: Patch[], base: any = { spec: { forProvider: { region: PATCHED } } }) =>
  thing({
    resources: [
      { name: 'vpc', base: Vpc.manifest(base), patches: [fromXr('spec.region', 'spec.forProvider.region'), ...READS_ALL_BUT_CIDR, ...patches] },
    ],
  });

describe('PlatformComposition.problems', () => {
  it('accepts a sound composition', () => {
    expect(vpc([fromXr('spec.cidr', 'spec.forProvider.cidrBlock')]).problems(crds())).toEqual([]);
  });

  it('names the composition, the path and the nearest field for a misspelled target', () => {
    expect(vpc([fromXr('spec.cidr', 'spec.forProvider.cidrBlok')]).problems(crds())).toEqual([
      'composition thing: resource "vpc": patch to VPC at "spec.forProvider.cidrBlok": "spec.forProvider" has no field "cidrBlok"; did you mean "cidrBlock"?',
    ]);
  });

  it('refuses a source path the XRD does not have', () => {
    const problems = vpc([fromXr('spec.cidr', 'spec.forProvider.cidrBlock'), fromXr('spec.cdir', 'metadata.annotations[cidr]')]).problems(crds());
    expect(problems).toEqual([
      'composition thing: resource "vpc": patch from the XR at "spec.cdir": "spec" has no field "cdir"; did you mean "cidr"?',
    ]);
  });

  it('refuses a status field the XRD lacks, and says which status field nothing writes', () => {
    const c = thing({
      status: { vpcID: observed('vpc', 'status.atProvider.id') },
      resources: [
        {
          name: 'vpc',
          base: Vpc.manifest({ spec: { forProvider: { region: 'eu-west-1' } } }),
          patches: [...READS_ALL_BUT_CIDR, fromXr('spec.cidr', 'spec.forProvider.cidrBlock'), fromXr('spec.region', 'metadata.annotations[r]')],
        },
      ],
    });
    expect(c.problems(crds())).toEqual([
      'composition thing: resource "vpc": patch to the XR at "status.vpcID": "status" has no field "vpcID"; did you mean "vpcId"?',
      'composition thing: XRD status field "status.vpcId" is written by nothing: add it to the status map, or remove it from the XRD',
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
    const gw = (includeWhen: ReturnType<typeof fieldIn>, patches: Patch[] = []) => ({
      name: 'gw',
      base: InternetGateway.manifest({ spec: { forProvider: { region: 'eu-west-1' } } }),
      patches,
      includeWhen,
    });
    const c = thing({
      status: {},
      resources: [gw(sizeAtLeast('spec.zone', 3), [fromXr('spec.region', 'metadata.annotations[r]')]), gw(fieldIn('spec.mode', ['A']))],
    });
    const problems = c.problems(crds());
    expect(problems).toContain('composition thing: resource "gw": the name is used twice');
    expect(problems).toContain('composition thing: resource "gw": condition reads "spec.zone": "spec" has no field "zone"; did you mean "zones"?');
  });

  it('refuses a condition on anything but a plain spec or status path', () => {
    expect(() => fieldIn('metadata.name', ['x'])).toThrow(/must be a dotted path under spec or status/);
  });
});

describe('patch precedence', () => {
  const sound = [fromXr('spec.cidr', 'spec.forProvider.cidrBlock')];
  const environments = [
    { name: 'dev', data: { tags: { team: 'a' }, nat: 'Single' } },
    { name: 'prod', data: { tags: { team: 'b' } } },
  ];
  const withEnv = (patches: Patch[]) =>
    thing({
      environments,
      resources: [
        {
          name: 'vpc',
          base: Vpc.manifest({ spec: { forProvider: { region: PATCHED } } }),
          patches: [fromXr('spec.region', 'spec.forProvider.region'), ...READS_ALL_BUT_CIDR, ...sound, ...patches],
        },
      ],
    });

  it('flags an environment default that a later XR patch silently beats', () => {
    expect(
      withEnv([fromEnv('tags.team', 'spec.forProvider.tags[team]'), fromXr('spec.mode', 'spec.forProvider.tags[team]')]).problems(crds()),
    ).toEqual([
      'composition thing: resource "vpc": the patch from the environment at "tags.team" to "spec.forProvider.tags[team]" is silently beaten by the later one from the XR at "spec.mode" to "spec.forProvider.tags[team]" whenever that is set: say which wins with prefer([...], ...)',
    ]);
  });

  it('flags an XR patch into a field of what an environment patch writes', () => {
    const problems = withEnv([fromEnv('tags', 'spec.forProvider.tags'), fromXr('spec.mode', 'spec.forProvider.tags[mode]')]).problems(crds());
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(
      '"spec.forProvider.tags" is silently beaten by the later one from the XR at "spec.mode" to "spec.forProvider.tags[mode]"',
    );
  });

  it('accepts the same precedence said with prefer, the first source winning, also for one field of an object', () => {
    expect(withEnv(prefer([xr('spec.mode'), env('tags.team')], 'spec.forProvider.tags[team]')).problems(crds())).toEqual([]);
    expect(withEnv(prefer([xr('spec.mode', { at: '[mode]' }), env('tags')], 'spec.forProvider.tags')).problems(crds())).toEqual([]);
    // Least preferred first: patch-and-transform applies patches in order, the last present wins.
    expect(prefer([xr('spec.mode'), env('tags.team')], 'spec.forProvider.tags[team]').map((p) => p.fromFieldPath)).toEqual([
      'tags.team',
      'spec.mode',
    ]);
  });

  it('flags two prefer calls that write one field', () => {
    const twice = [...prefer([xr('spec.mode')], 'spec.forProvider.tags[m]'), ...prefer([xr('spec.zones[0]')], 'spec.forProvider.tags[m]')];
    expect(withEnv(twice).problems(crds())).toHaveLength(1);
  });

  it('checks an environment field in every environment, not the first', () => {
    expect(withEnv([fromEnv('nat', 'spec.forProvider.tags[nat]')]).problems(crds())).toEqual([
      'composition thing: resource "vpc": patch from the environment at "nat": environment "prod" lacks that field: fix the path, or say when it may be absent (fromEnv absentWhen)',
    ]);
    expect(withEnv([fromEnv('nat', 'spec.forProvider.tags[nat]', { absentWhen: 'prod has no NAT' })]).problems(crds())).toEqual([]);
    // A field no environment has is a mistake, whatever the reason given.
    expect(withEnv([fromEnv('natt', 'spec.forProvider.tags[nat]', { absentWhen: 'never' })]).problems(crds())[0]).toContain(
      'no environment has that field',
    );
  });

  it('refuses a prefer that cannot say what it writes', () => {
    expect(() => prefer([], 'spec.x')).toThrow(/needs at least one source/);
    expect(() => prefer([{ ...combined(['spec.a', 'spec.b'], '%s-%s'), format: undefined }], 'spec.x')).toThrow(/need a format/);
  });
});

describe('helpers throw instead of overwriting', () => {
  const placement = { region: 'spec.region', providerConfigName: 'spec.mode' };
  const placed = (base: any, patches: Patch[] = []) =>
    thing({ placement, resources: [{ name: 'vpc', base: Vpc.manifest(base), patches: [...READS_ALL_BUT_CIDR, ...patches] }] });

  it('places every managed resource: region (when PATCHED) and a complete provider config reference', () => {
    const [r] = placed({ spec: { forProvider: { region: PATCHED } } }).resources;
    expect((r.base.spec as any).providerConfigRef).toEqual({ kind: 'ClusterProviderConfig', name: 'default' });
    expect(r.patches!.slice(0, 2).map((p) => [p.fromFieldPath, p.toFieldPath])).toEqual([
      ['spec.region', 'spec.forProvider.region'],
      ['spec.mode', 'spec.providerConfigRef.name'],
    ]);
  });

  it("refuses a base's own provider config, a literal region, or a patch of either under placement", () => {
    expect(() => placed({ spec: { forProvider: { region: PATCHED }, providerConfigRef: { kind: 'ClusterProviderConfig', name: 'x' } } })).toThrow(
      'composition thing: resource "vpc" sets spec.providerConfigRef {"kind":"ClusterProviderConfig","name":"x"}, which the placement writes: drop it from the base, or compose it without placement',
    );
    expect(() => placed({ spec: { forProvider: { region: 'eu-west-1' } } })).toThrow(
      /sets spec.forProvider.region "eu-west-1", which the placement writes: mark it PATCHED/,
    );
    expect(() => placed({ spec: { forProvider: { region: PATCHED } } }, [fromXr('spec.cidr', 'spec.providerConfigRef.name')])).toThrow(
      /patches spec.providerConfigRef.name, which the placement writes/,
    );
  });

  it("refuses a resource's own status patch, and a status map naming a resource it does not compose", () => {
    const base = Vpc.manifest({ spec: { forProvider: { region: 'eu-west-1' } } });
    expect(() => thing({ resources: [{ name: 'vpc', base, patches: [toXr('status.atProvider.id', 'status.vpcId')] }] })).toThrow(
      'composition thing: resource "vpc" writes the XR at "status.vpcId" itself: declare it in the composition\'s status map',
    );
    expect(() => thing({ status: { vpcId: observed('vcp', 'status.atProvider.id') }, resources: [{ name: 'vpc', base }] })).toThrow(
      'composition thing: status.vpcId comes from resource "vcp", which it does not compose: name one of its resources',
    );
    const either = (second?: ReturnType<typeof fieldIn>) =>
      thing({
        status: { vpcId: ['a', 'b'].map((r) => observed(r, 'status.atProvider.id')) },
        resources: [
          { name: 'a', base, includeWhen: fieldIn('spec.mode', ['A']) },
          { name: 'b', base, includeWhen: second },
        ],
      });
    expect(() => either(fieldIn('spec.mode', ['B']))).not.toThrow();
    expect(() => either()).toThrow('status.vpcId comes from "a" or "b", which are not alternatives: give each its own includeWhen');
  });

  it('merges parts of an object, refusing a field two parts set', () => {
    expect(merge({ a: { b: 1 } }, { a: { c: 2 } }, undefined)).toEqual({ a: { b: 1, c: 2 } });
    // A key that is also a property of every object (a tag named "constructor") is a key like any other.
    expect(merge({ tags: { constructor: 'x' } }, { tags: { toString: 'y' } })).toEqual({ tags: { constructor: 'x', toString: 'y' } });
    expect(() => merge({ forProvider: { addonName: 'coredns' } }, { forProvider: { addonName: 'kube-proxy' } })).toThrow(
      '"forProvider.addonName" is set twice ("coredns", then "kube-proxy"): set it in one place',
    );
  });
});

describe('NameScheme', () => {
  it('writes the first present stem, suffixed or formatted, into any field', () => {
    const names = new NameScheme({ stem: [xr('spec.clusterName'), xr('metadata.name')] });
    const [fallback, preferred] = names.format('spec.forProvider.name', 'alias/%s-final-%s', { with: ['metadata.uid'] });
    expect(preferred.combine).toEqual({
      variables: [{ fromFieldPath: 'spec.clusterName' }, { fromFieldPath: 'metadata.uid' }],
      strategy: 'string',
      string: { fmt: 'alias/%s-final-%s' },
    });
    expect(fallback.combine!.variables[0].fromFieldPath).toBe('metadata.name');
  });

  it('takes a stem formatted from several fields, as a new naming scheme would', () => {
    const names = new NameScheme({ stem: [combined(['spec.environment', 'metadata.namespace', 'metadata.name'], '%s-%s-%s')] });
    const [tag] = names.tag('-public');
    expect(tag.combine!.string!.fmt).toBe('%s-%s-%s-public');
    expect(tag.combine!.variables.map((v) => v.fromFieldPath)).toEqual(['spec.environment', 'metadata.namespace', 'metadata.name']);
    expect(() => new NameScheme({ stem: [env('name')] })).toThrow(/read from the XR or a UniqueName, not the environment/);
  });
});

describe('UniqueName', () => {
  const unique = new UniqueName({
    readable: ['spec.mode', 'metadata.name'],
    identity: ['metadata.namespace', 'metadata.name'],
    hashLength: 8,
    key: 'names',
  });

  it('computes its parts in the pipeline before any resource, and is read as one formatted environment source', () => {
    expect(unique.environmentPatches().map((p) => [p.type, p.fromFieldPath ?? p.combine!.string!.fmt, p.toFieldPath])).toEqual([
      ['FromCompositeFieldPath', 'metadata.name', 'names.readable'],
      ['FromCompositeFieldPath', 'spec.mode', 'names.readable'],
      ['CombineFromComposite', '%s/%s', 'names.hash'],
    ]);
    const [tag] = new NameScheme({ stem: [unique.source()] }).tag('-vpc');
    expect(tag).toMatchObject({
      type: 'CombineFromEnvironment',
      combine: { string: { fmt: '%s-%s-vpc' } },
      toFieldPath: 'spec.forProvider.tags[Name]',
    });
    expect(unique.of({ 'metadata.name': 'orders', 'metadata.namespace': 'team-a' })).toMatch(/^orders-[0-9a-f]{8}$/);
    expect(unique.of({ 'spec.mode': 'x', 'metadata.name': 'orders', 'metadata.namespace': 'team-a' })).toMatch(/^x-[0-9a-f]{8}$/);
  });

  it('is sound when its XR fields exist and its key is no environment field; refused otherwise', () => {
    const named = (n: UniqueName, environments: PlatformCompositionProps['environments'] = [{ name: 'dev', data: { name: 'dev' } }]) =>
      thing({
        uniqueNames: [n],
        environments,
        resources: [
          {
            name: 'vpc',
            base: Vpc.manifest({ spec: { forProvider: { region: PATCHED } } }),
            patches: [
              fromXr('spec.region', 'spec.forProvider.region'),
              fromXr('spec.cidr', 'spec.forProvider.cidrBlock'),
              ...READS_ALL_BUT_CIDR,
              ...new NameScheme({ stem: [n.source()] }).tag(),
            ],
          },
        ],
      });
    expect(named(unique).problems(crds())).toEqual([]);
    const typo = new UniqueName({ readable: ['metadata.name'], identity: ['spec.moed'], hashLength: 8, key: 'names' });
    expect(named(typo).problems(crds())).toEqual([expect.stringContaining('unique name reads "spec.moed"')]);
    expect(named(unique, [{ name: 'dev', data: { names: 'x' } }]).problems(crds())).toEqual([
      'composition thing: unique name key "names" is also a field of environment "dev": pick another key',
    ]);
  });
});

// What the pipeline the authoring layer writes does, run by the real renderer: optional resources
// are dropped by their condition alone (a name with regex metacharacters matches only itself), and
// no PATCHED placeholder reaches a rendered object.
const gateway = (name: string, includeWhen?: ReturnType<typeof fieldIn>): ComposedResource => ({
  name,
  base: InternetGateway.manifest({ spec: { forProvider: { region: PATCHED } } }),
  patches: [fromXr('spec.region', 'spec.forProvider.region')],
  includeWhen,
});
const pipeline = thing({
  status: {},
  resources: [gateway('always'), gateway('third.zone', sizeAtLeast('spec.zones', 3)), gateway('third-zone')],
});
const anXr = (zones: string[]) => ({
  apiVersion: api.apiVersion,
  kind: api.kind,
  metadata: { name: 'x', namespace: 'team-a' },
  spec: { region: 'eu-west-1', zones },
});
const PIPELINE_CASES: CompositionCase[] = [
  {
    says: 'two zones: the third-zone gateway is left out, the one whose name its filter pattern would also match stays',
    xr: anXr(['a', 'b']),
    composes: { InternetGateway: ['always', 'third-zone'] },
    everyResource: { spec: { forProvider: { region: 'eu-west-1' } } },
  },
  {
    says: 'three zones: every gateway is composed',
    xr: anXr(['a', 'b', 'c']),
    composes: { InternetGateway: ['always', 'third-zone', 'third.zone'] },
  },
];
describeCases('Thing', PIPELINE_CASES, renderSetup({ compositions: [pipeline] }));
