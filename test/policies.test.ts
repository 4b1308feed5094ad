// The policy gate (policies/*.rego, run by conftest): every fixture is refused by the rule it
// names, with a message naming the object and the rule; every object in dist/ and every resource
// the real renderer composes from every example passes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../lib/paths';
import { checkPolicies } from '../lib/policy';
import { readYamlDocs } from '../lib/yaml';
import { committedDistObjects, examples, observedFor, platform, renderSetup } from './support';

const FIXTURES = path.join(repoRoot, 'policies', 'fixtures');
const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: f, object: readYamlDocs(path.join(FIXTURES, f))[0] }));
const RULES = [
  'imdsv2',
  'encryption-at-rest',
  'no-public-database',
  'production-data-protection',
  'iam-least-privilege',
  'pod-identity-trust',
  'pod-identity-session-tags',
  'security-group-vpc',
  'ownership-tag-pinned',
  'launch-own-network',
  'interruption-queue',
  'no-prune-in-production',
  'deletion-order',
];

describe('policy gate', () => {
  const findings = checkPolicies(fixtures.map((f) => f.object));

  it('has a fixture for every rule', () => {
    expect([...new Set(fixtures.map((f) => f.object.metadata.annotations['test.drydock.dev/expected-rule']))].sort()).toEqual([...RULES].sort());
  });

  it.each(fixtures.map((f, i) => [f.file, f, i] as const))('refuses %s, naming the object and the rule', (_file, f, i) => {
    const rule = f.object.metadata.annotations['test.drydock.dev/expected-rule'];
    const mine = findings.filter((x) => x.index === i).map((x) => x.message);
    expect(mine.length, `no finding for ${f.file}`).toBeGreaterThan(0);
    for (const m of mine) expect(m).toMatch(new RegExp(`^${f.object.kind} ${f.object.metadata.name}: rule ${rule}: `));
  });

  it('passes every object in dist/', () => {
    const objects = committedDistObjects().map((d) => d.object);
    expect(objects.length).toBeGreaterThan(50);
    expect(checkPolicies(objects).map((f) => f.message)).toEqual([]);
  });
});

const setup = renderSetup();

describe.skipIf(!setup.ready)('policy gate over everything the examples render', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  it('passes every resource of every valid example, new and observed', () => {
    const { compositions, folders } = platform();
    const rendered = compositions.flatMap((c) =>
      examples(`compositions/${folders.get(c.api.kind)}/examples`).flatMap((e) => [
        ...setup.render(e.object).composed,
        ...setup.render(e.object, observedFor(c.api.kind, e.file)).composed,
      ]),
    );
    expect(rendered.length).toBeGreaterThan(200);
    expect(checkPolicies(rendered).map((f) => f.message)).toEqual([]);
  });
});

if (!setup.ready) {
  describe('policy gate over rendered resources', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}
