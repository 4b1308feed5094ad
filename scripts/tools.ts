// npm run tools: build or install every engine the checks run, once, into the cache outside the
// repo, the ordinary way: from the Go module proxy.
//
// - kubevalidate (tools/kubevalidate): the API server's validation code, k8s.io/apiextensions-apiserver.
// - argocd (tools/argocd): Argo CD's own health Lua runner and ApplicationSet controller code.
// - helm (go install): renders the add-on chart of our own.
// - conftest (go install): runs the policy gate in policies/.
// - crank and the composition functions (go install): render and validate every composition. Where
//   the proxy refuses one, it is reported with where a prebuilt binary goes (lib/tools.ts).
// - etcd, kube-apiserver, kube-controller-manager (tools/kube, from the proxy) and controlplane
//   (tools/controlplane): the local control cluster the lifecycle scenarios run on (test/e2e/).
// - Crossplane core, provider-kubernetes, Argo CD: looked up only (lib/controlplane/components.ts
//   says where and why).
// Every version is in catalog/versions.ts.
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
import { CRANK, installRenderTool, toolPath } from '../lib/tools';

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
  for (const t of [CRANK, ...Object.values(FUNCTIONS)]) statuses.push({ name: t.name, ...installRenderTool(t) });
  for (const t of [CROSSPLANE, PROVIDER_KUBERNETES, ARGOCD]) {
    const file = toolPath(t);
    statuses.push(fs.existsSync(file) ? { name: t.name, path: file } : { name: t.name, error: `not in the tool cache: expected ${file}` });
  }
  fs.mkdirSync(toolCacheDir(), { recursive: true });
  fs.writeFileSync(
    path.join(toolCacheDir(), 'render-tools.json'),
    `${JSON.stringify(statuses, null, 2)}
`,
  );
  for (const s of statuses) console.log(`tools: ${s.name}: ${'path' in s ? s.path : s.error}`);
  if (statuses.some((s) => 'error' in s))
    console.log('tools: render tests and the lifecycle scenarios skip until the missing tools are in the cache (see above)');
}

main();
