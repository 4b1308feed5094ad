import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FunctionPackage, functionsOf, type PlatformComposition } from '../compositions/authoring';
import { CLUSTER_NAMES } from '../compositions/cluster/names';
import { CrdCatalog } from '../lib/crds';
import { kubevalidate } from '../lib/kubevalidate';
import { repoRoot } from '../lib/paths';
import { definitionsFor, type ObservedFixture, type RenderedXr, Renderer, readObservedFixture } from '../lib/render';
import { explainMissing, findRenderTools } from '../lib/tools';
import { crdForXrd } from '../lib/xrd';
import { readYamlDocs } from '../lib/yaml';
import { buildPlatform, type Platform } from '../main';

let catalog: CrdCatalog | undefined;
export function crds(): CrdCatalog {
  catalog ??= new CrdCatalog();
  return catalog;
}

let built: Platform | undefined;
/** The platform as synth builds it (built once per test file). */
export function platform(): Platform {
  built ??= buildPlatform({ plural: (apiVersion, kind) => crds().plural(apiVersion, kind) });
  return built;
}

/** The examples folder of the API of `kind`, relative to the repo. */
export function exampleDir(kind: string): string {
  const folder = platform().folders.get(kind);
  if (!folder) throw new Error(`no platform API of kind ${kind}`);
  return `compositions/${folder}/examples`;
}

/** Every object the platform's charts produce, as synth sees them. */
export function chartObjects(p: Platform = platform()): any[] {
  return p.charts.flatMap((c) => c.toJson());
}

/** The CRD derived from the synthesized XRD of `kind`. */
export function xrCrd(kind: string): any {
  const xrd = chartObjects().find((o) => o.kind === 'CompositeResourceDefinition' && o.spec.names.kind === kind);
  if (!xrd) throw new Error(`no XRD for ${kind}`);
  return crdForXrd(xrd);
}

/** Validate XRs against their XRD-derived CRD; returns one line per finding, per XR. */
export function validateXrs(kind: string, xrs: { object: unknown; old?: unknown }[]): string[][] {
  const report = kubevalidate(
    [xrCrd(kind)],
    xrs.map((x, i) => ({ id: String(i), ...x })),
  );
  expectNoCrdErrors(report.crds);
  return report.objects.map((o) => o.errors.map((f) => f.message));
}

export function expectNoCrdErrors(crdReports: { name: string; errors: unknown[] }[]): void {
  const bad = crdReports.filter((c) => c.errors.length);
  if (bad.length) throw new Error(`CRDs refused: ${JSON.stringify(bad)}`);
}

export function examples(dir: string): { file: string; object: any }[] {
  const full = path.join(repoRoot, dir);
  return fs
    .readdirSync(full)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => readYamlDocs(path.join(full, f)).map((object) => ({ file: f, object })));
}

/**
 * The observed state that makes an example whole: `examples/observed/<file>`, else the API's
 * `examples/observed/default.yaml`, else every resource simply Ready.
 */
export function observedFor(kind: string, file: string): ObservedFixture {
  const dir = path.join(repoRoot, exampleDir(kind), 'observed');
  const found = [file, 'default.yaml'].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  return found ? readObservedFixture(found) : { ready: true };
}

/** The XRD and Composition objects of a composition, as synth writes them to dist/. */
export function compositionObjects(c: PlatformComposition): any[] {
  return [
    { apiVersion: 'apiextensions.crossplane.io/v2', kind: 'CompositeResourceDefinition', metadata: { name: c.api.name }, spec: c.api.xrdSpec() },
    { apiVersion: 'apiextensions.crossplane.io/v1', kind: 'Composition', metadata: { name: c.name }, spec: c.spec() },
  ];
}

export interface RenderSetupOptions {
  /** @default - the functions every platform composition runs */
  readonly functions?: readonly FunctionPackage[];
  /** Compositions of test APIs to render besides the platform's. @default - none */
  readonly compositions?: readonly PlatformComposition[];
}

/**
 * The platform's objects with every environment running the working tree's Compositions. Staging
 * and production run frozen releases (lib/releases.ts); render tests exercise what the working
 * tree composes in every environment, so a fix is tested before it is promoted.
 * test/plan-rollout.test.ts proves what each environment runs.
 */
export function workingTreeObjects(p: Platform = platform()): any[] {
  const objects = chartObjects(p);
  const edge = new Map(
    objects.filter((o) => o.kind === 'CompositeResourceDefinition').map((o) => [o.spec.names.kind, o.spec.defaultCompositionRef?.name]),
  );
  const kindOf = new Map(objects.filter((o) => o.kind === 'Composition').map((o) => [o.metadata.name, o.spec.compositeTypeRef.kind]));
  const toEdge = (compositions: Record<string, string>) =>
    Object.fromEntries(Object.entries(compositions).map(([api, name]) => [api, edge.get(kindOf.get(name)) ?? name]));
  return objects.map((o) =>
    o.kind === 'EnvironmentConfig' && o.data.compositions ? { ...o, data: { ...o.data, compositions: toEdge(o.data.compositions) } } : o,
  );
}

/**
 * The real renderer for a test file, when the tool cache has it: `ready` says whether the
 * render tests can run, `reason` why not. Start it in beforeAll, stop it in afterAll. It renders
 * with the working tree's Compositions in every environment (workingTreeObjects).
 */
export function renderSetup(options: RenderSetupOptions = {}) {
  const functions = options.functions ?? functionsOf([...platform().compositions, ...(options.compositions ?? [])]);
  const found = findRenderTools(functions);
  let renderer: Renderer | undefined;
  const objects = [...workingTreeObjects(), ...(options.compositions ?? []).flatMap(compositionObjects)];
  return {
    ready: !!found.tools,
    reason: found.tools ? '' : explainMissing(found.missing),
    start: async () => {
      renderer = await Renderer.start(
        found.tools!,
        crds(),
        objects.filter((o) => o.kind === 'CompositeResourceDefinition'),
      );
    },
    stop: () => renderer?.stop(),
    get renderer(): Renderer {
      if (!renderer) throw new Error('renderer not started');
      return renderer;
    },
    /** Render an example XR with the XRD and Composition synth writes to dist/. */
    render: (xr: any, observed?: ObservedFixture, existing?: RenderedXr) => {
      if (!renderer) throw new Error('renderer not started');
      return renderer.render({ xr, ...definitionsFor(xr, objects), observed, existing });
    },
    /** One reconcile against exactly these observed resources, with `composition` in place of dist/'s when given. */
    renderAgainst: (xr: any, observed: readonly any[], composition?: any) => {
      if (!renderer) throw new Error('renderer not started');
      const defs = definitionsFor(xr, objects);
      return renderer.renderAgainst({ xr, ...defs, composition: composition ?? defs.composition }, observed);
    },
    xrd: (kind: string) => objects.find((o) => o.kind === 'CompositeResourceDefinition' && o.spec.names.kind === kind),
    /** The Composition synth writes for `kind`. */
    composition: (kind: string) => objects.find((o) => o.kind === 'Composition' && o.spec.compositeTypeRef.kind === kind),
  };
}

/**
 * The examples of a platform API judged by the API server's validation: the XRD is admitted,
 * every valid example is accepted, every invalid one is refused with the message it documents
 * in its `test.drydock.dev/expected-error` annotation.
 */
export function describeExamples(kind: string, atLeast: { valid: number; invalid: number }): void {
  const dir = exampleDir(kind);
  const valid = examples(dir);
  const invalid = examples(`${dir}/invalid`);
  describe(`${kind} examples`, () => {
    it('the XRD is accepted by the API server (structural schema, CEL compiles within the cost budget)', () => {
      const crd = xrCrd(kind);
      expect(kubevalidate([crd], []).crds).toEqual([{ name: crd.metadata.name, errors: [] }]);
    });
    it(`has at least ${atLeast.valid} valid and ${atLeast.invalid} invalid examples`, () => {
      expect(valid.length).toBeGreaterThanOrEqual(atLeast.valid);
      expect(invalid.length).toBeGreaterThanOrEqual(atLeast.invalid);
    });
    it.each(valid.map((e) => [e.file, e.object]))('accepts %s', (_file, object) => {
      expect(validateXrs(kind, [{ object }])[0]).toEqual([]);
    });
    it.each(invalid.map((e) => [e.file, e.object]))('refuses %s with the message it documents', (_file, object: any) => {
      const expected = object.metadata.annotations?.['test.drydock.dev/expected-error'];
      expect(expected, 'each invalid example names the message it must produce').toBeTruthy();
      const errors = validateXrs(kind, [{ object }])[0];
      expect(errors.join('\n')).toContain(expected);
    });
  });
}

/** Every file under `dir` with its sha256, keyed by relative path: a tree to compare byte for byte. */
export function fileTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(e.parentPath, e.name);
    if (e.isFile()) out[path.relative(dir, file)] = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return out;
}

/**
 * Every object of the committed dist/, with its file (relative to dist/). dist/addons/ holds a
 * Helm chart: its templates are checked once rendered (addons.test.ts).
 */
export function committedDistObjects(): { file: string; object: any }[] {
  const dist = path.join(repoRoot, 'dist');
  return fs
    .readdirSync(dist, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml') && !path.relative(dist, e.parentPath).startsWith('addons'))
    .flatMap((e) => {
      const file = path.join(e.parentPath, e.name);
      return readYamlDocs(file).map((object) => ({ file: path.relative(dist, file), object }));
    });
}

/** The unique name the pipeline gives a new Cluster XR (compositions/cluster/names.ts): where its AWS names start. */
export function uniqueNameOf(xr: any): string {
  return CLUSTER_NAMES.of({
    'spec.clusterName': xr.spec.clusterName,
    'metadata.name': xr.metadata.name,
    'metadata.namespace': xr.metadata.namespace,
    'spec.environment': xr.spec.environment,
  });
}
