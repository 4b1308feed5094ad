// A real control cluster as local processes on loopback: etcd, kube-apiserver,
// kube-controller-manager, Crossplane core (webhooks on), our package runtime and simulated AWS,
// Redis, a git daemon and Argo CD's application controller, repo-server and ApplicationSet
// controller. `up` starts them in dependency order, each on free ports with a readiness check;
// `down` stops each by its own pid, in reverse. The state file in the run folder lets another
// process (`npm run controlplane -- status|down`) find them.
// Past 300 lines on purpose: nearly all of it is the one ControlCluster class (start, readiness,
// stop, and the kubectl-level helpers the scenarios use), which reads top to bottom as its life.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLATFORM } from '../../environments/platform';
import { crdsDir, repoRoot, toolCacheDir } from '../paths';
import { toYaml } from '../yaml';
import { controlplaneBinary, findPrerequisites, kubeBinaries } from './components';
import { type ControllerContext, serviceAccountToken, startArgocd, startCrossplane, startRbacManager } from './controllers';
import { localRepoUrl, publishDist } from './git';
import { controllerRbac } from './identities';
import { argocdConfig, crossplaneInit, installCrdDirs, namespaces, usageWebhook } from './install';
import { makePki, writeKubeconfig } from './pki';
import {
  type ComponentSpec,
  freePort,
  httpGet,
  httpOk,
  isRunning,
  logSays,
  type Running,
  sleep,
  startComponent,
  stopComponent,
  tcpOpen,
} from './process';

export interface ClusterProps {
  /** Folder for everything the cluster writes (state, logs, etcd data, PKI). */
  readonly runDir: string;
  /** @default - the repository's dist/ */
  readonly distDir?: string;
  /** Progress lines while starting. @default - none */
  readonly log?: (line: string) => void;
}

export interface ClusterState {
  readonly runDir: string;
  readonly kubeconfig: string;
  readonly apiserver: string;
  readonly gitPort: number;
  readonly awsState: string;
  readonly components: Running[];
  readonly startupSeconds: number;
}

const STATE = 'state.json';

export class ControlCluster {
  private constructor(readonly state: ClusterState) {}

  /** The cluster whose state file is in `runDir`, started earlier (perhaps by another process). */
  static attach(runDir: string): ControlCluster {
    const file = path.join(runDir, STATE);
    if (!fs.existsSync(file)) throw new Error(`no control cluster in ${runDir}: start one with \`npm run controlplane -- up\``);
    return new ControlCluster(JSON.parse(fs.readFileSync(file, 'utf8')));
  }

  static async up(props: ClusterProps): Promise<ControlCluster> {
    const log = props.log ?? (() => {});
    const missing = findPrerequisites().filter((p) => !p.path);
    if (missing.length) throw new Error(`the control cluster needs: ${missing.map((m) => `${m.name} (${m.fix})`).join('; ')}`);
    const runDir = path.resolve(props.runDir);
    if (
      fs.existsSync(path.join(runDir, STATE)) &&
      ControlCluster.attach(runDir)
        .running()
        .some((c) => c.running)
    ) {
      throw new Error(`a control cluster already runs from ${runDir}: stop it with \`npm run controlplane -- down\``);
    }
    fs.rmSync(runDir, { recursive: true, force: true });
    fs.mkdirSync(runDir, { recursive: true });
    const logs = path.join(runDir, 'logs');
    const components: Running[] = [];
    const spawned = (r: Running) => {
      components.push(r);
      writeState({ ...partial, components, startupSeconds: 0 });
    };
    const inFlight: Promise<unknown>[] = [];
    const start = (spec: ComponentSpec) => {
      const p = startComponent(spec, logs, spawned).then((r) => {
        log(`${r.name} ready (pid ${r.pid}) after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        return r;
      });
      inFlight.push(p);
      return p;
    };
    const writeState = (s: ClusterState) => fs.writeFileSync(path.join(runDir, STATE), `${JSON.stringify(s, null, 2)}\n`);

    // Built once into the cache (npm run tools does it ahead); start-up is timed from here.
    const kube = kubeBinaries();
    const cp = controlplaneBinary();
    const t0 = Date.now();
    const pki = makePki(path.join(runDir, 'pki'));
    const port = {
      etcd: await freePort(),
      etcdPeer: await freePort(),
      api: await freePort(),
      kcm: await freePort(),
      redis: await freePort(),
      git: await freePort(),
    };
    const apiserver = `https://127.0.0.1:${port.api}`;
    const kubeconfig = path.join(runDir, 'admin.kubeconfig');
    writeKubeconfig(kubeconfig, pki, apiserver);
    const partial = { runDir, kubeconfig, apiserver, gitPort: port.git, awsState: path.join(runDir, 'aws-inventory.json') };
    const cluster = new ControlCluster({ ...partial, components, startupSeconds: 0 });
    try {
      await start({
        name: 'etcd',
        bin: kube.etcd,
        args: [
          '--name=local',
          `--data-dir=${path.join(runDir, 'etcd')}`,
          `--listen-client-urls=http://127.0.0.1:${port.etcd}`,
          `--advertise-client-urls=http://127.0.0.1:${port.etcd}`,
          `--listen-peer-urls=http://127.0.0.1:${port.etcdPeer}`,
          `--initial-advertise-peer-urls=http://127.0.0.1:${port.etcdPeer}`,
          `--initial-cluster=local=http://127.0.0.1:${port.etcdPeer}`,
          // A throw-away store: durability is not worth the fsyncs.
          '--unsafe-no-fsync',
          '--log-level=warn',
        ],
        env: { GOMEMLIMIT: '300MiB' },
        ready: async () => (await httpGet(`http://127.0.0.1:${port.etcd}/health`)).body.includes('"true"'),
      });
      await start({
        name: 'kube-apiserver',
        bin: kube['kube-apiserver'],
        args: [
          `--etcd-servers=http://127.0.0.1:${port.etcd}`,
          '--bind-address=127.0.0.1',
          '--advertise-address=127.0.0.1',
          `--secure-port=${port.api}`,
          `--tls-cert-file=${path.join(pki.servingDir, 'tls.crt')}`,
          `--tls-private-key-file=${path.join(pki.servingDir, 'tls.key')}`,
          `--client-ca-file=${pki.caCert}`,
          '--service-account-issuer=https://kubernetes.default.svc',
          `--service-account-key-file=${pki.serviceAccountPub}`,
          `--service-account-signing-key-file=${pki.serviceAccountKey}`,
          '--service-cluster-ip-range=10.96.0.0/16',
          '--authorization-mode=RBAC',
          // No nodes, no Service endpoints for the API server itself: nothing runs in pods here.
          '--endpoint-reconciler-type=none',
          '--profiling=false',
        ],
        env: { GOMEMLIMIT: '1400MiB' },
        timeoutMs: 120_000,
        ready: () => httpOk(`${apiserver}/readyz`, { ca: pki.caCert, cert: pki.adminCert, key: pki.adminKey }),
      });
      // As kubeadm runs it: its own user, and each controller (the garbage collector among them)
      // as its own service account in kube-system.
      const kcmKubeconfig = path.join(runDir, 'kube-controller-manager.kubeconfig');
      writeKubeconfig(kcmKubeconfig, pki, apiserver, { credentials: { cert: pki.controllerManagerCert, key: pki.controllerManagerKey } });
      const kcm = start({
        name: 'kube-controller-manager',
        bin: kube['kube-controller-manager'],
        args: [
          `--kubeconfig=${kcmKubeconfig}`,
          `--authentication-kubeconfig=${kcmKubeconfig}`,
          `--authorization-kubeconfig=${kcmKubeconfig}`,
          '--bind-address=127.0.0.1',
          `--secure-port=${port.kcm}`,
          '--leader-elect=false',
          `--service-account-private-key-file=${pki.serviceAccountKey}`,
          `--root-ca-file=${pki.caCert}`,
          `--cluster-signing-cert-file=${pki.caCert}`,
          `--cluster-signing-key-file=${pki.caKey}`,
          '--use-service-account-credentials=true',
          '--profiling=false',
        ],
        env: { GOMEMLIMIT: '300MiB' },
        ready: () => httpOk(`https://127.0.0.1:${port.kcm}/healthz`, { insecure: true }),
      });
      const redis = start({
        name: 'redis',
        bin: 'redis-server',
        args: ['--bind', '127.0.0.1', '--port', String(port.redis), '--save', '', '--appendonly', 'no', '--dir', runDir],
        ready: () => tcpOpen(port.redis),
      });
      const gitBase = path.join(runDir, 'git');
      publishDist({
        baseDir: gitBase,
        distDir: props.distDir ?? path.join(repoRoot, 'dist'),
        port: port.git,
        message: 'dist/ as the working tree has it',
      });
      const gitDaemon = start({
        name: 'git-daemon',
        bin: 'git',
        args: ['daemon', '--reuseaddr', '--listen=127.0.0.1', `--port=${port.git}`, `--base-path=${gitBase}`, '--export-all', gitBase],
        ready: () => tcpOpen(port.git),
      });
      // The installs the README's bootstrap takes as given.
      cluster.apply(namespaces());
      for (const dir of installCrdDirs()) cluster.kubectl(['apply', '--server-side', '--force-conflicts', '-f', dir]);
      await cluster.waitFor('every CRD Established', () =>
        cluster
          .list('customresourcedefinitions')
          .every((c) => c.status?.conditions?.some((x: any) => x.type === 'Established' && x.status === 'True')),
      );
      cluster.apply(crossplaneInit());
      cluster.apply(argocdConfig(), { serverSide: false });
      // The README's step 3 after Argo CD's install, before its controllers start (so the restart
      // it asks for is moot): our settings merged into the stock ConfigMaps.
      patchArgocdSettings(cluster);
      // Each controller's service account and what RBAC lets it do, as the two installs set them up.
      cluster.apply(controllerRbac());
      const ctx: ControllerContext = {
        start,
        runDir,
        pki,
        apiserver: `127.0.0.1:${port.api}`,
        configMap: (name, namespace) => cluster.get('configmap', name, namespace)?.data ?? {},
        controlplane: cp,
        kubeconfigFor: (who, opts) => {
          const file = path.join(runDir, 'kubeconfigs', `${who === 'anonymous' ? who : `${who.namespace}.${who.name}`}.kubeconfig`);
          fs.mkdirSync(path.dirname(file), { recursive: true });
          const credentials = who === 'anonymous' ? ({ anonymous: true } as const) : serviceAccountToken((a) => cluster.kubectl(a), who);
          writeKubeconfig(file, pki, apiserver, { credentials, namespace: opts?.namespace });
          return file;
        },
      };
      const webhookPort = await freePort();
      cluster.apply([usageWebhook(webhookPort, fs.readFileSync(pki.caCert, 'utf8'))]);
      await Promise.all([kcm, redis, gitDaemon]);
      await Promise.all([
        startCrossplane(ctx, webhookPort),
        startRbacManager(ctx),
        start({
          name: 'packages',
          bin: cp,
          args: [
            'packages',
            `--kubeconfig=${kubeconfig}`,
            `--namespace=${PLATFORM.crossplaneNamespace}`,
            `--tool-cache=${path.join(toolCacheDir(), 'go')}`,
            `--crds=${crdsDir()}`,
            `--certs=${pki.servingDir}`,
            `--xpkg-cache=${path.join(runDir, 'xpkg')}`,
            `--log-dir=${path.join(logs, 'packages')}`,
            `--run-dir=${path.join(runDir, 'packages')}`,
            `--apiserver=127.0.0.1:${port.api}`,
            // Served before Argo CD applies them: Crossplane backs off on a package it cannot resolve.
            ...['providers.yaml', 'functions.yaml'].map((f) => `--seed=${path.join(props.distDir ?? path.join(repoRoot, 'dist'), 'crossplane', f)}`),
          ],
          env: { GOMEMLIMIT: '150MiB' },
          ready: logSays(path.join(logs, 'packages.log'), 'package runtime ready'),
        }),
        start({
          name: 'aws',
          bin: cp,
          args: [
            'aws',
            `--kubeconfig=${kubeconfig}`,
            `--state=${partial.awsState}`,
            // The control cluster is an EKS cluster in its own account, made before the bootstrap
            // (README, Bootstrapping): Argo CD's Pod Identity associations attach to it.
            `--home-account=${PLATFORM.controlCluster.accountId}`,
            `--existing-eks=${PLATFORM.controlCluster.region}/${PLATFORM.controlCluster.name}`,
          ],
          env: { GOMEMLIMIT: '150MiB' },
          ready: logSays(path.join(logs, 'aws.log'), 'simulated AWS ready'),
        }),
        startArgocd(ctx, port.redis),
      ]);
    } catch (e) {
      // Let every start under way finish or fail, so that nothing spawned is left behind.
      await Promise.allSettled(inFlight);
      await cluster.down();
      throw e;
    }
    const state: ClusterState = { ...partial, components, startupSeconds: (Date.now() - t0) / 1000 };
    fs.writeFileSync(path.join(runDir, STATE), `${JSON.stringify(state, null, 2)}\n`);
    return new ControlCluster(state);
  }

  /** Stop every program by its own pid, the last started first. */
  async down(): Promise<void> {
    for (const c of [...this.state.components].reverse()) await stopComponent(c);
  }

  /** Each program and whether it still runs. */
  running(): { name: string; pid: number; running: boolean; log: string }[] {
    return this.state.components.map((c) => ({ name: c.name, pid: c.pid, running: isRunning(c), log: c.log }));
  }

  /** kubectl against this cluster (as the admin unless `args` say --as). */
  kubectl(args: readonly string[], input?: string): string {
    try {
      return execFileSync('kubectl', [`--kubeconfig=${this.state.kubeconfig}`, ...args], {
        encoding: 'utf8',
        input,
        maxBuffer: 1 << 28,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (e: any) {
      throw new Error(`kubectl ${args.join(' ')}: ${(e.stderr || e.message).trim()}`);
    }
  }

  /** Apply objects (server-side by default, as Argo CD does with ServerSideApply=true). */
  apply(objects: readonly unknown[], opts: { serverSide?: boolean; as?: string; asGroups?: readonly string[] } = {}): string {
    const args = ['apply', '-f', '-'];
    if (opts.serverSide ?? true) args.push('--server-side', '--field-manager=drydock-test');
    if (opts.as) args.push(`--as=${opts.as}`, ...(opts.asGroups ?? []).map((g) => `--as-group=${g}`));
    return this.kubectl(args, toYaml([...objects]));
  }

  /** Every object of `resource` (e.g. applications.argoproj.io), in `namespace` or all. */
  list(resource: string, namespace?: string): any[] {
    const ns = namespace ? ['-n', namespace] : ['-A'];
    return JSON.parse(this.kubectl(['get', resource, ...ns, '-o', 'json'])).items;
  }

  get(resource: string, name: string, namespace?: string): any | undefined {
    try {
      return JSON.parse(this.kubectl(['get', resource, name, ...(namespace ? ['-n', namespace] : []), '-o', 'json']));
    } catch (e: any) {
      if (/NotFound|not found/.test(e.message)) return undefined;
      throw e;
    }
  }

  /**
   * Resolve once `check` returns a truthy value (polled every second), with that value; fail
   * after `timeoutMs` saying what was awaited and what `explain` says about the state then.
   */
  async waitFor<T>(what: string, check: () => T | undefined | false, opts: { timeoutMs?: number; explain?: () => string } = {}): Promise<T> {
    const timeout = opts.timeoutMs ?? 120_000;
    const deadline = Date.now() + timeout;
    let last: unknown;
    for (;;) {
      try {
        const v = check();
        if (v) return v;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) {
        const why = opts.explain ? opts.explain() : last instanceof Error ? last.message : '';
        throw new Error(`waited ${timeout / 1000} s for ${what}${why ? `: ${why}` : ''}`);
      }
      await sleep(1000);
    }
  }

  /** Commit a dist/ folder to the served repository, as a merge to the branch Argo CD follows would. */
  publish(distDir: string, message: string): string {
    const commit = publishDist({ baseDir: path.join(this.state.runDir, 'git'), distDir, port: this.state.gitPort, message });
    // The README: when dist/bootstrap/ changes, run the two patch commands again.
    patchArgocdSettings(this);
    return commit;
  }

  /** dist/ as the served repository's last commit has it (what Argo CD syncs). */
  get servedDist(): string {
    return path.join(this.state.runDir, 'git', 'worktree', 'dist');
  }

  /** The local URL Argo CD reaches the repository at. */
  get repoUrl(): string {
    return localRepoUrl(this.state.gitPort);
  }

  /** What exists in the simulated AWS. */
  awsInventory(): { objects: any[]; events: string[] } {
    return JSON.parse(fs.readFileSync(this.state.awsState, 'utf8'));
  }

  /** Resident memory of each running program, in MB (from /proc). */
  memory(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.state.components) {
      if (!isRunning(c)) continue;
      const pids = [c.pid, ...childPids(c.pid)];
      out[c.name] = pids.reduce((sum, p) => sum + rssMb(p), 0);
    }
    return out;
  }
}

/**
 * The README's Argo CD settings (Bootstrapping, step 3): each dist/bootstrap/<ConfigMap>.yaml of
 * the served commit merged into the installed ConfigMap with `kubectl patch --type merge`.
 */
function patchArgocdSettings(cluster: ControlCluster): void {
  const dir = path.join(cluster.servedDist, 'bootstrap');
  for (const file of fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
    : []) {
    const name = path.basename(file, '.yaml');
    cluster.kubectl(['-n', PLATFORM.argocdNamespace, 'patch', 'configmap', name, '--type', 'merge', '--patch-file', path.join(dir, file)]);
  }
}

function childPids(pid: number): number[] {
  try {
    const kids = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return kids.flatMap((k) => [k, ...childPids(k)]);
  } catch {
    return [];
  }
}

function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
