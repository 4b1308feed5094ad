// Test engines this repository builds itself from the Go module proxy (tools/<name>/), once,
// into the cache outside the repo, keyed by a hash of their sources so a change rebuilds them.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GO_LIBRARIES } from '../catalog';
import { repoRoot, toolCacheDir } from './paths';

/** Path of the binary built from tools/<name>/, building it first when the cache lacks it. */
export function goToolBinary(name: string): string {
  checkPinned(name);
  const bin = path.join(toolCacheDir(), 'bin', `${name}-${sourceHash(name)}`);
  if (!fs.existsSync(bin)) {
    process.stderr.write(`building ${name} (tools/${name}) into ${path.dirname(bin)}; the first build takes a few minutes\n`);
    goBuild(name, '.', bin, []);
  }
  return bin;
}

/** Refuse to build tools/<name> when its go.mod builds another version than catalog/versions.ts pins. */
function checkPinned(name: string): void {
  const goMod = fs.readFileSync(path.join(repoRoot, 'tools', name, 'go.mod'), 'utf8');
  const pinned: Readonly<Record<string, string>> = GO_LIBRARIES[`tools/${name}` as keyof typeof GO_LIBRARIES] ?? {};
  for (const [module, version] of Object.entries(pinned)) {
    const built = goModVersion(goMod, module);
    if (built !== version)
      throw new Error(
        `tools/${name}/go.mod builds ${module} at ${built ?? 'no version'}, but catalog/versions.ts pins ${version}: change one to match (then go mod tidy in tools/${name})`,
      );
  }
}

/**
 * Paths of several programs built from one module in tools/<name>/ (packages of the module or of
 * its requirements, e.g. k8s.io/kubernetes/cmd/kube-apiserver), with linker flags, into
 * <cache>/bin/<name>-<hash>/: the hash covers the module's sources, so a version change rebuilds.
 */
export function goToolBinaries(name: string, props: { programs: Record<string, string>; ldflags?: readonly string[] }): Record<string, string> {
  checkPinned(name);
  const dir = path.join(toolCacheDir(), 'bin', `${name}-${sourceHash(name, props.ldflags)}`);
  const out: Record<string, string> = {};
  for (const [program, pkg] of Object.entries(props.programs)) {
    out[program] = path.join(dir, program);
    if (fs.existsSync(out[program])) continue;
    process.stderr.write(`building ${program} (tools/${name}: ${pkg}) into ${dir}; the first build takes minutes\n`);
    goBuild(name, pkg, out[program], props.ldflags ?? []);
  }
  return out;
}

/** Hash of go.mod, go.sum and every .go file of tools/<name>/ (and extra build inputs). */
function sourceHash(name: string, extra: readonly string[] = []): string {
  const source = path.join(repoRoot, 'tools', name);
  const goFiles = fs
    .readdirSync(source, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.go'))
    .sort();
  const hash = createHash('sha256');
  for (const f of ['go.mod', 'go.sum', ...goFiles]) hash.update(fs.readFileSync(path.join(source, f)));
  for (const e of extra) hash.update(e);
  return hash.digest('hex').slice(0, 12);
}

function goBuild(name: string, pkg: string, bin: string, ldflags: readonly string[]): void {
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  const tmp = `${bin}.tmp-${process.pid}`;
  execFileSync('go', ['build', '-trimpath', ...(ldflags.length ? ['-ldflags', ldflags.join(' ')] : []), '-o', tmp, pkg], {
    cwd: path.join(repoRoot, 'tools', name),
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CGO_ENABLED: '0' },
  });
  fs.renameSync(tmp, bin);
}

/**
 * Path of a command the Go module proxy serves, installed once with `go install module@version`
 * into <cache>/go-proxy/<name>@<version>/ (e.g. helm.sh/helm/v3/cmd/helm at the version of catalog/versions.ts).
 */
export function goInstalled(name: string, module: string, version: string): string {
  const dir = path.join(toolCacheDir(), 'go-proxy', `${name}@${version}`);
  const bin = path.join(dir, name);
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(dir, { recursive: true });
    process.stderr.write(`installing ${module}@${version} into ${dir}; the first build takes a minute or two\n`);
    // Installed beside the cache folder and renamed in, as goBuild does: two test files asking at
    // once (a bare vitest run on an empty cache) never see, or run, a half-written binary.
    const staging = fs.mkdtempSync(`${dir}.tmp-`);
    try {
      execFileSync('go', ['install', `${module}@${version}`], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, GOBIN: staging, CGO_ENABLED: '0' },
      });
      fs.renameSync(path.join(staging, name), bin);
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  }
  return bin;
}

/** The version a go.mod builds `module` at: its `replace` target when it has one, else its `require`. */
export function goModVersion(goMod: string, module: string): string | undefined {
  const quoted = module.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const replaced = new RegExp(`^\\s*(?:replace\\s+)?${quoted}(?:\\s+v\\S+)?\\s+=>\\s+\\S+\\s+(v\\S+)\\s*$`, 'm').exec(goMod);
  if (replaced) return replaced[1];
  return new RegExp(`^\\s*(?:require\\s+)?${quoted}\\s+(v\\S+)(?:\\s+//.*)?$`, 'm').exec(goMod)?.[1];
}
