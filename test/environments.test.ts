// Environment files are loaded without type-checking: every wrong value must come back as one line
// naming the file, the field, the value and the fix, in synth's usual format, never a stack trace.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ENVIRONMENT_PROBLEMS, loadEnvironments } from '../environments';
import { environmentProblems } from '../environments/environment';
import { repoRoot } from '../lib/paths';
import { fileTree } from './support';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

/** A copy of environments/ whose files are edited by `edits` (file -> [from, to] replacements). */
function environmentsCopy(edits: Record<string, [string, string][]> = {}, extra: Record<string, string> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-envs-'));
  temps.push(dir);
  const define = path.join(repoRoot, 'environments', 'environment');
  for (const f of ['dev.ts', 'staging.ts', 'prod.ts']) {
    let text = fs.readFileSync(path.join(repoRoot, 'environments', f), 'utf8').replace("'./environment'", JSON.stringify(define));
    for (const [from, to] of edits[f] ?? []) {
      expect(text, `${f} holds ${from}`).toContain(from);
      text = text.replace(from, to);
    }
    fs.writeFileSync(path.join(dir, f), text);
  }
  for (const [f, text] of Object.entries(extra)) fs.writeFileSync(path.join(dir, f), text);
  return dir;
}

/** A prefix of 129 characters: the EKS API (and so the EKSCluster part) takes 128 at most. */
const LONG_PREFIX = `dev/${'x'.repeat(124)}*`;

const prod = () => loadEnvironments(path.join(repoRoot, 'environments')).environments.find((e) => e.name === 'prod')!;

describe('environments/', () => {
  it('holds only environments without problems', () => {
    expect(ENVIRONMENT_PROBLEMS).toEqual([]);
  });

  it('names the file, the field, the value and the fix for every wrong value, a typo included', () => {
    // GIVEN a misspelled field, an unknown NAT mode and a prefix longer than the EKS API takes in dev, ACU out of range and an exact secret name in prod
    const dir = environmentsCopy({
      'dev.ts': [
        ["nat: 'Single'", "nat: 'Nope'"],
        ['karpenter:', 'karpentr:'],
        ["prefixes: ['dev/*'", `prefixes: ['${LONG_PREFIX}'`],
      ],
      'prod.ts': [
        ['maxAcu: 64', 'maxAcu: 300'],
        ["prefixes: ['production/*']", "prefixes: ['production/orders']"],
      ],
    });
    // WHEN they are loaded
    const { environments, problems } = loadEnvironments(dir);
    // THEN each problem is one line, and the good environment still loads
    const rel = (f: string) => path.relative(repoRoot, path.join(dir, f));
    expect(problems).toEqual([
      `${rel('dev.ts')}: karpentr: Forbidden: unknown field: did you mean "karpenter"?`,
      `${rel('dev.ts')}: network.nat: Invalid value: "Nope": use one of PerZone, Single, None`,
      `${rel('dev.ts')}: karpenter: Required value: an object with instanceFamilies, cpuLimit, memoryLimitGi, capacityTypes, replicas`,
      `${rel('dev.ts')}: externalSecrets.prefixes[0]: Invalid value: "${LONG_PREFIX}": end the prefix with * (e.g. production/*), at most 128 characters: Secrets Manager appends a random suffix to every secret ARN, so an exact name matches nothing`,
      `${rel('prod.ts')}: database.maxAcu: Invalid value: 300: a multiple of 0.5 from 0 to 256`,
      `${rel('prod.ts')}: externalSecrets.prefixes[0]: Invalid value: "production/orders": end the prefix with * (e.g. production/*), at most 128 characters: Secrets Manager appends a random suffix to every secret ARN, so an exact name matches nothing`,
    ]);
    expect(environments.map((e) => e.name)).toEqual(['staging']);
  });

  it('refuses system nodes of the other architecture, and a file that is not an environment', () => {
    const dir = environmentsCopy(
      { 'prod.ts': [["instanceTypes: ['m7g.xlarge']", "instanceTypes: ['m7g.xlarge', 'm7i.xlarge']"]] },
      { 'qa.ts': 'export default 42;\n' },
    );
    const rel = (f: string) => path.relative(repoRoot, path.join(dir, f));
    expect(loadEnvironments(dir).problems).toEqual([
      `${rel('prod.ts')}: kubernetes.systemNodes.instanceTypes: Invalid value: ["m7i.xlarge"]: m7i.xlarge is not arm64: use Graviton types (t4g, m7g, c7g...) for arm64, others for x86_64, or change architecture`,
      `${rel('qa.ts')}: export default defineEnvironment({...}) from './environment'`,
    ]);
  });

  it("refuses nat None: a Cluster's nodes are in private subnets and would never join", () => {
    const dir = environmentsCopy({ 'dev.ts': [["nat: 'Single'", "nat: 'None'"]] });
    expect(loadEnvironments(dir).problems).toEqual([
      `${path.relative(repoRoot, path.join(dir, 'dev.ts'))}: network.nat: Invalid value: "None": a Cluster's nodes run in private subnets, which without NAT cannot pull images or reach AWS APIs, so they never join (VPC endpoints are not offered yet): use Single (one NAT gateway, about $36.50 a month in us-east-1) or PerZone`,
    ]);
  });

  it('checks the rules between fields only once every field has its type', () => {
    expect(environmentProblems({ ...prod(), database: { ...prod().database, minAcu: 8, maxAcu: 4 } })).toEqual([
      { field: 'database', value: { minAcu: 8, maxAcu: 4 }, fix: 'minAcu must not exceed maxAcu' },
    ]);
    expect(environmentProblems({ ...prod(), aws: { ...prod().aws, assumeRoleArn: 'arn:aws:iam::111122223333:role/crossplane-provider' } })).toEqual([
      {
        field: 'aws.assumeRoleArn',
        value: 'arn:aws:iam::111122223333:role/crossplane-provider',
        fix: "the role must be in the environment's account 777788889999",
      },
    ]);
  });

  it('stops npm run synth with the problems in its usual format, no stack trace, dist/ untouched', () => {
    const dir = environmentsCopy({ 'staging.ts': [['backupRetentionDays: 7', 'backupRetentionDays: 90']] });
    const before = fileTree(path.join(repoRoot, 'dist'));
    const run = spawnSync(path.join(repoRoot, 'node_modules', '.bin', 'tsx'), ['scripts/synth.ts'], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, DRYDOCK_ENVIRONMENTS_DIR: dir },
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(
      `synth failed, dist/ left as it was:\n  - ${path.relative(repoRoot, path.join(dir, 'staging.ts'))}: database.backupRetentionDays: Invalid value: 90: a whole number from 1 to 35`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(fileTree(path.join(repoRoot, 'dist'))).toEqual(before);
  });
});
