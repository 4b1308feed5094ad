// Admission on the control cluster: what RBAC and the XRD schemas cannot say, said by
// ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1) the API server runs on every
// request, whoever sends it:
//   - a Cluster in a team namespace uses only the environments its team may use
//     (PLATFORM.teams[].environments);
//   - a lower-level XR (Network, EKSCluster, Database) in a team namespace names only the
//     provider configs, accounts and roles of those environments, whoever writes it (Crossplane
//     composing a Cluster included), and only Crossplane, Argo CD and the platform group create
//     or change one there (RBAC already keeps teams to Cluster: this holds even if a team is
//     given more, e.g. Crossplane's aggregated crossplane-edit role);
//   - a Cluster (and the EKSCluster it composes) in a team namespace hands ExternalDNS and
//     cert-manager only the team's own hosted zones (PLATFORM.teams[].hostedZoneIds);
//   - a name every AWS name derives from fits the name budget, before anything is composed;
//   - a team's Cluster takes the readable part of its AWS names from its metadata.name: only the
//     platform sets spec.clusterName, the one input of a name a team could choose freely;
//   - in a namespace that is no team's, only the platform creates or changes a platform XR;
//   - an XR's status, which compositions read back (the names, the VPC), is written by the
//     platform only.
// One policy per kind, so a request meets one policy and the API server's answer is that
// policy's first failing rule (it reports only the first denial). Every message names the field,
// the bad value and the fix. test/admission.test.ts judges them with the API server's own code.
// This file says which rules each policy holds, in the order a request meets them (admissionChart),
// and the facts they enforce (the field tables); the CEL of each rule is in admission-rules.ts.
import type { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-30';
import type { Construct } from 'constructs';
import type { PlatformApi } from '../compositions/authoring';
import { MAX_READABLE_NAME } from '../compositions/cluster/names';
import { MAX_IDENTIFIER } from '../compositions/database/definition';
import type { Environment } from '../environments';
import { PLATFORM, type Team } from '../environments/platform';
import {
  accountRule,
  CROSSPLANE_FIELDS,
  crossplaneFieldRule,
  environmentRule,
  hasPath,
  type Item,
  manualUpdatesRule,
  nameRules,
  platformOnlyRule,
  readablePartRule,
  statusRule,
  teamFieldRule,
  teamNamespaceRule,
  teamVariables,
} from './admission-rules';
import { DistChart } from './dist-chart';
import { noDryRunDelete } from './teardown-admission';

/**
 * In the root Application (dist/argocd/), at a wave before everything else it applies, the
 * Applications that carry XRs included: the policies are there before any XR is. The root never
 * prunes, and the objects themselves say Prune=false and Delete=false, so neither a removed line
 * nor a deleted Application takes them away.
 */
export const ADMISSION_FILE = 'argocd/admission.yaml';
export const ADMISSION_WAVE = -1;
/** Argo CD sync options of objects whose loss would open or destroy what they guard. */
export const NEVER_PRUNE_OR_DELETE = { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' } as const;

/** Usernames the API server gives a service account (k8s.io/apiserver serviceaccount.MakeUsername). */
export const serviceAccountUser = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;

/** The identities that act for the platform: Crossplane, Argo CD's controller and the platform group. */
export const PLATFORM_USERS = [
  serviceAccountUser(PLATFORM.crossplaneNamespace, PLATFORM.serviceAccounts.crossplane),
  serviceAccountUser(PLATFORM.argocdNamespace, PLATFORM.serviceAccounts.argocdApplicationController),
] as const;

/**
 * Fields of the lower-level APIs that name an AWS account, its credentials or a role with power
 * over a cluster, and the values each environment allows. A test keeps this list complete: any
 * spec field of any platform API named like one of these must be here.
 */
export const ACCOUNT_FIELDS: readonly {
  readonly path: string;
  readonly what: string;
  readonly list?: boolean;
  readonly values: (env: Environment) => readonly string[];
}[] = [
  { path: 'spec.providerConfigName', what: 'the provider config (AWS account credentials)', values: (e) => [e.aws.providerConfigName] },
  { path: 'spec.accountId', what: 'the AWS account', values: (e) => [e.aws.accountId] },
  { path: 'spec.access.accountId', what: 'the AWS account of the applications', values: (e) => [e.aws.accountId] },
  { path: 'spec.access.adminRoleArns', what: 'a cluster-admin role', list: true, values: (e) => e.kubernetes.adminRoleArns },
  { path: 'spec.access.argoCdRoleArn', what: 'the Argo CD role (cluster admin)', values: (e) => [e.kubernetes.argoCdRoleArn] },
  {
    path: 'spec.access.providerRoleArn',
    what: 'the role the providers act as (it mints the kubeconfig; cluster admin)',
    values: (e) => (e.aws.assumeRoleArn ? [e.aws.assumeRoleArn] : []),
  },
];

/**
 * Fields naming AWS resources that belong to a team rather than to an environment, and the
 * values each team allows. A hosted zone is account-wide and its ID is free text in the XRD
 * schema: a Cluster naming another team's zone would give its ExternalDNS and cert-manager roles
 * ChangeResourceRecordSets on it (compositions/eks/dns-identities.ts), so they could repoint that
 * team's names and pass DNS-01 for certificates in them.
 */
export const TEAM_FIELDS: readonly {
  readonly path: string;
  readonly what: string;
  readonly why: string;
  /** Where PLATFORM.teams[] lists the team's values. */
  readonly teamKey: 'hostedZoneIds';
}[] = [
  {
    path: 'spec.dns.hostedZoneIds',
    what: 'a hosted zone',
    why: 'ExternalDNS and cert-manager may change every record of a zone they are given',
    teamKey: 'hostedZoneIds',
  },
];

/**
 * Where AWS names come from `metadata.name` unless a field gives it, and the budget it must fit:
 * a Cluster's readable part (compositions/cluster/names.ts), a Database's RDS identifier.
 */
export const NAME_SOURCES: Readonly<Record<string, { readonly override: string; readonly max: number }>> = {
  Cluster: { override: 'spec.clusterName', max: MAX_READABLE_NAME },
  Database: { override: 'spec.identifier', max: MAX_IDENTIFIER },
};

export interface AdmissionChartProps {
  /** The API teams create (Cluster). */
  readonly developerApi: PlatformApi;
  /** The APIs only the platform creates in team namespaces. */
  readonly platformApis: readonly PlatformApi[];
  readonly environments: readonly Environment[];
  /** @default PLATFORM.teams */
  readonly teams?: readonly Team[];
}

export function admissionChart(scope: Construct, props: AdmissionChartProps): DistChart {
  const teams = props.teams ?? PLATFORM.teams;
  checkTeams(teams, props.environments);
  const chart = new DistChart(scope, 'admission', { file: ADMISSION_FILE, wave: ADMISSION_WAVE });
  const ctx = { teams, environments: props.environments };
  const teamFieldsOf = (api: PlatformApi) => TEAM_FIELDS.filter((f) => hasPath(api.specSchema(), f.path.split('.').slice(1)));
  policy(chart, props.developerApi, [
    ...teamVariables(ctx, [], teamFieldsOf(props.developerApi)),
    statusRule(props.developerApi),
    teamNamespaceRule(props.developerApi),
    ...environmentRule(props.developerApi),
    ...teamFieldsOf(props.developerApi).map(teamFieldRule),
    ...Object.entries(CROSSPLANE_FIELDS).map(crossplaneFieldRule),
    manualUpdatesRule(),
    readablePartRule(props.developerApi),
    ...nameRules(props.developerApi),
  ]);
  noDryRunDelete(chart, props.developerApi);
  for (const api of props.platformApis) {
    const fields = ACCOUNT_FIELDS.filter((f) => hasPath(api.specSchema(), f.path.split('.').slice(1)));
    policy(chart, api, [
      ...teamVariables(ctx, fields, teamFieldsOf(api)),
      statusRule(api),
      teamNamespaceRule(api),
      ...fields.map((f) => accountRule(f)),
      ...teamFieldsOf(api).map(teamFieldRule),
      platformOnlyRule(api, props.developerApi),
      ...nameRules(api),
    ]);
  }
  return chart;
}

/**
 * Environments named by a team must exist: a typo would silently shut the team out. A hosted
 * zone is a Route53 zone ID, and one team's: the XRD's pattern, and no zone under two teams.
 */
function checkTeams(teams: readonly Team[], environments: readonly Environment[]): void {
  const names = environments.map((e) => e.name);
  const zoneOwner = new Map<string, string>();
  teams.forEach((t, i) => {
    for (const z of t.hostedZoneIds as readonly string[]) {
      const at = `environments/platform.ts: teams[${i}] (${t.namespace}).hostedZoneIds has "${z}"`;
      if (!/^Z[A-Z0-9]{1,31}$/.test(z))
        throw new Error(`${at}, which is not a Route53 hosted zone ID: use the zone's ID (Z and up to 31 capitals or digits), not its name`);
      const owner = zoneOwner.get(z);
      if (owner)
        throw new Error(
          `${at}, which team ${owner} has too: either team could rewrite the other's records and obtain certificates for its names; delegate a zone per team and list each under one team`,
        );
      zoneOwner.set(z, t.namespace);
    }
    for (const e of t.environments)
      if (!names.includes(e))
        throw new Error(
          `environments/platform.ts: teams[${i}] (${t.namespace}).environments has "${e}", which is not an environment: use ${names.join(', ')} (one file each in environments/)`,
        );
  });
}

/** One policy and its binding for one kind, on create and update. */
function policy(chart: Chart, api: PlatformApi, items: readonly Item[]): ApiObject[] {
  const name = `drydock-${api.plural}`;
  const variables = items.flatMap((i) => ('variable' in i ? [i.variable] : []));
  const validations = items.flatMap((i) => ('rule' in i ? [i.rule] : []));
  return [
    new k8s.KubeValidatingAdmissionPolicy(chart, `${name}-policy`, {
      metadata: { name, annotations: NEVER_PRUNE_OR_DELETE },
      spec: {
        failurePolicy: 'Fail',
        matchConstraints: {
          resourceRules: [
            { apiGroups: [api.group], apiVersions: [api.version], operations: ['CREATE', 'UPDATE'], resources: [api.plural, `${api.plural}/status`] },
          ],
        },
        variables,
        validations,
      },
    }),
    new k8s.KubeValidatingAdmissionPolicyBinding(chart, `${name}-binding`, {
      metadata: { name, annotations: NEVER_PRUNE_OR_DELETE },
      spec: { policyName: name, validationActions: ['Deny'] },
    }),
  ];
}
