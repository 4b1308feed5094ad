// npm run tools: build the test engines the Go module proxy serves, once, into the cache outside
// the repo, and report which hand-built render tools (crank, the functions) the cache holds.
//
// - kubevalidate (tools/kubevalidate): the API server's validation code, k8s.io/apiextensions-apiserver.
// - argocd (tools/argocd): Argo CD's own health Lua runner and ApplicationSet controller code.
// - helm (go install from the proxy): renders the add-on chart of our own.
// - conftest (go install from the proxy): runs the policy gate in policies/.
// - etcd, kube-apiserver, kube-controller-manager (tools/kube, from the proxy) and controlplane
//   (tools/controlplane): the local control cluster the lifecycle scenarios run on (test/e2e/).
// Every version is in catalog/versions.ts.
// - crank, the composition functions, Crossplane core, provider-kubernetes, Argo CD: looked up only
//   (lib/tools.ts and lib/controlplane/components.ts say where and why).
//
// The outcome is written to <cache>/render-tools.json, one entry per tool, with `error` where a
// tool is missing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FUNCTIONS } from '../compositions/authoring';
import { argocdBinary } from '../lib/argocd';
import { ARGOCD, CROSSPLANE, controlplaneBinary, kubeBinaries, PROVIDER_KUBERNETES } from '../lib/controlplane/components';
import { helmBinary } from '../lib/helm';
import { kubevalidateBinary } from '../lib/kubevalidate';
import { toolCacheDir } from '../lib/paths';
import { conftestBinary } from '../lib/policy';
import { CRANK, toolPath } from '../lib/tools';

type ToolStatus = { name: string; path: string } | { name: string; error: string };

function main(): void {
  const statuses: ToolStatus[] = [
    { name: 'kubevalidate', path: kubevalidateBinary() },
    { name: 'argocd', path: argocdBinary() },
    { name: 'helm', path: helmBinary() },
    { name: 'conftest', path: conftestBinary() },
    ...Object.entries(kubeBinaries()).map(([name, file]) => ({ name, path: file })),
    { name: 'controlplane', path: controlplaneBinary() },
  ];
  for (const t of [CRANK, ...Object.values(FUNCTIONS), CROSSPLANE, PROVIDER_KUBERNETES, ARGOCD]) {
    const file = toolPath(t);
    statuses.push(fs.existsSync(file) ? { name: t.name, path: file } : { name: t.name, error: `not in the tool cache: expected ${file}` });
  }
  fs.mkdirSync(toolCacheDir(), { recursive: true });
  fs.writeFileSync(path.join(toolCacheDir(), 'render-tools.json'), `${JSON.stringify(statuses, null, 2)}\n`);
  for (const s of statuses) console.log(`tools: ${s.name}: ${'path' in s ? s.path : s.error}`);
  if (statuses.some((s) => 'error' in s))
    console.log('tools: render tests and the lifecycle scenarios skip until the missing tools are in the cache (see lib/tools.ts)');
}

main();
