// `npm run render` admits its input as the API server would before rendering anything: an XR the
// API server refuses is reported in synth's format and never reaches the renderer.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../lib/paths';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-render-input-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function render(xr: string): { status: number | null; stdout: string; stderr: string } {
  const file = path.join(dir, 'xr.yaml');
  fs.writeFileSync(file, xr);
  return spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), ['scripts/render.ts', file], { cwd: repoRoot, encoding: 'utf8' });
}

describe('npm run render', () => {
  it('refuses an XR the API server would refuse, naming file, field, value and fix, and renders nothing', () => {
    const run = render(`apiVersion: platform.drydock.dev/v1alpha1
kind: Cluster
metadata: {name: orders, namespace: team-orders}
spec:
  environment: dev
  region: eu-west-1
  databse: {enabled: true}
  network: {cidr: 10.0.1.0/20}
`);
    const file = path.join(dir, 'xr.yaml');
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      [
        'render failed, nothing rendered:',
        `  - ${file}: Cluster team-orders/orders: spec.databse: Forbidden: unknown field "spec.databse": did you mean "database"?`,
        `  - ${file}: Cluster team-orders/orders: spec.network.cidr: Invalid value: "10.0.1.0/20": 10.0.1.0/20 has host bits set: give the first address of the block (e.g. 10.0.0.0/20, not 10.0.1.0/20)`,
      ].join('\n'),
    );
    expect(run.stdout).toBe('');
  });

  it('names the platform APIs when the kind is not one', () => {
    const run = render('apiVersion: platform.drydock.dev/v1alpha1\nkind: Netwrk\nmetadata: {name: a, namespace: team-orders}\nspec: {}\n');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/"Netwrk" is not a platform API: use one of .*Network/);
  });
});
