// The policy gate: the rules in policies/ (Rego) run by Open Policy Agent's conftest, installed
// from the Go module proxy, over any objects: dist/, rendered resources, fixtures.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TOOLS } from '../catalog';
import { SECRET_OWNER_TAG, WILDCARD_ALLOWED } from '../compositions/eks/policies';
import { goInstalled } from './go-tools';
import { repoRoot } from './paths';
import { toYaml } from './yaml';

export const conftestBinary = () => goInstalled('conftest', TOOLS.conftest.module, TOOLS.conftest.version);

export interface PolicyFinding {
  /** Index of the object in the input. */
  readonly index: number;
  readonly message: string;
}

/** Every rule each object breaks (the deny messages name the object and the rule). */
export function checkPolicies(objects: readonly unknown[]): PolicyFinding[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-policy-'));
  try {
    // The IAM allow list and the secrets' owner tag have one source each: the EKS API's.
    const data = path.join(dir, 'data.json');
    fs.writeFileSync(data, JSON.stringify({ wildcard_resource_allowed: Object.keys(WILDCARD_ALLOWED), secret_owner_tag: SECRET_OWNER_TAG }));
    const files = objects.map((o, i) => {
      const f = path.join(dir, `${String(i).padStart(5, '0')}.yaml`);
      fs.writeFileSync(f, toYaml([o]));
      return f;
    });
    const res = spawnSync(
      conftestBinary(),
      ['test', '--no-color', '--policy', path.join(repoRoot, 'policies'), '--data', data, '--output', 'json', ...files],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      },
    );
    if (res.status !== 0 && res.status !== 1) throw new Error(`conftest failed (exit ${res.status}): ${res.stderr || res.stdout}`);
    const results: { filename: string; failures?: { msg: string }[] }[] = JSON.parse(res.stdout);
    return results.flatMap((r) => (r.failures ?? []).map((f) => ({ index: Number(path.basename(r.filename, '.yaml')), message: f.msg })));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
