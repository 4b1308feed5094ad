// The control cluster's own PKI, made with openssl: one CA, a serving certificate for loopback
// (the API server, Crossplane's webhook, the functions, provider-kubernetes' webhook), client
// certificates for the admin, for kube-controller-manager (as kubeadm gives it one) and for
// Crossplane's calls to functions, and the service-account signing key pair. P-256 keys: quick to
// make, accepted by every component. Every other controller authenticates with a service-account
// token (identities.ts), as in a cluster.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  /** Folder with ca.crt, tls.crt (leaf then CA) and tls.key of the loopback serving certificate. */
  readonly servingDir: string;
  /** Folder with ca.crt, tls.crt and tls.key of Crossplane's client certificate (functions' mTLS). */
  readonly crossplaneClientDir: string;
  readonly adminCert: string;
  readonly adminKey: string;
  /** kube-controller-manager's client certificate: user system:kube-controller-manager, no group. */
  readonly controllerManagerCert: string;
  readonly controllerManagerKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKey(file: string, cwd: string): void {
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file], cwd);
}

interface Leaf {
  readonly name: string;
  readonly subject: string;
  readonly usage: 'serverAuth' | 'clientAuth' | 'serverAuth,clientAuth';
  readonly sans?: string;
}

function issue(dir: string, leaf: Leaf): void {
  newKey(`${leaf.name}.key`, dir);
  openssl(['req', '-new', '-key', `${leaf.name}.key`, '-subj', leaf.subject, '-out', `${leaf.name}.csr`], dir);
  const ext = [`extendedKeyUsage=${leaf.usage}`, 'keyUsage=critical,digitalSignature,keyEncipherment', 'basicConstraints=critical,CA:FALSE'];
  if (leaf.sans) ext.push(`subjectAltName=${leaf.sans}`);
  fs.writeFileSync(path.join(dir, `${leaf.name}.ext`), `${ext.join('\n')}\n`);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${leaf.name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-days',
      '30',
      '-sha256',
      '-extfile',
      `${leaf.name}.ext`,
      '-out',
      `${leaf.name}.crt`,
    ],
    dir,
  );
}

/** Make the PKI in `dir` (once: an existing one is reused). */
export function makePki(dir: string): Pki {
  const pki: Pki = {
    dir,
    caCert: path.join(dir, 'ca.crt'),
    caKey: path.join(dir, 'ca.key'),
    servingDir: path.join(dir, 'serving'),
    crossplaneClientDir: path.join(dir, 'crossplane-client'),
    adminCert: path.join(dir, 'admin.crt'),
    adminKey: path.join(dir, 'admin.key'),
    controllerManagerCert: path.join(dir, 'kube-controller-manager.crt'),
    controllerManagerKey: path.join(dir, 'kube-controller-manager.key'),
    serviceAccountKey: path.join(dir, 'sa.key'),
    serviceAccountPub: path.join(dir, 'sa.pub'),
  };
  if (fs.existsSync(pki.serviceAccountPub)) return pki;
  fs.mkdirSync(dir, { recursive: true });
  newKey('ca.key', dir);
  openssl(
    ['req', '-x509', '-new', '-key', 'ca.key', '-subj', '/CN=drydock-local-control-cluster-ca', '-days', '30', '-sha256', '-out', 'ca.crt'],
    dir,
  );
  issue(dir, {
    name: 'serving',
    subject: '/CN=127.0.0.1',
    usage: 'serverAuth',
    sans: 'IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc',
  });
  issue(dir, { name: 'admin', subject: '/O=system:masters/CN=drydock-admin', usage: 'clientAuth' });
  // The user Kubernetes' bootstrap RBAC policy binds to system:kube-controller-manager.
  issue(dir, { name: 'kube-controller-manager', subject: '/CN=system:kube-controller-manager', usage: 'clientAuth' });
  issue(dir, { name: 'crossplane-client', subject: '/CN=crossplane', usage: 'clientAuth' });
  newKey('sa.key', dir);
  openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], dir);
  const ca = fs.readFileSync(pki.caCert, 'utf8');
  // tls.crt carries the chain: Crossplane uses a package's tls.crt as its webhooks' CA bundle.
  const bundle = (name: string, to: string) => {
    fs.mkdirSync(to, { recursive: true });
    fs.writeFileSync(path.join(to, 'tls.crt'), fs.readFileSync(path.join(dir, `${name}.crt`), 'utf8') + ca);
    fs.copyFileSync(path.join(dir, `${name}.key`), path.join(to, 'tls.key'));
    fs.writeFileSync(path.join(to, 'ca.crt'), ca);
  };
  bundle('serving', pki.servingDir);
  bundle('crossplane-client', pki.crossplaneClientDir);
  return pki;
}

/** How a kubeconfig's user authenticates. */
export type Credentials =
  | { readonly cert: string; readonly key: string }
  /** A bearer token (a service account's, from TokenRequest). */
  | { readonly token: string }
  /** No credentials: the API server sees system:anonymous (a pod that mounts no token). */
  | { readonly anonymous: true };

/**
 * A kubeconfig for `server`: as the admin (system:masters) unless `credentials` say otherwise,
 * optionally defaulting to a namespace.
 */
export function writeKubeconfig(file: string, pki: Pki, server: string, opts: { credentials?: Credentials; namespace?: string } = {}): void {
  const b64 = (f: string) => fs.readFileSync(f).toString('base64');
  const creds = opts.credentials ?? { cert: pki.adminCert, key: pki.adminKey };
  const user =
    'token' in creds
      ? [`    token: ${creds.token}`]
      : 'cert' in creds
        ? [`    client-certificate-data: ${b64(creds.cert)}`, `    client-key-data: ${b64(creds.key)}`]
        : [];
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: local',
      '  cluster:',
      `    server: ${server}`,
      `    certificate-authority-data: ${b64(pki.caCert)}`,
      'users:',
      '- name: user',
      `  user:${user.length ? '' : ' {}'}`,
      ...user,
      'contexts:',
      '- name: local',
      '  context:',
      '    cluster: local',
      '    user: user',
      ...(opts.namespace ? [`    namespace: ${opts.namespace}`] : []),
      'current-context: local',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
}
