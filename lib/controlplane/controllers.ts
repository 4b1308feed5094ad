// Crossplane's and Argo CD's controllers on the local control cluster, each started as its
// install runs it and as the identity it has there (identities.ts): a kubeconfig holding a token
// of its own service account, never the admin's certificate.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLATFORM } from '../../environments/platform';
import { toolPath } from '../tools';
import { ARGOCD, CROSSPLANE } from './components';
import { writeGitVerifyWrapper } from './git';
import { ALLOWED_PROVIDER_PERMISSIONS, IDENTITIES, type Identity } from './identities';
import type { Credentials, Pki } from './pki';
import { type ComponentSpec, freePort, httpOk, logSays, type Running, tcpOpen } from './process';

export interface ControllerContext {
  readonly start: (spec: ComponentSpec) => Promise<Running>;
  readonly runDir: string;
  readonly pki: Pki;
  /** host:port of the API server on loopback. */
  readonly apiserver: string;
  /** A ConfigMap's data (empty when it does not exist). */
  readonly configMap: (name: string, namespace: string) => Record<string, string>;
  /** The controlplane binary (tools/controlplane): `isolate` gives a program its own network namespace. */
  readonly controlplane: string;
  /** Write a kubeconfig authenticating as `who` (a fresh token of its service account), or as nobody; return its path. */
  readonly kubeconfigFor: (who: Identity | 'anonymous', opts?: { namespace?: string }) => string;
}

/** Crossplane core out of cluster as its service account, webhooks served on loopback, packages run by `controlplane packages`. */
export async function startCrossplane(ctx: ControllerContext, webhookPort: number): Promise<void> {
  const [metrics, health] = [await freePort(), await freePort()];
  const { crossplane } = IDENTITIES;
  await ctx.start({
    name: 'crossplane',
    bin: toolPath(CROSSPLANE),
    args: [
      'core',
      'start',
      '--package-runtime=External',
      `--xpkg-cache-dir=${path.join(ctx.runDir, 'xpkg')}`,
      `--tls-client-certs-dir=${ctx.pki.crossplaneClientDir}`,
      `--tls-server-certs-dir=${ctx.pki.servingDir}`,
      '--enable-webhooks',
      `--webhook-port=${webhookPort}`,
      `--metrics-port=${metrics}`,
      `--health-probe-port=${health}`,
    ],
    env: {
      KUBECONFIG: ctx.kubeconfigFor(crossplane),
      POD_NAMESPACE: crossplane.namespace,
      POD_SERVICE_ACCOUNT: crossplane.name,
      GOMEMLIMIT: '400MiB',
    },
    ready: () => httpOk(`http://127.0.0.1:${health}/readyz`),
  });
}

/**
 * Crossplane's RBAC manager (`crossplane rbac start`, its Deployment's arguments): the roles that
 * let Crossplane compose each XRD's kinds and each provider's, and each provider act on its own.
 * It binds :8080 for metrics whatever it is told, so it runs in a network namespace of its own
 * (`controlplane isolate`), where that port is its alone and serves as its readiness probe.
 */
export async function startRbacManager(ctx: ControllerContext): Promise<void> {
  await ctx.start({
    name: 'crossplane-rbac-manager',
    bin: ctx.controlplane,
    args: [
      'isolate',
      `--apiserver=${ctx.apiserver}`,
      '--probe=http://127.0.0.1:8080/metrics',
      '--',
      toolPath(CROSSPLANE),
      'rbac',
      'start',
      `--provider-clusterrole=${ALLOWED_PROVIDER_PERMISSIONS}`,
    ],
    env: { KUBECONFIG: ctx.kubeconfigFor(IDENTITIES.rbacManager), GOMEMLIMIT: '150MiB' },
    ready: logSays(path.join(ctx.runDir, 'logs', 'crossplane-rbac-manager.log'), 'isolated program ready'),
  });
}

/**
 * Argo CD's controllers as its own local development runs them (argo-cd Procfile):
 * ARGOCD_FAKE_IN_CLUSTER makes the in-cluster destination (https://kubernetes.default.svc) the
 * API server of KUBECONFIG, which holds each controller's own service-account token.
 */
export async function startArgocd(ctx: ControllerContext, redisPort: number): Promise<void> {
  const dir = path.join(ctx.runDir, 'argocd');
  const bin = path.join(dir, 'bin');
  writeGitVerifyWrapper(bin);
  for (const d of ['tls', 'ssh', 'gpg-keys', 'gpg-source', 'plugins']) fs.mkdirSync(path.join(dir, d), { recursive: true });
  const namespace = PLATFORM.argocdNamespace;
  const env = (who: Identity, credentials?: 'anonymous') => ({
    ARGOCD_BINARY_NAME: who.name,
    ARGOCD_FAKE_IN_CLUSTER: 'true',
    KUBECONFIG: ctx.kubeconfigFor(credentials ?? who, { namespace }),
    PATH: `${bin}:${process.env.PATH}`,
    ARGOCD_TLS_DATA_PATH: path.join(dir, 'tls'),
    ARGOCD_SSH_DATA_PATH: path.join(dir, 'ssh'),
    ARGOCD_GNUPGHOME: path.join(dir, 'gpg-keys'),
    ARGOCD_GPG_DATA_PATH: path.join(dir, 'gpg-source'),
    ARGOCD_GPG_ENABLED: 'false',
    ARGOCD_PLUGINSOCKFILEPATH: path.join(dir, 'plugins'),
    GOMEMLIMIT: '300MiB',
  });
  const redis = `127.0.0.1:${redisPort}`;
  const [repo, repoMetrics] = [await freePort(), await freePort()];
  const { repoServer, applicationController, applicationSetController } = IDENTITIES;
  await ctx.start({
    name: 'argocd-repo-server',
    bin: toolPath(ARGOCD),
    args: [`--port=${repo}`, `--metrics-port=${repoMetrics}`, `--redis=${redis}`, '--loglevel=info'],
    // Its install mounts no service-account token (automountServiceAccountToken: false).
    env: env(repoServer, 'anonymous'),
    ready: () => tcpOpen(repo),
  });
  const [ctrlMetrics, asMetrics, asProbe, asWebhook] = [await freePort(), await freePort(), await freePort(), await freePort()];
  await Promise.all([
    ctx.start({
      name: 'argocd-application-controller',
      bin: toolPath(ARGOCD),
      args: [`--repo-server=127.0.0.1:${repo}`, `--redis=${redis}`, `--metrics-port=${ctrlMetrics}`, '--loglevel=info'],
      env: env(applicationController),
      ready: () => httpOk(`http://127.0.0.1:${ctrlMetrics}/healthz`),
    }),
    ctx.start({
      name: 'argocd-applicationset-controller',
      bin: toolPath(ARGOCD),
      args: [
        `--argocd-repo-server=127.0.0.1:${repo}`,
        `--metrics-addr=127.0.0.1:${asMetrics}`,
        `--probe-addr=127.0.0.1:${asProbe}`,
        `--webhook-addr=127.0.0.1:${asWebhook}`,
        '--loglevel=info',
      ],
      // Read once, at start: Argo CD's install sets this variable from argocd-cmd-params-cm
      // (manifests/base/applicationset-controller/argocd-applicationset-controller-deployment.yaml,
      // configMapKeyRef applicationsetcontroller.enable.progressive.syncs, optional).
      env: {
        ...env(applicationSetController),
        ARGOCD_APPLICATIONSET_CONTROLLER_ENABLE_PROGRESSIVE_SYNCS:
          ctx.configMap('argocd-cmd-params-cm', namespace)['applicationsetcontroller.enable.progressive.syncs'] ?? 'false',
      },
      ready: logSays(path.join(ctx.runDir, 'logs', 'argocd-applicationset-controller.log'), 'Starting workers'),
    }),
  ]);
}

/** A service account's credentials: a TokenRequest token, valid as long as the PKI (30 days). */
export function serviceAccountToken(kubectl: (args: readonly string[]) => string, who: Identity): Credentials {
  return { token: kubectl(['create', 'token', who.name, '-n', who.namespace, '--duration=720h']).trim() };
}
