// The README's bootstrap on a local control cluster, and what to read from it: which packages,
// XRDs and Applications are not there yet, and why. Shared by the lifecycle scenarios
// (test/e2e/) and `npm run bench`.
import * as path from 'node:path';
import { repoRoot } from '../paths';
import { readYamlDocs } from '../yaml';
import type { ControlCluster } from './cluster';

const distDocs = (file: string): any[] => readYamlDocs(path.join(repoRoot, 'dist', file));

/** The README's bootstrap: `kubectl apply -f dist/argocd/bootstrap.yaml`, as the served commit has it. */
export function applyBootstrap(cluster: ControlCluster): void {
  cluster.kubectl(['apply', '-f', path.join(cluster.servedDist, 'argocd', 'bootstrap.yaml')]);
}

const condition = (o: any, type: string) => o?.status?.conditions?.find((c: any) => c.type === type);
export const isTrue = (o: any, type: string) => condition(o, type)?.status === 'True';

/** Packages not Healthy and XRDs not Established, one line each (empty when all are). */
export function platformProblems(cluster: ControlCluster): string[] {
  const packages = [...cluster.list('providers.pkg.crossplane.io'), ...cluster.list('functions.pkg.crossplane.io')];
  const xrds = cluster.list('compositeresourcedefinitions.apiextensions.crossplane.io');
  const wanted = [...distDocs('crossplane/providers.yaml'), ...distDocs('crossplane/functions.yaml')].filter(
    (o) => o.kind === 'Provider' || o.kind === 'Function',
  );
  return [
    ...wanted.filter((w) => !packages.some((p) => p.metadata.name === w.metadata.name)).map((w) => `${w.kind} ${w.metadata.name} not installed`),
    ...packages
      .filter((p) => !isTrue(p, 'Healthy'))
      .map((p) => `${p.kind} ${p.metadata.name}: ${condition(p, 'Healthy')?.message ?? 'no health yet'}`),
    ...(xrds.length ? [] : ['no XRD yet']),
    ...xrds.filter((x) => !isTrue(x, 'Established')).map((x) => `XRD ${x.metadata.name} not Established`),
  ];
}

/**
 * ApplicationSets whose only unfinished business is a RollingSync rollout: Argo CD calls them
 * Progressing (resource_customizations/argoproj.io/ApplicationSet/health.lua: RolloutProgressing)
 * until every generated Application is Healthy, which add-on Applications never are here (the
 * simulated AWS's clusters run nothing: README, what it does not model).
 */
function onlyRollingOut(cluster: ControlCluster): boolean {
  const has = (o: any, type: string, status: string) => o.status?.conditions?.some((c: any) => c.type === type && c.status === status);
  return cluster.list('applicationsets.argoproj.io', 'argocd').every((s) => has(s, 'ResourcesUpToDate', 'True') && !has(s, 'ErrorOccurred', 'True'));
}

/**
 * Applications not Synced and Healthy, with what Argo CD says about each. The root (which syncs
 * the add-on ApplicationSets) counts as converged while Progressing only because of add-on
 * rollouts that cannot finish without a workload cluster.
 */
export function applicationProblems(cluster: ControlCluster): string[] {
  const apps = cluster.list('applications.argoproj.io', 'argocd');
  const rollingOut = (a: any) =>
    a.spec?.source?.path === 'dist/argocd' &&
    a.status?.sync?.status === 'Synced' &&
    a.status?.health?.status === 'Progressing' &&
    onlyRollingOut(cluster);
  return apps
    .filter((a) => !a.metadata.labels?.['drydock.dev/addon'] && !a.spec?.destination?.name)
    .filter((a) => a.status?.sync?.status !== 'Synced' || a.status?.health?.status !== 'Healthy')
    .filter((a) => !rollingOut(a))
    .map((a) =>
      `${a.metadata.name}: ${a.status?.sync?.status ?? '?'}/${a.status?.health?.status ?? '?'} ${a.status?.operationState?.message ?? ''}`.trim(),
    );
}

/**
 * What Argo CD would have applied in waves 0-3 (dist/crossplane and dist/apis, and the add-on
 * projects and ApplicationSets of dist/argocd), applied by hand: when the bootstrap does not
 * converge (its scenario fails and says why), the scenarios after it still get a platform to run on.
 */
export function installPlatformByHand(cluster: ControlCluster): void {
  applyServed(cluster, ['argocd/projects.yaml', 'argocd/addons.yaml']);
  applyServed(cluster, ['crossplane/providers.yaml', 'crossplane/functions.yaml']);
  applyServed(cluster, ['apis']);
}

/** Server-side apply of files (or folders, recursively) of dist/ as the cluster's repository serves it. */
function applyServed(cluster: ControlCluster, files: readonly string[]): void {
  const served = cluster.servedDist;
  cluster.kubectl([
    'apply',
    '--server-side',
    '--force-conflicts',
    '--field-manager=drydock-e2e',
    '-R',
    ...files.flatMap((f) => ['-f', path.join(served, f)]),
  ]);
}

/** The wave-1 objects (provider configs), once their CRDs exist. */
export function installProviderConfigsByHand(cluster: ControlCluster): void {
  applyServed(cluster, ['crossplane']);
}
