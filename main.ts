// The platform: every chart that becomes a file of dist/. `npm run synth` (scripts/synth.ts)
// builds it, validates it and writes dist/.
import { App } from 'cdk8s';
import { addonsChart } from './charts/addons';
import { admissionChart } from './charts/admission';
import { apiCharts, environmentConfigChart } from './charts/apis';
import { argoCdCharts, argoCdSettingsCharts } from './charts/argocd';
import { argocdIdentityChart } from './charts/argocd-identity';
import { composedKinds, crossplaneCharts } from './charts/crossplane';
import type { DistChart } from './charts/dist-chart';
import { rbacChart } from './charts/rbac';
import { releaseCharts, releaseNeeds } from './charts/releases';
import type { PlatformComposition } from './compositions/authoring';
import { clusterApi, clusterComposition } from './compositions/cluster';
import { databaseApi, databaseComposition } from './compositions/database';
import { eksApi, eksComposition } from './compositions/eks';
import { networkApi, networkComposition } from './compositions/network';
import { assertEnvironments, ENVIRONMENTS, type Environment } from './environments';
import type { Team } from './environments/platform';
import { type FrozenRelease, pinnedCompositions, RELEASES_DIR, readReleases } from './lib/releases';

export interface Platform {
  readonly app: App;
  readonly charts: readonly DistChart[];
  /** Every platform API's composition (each knows its API). */
  readonly compositions: readonly PlatformComposition[];
  /** The releases some environment runs (lib/releases.ts), shipped beside the working tree's Compositions. */
  readonly releases: readonly FrozenRelease[];
  /** The folder of each API under compositions/ (and dist/apis/), by XR kind. */
  readonly folders: ReadonlyMap<string, string>;
}

export interface BuildPlatformProps {
  /** The CRD plural of a composed kind (read from its CRD), for the activation policy. */
  readonly plural: (apiVersion: string, kind: string) => string;
  /**
   * Environments with XRs in claims/: each gets a clusters-<environment> Application.
   * @default - every environment
   */
  readonly environmentsWithClusters?: readonly string[];
  /**
   * The environments the platform serves (the reference architectures' tests bring their own).
   * @default - the files of environments/, which must all be valid
   */
  readonly environments?: readonly Environment[];
  /**
   * The teams whose namespaces may use the platform (the reference architectures' tests bring their own).
   * @default PLATFORM.teams
   */
  readonly teams?: readonly Team[];
  /**
   * Where the releases of the child APIs' Compositions are frozen (lib/releases.ts).
   * @default - releases/ of the repository
   */
  readonly releasesDir?: string;
  /**
   * What the environments run: their pins (`pinned`), or every one the working tree's Compositions
   * with no release shipped (`working-tree`), which is how `npm run release` reads what to cut even
   * when a release in use no longer fits the working tree's XRDs.
   * @default 'pinned'
   */
  readonly runs?: 'pinned' | 'working-tree';
}

/** Every chart of dist/, and the compositions with their APIs (in the API group of PLATFORM.apiGroup). */
export function buildPlatform(props: BuildPlatformProps): Platform {
  // A wrong environment file stops the build here, with every problem named (not half a platform).
  if (!props.environments) assertEnvironments();
  const environments = props.environments ?? ENVIRONMENTS;
  const { plural, environmentsWithClusters = environments.map((e) => e.name), releasesDir = RELEASES_DIR } = props;
  const app = new App({ outdir: 'cdk8s.out' });
  const children = { network: networkApi(), eks: eksApi(), database: databaseApi() };
  const apis = {
    network: networkComposition(children.network),
    eks: eksComposition(children.eks),
    database: databaseComposition(children.database),
    cluster: clusterComposition({ api: clusterApi(environments), children, environments }),
  };
  const compositions = Object.values(apis);
  // Each environment's child Compositions: the working tree's, or a release frozen in releases/.
  const releases = props.runs === 'working-tree' ? [] : readReleases(releasesDir);
  const edge = { network: apis.network.name, eks: apis.eks.name, database: apis.database.name };
  const pins = new Map(environments.map((env) => [env.name, props.runs === 'working-tree' ? edge : pinnedCompositions(env, edge, releases)]));
  const running = new Set([...pins.values()].flatMap((p) => Object.values(p)));
  const folderOf = (name: string) => Object.entries(apis).find(([, c]) => c.name === name)![0];
  const inUse = releases.filter((r) => running.has(r.object.metadata.name));
  // What dist/ ships runs on the kinds and functions of the releases in use too, not only on the working tree's.
  const shipped = [...compositions, ...inUse.map(releaseNeeds)];
  const charts = [
    ...crossplaneCharts(app, { compositions: shipped, kinds: composedKinds(shipped, plural), environments }),
    ...Object.entries(apis).flatMap(([folder, c]) => apiCharts(app, folder, c)),
    ...releaseCharts(app, inUse, folderOf),
    environmentConfigChart(app, environments, (env) => pins.get(env.name)!),
    rbacChart(app, { teamApis: [apis.cluster.api.plural], platformApis: compositions.map((c) => c.api.plural) }),
    admissionChart(app, {
      developerApi: apis.cluster.api,
      platformApis: [apis.network.api, apis.eks.api, apis.database.api],
      environments,
      teams: props.teams,
    }),
    argocdIdentityChart(app, environments),
    ...argoCdCharts(app, { environments, environmentsWithClusters }),
    addonsChart(app, environments),
  ];
  // Last: Argo CD's settings follow from the kinds every other chart ships.
  charts.push(...argoCdSettingsCharts(app, { synced: charts, xrKinds: compositions.map((c) => c.api) }));
  return { app, charts, compositions, releases: inUse, folders: new Map(Object.entries(apis).map(([folder, c]) => [c.api.kind, folder])) };
}
