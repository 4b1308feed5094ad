// The two sides a plan compares, each read from a tree of files: the dist/ objects that decide
// how XRs render (XRDs, Compositions, EnvironmentConfigs, the add-on ApplicationSets, the
// Function versions), the XRs to render (dist/clusters/ and every API's examples) and the
// observed fixtures that stand in for AWS.
//
// The base side is read from git at the base ref: its committed dist/ is what Argo CD syncs from
// main today (`.ci/run` refuses a commit whose dist/ is not what synth writes), so it is the
// truth about what runs. The working tree's side is synthesized afresh (scripts/plan.ts), so a
// stale dist/ in the working tree cannot hide a change.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FunctionPackage } from '../../compositions/authoring/functions';
import type { ObservedFixture } from '../render';
import { parseYamlDocs } from '../yaml';

/** A tree of files: a folder on disk or a commit in git. Paths are relative and use '/'. */
export interface FileSource {
  /** What a reader calls this tree: "working tree", "main (1a2b3c4)". */
  readonly label: string;
  /** Every file under `dir`, recursively, sorted. */
  list(dir: string): string[];
  /** The file's text, or undefined when the tree has no such file. */
  read(file: string): string | undefined;
}

/** Files on disk under `root`. */
export function folderSource(root: string, label: string): FileSource {
  return {
    label,
    list: (dir) => {
      const full = path.join(root, dir);
      if (!fs.existsSync(full)) return [];
      return fs
        .readdirSync(full, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
        .sort();
    },
    read: (file) => (fs.existsSync(path.join(root, file)) ? fs.readFileSync(path.join(root, file), 'utf8') : undefined),
  };
}

function git(repo: string, args: string[]): string {
  const res = spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (res.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${res.stderr.trim()}`);
  return res.stdout;
}

/** The commit `ref` names in `repo`, or an error naming the ref and how to find one. */
export function resolveCommit(repo: string, ref: string): string {
  const res = spawnSync('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`base "${ref}" is not a commit here: give a branch, tag or commit (git log --oneline shows some)`);
  return res.stdout.trim();
}

/** The merge base of HEAD with `branch` (or `origin/<branch>` in a clone without it): what a pull request is compared with. */
export function mergeBase(repo: string, branch: string): string {
  const local = spawnSync('git', ['-C', repo, 'rev-parse', '--verify', '--quiet', `${branch}^{commit}`], { encoding: 'utf8' }).status === 0;
  return git(repo, ['merge-base', 'HEAD', resolveCommit(repo, local ? branch : `origin/${branch}`)]).trim();
}

/** Files of `commit` in `repo`, read with git (nothing is checked out). */
export function gitSource(repo: string, commit: string, label: string): FileSource {
  const files = git(repo, ['ls-tree', '-r', '-z', '--name-only', commit]).split('\0').filter(Boolean).sort();
  const known = new Set(files);
  const texts = new Map<string, string>();
  return {
    label,
    list: (dir) => files.filter((f) => f.startsWith(`${dir.replace(/\/$/, '')}/`)),
    read: (file) => {
      if (!known.has(file)) return undefined;
      if (!texts.has(file)) texts.set(file, git(repo, ['show', `${commit}:${file}`]));
      return texts.get(file);
    },
  };
}

/** A top-level XR the plan renders: a platform-owned XR from dist/clusters/ or an API's example. */
export interface PlanXr {
  /** How base and head are paired: the XR's identity, and the example file for examples. */
  readonly key: string;
  /** `Cluster platform/platform-sandbox`. */
  readonly title: string;
  /** The file it comes from, relative to the repository. */
  readonly source: string;
  readonly xr: any;
  /** Its own fixture (an example's `observed/<file>`); else its API's default fixture is used. */
  readonly observed?: ObservedFixture;
}

/** Everything one side of a plan renders with. */
export interface PlanSide {
  readonly label: string;
  /** dist/ objects: XRDs, Compositions, EnvironmentConfigs, ApplicationSets, Functions. */
  readonly objects: readonly any[];
  readonly xrs: readonly PlanXr[];
  /** The fixture an XR of this kind is observed with when it has none of its own, by kind. */
  readonly fixtures: ReadonlyMap<string, ObservedFixture>;
}

const title = (o: any) => `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;

function yamlDocs(src: FileSource, file: string): any[] {
  const text = src.read(file);
  if (text === undefined) return [];
  try {
    return parseYamlDocs(text);
  } catch (e) {
    throw new Error(`${src.label}: ${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
}

function fixture(src: FileSource, file: string): ObservedFixture | undefined {
  const [doc] = yamlDocs(src, file);
  if (doc === undefined) return undefined;
  if (typeof doc.ready !== 'boolean') throw new Error(`${src.label}: ${file}: "ready" must be true or false`);
  return doc;
}

/**
 * One side of a plan. `dist` holds the dist/ tree (the repository itself for a git ref, a
 * fresh synth for the working tree); `repo` the compositions/ folder with the examples.
 */
export function readSide(props: {
  readonly label: string;
  readonly dist: FileSource;
  readonly distPrefix: string;
  readonly repo: FileSource;
}): PlanSide {
  const { dist, repo } = props;
  const at = (p: string) => `${props.distPrefix}${p}`;
  const objects = [...dist.list(at('apis')).filter((f) => f.endsWith('.yaml')), at('argocd/addons.yaml'), at('crossplane/functions.yaml')].flatMap(
    (f) => yamlDocs(dist, f),
  );
  // Platform-owned XRs as Argo CD applies them (dist/clusters/).
  const clusters = dist
    .list(at('clusters'))
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => yamlDocs(dist, f).map((xr) => ({ xr, file: `dist/${f.slice(props.distPrefix.length)}` })));
  return sideOf({ label: props.label, objects, platformXrs: clusters, repo });
}

/**
 * A side from dist objects built in process and the platform-owned XRs of `repo`'s claims/ (as
 * synth copies them to dist/clusters/), with the examples of `repo`.
 */
export function sideFromObjects(props: { readonly label: string; readonly objects: readonly any[]; readonly repo: FileSource }): PlanSide {
  const claims = props.repo
    .list('claims')
    .filter((f) => /\.ya?ml$/.test(f))
    .flatMap((f) => yamlDocs(props.repo, f).map((xr) => ({ xr, file: f })));
  return sideOf({ ...props, platformXrs: claims });
}

function sideOf(props: {
  readonly label: string;
  readonly objects: readonly any[];
  readonly platformXrs: readonly { xr: any; file: string }[];
  readonly repo: FileSource;
}): PlanSide {
  const { repo } = props;
  // Named by their claims/ file where there is one.
  const claimFiles = new Map<string, string>();
  for (const f of repo.list('claims').filter((f) => /\.ya?ml$/.test(f))) for (const o of yamlDocs(repo, f)) claimFiles.set(title(o), f);
  const xrs: PlanXr[] = props.platformXrs.map(({ xr, file }) => ({
    key: title(xr),
    title: title(xr),
    source: claimFiles.get(title(xr)) ?? file,
    xr,
  }));
  const fixtures = new Map<string, ObservedFixture>();
  const xrds = props.objects
    .filter((o) => o.kind === 'CompositeResourceDefinition')
    .sort((a, b) => a.spec.names.kind.localeCompare(b.spec.names.kind));
  for (const xrd of xrds) {
    const dir = examplesDir(repo, xrd.spec.names.kind);
    if (!dir) continue;
    const observedFiles = repo.list(`${dir}/observed`).filter((f) => f.endsWith('.yaml'));
    // An API's default fixture: observed/default.yaml, or its only fixture.
    const byDefault = observedFiles.find((f) => f.endsWith('/default.yaml')) ?? (observedFiles.length === 1 ? observedFiles[0] : undefined);
    const found = byDefault && fixture(repo, byDefault);
    if (found) fixtures.set(xrd.spec.names.kind, found);
    for (const f of repo.list(dir).filter((f) => /^[^/]+\.yaml$/.test(f.slice(dir.length + 1)))) {
      for (const xr of yamlDocs(repo, f)) {
        xrs.push({ key: `${f}#${title(xr)}`, title: title(xr), source: f, xr, observed: fixture(repo, `${dir}/observed/${path.posix.basename(f)}`) });
      }
    }
  }
  return { label: props.label, objects: props.objects, xrs, fixtures };
}

/** compositions/<api>/examples of the API whose examples are XRs of `kind`. */
function examplesDir(repo: FileSource, kind: string): string | undefined {
  const dirs = [
    ...new Set(
      repo
        .list('compositions')
        .map((f) => /^(compositions\/[^/]+\/examples)\/[^/]+\.yaml$/.exec(f)?.[1])
        .filter(Boolean),
    ),
  ] as string[];
  return dirs.find((d) =>
    repo
      .list(d)
      .filter((f) => /^[^/]+\.yaml$/.test(f.slice(d.length + 1)))
      .some((f) => yamlDocs(repo, f).some((o) => o.kind === kind)),
  );
}

/** The Function packages a side's dist/ installs: what its pipelines run, at its versions. */
export function functionPackages(side: PlanSide): FunctionPackage[] {
  return side.objects
    .filter((o) => o.kind === 'Function' && o.apiVersion?.startsWith('pkg.crossplane.io/'))
    .map((o) => {
      const pkg = String(o.spec.package);
      return { name: o.metadata.name, package: pkg, module: '', version: pkg.slice(pkg.lastIndexOf(':') + 1) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
