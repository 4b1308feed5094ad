import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';

/** Argo CD sync waves: packages first, then their configs, XRDs, Compositions, and XRs last. */
export const WAVES = { packages: 0, providerConfigs: 1, definitions: 2, compositions: 3, composites: 4 } as const;

export interface DistChartProps {
  /** Path under dist/, e.g. `apis/network/definition.yaml`. */
  readonly file: string;
  /** Argo CD sync wave of every object in the file. */
  readonly wave: number;
  /**
   * The objects' CRDs are installed by a Crossplane package in an earlier wave, so Argo CD must
   * not dry-run them before that package is healthy.
   * @default false
   */
  readonly crdsFromPackages?: boolean;
}

/** The annotations Argo CD orders and applies an object by. */
export function syncAnnotations(wave: number, crdsFromPackages = false): Record<string, string> {
  return {
    'argocd.argoproj.io/sync-wave': String(wave),
    ...(crdsFromPackages ? { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' } : {}),
  };
}

/**
 * A chart that becomes one file of dist/. Every object of the file carries the file's sync wave,
 * so what `toJson()` returns is exactly what lands in dist/.
 */
export class DistChart extends Chart {
  readonly file: string;
  readonly wave: number;
  private readonly crdsFromPackages: boolean;

  constructor(scope: Construct, id: string, props: DistChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.file = props.file;
    this.wave = props.wave;
    this.crdsFromPackages = props.crdsFromPackages ?? false;
  }

  override toJson(): any[] {
    return super.toJson().map((o: any) => ({
      ...o,
      metadata: { ...o.metadata, annotations: { ...o.metadata?.annotations, ...syncAnnotations(this.wave, this.crdsFromPackages) } },
    }));
  }
}
