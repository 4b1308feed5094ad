// Real helm (helm.sh/helm/v3 from the Go module proxy) to render charts as Argo CD would.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TOOLS } from '../catalog';
import { goInstalled } from './go-tools';
import { parseYamlDocs } from './yaml';

export const helmBinary = () => goInstalled('helm', TOOLS.helm.module, TOOLS.helm.version);

export interface HelmTemplateOptions {
  /**
   * Render the chart's crds/ folder too, as Argo CD does (its Helm source skips CRDs only when
   * told to: `skipCrds`).
   * @default false
   */
  readonly includeCrds?: boolean;
  /**
   * The Kubernetes version charts see (`.Capabilities.KubeVersion`, `kubeVersion:` constraints);
   * Argo CD passes the destination cluster's.
   * @default - helm's built-in default
   */
  readonly kubeVersion?: string;
}

/** `helm template` of a local chart with a values file's text; the rendered objects. */
export function helmTemplate(chartDir: string, releaseName: string, namespace: string, valuesYaml: string, options: HelmTemplateOptions = {}): any[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-helm-'));
  try {
    const values = path.join(dir, 'values.yaml');
    fs.writeFileSync(values, valuesYaml);
    const args = [
      ...['template', releaseName, chartDir, '--namespace', namespace, '--values', values],
      ...(options.includeCrds ? ['--include-crds'] : []),
      ...(options.kubeVersion ? ['--kube-version', options.kubeVersion] : []),
    ];
    const res = spawnSync(helmBinary(), args, {
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
