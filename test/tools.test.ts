// npm run tools installs crank and the functions the ordinary way (go install at the pinned
// versions, into the cache folder the render tests look in), and only where that fails says
// where a prebuilt binary goes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FUNCTIONS, TOOLS } from '../catalog';
import { CRANK, installRenderTool, toolPath } from '../lib/tools';

let cache: string;
beforeEach(() => {
  cache = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-tools-'));
  process.env.DRYDOCK_CACHE = cache;
});
afterEach(() => {
  delete process.env.DRYDOCK_CACHE;
  fs.rmSync(cache, { recursive: true, force: true });
});

/** A stand-in for `go`: records each call, and builds (writes GOBIN/<name>) or fails like a refusing proxy. */
function fakeGo(outcome: 'builds' | 'refused') {
  const calls: { args: string[]; gobin: string }[] = [];
  const run = ((_cmd: string, args: string[], options: { env: Record<string, string> }) => {
    calls.push({ args, gobin: options.env.GOBIN });
    if (outcome === 'refused')
      return {
        status: 1,
        stderr: `go: downloading ${args.at(-1)}\ngo: ${args.at(-1)}: reading https://proxy.golang.org/...: 403 Forbidden\n\tserver response: This module version is not available.\n`,
      };
    const name = args.at(-1)!.split('@')[0].split('/').pop()!;
    fs.writeFileSync(path.join(options.env.GOBIN, name), '#!/bin/sh\n', { mode: 0o755 });
    return { status: 0, stderr: '' };
  }) as any;
  return { run, calls };
}

describe('render tools', () => {
  it('installs crank with go install at its pinned version, its version stamped, straight into the cache folder', () => {
    const go = fakeGo('builds');
    expect(installRenderTool(CRANK, go.run)).toEqual({ path: toolPath(CRANK) });
    expect(go.calls).toEqual([
      {
        args: [
          'install',
          '-trimpath',
          `-ldflags=-X=${TOOLS.crank.versionFlag}=${TOOLS.crank.version}`,
          `${TOOLS.crank.module}@${TOOLS.crank.version}`,
        ],
        gobin: path.dirname(toolPath(CRANK)),
      },
    ]);
    expect(toolPath(CRANK)).toBe(path.join(cache, 'go', `crank@${TOOLS.crank.version}`, 'crank'));
    // A second run finds it and installs nothing.
    expect(installRenderTool(CRANK, go.run)).toEqual({ path: toolPath(CRANK) });
    expect(go.calls).toHaveLength(1);
  });

  it.each(Object.entries(FUNCTIONS))('installs %s from its module at its version, as the binary the renderer runs', (name, release) => {
    const go = fakeGo('builds');
    const tool = { name, module: release.module, version: release.version };
    expect(installRenderTool(tool, go.run)).toEqual({ path: toolPath(tool) });
    expect(go.calls[0].args).toEqual(['install', '-trimpath', `${release.module}@${release.version}`]);
  });

  it("where the proxy refuses a module, says so with go's reason and where a prebuilt binary goes, and leaves no empty folder", () => {
    const go = fakeGo('refused');
    const result = installRenderTool(CRANK, go.run);
    expect('error' in result && result.error).toContain(`go install ${TOOLS.crank.module}@${TOOLS.crank.version} failed (`);
    expect('error' in result && result.error).toContain('403 Forbidden');
    expect('error' in result && result.error).toContain(`put it at ${toolPath(CRANK)}`);
    expect(fs.existsSync(path.dirname(toolPath(CRANK)))).toBe(false);
  });
});
