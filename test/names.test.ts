// AWS names: two Clusters never share one in an account, and the longest fits every AWS limit.
//   - With the real renderer: two teams' Clusters of the same name, in one environment, in the
//     same and in different regions, rendered end to end (Cluster, then each child through its own
//     composition): every AWS name and both Argo CD Secrets differ. The longest Cluster is
//     measured against every limit of catalog/aws-names.ts. The renderer computes the model's name
//     (CLUSTER_NAMES.of) for generated claims, and a Cluster whose EKSCluster has a name keeps it.
//   - With the model the renderer was just shown to compute: thousands of generated claims
//     (namespaces, names, readable parts, environments sharing an account, regions), no two of
//     which share a name in one scope. Seeded; DRYDOCK_PROPERTY_CASES sets how many.
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_NAMES, type AwsName, UNNAMED_KINDS } from '../catalog';
import { CLUSTER_NAMES, HASH_LENGTH, MAX_READABLE_NAME } from '../compositions/cluster';
import { ENVIRONMENTS } from '../environments';
import type { ObservedFixture, RenderedXr } from '../lib/render';
import { observedFor, platform, renderSetup, uniqueNameOf } from './support';

const CASES = Number(process.env.DRYDOCK_PROPERTY_CASES ?? 2000);
const SEED = 20261130;

interface Claim {
  readonly namespace: string;
  readonly name: string;
  readonly environment: string;
  readonly region: string;
  readonly clusterName?: string;
}

/** Where every AWS name of the Cluster of `c` starts. */
const uniqueName = (c: Claim) => uniqueNameOf(clusterXr(c));

/** A Cluster XR with everything that composes a named resource: all add-ons with identities, a database with two readers. */
const clusterXr = (c: Claim, computeMode: 'Managed' | 'Auto' = 'Managed') => ({
  apiVersion: `${platform().compositions[0].api.group}/v1alpha1`,
  kind: 'Cluster',
  metadata: { name: c.name, namespace: c.namespace },
  spec: {
    environment: c.environment,
    region: c.region,
    ...(c.clusterName ? { clusterName: c.clusterName } : {}),
    kubernetes: { computeMode },
    database: { enabled: true, readers: 2 },
    dns: { hostedZoneIds: ['Z0123456789ABCDEFGHIJ'], domains: ['orders.example.com'] },
    addons: { externalDns: true, certManager: true, awsLoadBalancerController: true, externalSecrets: true },
  },
});

/** Every name of `rule` among `resources`. */
function namesOf(rule: AwsName, resources: readonly any[]): string[] {
  const at = (o: any): unknown => {
    if (rule.field.startsWith('metadata.annotations[')) return o.metadata?.annotations?.[rule.field.slice(21, -1)];
    return rule.field.split('.').reduce((v: any, k) => v?.[k], o);
  };
  return resources
    .filter((o) => o.apiVersion.split('/')[0] === rule.group && o.kind === rule.kind)
    .map(at)
    .filter((n): n is string => typeof n === 'string');
}

const setup = renderSetup();

describe.skipIf(!setup.ready)('AWS names of Clusters rendered by crank with the real functions', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  /**
   * A Cluster end to end, as its parts come up: first with the network reported (the EKSCluster
   * appears, named by the pipeline), then with the EKS cluster reporting that very name (the
   * database and the Argo CD Secret appear), then each child through its own composition, with
   * what AWS reports for it.
   */
  function renderTree(xr: any): { cluster: RenderedXr; resources: any[] } {
    const base = observedFor('Cluster', 'default.yaml') as ObservedFixture & { status: Record<string, any> };
    const network = { ready: true, status: { network: base.status.network } };
    const eksName = setup.render(xr, network).byName('eks').spec.clusterName;
    const cluster = setup.render(xr, { ready: true, status: { ...base.status, eks: { ...base.status.eks, clusterName: eksName } } });
    const children = cluster.composed.filter((o) => ['Network', 'EKSCluster', 'Database'].includes(o.kind));
    expect(children.map((c) => c.kind).sort()).toEqual(['Database', 'EKSCluster', 'Network']);
    const resources = [
      ...cluster.composed,
      ...children.flatMap((c) => {
        // Each child as Crossplane creates it: a generated name and a UID (the final snapshot name carries it).
        const child = {
          ...c,
          metadata: { ...c.metadata, name: `${xr.metadata.name}-${c.kind.toLowerCase()}`, uid: '7f3c2a1e-9b4d-4c6e-8a2f-1d5e6b7c8d9e' },
        };
        return setup.render(child, observedFor(c.kind, 'default.yaml')).composed;
      }),
    ];
    return { cluster, resources };
  }

  /** Every chosen AWS name of a rendered tree, with its rule. */
  const awsNames = (resources: readonly any[]) => AWS_NAMES.flatMap((rule) => namesOf(rule, resources).map((name) => ({ rule, name })));

  it('two teams, one Cluster name, one environment, in the same and in different regions: no AWS name and no Argo CD Secret is shared', () => {
    // GIVEN three Clusters named "orders" in dev (one account): two teams in eu-west-1, one in us-east-1
    const claims: Claim[] = [
      { namespace: 'team-orders', name: 'orders', environment: 'dev', region: 'eu-west-1' },
      { namespace: 'payments', name: 'orders', environment: 'dev', region: 'eu-west-1' },
      { namespace: 'storefront', name: 'orders', environment: 'dev', region: 'us-east-1' },
    ];
    // WHEN each is rendered end to end
    const trees = claims.map((c) => awsNames(renderTree(clusterXr(c)).resources));
    // THEN each composes every kind of name, and no name of one is a name of another, whatever its scope
    for (const t of trees) expect(new Set(t.map((n) => `${n.rule.group}/${n.rule.kind} ${n.rule.field}`)).size).toBe(AWS_NAMES.length);
    for (const [i, a] of trees.entries()) {
      for (const b of trees.slice(i + 1)) {
        const shared = a.map((n) => n.name).filter((n) => b.some((m) => m.name === n));
        expect(shared, `${claims[i].namespace} and another team share AWS names`).toEqual([]);
      }
    }
    const secrets = trees.map((t) => t.filter((n) => n.rule.kind === 'Object').map((n) => n.name));
    expect(secrets.map((s) => s.length)).toEqual([1, 1, 1]);
    expect(new Set(secrets.flat()).size).toBe(3);
    // AND every AWS name starts with the Cluster's unique name
    trees.forEach((t, i) => {
      for (const n of t) expect(n.name.replace(/^alias\/(eks|rds)\//, '').startsWith(uniqueName(claims[i])), n.name).toBe(true);
    });
  });

  it('the longest Cluster name fits every AWS limit, Managed and Auto (measured)', () => {
    const longest: Claim = { namespace: 'team-orders', name: 'o'.repeat(MAX_READABLE_NAME), environment: 'staging', region: 'ap-southeast-2' };
    const measured = new Map<AwsName, number>();
    for (const mode of ['Managed', 'Auto'] as const) {
      for (const { rule, name } of awsNames(renderTree(clusterXr(longest, mode)).resources)) {
        expect(name.length, `${rule.kind} ${name}`).toBeLessThanOrEqual(rule.max);
        measured.set(rule, Math.max(measured.get(rule) ?? 0, name.length));
      }
    }
    // Every rule of the catalog was met: the table holds no kind the compositions no longer name.
    expect([...measured.keys()].length).toBe(AWS_NAMES.length);
    console.info(
      `longest composed AWS names (readable part ${MAX_READABLE_NAME}, hash ${HASH_LENGTH}):\n${AWS_NAMES.map(
        (r) => `  ${r.kind.padEnd(15)} ${r.field.padEnd(48)} ${String(measured.get(r)).padStart(3)} of ${r.max}`,
      ).join('\n')}`,
    );
  });

  it('names every composed kind in the catalog, or says why AWS names it itself', () => {
    const { resources } = renderTree(clusterXr({ namespace: 'team-orders', name: 'orders', environment: 'dev', region: 'eu-west-1' }));
    const named = new Set(AWS_NAMES.map((r) => `${r.group}/${r.kind}`));
    const kinds = new Set(
      resources
        .filter((o) => !o.apiVersion.startsWith(`${platform().compositions[0].api.group}/`))
        .map((o) => `${o.apiVersion.split('/')[0]}/${o.kind}`),
    );
    expect([...kinds].filter((k) => !named.has(k) && !UNNAMED_KINDS[k])).toEqual([]);
  });

  it('computes in the pipeline exactly the name the model computes, for generated claims', () => {
    const samples = fc.sample(claim(fc.constant('dev')), { numRuns: 6, seed: SEED });
    for (const c of samples) {
      const out = setup.render(clusterXr(c), { ready: true, status: { network: (observedFor('Cluster', 'default.yaml') as any).status.network } });
      expect(out.byName('eks').spec.clusterName, JSON.stringify(c)).toBe(uniqueName(c));
      expect(out.byName('network').spec.clusterName).toBe(uniqueName(c));
    }
  });

  it("keeps the name a Cluster's EKSCluster already has (made under an earlier scheme): nothing is renamed, so nothing is replaced", () => {
    const c: Claim = { namespace: 'team-orders', name: 'orders', environment: 'dev', region: 'eu-west-1', clusterName: 'orders-legacy' };
    const base = observedFor('Cluster', 'default.yaml') as ObservedFixture & { status: Record<string, any> };
    const out = setup.render(clusterXr(c), { ready: true, status: { ...base.status, eks: { ...base.status.eks, clusterName: 'orders-legacy' } } });
    for (const child of ['network', 'eks']) expect(out.byName(child).spec.clusterName).toBe('orders-legacy');
    expect(out.byName('database').spec.identifier).toBe('orders-legacy');
    expect(out.byName('registration').spec.forProvider.manifest.metadata.name).toBe('orders-legacy');
  });
});

if (!setup.ready) {
  describe('AWS names with the real renderer', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}

// Generated claims. Names come mostly from a small pool, so that many claims share one: the only
// way two Clusters could share an AWS name.
const label = fc.stringMatching(/^[a-z]([a-z0-9]|-[a-z0-9]){0,20}$/);
const readable = fc.oneof(
  fc.constantFrom('orders', 'payments', 'a', 'o'.repeat(MAX_READABLE_NAME)),
  fc.stringMatching(new RegExp(`^[a-z]([a-z0-9]|-[a-z0-9]){0,${Math.floor((MAX_READABLE_NAME - 1) / 2)}}$`)),
);
function claim(environment: fc.Arbitrary<string>): fc.Arbitrary<Claim> {
  return fc.record(
    {
      namespace: fc.oneof(fc.constantFrom('team-orders', 'payments', 'storefront', 'platform'), label),
      name: readable,
      environment,
      region: fc.constantFrom('eu-west-1', 'eu-central-1', 'us-east-1', 'ap-southeast-2'),
      clusterName: readable,
    },
    { requiredKeys: ['namespace', 'name', 'environment', 'region'] },
  );
}

/**
 * Every AWS name a Cluster's tree composes, as a template of its unique name (`%s-karpenter`,
 * `alias/eks/%s`), read from the patches of the compositions the renderer runs: the patches that
 * write each catalogued name field. A second `%s` is the child's UID (final snapshots).
 */
function nameTemplates(): { rule: AwsName; template: string }[] {
  const out = new Map<string, { rule: AwsName; template: string }>();
  for (const c of platform().compositions) {
    for (const r of c.resources) {
      for (const rule of AWS_NAMES.filter((n) => `${n.group}/${n.kind}` === `${r.base.apiVersion.split('/')[0]}/${r.base.kind}`)) {
        for (const p of r.patches ?? []) {
          if (p.toFieldPath !== rule.field) continue;
          const template = p.combine?.string?.fmt ?? '%s';
          out.set(`${rule.group}/${rule.kind} ${rule.field} ${template}`, { rule, template });
        }
      }
    }
  }
  return [...out.values()];
}

describe('the name scheme over generated claims', () => {
  it('reads a template for every catalogued name from the compositions', () => {
    const templates = nameTemplates();
    expect(AWS_NAMES.filter((r) => !templates.some((t) => t.rule === r)).map((r) => `${r.kind} ${r.field}`)).toEqual([]);
    expect(templates.map((t) => t.template)).toEqual(expect.arrayContaining(['%s', '%s-karpenter', 'alias/eks/%s', 'alias/rds/%s', '%s-reader-2']));
  });

  it('splits back into its readable part and a fixed-length hash, so different readable parts never collide', () => {
    fc.assert(
      fc.property(claim(fc.constant('dev')), (c) => {
        const n = uniqueName(c);
        expect(n.slice(0, -(HASH_LENGTH + 1))).toBe(c.clusterName ?? c.name);
        expect(n.slice(-(HASH_LENGTH + 1))).toMatch(new RegExp(`^-[0-9a-f]{${HASH_LENGTH}}$`));
        expect(n.length).toBeLessThanOrEqual(CLUSTER_NAMES.maxLength(MAX_READABLE_NAME));
      }),
      { numRuns: CASES, seed: SEED },
    );
  });

  it('gives no two Clusters a name in one account, across namespaces, names, readable parts, environments sharing an account and regions', () => {
    const templates = nameTemplates();
    // Environments as the repository has them, plus generated ones sharing their accounts.
    const accounts = [...new Set(ENVIRONMENTS.map((e) => e.aws.accountId))];
    const environments = fc
      .uniqueArray(fc.tuple(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/), fc.constantFrom(...accounts)), {
        minLength: 1,
        maxLength: 5,
        selector: ([n]) => n,
      })
      .map((extra) => new Map<string, string>([...ENVIRONMENTS.map((e) => [e.name, e.aws.accountId] as [string, string]), ...extra]));
    const world = environments.chain((envs) =>
      fc.record({
        envs: fc.constant(envs),
        // One claim per namespace/name, as Kubernetes keeps them.
        claims: fc.uniqueArray(claim(fc.constantFrom(...envs.keys())), { minLength: 2, maxLength: 40, selector: (c) => `${c.namespace}/${c.name}` }),
      }),
    );
    fc.assert(
      fc.property(world, ({ envs, claims }) => {
        // Every AWS name of every Cluster, scoped by account alone (IAM roles are account-wide;
        // telling regions apart would only make names rarer to share): none twice.
        const seen = new Map<string, Claim>();
        claims.forEach((c, i) => {
          const own = new Set(
            templates.map(
              ({ rule, template }) =>
                `${envs.get(c.environment)} ${rule.group}/${rule.kind} ${template.replace('%s', uniqueName(c)).replace('%s', `uid-${i}`)}`,
            ),
          );
          for (const key of own) {
            const other = seen.get(key);
            expect(other, `${JSON.stringify(c)} and ${JSON.stringify(other)} share ${key}`).toBeUndefined();
            seen.set(key, c);
          }
        });
      }),
      { numRuns: CASES, seed: SEED },
    );
  });
});
