// Every environment: one file each in this folder, found by name, so adding an environment is
// adding its file. Sorted by name; the file name must match the environment's name.
//
// A file that fails to load or holds a wrong value does not throw here (that would end synth, and
// anything importing this module, in a stack trace): its problems are collected, one line each
// naming the file, the field, the value and the fix, and `buildPlatform` refuses to build while
// there are any (synth prints them in its usual format).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../lib/paths';
import { type Environment, type EnvironmentError, formatProblem } from './environment';

const NOT_ENVIRONMENTS = new Set(['index.ts', 'environment.ts', 'platform.ts']);

/** Require a TypeScript file through tsx, which works the same under synth and the test runner. */
function loadTs(file: string): any {
  return require('tsx/cjs/api').require(file, __filename);
}

/** The environments of `dir`, and what is wrong with the files that are not. */
export function loadEnvironments(dir: string): { environments: Environment[]; problems: string[] } {
  const environments: Environment[] = [];
  const problems: string[] = [];
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !NOT_ENVIRONMENTS.has(f))
    .sort()) {
    const rel = path.relative(repoRoot, path.join(dir, f));
    try {
      const env: Environment | undefined = loadTs(path.join(dir, f)).default;
      if (!env?.name) problems.push(`${rel}: export default defineEnvironment({...}) from './environment'`);
      else if (`${env.name}.ts` !== f)
        problems.push(`${rel}: name: Invalid value: ${JSON.stringify(env.name)}: name the file ${env.name}.ts, or the environment ${f.slice(0, -3)}`);
      else environments.push(env);
    } catch (e) {
      if ((e as EnvironmentError)?.name === 'EnvironmentError')
        problems.push(...(e as EnvironmentError).problems.map((p) => `${rel}: ${formatProblem(p)}`));
      else problems.push(`${rel}: cannot be loaded: ${String((e as Error)?.message ?? e).split('\n')[0]}`);
    }
  }
  return { environments, problems };
}

/** Raised while any environment file is wrong; each problem names its file. */
export class EnvironmentsInvalid extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`environments/ has wrong values:\n  - ${problems.join('\n  - ')}`);
  }
}

// DRYDOCK_ENVIRONMENTS_DIR points at another folder of environment files (the tests use a copy).
const loaded = loadEnvironments(process.env.DRYDOCK_ENVIRONMENTS_DIR ? path.resolve(process.env.DRYDOCK_ENVIRONMENTS_DIR) : __dirname);

/** The environments that loaded; check `ENVIRONMENT_PROBLEMS` (or call `assertEnvironments`) before trusting them whole. */
export const ENVIRONMENTS: readonly Environment[] = loaded.environments;
export const ENVIRONMENT_NAMES: readonly string[] = ENVIRONMENTS.map((e) => e.name);
/** One line per wrong value in environments/, naming the file. */
export const ENVIRONMENT_PROBLEMS: readonly string[] = loaded.problems;

/** Throw `EnvironmentsInvalid` when any environment file is wrong. */
export function assertEnvironments(): void {
  if (ENVIRONMENT_PROBLEMS.length) throw new EnvironmentsInvalid(ENVIRONMENT_PROBLEMS);
}

export type { Environment } from './environment';
