// The real engines the render tests and `npm run render` use, looked up in the tool cache.
//
// crank and the composition functions are not served by the Go module proxy, so nothing in
// this repository builds them: a platform engineer puts each binary into the cache by hand, at
//   <cache>/go/<tool>@<version>/<tool>
// e.g. ~/.cache/drydock/go/crank@<version>/crank, with the versions of catalog/versions.ts.
// Where one is missing, the render tests skip and say which; every other check still runs.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TOOLS } from '../catalog';
import type { FunctionPackage } from '../compositions/authoring/functions';
import { toolCacheDir } from './paths';

/** crank: Crossplane's last CLI that renders in process (`crank render`, `crank beta validate`). */
export const CRANK = { name: 'crank', version: TOOLS.crank.version } as const;

export interface Tool {
  readonly name: string;
  readonly version: string;
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
  return `the real renderer is not in the tool cache: missing ${missing.join(', ')}. Each tool lives at <cache>/go/<tool>@<version>/<tool> (cache: ${toolCacheDir()}, or $DRYDOCK_CACHE); crank and the functions are built by hand from their public sources, since the Go module proxy does not serve them`;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
