import { type FunctionName, FUNCTIONS as RELEASES } from '../../catalog';

/**
 * The composition functions the platform's pipelines run, with the packages that
 * install them. The Function object's name is what a pipeline step's functionRef names.
 */
export interface FunctionPackage {
  readonly name: string;
  readonly package: string;
  /** Go module and version the test setup would build to run it locally. */
  readonly module: string;
  readonly version: string;
}

const fn = (name: FunctionName): FunctionPackage => {
  const release = RELEASES[name];
  return { name, package: `${release.repository}:${release.version}`, module: release.module, version: release.version };
};

export const FUNCTIONS = {
  environmentConfigs: fn('function-environment-configs'),
  cidr: fn('function-cidr'),
  patchAndTransform: fn('function-patch-and-transform'),
  celFilter: fn('function-cel-filter'),
  autoReady: fn('function-auto-ready'),
} as const;

/** The functions some compositions run, each once, by name. */
export function functionsOf(compositions: readonly { functions(): FunctionPackage[] }[]): FunctionPackage[] {
  const byName = new Map(compositions.flatMap((c) => c.functions()).map((f) => [f.name, f]));
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}
