// How the providers dist/ installs are run: the flags each DeploymentRuntimeConfig gives its
// `package-runtime` container are flags the pinned program accepts (asked of the program itself),
// and provider-kubernetes looks at the teardown's watchers often enough for a teardown to finish
// within the lifecycle scenario's bound (test/e2e/support.ts BOUNDS.teardownSeconds).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDER_KUBERNETES_ARGS } from '../charts/crossplane';
import { PROVIDER_KUBERNETES } from '../lib/controlplane/components';
import { repoRoot } from '../lib/paths';
import { toolPath } from '../lib/tools';
import { readYamlDocs } from '../lib/yaml';

const runtimeArgs = (name: string): string[] => {
  const rc = readYamlDocs(path.join(repoRoot, 'dist/crossplane/providers.yaml')).find(
    (d) => d.kind === 'DeploymentRuntimeConfig' && d.metadata.name === name,
  );
  const container = rc?.spec.deploymentTemplate?.spec.template.spec.containers.find((c: any) => c.name === 'package-runtime');
  return container?.args ?? [];
};

/** `--poll=1m` as seconds (Go durations of minutes and seconds, which is what we write). */
const seconds = (d: string) => [...d.matchAll(/(\d+)([hms])/g)].reduce((s, [, n, u]) => s + Number(n) * { h: 3600, m: 60, s: 1 }[u]!, 0);

describe('the providers as dist/ runs them', () => {
  const kubernetes = runtimeArgs('provider-kubernetes');

  it('runs provider-kubernetes with the flags charts/crossplane.ts sets', () => {
    expect(kubernetes).toEqual([...PROVIDER_KUBERNETES_ARGS]);
  });

  it('re-observes each teardown watcher at least every minute (its default is 10), with watches on for the Jobs that ask', () => {
    const poll = kubernetes.find((a) => a.startsWith('--poll='));
    expect(poll, 'provider-kubernetes runs with its own --poll').toBeDefined();
    expect(seconds(poll!.slice('--poll='.length))).toBeGreaterThan(0);
    expect(seconds(poll!.slice('--poll='.length))).toBeLessThanOrEqual(60);
    expect(kubernetes).toContain('--enable-watches');
  });

  const bin = toolPath(PROVIDER_KUBERNETES);
  it.skipIf(!fs.existsSync(bin))(`every flag is one the pinned provider-kubernetes accepts (${bin})`, () => {
    // kingpin prints `--[no-]enable-watches` for booleans and `--poll=10m` for values.
    const run = spawnSync(bin, ['--help'], { encoding: 'utf8' });
    const help = `${run.stdout}${run.stderr}`; // kingpin writes its usage to stderr
    expect(help).toContain('usage: provider-kubernetes');
    const accepted = new Set([...help.matchAll(/--(?:\[no-\])?([a-z][a-z0-9-]*)/g)].map((m) => m[1]));
    const given = kubernetes.map((a) => /^--(?:no-)?([a-z][a-z0-9-]*)/.exec(a)?.[1]);
    expect(given.filter((f) => !f || !accepted.has(f))).toEqual([]);
  });
});
