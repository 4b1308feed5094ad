// Every environment: one file each in this folder, found by name, so adding an environment is
// adding its file. Sorted by name; the file name must match the environment's name.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Environment } from './environment';

const NOT_ENVIRONMENTS = new Set(['index.ts', 'environment.ts', 'platform.ts']);

/** Require a TypeScript file through tsx, which works the same under synth and the test runner. */
function loadTs(file: string): any {
  return require('tsx/cjs/api').require(file, __filename);
}

function load(): readonly Environment[] {
  return fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && !NOT_ENVIRONMENTS.has(f))
    .sort()
    .map((f) => {
      const env: Environment | undefined = loadTs(path.join(__dirname, f)).default;
      if (!env?.name) throw new Error(`environments/${f} must export default defineEnvironment({...})`);
      if (`${env.name}.ts` !== f)
        throw new Error(`environments/${f} defines environment "${env.name}": name the file ${env.name}.ts, or the environment ${f.slice(0, -3)}`);
      return env;
    });
}

export const ENVIRONMENTS: readonly Environment[] = load();
export const ENVIRONMENT_NAMES: readonly string[] = ENVIRONMENTS.map((e) => e.name);
export type { Environment } from './environment';
