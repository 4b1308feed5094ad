// Renders kept between plans. A render is a pure function of what it is given (crank and function
// versions, XR, Composition, XRD, EnvironmentConfigs, observed state), so its result is stored
// under a hash of exactly that and can never be stale: the base side of the next plan, usually the
// same commit of main, then costs nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RenderedXr } from '../render';
import type { RenderTools } from '../tools';

export type RenderOutcome = RenderedXr | Error;

/** Where renders are remembered: a Map for one process, a RenderCache across processes. */
export interface RenderMemo {
  get(key: string): RenderOutcome | undefined;
  set(key: string, value: RenderOutcome): unknown;
}

/** Entries not read for this long are removed when a cache is opened. */
const KEEP_DAYS = 14;

/** A RenderMemo in memory, backed by one JSON file per render under `dir`. */
export class RenderCache implements RenderMemo {
  private readonly memory = new Map<string, RenderOutcome>();

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
    const cutoff = Date.now() - KEEP_DAYS * 86_400_000;
    for (const f of fs.readdirSync(dir)) {
      const file = path.join(dir, f);
      if (fs.statSync(file).mtimeMs < cutoff) fs.rmSync(file, { force: true });
    }
  }

  get(key: string): RenderOutcome | undefined {
    const known = this.memory.get(key);
    if (known) return known;
    const file = path.join(this.dir, `${key}.json`);
    if (!fs.existsSync(file)) return undefined;
    const stored = JSON.parse(fs.readFileSync(file, 'utf8'));
    const now = new Date();
    fs.utimesSync(file, now, now);
    const value = stored.error !== undefined ? new Error(stored.error) : new RenderedXr(stored.xr, stored.composed, stored.passes);
    this.memory.set(key, value);
    return value;
  }

  set(key: string, value: RenderOutcome): void {
    this.memory.set(key, value);
    const stored = value instanceof Error ? { error: value.message } : { xr: value.xr, composed: value.composed, passes: value.passes };
    // Written beside and renamed: a plan killed midway leaves no half-written entry.
    const tmp = path.join(this.dir, `.${key}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify(stored));
    fs.renameSync(tmp, path.join(this.dir, `${key}.json`));
  }
}

/**
 * What renders with `tools`: crank and each function by version and by the binary itself (its
 * size and modification time), since the cache outlives a rebuilt binary.
 */
export function engineKey(tools: RenderTools): string {
  const id = (file: string) => {
    const st = fs.statSync(file);
    return `${path.basename(path.dirname(file))}:${st.size}:${Math.round(st.mtimeMs)}`;
  };
  return JSON.stringify([id(tools.crank), ...[...tools.functions.values()].sort().map(id)]);
}
