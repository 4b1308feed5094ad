import * as path from 'node:path';

/** Root of this repository. */
export const repoRoot = path.resolve(__dirname, '..');

/**
 * Folder holding the upstream CRDs (provider-upjet-aws, Crossplane, Argo CD, ...).
 * Read in place, never copied into the repository.
 * @default - `../shared/crds` beside the checkout
 */
export function crdsDir(): string {
  return path.resolve(repoRoot, process.env.CRDS_DIR ?? '../shared/crds');
}

/**
 * Cache folder for tools built from the Go module proxy, outside the repository.
 * @default - `$XDG_CACHE_HOME/drydock` or `~/.cache/drydock`
 */
export function toolCacheDir(): string {
  if (process.env.DRYDOCK_CACHE) return path.resolve(process.env.DRYDOCK_CACHE);
  const base = process.env.XDG_CACHE_HOME ?? path.join(process.env.HOME ?? '/tmp', '.cache');
  return path.join(base, 'drydock');
}
