// How a composition names what it creates in AWS, in one vocabulary every API uses: a stem (the
// XR fields a name starts from, in order of preference) and helpers that write it, suffixed or
// formatted, into the external-name annotation, the Name tag or any other field. A different
// scheme (another stem, a stem formatted from several fields) changes only the NameScheme a
// composition is built with; no composition writes a name patch of its own.
import { createHash } from 'node:crypto';
import {
  ResourcesEnvironmentPatchesCombineStrategy as EnvCombineStrategy,
  ResourcesEnvironmentPatchesTransformsStringConvert as EnvConvert,
  ResourcesEnvironmentPatchesType as EnvPatchType,
  ResourcesEnvironmentPatchesTransformsStringType as EnvStringType,
  ResourcesEnvironmentPatchesTransformsType as EnvTransformType,
  type ResourcesEnvironmentPatches,
} from '../../imports/pt.fn.crossplane.io';
import { envCombined, type Patch, prefer, type Source, xr } from './patches';

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
    // The environment holds no names of its own: only one the pipeline computed there (UniqueName).
    for (const s of props.stem)
      if (s.from !== 'xr' && !UNIQUE_SOURCES.has(s)) throw new Error(`a name stem is read from the XR or a UniqueName, not the ${s.from}`);
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

/** A patch of patch-and-transform's `environment.patches`: from the XR into the pipeline's environment. */
export type EnvironmentPatch = ResourcesEnvironmentPatches;

const UNIQUE_SOURCES = new WeakSet<Source>();

export interface UniqueNameProps {
  /** What a reader knows the names by: the first present of these XR fields. */
  readonly readable: readonly string[];
  /** XR fields whose values, together, no two XRs share: the names of two XRs differ wherever these do. */
  readonly identity: readonly string[];
  /** Hex digits of the identity's SHA-256 the name keeps. */
  readonly hashLength: number;
  /** Where in the pipeline's environment the parts are computed: a key no EnvironmentConfig's data has. */
  readonly key: string;
}

/**
 * A name unique to what makes an XR unique: `<readable>-<hash>`, the hash being the first hex
 * digits of the SHA-256 of the identity fields joined by "/" (no identity field can hold a "/":
 * they are Kubernetes names and environment names). Two XRs whose readable parts differ never
 * share a name (the hash has a fixed length, so the name splits back into its two parts); two
 * with the same readable part share one only if their hashes do, one chance in 16^hashLength for
 * a pair.
 *
 * It is computed inside the pipeline, by patch-and-transform's environment patches (string
 * transforms ToSha256 and Regexp, function-patch-and-transform transforms.go), before any
 * resource is patched, so every resource can use it in the same reconcile.
 */
export class UniqueName {
  readonly props: UniqueNameProps;

  constructor(props: UniqueNameProps) {
    if (!props.readable.length || !props.identity.length) throw new Error('a unique name needs readable and identity fields');
    if (props.hashLength < 4 || props.hashLength > 64) throw new Error(`hashLength ${props.hashLength}: keep 4 to 64 hex digits`);
    this.props = props;
  }

  /** Environment fields the name is computed into. */
  get fields(): { readonly readable: string; readonly hash: string } {
    return { readable: `${this.props.key}.readable`, hash: `${this.props.key}.hash` };
  }

  /** XR fields the computation reads. */
  reads(): string[] {
    return [...new Set([...this.props.readable, ...this.props.identity])];
  }

  /** The patches that compute it: the readable part (the last present field wins), then the hash. */
  environmentPatches(): EnvironmentPatch[] {
    const { readable, hash } = this.fields;
    return [
      ...[...this.props.readable]
        .reverse()
        .map((from) => ({ type: EnvPatchType.FROM_COMPOSITE_FIELD_PATH, fromFieldPath: from, toFieldPath: readable })),
      {
        type: EnvPatchType.COMBINE_FROM_COMPOSITE,
        combine: {
          variables: this.props.identity.map((fromFieldPath) => ({ fromFieldPath })),
          strategy: EnvCombineStrategy.STRING,
          string: { fmt: this.props.identity.map(() => '%s').join('/') },
        },
        toFieldPath: hash,
        transforms: [
          { type: EnvTransformType.STRING, string: { type: EnvStringType.CONVERT, convert: EnvConvert.TO_SHA256 } },
          { type: EnvTransformType.STRING, string: { type: EnvStringType.REGEXP, regexp: { match: `^[0-9a-f]{${this.props.hashLength}}` } } },
        ],
      },
    ];
  }

  /** The name as a source, for `prefer` and a NameScheme's stem. */
  source(): Source {
    const { readable, hash } = this.fields;
    const s = envCombined([readable, hash], '%s-%s');
    UNIQUE_SOURCES.add(s);
    return s;
  }

  /** The name of an XR whose fields hold `values` (by field path), as the pipeline computes it. */
  of(values: Readonly<Record<string, string | undefined>>): string {
    const readable = this.props.readable.map((f) => values[f]).find((v) => v !== undefined);
    const identity = this.props.identity.map((f) => {
      const v = values[f];
      if (v === undefined) throw new Error(`unique name: no value for identity field ${f}`);
      return v;
    });
    if (readable === undefined) throw new Error(`unique name: none of ${this.props.readable.join(', ')} has a value`);
    const hash = createHash('sha256').update(identity.join('/')).digest('hex').slice(0, this.props.hashLength);
    return `${readable}-${hash}`;
  }

  /** The longest name: a readable part of `maxReadable` characters, a dash and the hash. */
  maxLength(maxReadable: number): number {
    return maxReadable + 1 + this.props.hashLength;
  }
}
