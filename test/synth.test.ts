import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isBuiltIn } from '../lib/crds';
import { kubevalidate } from '../lib/kubevalidate';
import { repoRoot } from '../lib/paths';
import { crdForXrd } from '../lib/xrd';
import { readYamlDocs } from '../lib/yaml';
import { SynthError, synth } from '../scripts/synth';
import { committedDistObjects, crds, expectNoCrdErrors, fileTree } from './support';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-test-'));
  temps.push(d);
  return d;
}

/** A claims/ folder with the given files (path -> YAML). */
function claims(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [f, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), body);
  }
  return dir;
}

/** A platform-owned Network in the payments namespace, in the dev account (a team namespace reaches only its environments' accounts). */
const network = (name: string, spec: string) => `apiVersion: platform.drydock.dev/v1alpha1
kind: Network
metadata:
  name: ${name}
  namespace: payments
spec:
  providerConfigName: dev
${spec}
`;

const synthError = (f: () => unknown): SynthError => {
  try {
    f();
  } catch (e) {
    if (e instanceof SynthError) return e;
    throw e;
  }
  throw new Error('synth did not fail');
};

describe('synth', () => {
  it('is deterministic: a second synth changes no byte', () => {
    const out = path.join(tempDir(), 'dist');
    const claimsDir = claims({ 'dev/team-a.yaml': network('team-a', '  region: eu-west-1') });
    synth({ outDir: out, claimsDir, catalog: crds() });
    const first = fileTree(out);
    synth({ outDir: out, claimsDir, catalog: crds() });
    expect(fileTree(out)).toEqual(first);
    expect(Object.keys(first)).toContain('clusters/dev/payments/network-team-a.yaml');
  });

  it('writes developer XRs to clusters/<environment>/ after the compositions, so Argo CD applies them last', () => {
    const out = path.join(tempDir(), 'dist');
    const summary = synth({ outDir: out, claimsDir: claims({ 'prod/team-a.yaml': network('team-a', '  region: eu-west-1') }), catalog: crds() });
    expect(summary.developerXrs).toBe(1);
    const [xr] = readYamlDocs(path.join(out, 'clusters/prod/payments/network-team-a.yaml'));
    expect(xr.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('4');
    const [composition] = readYamlDocs(path.join(out, 'apis/network/composition.yaml'));
    expect(Number(composition.metadata.annotations['argocd.argoproj.io/sync-wave'])).toBeLessThan(4);
  });

  it('leaves the old dist/ untouched and names file, field and value when a developer XR is wrong', () => {
    // GIVEN a dist/ from an earlier synth
    const parent = tempDir();
    const out = path.join(parent, 'dist');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'earlier.yaml'), 'kept: true\n');
    // WHEN a claim has host bits set in its CIDR
    const claimsDir = claims({ 'dev/bad.yaml': network('bad', '  region: eu-west-1\n  cidr: 10.0.1.0/20') });
    const err = synthError(() => synth({ outDir: out, claimsDir, catalog: crds() }));
    // THEN the error says where and what, and nothing was written
    expect(err.problems).toEqual([
      `${path.relative(repoRoot, path.join(claimsDir, 'dev/bad.yaml'))}: Network payments/bad: spec.cidr: Invalid value: "10.0.1.0/20": 10.0.1.0/20 has host bits set: give the first address of the block (e.g. 10.0.0.0/20, not 10.0.1.0/20)`,
    ]);
    expect(err.message).toMatch(/dist\/ left as it was/);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
    expect(fs.readdirSync(out)).toEqual(['earlier.yaml']);
  });

  it('refuses unknown environments, unknown kinds, missing namespaces and duplicates', () => {
    const claimsDir = claims({
      'qa/x.yaml': network('x', '  region: eu-west-1'),
      'dev/kind.yaml': 'apiVersion: platform.drydock.dev/v1alpha1\nkind: Netwrk\nmetadata: {name: y, namespace: a}\nspec: {}\n',
      'dev/nons.yaml': 'apiVersion: platform.drydock.dev/v1alpha1\nkind: Network\nmetadata: {name: z}\nspec: {region: eu-west-1}\n',
      'dev/one.yaml': network('twin', '  region: eu-west-1'),
      'dev/two.yaml': network('twin', '  region: eu-west-1'),
    });
    const rel = (f: string) => path.relative(repoRoot, path.join(claimsDir, f));
    const err = synthError(() => synth({ outDir: path.join(tempDir(), 'dist'), claimsDir, catalog: crds() }));
    expect(err.problems).toEqual([
      `${rel('dev/kind.yaml')}: apiVersion/kind "platform.drydock.dev/v1alpha1" "Netwrk" is not a platform API: did you mean "platform.drydock.dev/v1alpha1/Network"?`,
      `${rel('dev/nons.yaml')}: Network needs metadata.name and metadata.namespace (platform APIs are namespaced)`,
      `${rel('qa')}: "qa" is not an environment: use one of dev, prod, staging`,
      `${rel('dev/two.yaml')}: Network payments/twin is also defined in ${rel('dev/one.yaml')}: names must be unique per namespace`,
    ]);
  });

  it('refuses a claim that sets the sync wave synth writes, instead of silently overwriting it', () => {
    const claimsDir = claims({
      'dev/early.yaml': network('early', '  region: eu-west-1').replace(
        '  namespace: payments',
        '  namespace: payments\n  annotations: {argocd.argoproj.io/sync-wave: "-1"}',
      ),
    });
    const err = synthError(() => synth({ outDir: path.join(tempDir(), 'dist'), claimsDir, catalog: crds() }));
    expect(err.problems).toEqual([
      `${path.relative(repoRoot, path.join(claimsDir, 'dev/early.yaml'))}: Network payments/early sets metadata.annotations["argocd.argoproj.io/sync-wave"], which synth writes (XRs sync last, after their APIs): remove it`,
    ]);
  });

  it("refuses a Cluster in another environment's folder, and a misspelled field, naming file, field and fix", () => {
    const cluster = (name: string, spec: string) =>
      `apiVersion: platform.drydock.dev/v1alpha1\nkind: Cluster\nmetadata: {name: ${name}, namespace: payments}\nspec:\n${spec}\n`;
    const claimsDir = claims({
      'dev/moved.yaml': cluster('moved', '  environment: prod\n  region: eu-west-1'),
      'dev/nowhere.yaml': cluster('nowhere', '  environment: qa\n  region: eu-west-1'),
      'dev/typo.yaml': cluster('typo', '  environment: dev\n  region: eu-west-1\n  databse: {enabled: true}'),
      'dev/stranger.yaml': cluster('stranger', '  environment: dev\n  region: eu-west-1').replace('namespace: payments', 'namespace: strangers'),
    });
    const rel = (f: string) => path.relative(repoRoot, path.join(claimsDir, f));
    const err = synthError(() => synth({ outDir: path.join(tempDir(), 'dist'), claimsDir, catalog: crds() }));
    expect(err.problems).toEqual([
      `${rel('dev/moved.yaml')}: Cluster payments/moved has spec.environment "prod" but lives in claims/dev/: move the file to claims/prod/ or set spec.environment: dev`,
      // qa is no environment: claims/qa/ would be refused too, so only the field is suggested
      `${rel('dev/nowhere.yaml')}: Cluster payments/nowhere has spec.environment "qa" but lives in claims/dev/: set spec.environment: dev ("qa" is not an environment: use one of dev, prod, staging)`,
      `${rel('dev/stranger.yaml')}: namespace "strangers" is not a team namespace: add it to PLATFORM.teams in environments/platform.ts (its RoleBinding and Namespace follow)`,
      `${rel('dev/typo.yaml')}: Cluster payments/typo: spec.databse: Forbidden: unknown field "spec.databse": did you mean "database"?`,
    ]);
  });

  it("refuses a claim the control cluster would refuse, with the admission policy's message, before anything is written", () => {
    const claimsDir = claims({
      'prod/orders.yaml':
        'apiVersion: platform.drydock.dev/v1alpha1\nkind: Cluster\nmetadata: {name: orders, namespace: team-orders}\nspec: {environment: prod, region: eu-west-1}\n',
    });
    const err = synthError(() => synth({ outDir: path.join(tempDir(), 'dist'), claimsDir, catalog: crds() }));
    expect(err.problems).toEqual([
      `${path.relative(repoRoot, path.join(claimsDir, 'prod/orders.yaml'))}: the control cluster would refuse it (as Argo CD applies it): clusters.platform.drydock.dev "orders" is forbidden: ValidatingAdmissionPolicy 'drydock-clusters' with binding 'drydock-clusters' denied request: spec.environment: "prod" is not an environment of team namespace team-orders (it may use dev, staging): use one of those, or ask the platform team to add "prod" to the team's environments in environments/platform.ts`,
    ]);
  });

  it('warns about Clusters whose VPCs overlap in the same account and region, naming both', () => {
    const cluster = (name: string, env: string, cidr?: string) =>
      `apiVersion: platform.drydock.dev/v1alpha1\nkind: Cluster\nmetadata: {name: ${name}, namespace: payments}\nspec:\n  environment: ${env}\n  region: eu-west-1\n${cidr ? `  network: {cidr: ${cidr}}\n` : ''}`;
    const claimsDir = claims({
      'dev/a.yaml': cluster('a', 'dev'),
      'dev/b.yaml': cluster('b', 'dev', '10.0.128.0/17'),
      'dev/c.yaml': cluster('c', 'dev', '10.1.0.0/16'),
      'prod/d.yaml': cluster('d', 'prod'),
    });
    const rel = (f: string) => path.relative(repoRoot, path.join(claimsDir, f));
    const summary = synth({ outDir: path.join(tempDir(), 'dist'), claimsDir, catalog: crds() });
    expect(summary.warnings).toEqual([
      `${rel('dev/a.yaml')} (10.0.0.0/16) and ${rel('dev/b.yaml')} (10.0.128.0/17): VPC CIDRs overlap in account 111122223333, eu-west-1: give one spec.network.cidr a free block if they may ever be connected`,
    ]);
  });

  it('reports a file that is not YAML', () => {
    const claimsDir = claims({ 'dev/broken.yaml': 'spec: [unclosed\n' });
    const err = synthError(() => synth({ outDir: path.join(tempDir(), 'dist'), claimsDir, catalog: crds() }));
    expect(err.problems[0]).toMatch(/dev\/broken\.yaml: not valid YAML: /);
  });
});

describe('committed dist/', () => {
  const dist = path.join(repoRoot, 'dist');

  it('is what synth writes today, and so is docs/apis/', () => {
    const out = path.join(tempDir(), 'dist');
    const docs = path.join(tempDir(), 'apis');
    synth({ outDir: out, docsDir: docs, catalog: crds() });
    expect(fileTree(dist)).toEqual(fileTree(out));
    expect(fileTree(path.join(repoRoot, 'docs', 'apis'))).toEqual(fileTree(docs));
    expect(Object.keys(fileTree(docs)).sort()).toEqual(['cluster.md', 'database.md', 'ekscluster.md', 'network.md']);
  });

  it('holds only objects the API server accepts, each checked against its upstream CRD or XRD', () => {
    const all = committedDistObjects();
    const xrds = all.filter((d) => d.object.kind === 'CompositeResourceDefinition').map((d) => crdForXrd(d.object));
    const xrKinds = new Set(xrds.map((c) => `${c.spec.group}/${c.spec.names.kind}`));
    const upstream = new Map<string, unknown>();
    for (const { object } of all) {
      if (xrKinds.has(`${object.apiVersion.split('/')[0]}/${object.kind}`) || isBuiltIn(object.apiVersion)) continue;
      const crd = crds().find(object.apiVersion, object.kind);
      expect(crd, `${object.kind} ${object.apiVersion} has an upstream CRD`).toBeTruthy();
      upstream.set(crd.metadata.name, crd);
    }
    const checked = all.filter((d) => !isBuiltIn(d.object.apiVersion));
    const report = kubevalidate(
      [...upstream.values(), ...xrds],
      checked.map((d, i) => ({ id: String(i), object: d.object })),
    );
    expectNoCrdErrors(report.crds);
    const problems = report.objects.flatMap((o) => o.errors.map((f) => `${checked[Number(o.id)].file}: ${f.message}`));
    expect(problems).toEqual([]);
    expect(all.length).toBeGreaterThan(5);
  });
});
