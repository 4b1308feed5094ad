// Differential tests of the schema rules: thousands of generated Network layouts and Cluster
// specs, valid and not, judged by the API server's validation of the XRDs' CEL rules
// (tools/kubevalidate) and by independent oracles (the netmask library for CIDRs, plain
// arithmetic for capacity and names). Any disagreement fails with fast-check's shrunk
// counterexample. Seeded, so runs repeat; DRYDOCK_PROPERTY_CASES sets how many per property (CI
// runs the default).
import * as fc from 'fast-check';
import { Netmask } from 'netmask';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS } from '../environments';
import { kubevalidate } from '../lib/kubevalidate';
import { xrCrd } from './support';

const CASES = Number(process.env.DRYDOCK_PROPERTY_CASES ?? 2000);
const BATCH = 100;
const SEED = 20261123;
const DEV = ENVIRONMENTS.find((e) => e.name === 'dev')!;

type Tier = 'public' | 'private' | 'data';
interface Layout {
  cidr: string;
  zones: readonly string[];
  nat: 'PerZone' | 'Single' | 'None';
  subnets?: Partial<Record<Tier, string[]>>;
}

// Two generators: one that carves a VPC into distinct slots and then breaks the layout in one
// targeted way (overlap, host bits, outside the VPC, wrong count, missing tier...), so explicit
// layouts are often valid; and one of loose random blocks, for everything else.
const dotted = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
const MUTATIONS = [
  'none',
  'none',
  'none',
  'overlap',
  'host-bits',
  'outside',
  'wrong-count',
  'too-small',
  'no-public',
  'data-without-private',
  'vpc-host-bits',
] as const;

const carved: fc.Arbitrary<Layout> = fc
  .record({
    second: fc.integer({ min: 0, max: 255 }),
    prefix: fc.integer({ min: 16, max: 22 }),
    zones: fc.constantFrom(['a', 'b'], ['a', 'b', 'c']),
    nat: fc.constantFrom('PerZone' as const, 'Single' as const, 'None' as const),
    tiers: fc.constantFrom<Tier[][]>(['public', 'private', 'data'], ['public', 'private'], ['public']),
    slots: fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], { minLength: 9, maxLength: 9 }),
    mutation: fc.constantFrom(...MUTATIONS),
  })
  .map(({ second, prefix, zones, nat, tiers, slots, mutation }) => {
    const base = (10 << 24) + (second << 16);
    const size = prefix + 4; // sixteen slots
    const slot = (i: number, bits = size) => `${dotted(base + i * 2 ** (32 - size))}/${bits}`;
    let k = 0;
    const subnets: Partial<Record<Tier, string[]>> = {};
    for (const t of tiers) subnets[t] = zones.map(() => slot(slots[k++]));
    const pub = subnets.public!;
    if (mutation === 'overlap') pub[1] = pub[0];
    if (mutation === 'host-bits') pub[0] = pub[0].replace(/\.(\d+)\//, (_m, d) => `.${Number(d) + 1}/`);
    if (mutation === 'outside') pub[0] = `${dotted(base + 2 ** (32 - prefix))}/${size}`;
    if (mutation === 'wrong-count') pub.push(slot(slots[8]));
    if (mutation === 'too-small') pub[0] = slot(slots[0], 29);
    if (mutation === 'no-public') delete subnets.public;
    if (mutation === 'data-without-private' && subnets.private) subnets.data = subnets.private.splice(0) && zones.map((_z, i) => slot(slots[6 + i]));
    if (mutation === 'data-without-private') delete subnets.private;
    const cidr = mutation === 'vpc-host-bits' ? `${dotted(base + 256)}/${prefix}` : `${dotted(base)}/${prefix}`;
    return { cidr, zones, nat: tiers.includes('private') ? nat : 'None', subnets };
  });

const octet = fc.integer({ min: 0, max: 255 });
const ip = fc.tuple(
  fc.constantFrom(10, 172, 192),
  octet,
  fc.integer({ min: 0, max: 3 }).map((x) => x * 64),
  fc.constantFrom(0, 0, 0, 1, 128),
);
const block = (min: number, max: number) => fc.tuple(ip, fc.integer({ min, max })).map(([[a, b, c, d], p]) => `${a}.${b}.${c}.${d}/${p}`);
const near = (vpc: string) =>
  fc.tuple(fc.integer({ min: 0, max: 63 }), fc.integer({ min: 15, max: 29 }), fc.constantFrom(0, 0, 0, 1)).map(([i, p, hostBit]) => {
    const [a, b] = vpc.split('.');
    return `${a}.${b}.${i * 4}.${hostBit}/${p}`;
  });

const loose: fc.Arbitrary<Layout> = block(14, 26).chain((cidr) =>
  fc.record({
    cidr: fc.constant(cidr),
    zones: fc.constantFrom(['a', 'b'], ['a', 'b', 'c']),
    nat: fc.constantFrom('PerZone' as const, 'Single' as const, 'None' as const),
    subnets: fc.option(
      fc.record(
        {
          public: fc.array(near(cidr), { minLength: 1, maxLength: 4 }),
          private: fc.array(near(cidr), { minLength: 1, maxLength: 4 }),
          data: fc.array(near(cidr), { minLength: 1, maxLength: 4 }),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined, freq: 2 },
    ),
  }),
);

const layout = fc.oneof(carved, loose);

/** The oracle: what the Network API must accept, computed with netmask, not with CEL. */
function oracle(l: Layout): boolean {
  const parse = (c: string) => {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(c);
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) return undefined;
    const n = new Netmask(c);
    return `${n.base}/${n.bitmask}` === c ? n : undefined; // host bits set: not a block
  };
  const vpc = parse(l.cidr);
  if (!vpc || vpc.bitmask < 16 || vpc.bitmask > 24) return false;
  // Without NAT only the public-only layout has a way out (its nodes are in the public subnets).
  if (l.nat === 'None' && (!l.subnets || l.subnets.private)) return false;
  if (!l.subnets) return vpc.bitmask <= 23;
  const s = l.subnets;
  if (!s.public) return false;
  if (s.data && !s.private) return false;
  if (!s.private && l.nat !== 'None') return false;
  const all: Netmask[] = [];
  for (const list of [s.public, s.private, s.data]) {
    if (!list) continue;
    if (list.length < 2 || list.length > 3 || list.length !== l.zones.length) return false;
    for (const c of list) {
      const n = parse(c);
      if (!n || n.bitmask < 16 || n.bitmask > 28 || !vpc.contains(`${n.base}/${n.bitmask}`)) return false;
      all.push(n);
    }
  }
  return all.every((a, i) => all.every((b, j) => i === j || (!a.contains(b.base) && !b.contains(a.base))));
}

function network(l: Layout, i: number) {
  return {
    apiVersion: 'platform.drydock.dev/v1alpha1',
    kind: 'Network',
    metadata: { name: `case-${i}`, namespace: 'properties' },
    spec: { region: 'eu-west-1', cidr: l.cidr, availabilityZones: l.zones, nat: l.nat, ...(l.subnets ? { subnets: l.subnets } : {}) },
  };
}

describe('Network address rules: API server (CEL) against an independent oracle', () => {
  it(`agree on ${CASES} generated layouts`, () => {
    const crd = xrCrd('Network');
    let valid = 0;
    let judged = 0;
    let explicitValid = 0;
    fc.assert(
      fc.property(fc.array(layout, { minLength: BATCH, maxLength: BATCH }), (batch) => {
        const report = kubevalidate(
          [crd],
          batch.map((l, i) => ({ id: String(i), object: network(l, i) })),
        );
        for (const r of report.objects) {
          const l = batch[Number(r.id)];
          const server = r.errors.length === 0;
          if (server !== oracle(l)) {
            throw new Error(
              `disagreement on ${JSON.stringify(l)}: API server ${server ? 'accepts' : `refuses (${r.errors.map((e) => e.message).join('; ')})`}, oracle ${server ? 'refuses' : 'accepts'}`,
            );
          }
          valid += server ? 1 : 0;
          explicitValid += server && l.subnets ? 1 : 0;
          judged++;
        }
      }),
      { seed: SEED, numRuns: Math.ceil(CASES / BATCH), endOnFailure: false },
    );
    // Both verdicts must be well represented, or the test proves little.
    expect(judged).toBeGreaterThanOrEqual(CASES);
    expect(valid).toBeGreaterThan(judged * 0.1);
    expect(judged - valid).toBeGreaterThan(judged * 0.1);
    expect(explicitValid, 'valid explicit layouts reach the overlap and containment rules').toBeGreaterThan(judged * 0.1);
    console.log(
      `network properties: ${judged} layouts, ${valid} valid (${explicitValid} with explicit subnets), ${judged - valid} refused, 0 disagreements`,
    );
  }, 300_000);
});

describe('Cluster capacity and name rules: API server (CEL) against an independent oracle', () => {
  const name = fc
    .tuple(fc.integer({ min: 1, max: 70 }), fc.constantFrom('a', 'a', 'a', 'Z', '1', '-'))
    .map(([n, first]) => (first + 'b'.repeat(n - 1)).slice(0, n));
  const acu = fc.oneof(
    fc.integer({ min: -1, max: 515 }).map((h) => h / 2),
    fc.integer({ min: -2, max: 1030 }).map((q) => q / 4),
  ); // half and quarter steps around 0..256
  const spec = fc.record({
    clusterName: fc.option(name, { nil: undefined }),
    minAcu: fc.option(acu, { nil: undefined }),
    maxAcu: fc.option(acu, { nil: undefined }),
  });

  /** What the Cluster API must accept, by plain arithmetic and string checks. */
  const accepts = (s: { clusterName?: string; minAcu?: number; maxAcu?: number }) => {
    // The readable part of AWS names: 45 characters of EKS cluster name, less "-" and 8 hex digits.
    const nameOk = s.clusterName === undefined || (s.clusterName.length <= 36 && /^[a-z]([a-z0-9]|-[a-z0-9])*$/.test(s.clusterName));
    const acuOk = (v?: number) => v === undefined || (v >= 0 && v <= 256 && Number.isInteger(v * 2));
    // What the Cluster leaves out comes from its environment (dev: 0.5 to 2 ACU): the composed
    // database gets that range, so the order is judged on it.
    const order = (s.minAcu ?? DEV.database.minAcu) <= (s.maxAcu ?? DEV.database.maxAcu);
    return nameOk && acuOk(s.minAcu) && acuOk(s.maxAcu) && order;
  };

  it(`agree on ${CASES} generated specs, at and past every limit`, () => {
    const crd = xrCrd('Cluster');
    let valid = 0;
    fc.assert(
      fc.property(fc.array(spec, { minLength: BATCH, maxLength: BATCH }), (batch) => {
        const objects = batch.map((s, i) => ({
          id: String(i),
          object: {
            apiVersion: 'platform.drydock.dev/v1alpha1',
            kind: 'Cluster',
            metadata: { name: `case-${i}`, namespace: 'properties' },
            spec: {
              environment: 'dev',
              region: 'eu-west-1',
              ...(s.clusterName !== undefined ? { clusterName: s.clusterName } : {}),
              database: {
                enabled: true,
                ...(s.minAcu !== undefined ? { minAcu: s.minAcu } : {}),
                ...(s.maxAcu !== undefined ? { maxAcu: s.maxAcu } : {}),
              },
            },
          },
        }));
        for (const r of kubevalidate([crd], objects).objects) {
          const s = batch[Number(r.id)];
          const server = r.errors.length === 0;
          if (server !== accepts(s))
            throw new Error(
              `disagreement on ${JSON.stringify(s)}: API server ${server ? 'accepts' : `refuses (${r.errors.map((e) => e.message).join('; ')})`}`,
            );
          valid += server ? 1 : 0;
        }
      }),
      { seed: SEED, numRuns: Math.ceil(CASES / BATCH) },
    );
    expect(valid).toBeGreaterThan(CASES * 0.05);
    expect(valid).toBeLessThan(CASES * 0.95);
    console.log(`cluster properties: ${CASES} specs, ${valid} valid, 0 disagreements`);
  }, 300_000);
});
