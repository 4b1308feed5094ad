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

const fn = (name: string, registry: string, module: string, version: string): FunctionPackage => ({
  name,
  package: `${registry}/${name}:${version}`,
  module,
  version,
});

export const FUNCTIONS = {
  environmentConfigs: fn(
    'function-environment-configs',
    'xpkg.crossplane.io/crossplane-contrib',
    'github.com/crossplane-contrib/function-environment-configs',
    'v0.7.1',
  ),
  cidr: fn('function-cidr', 'xpkg.upbound.io/upbound', 'github.com/upbound/function-cidr', 'v0.6.0'),
  patchAndTransform: fn(
    'function-patch-and-transform',
    'xpkg.crossplane.io/crossplane-contrib',
    'github.com/crossplane-contrib/function-patch-and-transform',
    'v0.10.8',
  ),
  celFilter: fn('function-cel-filter', 'xpkg.crossplane.io/crossplane-contrib', 'github.com/crossplane-contrib/function-cel-filter', 'v0.1.1'),
  autoReady: fn('function-auto-ready', 'xpkg.crossplane.io/crossplane-contrib', 'github.com/crossplane/function-auto-ready', 'v0.7.0'),
} as const;
