import type { Construct } from 'constructs';
import { FUNCTIONS, type FunctionPackage } from '../compositions/authoring';
import type { FrozenRelease } from '../lib/releases';
import type { Composes } from './crossplane';
import { DistChart, WAVES } from './dist-chart';

/** A dist/ file whose one object is data frozen in the repository, written exactly as it is. */
class FrozenChart extends DistChart {
  constructor(
    scope: Construct,
    id: string,
    file: string,
    private readonly object: unknown,
  ) {
    super(scope, id, { file, wave: WAVES.compositions });
  }

  override toJson(): any[] {
    return [this.object];
  }
}

/**
 * The releases some environment runs, each in dist/apis/<folder>/releases/<release>.yaml, beside
 * the API's working-tree Composition. Releases no environment names stay in releases/ for a
 * rollback and leave dist/.
 */
export function releaseCharts(scope: Construct, releases: readonly FrozenRelease[], folderOf: (composition: string) => string): DistChart[] {
  return releases.map(
    (r) => new FrozenChart(scope, `release-${r.composition}-${r.id}`, `apis/${folderOf(r.composition)}/releases/${r.id}.yaml`, r.object),
  );
}

/**
 * What a release needs installed beside it, as synth reads it from a working-tree Composition:
 * the kinds it composes (activated, their provider families installed) and the functions its
 * pipeline runs. A release in use keeps needing them after the working tree stops composing a
 * kind or running a function; their versions are the platform's (catalog/), shared by every
 * Composition: a release freezes the Composition, not the packages it runs on.
 */
export function releaseNeeds(release: FrozenRelease): Composes & { functions(): FunctionPackage[] } {
  const pipeline: any[] = release.object.spec?.pipeline ?? [];
  const resources = pipeline
    .filter((s) => s.input?.kind === 'Resources')
    .flatMap((s) => s.input.resources ?? [])
    .map((r: any) => ({ base: { apiVersion: String(r.base?.apiVersion), kind: String(r.base?.kind) } }));
  const installable: readonly FunctionPackage[] = Object.values(FUNCTIONS);
  const functions = pipeline.map((s) => {
    const fn = installable.find((f) => f.name === s.functionRef?.name);
    if (!fn) {
      throw new Error(
        `${release.file}: step "${s.step}" runs function "${s.functionRef?.name}", which the platform no longer installs (FUNCTIONS in compositions/authoring/functions.ts): add it back, or move every environment off ${release.object.metadata.name} (npm run release -- promote <env>)`,
      );
    }
    return fn;
  });
  return { resources, functions: () => functions };
}
