// npm run bench, the control cluster part: start-up time and peak memory of a local control
// cluster (lib/controlplane), the README bootstrap until every Application is Synced and Healthy, and the time
// from `kubectl apply` of a Cluster to Ready under the simulated AWS. One run: each takes minutes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  applicationProblems,
  applyBootstrap,
  ControlCluster,
  findPrerequisites,
  installPlatformByHand,
  installProviderConfigsByHand,
  isTrue,
  platformProblems,
} from '../lib/controlplane';
import { repoRoot } from '../lib/paths';
import { readYamlDocs } from '../lib/yaml';

export interface BenchRow {
  readonly label: string;
  readonly value: string;
  readonly target: string;
}

export async function controlClusterBench(): Promise<BenchRow[]> {
  const missing = findPrerequisites().filter((p) => !p.path);
  if (missing.length) return [{ label: 'control cluster', value: 'not measured', target: `(missing: ${missing.map((m) => m.name).join(', ')})` }];
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-bench-cp-'));
  const cluster = await ControlCluster.up({ runDir });
  let peakTotal = 0;
  let peakApiserver = 0;
  const sampler = setInterval(() => {
    const mem = cluster.memory();
    peakTotal = Math.max(
      peakTotal,
      Object.values(mem).reduce((a, b) => a + b, 0),
    );
    peakApiserver = Math.max(peakApiserver, mem['kube-apiserver'] ?? 0);
  }, 2000);
  try {
    const t0 = Date.now();
    applyBootstrap(cluster);
    // As the lifecycle scenario judges it (lib/controlplane/bootstrap.ts): every Application
    // Synced and Healthy, every package Healthy, every XRD Established.
    const converged = await cluster
      .waitFor('the bootstrap', () => !applicationProblems(cluster).length && !platformProblems(cluster).length, { timeoutMs: 1_200_000 })
      .then(() => true)
      .catch(() => false);
    if (!converged) {
      // Measured on anyway: the Cluster below needs the platform.
      installPlatformByHand(cluster);
      await cluster.waitFor('provider config CRDs', () => cluster.get('crd', 'clusterproviderconfigs.kubernetes.m.crossplane.io'), {
        timeoutMs: 180_000,
      });
      installProviderConfigsByHand(cluster);
      await cluster.waitFor('every package Healthy', () => !platformProblems(cluster).length, { timeoutMs: 300_000 });
    }
    const bootstrap = (Date.now() - t0) / 1000;
    const [xr] = readYamlDocs(path.join(repoRoot, 'compositions', 'cluster', 'examples', 'dev-minimal.yaml'));
    const t1 = Date.now();
    cluster.apply([xr]);
    await cluster.waitFor(
      'the Cluster Ready',
      () => isTrue(cluster.get('clusters.platform.drydock.dev', xr.metadata.name, xr.metadata.namespace), 'Ready'),
      {
        timeoutMs: 600_000,
      },
    );
    const ready = (Date.now() - t1) / 1000;
    const resources = cluster.awsInventory().objects.length;
    return [
      {
        label: `control cluster start-up (${cluster.state.components.length} programs)`,
        value: `${cluster.state.startupSeconds.toFixed(1)} s`,
        target: '<= 60 s',
      },
      {
        label: converged
          ? 'README bootstrap to every Application Synced and Healthy'
          : 'README bootstrap: did not converge (platform applied by hand)',
        value: `${bootstrap.toFixed(0)} s`,
        target: '<= 1200 s',
      },
      { label: `Cluster apply to Ready (${resources} AWS objects)`, value: `${ready.toFixed(0)} s`, target: '<= 420 s' },
      { label: 'control cluster peak memory (RSS, all)', value: `${peakTotal.toFixed(0)} MB`, target: '<= 3000 MB' },
      { label: 'kube-apiserver peak memory (RSS)', value: `${peakApiserver.toFixed(0)} MB`, target: '' },
    ];
  } finally {
    clearInterval(sampler);
    await cluster.down();
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}
