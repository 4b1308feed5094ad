// How a composition names what it creates in AWS, in one vocabulary every API uses: a stem (the
// XR fields a name starts from, in order of preference) and helpers that write it, suffixed or
// formatted, into the external-name annotation, the Name tag or any other field. A different
// scheme (another stem, a stem formatted from several fields) changes only the NameScheme a
// composition is built with; no composition writes a name patch of its own.
import { type Patch, prefer, type Source, xr } from './patches';

/** Where Crossplane keeps the name of the external resource. */
export const EXTERNAL_NAME = 'metadata.annotations[crossplane.io/external-name]';
/** The AWS Name tag of a managed resource. */
export const NAME_TAG = 'spec.forProvider.tags[Name]';

export interface NameSchemeProps {
  /**
   * What every name starts from, in order of preference: XR fields (`xr('spec.clusterName')`,
   * then `xr('metadata.name')`), or one formatted from several (`combined([...], '%s-%s')`).
   */
  readonly stem: readonly Source[];
}

export class NameScheme {
  private readonly stems: readonly Source[];

  constructor(props: NameSchemeProps) {
    if (!props.stem.length) throw new Error('a name scheme needs at least one stem source');
    for (const s of props.stem) if (s.from !== 'xr') throw new Error(`a name stem is read from the XR, not the ${s.from}`);
    this.stems = props.stem;
  }

  /** The stem as it is, into `to`. */
  stem(to: string): Patch[] {
    return prefer(this.stems, to);
  }

  /**
   * `template` with the stem in place of its first `%s`, into `to` (`alias/eks/%s`); `with` are
   * XR fields for any later `%s` (`%s-final-%s` with `metadata.uid`).
   */
  format(to: string, template: string, options: { with?: readonly string[] } = {}): Patch[] {
    if (!template.includes('%s')) throw new Error(`name template "${template}" has no %s for the stem`);
    return prefer(
      this.stems.map((s) => ({ ...s, paths: [...s.paths, ...(options.with ?? [])], format: template.replace('%s', s.format ?? '%s') })),
      to,
    );
  }

  /** `<stem><suffix>` into `to`. */
  named(to: string, suffix = ''): Patch[] {
    return this.format(to, `%s${suffix}`);
  }

  /** `<stem><suffix>` as the external resource's name. */
  externalName(suffix = ''): Patch[] {
    return this.named(EXTERNAL_NAME, suffix);
  }

  /** `<stem><suffix>` as the AWS Name tag. */
  tag(suffix = ''): Patch[] {
    return this.named(NAME_TAG, suffix);
  }
}

/** A name scheme whose stem is the first present of these XR fields. */
export const stemOf = (...fields: string[]): NameScheme => new NameScheme({ stem: fields.map((f) => xr(f)) });
