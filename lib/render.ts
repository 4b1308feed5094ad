// The real Crossplane renderer in the loop: crank render with the real composition functions
// running on loopback, and crank beta validate against the real CRDs. Shared by every API's
// render tests and by `npm run render`.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CrdCatalog, isBuiltIn } from './crds';
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

/**
 * Runs the composition functions on loopback for as long as it lives. `start()` it, render and
 * validate as often as needed, then `stop()` it.
 */
export class Renderer {
  private readonly work = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-render-'));
  private functionsFile = '';
  private readonly processes: ChildProcess[] = [];

  private constructor(
    private readonly tools: RenderTools,
    private readonly catalog: CrdCatalog,
    private readonly xrds: readonly any[],
  ) {}

  /**
   * Start every function `tools` has, each on its own free loopback port, and wait until each
   * listens. `xrds` are the platform's own: composed XRs (a Cluster's Network) validate against them.
   */
  static async start(tools: RenderTools, catalog: CrdCatalog, xrds: readonly any[] = []): Promise<Renderer> {
    const r = new Renderer(tools, catalog, xrds);
    try {
      const functions = [];
      for (const [name, bin] of tools.functions) {
        const port = await freePort();
        const p = spawn(bin, ['--insecure', `--address=127.0.0.1:${port}`], { stdio: 'ignore' });
        r.processes.push(p);
        await listening(port, name, p);
        functions.push({
          apiVersion: 'pkg.crossplane.io/v1',
          kind: 'Function',
          metadata: {
            name,
            annotations: { 'render.crossplane.io/runtime': 'Development', 'render.crossplane.io/runtime-development-target': `127.0.0.1:${port}` },
          },
        });
      }
      r.functionsFile = r.write('functions.yaml', functions);
      r.seedValidateCache();
      return r;
    } catch (e) {
      r.stop();
      throw e;
    }
  }

  stop(): void {
    for (const p of this.processes) p.kill();
    fs.rmSync(this.work, { recursive: true, force: true });
  }

  /**
   * Render as Crossplane reconciles: feed the XR's status back until it stops changing (a
   * function's output lands in status first). With `observed`, the desired resources are then
   * observed as the fixture describes, round after round, as AWS would report them.
   */
  render(input: RenderInput): RenderedXr {
    const xr = admitted(input.xr, input.composition);
    const existing = (input.existing?.composed ?? []).map((o) => observe(o, xr, input.observed ?? { ready: true }));
    let out = this.settle(input.existing ? { ...xr, status: input.existing.xr.status } : xr, input, existing);
    if (!input.observed) return out;
    // Resources held back until another's status is known appear one round later: observe
    // everything desired so far, render again, until no new resource appears.
    for (let round = 0; round < MAX_PASSES; round++) {
      const observed = out.composed.map((o) => observe(o, xr, input.observed!));
      const next = this.settle({ ...xr, status: out.xr.status }, input, observed);
      const seen = new Set(out.composed.map(resourceName));
      const grew = next.composed.some((o) => !seen.has(resourceName(o)));
      out = next;
      if (!grew) break;
    }
    return out;
  }

  /**
   * One reconcile against exactly these observed composed resources (as they are on the API
   * server: some being deleted, some gone), the XR's status fed back until it settles. A teardown
   * walk renders round by round with this.
   */
  renderAgainst(input: RenderInput, observed: readonly any[]): RenderedXr {
    return this.settle(admitted(input.xr, input.composition), input, [...observed]);
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
    const file = this.write('validate.yaml', [...resources]);
    const res = spawnSync(this.tools.crank, ['beta', 'validate', ext, file, `--cache-dir=${this.cacheDir}`, '--error-on-missing-schemas'], {
      encoding: 'utf8',
    });
    fs.rmSync(ext, { recursive: true, force: true });
    return { ok: res.status === 0, output: `${res.stdout}${res.stderr}`.trim(), unchecked };
  }

  private settle(xr: any, input: RenderInput, observed: any[]): RenderedXr {
    const args = [
      'render',
      '', // the XR, written per pass
      this.write('composition.yaml', [input.composition]),
      this.functionsFile,
      `--xrd=${this.write('xrd.yaml', [input.xrd])}`,
      ...(observed.length ? [`--observed-resources=${this.write('observed.yaml', observed)}`] : []),
      ...(input.requiredResources?.length ? [`--required-resources=${this.write('required.yaml', [...input.requiredResources])}`] : []),
    ];
    let current = xr;
    for (let pass = 1; ; pass++) {
      args[1] = this.write('xr.yaml', [current]);
      const res = spawnSync(this.tools.crank, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
      if (res.status !== 0) throw new Error(`crank render of ${xr.kind} ${xr.metadata?.name} failed: ${res.stderr.trim()}`);
      const [out, ...composed] = parseYamlDocs(res.stdout);
      const settled = JSON.stringify(out.status) === JSON.stringify(current.status);
      current = { ...current, status: out.status };
      if (settled || pass === MAX_PASSES) {
        composed.sort((a, b) => resourceName(a).localeCompare(resourceName(b)));
        return new RenderedXr(out, composed, pass);
      }
    }
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

  private write(name: string, docs: readonly unknown[]): string {
    const f = path.join(this.work, name);
    fs.writeFileSync(f, toYaml([...docs]));
    return f;
  }
}

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Resolve once `port` accepts connections; fail if the process exits or 20 s pass. */
async function listening(port: number, name: string, p: ChildProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (p.exitCode !== null) throw new Error(`${name} exited with ${p.exitCode} before listening on 127.0.0.1:${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${name} did not listen on 127.0.0.1:${port} within 20 s`);
}
