// A Cluster is accepted whole or refused whole. Generated Clusters (environment, database
// capacity and applications, system nodes, Kubernetes version, log types, region and zones) are judged by the Cluster XRD;
// each one it admits is rendered by the real renderer with its parts reported, and every child
// XR it composes (Network, EKSCluster, Database) must be admitted by its own XRD. A child refused
// after its parent was admitted means AWS resources for a claim that can never be ready.
// Seeded; DRYDOCK_WHOLE_CASES sets how many (each admitted one is rendered, a few seconds each).
import * as path from 'node:path';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EKS_VERSIONS } from '../catalog';
import { DEFAULT_MASTER_USERNAME } from '../compositions/database/definition';
import { LOG_TYPES } from '../compositions/eks';
import { ENVIRONMENT_NAMES } from '../environments';
import { kubevalidate } from '../lib/kubevalidate';
import { repoRoot } from '../lib/paths';
import { type ObservedFixture, readObservedFixture } from '../lib/render';
import { crdForXrd } from '../lib/xrd';
import { renderSetup, xrCrd } from './support';

const CASES = Number(process.env.DRYDOCK_WHOLE_CASES ?? 16);
const SEED = 20261130;
const setup = renderSetup();

const acu = fc.option(fc.constantFrom(0.5, 1, 2, 4, 8, 64, 128), { nil: undefined });
// Capacities mostly in order (an admitted Cluster is rendered; out of order ones are refused whole).
const capacity = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(acu, acu).map(([a, b]) => (a !== undefined && b !== undefined && a > b ? [b, a] : [a, b])) },
  { weight: 1, arbitrary: fc.tuple(acu, acu) },
);
// Applications connecting with IAM authentication, each as its own user, now and then as the
// Database's master user (refused whole).
const applications = fc.option(
  fc.uniqueArray(
    fc.record({
      namespace: fc.constantFrom('orders', 'billing'),
      serviceAccount: fc.constantFrom('api', 'worker'),
      user: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom('orders_app', 'reporting') },
        { weight: 1, arbitrary: fc.constant(DEFAULT_MASTER_USERNAME) },
      ),
    }),
    { minLength: 1, maxLength: 2, selector: (a) => a.user },
  ),
  { nil: undefined },
);
const spec = fc.record({
  environment: fc.constantFrom(...ENVIRONMENT_NAMES),
  // Zones by letter, or by ID where EKS refuses one a letter may map to (letters there: refused whole).
  placement: fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom(
        { region: 'eu-west-1', zones: ['a', 'b'] },
        { region: 'eu-west-1', zones: ['a', 'b', 'c'] },
        { region: 'us-east-1', zones: ['use1-az1', 'use1-az2', 'use1-az4'] },
      ),
    },
    { weight: 1, arbitrary: fc.constant({ region: 'us-east-1', zones: ['a', 'b'] }) },
  ),
  database: fc.tuple(fc.boolean(), capacity, applications).map(([enabled, [minAcu, maxAcu], access]) => ({ enabled, minAcu, maxAcu, access })),
  // System nodes of one architecture mostly, and now and then types of both (refused whole).
  nodes: fc.option(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.constantFrom(
          { instanceTypes: ['t4g.large', 'm7g.large'], architecture: 'arm64' },
          { instanceTypes: ['m7i.large'], architecture: 'x86_64' },
        ),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          { instanceTypes: ['m7g.large', 'm7i.large'], architecture: 'arm64' },
          { instanceTypes: ['c7g.large'], architecture: 'x86_64' },
        ),
      },
    ),
    { nil: undefined },
  ),
  // Mostly the environment's own version (none named), else any EKS offers (some refused whole).
  version: fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...EKS_VERSIONS) }),
  logTypes: fc.option(fc.subarray([...LOG_TYPES]), { nil: undefined }),
});
type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

/**
 * Run first, whatever the seed draws: a Cluster at each rule a child XRD has on what the Cluster
 * passes it (16 random cases admit about five, too few to meet each such rule by chance).
 */
const EDGES: Spec[] = [
  {
    environment: 'dev',
    placement: { region: 'eu-west-1', zones: ['a', 'b'] },
    database: {
      enabled: true,
      minAcu: undefined,
      maxAcu: undefined,
      access: [{ namespace: 'orders', serviceAccount: 'api', user: DEFAULT_MASTER_USERNAME }],
    },
    nodes: undefined,
    version: undefined,
    logTypes: undefined,
  },
];

const cluster = (s: Spec, i: number) => ({
  apiVersion: 'platform.drydock.dev/v1alpha1',
  kind: 'Cluster',
  metadata: { name: `whole-${i}`, namespace: 'properties' },
  spec: {
    environment: s.environment,
    region: s.placement.region,
    network: { availabilityZones: s.placement.zones },
    kubernetes: {
      ...(s.nodes ? { nodes: s.nodes } : {}),
      ...(s.version ? { version: s.version } : {}),
      ...(s.logTypes ? { logTypes: s.logTypes } : {}),
    },
    database: Object.fromEntries(Object.entries(s.database).filter(([, v]) => v !== undefined)),
  },
});

/** Every part reported, with a subnet and zone letter per zone the Cluster asks for. */
function reported(zones: number): ObservedFixture {
  const fixture = readObservedFixture(path.join(repoRoot, 'compositions/cluster/examples/observed/default.yaml')) as ObservedFixture & {
    status: Record<string, any>;
  };
  const n = fixture.status.network;
  const subnetIds = Object.fromEntries(Object.entries(n.subnetIds).map(([t, ids]) => [t, (ids as string[]).slice(0, zones)]));
  return {
    ...fixture,
    status: { ...fixture.status, network: { ...n, subnetIds, availabilityZoneLetters: n.availabilityZoneLetters.slice(0, zones) } },
  };
}

describe.skipIf(!setup.ready)('a Cluster the API server admits is composed whole', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  it(`composes only children their XRDs admit, for ${CASES} generated Clusters`, () => {
    const parent = xrCrd('Cluster');
    const children = ['Network', 'EKSCluster', 'Database'].map((k) => crdForXrd(setup.xrd(k)));
    let admitted = 0;
    let refused = 0;
    fc.assert(
      fc.property(spec, (s) => {
        const xr = cluster(s, admitted + refused);
        const verdict = kubevalidate([parent], [{ id: 'xr', object: xr }]).objects[0].errors;
        if (verdict.length) {
          refused++;
          return;
        }
        admitted++;
        const out = setup.render(xr, reported(s.placement.zones.length));
        const composed = out.composed.filter((o) => ['Network', 'EKSCluster', 'Database'].includes(o.kind));
        expect(composed.length).toBe(s.database.enabled ? 3 : 2);
        const report = kubevalidate(
          children,
          composed.map((o, i) => ({ id: String(i), object: o })),
        );
        const problems = report.objects.flatMap((r) => r.errors.map((e) => `${composed[Number(r.id)].kind}: ${e.message}`));
        if (problems.length) throw new Error(`admitted ${JSON.stringify(xr.spec)}, but a part is refused: ${problems.join('; ')}`);
      }),
      { seed: SEED, numRuns: CASES, examples: EDGES.map((e) => [e] as [Spec]) },
    );
    // Both verdicts occur, or the property proves little.
    expect(admitted).toBeGreaterThan(CASES * 0.2);
    expect(refused).toBeGreaterThan(CASES * 0.1);
    console.log(`whole clusters: ${CASES} generated, ${admitted} admitted and composed with every part admitted, ${refused} refused whole`);
  }, 900_000);
});

if (!setup.ready) {
  describe('whole-cluster property', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}
