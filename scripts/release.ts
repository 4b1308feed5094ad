// npm run release                    cut a release of each child API whose working-tree Composition
//                                    differs from its newest release (releases/<composition>/rN.yaml)
// npm run release -- promote <env>   give <env> the Compositions of the environment one rollout step
//                                    before it (dev's working tree is cut first), in environments/<env>.ts
//
// Each writes files a reviewer reads in one commit; `npm run synth` and `npm run plan` then show
// what the environment's XRs get. See README, "Changing a platform API safely".
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ENVIRONMENTS } from '../environments';
import type { ChildApi } from '../environments/environment';
import { repoRoot } from '../lib/paths';
import { EDGE, type FrozenRelease, freeze, nextRelease, RELEASE_LABEL, RELEASES_DIR, readReleases, releaseFile } from '../lib/releases';
import { readYamlDocs } from '../lib/yaml';
import { buildPlatform } from '../main';
import { synth } from './synth';

const USAGE = 'usage: npm run release            (cut what changed)\n       npm run release -- promote <environment>';
const CHILD_APIS: readonly ChildApi[] = ['network', 'eks', 'database'];

/**
 * The working tree's Composition of each child API, as synth writes it (validated), read with
 * every environment on the working tree: a release in use that no longer fits the working tree's
 * XRDs must not stop the cut that replaces it.
 */
function edgeCompositions(): Map<ChildApi, any> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-release-'));
  try {
    synth({ outDir: scratch, build: (props) => buildPlatform({ ...props, runs: 'working-tree' }) });
    return new Map(CHILD_APIS.map((api) => [api, readYamlDocs(path.join(scratch, 'apis', api, 'composition.yaml'))[0]]));
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Two Compositions that would compose alike: the same spec, labels and annotations, names aside. */
function sameContent(a: any, b: any): boolean {
  const strip = (o: any) => {
    const { [RELEASE_LABEL]: _, ...labels } = o.metadata.labels ?? {};
    return JSON.stringify([o.spec, labels, o.metadata.annotations]);
  };
  return strip(a) === strip(b);
}

function gitDescription(): string {
  const head = spawnSync('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['-C', repoRoot, 'status', '--porcelain', '--', 'compositions', 'environments'], { encoding: 'utf8' }).stdout.trim();
  return dirty ? `commit ${head} with uncommitted changes` : `commit ${head}`;
}

/** The newest release of each child API, cutting one where the working tree differs from it. */
function cut(edge: Map<ChildApi, any>): Map<ChildApi, FrozenRelease> {
  const releases = readReleases();
  const out = new Map<ChildApi, FrozenRelease>();
  for (const api of CHILD_APIS) {
    const composition = edge.get(api).metadata.name;
    const newest = releases.filter((r) => r.composition === composition).sort((a, b) => Number(b.id.slice(1)) - Number(a.id.slice(1)))[0];
    if (newest && sameContent(newest.object, edge.get(api))) {
      console.log(`${composition}: the working tree is ${newest.id} already`);
      out.set(api, newest);
      continue;
    }
    const id = nextRelease(releases, composition);
    const release = { composition, id, object: freeze(edge.get(api), id) };
    const file = path.join(RELEASES_DIR, composition, `${id}.yaml`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, releaseFile(release, gitDescription()));
    console.log(`${composition}: cut ${id} (${path.relative(repoRoot, file)})`);
    out.set(api, { ...release, file: path.relative(repoRoot, file) });
  }
  return out;
}

/** environments/<env>.ts with its `compositions` line set to `pins`. */
function withPins(file: string, pins: Record<string, string>): string {
  const text = fs.readFileSync(file, 'utf8');
  const line = `compositions: { ${CHILD_APIS.map((api) => `${api}: '${pins[api]}'`).join(', ')} },`;
  const existing = /^(\s*)compositions: \{[^}\n]*\},?$/m;
  if (!existing.test(text)) {
    throw new Error(
      `${path.relative(repoRoot, file)} has no one-line "compositions: { ... }," to move: add \`${line}\` to its defineEnvironment({...}) and run this again`,
    );
  }
  return text.replace(existing, `$1${line}`);
}

function promote(name: string): void {
  const env = ENVIRONMENTS.find((e) => e.name === name);
  if (!env) throw new Error(`"${name}" is not an environment: use one of ${ENVIRONMENTS.map((e) => e.name).join(', ')}`);
  const before = ENVIRONMENTS.filter((e) => e.rollout < env.rollout).sort((a, b) => b.rollout - a.rollout)[0];
  const pinsOf = (e: typeof env | undefined) => Object.fromEntries(CHILD_APIS.map((api) => [api, e?.compositions?.[api] ?? EDGE]));
  const source = pinsOf(before);
  // What runs as edge one step before is cut, so this environment gets a frozen copy of it.
  const releases = CHILD_APIS.some((api) => source[api] === EDGE) ? cut(edgeCompositions()) : new Map<ChildApi, FrozenRelease>();
  const pins = Object.fromEntries(CHILD_APIS.map((api) => [api, source[api] === EDGE ? releases.get(api)!.id : source[api]]));
  const current = pinsOf(env);
  const moves = CHILD_APIS.filter((api) => current[api] !== pins[api]).map((api) => `${api} ${current[api]} -> ${pins[api]}`);
  if (!moves.length) {
    console.log(`${name} runs what ${before?.name ?? 'the working tree'} runs already: nothing to promote`);
    return;
  }
  const file = path.join(repoRoot, 'environments', `${name}.ts`);
  fs.writeFileSync(file, withPins(file, pins));
  console.log(
    `${name}: ${moves.join(', ')} (from ${before?.name ?? 'the working tree'}) in environments/${name}.ts\nnext: npm run synth, then npm run plan to review what ${name}'s XRs get; commit releases/, environments/ and dist/ together`,
  );
}

function main(): number {
  const args = process.argv.slice(2);
  try {
    if (args.length === 0) {
      cut(edgeCompositions());
      console.log('next: npm run release -- promote <environment> to give it these releases');
      return 0;
    }
    if (args[0] === 'promote' && args.length === 2) {
      promote(args[1]);
      return 0;
    }
    console.error(USAGE);
    return 2;
  } catch (e) {
    console.error(`release: ${(e as Error).message}`);
    return 1;
  }
}

process.exitCode = main();
