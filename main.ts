// The platform: every chart that becomes a file of dist/. `npm run synth` (scripts/synth.ts)
// builds it, validates it and writes dist/.
import { App } from 'cdk8s';
import { addonsChart } from './charts/addons';
import { apiCharts, environmentConfigChart } from './charts/apis';
import { argoCdCharts } from './charts/argocd';
import { composedKinds, crossplaneCharts } from './charts/crossplane';
import type { DistChart } from './charts/dist-chart';
import { rbacChart } from './charts/rbac';
import type { PlatformComposition } from './compositions/authoring';
import { clusterApi, clusterComposition } from './compositions/cluster';
import { databaseApi, databaseComposition } from './compositions/database';
import { eksApi, eksComposition } from './compositions/eks';
import { networkApi, networkComposition } from './compositions/network';
import { ENVIRONMENTS } from './environments';
import { PLATFORM } from './environments/platform';

export interface Platform {
  readonly app: App;
  readonly charts: readonly DistChart[];
  /** Every platform API's composition (each knows its API). */
  readonly compositions: readonly PlatformComposition[];
  /** The folder of each API under compositions/ (and dist/apis/), by XR kind. */
  readonly folders: ReadonlyMap<string, string>;
}

/** `plural` names the CRD plural of a composed kind, read from its CRD. */
export function buildPlatform(
  plural: (apiVersion: string, kind: string) => string,
  group: string = PLATFORM.apiGroup,
  /** Environments with XRs in claims/, which get a clusters-<environment> Application. */
  environmentsWithClusters: readonly string[] = ENVIRONMENTS.map((e) => e.name),
): Platform {
  const app = new App({ outdir: 'cdk8s.out' });
  const children = { network: networkApi(group), eks: eksApi(group), database: databaseApi(group) };
  const apis = {
    network: networkComposition(children.network),
    eks: eksComposition(children.eks),
    database: databaseComposition(children.database),
    cluster: clusterComposition(clusterApi(group), children, ENVIRONMENTS),
  };
  const compositions = Object.values(apis);
  const charts = [
    ...crossplaneCharts(app, { compositions, kinds: composedKinds(compositions, plural), environments: ENVIRONMENTS }),
    ...Object.entries(apis).flatMap(([folder, c]) => apiCharts(app, folder, c)),
    environmentConfigChart(app, ENVIRONMENTS),
    rbacChart(
      app,
      compositions.map((c) => c.api.plural),
    ),
    ...argoCdCharts(app, { environments: ENVIRONMENTS, environmentsWithClusters }),
    addonsChart(app, ENVIRONMENTS),
  ];
  return { app, charts, compositions, folders: new Map(Object.entries(apis).map(([folder, c]) => [c.api.kind, folder])) };
}
