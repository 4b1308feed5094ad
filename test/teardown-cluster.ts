// A Cluster's teardown walked with the real renderer, for the teardown test files: the Cluster as
// it lives (every part observed), its deletion round by round under the engines' rules
// (teardown-rules.ts), and the order the protocol's steps finished in.
import * as path from 'node:path';
import { clusterApi, clusterComposition } from '../compositions/cluster';
import { EVERY_LINK, STEPS, type TeardownLinks } from '../compositions/cluster/teardown';
import { ENVIRONMENTS } from '../environments';
import { repoRoot } from '../lib/paths';
import { type ObservedFixture, readObservedFixture } from '../lib/render';
import { examples, platform, type renderSetup } from './support';
import { clusterRules } from './teardown-rules';
import { resourceNameOf, type WalkResult, walk } from './teardown-walk';

export const DIR = 'compositions/cluster/examples';
export const fixture = readObservedFixture(path.join(repoRoot, DIR, 'observed', 'default.yaml')) as ObservedFixture & {
  status: Record<string, any>;
};

export const example = (file: string): any => examples(DIR).find((e) => e.file === file)!.object;

/** The staging example with every add-on on, in `mode`: a protected database, DNS, every identity. */
export function everything(mode: 'Managed' | 'Auto', database: { deletionProtection?: boolean } = {}): any {
  const base = example('staging-with-database.yaml');
  return {
    ...base,
    spec: {
      ...base.spec,
      kubernetes: { computeMode: mode },
      database: { ...base.spec.database, ...database },
      addons: {
        karpenter: true,
        externalDns: true,
        certManager: true,
        awsLoadBalancerController: true,
        ingressNginx: true,
        externalSecrets: true,
        monitoring: true,
      },
    },
  };
}

/** Unprotect the database (with the reason prod asks for) from round `at` on. */
export const unprotectAt = (at: number) => (round: number, xr: any) =>
  round < at
    ? xr
    : { ...xr, spec: { ...xr.spec, database: { ...xr.spec.database, deletionProtection: false, unprotectedReason: 'the service is retired' } } };

/** The round each protocol step finished: a part's last resource gone, or its Job completed. */
function finished(result: WalkResult): Partial<Record<string, number>> {
  const last = (names: readonly string[], what: 'gone' | 'ready') =>
    Math.max(-1, ...result.events.filter((e) => names.includes(e.name) && e.what === what).map((e) => e.round));
  const out: Record<string, number> = {};
  for (const s of STEPS.filter((s) => s.id !== 'held')) {
    const round = s.id === 'drain' || s.id === 'dns' ? last(s.resources, 'ready') : last(s.resources, 'gone');
    if (round >= 0) out[s.id] = round;
  }
  return out;
}

/** The protocol as derived: steps in the order they finished. */
export const derivedOrder = (result: WalkResult) =>
  Object.entries(finished(result))
    .sort((a, b) => a[1]! - b[1]!)
    .map(([id]) => id);

/** Living Clusters and their teardown, rendered by `setup` (started by the test file). */
export function clusterTeardown(setup: ReturnType<typeof renderSetup>) {
  /** The Cluster as it lives: rendered round after round until every part it composes is observed. */
  const living = (xr: any, composition?: any): any[] => {
    let observed: any[] = [];
    for (let round = 0; round < 6; round++) {
      const out = setup.renderAgainst(xr, observed, composition);
      const next = out.composed.map((d) => observed.find((o) => resourceNameOf(o) === resourceNameOf(d)) ?? setup.renderer.observe(d, xr, fixture));
      if (next.length === observed.length) return next;
      observed = next;
    }
    return observed;
  };
  return {
    living,
    /** `kubectl delete` of the living `xr`, walked round by round; `change` edits the XR before a round. */
    teardown: (xr: any, options: { composition?: any; change?: (round: number, xr: any) => any } = {}): WalkResult => {
      const observed = living(xr, options.composition);
      // The Cluster as it lives reports what it observes (the parts' names among it).
      const { status } = setup.renderAgainst(xr, observed, options.composition).xr;
      return walk({
        xr: { ...xr, status },
        observed,
        render: (x, observed) => setup.renderAgainst(x, observed, options.composition),
        rules: clusterRules({ fixture, observe: (d, x, f) => setup.renderer.observe(d, x, f) }),
        change: options.change,
      });
    },
    /** The dist/ Composition of the Cluster, built with some links of the protocol removed. */
    compositionWithout: (links: Partial<TeardownLinks>): any => {
      const p = platform();
      const find = (kind: string) => p.compositions.find((c) => c.api.kind === kind)!.api;
      const c = clusterComposition({
        api: clusterApi(),
        children: { network: find('Network'), eks: find('EKSCluster'), database: find('Database') },
        environments: ENVIRONMENTS,
        teardownLinks: { ...EVERY_LINK, ...links },
      });
      return { ...setup.composition('Cluster'), spec: c.spec() };
    },
  };
}
