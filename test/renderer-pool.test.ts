// The Renderer as plans use it: renders side by side in its pool, each function process started
// once and serving them all. Side by side must render exactly what one after another renders; a
// function that dies must fail the renders at once, named, with the end of its log; and no
// function process may outlive the Renderer or the process that started it.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionsOf } from '../compositions/authoring';
import { repoRoot } from '../lib/paths';
import { definitionsFor, Renderer } from '../lib/render';
import { findRenderTools } from '../lib/tools';
import { toYaml } from '../lib/yaml';
import { crds, exampleDir, examples, observedFor, platform, renderSetup, workingTreeObjects } from './support';

const setup = renderSetup();
const tools = findRenderTools(functionsOf(platform().compositions)).tools;

/** Whether a process of this id still runs (a zombie counts as ended). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = spawnSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' }).stdout;
  return !/\) [ZX] /.test(stat);
}

async function gone(pids: readonly number[], ms = 5_000): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return pids.filter(alive);
}

describe.skipIf(!setup.ready)('the Renderer renders side by side (real renderer)', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  it('renders every example side by side exactly as one after another, each answer for its own XR', async () => {
    // GIVEN every example of every API, observed as AWS reports it
    const objects = workingTreeObjects();
    const inputs = platform().compositions.flatMap((c) =>
      examples(exampleDir(c.api.kind)).map((e) => ({
        xr: e.object,
        ...definitionsFor(e.object, objects),
        observed: observedFor(c.api.kind, e.file),
      })),
    );
    expect(inputs.length).toBeGreaterThan(8);
    // WHEN all are rendered at once in the pool, and then one by one
    const together = await Promise.all(inputs.map((i) => setup.renderer.renderAsync(i)));
    const alone = inputs.map((i) => setup.renderer.render(i));
    // THEN byte for byte the same, in the order asked
    expect(setup.renderer.jobs).toBeGreaterThanOrEqual(1);
    for (const [i, input] of inputs.entries()) {
      expect(together[i].xr.metadata.name, 'answers in the order asked').toBe(input.xr.metadata.name);
      expect(toYaml([together[i].xr, ...together[i].composed]), `${input.xr.kind} ${input.xr.metadata.name}`).toBe(
        toYaml([alone[i].xr, ...alone[i].composed]),
      );
    }
  });
});

describe.skipIf(!setup.ready)('function processes of the Renderer (real renderer)', () => {
  it('fails renders at once when a function dies, naming it and showing the end of its log', async () => {
    // GIVEN a Renderer that has rendered once (so each function has logged)
    const objects = workingTreeObjects();
    const r = await Renderer.start(tools!, crds(), [], { jobs: 2 });
    try {
      const [e] = examples(exampleDir('Network'));
      const input = { xr: e.object, ...definitionsFor(e.object, objects) };
      r.render(input);
      // WHEN function-patch-and-transform dies
      const pid = r.pids.get('function-patch-and-transform')!;
      process.kill(pid, 'SIGKILL');
      expect(await gone([pid])).toEqual([]);
      // THEN both kinds of render fail at once (not after crank's one-minute wait for a connection)
      const started = Date.now();
      const message = await r.renderAsync(input).then(
        () => '',
        (err: Error) => err.message,
      );
      expect(message).toMatch(/function function-patch-and-transform \(pid \d+\) is no longer running[^;]*; its log ends:\n.*Running Function/s);
      expect(() => r.render(input)).toThrow(/function-patch-and-transform .*is no longer running/);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      r.stop();
    }
  });

  it('stops every function process on stop(), and when the process that started them exits without stop()', async () => {
    // GIVEN a Renderer stopped the ordinary way
    const r = await Renderer.start(tools!, crds());
    const pids = [...r.pids.values()];
    expect(pids.length).toBe(tools!.functions.size);
    expect(pids.every(alive)).toBe(true);
    r.stop();
    expect(await gone(pids)).toEqual([]);
    // AND a process that starts one and exits without stopping it
    const tsx = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs');
    const code = `const {Renderer}=require('./lib/render');const {findRenderTools}=require('./lib/tools');const {functionsOf}=require('./compositions/authoring');const {buildPlatform}=require('./main');const {CrdCatalog}=require('./lib/crds');
const c=new CrdCatalog();Renderer.start(findRenderTools(functionsOf(buildPlatform({plural:(a,k)=>c.plural(a,k)}).compositions)).tools,c).then((r)=>{console.log(JSON.stringify([...r.pids.values()]));process.exit(0);});`;
    const res = spawnSync(process.execPath, ['--import', tsx, '-e', code], { cwd: repoRoot, encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    const orphans: number[] = JSON.parse(res.stdout.trim().split('\n').pop()!);
    expect(orphans.length).toBe(tools!.functions.size);
    // THEN none of its functions is left running
    expect(await gone(orphans)).toEqual([]);
  }, 60_000);
});
