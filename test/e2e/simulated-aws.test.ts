// The simulated AWS's own rules, without a cluster: tools/controlplane/aws_test.go (go test) walks
// each AWS refusal and adoption the lifecycle scenarios rely on.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../lib/paths';

describe('the simulated AWS (tools/controlplane)', () => {
  it('refuses and keeps what AWS refuses and keeps: dependencies, protection, adoption, versions, key deletion', () => {
    const res = spawnSync('go', ['test', '-count=1', '-v', './...'], {
      cwd: path.join(repoRoot, 'tools', 'controlplane'),
      encoding: 'utf8',
      env: { ...process.env, CGO_ENABLED: '0' },
    });
    const passed = [...res.stdout.matchAll(/^--- PASS: (\w+)/gm)].map((m) => m[1]);
    expect(res.status, `${res.stdout}${res.stderr}`).toBe(0);
    expect(passed.length).toBeGreaterThanOrEqual(10);
  }, 300_000);
});
