// Releases of the child APIs' Compositions, so a change reaches production last.
//
// Crossplane keeps every version of a Composition as a CompositionRevision (named
// `<composition>-<first 7 hex of a sha256 over its labels, annotations and spec>`, labelled
// `crossplane.io/composition-name` and `crossplane.io/composition-hash` plus the Composition's own
// labels: internal/controller/apiextensions/composition/revision.go at the crank tag of catalog/,
// TOOLS.crank), and an XR follows the newest revision of its Composition (compositionUpdatePolicy
// Automatic), or the newest whose labels match its compositionRevisionSelector, or stays on its
// compositionRevisionRef (Manual): internal/controller/apiextensions/composite/api.go,
// APIRevisionFetcher. Revisions live only in
// the cluster, though: the renderer, this plan and a control cluster rebuilt from git cannot get
// an old revision's content, and Crossplane picks a Composition by a reference, a label selector
// or the XRD's default, never by a field of the XR such as spec.environment.
//
// So each released version is a Composition of its own, frozen as data in releases/<composition>/
// <release>.yaml (`npm run release` cuts one from the working tree) and shipped to dist/ as it is;
// each environment names the release its Clusters compose with (environments/<env>.ts,
// `compositions`), and the Cluster composition writes that name into each child XR's
// spec.crossplane.compositionRef. Within one name, Crossplane's revisions still apply: a frozen
// Composition never changes, so its XRs keep one revision.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './paths';
import { resolveFieldPath } from './schema';
import { parseYamlDocs, toYaml } from './yaml';

/** The release id of the working tree's Compositions (compositions/), which dev runs. */
export const EDGE = 'edge';
export const RELEASE_LABEL = 'platform.drydock.dev/release';
export const RELEASES_DIR = path.join(repoRoot, 'releases');

/** A Composition frozen at one release. */
export interface FrozenRelease {
  /** The working tree's Composition it was cut from: `eks-aws`. */
  readonly composition: string;
  /** `r1`, `r2`, ...: one sequence per Composition. */
  readonly id: string;
  /** Relative to the repository: `releases/eks-aws/r1.yaml`. */
  readonly file: string;
  /** The Composition object, named `<composition>-<id>`, as dist/ carries it. */
  readonly object: any;
}

/** The Composition an environment runs for `release` of `composition`. */
export const releaseName = (composition: string, release: string): string => (release === EDGE ? composition : `${composition}-${release}`);

const RELEASE_ID = /^r[1-9][0-9]*$/;

/** Every release under `dir`, checked: one Composition per file, named and labelled for its file. */
export function readReleases(dir: string = RELEASES_DIR): FrozenRelease[] {
  if (!fs.existsSync(dir)) return [];
  const out: FrozenRelease[] = [];
  for (const composition of fs.readdirSync(dir).sort()) {
    if (!fs.statSync(path.join(dir, composition)).isDirectory()) continue;
    for (const f of fs.readdirSync(path.join(dir, composition)).sort()) {
      const file = path.relative(repoRoot, path.join(dir, composition, f));
      const id = f.replace(/\.yaml$/, '');
      if (!f.endsWith('.yaml') || !RELEASE_ID.test(id))
        throw new Error(`${file}: a release file is named r<N>.yaml (r1, r2, ...): rename it or remove it`);
      const docs = parseYamlDocs(fs.readFileSync(path.join(dir, composition, f), 'utf8'));
      const [object] = docs;
      const want = releaseName(composition, id);
      if (docs.length !== 1 || object?.kind !== 'Composition' || object.metadata?.name !== want || object.metadata?.labels?.[RELEASE_LABEL] !== id) {
        throw new Error(
          `${file}: must hold one Composition named "${want}" labelled ${RELEASE_LABEL}: ${id}; releases are cut by npm run release and never edited: restore it from git`,
        );
      }
      out.push({ composition, id, file, object });
    }
  }
  return out;
}

/** The working tree's Composition (as dist/ carries it) frozen as release `id`. */
export function freeze(edge: any, id: string): any {
  return {
    ...edge,
    metadata: { ...edge.metadata, name: releaseName(edge.metadata.name, id), labels: { ...edge.metadata.labels, [RELEASE_LABEL]: id } },
  };
}

/** The text of a release file: a header saying what it is, then the frozen Composition. */
export function releaseFile(release: Omit<FrozenRelease, 'file'>, from: string): string {
  return `# Release ${release.id} of the Composition ${release.composition}, cut by \`npm run release\` from ${from}.\n# Never edit: environments run it by name (environments/<env>.ts, compositions). Cut a new release instead.\n${toYaml([release.object])}`;
}

/** The id after the newest release of `composition`. */
export function nextRelease(releases: readonly FrozenRelease[], composition: string): string {
  const numbers = releases.filter((r) => r.composition === composition).map((r) => Number(r.id.slice(1)));
  return `r${Math.max(0, ...numbers) + 1}`;
}

/**
 * The Composition names an environment's XRs run, by child API, from its `compositions` pins;
 * refused with the file, the field and the choices when a pin names no release.
 */
export function pinnedCompositions(
  env: { readonly name: string; readonly compositions?: Readonly<Record<string, string | undefined>> },
  edge: Readonly<Record<string, string>>,
  releases: readonly FrozenRelease[],
): Record<string, string> {
  const unknown = Object.keys(env.compositions ?? {}).filter((api) => !(api in edge));
  if (unknown.length) {
    throw new Error(`environments/${env.name}.ts: compositions.${unknown[0]} is not a child API: use ${Object.keys(edge).join(', ')}`);
  }
  return Object.fromEntries(
    Object.entries(edge).map(([api, composition]) => {
      const release = env.compositions?.[api] ?? EDGE;
      const known = releases.filter((r) => r.composition === composition).map((r) => r.id);
      if (release !== EDGE && !known.includes(release)) {
        throw new Error(
          `environments/${env.name}.ts: compositions.${api} = "${release}" is not a release of ${composition}: cut one with npm run release, or use one of ${[EDGE, ...known].join(', ')}`,
        );
      }
      return [api, releaseName(composition, release)];
    }),
  );
}

/** The XR fields a patch-and-transform patch reads (`reads`) or writes (`writes`), by patch type. */
function xrFields(patch: any): { reads: string[]; writes: string[] } {
  const variables = (patch.combine?.variables ?? []).map((v: any) => String(v.fromFieldPath));
  switch (patch.type ?? 'FromCompositeFieldPath') {
    case 'FromCompositeFieldPath':
      return { reads: [patch.fromFieldPath], writes: [] };
    case 'CombineFromComposite':
      return { reads: variables, writes: [] };
    case 'ToCompositeFieldPath':
    case 'CombineToComposite':
      return { reads: [], writes: [patch.toFieldPath] };
    default:
      return { reads: [], writes: [] };
  }
}

/**
 * What would make a release in use silently compose less: a patch that reads or writes an XR
 * field the API's XRD (shared with the working tree, `xrSchema`) no longer has. Patch-and-transform
 * skips a patch whose source field is absent, so without this a renamed field would leave
 * staging and production without whatever it set, with no error anywhere.
 */
export function releaseProblems(release: FrozenRelease, xrSchema: unknown): string[] {
  const out: string[] = [];
  const steps: any[] = release.object.spec?.pipeline ?? [];
  for (const r of steps.filter((s) => s.input?.kind === 'Resources').flatMap((s) => s.input.resources ?? [])) {
    for (const patch of r.patches ?? []) {
      const { reads, writes } = xrFields(patch);
      for (const [role, fields] of [
        ['reads', reads],
        ['writes', writes],
      ] as const) {
        for (const field of fields) {
          const found = resolveFieldPath(xrSchema, field);
          if (found.ok) continue;
          out.push(
            `${release.file}: resource "${r.name}" ${role} the XR at "${field}", which the ${release.object.spec.compositeTypeRef.kind} XRD no longer has (${found.problem}): environments running ${release.object.metadata.name} need it; keep the field until they run a later release (npm run release -- promote <env>)`,
          );
        }
      }
    }
  }
  return out;
}
