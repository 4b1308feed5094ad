import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, toolCacheDir } from './paths';

const SOURCE = path.join(repoRoot, 'tools', 'kubevalidate');

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

/**
 * Path of the kubevalidate binary, built from tools/kubevalidate with the Go toolchain on
 * first use and cached outside the repo, keyed by a hash of its sources.
 */
export function kubevalidateBinary(): string {
  const hash = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', 'main.go']) hash.update(fs.readFileSync(path.join(SOURCE, f)));
  const bin = path.join(toolCacheDir(), 'bin', `kubevalidate-${hash.digest('hex').slice(0, 12)}`);
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    process.stderr.write(`building kubevalidate (k8s.io/apiextensions-apiserver) into ${path.dirname(bin)}; the first build takes a minute or two\n`);
    const tmp = `${bin}.tmp-${process.pid}`;
    execFileSync('go', ['build', '-trimpath', '-o', tmp, '.'], {
      cwd: SOURCE,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CGO_ENABLED: '0' },
    });
    fs.renameSync(tmp, bin);
  }
  return bin;
}

/** Validate objects against CRDs with the Kubernetes API server's own validation code. */
export function kubevalidate(crds: readonly unknown[], objects: readonly { id: string; object: unknown; old?: unknown }[]): ValidationReport {
  const res = spawnSync(kubevalidateBinary(), [], { input: JSON.stringify({ crds, objects }), maxBuffer: 1 << 30, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`kubevalidate failed (exit ${res.status}): ${res.stderr || res.error?.message}`);
  return JSON.parse(res.stdout);
}
