// Real helm (helm.sh/helm/v3 from the Go module proxy) to render charts as Argo CD would.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TOOLS } from '../catalog';
import { goInstalled } from './go-tools';
import { parseYamlDocs } from './yaml';

export const helmBinary = () => goInstalled('helm', TOOLS.helm.module, TOOLS.helm.version);

/** `helm template` of a local chart with a values file's text; the rendered objects. */
export function helmTemplate(chartDir: string, releaseName: string, namespace: string, valuesYaml: string): any[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-helm-'));
  try {
    const values = path.join(dir, 'values.yaml');
    fs.writeFileSync(values, valuesYaml);
    const res = spawnSync(helmBinary(), ['template', releaseName, chartDir, '--namespace', namespace, '--values', values], {
      encoding: 'utf8',
      env: {
        ...process.env,
        HELM_CACHE_HOME: path.join(dir, 'cache'),
        HELM_CONFIG_HOME: path.join(dir, 'config'),
        HELM_DATA_HOME: path.join(dir, 'data'),
      },
    });
    if (res.status !== 0) throw new Error(`helm template ${chartDir} failed: ${res.stderr.trim()}`);
    return parseYamlDocs(res.stdout);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
