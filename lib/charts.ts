// Upstream Helm charts' sources, from the Go module proxy: a chart that lives in a Go module's
// repository (cert-manager, Karpenter, ExternalDNS) is downloaded with `go mod download` into the
// module cache, so tests render exactly that chart with real helm, offline after the first time.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChartSource } from '../catalog';

const downloaded = new Map<string, string>();

/** The chart's folder in the Go module cache, downloading the module on first use. */
export function chartDir(source: ChartSource): string {
  const key = `${source.module}@${source.version}`;
  let dir = downloaded.get(key);
  if (!dir) {
    const res = spawnSync('go', ['mod', 'download', '-json', key], { encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
    let info: { Dir?: string; Error?: string } = {};
    try {
      info = JSON.parse(res.stdout);
    } catch {
      // reported below
    }
    if (!info.Dir) throw new Error(`go mod download ${key} failed: ${info.Error ?? res.stderr.trim()}`);
    dir = info.Dir;
    downloaded.set(key, dir);
  }
  const chart = path.join(dir, source.path);
  if (!fs.existsSync(path.join(chart, 'Chart.yaml'))) throw new Error(`${key} has no chart at ${source.path}`);
  if (!source.crds) return chart;
  // The module cache is read-only: assemble the chart as published in a folder of our own.
  const assembled = path.join(os.tmpdir(), `drydock-chart-${key.replace(/[^a-zA-Z0-9.-]/g, '_')}`);
  if (!fs.existsSync(assembled)) {
    const tmp = `${assembled}.tmp-${process.pid}`;
    fs.cpSync(chart, tmp, { recursive: true });
    fs.chmodSync(tmp, 0o755);
    fs.cpSync(path.join(dir, source.crds), path.join(tmp, 'crds'), { recursive: true });
    fs.renameSync(tmp, assembled);
  }
  return assembled;
}
