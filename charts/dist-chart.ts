import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';

/** Argo CD sync waves: packages first, then their configs, XRDs, Compositions, and XRs last. */
export const WAVES = { packages: 0, providerConfigs: 1, definitions: 2, compositions: 3, composites: 4 } as const;

export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
/** Argo CD dry-runs every object before a sync; this skips it while the object's CRD is missing. */
export const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';

export interface DistChartProps {
  /** Path under dist/, e.g. `apis/network/definition.yaml`. */
  readonly file: string;
  /**
   * Argo CD sync wave of every object in the file.
   * @default - each object carries its own `argocd.argoproj.io/sync-wave` (one without fails synth)
   */
  readonly wave?: number;
  /**
   * The objects' CRDs are installed by a Crossplane package in an earlier wave, so Argo CD must
   * not dry-run them before that package is healthy.
   * @default false
   */
  readonly crdsFromPackages?: boolean;
  /**
   * Whether Argo CD syncs the file. An operator applies the others by hand (dist/bootstrap/):
   * their objects carry no sync annotations at all.
   * @default true
   */
  readonly syncedByArgoCd?: boolean;
}

/** The annotations Argo CD orders and applies an object by. */
export function syncAnnotations(wave: number, crdsFromPackages = false): Record<string, string> {
  return { [SYNC_WAVE]: String(wave), ...(crdsFromPackages ? { [SYNC_OPTIONS]: SKIP_DRY_RUN } : {}) };
}

/**
 * A chart that becomes one file of dist/. Every object of the file carries the file's sync wave
 * (or, in a file without one, its own), so what `toJson()` returns is exactly what lands in
 * dist/. An object's own sync annotation that the file's would change is refused, not overwritten.
 */
export class DistChart extends Chart {
  readonly file: string;
  readonly wave?: number;
  private readonly crdsFromPackages: boolean;
  private readonly syncedByArgoCd: boolean;

  constructor(scope: Construct, id: string, props: DistChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.file = props.file;
    this.wave = props.wave;
    this.crdsFromPackages = props.crdsFromPackages ?? false;
    this.syncedByArgoCd = props.syncedByArgoCd ?? true;
    if (!this.syncedByArgoCd && (props.wave !== undefined || this.crdsFromPackages))
      throw new Error(`${this.file}: Argo CD does not sync the file, so it takes no sync wave or sync options`);
  }

  override toJson(): any[] {
    return super.toJson().map((o: any) => {
      const annotations: Record<string, string> = { ...o.metadata?.annotations };
      const where = `${this.file}: ${o.kind} "${o.metadata?.name}"`;
      if (!this.syncedByArgoCd) {
        if (annotations[SYNC_WAVE] !== undefined || annotations[SYNC_OPTIONS] !== undefined)
          throw new Error(`${where} carries Argo CD sync annotations, but Argo CD does not sync ${this.file}: drop them`);
        return o;
      }
      if (this.wave === undefined && annotations[SYNC_WAVE] === undefined)
        throw new Error(`${where} has no sync wave: set its ${SYNC_WAVE} annotation, or give the file a wave`);
      for (const [key, value] of Object.entries(syncAnnotations(this.wave ?? Number(annotations[SYNC_WAVE]), this.crdsFromPackages))) {
        if (annotations[key] !== undefined && annotations[key] !== value)
          throw new Error(
            `${where} sets ${key}: "${annotations[key]}", which the file's "${value}" would overwrite: drop it, or give the file no wave and each object its own`,
          );
        annotations[key] = value;
      }
      return { ...o, metadata: { ...o.metadata, annotations } };
    });
  }
}
