import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';

/**
 * A chart that becomes one file of dist/. Argo CD applies waves in order, so every object of
 * the file carries the file's sync wave.
 */
export class DistChart extends Chart {
  constructor(
    scope: Construct,
    id: string,
    /** Path under dist/, e.g. `apis/network/definition.yaml`. */
    readonly file: string,
    /** Argo CD sync wave: packages 0, provider configs 1, XRDs 2, Compositions 3, XRs 4. */
    readonly wave: number,
    /** The objects' CRDs are installed by a Crossplane package in an earlier wave. */
    readonly crdsFromPackages = false,
  ) {
    super(scope, id, { disableResourceNameHashes: true });
  }
}

export const WAVES = { packages: 0, providerConfigs: 1, definitions: 2, compositions: 3, composites: 4 } as const;
