// npm run plan [-- --base <ref>] [--strict] [--format md] [--out FILE]
//
// What a change does to every XR before it merges: each platform-owned XR (dist/clusters/) and
// every API example is rendered down its whole tree with the real renderer, once with the base
// ref's committed dist/ (default: the merge base with main, what Argo CD runs today) and once with
// the working tree synthesized afresh, and the differences are printed and judged. Exits 1 when
// the working tree fails to synthesize or render, and with --strict also when a change is
// destructive; 2 on a usage error.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { ENVIRONMENTS } from '../environments';
import { CrdCatalog } from '../lib/crds';
import { repoRoot, toolCacheDir } from '../lib/paths';
import {
  engineKey,
  folderSource,
  functionPackages,
  gitSource,
  mergeBase,
  type PlanSide,
  plan,
  planExitCode,
  planMarkdown,
  planText,
  RenderCache,
  readSide,
  resolveCommit,
  rollout,
  rolloutMarkdown,
  rolloutText,
  TreeRenderer,
} from '../lib/plan';
import { Renderer } from '../lib/render';
import { explainMissing, findRenderTools, type RenderTools } from '../lib/tools';
import { SynthError, synth } from './synth';

const USAGE = 'usage: npm run plan [-- --base <git ref>] [--strict] [--format text|md] [--out FILE] [--no-cache]';

/** The working tree's side: synthesized into a scratch folder, so a stale dist/ cannot mislead. */
function workingTree(scratch: string): PlanSide {
  synth({ outDir: scratch });
  const head = resolveCommit(repoRoot, 'HEAD').slice(0, 7);
  return readSide({
    label: `working tree (HEAD ${head})`,
    dist: folderSource(scratch, 'synthesized working tree'),
    distPrefix: '',
    repo: folderSource(repoRoot, 'working tree'),
  });
}

function baseSide(ref: string | undefined): PlanSide {
  const commit = ref ? resolveCommit(repoRoot, ref) : mergeBase(repoRoot, 'main');
  const label = `${ref ?? 'merge base with main'} (${commit.slice(0, 7)})`;
  const src = gitSource(repoRoot, commit, label);
  return readSide({ label, dist: src, distPrefix: 'dist/', repo: src });
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  const parse = () =>
    parseArgs({
      options: {
        base: { type: 'string' },
        'no-cache': { type: 'boolean', default: false },
        strict: { type: 'boolean', default: false },
        format: { type: 'string', default: 'text' },
        out: { type: 'string' },
      },
    });
  try {
    args = parse();
  } catch (e) {
    console.error(`plan: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values } = args;
  if (values.format !== 'text' && values.format !== 'md') {
    console.error(`plan: --format "${values.format}" is not known: use text or md\n${USAGE}`);
    return 2;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-plan-'));
  const started: Renderer[] = [];
  try {
    const base = baseSide(values.base);
    const head = workingTree(path.join(scratch, 'dist'));
    const catalog = new CrdCatalog();
    // Each side renders with its own function versions when the cache has them; else the base
    // renders with the working tree's, and the report says so (a function upgrade then shows no effect).
    const headTools = findRenderTools(functionPackages(head));
    if (!headTools.tools) {
      console.error(`plan: ${explainMissing(headTools.missing)}`);
      return 1;
    }
    const baseTools = findRenderTools(functionPackages(base)).tools ?? headTools.tools;
    if (baseTools === headTools.tools && JSON.stringify(functionPackages(base)) !== JSON.stringify(functionPackages(head))) {
      console.warn("plan: the base's function versions are not in the tool cache; the base renders with the working tree's");
    }
    const start = async (tools: RenderTools, side: PlanSide) => {
      const r = await Renderer.start(
        tools,
        catalog,
        side.objects.filter((o) => o.kind === 'CompositeResourceDefinition'),
        { remember: true },
      );
      started.push(r);
      return r;
    };
    const headRenderer = await start(headTools.tools, head);
    const sameEngine = engineKey(baseTools) === engineKey(headTools.tools);
    const baseRenderer = sameEngine ? headRenderer : await start(baseTools, base);
    // Both sides are observed alike (the working tree's fixtures, else the base's): the plan
    // shows what the compositions and environments change, not what a fixture edit changes.
    const fixtures = new Map([...base.fixtures, ...head.fixtures]);
    const memo = !values['no-cache'] ? new RenderCache(path.join(toolCacheDir(), 'plan-renders')) : new Map();
    const made: TreeRenderer[] = [];
    const renderer = (side: PlanSide, r: Renderer, tools: RenderTools) => {
      const tree = new TreeRenderer({ renderer: r, objects: side.objects, fixtures, engine: engineKey(tools), memo });
      made.push(tree);
      return tree;
    };
    const t = process.hrtime.bigint();
    const result = await plan({
      base,
      head,
      renderers: { base: renderer(base, baseRenderer, baseTools), head: renderer(head, headRenderer, headTools.tools) },
    });
    const order = [...ENVIRONMENTS].sort((a, b) => a.rollout - b.rollout || a.name.localeCompare(b.name)).map((e) => e.name);
    const rollouts = await rollout({ base, head, plan: result, order, renderer: (side) => renderer(side, headRenderer, headTools.tools!) });
    const seconds = Number(process.hrtime.bigint() - t) / 1e9;
    const color = !values.out && !!process.stdout.isTTY && !process.env.NO_COLOR;
    const text =
      values.format === 'md'
        ? `${planMarkdown(result)}\n${rolloutMarkdown(rollouts)}`
        : `${planText(result, { color })}\n\n${rolloutText(rollouts, { color })}`;
    if (values.out) fs.writeFileSync(values.out, `${text}\n`);
    else console.log(text);
    const stat = (k: keyof TreeRenderer['stats']) => made.reduce((n, tree) => n + tree.stats[k], 0);
    const cranks = started.reduce((n, r) => n + r.crankRuns, 0);
    console.error(
      `plan: ${result.xrs.length} XR trees in ${seconds.toFixed(1)} s: ${stat('renders')} renders run (${cranks} crank runs, up to ${headRenderer.jobs} at once), ${stat('shared')} shared, ${stat('reused')} trees reused unchanged`,
    );
    return planExitCode(result, { strict: !!values.strict });
  } catch (e) {
    console.error(e instanceof SynthError ? `plan: the working tree does not synthesize:\n${e.message}` : `plan: ${(e as Error).message}`);
    return 1;
  } finally {
    for (const r of started) r.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().then((code) => {
  process.exitCode = code;
});
