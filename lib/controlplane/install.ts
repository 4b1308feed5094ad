// What the README's bootstrap takes as given on a control cluster ("Argo CD in argocd and
// Crossplane v2 in crossplane-system"), installed the way their own installs do it: the CRDs from
// $CRDS_DIR, the namespaces, Crossplane's Usage webhook, and Argo CD's configuration objects with
// the stock settings that matter here (applied client-side, as `kubectl apply -f install.yaml`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLATFORM } from '../../environments/platform';
import { crdsDir } from '../paths';
import { toYaml } from '../yaml';

/**
 * Crossplane's Usage webhook (crossplane (CONTROL_CLUSTER.crossplane) cluster/webhookconfigurations/usage.yaml), pointed
 * at Crossplane's webhook server on loopback: it refuses to delete anything labelled in use.
 */
export function usageWebhook(port: number, caBundle: string): unknown {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'crossplane-no-usages' },
    webhooks: [
      {
        name: 'nousages.protection.crossplane.io',
        admissionReviewVersions: ['v1'],
        clientConfig: { url: `https://127.0.0.1:${port}/validate-no-usages`, caBundle: Buffer.from(caBundle).toString('base64') },
        failurePolicy: 'Fail',
        sideEffects: 'None',
        objectSelector: { matchLabels: { 'crossplane.io/in-use': 'true' } },
        rules: [{ apiGroups: ['*'], apiVersions: ['*'], operations: ['DELETE'], resources: ['*'] }],
      },
    ],
  };
}

/** Argo CD's configuration objects as a fresh install has them (argo-cd (CONTROL_CLUSTER.argocd) manifests/base/config). */
export function argocdConfig(): unknown[] {
  const ns = PLATFORM.argocdNamespace;
  const meta = (name: string) => ({ name, namespace: ns, labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'argocd' } });
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('argocd-cm'),
      data: {
        // Two of the stock settings, to see whether a sync of ours keeps what the install had.
        'resource.customizations.ignoreResourceUpdates.all': 'jsonPointers:\n  - /status\n',
        'resource.exclusions': toYaml([
          [
            { apiGroups: ['', 'discovery.k8s.io'], kinds: ['Endpoints', 'EndpointSlice'] },
            { apiGroups: ['coordination.k8s.io'], kinds: ['Lease'] },
          ],
        ]),
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('argocd-cmd-params-cm') },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('argocd-rbac-cm') },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('argocd-ssh-known-hosts-cm') },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('argocd-tls-certs-cm') },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('argocd-gpg-keys-cm') },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('argocd-secret'),
      type: 'Opaque',
      stringData: { 'server.secretkey': 'local-control-cluster' },
    },
  ];
}

/** What `crossplane core init` creates that packages rely on: the `default` DeploymentRuntimeConfig. */
export function crossplaneInit(): unknown[] {
  return [{ apiVersion: 'pkg.crossplane.io/v1beta1', kind: 'DeploymentRuntimeConfig', metadata: { name: 'default' }, spec: {} }];
}

export function namespaces(): unknown[] {
  return [PLATFORM.crossplaneNamespace, PLATFORM.argocdNamespace].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
}

/** The CRD folders the two installs bring. */
export function installCrdDirs(): string[] {
  return ['crossplane', 'argocd'].map((d) => path.join(crdsDir(), d)).filter((d) => fs.existsSync(d));
}
