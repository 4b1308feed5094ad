// npm run bench [-- plan]: synth time and peak memory, type-check time, validation and render time
// per XR, one Cluster end to end, how synth grows with 10, 100 and 1000 Cluster XRs, plan time, and
// a local control cluster's start-up, memory and Cluster-to-Ready time (bench-controlplane.ts).
// Medians of several runs, each in a fresh process, as a user would run them. Numbers only:
// nothing fails.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { functionsOf } from '../compositions/authoring';
import { ADDONS } from '../compositions/cluster/definition';
import { CLUSTER_SECRET } from '../compositions/cluster/registration';
import { ENVIRONMENTS } from '../environments';
import { PLATFORM } from '../environments/platform';
import { renderApplicationSets } from '../lib/argocd';
import { CrdCatalog } from '../lib/crds';
import { repoRoot } from '../lib/paths';
import { folderSource, type PlanSide, plan, rollout, sideFromObjects, TreeRenderer } from '../lib/plan';
import { definitionsFor, Renderer, type RendererOptions, readObservedFixture } from '../lib/render';
import { explainMissing, findRenderTools } from '../lib/tools';
import { readYamlDocs } from '../lib/yaml';
import { buildPlatform, type Platform } from '../main';
import { controlClusterBench } from './bench-controlplane';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tsx = path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs');

interface Run {
  wall: number;
  inProcess: number;
  maxRssMb: number;
}

/** One synth in a fresh Node process, into a scratch folder; its own timing and peak RSS. */
function synthOnce(outDir: string, claimsDir: string): Run {
  const code = `const {synth}=require('./scripts/synth');const s=synth({outDir:${JSON.stringify(outDir)},claimsDir:${JSON.stringify(claimsDir)}});console.log(JSON.stringify({s:s.seconds,rss:process.resourceUsage().maxRSS}))`;
  const t = process.hrtime.bigint();
  const res = spawnSync(process.execPath, ['--import', tsx, '-e', code], { cwd: repoRoot, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t) / 1e9;
  if (res.status !== 0) throw new Error(`synth failed: ${res.stderr}`);
  const out = JSON.parse(res.stdout.trim().split('\n').pop()!);
  return { wall, inProcess: out.s, maxRssMb: out.rss / 1024 };
}

/** `n` developer Cluster XRs spread over the environments, each with its own VPC block. */
function clusterClaims(dir: string, n: number): void {
  for (let i = 0; i < n; i++) {
    // Each team only in the environments it may use (the admission policies refuse the others).
    const team = PLATFORM.teams[i % PLATFORM.teams.length];
    const env = team.environments[Math.floor(i / PLATFORM.teams.length) % team.environments.length];
    const f = path.join(dir, env, `team-${i}.yaml`);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    const cidr = `10.${Math.floor(i / 4) % 256}.${(i % 4) * 64}.0/18`;
    fs.writeFileSync(
      f,
      `apiVersion: platform.drydock.dev/v1alpha1\nkind: Cluster\nmetadata:\n  name: team-${i}\n  namespace: ${team.namespace}\nspec:\n  environment: ${env}\n  region: eu-west-1\n  network: { cidr: ${cidr} }\n  database: { enabled: ${i % 2 === 0} }\n`,
    );
  }
}

function timeSynth(claims: number): Run {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-bench-'));
  try {
    const claimsDir = path.join(scratch, 'claims');
    fs.mkdirSync(claimsDir);
    clusterClaims(claimsDir, claims);
    const runs = Array.from({ length: RUNS }, () => synthOnce(path.join(scratch, 'dist'), claimsDir));
    return { wall: median(runs.map((r) => r.wall)), inProcess: median(runs.map((r) => r.inProcess)), maxRssMb: median(runs.map((r) => r.maxRssMb)) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function timeTypecheck(): number {
  const tsc = path.join(repoRoot, 'node_modules', '.bin', 'tsc');
  return median(
    Array.from({ length: Math.max(3, Math.ceil(RUNS / 2)) }, () => {
      const t = process.hrtime.bigint();
      execFileSync(tsc, ['--noEmit', '-p', '.'], { cwd: repoRoot, stdio: 'ignore' });
      return Number(process.hrtime.bigint() - t) / 1e9;
    }),
  );
}

/**
 * One Cluster end to end: the Cluster once its parts report, then each child XR through its own
 * composition, every resource validated. Median of 3.
 */
function clusterEndToEnd(renderer: Renderer, objects: any[]): { label: string; value: string; target: string } {
  const dir = path.join(repoRoot, 'compositions', 'cluster', 'examples');
  const [xr] = readYamlDocs(path.join(dir, 'staging-with-database.yaml'));
  const observed = readObservedFixture(path.join(dir, 'observed', 'default.yaml'));
  let resources = 0;
  const times = Array.from({ length: 3 }, () => {
    const t = process.hrtime.bigint();
    const cluster = renderer.render({ xr, ...definitionsFor(xr, objects), observed });
    const children = cluster.composed.filter((o) => ['Network', 'EKSCluster', 'Database'].includes(o.kind));
    const rendered = children.map((c) => {
      const child = { ...c, metadata: { ...c.metadata, name: `${xr.metadata.name}-${c.kind.toLowerCase()}` } };
      return renderer.render({ xr: child, ...definitionsFor(child, objects), observed: { ready: true } }).composed;
    });
    const all = [...cluster.composed, ...rendered.flat()];
    renderer.validate(all);
    resources = all.length;
    return Number(process.hrtime.bigint() - t) / 1e9;
  });
  return { label: `render one Cluster end to end (${resources} resources)`, value: `${median(times).toFixed(2)} s`, target: '<= 5 s' };
}

type Row = { label: string; value: string; target: string };

/** The platform as synth builds it and the real renderer started on it, or the row saying why not. */
async function engines(label: string, options: RendererOptions = {}): Promise<{ platform: Platform; objects: any[]; renderer: Renderer } | Row> {
  const catalog = new CrdCatalog();
  const platform = buildPlatform({ plural: (apiVersion, kind) => catalog.plural(apiVersion, kind) });
  const found = findRenderTools(functionsOf(platform.compositions));
  if (!found.tools) return { label, value: 'not measured', target: `(${explainMissing(found.missing)})` };
  const objects = platform.charts.flatMap((c) => c.toJson());
  const renderer = await Renderer.start(
    found.tools,
    catalog,
    objects.filter((o) => o.kind === 'CompositeResourceDefinition'),
    options,
  );
  return { platform, objects, renderer };
}

/** Render (until the status settles) plus crank validate, per example XR, with the real engines. */
async function renderTimes(): Promise<Row[]> {
  const started = await engines('render per example XR');
  if ('label' in started) return [started];
  const { platform, objects, renderer } = started;
  try {
    return platform.compositions
      .map((c) => {
        const dir = path.join(repoRoot, 'compositions', platform.folders.get(c.api.kind)!, 'examples');
        const xrs = fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.yaml'))
          .flatMap((f) => readYamlDocs(path.join(dir, f)));
        const times = xrs.flatMap((xr) =>
          Array.from({ length: 3 }, () => {
            const t = process.hrtime.bigint();
            renderer.validate(renderer.render({ xr, ...definitionsFor(xr, objects) }).composed);
            return Number(process.hrtime.bigint() - t) / 1e9;
          }),
        );
        return { label: `render + validate per ${c.api.kind} XR (${xrs.length} examples)`, value: `${median(times).toFixed(2)} s`, target: '<= 1 s' };
      })
      .concat(clusterEndToEnd(renderer, objects));
  } finally {
    renderer.stop();
  }
}

/** Argo CD's ApplicationSet code (tools/argocd) over every add-on ApplicationSet and 100 cluster Secrets. */
function appSetRender(): { label: string; value: string; target: string } {
  const appSets = readYamlDocs(path.join(repoRoot, 'dist', 'argocd', 'addons.yaml'));
  const secrets = Array.from({ length: 100 }, (_, i) => {
    const env = ['dev', 'staging', 'prod'][i % 3];
    const a = (k: string) => [k, `${k}-${i}`];
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: `cluster-${i}`,
        namespace: 'argocd',
        labels: {
          'argocd.argoproj.io/secret-type': 'cluster',
          environment: env,
          eks_compute_mode: 'Managed',
          ...Object.fromEntries(Object.values(ADDONS).map((x, j) => [x.label, String((i + j) % 2 === 0)])),
        },
        // Every annotation the registration writes (compositions/cluster/registration.ts), optional
        // ones too: these clusters turn add-ons on at random, and a DNS add-on implies its zones.
        annotations: Object.fromEntries(
          Object.entries(CLUSTER_SECRET)
            .filter(([, f]) => f.in === 'annotation')
            .map(([k]) => (k === 'karpenter_replicas' ? [k, '2'] : a(k))),
        ),
      },
      stringData: { name: `cluster-${i}`, server: `https://cluster-${i}.example.com`, config: '{}' },
    };
  });
  const times = Array.from({ length: 3 }, () => {
    const t = process.hrtime.bigint();
    const results = renderApplicationSets(appSets, secrets);
    const failed = results.filter((r) => r.error);
    if (failed.length) throw new Error(`ApplicationSet render failed: ${failed.map((r) => r.error).join('; ')}`);
    return Number(process.hrtime.bigint() - t) / 1e9;
  });
  return { label: `render ${appSets.length} add-on ApplicationSets x 100 clusters`, value: `${median(times).toFixed(2)} s`, target: '<= 5 s' };
}

/**
 * `npm run plan`'s work, in process: every XR tree rendered on both sides, judged, and the rollout
 * of each environment. Once per scenario (each takes minutes cold), cold (no render known) and
 * warm (the renders of the run before known, as the plan's cache gives them). Each row is printed
 * by `print` as soon as it is measured.
 */
async function planTimes(print: (r: Row) => void): Promise<void> {
  // As npm run plan renders: crank's output remembered for a repeated input.
  const started = await engines('plan', { remember: true });
  if ('label' in started) return print(started);
  const { objects, renderer } = started;
  const repoSide = sideFromObjects({ label: 'base', objects, repo: folderSource(repoRoot, 'working tree') });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-bench-plan-'));
  clusterClaims(path.join(scratch, 'claims'), 100);
  const generated = { ...sideFromObjects({ label: 'base', objects, repo: folderSource(scratch, 'generated') }), fixtures: repoSide.fixtures };
  // A harmless change to the working tree's EKS Composition: dev's XRs change, staging's and prod's run releases.
  const tagged = structuredClone(objects);
  const eks = tagged.find((o: any) => o.kind === 'CompositeResourceDefinition' && o.spec.names.kind === 'EKSCluster').spec.defaultCompositionRef.name;
  const step = tagged.find((o: any) => o.metadata?.name === eks).spec.pipeline.find((x: any) => x.input?.kind === 'Resources');
  const cluster = step.input.resources.find((r: any) => r.name === 'cluster');
  cluster.base.spec.forProvider.tags = { ...cluster.base.spec.forProvider.tags, team: 'bench' };
  const order = [...ENVIRONMENTS].sort((a, b) => a.rollout - b.rollout).map((e) => e.name);
  const run = async (base: PlanSide, headObjects: any[], memo: Map<string, any>) => {
    const head = { ...base, label: 'head', objects: headObjects };
    const trees: TreeRenderer[] = [];
    const tree = (side: PlanSide) => {
      trees.push(new TreeRenderer({ renderer, objects: side.objects, fixtures: base.fixtures, engine: 'bench', memo }));
      return trees[trees.length - 1];
    };
    // Each plan starts as a fresh `npm run plan` process would: no crank output remembered.
    renderer.forget();
    const runs = renderer.crankRuns;
    const t = process.hrtime.bigint();
    const result = await plan({ base, head, renderers: { base: tree(base), head: tree(head) } });
    await rollout({ base, head, plan: result, order, renderer: tree });
    const wall = Number(process.hrtime.bigint() - t) / 1e9;
    const renders = trees.reduce((n, x) => n + x.stats.renders, 0);
    return {
      wall,
      detail: `${renders} renders: ${renderer.crankRuns - runs} crank runs, ${renderer.jobs} at once`,
      changed: result.summary.changed,
    };
  };
  try {
    const scenario = async (label: string, base: PlanSide, head: any[], memo: Map<string, any>, target = '') => {
      const r = await run(base, head, memo);
      print({
        label: `plan ${label}`,
        value: `${r.wall.toFixed(1)} s`,
        target: `${target || '-'} (${r.changed} XRs changed, ${r.detail})`,
      });
    };
    const repoMemo = new Map();
    await scenario(`repo (${repoSide.xrs.length} XRs), unchanged, cold`, repoSide, objects, repoMemo);
    await scenario(`repo (${repoSide.xrs.length} XRs), EKS tag, base known`, repoSide, tagged, repoMemo);
    const memo = new Map();
    await scenario('100 Clusters, unchanged, cold', generated, objects, memo);
    await scenario('100 Clusters, EKS tag, base known', generated, tagged, memo, '<= 30 s');
  } finally {
    renderer.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const row = (label: string, value: string, target: string) => console.log(`${label.padEnd(44)} ${value.padStart(14)}   target ${target}`);
  console.log(`drydock bench: medians of ${RUNS} runs, each a fresh process (${os.cpus().length} cores, Node ${process.version})\n`);
  // `npm run bench -- plan`: only the plan's rows, which alone take minutes.
  if (process.argv.includes('plan')) {
    await planTimes((line) => row(line.label, line.value, line.target));
    return;
  }
  const base = timeSynth(0);
  row('synth, whole platform (all add-ons): wall time', `${base.wall.toFixed(2)} s`, '<= 1.5 s');
  row('synth, whole platform: in-process', `${base.inProcess.toFixed(2)} s`, '');
  row('synth, whole platform: peak memory (RSS)', `${base.maxRssMb.toFixed(0)} MB`, '<= 500 MB');
  row('type-check (tsc --noEmit, TypeScript 7)', `${timeTypecheck().toFixed(2)} s`, '<= 5 s');
  const grown = [10, 100, 1000].map((n) => [n, timeSynth(n)] as const);
  for (const [n, r] of grown) {
    row(`synth with ${n} Cluster XRs: wall time`, `${r.wall.toFixed(2)} s`, n === 1000 ? '<= 10 s' : '');
    row(`synth with ${n} Cluster XRs: peak memory`, `${r.maxRssMb.toFixed(0)} MB`, '');
  }
  // Below 1000 XRs the difference is within run-to-run noise; 1000 gives a usable slope.
  const [, thousand] = grown[grown.length - 1];
  row('marginal synth cost per Cluster XR', `${(((thousand.wall - base.wall) / 1000) * 1000).toFixed(2)} ms`, 'linear growth');
  for (const line of await renderTimes()) row(line.label, line.value, line.target);
  const appSets = appSetRender();
  row(appSets.label, appSets.value, appSets.target);
  await planTimes((line) => row(line.label, line.value, line.target));
  for (const line of await controlClusterBench()) row(line.label, line.value, line.target);
}

main();
