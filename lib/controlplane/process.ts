// One program of the control cluster: started with its own log, judged ready by a check of its
// own, stopped by its own pid. A start that fails names the program and shows its log's last
// lines; a stop never touches a process that is not the one it started.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';

export interface ComponentSpec {
  readonly name: string;
  readonly bin: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Resolves true once the program serves; called until it does. */
  readonly ready: () => Promise<boolean>;
  /** @default 60 s */
  readonly timeoutMs?: number;
}

/** A started program, as written to the cluster's state file. */
export interface Running {
  readonly name: string;
  readonly pid: number;
  readonly bin: string;
  readonly log: string;
}

/** The last `n` lines of a log, for an error message. */
export function tail(file: string, n = 25): string {
  try {
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return lines.slice(-n).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Start `spec`; `onSpawn` learns of the process at once, before it is ready (to stop it if anything fails). */
export async function startComponent(spec: ComponentSpec, logDir: string, onSpawn: (r: Running) => void = () => {}): Promise<Running> {
  fs.mkdirSync(logDir, { recursive: true });
  const log = path.join(logDir, `${spec.name}.log`);
  const fd = fs.openSync(log, 'a');
  const child = spawn(spec.bin, [...spec.args], {
    detached: true, // its own process group: a Ctrl-C of `npm run controlplane -- up` does not take it down
    stdio: ['ignore', fd, fd],
    env: { ...process.env, ...spec.env },
  });
  fs.closeSync(fd);
  let exit: string | undefined;
  let spawnError: Error | undefined;
  child.once('error', (e) => {
    spawnError = e;
  });
  child.once('exit', (code, signal) => {
    exit = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  });
  child.unref();
  const running: Running = { name: spec.name, pid: child.pid ?? -1, bin: spec.bin, log };
  if (child.pid) onSpawn(running);
  const timeout = spec.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeout;
  for (;;) {
    if (spawnError) throw new Error(`${spec.name} could not start (${spec.bin}): ${spawnError.message}`);
    if (exit) throw new Error(`${spec.name} ${exit} before it was ready; last lines of ${log}:\n${tail(log)}`);
    if (await spec.ready().catch(() => false)) return running;
    if (Date.now() > deadline) {
      await stopComponent(running);
      throw new Error(`${spec.name} was not ready within ${timeout / 1000} s; last lines of ${log}:\n${tail(log)}`);
    }
    await sleep(250);
  }
}

/** Is `pid` still the program `bin` (and not a zombie or a recycled pid)? */
export function isRunning(r: Running): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${r.pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) Z/.test(stat)) return false;
    const cmdline = fs.readFileSync(`/proc/${r.pid}/cmdline`, 'utf8').split('\0');
    // Some programs rename themselves (git daemon execs git-daemon, redis sets its title).
    return cmdline.some((arg) => path.basename(arg.split(' ')[0]).startsWith(path.basename(r.bin)));
  } catch {
    return false;
  }
}

/** Stop one program by its pid: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopComponent(r: Running, graceMs = 30_000): Promise<void> {
  if (r.pid <= 0 || !isRunning(r)) return;
  process.kill(r.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isRunning(r) && Date.now() < deadline) await sleep(100);
  if (isRunning(r)) process.kill(r.pid, 'SIGKILL');
  // A zombie counts as stopped: its parent (this process, or init) reaps it.
  while (isRunning(r)) await sleep(50);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A port free on every address, below the kernel's ephemeral range (32768 and up on Linux): a
 * port from that range can be taken by any outgoing connection between choosing it and the
 * program binding it.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (await bindable(port)) return port;
  }
  throw new Error('no free port between 20000 and 32000');
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, () => s.close(() => resolve(true)));
  });
}

/** Resolves true if something accepts connections on 127.0.0.1:`port`. */
export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = net.connect(port, '127.0.0.1', () => {
      c.end();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

export interface TlsOptions {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
  /** Accept any server certificate (a component's self-signed health endpoint). */
  readonly insecure?: boolean;
}

/** GET `url`; resolves the status code and body (http or https). */
export function httpGet(url: string, tls: TlsOptions = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const opts: https.RequestOptions = { timeout: 3000 };
    if (url.startsWith('https:')) {
      Object.assign(opts, {
        ca: tls.ca ? fs.readFileSync(tls.ca) : undefined,
        cert: tls.cert ? fs.readFileSync(tls.cert) : undefined,
        key: tls.key ? fs.readFileSync(tls.key) : undefined,
        rejectUnauthorized: !tls.insecure,
      });
    }
    const onResponse = (res: http.IncomingMessage) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    };
    const req = url.startsWith('https:') ? https.get(url, opts, onResponse) : http.get(url, { timeout: 3000 }, onResponse);
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`timeout: ${url}`)));
  });
}

export async function httpOk(url: string, tls: TlsOptions = {}): Promise<boolean> {
  return (await httpGet(url, tls)).status === 200;
}

/** Resolves true once `file` contains `text` (a program's "ready" log line). */
export function logSays(file: string, text: string): () => Promise<boolean> {
  return async () => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(text);
}
