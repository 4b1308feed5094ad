// npm run tools: build the real engines the tests use, once, into the cache outside the repo.
//
// - kubevalidate (tools/kubevalidate): the API server's validation code, k8s.io/apiextensions-apiserver.
// - crank v2.2.4 (Crossplane's last in-process renderer) and the composition functions the
//   pipelines run, with `go install` from the Go module proxy, for test/render.test.ts.
//
// A tool that cannot be built is recorded with the exact error in <cache>/render-tools.json;
// the render tests then report themselves skipped with that error. The next run tries again.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FUNCTIONS } from '../compositions/authoring';
import { kubevalidateBinary } from '../lib/kubevalidate';
import { toolCacheDir } from '../lib/paths';

export const CRANK = {
  name: 'crank',
  module: 'github.com/crossplane/crossplane/v2/cmd/crank',
  version: 'v2.2.4',
  // Makes crank's default Crossplane image ...:v2.2.4, which validate reads from a seeded cache.
  ldflags: '-X=github.com/crossplane/crossplane/v2/internal/version.version=v2.2.4',
};

export interface ToolStatus {
  readonly name: string;
  readonly path?: string;
  readonly error?: string;
}

export const statusFile = () => path.join(toolCacheDir(), 'render-tools.json');

/** What the last `npm run tools` recorded; empty when it has not run. */
export function readToolStatuses(): ToolStatus[] {
  return fs.existsSync(statusFile()) ? JSON.parse(fs.readFileSync(statusFile(), 'utf8')) : [];
}

/** The line of a failed build that says why (the registry's 403, or the first error). */
export function whyMissing(s: ToolStatus | undefined): string {
  if (!s?.error) return 'not built: run npm run tools';
  const lines = s.error.split('\n');
  return (lines.find((l) => /40[34]|error|cannot/i.test(l)) ?? lines[0]).trim();
}

/** Build (or find) one Go tool into <cache>/go/<name>@<version>/. */
function goInstall(name: string, module: string, version: string, ldflags?: string): ToolStatus {
  const dir = path.join(toolCacheDir(), 'go', `${name}@${version}`);
  const bin = path.join(dir, path.basename(module.replace(/\/v\d+$/, '')));
  if (fs.existsSync(bin)) return { name, path: bin };
  fs.mkdirSync(dir, { recursive: true });
  const args = ['install', ...(ldflags ? ['-ldflags', ldflags] : []), `${module}@${version}`];
  const res = spawnSync('go', args, { encoding: 'utf8', env: { ...process.env, GOBIN: dir, CGO_ENABLED: '0' } });
  if (res.status === 0 && fs.existsSync(bin)) return { name, path: bin };
  const error = `go ${args.join(' ')}: ${(res.stderr || res.error?.message || `exit ${res.status}`).trim()}`;
  return { name, error };
}

export function buildTools(): ToolStatus[] {
  const statuses = [
    { name: 'kubevalidate', path: kubevalidateBinary() },
    goInstall(CRANK.name, CRANK.module, CRANK.version, CRANK.ldflags),
    ...Object.values(FUNCTIONS).map((f) => goInstall(f.name, f.module, f.version)),
  ];
  fs.writeFileSync(statusFile(), `${JSON.stringify(statuses, null, 2)}\n`);
  return statuses;
}

if (require.main === module) {
  for (const s of buildTools()) console.log(s.path ? `tools: ${s.name}: ${s.path}` : `tools: ${s.name}: cannot build here: ${whyMissing(s)}`);
}
