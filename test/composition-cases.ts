// Composition tests as data, after Upbound's CompositionTest {xr, observed, assertResources}: an
// XR, what AWS reports, and what the real renderer must compose from them. A case says what an
// example gets, not how the composition's patches get it there, so it survives any refactor that
// keeps the behaviour.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isManaged } from '../compositions/authoring';
import { repoRoot } from '../lib/paths';
import { type ObservedFixture, type RenderedXr, readObservedFixture, resourceName } from '../lib/render';
import { exampleDir, examples, type renderSetup } from './support';

export interface CompositionCase {
  /** What the case shows, as a sentence. */
  readonly says: string;
  /** An example of the API (its file name under examples/), or an XR. */
  readonly xr: string | Record<string, unknown>;
  /**
   * What AWS reports: a fixture file under the API's examples/observed/, a fixture, or nothing yet.
   * @default - nothing observed: the first reconcile of a new XR
   */
  readonly observed?: string | ObservedFixture;
  /** The composed resources of each kind listed: exactly these composition-resource-names. */
  readonly composes?: Readonly<Record<string, readonly string[]>>;
  /** Fields composed resources must have (each a subset of the rendered object), by composition-resource-name. */
  readonly resources?: Readonly<Record<string, unknown>>;
  /** Fields every composed managed resource must have (a subset), e.g. the region and account placement writes (Usages have none). */
  readonly everyResource?: Record<string, unknown>;
  /** Resources that must not be composed, by name or pattern. */
  readonly absent?: readonly (string | RegExp)[];
  /** Fields the XR's status must have (a subset). */
  readonly status?: Record<string, unknown>;
}

/** Render each case with the real renderer and check what it composes. */
export function describeCases(kind: string, cases: readonly CompositionCase[], setup: ReturnType<typeof renderSetup>): void {
  describe.skipIf(!setup.ready)(`${kind}: what each case composes (real renderer)`, () => {
    beforeAll(setup.start);
    afterAll(setup.stop);
    it.each(cases.map((c) => [c.says, c] as const))('%s', (_says, c) => {
      const out = setup.render(xrOf(kind, c.xr), observedOf(kind, c.observed));
      expectCase(out, c);
    });
  });
  if (!setup.ready) {
    describe(`${kind} cases`, () => {
      it.skip(`skipped: ${setup.reason}`, () => {});
    });
  }
}

function xrOf(kind: string, xr: CompositionCase['xr']): any {
  if (typeof xr !== 'string') return xr;
  const found = examples(exampleDir(kind)).find((e) => e.file === xr);
  if (!found) throw new Error(`${kind} has no example ${xr}`);
  return found.object;
}

function observedOf(kind: string, observed: CompositionCase['observed']): ObservedFixture | undefined {
  if (typeof observed !== 'string') return observed;
  return readObservedFixture(path.join(repoRoot, exampleDir(kind), 'observed', observed));
}

function expectCase(out: RenderedXr, c: CompositionCase): void {
  for (const [kind, names] of Object.entries(c.composes ?? {})) {
    expect(out.ofKind(kind).map(resourceName).sort(), `${kind} composed`).toEqual([...names].sort());
  }
  for (const [name, fields] of Object.entries(c.resources ?? {})) {
    const r = out.byName(name);
    expect(r, `resource ${name} is composed`).toBeDefined();
    expect(r, name).toMatchObject(fields as object);
  }
  if (c.everyResource) for (const r of out.composed.filter((o) => isManaged(o.apiVersion))) expect(r, resourceName(r)).toMatchObject(c.everyResource);
  const composed = out.composed.map(resourceName);
  for (const absent of c.absent ?? []) {
    const found = composed.filter((n) => (typeof absent === 'string' ? n === absent : absent.test(n)));
    expect(found, `not composed: ${absent}`).toEqual([]);
  }
  if (c.status) expect(out.xr.status, 'XR status').toMatchObject(c.status);
}
