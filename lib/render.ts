// The real Crossplane renderer in the loop: crank render with the real composition functions
// running on loopback (lib/function-processes.ts), and crank beta validate against the real CRDs.
// Shared by every API's render tests, `npm run render` and `npm run plan`. Over 300 lines for a
// reason: the render loop, its two drivers (one crank run after another, and the pool that runs
// them side by side) and the input files it writes must change together.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CrdCatalog, isBuiltIn } from './crds';
import { developmentFunction, type FunctionProcess, functionReport, isDead, startFunction } from './function-processes';
import { CRANK, type RenderTools } from './tools';
import { parseYamlDocs, readYamlDocs, toYaml } from './yaml';

export { definitionsFor } from './definitions';

/** What AWS reports once composed resources exist: see `examples/observed/` of each API. */
export interface ObservedFixture {
  /** Every composed resource reports Ready=True and Synced=True (else none does). */
  readonly ready: boolean;
  /** `status.atProvider` of composed resources, by composition-resource-name. */
  readonly atProvider?: Record<string, Record<string, unknown>>;
  /** Whole `status` of composed resources (e.g. a child XR's), by composition-resource-name. */
  readonly status?: Record<string, Record<string, unknown>>;
}

/** One XR rendered until its status settles. */
export class RenderedXr {
  constructor(
    /** The XR as the renderer returns it: desired status and conditions. */
    readonly xr: any,
    /** Desired composed resources, sorted by composition-resource-name. */
    readonly composed: readonly any[],
    /** Renders it took for the status to settle. */
    readonly passes: number,
  ) {}

  /** The composed resource of `name` (its composition-resource-name), or undefined. */
  byName(name: string): any | undefined {
    return this.composed.find((o) => resourceName(o) === name);
  }

  /** The composed resources of `kind`. */
  ofKind(kind: string): any[] {
    return this.composed.filter((o) => o.kind === kind);
  }
}

export interface RenderInput {
  readonly xr: any;
  /** The Composition object (as in dist/). */
  readonly composition: any;
  /** The XRD object (as in dist/); the renderer applies its defaults to the XR. */
  readonly xrd: any;
  /** @default - nothing observed yet: the first reconcile of a new XR */
  readonly observed?: ObservedFixture;
  /** Objects functions may ask for (EnvironmentConfigs). @default - none */
  readonly requiredResources?: readonly any[];
  /**
   * An earlier render of the XR whose composed resources now exist (observed as `observed`
   * says) and whose status the XR keeps: this render is then the next reconcile after a change
   * to the XR, and whatever it no longer desires Crossplane would delete.
   * @default - nothing exists yet: the first reconcile of a new XR
   */
  readonly existing?: RenderedXr;
}

export interface ValidateResult {
  readonly ok: boolean;
  /** crank's report: per-resource reasons are on stdout, the summary error on stderr. */
  readonly output: string;
  /** Built-in Kubernetes objects (a connection Secret): no CRD describes them, so crank cannot check them. */
  readonly unchecked: readonly string[];
}

const ANNOTATION_RESOURCE_NAME = 'crossplane.io/composition-resource-name';
const MAX_PASSES = 5;

export const resourceName = (o: any): string => o.metadata?.annotations?.[ANNOTATION_RESOURCE_NAME];

/** One crank render the render loop needs: its arguments, and what it renders (for errors). */
interface CrankCall {
  readonly args: readonly string[];
  readonly xr: any;
  readonly composition: any;
}

/**
 * A render as steps: it yields each crank render it needs and is sent crank's stdout back, so one
 * loop serves the synchronous methods (spawnSync) and the asynchronous ones (a bounded pool).
 */
type RenderSteps = Generator<CrankCall, RenderedXr, string>;

export interface RendererOptions {
  /**
   * crank renders the asynchronous methods run at once. Each is a crank process plus work in the
   * functions, CPU-bound, so more than the cores only queues.
   * @default $DRYDOCK_RENDER_JOBS, else os.availableParallelism()
   */
  readonly jobs?: number;
  /**
   * Remember crank's output by a hash of everything it was given, and give it again for the same
   * input instead of running crank (a render starting from resources that already exist often
   * repeats its first pass exactly). Off where a test means to render afresh.
   * @default false
   */
  readonly remember?: boolean;
}

/** crank outputs a remembering Renderer keeps, the oldest dropped first (each tens of kB). */
const REMEMBERED = 512;

/**
 * crank without Go's garbage collector, unless GOGC is set: a crank render is a short process
 * that allocates some 70 MB at most, so collecting at all is wasted work (a fifth of its CPU
 * time). It changes nothing rendered (README, "How fast").
 */
const CRANK_ENV = { ...process.env, GOGC: process.env.GOGC ?? 'off' };

/**
 * Runs the composition functions on loopback for as long as it lives: each function process is
 * started once and serves every render (crank reaches it through the Development runtime, so it
 * starts none of its own). `start()` it, render and validate as often as needed, then `stop()`
 * it; the functions are also stopped when this process exits.
 */
export class Renderer {
  private readonly work = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-render-'));
  private functionsFile = '';
  private readonly functions: FunctionProcess[] = [];
  /** Input files already written, by a hash of their content: a Composition is written once, not per pass. */
  private readonly written = new Map<string, string>();
  /** crank renders run at once by the asynchronous methods. */
  readonly jobs: number;
  /** crank renders run so far, and those answered from memory instead. */
  crankRuns = 0;
  crankRemembered = 0;
  private readonly outputs?: Map<string, string>;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** crank processes of the asynchronous methods now running: killed when a function dies. */
  private readonly cranks = new Set<ChildProcess>();
  private readonly onExit = () => this.kill();
  private settles = 0;

  private constructor(
    private readonly tools: RenderTools,
    private readonly catalog: CrdCatalog,
    private readonly xrds: readonly any[],
    options: RendererOptions,
  ) {
    this.jobs = Math.max(1, options.jobs ?? (Number(process.env.DRYDOCK_RENDER_JOBS) || os.availableParallelism()));
    if (options.remember) this.outputs = new Map();
  }

  /**
   * Start every function `tools` has, each on its own free loopback port, and wait until each
   * listens. `xrds` are the platform's own: composed XRs (a Cluster's Network) validate against them.
   */
  static async start(tools: RenderTools, catalog: CrdCatalog, xrds: readonly any[] = [], options: RendererOptions = {}): Promise<Renderer> {
    const r = new Renderer(tools, catalog, xrds, options);
    // A plan or test run that ends without stop() (an exception, process.exit) leaves no function behind.
    process.once('exit', r.onExit);
    try {
      const functions = [];
      for (const [name, bin] of tools.functions) {
        const f = await startFunction(name, bin, r.work);
        r.functions.push(f);
        // A function that dies fails the renders running on it at once, rather than when crank's
        // wait for the connection (its --timeout, a minute) runs out.
        f.process.once('exit', () => {
          for (const c of r.cranks) c.kill('SIGKILL');
        });
        functions.push(developmentFunction(f));
      }
      r.functionsFile = r.write('functions.yaml', functions);
      r.seedValidateCache();
      return r;
    } catch (e) {
      r.stop();
      throw e;
    }
  }

  /** Each function's process id, by function name. */
  get pids(): ReadonlyMap<string, number> {
    return new Map(this.functions.map((f) => [f.name, f.process.pid!]));
  }

  stop(): void {
    process.removeListener('exit', this.onExit);
    this.kill();
    fs.rmSync(this.work, { recursive: true, force: true });
  }

  private kill(): void {
    for (const c of this.cranks) c.kill('SIGKILL');
    for (const f of this.functions) f.process.kill();
  }

  /**
   * Render as Crossplane reconciles: feed the XR's status back until it stops changing (a
   * function's output lands in status first). With `observed`, the desired resources are then
   * observed as the fixture describes, round after round, as AWS would report them.
   */
  render(input: RenderInput): RenderedXr {
    return this.runSync(this.renderSteps(input));
  }

  /** `render`, with its crank runs in the pool: many renders awaited together run side by side. */
  renderAsync(input: RenderInput): Promise<RenderedXr> {
    return this.runAsync(this.renderSteps(input));
  }

  /**
   * One reconcile against exactly these observed composed resources (as they are on the API
   * server: some being deleted, some gone), the XR's status fed back until it settles. A teardown
   * walk renders round by round with this.
   */
  renderAgainst(input: RenderInput, observed: readonly any[]): RenderedXr {
    return this.runSync(this.settle(admitted(input.xr, input.composition), input, [...observed]));
  }

  /** An observed resource as `fixture` says AWS reports it, for a resource the renderer just desired. */
  observe(desired: any, xr: any, fixture: ObservedFixture): any {
    return observe(desired, xr, fixture);
  }

  /** crank beta validate: objects against the CRDs of their kinds (and `xrds`), CEL included; core kinds are listed unchecked. */
  validate(all: readonly any[], xrds: readonly any[] = []): ValidateResult {
    const resources = all.filter((o) => !isBuiltIn(o.apiVersion));
    const unchecked = all.filter((o) => isBuiltIn(o.apiVersion)).map((o) => `${o.kind} ${o.metadata?.name}`);
    const ext = fs.mkdtempSync(path.join(this.work, 'extensions-'));
    const kinds = new Map<string, any>();
    for (const o of resources) {
      const [group] = String(o.apiVersion).split('/');
      const xrd = this.xrds.find((x) => x.spec.group === group && x.spec.names.kind === o.kind);
      const crd = xrd ?? this.catalog.find(o.apiVersion, o.kind);
      if (crd) kinds.set(crd.metadata.name, crd);
    }
    for (const [i, d] of [...kinds.values(), ...xrds].entries()) fs.writeFileSync(path.join(ext, `${i}.yaml`), toYaml([d]));
    const file = path.join(ext, 'resources.yaml');
    fs.writeFileSync(file, toYaml([...resources]));
    const res = spawnSync(this.tools.crank, ['beta', 'validate', ext, file, `--cache-dir=${this.cacheDir}`, '--error-on-missing-schemas'], {
      encoding: 'utf8',
    });
    fs.rmSync(ext, { recursive: true, force: true });
    return { ok: res.status === 0, output: `${res.stdout}${res.stderr}`.trim(), unchecked };
  }

  private *renderSteps(input: RenderInput): RenderSteps {
    const xr = admitted(input.xr, input.composition);
    const existing = (input.existing?.composed ?? []).map((o) => observe(o, xr, input.observed ?? { ready: true }));
    let out = yield* this.settle(input.existing ? { ...xr, status: input.existing.xr.status } : xr, input, existing);
    if (!input.observed) return out;
    // Resources held back until another's status is known appear one round later: observe
    // everything desired so far, render again, until no new resource appears.
    for (let round = 0; round < MAX_PASSES; round++) {
      const observed = out.composed.map((o) => observe(o, xr, input.observed!));
      const next = yield* this.settle({ ...xr, status: out.xr.status }, input, observed);
      const seen = new Set(out.composed.map(resourceName));
      const grew = next.composed.some((o) => !seen.has(resourceName(o)));
      out = next;
      if (!grew) break;
    }
    return out;
  }

  private *settle(xr: any, input: RenderInput, observed: any[]): RenderSteps {
    // The XR and the observed resources change from render to render: they are written under a
    // name of this settle's own and removed after it.
    const own = `${this.settles++}`;
    // Files named by their content: they stand for it in the key of a remembered output.
    const named = [
      this.write('composition.yaml', [input.composition]),
      this.functionsFile,
      `--xrd=${this.write('xrd.yaml', [input.xrd])}`,
      ...(input.requiredResources?.length ? [`--required-resources=${this.write('required.yaml', [...input.requiredResources])}`] : []),
    ];
    const observedArgs = observed.length ? [`--observed-resources=${this.scratch(own, 'observed.yaml', observed)}`] : [];
    try {
      let current = xr;
      for (let pass = 1; ; pass++) {
        const key = this.outputs && hashOf([named, observed, current]);
        const known = key && this.outputs!.get(key);
        if (known) this.crankRemembered++;
        const stdout =
          known ||
          (yield { args: ['render', this.scratch(own, 'xr.yaml', [current]), ...named, ...observedArgs], xr, composition: input.composition });
        if (key && !known) this.remember(key, stdout);
        const [out, ...composed] = parseYamlDocs(stdout);
        const settled = JSON.stringify(out.status) === JSON.stringify(current.status);
        current = { ...current, status: out.status };
        if (settled || pass === MAX_PASSES) {
          composed.sort((a, b) => resourceName(a).localeCompare(resourceName(b)));
          return new RenderedXr(out, composed, pass);
        }
      }
    } finally {
      for (const f of ['observed.yaml', 'xr.yaml']) fs.rmSync(path.join(this.work, `${own}-${f}`), { force: true });
    }
  }

  private runSync(steps: RenderSteps): RenderedXr {
    try {
      let step = steps.next();
      while (!step.done) {
        const call = step.value;
        this.failIfFunctionDied(call);
        this.crankRuns++;
        const res = spawnSync(this.tools.crank, call.args, { encoding: 'utf8', maxBuffer: 1 << 28, env: CRANK_ENV });
        if (res.status !== 0) throw this.crankFailed(call, res.stderr || res.error?.message || '');
        step = steps.next(res.stdout);
      }
      return step.value;
    } finally {
      steps.return(undefined as never); // its files removed, also when a render failed
    }
  }

  private async runAsync(steps: RenderSteps): Promise<RenderedXr> {
    try {
      let step = steps.next();
      while (!step.done) step = steps.next(await this.crankAsync(step.value));
      return step.value;
    } finally {
      steps.return(undefined as never);
    }
  }

  /** One crank render in the pool: at most `jobs` at once, the rest queued in order. */
  private async crankAsync(call: CrankCall): Promise<string> {
    if (this.running < this.jobs) this.running++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      this.failIfFunctionDied(call);
      this.crankRuns++;
      return await new Promise<string>((resolve, reject) => {
        const c = spawn(this.tools.crank, call.args, { stdio: ['ignore', 'pipe', 'pipe'], env: CRANK_ENV });
        this.cranks.add(c);
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        c.stdout.on('data', (b) => out.push(b));
        c.stderr.on('data', (b) => err.push(b));
        c.once('error', (e) => {
          this.cranks.delete(c);
          reject(this.crankFailed(call, e.message));
        });
        c.once('close', (code) => {
          this.cranks.delete(c);
          if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
          else reject(this.crankFailed(call, Buffer.concat(err).toString('utf8')));
        });
      });
    } finally {
      // The slot passes straight to the next render waiting, if any.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** Drop the crank output remembered so far: the next render runs as in a fresh Renderer. */
  forget(): void {
    this.outputs?.clear();
  }

  private remember(key: string, stdout: string): void {
    this.outputs!.set(key, stdout);
    if (this.outputs!.size > REMEMBERED) this.outputs!.delete(this.outputs!.keys().next().value!);
  }

  private failIfFunctionDied(call: CrankCall): void {
    const dead = this.functions.filter(isDead);
    if (dead.length) throw new Error(`cannot render ${what(call)}: ${dead.map(functionReport).join('\n')}`);
  }

  /** crank's error, with the log tail of every function that died and of the one the failing step ran. */
  private crankFailed(call: CrankCall, stderr: string): Error {
    // crank names the pipeline step (`cannot run pipeline step "x"`); the Composition says which function ran it.
    const step = /pipeline step "([^"]+)"/.exec(stderr)?.[1];
    const ran = call.composition.spec?.pipeline?.find((s: any) => s.step === step)?.functionRef?.name;
    const named = this.functions.filter((f) => isDead(f) || f.name === ran);
    return new Error([`crank render of ${what(call)} failed: ${stderr.trim()}`, ...named.map(functionReport)].join('\n'));
  }

  private get cacheDir(): string {
    return path.join(this.work, 'cache');
  }

  /**
   * crank validate always adds the Crossplane image's CRDs as a dependency; seeding its cache
   * with the core CRDs from $CRDS_DIR keeps it off the network.
   */
  private seedValidateCache(): void {
    const seed = path.join(this.cacheDir, 'xpkg.crossplane.io', 'crossplane', `crossplane@${CRANK.version}`);
    fs.mkdirSync(seed, { recursive: true });
    fs.cpSync(path.join(this.catalog.root, 'crossplane'), seed, { recursive: true });
  }

  /**
   * `docs` as a YAML file named after its content: renders running side by side never write one
   * another's inputs, and an input seen before (the Composition, pass after pass) is not written again.
   */
  private scratch(own: string, name: string, docs: readonly unknown[]): string {
    const file = path.join(this.work, `${own}-${name}`);
    fs.writeFileSync(file, toYaml([...docs]));
    return file;
  }

  private write(name: string, docs: readonly unknown[]): string {
    const key = hashOf(docs);
    let file = this.written.get(key);
    if (!file) {
      file = path.join(this.work, `${key.slice(0, 24)}-${name}`);
      fs.writeFileSync(file, toYaml([...docs]));
      this.written.set(key, file);
    }
    return file;
  }
}

const hashOf = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

const what = (call: CrankCall) => `${call.xr.kind} ${call.xr.metadata?.name}`;

/**
 * The XR as a function sees it on a cluster: the API server has given it a uid (compositions may
 * use it, e.g. in snapshot names) and Crossplane has recorded the chosen Composition under
 * spec.crossplane, which is also how functions tell a v2 XR from a legacy one.
 */
function admitted(xr: any, composition: any): any {
  return {
    ...xr,
    metadata: { uid: '00000000-0000-4000-8000-000000000001', ...xr.metadata },
    spec: { ...xr.spec, crossplane: { compositionRef: { name: composition.metadata.name }, ...xr.spec?.crossplane } },
  };
}

/** An observed resource as Crossplane would see it once AWS has it: desired plus status. */
function observe(desired: any, xr: any, fixture: ObservedFixture): any {
  const name = resourceName(desired);
  const conditions = fixture.ready
    ? ['Ready', 'Synced'].map((type) => ({
        type,
        status: 'True',
        reason: type === 'Ready' ? 'Available' : 'ReconcileSuccess',
        lastTransitionTime: '2026-01-01T00:00:00Z',
      }))
    : [];
  const status = fixture.status?.[name] ?? { atProvider: fixture.atProvider?.[name] ?? {} };
  return { ...desired, metadata: { name: `${xr.metadata.name}-${name}`, ...desired.metadata }, status: { ...status, conditions } };
}

/** Read an observed fixture (examples/observed/<example>.yaml). */
export function readObservedFixture(file: string): ObservedFixture {
  const [doc] = readYamlDocs(file);
  if (typeof doc?.ready !== 'boolean') throw new Error(`${file}: "ready" must be true or false`);
  return doc;
}
