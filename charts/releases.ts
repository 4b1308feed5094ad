import type { Construct } from 'constructs';
import type { FrozenRelease } from '../lib/releases';
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
