// Every example XR of every platform API rendered by the real Crossplane renderer (crank render)
// with the real functions on loopback, and every rendered resource validated against its CRD
// (crank beta validate --error-on-missing-schemas). Every example, valid or not, is also judged
// by crank against the XRD, which must agree with tools/kubevalidate's verdict.
//
// API-specific assertions on the rendered output live in test/<api>-render.test.ts.
// Needs crank and the functions in the tool cache (lib/tools.ts); without them these tests are
// reported skipped with the reason, and the always-on checks (composed-samples.test.ts) remain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examples, observedFor, platform, renderSetup, validateXrs } from './support';

const { compositions, folders } = platform();
const setup = renderSetup();
const exampleDir = (kind: string) => `compositions/${folders.get(kind)}/examples`;

// crank's validate does not enforce x-kubernetes-list-type: set uniqueness, which the API server
// (and kubevalidate) does: it accepts these examples that a cluster refuses.
const LIST_SET_ONLY = new Set(['network/repeated-zone.yaml']);

describe.skipIf(!setup.ready)('every example rendered by crank with the real functions', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  // Each example twice: as first created (nothing observed yet), and once AWS reports it, so
  // resources held back until another's status is known are rendered and checked too.
  const valid = compositions.flatMap((c) =>
    examples(exampleDir(c.api.kind)).flatMap((e) => [
      [`${c.api.kind} ${e.file}, new`, e.object, undefined] as const,
      [`${c.api.kind} ${e.file}, observed`, e.object, observedFor(c.api.kind, e.file)] as const,
    ]),
  );
  it.each(valid)('%s: renders into resources their CRDs accept', (_name, xr: any, observed) => {
    const out = setup.render(xr, observed);
    expect(out.composed.length).toBeGreaterThan(0);
    const v = setup.renderer.validate(out.composed);
    expect(v.ok, `crank beta validate refused resources of ${xr.kind} ${xr.metadata.name}:\n${v.output}`).toBe(true);
    const checked = out.composed.length - v.unchecked.length;
    expect(v.output).toContain(`Total ${checked} resources: 0 missing schemas, ${checked} success cases, 0 failure cases`);
    // Once AWS reports every resource Ready, so is the XR: nothing is held back for good.
    const ready = out.xr.status?.conditions?.find((c: any) => c.type === 'Ready');
    if (observed) expect(ready, JSON.stringify(ready)).toMatchObject({ status: 'True' });
  });

  const judged = compositions.flatMap((c) => [
    ...examples(exampleDir(c.api.kind)).map((e) => ({ kind: c.api.kind, file: e.file, object: e.object, valid: true })),
    ...examples(`${exampleDir(c.api.kind)}/invalid`).map((e) => ({ kind: c.api.kind, file: `invalid/${e.file}`, object: e.object, valid: false })),
  ]);
  it.each(judged.map((e) => [`${e.kind} ${e.file}`, e] as const))('%s: crank validate against the XRD agrees with kubevalidate', (_name, e) => {
    const ours = validateXrs(e.kind, [{ object: e.object }])[0];
    expect(ours.length === 0, ours.join('; ')).toBe(e.valid);
    const theirs = setup.renderer.validate([e.object], [setup.xrd(e.kind)]);
    const listSetOnly = LIST_SET_ONLY.has(`${folders.get(e.kind)}/${e.file.replace('invalid/', '')}`);
    expect(theirs.ok, theirs.output).toBe(e.valid || listSetOnly);
  });
});

if (!setup.ready) {
  describe('render with the real Crossplane renderer', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}
