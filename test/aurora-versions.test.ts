// Aurora PostgreSQL versions as the catalog states them, judged by the API server's validation:
// every combination of engine version and capacity the catalog says AWS refuses is refused, by the
// Database API and by the Cluster API alike, and every one it allows is accepted; upgrades move
// within a major and never down. And what the real renderer sends AWS for auto-pause.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AURORA, AUTO_PAUSE_SECONDS, type AuroraVersion } from '../catalog';
import { databaseApi, databaseComposition } from '../compositions/database';
import { examples, renderSetup, validateXrs } from './support';

const database = examples('compositions/database/examples').find((e) => e.file === 'dev-minimal.yaml')!.object;
const cluster = examples('compositions/cluster/examples').find((e) => e.file === 'dev-minimal.yaml')!.object;
const dbAt = (engineVersion: string, capacity: Record<string, number>) => ({ ...database, spec: { ...database.spec, engineVersion, capacity } });
const clusterAt = (engineVersion: string, capacity: { minAcu: number; maxAcu: number }) => ({
  ...cluster,
  spec: { ...cluster.spec, database: { enabled: true, engineVersion, ...capacity } },
});

/** Capacity ranges at and just past each limit the catalog knows (0 vs 0.5 at the bottom, 128 vs 256 at the top). */
const RANGES = [
  { minAcu: 0, maxAcu: 4 },
  { minAcu: 0.5, maxAcu: 128 },
  { minAcu: 0.5, maxAcu: 128.5 },
  { minAcu: 1, maxAcu: 256 },
];
/** What AWS allows, per the catalog: an offered minor, and a range inside its ServerlessV2FeaturesSupport. */
const allowed = (v: AuroraVersion, r: { minAcu: number; maxAcu: number }) =>
  AURORA.offered.includes(v) && r.minAcu >= v.minAcu && r.maxAcu <= v.maxAcu;

const CASES = [...AURORA.offered, ...AURORA.retired].flatMap((v) => RANGES.map((r) => ({ v, r, ok: allowed(v, r) })));
const verdicts = (errors: string[][]) => errors.map((e) => e.length === 0);

describe('Aurora versions and capacity, as the catalog states them', () => {
  it('has combinations AWS refuses for the schema to refuse: a retired minor, and a minor without auto-pause or 256 ACU', () => {
    expect(AURORA.retired.length).toBeGreaterThan(0);
    expect(AURORA.offered.some((v) => v.minAcu > 0 && v.maxAcu < 256)).toBe(true);
    expect(CASES.filter((c) => !c.ok).length).toBeGreaterThan(CASES.length / 3);
  });

  it('the Database API accepts exactly the combinations the catalog allows', () => {
    const errors = validateXrs(
      'Database',
      CASES.map(({ v, r }) => ({ object: dbAt(v.version, r) })),
    );
    const wrong = CASES.filter((c, i) => verdicts(errors)[i] !== c.ok).map((c, i) => `${c.v.version} ${JSON.stringify(c.r)}: ${errors[i]}`);
    expect(wrong).toEqual([]);
  });

  it('the Cluster API accepts exactly the same combinations for its database', () => {
    const errors = validateXrs(
      'Cluster',
      CASES.map(({ v, r }) => ({ object: clusterAt(v.version, r) })),
    );
    expect(CASES.filter((c, i) => verdicts(errors)[i] !== c.ok).map((c) => `${c.v.version} ${JSON.stringify(c.r)}`)).toEqual([]);
  });

  it('says why: retired with its date and successors, no pause below the first minor that can, no 256 below the first that allows it', () => {
    const narrow = AURORA.offered.find((v) => v.minAcu > 0 && v.maxAcu < 256)!;
    const [retired, noPause, tooBig] = validateXrs('Database', [
      { object: dbAt(AURORA.retired[AURORA.retired.length - 1].version, { minAcu: 0.5, maxAcu: 4 }) },
      { object: dbAt(narrow.version, { minAcu: 0, maxAcu: 4 }) },
      { object: dbAt(narrow.version, { minAcu: 0.5, maxAcu: 192 }) },
    ]);
    expect(retired.join('\n')).toMatch(/left Aurora standard support (on \d{4}-\d{2}-\d{2}|in [A-Z][a-z]+ \d{4}): use \d/);
    expect(noPause.join('\n')).toContain(`Aurora PostgreSQL ${narrow.version} cannot pause when idle: minAcu 0 needs`);
    expect(tooBig.join('\n')).toContain(`Aurora PostgreSQL ${narrow.version} scales to 128 ACU at most`);
  });

  it(`takes secondsUntilAutoPause (${AUTO_PAUSE_SECONDS.min} to ${AUTO_PAUSE_SECONDS.max}) only with minAcu 0`, () => {
    const v = AURORA.offered.find((o) => o.minAcu === 0)!.version;
    const errors = validateXrs('Database', [
      { object: dbAt(v, { minAcu: 0, maxAcu: 4, secondsUntilAutoPause: 900 }) },
      { object: dbAt(v, { minAcu: 0.5, maxAcu: 4, secondsUntilAutoPause: 900 }) },
      { object: dbAt(v, { minAcu: 0, maxAcu: 4, secondsUntilAutoPause: AUTO_PAUSE_SECONDS.min - 1 }) },
    ]);
    expect(verdicts(errors)).toEqual([true, false, false]);
    expect(errors[1].join('\n')).toContain('capacity.secondsUntilAutoPause needs minAcu 0');
  });
});

/** Offered minors by major, oldest first. */
const majors = [...new Set(AURORA.offered.map((v) => v.major))].map((m) => AURORA.offered.filter((v) => v.major === m));

describe('Aurora upgrades, as updates', () => {
  const range = (v: AuroraVersion) => ({ minAcu: Math.max(v.minAcu, 0.5), maxAcu: 4 });

  it.each(majors.filter((m) => m.length > 1).map((m) => [m[0].version, m[m.length - 1].version]))(
    'moves %s -> %s in place, and refuses going back',
    (from, to) => {
      const [up, down] = validateXrs('Database', [
        { object: dbAt(to, range(AURORA.version(to)!)), old: dbAt(from, range(AURORA.version(from)!)) },
        { object: dbAt(from, range(AURORA.version(from)!)), old: dbAt(to, range(AURORA.version(to)!)) },
      ]);
      expect(up).toEqual([]);
      expect(down.join('\n')).toContain(`engineVersion cannot go down from ${to} to ${from}: Aurora does not downgrade`);
    },
  );

  it.each(majors.slice(1).map((m, i) => [majors[i][majors[i].length - 1].version, m[0].version]))(
    'refuses the major upgrade %s -> %s, saying how',
    (from, to) => {
      expect(AURORA.inPlaceMajorUpgrades).toEqual([]);
      const [errors] = validateXrs('Database', [{ object: dbAt(to, range(AURORA.version(to)!)), old: dbAt(from, range(AURORA.version(from)!)) }]);
      expect(errors.join('\n')).toContain(`engineVersion cannot move from ${from} to ${to} in place`);
      expect(errors.join('\n')).toContain('create a new Database');
    },
  );
});

const setup = renderSetup({ functions: databaseComposition(databaseApi()).functions() });

describe.skipIf(!setup.ready)('auto-pause as the real renderer sends it to AWS', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  const scaling = (capacity: Record<string, number>) =>
    setup
      .render(
        { ...database, spec: { ...database.spec, capacity } },
        { ready: true, atProvider: { 'kms-key': { arn: 'arn:aws:kms:eu-west-1:111122223333:key/k' } } },
      )
      .byName('cluster').spec.forProvider.serverlessv2ScalingConfiguration;

  it('upgrades the engine on the Aurora cluster alone: its instances name no engine version to disagree with what AWS reports', () => {
    const [from, to] = majors.find((m) => m.length > 1)!;
    const out = setup.render(
      { ...database, spec: { ...database.spec, engineVersion: to.version, readers: 1 } },
      { ready: true, atProvider: { 'kms-key': { arn: 'arn:aws:kms:eu-west-1:111122223333:key/k' } } },
    );
    expect(out.byName('cluster').spec.forProvider.engineVersion).toBe(to.version);
    // The instances were created at `from` and run whatever the cluster runs: no field to move.
    for (const name of ['instance-writer', 'instance-reader-1'])
      expect(out.byName(name).spec.forProvider, `${name} (from ${from.version})`).not.toHaveProperty('engineVersion');
  });

  it(`sets secondsUntilAutoPause (${AUTO_PAUSE_SECONDS.default} unless the XR says) when minAcu is 0, and never otherwise`, () => {
    expect(scaling({ minAcu: 0, maxAcu: 4 })).toEqual({ minCapacity: 0, maxCapacity: 4, secondsUntilAutoPause: AUTO_PAUSE_SECONDS.default });
    expect(scaling({ minAcu: 0, maxAcu: 8, secondsUntilAutoPause: 3600 })).toEqual({ minCapacity: 0, maxCapacity: 8, secondsUntilAutoPause: 3600 });
    expect(scaling({ minAcu: 0.5, maxAcu: 2 })).toEqual({ minCapacity: 0.5, maxCapacity: 2 });
  });
});
