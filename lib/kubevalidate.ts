import { spawnSync } from 'node:child_process';
import { goToolBinary } from './go-tools';

export interface Finding {
  /** The API server's own wording, e.g. `spec.region: Required value`. */
  readonly message: string;
  readonly field: string;
  readonly type: string;
  readonly detail: string;
  readonly value?: string;
}

export interface ValidationReport {
  readonly crds: { name: string; errors: Finding[] }[];
  readonly objects: { id: string; errors: Finding[]; defaulted?: any }[];
}

/** Path of the kubevalidate binary (tools/kubevalidate), built on first use. */
export const kubevalidateBinary = () => goToolBinary('kubevalidate');

/** Validate objects against CRDs with the Kubernetes API server's own validation code. */
export function kubevalidate(crds: readonly unknown[], objects: readonly { id: string; object: unknown; old?: unknown }[]): ValidationReport {
  // DRYDOCK_KUBEVALIDATE names another binary: the fault-injection tests use one that crashes.
  const res = spawnSync(process.env.DRYDOCK_KUBEVALIDATE ?? kubevalidateBinary(), [], {
    input: JSON.stringify({ crds, objects }),
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`kubevalidate failed (exit ${res.status}): ${res.stderr || res.error?.message}`);
  return JSON.parse(res.stdout);
}
