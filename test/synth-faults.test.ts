// Fault injection: synth broken at every stage leaves the committed dist/ byte for byte as it was,
// and no temporary tree behind (a killed synth's is cleared by the next one).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../lib/paths';
import { buildPlatform } from '../main';
import { SynthError, synth } from '../scripts/synth';
import { crds, fileTree } from './support';

/**
 * Replace a function of node:fs for synth to trip on. Module namespaces are frozen, so patch the
 * built-in module itself and sync its ESM view; afterEach puts the original back.
 */
const nodeFs: typeof fs = require('node:fs');
const restores: (() => void)[] = [];
function breakFs<K extends 'writeFileSync' | 'renameSync'>(name: K, fake: (real: (typeof fs)[K]) => (typeof fs)[K]): void {
  const real = nodeFs[name];
  nodeFs[name] = fake(real);
  syncBuiltinESMExports();
  restores.push(() => {
    nodeFs[name] = real;
    syncBuiltinESMExports();
  });
}

const temps: string[] = [];
afterEach(() => {
  for (const r of restores.splice(0)) r();
  delete process.env.DRYDOCK_KUBEVALIDATE;
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

/** A parent folder with a dist/ from a good synth; returns the paths and the tree's fingerprint. */
function committedDist(): { parent: string; dist: string; claims: string; before: Record<string, string> } {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-faults-'));
  temps.push(parent);
  const claims = path.join(parent, 'claims');
  fs.cpSync(path.join(repoRoot, 'claims'), claims, { recursive: true });
  const dist = path.join(parent, 'dist');
  synth({ outDir: dist, claimsDir: claims, catalog: crds() });
  return { parent, dist, claims, before: fileTree(dist) };
}

/** dist/ as it was, and nothing else beside it but claims/. */
function expectUntouched(c: ReturnType<typeof committedDist>): void {
  expect(fileTree(c.dist)).toEqual(c.before);
  expect(fs.readdirSync(c.parent).sort()).toEqual(['claims', 'dist']);
}

const faults: [string, (c: ReturnType<typeof committedDist>) => void][] = [
  [
    'a chart that throws',
    (c) => {
      const build: typeof buildPlatform = (...args) => {
        const p = buildPlatform(...args);
        p.charts[0].toJson = () => {
          throw new Error('boom in a chart');
        };
        return p;
      };
      expect(() => synth({ outDir: c.dist, claimsDir: c.claims, catalog: crds(), build })).toThrow(
        /charts for dist\/crossplane\/providers.yaml: boom in a chart/,
      );
    },
  ],
  [
    'a validator that crashes',
    (c) => {
      const crash = path.join(c.parent, '..', `crash-${process.pid}.sh`);
      fs.writeFileSync(crash, '#!/bin/sh\necho "validator fell over" >&2\nexit 3\n', { mode: 0o755 });
      temps.push(crash);
      process.env.DRYDOCK_KUBEVALIDATE = crash;
      expect(() => synth({ outDir: c.dist, claimsDir: c.claims, catalog: crds() })).toThrow(/kubevalidate failed \(exit 3\): validator fell over/);
    },
  ],
  [
    'a disk that fills up midway through the write',
    (c) => {
      let calls = 0;
      breakFs('writeFileSync', (real) => (...args: Parameters<typeof fs.writeFileSync>) => {
        if (++calls === 7) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return real(...args);
      });
      expect(() => synth({ outDir: c.dist, claimsDir: c.claims, catalog: crds() })).toThrow(/ENOSPC/);
      expect(calls).toBe(7);
    },
  ],
  [
    'a rename refused between the two swaps',
    (c) => {
      breakFs('renameSync', (real) => (from, to) => {
        if (String(from).includes('-new-')) throw Object.assign(new Error('EXDEV: cross-device link not permitted'), { code: 'EXDEV' });
        return real(from, to);
      });
      expect(() => synth({ outDir: c.dist, claimsDir: c.claims, catalog: crds() })).toThrow(/EXDEV/);
    },
  ],
  [
    'an invalid claim',
    (c) => {
      fs.writeFileSync(
        path.join(c.claims, 'dev', 'broken.yaml'),
        'apiVersion: platform.drydock.dev/v1alpha1\nkind: Cluster\nmetadata: {name: x, namespace: platform}\nspec: {environment: dev}\n',
      );
      expect(() => synth({ outDir: c.dist, claimsDir: c.claims, catalog: crds() })).toThrow(SynthError);
      fs.rmSync(path.join(c.claims, 'dev', 'broken.yaml'));
    },
  ],
];

describe('synth under faults', () => {
  it.each(faults)('%s leaves dist/ as it was', (_name, inject) => {
    const c = committedDist();
    inject(c);
    expectUntouched(c);
  });

  it('cannot write where dist/ cannot be: says so, writes nothing', () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-faults-'));
    temps.push(parent);
    fs.writeFileSync(path.join(parent, 'not-a-folder'), '');
    expect(() => synth({ outDir: path.join(parent, 'not-a-folder', 'dist'), catalog: crds() })).toThrow(/ENOTDIR/);
    expect(fs.readdirSync(parent)).toEqual(['not-a-folder']);
  });

  it('survives a kill in the middle of the write: dist/ as it was, and the next synth clears what was left', async () => {
    // GIVEN a committed dist/ and a synth in another process, killed while it writes
    const c = committedDist();
    const code = `require('./scripts/synth').synth({ outDir: ${JSON.stringify(c.dist)}, claimsDir: ${JSON.stringify(c.claims)} })`;
    const child = spawn(process.execPath, ['--import', path.join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs'), '-e', code], {
      cwd: repoRoot,
      stdio: 'ignore',
    });
    const killedWhileWriting = await new Promise<boolean>((resolve) => {
      const poll = setInterval(() => {
        if (fs.readdirSync(c.parent).some((n) => n.startsWith('.dist-new-'))) {
          child.kill('SIGKILL');
          clearInterval(poll);
          resolve(true);
        }
      }, 2);
      child.on('exit', () => {
        clearInterval(poll);
        resolve(false);
      });
    });
    await new Promise((r) => (child.exitCode === null && child.signalCode === null ? child.on('exit', r) : r(null)));
    // THEN dist/ is as it was (the kill may leave a half-written tree beside it)
    expect(killedWhileWriting, 'the kill landed while synth was writing').toBe(true);
    expect(fileTree(c.dist)).toEqual(c.before);
    // AND the next synth clears it, with the same result
    synth({ outDir: c.dist, claimsDir: c.claims, catalog: crds() });
    expectUntouched(c);
  }, 120_000);

  it('brings the old dist/ back when a kill fell between the two renames', () => {
    const c = committedDist();
    fs.renameSync(c.dist, path.join(c.parent, '.dist-old-999999'));
    fs.mkdirSync(path.join(c.parent, '.dist-new-999999'));
    synth({ outDir: c.dist, claimsDir: c.claims, catalog: crds() });
    expectUntouched(c);
  });
});
