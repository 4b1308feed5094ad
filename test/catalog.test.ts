// catalog/ is the one place versions live: the code reads it, and what cannot read it (go.mod, the
// README, comments) is held to it here.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AURORA, CHARTS, FUNCTIONS, GO_LIBRARIES, IMAGES, KUBERNETES, POLICY_SOURCES, pinnedVersions } from '../catalog';
import { ADDON_SPECS } from '../charts/addons';
import { ADDON_SOURCES } from '../charts/argocd';
import { functionsOf } from '../compositions/authoring';
import { ADDONS } from '../compositions/cluster/definition';
import { withVersionsTable } from '../lib/catalog-doc';
import { goModVersion } from '../lib/go-tools';
import { repoRoot } from '../lib/paths';
import { platform } from './support';

/** Hand-written files: what git tracks (or would), without generated trees and dependency manifests. */
function handWrittenFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: repoRoot, encoding: 'utf8' });
  // releases/: Compositions frozen by npm run release, with the versions the catalog had when cut.
  const generated = [
    /^catalog\//,
    /^imports\//,
    /^dist\//,
    /^docs\/apis\//,
    /^releases\//,
    /(^|\/)go\.(mod|sum)$/,
    /^package(-lock)?\.json$/,
    /^node_modules/,
  ];
  return listed
    .split('\n')
    .filter((f) => f && !generated.some((g) => g.test(f)) && fs.existsSync(path.join(repoRoot, f)))
    .filter((f) => /\.(ts|mts|go|md|ya?ml|json|rego|lua|tpl|sh)$|^\.ci\//.test(f));
}

describe('catalog/versions.ts, the one manifest of pinned versions', () => {
  it('is what the README tables say (npm run synth rewrites them)', () => {
    const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(withVersionsTable(readme)).toBe(readme);
  });

  it.each(Object.entries(GO_LIBRARIES).flatMap(([folder, modules]) => Object.entries(modules).map(([m, v]) => [folder, m, v])))(
    '%s/go.mod builds %s at %s',
    (folder, module, version) => {
      const goMod = fs.readFileSync(path.join(repoRoot, folder, 'go.mod'), 'utf8');
      expect(goModVersion(goMod, module), `${folder}/go.mod: set ${module} to ${version} (catalog/versions.ts GO_LIBRARIES), then go mod tidy`).toBe(
        version,
      );
    },
  );

  it('holds tools/argocd to one Kubernetes release for every k8s.io module it replaces, as Argo CD does', () => {
    const goMod = fs.readFileSync(path.join(repoRoot, 'tools/argocd/go.mod'), 'utf8');
    const wanted = GO_LIBRARIES['tools/argocd']['k8s.io/api'];
    const others = [...goMod.matchAll(/^\s*(k8s\.io\/[\w-]+) => k8s\.io\/[\w-]+ (v\S+)$/gm)]
      .filter((m) => m[2] !== wanted)
      .map((m) => `${m[1]} ${m[2]}`);
    expect(others).toEqual([]);
  });

  it('reads the go.mod forms Go writes: a require block line, a one-line require, a replace', () => {
    const goMod =
      'module x\n\nrequire a.io/b v1.0.0\n\nrequire (\n\tc.io/d v2.0.0 // indirect\n\te.io/f v3.0.0\n)\n\nreplace e.io/f => e.io/f v3.1.0\n';
    expect([goModVersion(goMod, 'a.io/b'), goModVersion(goMod, 'c.io/d'), goModVersion(goMod, 'e.io/f'), goModVersion(goMod, 'g.io/h')]).toEqual([
      'v1.0.0',
      'v2.0.0',
      'v3.1.0',
      undefined,
    ]);
  });

  it('is the only place a pinned version is written: no hand-written file repeats one', () => {
    const readme = (text: string) => withVersionsTable(text, '');
    const found: string[] = [];
    const files = handWrittenFiles();
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      let text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      if (file === 'README.md') text = readme(text);
      for (const { where, version } of pinnedVersions()) {
        const bare = version.replace(/^v/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        const re = new RegExp(`(?<![\\w.-])v?${bare}(?![\\w-]|\\.\\d)`);
        const m = re.exec(text);
        if (m) found.push(`${file}:${text.slice(0, m.index).split('\n').length}: "${m[0]}" is ${where}: read it from catalog/ instead`);
      }
    }
    expect(found).toEqual([]);
  });

  it('keeps Kubernetes and Aurora versions out of the code: only catalog/ and environments/ (and the YAML examples and claims) name one', () => {
    const versions = [...Object.keys(KUBERNETES.order), ...[...AURORA.offered, ...AURORA.retired].map((v) => v.version)];
    // Environment files name their versions: environments/ and the reference architectures' own.
    const environmentFile = (f: string) => /^environments\/|\/examples\/reference\/[^/]+\/environments\//.test(f);
    const code = handWrittenFiles().filter((f) => /\.(ts|mts|go|rego|lua|tpl|sh)$/.test(f) && !environmentFile(f));
    const found: string[] = [];
    for (const file of code) {
      const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
      for (const version of versions) {
        // A version as a value: quoted, or after "Kubernetes"/"PostgreSQL" in a sentence the code writes.
        const re = new RegExp(`(['"\`]${version.replace('.', '\\.')}['"\`]|(Kubernetes|PostgreSQL|EKS) ${version.replace('.', '\\.')}(?![\\d.]))`);
        const m = re.exec(text);
        if (m) found.push(`${file}:${text.slice(0, m.index).split('\n').length}: ${m[0]}: read it from catalog/ (KUBERNETES, AURORA) instead`);
      }
    }
    expect(found).toEqual([]);
  });

  it('links each toggled add-on to the chart its ApplicationSet installs, so its Kubernetes range guards the right toggle', () => {
    for (const spec of ADDON_SPECS.filter((a) => a.toggle)) expect(spec.chart, spec.name).toBe(CHARTS[ADDONS[spec.toggle!].chart]);
  });

  it('pins each add-on chart once, used by exactly one add-on, and the add-on projects allow exactly their repositories', () => {
    const used = ADDON_SPECS.flatMap((a) => (a.chart === 'own' ? [] : [a.chart]));
    expect(used).toEqual(Object.values(CHARTS));
    expect([...ADDON_SOURCES]).toEqual([...new Set(used.map((c) => c.repoURL))]);
  });

  it("runs ExternalDNS's record cleanup with the image the pinned chart runs (its appVersion)", () => {
    const chart = fs.readFileSync(path.join(repoRoot, '..', 'shared', 'reference', 'charts', CHARTS['external-dns'].reference, 'Chart.yaml'), 'utf8');
    const appVersion = /^appVersion:\s*"?([^"\s]+)"?/m.exec(chart)![1];
    expect(IMAGES.externalDns.version, `CHARTS['external-dns'] runs external-dns ${appVersion}: set IMAGES.externalDns to v${appVersion}`).toBe(
      `v${appVersion}`,
    );
  });

  it('names every function the compositions run, and no other', () => {
    expect(functionsOf(platform().compositions).map((f) => `${f.name}@${f.version}`)).toEqual(
      Object.entries(FUNCTIONS)
        .map(([name, f]) => `${name}@${f.version}`)
        .sort(),
    );
  });

  it.each(Object.entries(POLICY_SOURCES).flatMap(([name, s]) => ('reviewedFor' in s ? [[name, s.reviewedFor] as const] : [])))(
    'has the %s IAM policy reviewed for the chart release it installs',
    (name, reviewed) => {
      expect(
        CHARTS[reviewed.chart].version,
        `CHARTS['${reviewed.chart}'] moved: compare compositions/eks/policies with POLICY_SOURCES.${name} at the new release, then update both`,
      ).toBe(reviewed.version);
    },
  );
});
