// dist/argocd/: what Argo CD on the control cluster needs to turn this repository into the
// platform. A platform engineer applies bootstrap.yaml once; the root Application it holds syncs
// the rest of dist/argocd/, whose Applications sync dist/crossplane/, dist/apis/ and
// dist/clusters/<environment>/ in that order.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { k8s } from 'cdk8s-plus-30';
import type { Construct } from 'constructs';
import { CHART_REPOSITORIES } from '../catalog';
import type { Environment } from '../environments';
import { PLATFORM } from '../environments/platform';
import { Application, type ApplicationSpecSyncPolicy, AppProject } from '../imports/argoproj.io';
import { DistChart } from './dist-chart';

/** The control cluster, as Argo CD names the cluster it runs in. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const PLATFORM_PROJECT = 'platform';
export const addonsProject = (env: string) => `addons-${env}`;

/** Chart repositories the add-on projects may install from (besides this repository): those of the add-on charts. */
export const ADDON_SOURCES = CHART_REPOSITORIES;

/** Argo CD sync waves of the control-plane Applications: packages, then APIs, then XRs. */
export const APP_WAVES = { crossplane: 0, apis: 1, clusters: 2 } as const;

const HEALTH_DIR = path.join(__dirname, 'argocd-health');
const lua = (file: string) => fs.readFileSync(path.join(HEALTH_DIR, file), 'utf8');

const wave = (n: number) => ({ 'argocd.argoproj.io/sync-wave': String(n) });
const source = (p: string, recurse = false) => ({
  repoUrl: PLATFORM.repoURL,
  targetRevision: PLATFORM.targetRevision,
  path: p,
  directory: { recurse },
});
/** How Argo CD retries a failed sync: a few times, backing off to ten minutes. */
export const RETRY = { limit: 5, backoff: { duration: '30s', factor: 2, maxDuration: '10m' } };

/**
 * How Argo CD syncs an environment's XRs. Dev and staging prune and self-heal; prod self-heals
 * but never prunes: deleting a file must not delete a production cluster or its database.
 */
export function clusterSyncPolicy(env: Environment): ApplicationSpecSyncPolicy {
  return { automated: { prune: env.argocd.prune, selfHeal: env.argocd.selfHeal }, syncOptions: ['ServerSideApply=true'], retry: RETRY };
}

export interface ArgoCdChartsProps {
  readonly environments: readonly Environment[];
  /** Environments with XRs in dist/clusters/<environment>/. */
  readonly environmentsWithClusters: readonly string[];
}

export function argoCdCharts(scope: Construct, props: ArgoCdChartsProps): DistChart[] {
  // Applied once by hand: the platform project and the root Application, which from then on
  // syncs all of dist/argocd/, this file included.
  const bootstrap = new DistChart(scope, 'argocd-bootstrap', { file: 'argocd/bootstrap.yaml', wave: 0 });
  new AppProject(bootstrap, 'platform-project', {
    metadata: { name: PLATFORM_PROJECT, namespace: PLATFORM.argocdNamespace },
    spec: {
      description: 'The control plane: Crossplane packages, platform APIs and platform-owned XRs, from this repository to the control cluster only.',
      sourceRepos: [PLATFORM.repoURL],
      destinations: [{ server: IN_CLUSTER, namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  });
  new Application(bootstrap, 'root', {
    metadata: { name: 'drydock', namespace: PLATFORM.argocdNamespace },
    spec: {
      project: PLATFORM_PROJECT,
      source: source('dist/argocd'),
      destination: { server: IN_CLUSTER, namespace: PLATFORM.argocdNamespace },
      // Never prune: removing an Application here would cascade into what it manages.
      syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: RETRY },
    },
  });

  const projects = new DistChart(scope, 'argocd-projects', { file: 'argocd/projects.yaml', wave: 0 });
  for (const env of props.environments) {
    new AppProject(projects, `addons-${env.name}`, {
      metadata: { name: addonsProject(env.name), namespace: PLATFORM.argocdNamespace },
      spec: {
        description: `Add-ons on the ${env.name} workload clusters. Clusters are scoped to this project by their registration Secret.`,
        sourceRepos: [PLATFORM.repoURL, ...ADDON_SOURCES],
        // Only clusters scoped to this project (the registration's `project`) are reachable here.
        destinations: [{ server: '*', namespace: '*' }],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        sourceNamespaces: [PLATFORM.argocdNamespace],
      },
    });
  }

  // No file wave: each Application carries its own (APP_WAVES).
  const controlPlane = new DistChart(scope, 'argocd-control-plane', { file: 'argocd/control-plane.yaml' });
  const app = (id: string, name: string, appWave: number, p: string, syncPolicy: ApplicationSpecSyncPolicy, recurse = false) =>
    new Application(controlPlane, id, {
      metadata: { name, namespace: PLATFORM.argocdNamespace, annotations: wave(appWave) },
      spec: { project: PLATFORM_PROJECT, source: source(p, recurse), destination: { server: IN_CLUSTER }, syncPolicy },
    });
  app('crossplane', 'crossplane-packages', APP_WAVES.crossplane, 'dist/crossplane', {
    automated: { prune: true, selfHeal: true },
    syncOptions: ['ServerSideApply=true'],
    retry: RETRY,
  });
  // Shared by every environment, prod included: an XRD pruned by mistake would delete every XR.
  app(
    'apis',
    'platform-apis',
    APP_WAVES.apis,
    'dist/apis',
    { automated: { prune: false, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: RETRY },
    true,
  );
  for (const env of props.environments.filter((e) => props.environmentsWithClusters.includes(e.name))) {
    app(`clusters-${env.name}`, `clusters-${env.name}`, APP_WAVES.clusters, `dist/clusters/${env.name}`, clusterSyncPolicy(env), true);
  }

  // Merged into Argo CD's own argocd-cm by server-side apply (only these keys are ours): health
  // of Crossplane kinds, so an Application is Healthy only when its XRs and packages are.
  const config = new DistChart(scope, 'argocd-config', { file: 'argocd/config.yaml', wave: 0 });
  new k8s.KubeConfigMap(config, 'argocd-cm', {
    metadata: {
      name: 'argocd-cm',
      namespace: PLATFORM.argocdNamespace,
      labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' },
    },
    data: {
      'application.resourceTrackingMethod': 'annotation',
      'resource.customizations': healthCustomizations(),
    },
  });
  // Progressive syncs (RollingSync) are off in the ApplicationSet controller unless enabled.
  new k8s.KubeConfigMap(config, 'argocd-cmd-params-cm', {
    metadata: {
      name: 'argocd-cmd-params-cm',
      namespace: PLATFORM.argocdNamespace,
      labels: { 'app.kubernetes.io/name': 'argocd-cmd-params-cm', 'app.kubernetes.io/part-of': 'argocd' },
    },
    data: { 'applicationsetcontroller.enable.progressive.syncs': 'true' },
  });
  return [bootstrap, projects, controlPlane, config];
}

/** Group/kind patterns and the health script each gets, in argocd-cm's `resource.customizations` format. */
export const HEALTH_CHECKS: Readonly<Record<string, string>> = {
  [`${PLATFORM.apiGroup}/*`]: 'crossplane-resource.lua',
  '*.upbound.io/*': 'crossplane-resource.lua',
  'kubernetes.m.crossplane.io/*': 'crossplane-resource.lua',
  'protection.crossplane.io/*': 'crossplane-resource.lua',
  'pkg.crossplane.io/*': 'crossplane-package.lua',
};

function healthCustomizations(): string {
  return Object.entries(HEALTH_CHECKS)
    .map(
      ([key, file]) =>
        `"${key}":\n  health.lua: |\n${lua(file)
          .trimEnd()
          .split('\n')
          .map((l) => (l ? `    ${l}` : ''))
          .join('\n')}\n`,
    )
    .join('');
}

/** The Lua source of a health script, for tests. */
export const healthScript = (file: string) => lua(file);
