// dist/argocd/addons.yaml: one ApplicationSet per add-on. Each selects registered workload
// clusters by their cluster Secret's labels (environment, enable_<addon>, eks_compute_mode) and
// takes every per-cluster value from that Secret's annotations: nothing is copied per cluster.
// Changes roll out dev first, then staging, then prod (RollingSync on the environment label).
// (About 310 lines: ADDON_SPECS, the table of add-ons, is half of it; the chart that turns each
// row into an ApplicationSet sits beside it so a new row and what it becomes are read together.)
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import { CHARTS, type ChartName, type ChartRelease, compareVersions } from '../catalog';
import { ADDONS, type Addon } from '../compositions/cluster/definition';
import {
  CLUSTER_SECRET,
  type SecretAnnotation,
  type SecretData,
  type SecretLabel,
  type SecretOptionalAnnotation,
  type TemplateField,
} from '../compositions/cluster/registration';
import type { Environment } from '../environments';
import { PLATFORM } from '../environments/platform';
import { ApplicationSet } from '../imports/argoproj.io';
import { ROLLOUT_LABEL, ROLLOUT_LABEL_VALUE, rolloutSteps } from './addons-rollout';
import { addonsProject, RETRY, ROOT_WAVES } from './argocd';
import { DistChart } from './dist-chart';

export { FIRST_INSTALL, FIRST_INSTALL_HOURS, ROLLOUT_LABEL } from './addons-rollout';

/** The chart of our own that every cluster gets: NodePools, EC2NodeClass, ClusterIssuers, StorageClass. */
export const OWN_CHART_SOURCE = path.join(__dirname, 'addons', 'drydock-addons');
export const OWN_CHART_PATH = 'dist/addons/drydock-addons';

/**
 * Go-template expressions over the cluster Secret, as the ApplicationSet renders them per cluster.
 * Keys are typed by the Secret's table (compositions/cluster/registration.ts), so a misspelled
 * one does not compile; field access (not `index`) makes a key missing at run time fail the
 * render under missingkey=error instead of deploying an empty value.
 */
const a = (key: TemplateField<SecretAnnotation>) => `{{ .metadata.annotations.${key} }}`;
const label = (key: TemplateField<SecretLabel>) => `{{ .metadata.labels.${key} }}`;
const data = (key: SecretData) => `{{ .${key} }}`;
/** An annotation that may be absent (a cluster without DNS zones): empty then. */
const optional = (key: SecretOptionalAnnotation) => `{{ index .metadata.annotations "${key}" }}`;
/** An annotation inside a template pipeline. */
const annotationRef = (key: TemplateField<SecretAnnotation | SecretOptionalAnnotation>) => `.metadata.annotations.${key}`;
const SECRET_TYPE: SecretLabel = 'argocd.argoproj.io/secret-type';
const COMPUTE_MODE: SecretLabel = 'eks_compute_mode';

export interface AddonSpec {
  readonly name: string;
  /** The Cluster API toggle, or none for what every cluster gets. */
  readonly toggle?: Addon;
  /** Only on clusters whose nodes we run (not EKS Auto Mode). */
  readonly managedOnly?: boolean;
  readonly namespace: string;
  /** An upstream chart at the version catalog/versions.ts pins, or our own chart from this repository. */
  readonly chart: ChartRelease | 'own';
  /** Helm values; strings may hold templates over the cluster Secret. */
  readonly values: Record<string, unknown>;
  /**
   * Where the chart's components run, by the values key of their tolerations. `system`: they
   * tolerate the system node group's CriticalAddonsOnly taint, so they start before Karpenter has
   * launched a node (controllers and webhooks other add-ons' objects or syncs wait on, hooks a
   * sync waits for). `elsewhere`: they wait for Karpenter's nodes, and say why nothing the
   * bootstrap needs waits on them. Every tolerations key of the chart's values.yaml is one or the
   * other (a test reads the chart's values.yaml).
   */
  readonly tolerations?: { readonly system: readonly string[]; readonly elsewhere?: Readonly<Record<string, string>> };
}

/**
 * A template that renders YAML (a number, a JSON list): written unquoted, so Helm reads an
 * integer or a list, not a string.
 */
const unquoted = (template: string) => `${RAW}${template}`;
const RAW = 'yaml:';
const valuesYaml = (values: Record<string, unknown>) => yaml.dump(values, { lineWidth: -1 }).replace(new RegExp(`'?${RAW}([^'\\n]*)'?`, 'g'), '$1');

/** The system node group's taint (compositions/eks), tolerated by what must run before Karpenter's nodes. */
export const CRITICAL = [{ key: 'CriticalAddonsOnly', operator: 'Exists' }];
const HEAVY = 'a heavy workload: it waits for Karpenter, and nothing the bootstrap needs waits on it';

export const ADDON_SPECS: readonly AddonSpec[] = [
  {
    name: 'karpenter',
    toggle: 'karpenter',
    managedOnly: true,
    namespace: 'kube-system',
    chart: CHARTS.karpenter,
    values: {
      settings: { clusterName: a('aws_cluster_name'), clusterEndpoint: data('server'), interruptionQueue: a('karpenter_sqs_queue_name') },
      replicas: unquoted(a('karpenter_replicas')),
      // Pod Identity (kube-system/karpenter, composed by the EKS API): no IRSA annotation.
      serviceAccount: { create: true, name: 'karpenter' },
    },
    // It launches the nodes everything else waits for.
    tolerations: { system: ['tolerations'] },
  },
  {
    name: 'drydock-addons',
    namespace: 'kube-system',
    chart: 'own',
    values: {
      clusterName: a('aws_cluster_name'),
      environment: label('environment'),
      region: a('aws_region'),
      computeMode: label('eks_compute_mode'),
      karpenter: {
        enabled: label('enable_karpenter'),
        nodeRoleName: a('karpenter_node_iam_role_name'),
        amiFamily: a('karpenter_ami_family'),
        instanceFamilies: a('karpenter_instance_families'),
        capacityTypes: a('karpenter_capacity_types'),
        cpuLimit: a('karpenter_cpu_limit'),
        memoryLimitGi: a('karpenter_memory_limit_gi'),
      },
      certManager: {
        enabled: label('enable_cert_manager'),
        email: a('cert_manager_email'),
        hostedZoneIds: optional('cert_manager_hosted_zone_ids'),
        domains: optional('external_dns_domain_filters'),
        // HTTP-01 needs a way in from the internet: the load balancer controller's ALB.
        http01: { enabled: label(ADDONS.awsLoadBalancerController.label) },
      },
      externalSecrets: { enabled: label('enable_external_secrets'), prefixes: a('external_secrets_prefixes') },
    },
  },
  {
    name: 'external-dns',
    toggle: 'externalDns',
    namespace: 'external-dns',
    chart: CHARTS['external-dns'],
    values: {
      provider: { name: 'aws' },
      sources: ['service', 'ingress'],
      policy: a('external_dns_policy'),
      txtOwnerId: a('aws_cluster_name'),
      domainFilters: unquoted(`{{ splitList "," ${annotationRef('external_dns_domain_filters')} | toJson }}`),
      // The chart (catalog/versions.ts) has no value for it: --zone-id-filter, once per hosted zone, as extra args.
      extraArgs: unquoted(
        `{{ splitList "," (regexReplaceAll "([^,]+)" ${annotationRef('external_dns_zone_id_filters')} "--zone-id-filter=\${1}") | toJson }}`,
      ),
      serviceAccount: { create: true, name: 'external-dns' },
      env: [{ name: 'AWS_DEFAULT_REGION', value: a('aws_region') }],
    },
    tolerations: { system: ['tolerations'] },
  },
  {
    name: 'cert-manager',
    toggle: 'certManager',
    namespace: 'cert-manager',
    chart: CHARTS['cert-manager'],
    values: { crds: { enabled: true, keep: true }, serviceAccount: { create: true } },
    // The webhook admits our ClusterIssuers, the cainjector gives it its CA, and startupapicheck
    // is a post-install hook the sync waits for: none of them may wait for Karpenter.
    tolerations: { system: ['tolerations', 'webhook.tolerations', 'cainjector.tolerations', 'startupapicheck.tolerations'] },
  },
  {
    name: 'aws-load-balancer-controller',
    toggle: 'awsLoadBalancerController',
    namespace: 'kube-system',
    chart: CHARTS['aws-load-balancer-controller'],
    values: {
      clusterName: a('aws_cluster_name'),
      region: a('aws_region'),
      vpcId: a('aws_vpc_id'),
      serviceAccount: { create: true, name: 'aws-load-balancer-controller' },
    },
    // Its webhooks admit Services and Ingresses of every other add-on.
    tolerations: { system: ['tolerations'] },
  },
  {
    // Retired upstream in March 2026: offered for parity only.
    name: 'ingress-nginx',
    toggle: 'ingressNginx',
    namespace: 'ingress-nginx',
    chart: CHARTS['ingress-nginx'],
    values: { controller: { service: { type: 'LoadBalancer' } } },
    // The controller serves the admission webhook for every Ingress; the patch jobs are hooks.
    tolerations: {
      system: ['controller.tolerations', 'controller.admissionWebhooks.patch.tolerations'],
      elsewhere: { 'defaultBackend.tolerations': 'off by default; serves only unmatched requests' },
    },
  },
  {
    name: 'external-secrets',
    toggle: 'externalSecrets',
    namespace: 'external-secrets',
    chart: CHARTS['external-secrets'],
    values: { installCRDs: true, serviceAccount: { create: true, name: 'external-secrets' } },
    // The webhook admits our ClusterSecretStore; the cert controller gives it its certificate.
    tolerations: {
      system: ['tolerations', 'webhook.tolerations', 'certController.tolerations'],
      elsewhere: { 'global.tolerations': 'a default for components that set none; every component sets its own' },
    },
  },
  {
    name: 'kube-prometheus-stack',
    toggle: 'monitoring',
    namespace: 'monitoring',
    chart: CHARTS['kube-prometheus-stack'],
    values: { crds: { enabled: true }, grafana: { enabled: true }, alertmanager: { enabled: true } },
    // The operator and its admission webhook admit every PrometheusRule; the patch and CRD
    // upgrade jobs are hooks the sync waits for.
    tolerations: {
      system: [
        'prometheusOperator.tolerations',
        'prometheusOperator.admissionWebhooks.deployment.tolerations',
        'prometheusOperator.admissionWebhooks.patch.tolerations',
        'crds.upgradeJob.tolerations',
      ],
      elsewhere: {
        'prometheus.prometheusSpec.tolerations': HEAVY,
        'alertmanager.alertmanagerSpec.tolerations': HEAVY,
        'thanosRuler.thanosRulerSpec.tolerations': `${HEAVY} (off by default)`,
      },
    },
  },
];

/**
 * An add-on's Helm values with CRITICAL set at each `system` tolerations key. A key the values
 * already set is refused: say tolerations in one place.
 */
export function valuesWithTolerations(spec: AddonSpec): Record<string, unknown> {
  const values: Record<string, unknown> = structuredClone(spec.values);
  for (const key of spec.tolerations?.system ?? []) {
    const parts = key.split('.');
    let at: any = values;
    for (const p of parts.slice(0, -1)) {
      at[p] ??= {};
      at = at[p];
    }
    const last = parts[parts.length - 1];
    if (at[last] !== undefined)
      throw new Error(`add-on ${spec.name}: values set ${key} and its tolerations list it too: keep it in tolerations.system only`);
    at[last] = CRITICAL;
  }
  return values;
}

/** The registration's `environment` label, one of ours. */
const environmentIn = (environments: readonly Environment[]) => ({
  key: 'environment' satisfies SecretLabel,
  operator: 'In',
  values: environments.map((e) => e.name),
});

/** Where a chart release is pinned, for an error to name. */
const pinOf = (release: ChartRelease) =>
  `catalog/versions.ts: CHARTS['${(Object.keys(CHARTS) as ChartName[]).find((n) => CHARTS[n] === release) ?? release.chart}'].version`;

/** Refused chart pins, one line per problem (synth prints each). */
export class ChartPinsInvalid extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`add-on chart pins some environment cannot run:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Pins whose release does not support a Kubernetes version an environment runs: its default
 * (kubernetes.version) and every version it allows (kubernetes.allowedVersions). An ApplicationSet
 * ships a raised pin to every cluster it selects, whatever that cluster runs, so such a pin would
 * put an unsupported release on that environment's clusters and make the Cluster API refuse the
 * add-on on a new cluster at the environment's own version (chartSupportRule). An environment that
 * allows every offered version is held to its default only: the oldest offered minors are what a
 * chart bump is expected to drop (the Cluster API keeps such clusters editable).
 */
export function chartPinProblems(environments: readonly Environment[]): string[] {
  const problems: string[] = [];
  for (const addon of ADDON_SPECS) {
    if (addon.chart === 'own') continue;
    const { chart, version, kubernetes } = addon.chart;
    const supports = (v: string) => compareVersions(v, kubernetes.min) >= 0 && (!kubernetes.max || compareVersions(v, kubernetes.max) <= 0);
    const range = `${kubernetes.min}${kubernetes.max ? ` to ${kubernetes.max}` : ' and later'}`;
    for (const env of environments) {
      const runs = [...new Set([env.kubernetes.version, ...(env.kubernetes.allowedVersions ?? [])])].filter((v) => !supports(v));
      if (!runs.length) continue;
      const field = runs.includes(env.kubernetes.version) ? 'kubernetes.version' : 'kubernetes.allowedVersions';
      problems.push(
        `${pinOf(addon.chart)}: Invalid value: "${version}": ${chart} ${version} supports Kubernetes ${range} (${kubernetes.source}), ` +
          `but the ${env.name} environment runs ${runs.join(', ')} (environments/${env.name}.ts ${field}): ` +
          `pin a ${chart} release that supports ${runs.join(', ')}, or move ${env.name} off ${runs.join(', ')} first`,
      );
    }
  }
  return problems;
}

/** A chart version, with or without a leading `v`, as [major, minor]. */
const minorOf = (v: string) => v.replace(/^v/, '').split('.').slice(0, 2).map(Number);

/**
 * Raised pins that skip a release their project says an upgrade must pass through, judged against
 * `shipped`, the ApplicationSets of the dist/argocd/addons.yaml Argo CD runs now. The rollout
 * reaches every cluster with the new pin, so a skipped minor is skipped on all of them.
 */
export function chartStepProblems(shipped: readonly any[]): string[] {
  const problems: string[] = [];
  for (const addon of ADDON_SPECS) {
    if (addon.chart === 'own' || !addon.chart.upgrades) continue;
    const { chart, version, upgrades } = addon.chart;
    const set = shipped.find((o) => o?.kind === 'ApplicationSet' && o.metadata?.name === applicationSetName(addon));
    const from: string | undefined = set?.spec?.template?.spec?.source?.targetRevision;
    if (!from || from === version) continue;
    const [[fromMajor, fromMinor], [toMajor, toMinor]] = [minorOf(from), minorOf(version)];
    if (toMajor === fromMajor && toMinor <= fromMinor + 1) continue;
    const next = `${from.startsWith('v') ? 'v' : ''}${fromMajor}.${fromMinor + 1}`;
    problems.push(
      `${pinOf(addon.chart)}: Invalid value: "${version}": dist/argocd/addons.yaml ships ${chart} ${from}, ` +
        `and ${chart} is upgraded one ${upgrades.step} at a time (${upgrades.source}): pin the latest ${next} patch, synth and let it reach prod, then go on`,
    );
  }
  return problems;
}

/** The ApplicationSet of an add-on. */
export const applicationSetName = (addon: AddonSpec) => `addon-${addon.name}`;

export function addonsChart(scope: Construct, environments: readonly Environment[]): DistChart {
  const refused = chartPinProblems(environments);
  if (refused.length) throw new ChartPinsInvalid(refused);
  const chart = new DistChart(scope, 'argocd-addons', { file: 'argocd/addons.yaml', wave: ROOT_WAVES.last });
  for (const addon of ADDON_SPECS) {
    const matchLabels: Partial<Record<SecretLabel, string>> = { [SECRET_TYPE]: CLUSTER_SECRET[SECRET_TYPE].value };
    if (addon.toggle) matchLabels[ADDONS[addon.toggle].label] = 'true';
    if (addon.managedOnly) matchLabels[COMPUTE_MODE] = 'Managed';
    const source =
      addon.chart === 'own'
        ? { repoUrl: PLATFORM.repoURL, targetRevision: PLATFORM.targetRevision, path: OWN_CHART_PATH }
        : { repoUrl: addon.chart.repoURL, chart: addon.chart.chart, targetRevision: addon.chart.version };
    new ApplicationSet(chart, addon.name, {
      metadata: { name: applicationSetName(addon), namespace: PLATFORM.argocdNamespace },
      spec: {
        goTemplate: true,
        goTemplateOptions: ['missingkey=error'],
        // Only Secrets the Cluster API wrote, of an environment whose project exists: under
        // missingkey=error one Secret the template cannot read (a cluster registered by hand)
        // would stop this ApplicationSet for every cluster (GenerateApplications returns its
        // first render error, and Reconcile then creates and updates nothing).
        generators: [{ clusters: { selector: { matchLabels, matchExpressions: [environmentIn(environments)] } } }],
        strategy: { type: 'RollingSync', rollingSync: { steps: rolloutSteps(environments) } },
        // An Application that goes (its cluster deleted, its add-on switched off) leaves what it
        // installed running. Argo CD otherwise gives every generated Application the resources
        // finalizer (argo-cd applicationset/utils/utils.go:294-302), and a cascade deletes an
        // add-on's controller in parallel with the objects only it can clean up: Karpenter before
        // its NodeClaims, the load balancer controller before its Ingresses, whose finalizers then
        // hold for ever. A Cluster's teardown drains the cluster itself, with these controllers
        // still running (compositions/cluster/drain.ts).
        syncPolicy: { preserveResourcesOnDeletion: true },
        template: {
          metadata: {
            name: `${data('name')}-${addon.name}`,
            labels: { environment: label('environment'), [ROLLOUT_LABEL]: ROLLOUT_LABEL_VALUE, addon: addon.name },
          },
          spec: {
            project: addonsProject(label('environment')),
            destination: { name: data('name'), namespace: addon.namespace },
            source: { ...source, helm: { releaseName: addon.name, values: valuesYaml(valuesWithTolerations(addon)) } },
            syncPolicy: {
              syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
              retry: RETRY,
            },
          },
        },
      },
    });
  }
  return chart;
}

/** The files of our own chart, for dist/addons/. */
export function ownChartFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((x, y) => x.name.localeCompare(y.name))) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else files.set(path.join('addons', 'drydock-addons', path.relative(OWN_CHART_SOURCE, full)), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(OWN_CHART_SOURCE);
  return files;
}
