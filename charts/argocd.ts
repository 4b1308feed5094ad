// dist/argocd/: what Argo CD on the control cluster needs to turn this repository into the
// platform. A platform engineer applies bootstrap.yaml once; the root Application it holds syncs
// the rest of dist/argocd/, whose Applications sync dist/crossplane/, dist/apis/ and
// dist/clusters/<environment>/ one after another.
// dist/bootstrap/: the Argo CD settings the platform needs, which an operator merges into Argo CD's
// own ConfigMaps when installing it (see argoCdSettingsCharts for why no Application syncs them).
import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import type { Construct } from 'constructs';
import { CHART_REPOSITORIES } from '../catalog';
import type { Environment } from '../environments';
import { PLATFORM } from '../environments/platform';
import { Application, type ApplicationSpecSyncPolicy, AppProject } from '../imports/argoproj.io';
import { groupOf } from '../lib/crds';
import { healthCustomizations } from './argocd-health';
import { DistChart, SYNC_WAVE } from './dist-chart';

/** The control cluster, as Argo CD names the cluster it runs in. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';
export const PLATFORM_PROJECT = 'platform';
export const addonsProject = (env: string) => `addons-${env}`;

/** Chart repositories the add-on projects may install from (besides this repository): those of the add-on charts. */
export const ADDON_SOURCES = CHART_REPOSITORIES;

/**
 * Sync waves of what the root Application syncs. Projects come before the Applications that use
 * them; the control-plane Applications follow one another, each waiting until the one before is
 * Healthy (argocd-cm's Application health check, dist/bootstrap/argocd-cm.yaml); the root
 * Application itself and the add-on ApplicationSets are in the last wave, which a sync applies
 * without waiting for (gitops-engine sync_context.go: the final wave succeeds once applied), so
 * the root never waits for its own health, nor the control plane for an add-on rollout.
 */
export const ROOT_WAVES = { projects: -1, crossplane: 0, apis: 1, clusters: 2, last: 2 } as const;
/** Argo CD sync waves of the control-plane Applications: packages, then APIs, then XRs. */
export const APP_WAVES = { crossplane: ROOT_WAVES.crossplane, apis: ROOT_WAVES.apis, clusters: ROOT_WAVES.clusters } as const;

const wave = (n: number) => ({ [SYNC_WAVE]: String(n) });
/**
 * A directory source. `recurse` only when true: Argo CD's controller normalizes an all-default
 * `directory: {recurse: false}` away (util/argo NormalizeSource), and the live Application would
 * then differ from git for ever.
 */
const source = (p: string, recurse: boolean) => ({
  repoUrl: PLATFORM.repoURL,
  targetRevision: PLATFORM.targetRevision,
  path: p,
  ...(recurse ? { directory: { recurse } } : {}),
});
/**
 * How Argo CD retries a failed sync: for ever, backing off to ten minutes, on the newest revision
 * (`refresh`). A limited retry would leave a bootstrap that met a slow CRD or webhook stuck:
 * automated sync does not retry a commit whose retries ran out.
 */
export const RETRY = { limit: -1, backoff: { duration: '30s', factor: 2, maxDuration: '10m' }, refresh: true };

/**
 * How Argo CD syncs an environment's XRs. Dev and staging prune and self-heal; prod self-heals
 * but never prunes: deleting a file must not delete a production cluster or its database. An
 * environment with `sync: Manual` is synced by a person only (no `automated` block).
 */
export function clusterSyncPolicy(env: Environment): ApplicationSpecSyncPolicy {
  const options = { syncOptions: ['ServerSideApply=true'], retry: RETRY };
  return env.argocd.sync === 'Manual' ? options : { automated: { prune: env.argocd.prune, selfHeal: env.argocd.selfHeal }, ...options };
}

export interface ArgoCdChartsProps {
  readonly environments: readonly Environment[];
  /** Environments with XRs in dist/clusters/<environment>/. */
  readonly environmentsWithClusters: readonly string[];
}

export function argoCdCharts(scope: Construct, props: ArgoCdChartsProps): DistChart[] {
  // Applied once by hand: the platform project and the root Application, which from then on
  // syncs all of dist/argocd/, this file included.
  const bootstrap = new DistChart(scope, 'argocd-bootstrap', { file: 'argocd/bootstrap.yaml' });
  new AppProject(bootstrap, 'platform-project', {
    metadata: { name: PLATFORM_PROJECT, namespace: PLATFORM.argocdNamespace, annotations: wave(ROOT_WAVES.projects) },
    spec: {
      description: 'The control plane: Crossplane packages, platform APIs and platform-owned XRs, from this repository to the control cluster only.',
      sourceRepos: [PLATFORM.repoURL],
      destinations: [{ server: IN_CLUSTER, namespace: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
  });
  new Application(bootstrap, 'root', {
    metadata: { name: 'drydock', namespace: PLATFORM.argocdNamespace, annotations: wave(ROOT_WAVES.last) },
    spec: {
      project: PLATFORM_PROJECT,
      source: source('dist/argocd', false),
      destination: { server: IN_CLUSTER, namespace: PLATFORM.argocdNamespace },
      // Never prune: removing an Application here would cascade into what it manages.
      syncPolicy: { automated: { prune: false, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: RETRY },
    },
  });

  const projects = new DistChart(scope, 'argocd-projects', { file: 'argocd/projects.yaml', wave: ROOT_WAVES.projects });
  for (const env of props.environments) {
    new AppProject(projects, `addons-${env.name}`, {
      metadata: { name: addonsProject(env.name), namespace: PLATFORM.argocdNamespace },
      spec: {
        description: `Add-ons on the ${env.name} workload clusters. Clusters are scoped to this project by their registration Secret.`,
        sourceRepos: [PLATFORM.repoURL, ...ADDON_SOURCES],
        // Only clusters whose Secret names this project (the registration's `project`), and
        // never the control cluster: Argo CD's AppProject.IsDestinationPermitted.
        permitOnlyProjectScopedClusters: true,
        destinations: [
          { server: '*', namespace: '*' },
          { server: `!${IN_CLUSTER}`, namespace: '*' },
        ],
        clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        sourceNamespaces: [PLATFORM.argocdNamespace],
      },
    });
  }

  // Each Application carries its own wave (ROOT_WAVES): the file gives none.
  const controlPlane = new DistChart(scope, 'argocd-control-plane', { file: 'argocd/control-plane.yaml' });
  const app = (id: string, name: string, appWave: number, p: string, syncPolicy: ApplicationSpecSyncPolicy, recurse: boolean) =>
    new Application(controlPlane, id, {
      metadata: { name, namespace: PLATFORM.argocdNamespace, annotations: wave(appWave) },
      spec: { project: PLATFORM_PROJECT, source: source(p, recurse), destination: { server: IN_CLUSTER }, syncPolicy },
    });
  app(
    'crossplane',
    'crossplane-packages',
    APP_WAVES.crossplane,
    'dist/crossplane',
    { automated: { prune: true, selfHeal: true }, syncOptions: ['ServerSideApply=true'], retry: RETRY },
    false,
  );
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
  return [bootstrap, projects, controlPlane];
}

export interface ArgoCdSettingsProps {
  /** Every chart whose objects Argo CD syncs: their kinds decide the health checks. */
  readonly synced: readonly DistChart[];
  /** The platform APIs' XR kinds (XRs reach dist/ from claims/, not from a chart). */
  readonly xrKinds: readonly { apiVersion: string; kind: string }[];
}

/**
 * dist/bootstrap/argocd-cm.yaml and argocd-cmd-params-cm.yaml: the keys the platform needs in
 * Argo CD's own ConfigMaps, merged in when Argo CD is installed (README, "Bootstrapping"):
 * `kubectl patch --type merge` adds our keys and leaves every other key as it was.
 *
 * No Application syncs them, for three reasons read in Argo CD's source:
 * - `applicationsetcontroller.enable.progressive.syncs` is read from argocd-cmd-params-cm as an
 *   environment variable when the ApplicationSet controller starts (manifests/install.yaml);
 *   synced later, it changes nothing until a restart.
 * - The Application health check orders the root's own waves, so it must exist before the root
 *   Application's first sync.
 * - A second owner of argocd-cm is unsafe: with server-side apply, Argo CD first migrates the
 *   fields a client-side `kubectl apply` owns to its own manager and re-applies only our keys,
 *   which drops every key of a stock installation (gitops-engine sync_context.go,
 *   performClientSideApplyMigration); an Argo CD that manages its own installation, or the
 *   argocd-operator, would fight over the same object.
 */
export function argoCdSettingsCharts(scope: Construct, props: ArgoCdSettingsProps): DistChart[] {
  const objects = [
    ...props.xrKinds,
    ...props.synced.flatMap((c) =>
      c.node
        .findAll()
        .filter((n): n is ApiObject => n instanceof ApiObject)
        .map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, spec: groupOf(o.apiVersion) === 'pkg.crossplane.io' ? o.toJson().spec : undefined })),
    ),
  ];
  const cm = new DistChart(scope, 'argocd-settings-cm', { file: 'bootstrap/argocd-cm.yaml', syncedByArgoCd: false });
  new k8s.KubeConfigMap(cm, 'argocd-cm', {
    metadata: { name: 'argocd-cm', namespace: PLATFORM.argocdNamespace },
    data: {
      // Argo CD v3's default, said explicitly: label tracking would collide with the
      // app.kubernetes.io/instance labels the add-on charts set themselves.
      'application.resourceTrackingMethod': 'annotation',
      ...healthCustomizations(objects),
    },
  });
  const params = new DistChart(scope, 'argocd-settings-params', { file: 'bootstrap/argocd-cmd-params-cm.yaml', syncedByArgoCd: false });
  // RollingSync (the add-on ApplicationSets' strategy) is skipped unless progressive syncs are on.
  new k8s.KubeConfigMap(params, 'argocd-cmd-params-cm', {
    metadata: { name: 'argocd-cmd-params-cm', namespace: PLATFORM.argocdNamespace },
    data: { 'applicationsetcontroller.enable.progressive.syncs': 'true' },
  });
  return [cm, params];
}
