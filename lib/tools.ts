// The real engines the render tests and `npm run render` use: crank and the composition functions,
// in the tool cache at
//   <cache>/go/<tool>@<version>/<tool>
// e.g. ~/.cache/drydock/go/crank@<version>/crank, with the versions of catalog/versions.ts.
// `npm run tools` installs each the ordinary way, `go install <module>@<version>` (as it does helm
// and conftest); where the Go module proxy refuses one, it says where to put a prebuilt binary.
// Where one is missing, the render tests skip and say which; every other check still runs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TOOLS } from '../catalog';
import type { FunctionPackage } from '../compositions/authoring/functions';
import { toolCacheDir } from './paths';

/** crank: Crossplane's last CLI that renders in process (`crank render`, `crank beta validate`). */
export const CRANK = { name: 'crank', ...TOOLS.crank } as const;

export interface Tool {
  readonly name: string;
  readonly version: string;
  /** The `go install` path of its main package. */
  readonly module?: string;
  /** A Go variable set to the version at build (`-ldflags -X=...`). */
  readonly versionFlag?: string;
}

/** Where the cache keeps `tool`. */
export function toolPath(tool: Tool): string {
  return path.join(toolCacheDir(), 'go', `${tool.name}@${tool.version}`, tool.name);
}

export interface RenderTools {
  readonly crank: string;
  /** Binary of each function, by Function name. */
  readonly functions: ReadonlyMap<string, string>;
}

/** crank and `functions` from the cache, or the list of those missing. */
export function findRenderTools(
  functions: readonly FunctionPackage[],
): { tools: RenderTools; missing: [] } | { tools?: undefined; missing: string[] } {
  const wanted: Tool[] = [CRANK, ...functions];
  const missing = wanted.filter((t) => !isExecutable(toolPath(t))).map(toolPath);
  if (missing.length) return { missing };
  return { tools: { crank: toolPath(CRANK), functions: new Map(functions.map((f) => [f.name, toolPath(f)])) }, missing: [] };
}

/** A sentence that says what is missing and how the cache is laid out. */
export function explainMissing(missing: readonly string[]): string {
  return `the real renderer is not in the tool cache: missing ${missing.join(', ')}. Run npm run tools, which installs each with go install; where the Go module proxy refuses one, put a prebuilt binary at <cache>/go/<tool>@<version>/<tool> (cache: ${toolCacheDir()}, or $DRYDOCK_CACHE)`;
}

/** What installing a render tool came to: its binary, or why there is none. */
export type InstallResult = { readonly path: string } | { readonly error: string };

/**
 * `tool` in the cache, installed there first with `go install <module>@<version>` when it is not
 * (into the very folder the cache keeps it in). Where that fails (a module proxy that does not
 * serve it), the error says so, with go's reason and where a prebuilt binary goes.
 */
export function installRenderTool(tool: Tool, run: typeof spawnSync = spawnSync): InstallResult {
  const bin = toolPath(tool);
  if (isExecutable(bin)) return { path: bin };
  if (!tool.module) return { error: `not in the tool cache and not go-installable: put a prebuilt ${tool.name} ${tool.version} at ${bin}` };
  const dir = path.dirname(bin);
  fs.mkdirSync(dir, { recursive: true });
  const flags = tool.versionFlag ? [`-ldflags=-X=${tool.versionFlag}=${tool.version}`] : [];
  process.stderr.write(`installing ${tool.module}@${tool.version} into ${dir} (go install; a first build takes minutes)\n`);
  const res = run('go', ['install', '-trimpath', ...flags, `${tool.module}@${tool.version}`], {
    encoding: 'utf8',
    env: { ...process.env, GOBIN: dir, CGO_ENABLED: '0' },
  });
  if (res.status === 0 && isExecutable(bin)) return { path: bin };
  fs.rmSync(dir, { recursive: true, force: true });
  const reason = `${res.stderr ?? ''}${res.error?.message ?? ''}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('go: downloading'))
    .slice(-2)
    .join(' ');
  return {
    error: `go install ${tool.module}@${tool.version} failed (${reason || `exit ${res.status}`}): where the Go module proxy does not serve it, build it elsewhere with that command${flags.length ? ` and ${flags[0]}` : ''}, or take a prebuilt one (../shared/tools/install-tools where it is beside the checkout), and put it at ${bin}`,
  };
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
