// The composition functions as local processes serving gRPC on loopback for the Renderer
// (lib/render.ts): each started once on a free port, its output kept in a log whose end an error
// shows, its death noticed also by a caller that never yields to Node's event loop.
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** A composition function serving gRPC on loopback for as long as the Renderer lives. */
export interface FunctionProcess {
  readonly name: string;
  readonly process: ChildProcess;
  /** Its stdout and stderr, for the tail an error shows when it dies. */
  readonly log: string;
  readonly port: number;
}

/**
 * The functions serve for the Renderer's life: Go's garbage collector runs for them less often
 * than by default (GOGC=400, unless GOGC is set), a quarter less CPU a render with their heaps
 * still under 100 MB. It changes nothing rendered (README, "How fast").
 */
const FUNCTION_ENV = { ...process.env, GOGC: process.env.GOGC ?? '400' };

/** Lines of a dead function's log an error shows. */
const LOG_TAIL_LINES = 20;

/** Start function `name` from `bin` on a free loopback port, its log in `dir`; resolve once it listens. */
export async function startFunction(name: string, bin: string, dir: string): Promise<FunctionProcess> {
  const port = await freePort();
  const log = path.join(dir, `${name}.log`);
  const fd = fs.openSync(log, 'a');
  const p = spawn(bin, ['--insecure', `--address=127.0.0.1:${port}`], { stdio: ['ignore', fd, fd], env: FUNCTION_ENV });
  fs.closeSync(fd);
  const f = { name, process: p, log, port };
  try {
    await listening(f);
  } catch (e) {
    p.kill();
    throw e;
  }
  return f;
}

/**
 * The Function object crank render reads for `f`: its Development runtime connects to the
 * running process instead of starting one (cmd/crank/render/runtime_development.go of the crank catalog/versions.ts pins).
 */
export function developmentFunction(f: FunctionProcess): any {
  return {
    apiVersion: 'pkg.crossplane.io/v1',
    kind: 'Function',
    metadata: {
      name: f.name,
      annotations: { 'render.crossplane.io/runtime': 'Development', 'render.crossplane.io/runtime-development-target': `127.0.0.1:${f.port}` },
    },
  };
}

/** Whether a function process has ended; read from /proc too, as a synchronous caller never lets Node see the exit. */
export function isDead(f: FunctionProcess): boolean {
  if (f.process.exitCode !== null || f.process.signalCode !== null) return true;
  try {
    // The third field of /proc/<pid>/stat is the state: Z (zombie) or X once it has exited.
    const state = fs.readFileSync(`/proc/${f.process.pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return state === 'Z' || state === 'X';
  } catch {
    // No such process any more, where /proc exists at all.
    return fs.existsSync('/proc/self');
  }
}

/** A function for an error: its name, whether it still runs, and the end of its log. */
export function functionReport(f: FunctionProcess): string {
  const status = isDead(f)
    ? `is no longer running${f.process.exitCode !== null ? ` (exit code ${f.process.exitCode})` : f.process.signalCode ? ` (${f.process.signalCode})` : ''}`
    : 'runs';
  let log = '';
  try {
    log = fs.readFileSync(f.log, 'utf8').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    // Its log is gone with the Renderer's folder.
  }
  return `function ${f.name} (pid ${f.process.pid}) ${status}; its log ${log ? `ends:\n${log}` : 'is empty'}`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Resolve once `port` accepts connections; fail if the process exits or 20 s pass. */
async function listening(f: FunctionProcess): Promise<void> {
  const { port } = f;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (isDead(f)) throw new Error(`${f.name} exited before listening on 127.0.0.1:${port}: ${functionReport(f)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => {
        c.end();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${f.name} did not listen on 127.0.0.1:${port} within 20 s: ${functionReport(f)}`);
}
