// Argo CD's own code as a test engine (tools/argocd, on github.com/argoproj/argo-cd/v3): health
// Lua scripts run by Argo CD's Lua VM, and ApplicationSets rendered by the ApplicationSet
// controller's own generators and templates.
import { spawnSync } from 'node:child_process';
import { goToolBinary } from './go-tools';

export const argocdBinary = () => goToolBinary('argocd');

function call(request: unknown): any {
  const res = spawnSync(argocdBinary(), [], { input: JSON.stringify(request), maxBuffer: 1 << 30, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`tools/argocd failed (exit ${res.status}): ${res.stderr || res.error?.message}`);
  return JSON.parse(res.stdout);
}

export interface HealthResult {
  readonly id: string;
  /** Healthy, Progressing, Degraded, Suspended, Missing, Unknown. */
  readonly status: string;
  readonly message: string;
  readonly error?: string;
}

/** The health Argo CD reports for each object under the given health script. */
export function argocdHealth(cases: readonly { id: string; script: string; object: unknown }[]): HealthResult[] {
  return call({ op: 'health', cases }).results;
}

export interface ApplicationSetResult {
  readonly applicationSet: string;
  readonly applications: any[];
  readonly error?: string;
}

/** The Applications Argo CD's ApplicationSet controller generates from these cluster Secrets. */
export function renderApplicationSets(applicationSets: readonly unknown[], clusterSecrets: readonly unknown[]): ApplicationSetResult[] {
  return call({ op: 'applicationset', applicationSets, clusterSecrets }).results;
}
