// The programs a local control cluster is made of, and where each comes from.
//
// - etcd, kube-apiserver, kube-controller-manager: built by `npm run tools` from the Go module
//   proxy through the wrapper module tools/kube/ (its go.mod pins k8s.io/kubernetes and etcd).
// - controlplane: our package runtime and simulated AWS (tools/controlplane/).
// - Crossplane core, provider-kubernetes, Argo CD: from the tool cache, <cache>/go/<tool>@<version>/<tool>,
//   like crank and the functions (lib/tools.ts): `go install` where the proxy serves them
//   (github.com/crossplane/crossplane/v2/cmd/crossplane, github.com/crossplane-contrib/provider-kubernetes/cmd/provider;
//   Argo CD ships release binaries), else put there by hand (here: ../shared/tools/install-tools).
// - redis-server, git, openssl, unshare, kubectl: Debian packages.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { CONTROL_CLUSTER, GO_LIBRARIES, PROVIDERS } from '../../catalog';
import { goToolBinaries, goToolBinary } from '../go-tools';
import { type Tool, toolPath } from '../tools';

/** Crossplane core as the control cluster runs it (`crossplane core start`). */
export const CROSSPLANE: Tool = { name: 'crossplane', version: CONTROL_CLUSTER.crossplane.version };
/** Argo CD's multi-call binary: application controller, repo-server, ApplicationSet controller. */
export const ARGOCD: Tool = { name: 'argocd', version: CONTROL_CLUSTER.argocd.version };
/** provider-kubernetes: the program of the package dist/ installs, at the same version. */
export const PROVIDER_KUBERNETES: Tool = { name: 'provider-kubernetes', version: PROVIDERS.kubernetes.version };

/** The Kubernetes release tools/kube builds: the API server reports it as its version. */
export const kubernetesVersion = (): string => GO_LIBRARIES['tools/kube']['k8s.io/kubernetes'];

export interface KubeBinaries {
  readonly etcd: string;
  readonly 'kube-apiserver': string;
  readonly 'kube-controller-manager': string;
}

/**
 * etcd, kube-apiserver and kube-controller-manager, built once into the cache. The version is
 * linked in (k8s.io/component-base/version) because a build outside Kubernetes' own scripts
 * reports v0.0.0-master, which kubectl cannot parse.
 */
export function kubeBinaries(): KubeBinaries {
  const v = kubernetesVersion();
  const [major, minor] = v.slice(1).split('.');
  const x = (k: string, val: string) => `-X k8s.io/component-base/version.${k}=${val}`;
  return goToolBinaries('kube', {
    programs: {
      etcd: './etcd',
      'kube-apiserver': 'k8s.io/kubernetes/cmd/kube-apiserver',
      'kube-controller-manager': 'k8s.io/kubernetes/cmd/kube-controller-manager',
    },
    ldflags: ['-s', '-w', x('gitVersion', v), x('gitMajor', major), x('gitMinor', minor), x('gitTreeState', 'clean')],
  }) as unknown as KubeBinaries;
}

/** Our package runtime and simulated AWS (tools/controlplane). */
export const controlplaneBinary = () => goToolBinary('controlplane');

export interface Prerequisite {
  readonly name: string;
  readonly path?: string;
  /** How to get it, when it is missing. */
  readonly fix?: string;
}

/** Everything outside the repository a control cluster needs, each with where it was found or how to get it. */
export function findPrerequisites(): Prerequisite[] {
  const fromCache = (t: Tool, how: string): Prerequisite => {
    const p = toolPath(t);
    return fs.existsSync(p) ? { name: t.name, path: p } : { name: t.name, fix: `put ${t.name} ${t.version} at ${p} (${how})` };
  };
  const onPath = (name: string, pkg: string): Prerequisite => {
    const p = which(name);
    return p ? { name, path: p } : { name, fix: `install the Debian package ${pkg} (apt-get install ${pkg})` };
  };
  return [
    fromCache(CROSSPLANE, `go install github.com/crossplane/crossplane/v2/cmd/crossplane@${CROSSPLANE.version}, or ../shared/tools/install-tools`),
    fromCache(PROVIDER_KUBERNETES, 'go install of crossplane-contrib/provider-kubernetes cmd/provider, or ../shared/tools/install-tools'),
    fromCache(ARGOCD, "Argo CD's release binary, or ../shared/tools/install-tools"),
    onPath('redis-server', 'redis-server'),
    onPath('git', 'git'),
    onPath('openssl', 'openssl'),
    onPath('unshare', 'util-linux'),
    onPath('nsenter', 'util-linux'),
    onPath('ip', 'iproute2'),
    onPath('kubectl', 'kubectl'),
  ];
}

export function which(name: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}
