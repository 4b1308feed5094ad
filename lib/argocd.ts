// Argo CD's own code as a test engine (tools/argocd, on github.com/argoproj/argo-cd/v3): health
// as the controller decides it, ApplicationSets rendered by the ApplicationSet controller's own
// generators and templates, Applications normalized and checked against their projects as the
// application controller does, and RollingSync run by the ApplicationSet controller's reconcile.
import { spawnSync } from 'node:child_process';
import { goToolBinary } from './go-tools';

export const argocdBinary = () => goToolBinary('argocd');

function call(request: unknown): any {
  const res = spawnSync(argocdBinary(), [], { input: JSON.stringify(request), maxBuffer: 1 << 30, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`tools/argocd failed (exit ${res.status}): ${res.stderr || res.error?.message}`);
  return JSON.parse(res.stdout).results;
}

export interface HealthResult {
  readonly id: string;
  /** Healthy, Progressing, Degraded, Suspended, Missing, Unknown; '' when the kind has no health. */
  readonly status: string;
  readonly message: string;
  readonly error?: string;
}

/** The health Argo CD reports for each object under the given health script (none: built-in). */
export function argocdHealth(cases: readonly { id: string; script: string; object: unknown }[]): HealthResult[] {
  return call({ op: 'health', cases });
}

export interface Assessment extends HealthResult {
  /** What decided: `customization` (argocd-cm), `built-in script`, `built-in check` or `none`. */
  readonly source: 'customization' | 'built-in script' | 'built-in check' | 'none';
}

export interface AssessResult {
  /** argocd-cm after the merge patch, as `kubectl patch --type merge` leaves it. */
  readonly argocdCm: { data?: Record<string, string> };
  /** Group/kind keys argocd-cm gives a health script, as Argo CD's settings parse them. */
  readonly overrides: string[];
  readonly objects: Assessment[];
}

/**
 * The health a running Argo CD decides for each object: argocd-cm (`argocdCm`, then the merge
 * patch `argocdCmPatch`) read by Argo CD's settings manager, its customizations first, then the
 * built-in scripts and checks.
 */
export function argocdAssess(request: {
  argocdCm?: unknown;
  argocdCmPatch?: unknown;
  objects: readonly { id: string; object: unknown }[];
}): AssessResult {
  return call({ op: 'assess', ...request });
}

export interface ApplicationSetResult {
  readonly applicationSet: string;
  readonly applications: any[];
  readonly error?: string;
}

/** The Applications Argo CD's ApplicationSet controller generates from these cluster Secrets. */
export function renderApplicationSets(applicationSets: readonly unknown[], clusterSecrets: readonly unknown[]): ApplicationSetResult[] {
  return call({ op: 'applicationset', applicationSets, clusterSecrets });
}

export interface ValidationResult {
  readonly name: string;
  /** The spec as Argo CD's types read it. */
  readonly asRead: any;
  /** The spec the controller writes back after NormalizeApplicationSpec. */
  readonly normalized: any;
  /** What the Application's project refuses (repository, destination, cluster). */
  readonly conditions: { type: string; message: string }[];
  readonly error?: string;
}

/** What the application controller makes of each Application, given projects and cluster Secrets. */
export function validateApplications(request: {
  projects: readonly unknown[];
  clusterSecrets?: readonly unknown[];
  applications: readonly unknown[];
}): ValidationResult[] {
  return call({ op: 'validate', clusterSecrets: [], ...request });
}

export interface RollingSyncPhase {
  readonly name: string;
  /** Replaces the ApplicationSet (required in the first phase). */
  readonly applicationSet?: unknown;
  /** Every cluster Secret that exists during the phase. */
  readonly clusterSecrets: readonly unknown[];
  /** What a sync leads to, by cluster name: `Degraded` for a broken cluster; `Healthy` otherwise. */
  readonly outcomes?: Record<string, string>;
}

export interface RollingSyncResult {
  readonly name: string;
  readonly rounds: number;
  /** Whether the phase reached a state no further round changes. */
  readonly settled: boolean;
  /** Each sync the ApplicationSet controller triggered, by round. */
  readonly syncs: { round: number; application: string }[];
  readonly applications: {
    name: string;
    cluster: string;
    labels: Record<string, string>;
    sync: string;
    health: string;
    /** RollingSync's own status of the Application: Waiting, Pending, Progressing, Healthy. */
    rollout: string;
    step: string;
  }[];
  readonly error?: string;
}

/** RollingSync as the ApplicationSet controller runs it, phase by phase, against simulated syncs. */
export function rollingSync(request: { projects: readonly unknown[]; phases: readonly RollingSyncPhase[]; maxRounds?: number }): RollingSyncResult[] {
  return call({ op: 'rollingsync', ...request });
}
