// The requests test/admission.test.ts sends the admission policies, as data: one case per
// request (who sends what, and the API server's whole answer), grouped by the rule it exercises.
// Over 300 lines on purpose: it is a table, not code, and a comment heads each group saying the
// rule (charts/admission-rules.ts) it proves.
import { MAX_READABLE_NAME } from '../compositions/cluster';
import { PLATFORM } from '../environments/platform';
import { ARGOCD, CROSSPLANE, member, PLATFORM_ENGINEER } from '../lib/admission';
import type { AdmissionRequest, RequestUser } from '../lib/kubevalidate';

const GROUP = PLATFORM.apiGroup;
const ORDERS = member(PLATFORM.teams.find((t) => t.namespace === 'team-orders')!);
const NOBODY: RequestUser = { username: 'mallory@example.com', groups: [] };

const xr = (kind: string, namespace: string, name: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: `${GROUP}/v1alpha1`,
  kind,
  metadata: { name, namespace, ...extra },
  spec,
});
export const cluster = (namespace: string, name: string, spec: Record<string, unknown> = {}) =>
  xr('Cluster', namespace, name, { environment: 'dev', region: 'eu-west-1', ...spec });
const network = (namespace: string, spec: Record<string, unknown> = {}, name = 'orders-net') =>
  xr('Network', namespace, name, { region: 'eu-west-1', ...spec });
const dev = {
  providerConfigName: 'dev',
  accountId: '111122223333',
  access: { adminRoleArns: ['arn:aws:iam::111122223333:role/platform-admin'], argoCdRoleArn: 'arn:aws:iam::999988887777:role/argocd-control-plane' },
};
const eks = (spec: Record<string, unknown> = {}) =>
  xr('EKSCluster', 'team-orders', 'orders-eks', {
    region: 'eu-west-1',
    clusterName: 'orders',
    subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
    ...dev,
    ...spec,
  });

/** The stored object of an update that removes `finalizer` (what Crossplane and the garbage collector send). */
const withFinalizer = (o: any, finalizer: string) => ({ ...o, metadata: { ...o.metadata, finalizers: [finalizer] } });

/** The error kube-apiserver returns when policy `drydock-<plural>` denies. */
const denied = (plural: string, name: string, message: string) =>
  `${plural}.${GROUP} "${name}" is forbidden: ValidatingAdmissionPolicy 'drydock-${plural}' with binding 'drydock-${plural}' denied request: ${message}`;

export interface Case {
  readonly name: string;
  readonly operation: AdmissionRequest['operation'];
  readonly user: RequestUser;
  readonly object: any;
  readonly old?: any;
  /** `status` for a write to the status subresource. */
  readonly subResource?: string;
  /** The API server's whole error, or null when the request is admitted. */
  readonly refused: string | null;
}

const long = (n: number) => `o${'x'.repeat(n - 1)}`;
const prodPrefix = 'spec.environment: "prod" is not an environment of team namespace team-orders (it may use dev, staging)';
const orders = 'team namespace team-orders may use (dev, staging)';
const account = (field: string, value: string, what: string) =>
  `${field}: "${value}" is not ${what} of an environment ${orders}: XRs in a team namespace reach only its environments' accounts; create a Cluster with spec.environment one of those, which picks the account`;
const platformApi = (kind: string, user: string) =>
  `${kind} is a platform API: in team namespace team-orders only Crossplane (composing a Cluster), Argo CD (claims/) and group platform-engineers create or change one, not ${user}; create a Cluster (${GROUP}/v1alpha1) instead`;

const PAYMENTS_ZONE = PLATFORM.teams.find((t) => t.namespace === 'payments')!.hostedZoneIds[0];
const STOREFRONT_ZONES: readonly string[] = PLATFORM.teams.find((t) => t.namespace === 'storefront')!.hostedZoneIds;
const zone = (id: string, namespace: string, allowed: string) =>
  `spec.dns.hostedZoneIds: "${id}" is not a hosted zone of team namespace ${namespace} (it may use ${allowed}): ExternalDNS and cert-manager may change every record of a zone they are given; use one of those, or ask the platform team to add it to the team's hostedZoneIds in environments/platform.ts`;

export const CASES: Case[] = [
  // A team's Cluster uses only the team's environments, whoever submits it.
  {
    name: 'a team creates a Cluster in an environment it may use',
    operation: 'CREATE',
    user: ORDERS,
    object: cluster('team-orders', 'orders'),
    refused: null,
  },
  // ...whoever submits it: the team, a platform engineer, Argo CD applying claims/.
  ...(
    [
      ['a team', ORDERS],
      ['a platform engineer', PLATFORM_ENGINEER],
      ['Argo CD (a claim)', ARGOCD],
    ] as const
  ).map(
    ([who, user]): Case => ({
      name: `${who} creates a Cluster in a team namespace, in an environment the team may not use`,
      operation: 'CREATE',
      user,
      object: cluster('team-orders', 'orders', { environment: 'prod' }),
      refused: denied(
        'clusters',
        'orders',
        `${prodPrefix}: use one of those, or ask the platform team to add "prod" to the team's environments in environments/platform.ts`,
      ),
    }),
  ),
  {
    name: 'a Cluster made before the team lost the environment can still be changed (and deleted)',
    operation: 'UPDATE',
    user: ORDERS,
    object: cluster('team-orders', 'orders', { environment: 'prod', addons: { monitoring: true } }),
    old: cluster('team-orders', 'orders', { environment: 'prod' }),
    refused: null,
  },
  {
    name: "outside team namespaces the environment is the platform group's choice",
    operation: 'CREATE',
    user: PLATFORM_ENGINEER,
    object: cluster('sandbox', 'shared', { environment: 'prod' }),
    refused: null,
  },

  // Hosted zones are a team's: ExternalDNS and cert-manager may rewrite every record of a zone.
  {
    name: "a team hands its add-ons another team's hosted zone",
    operation: 'CREATE',
    user: ORDERS,
    object: cluster('team-orders', 'orders', { dns: { hostedZoneIds: [PAYMENTS_ZONE], domains: ['pay.example.com'] } }),
    refused: denied('clusters', 'orders', zone(PAYMENTS_ZONE, 'team-orders', 'none')),
  },
  {
    name: 'a team hands its add-ons its own hosted zone',
    operation: 'CREATE',
    user: member(PLATFORM.teams.find((t) => t.namespace === 'payments')!),
    object: cluster('payments', 'pay', { dns: { hostedZoneIds: [PAYMENTS_ZONE], domains: ['pay.example.com'] } }),
    refused: null,
  },
  {
    name: "a platform engineer writes a Cluster in a team namespace with one of its zones and another team's",
    operation: 'CREATE',
    user: PLATFORM_ENGINEER,
    object: cluster('storefront', 'shop', { dns: { hostedZoneIds: [STOREFRONT_ZONES[0], PAYMENTS_ZONE], domains: ['shop.example.com'] } }),
    refused: denied('clusters', 'shop', zone(PAYMENTS_ZONE, 'storefront', [...STOREFRONT_ZONES].sort().join(', '))),
  },
  {
    name: "Crossplane composes an EKSCluster whose hosted zone is another team's",
    operation: 'CREATE',
    user: CROSSPLANE,
    object: eks({ dns: { hostedZoneIds: [PAYMENTS_ZONE] } }),
    refused: denied('eksclusters', 'orders-eks', zone(PAYMENTS_ZONE, 'team-orders', 'none')),
  },
  {
    name: 'a Cluster keeps a zone the team no longer lists when the zones are left as they were',
    operation: 'UPDATE',
    user: ORDERS,
    object: cluster('team-orders', 'orders', { dns: { hostedZoneIds: [PAYMENTS_ZONE], domains: ['pay.example.com'] }, addons: { monitoring: true } }),
    old: cluster('team-orders', 'orders', { dns: { hostedZoneIds: [PAYMENTS_ZONE], domains: ['pay.example.com'] } }),
    refused: null,
  },

  // Crossplane's fields choose the composition: teams cannot pin theirs to an old one.
  {
    name: 'a team pins its Cluster to a composition revision',
    operation: 'CREATE',
    user: ORDERS,
    object: cluster('team-orders', 'orders', { crossplane: { compositionRevisionRef: { name: 'cluster-aws-0a1b2c3' } } }),
    refused: denied(
      'clusters',
      'orders',
      `spec.crossplane.compositionRevisionRef is Crossplane's: it picks the platform's composition and rolls its revisions out; only Crossplane and group platform-engineers set it, not ${ORDERS.username}: leave it out`,
    ),
  },
  {
    name: 'a team turns off composition updates',
    operation: 'UPDATE',
    user: ORDERS,
    object: cluster('team-orders', 'orders', { crossplane: { compositionUpdatePolicy: 'Manual' } }),
    old: cluster('team-orders', 'orders', { crossplane: { compositionUpdatePolicy: 'Automatic' } }),
    refused: denied(
      'clusters',
      'orders',
      `spec.crossplane.compositionUpdatePolicy: "Manual" would keep this Cluster on its current composition revision, out of reach of the platform's fixes; only group platform-engineers sets it, not ${ORDERS.username}: leave it out (Automatic)`,
    ),
  },
  {
    name: 'a team applies its YAML again over what Crossplane wrote into spec.crossplane',
    operation: 'UPDATE',
    user: ORDERS,
    object: cluster('team-orders', 'orders', {
      addons: { monitoring: true },
      crossplane: {
        compositionRef: { name: 'cluster-aws' },
        compositionRevisionRef: { name: 'cluster-aws-0a1b2c3' },
        compositionUpdatePolicy: 'Automatic',
      },
    }),
    old: cluster('team-orders', 'orders', {
      crossplane: {
        compositionRef: { name: 'cluster-aws' },
        compositionRevisionRef: { name: 'cluster-aws-0a1b2c3' },
        compositionUpdatePolicy: 'Automatic',
      },
    }),
    refused: null,
  },
  {
    name: 'a team lists objects of its namespace as composed by its Cluster (Crossplane deletes what it lists and no longer composes)',
    operation: 'UPDATE',
    user: ORDERS,
    object: cluster('team-orders', 'orders', {
      crossplane: { resourceRefs: [{ apiVersion: `${GROUP}/v1alpha1`, kind: 'Cluster', name: 'shared' }] },
    }),
    old: cluster('team-orders', 'orders'),
    refused: denied(
      'clusters',
      'orders',
      `spec.crossplane.resourceRefs is Crossplane's: it lists what Crossplane composed, which Crossplane reads back and deletes once no longer composed; only Crossplane and group platform-engineers set it, not ${ORDERS.username}: leave it out`,
    ),
  },
  {
    name: 'Crossplane records the composition and revision it picked',
    operation: 'UPDATE',
    user: CROSSPLANE,
    object: cluster('team-orders', 'orders', {
      crossplane: { compositionRef: { name: 'cluster-aws' }, compositionRevisionRef: { name: 'cluster-aws-0a1b2c3' } },
    }),
    old: cluster('team-orders', 'orders'),
    refused: null,
  },

  // Names every AWS name derives from.
  {
    name: 'a dotted metadata.name',
    operation: 'CREATE',
    user: ORDERS,
    object: cluster('team-orders', 'orders.eu'),
    refused: denied(
      'clusters',
      'orders.eu',
      'metadata.name "orders.eu" has a dot: every AWS name of this Cluster derives from it and AWS names allow none: use hyphens',
    ),
  },
  {
    name: 'a metadata.name starting with a digit',
    operation: 'CREATE',
    user: ORDERS,
    object: cluster('team-orders', '1orders'),
    refused: denied(
      'clusters',
      '1orders',
      'metadata.name "1orders" must start with a letter and have no double hyphen: every AWS name of this Cluster derives from it, and RDS and EKS require that',
    ),
  },
  {
    name: 'a metadata.name with a double hyphen',
    operation: 'CREATE',
    user: ORDERS,
    object: cluster('team-orders', 'orders--eu'),
    refused: denied(
      'clusters',
      'orders--eu',
      'metadata.name "orders--eu" must start with a letter and have no double hyphen: every AWS name of this Cluster derives from it, and RDS and EKS require that',
    ),
  },
  {
    name: 'a metadata.name one character over the budget',
    operation: 'CREATE',
    user: ORDERS,
    object: cluster('team-orders', long(MAX_READABLE_NAME + 1)),
    refused: denied(
      'clusters',
      long(MAX_READABLE_NAME + 1),
      `metadata.name "${long(MAX_READABLE_NAME + 1)}" has ${MAX_READABLE_NAME + 1} characters: every AWS name of this Cluster derives from it and it may have at most ${MAX_READABLE_NAME}: use a shorter name`,
    ),
  },
  {
    name: 'a metadata.name exactly at the budget',
    operation: 'CREATE',
    user: ORDERS,
    object: cluster('team-orders', long(MAX_READABLE_NAME)),
    refused: null,
  },
  {
    name: 'a platform engineer gives a long-named Cluster a spec.clusterName, which AWS names then derive from',
    operation: 'CREATE',
    user: PLATFORM_ENGINEER,
    object: cluster('team-orders', long(60), { clusterName: 'orders' }),
    refused: null,
  },
  // spec.clusterName would let a team pick the readable part and search metadata.name for a hash
  // that is another team's: 2^32 tries.
  {
    name: "a team picks its readable part with spec.clusterName (and could search metadata.name for another team's hash)",
    operation: 'CREATE',
    user: ORDERS,
    object: cluster('team-orders', 'x1aojs', { clusterName: 'orders' }),
    refused: denied(
      'clusters',
      'x1aojs',
      `spec.clusterName: "orders" is set by group platform-engineers only, not ${ORDERS.username}: a team's AWS names start with metadata.name and a hash of environment, namespace and name, so no other team can compute them; leave spec.clusterName out and pick a metadata.name of at most ${MAX_READABLE_NAME} characters`,
    ),
  },
  {
    name: 'a team changes a Cluster whose spec.clusterName the platform set',
    operation: 'UPDATE',
    user: ORDERS,
    object: cluster('team-orders', long(60), { clusterName: 'orders', addons: { monitoring: true } }),
    old: cluster('team-orders', long(60), { clusterName: 'orders' }),
    refused: null,
  },
  {
    name: 'an existing Cluster whose name predates the budget is still updated',
    operation: 'UPDATE',
    user: ORDERS,
    object: cluster('team-orders', long(60), { addons: { monitoring: true } }),
    old: cluster('team-orders', long(60)),
    refused: null,
  },
  {
    name: 'a Database whose identifier would come from a name over its budget',
    operation: 'CREATE',
    user: PLATFORM_ENGINEER,
    object: xr('Database', 'sandbox', long(55), { region: 'eu-west-1' }),
    refused: denied(
      'databases',
      long(55),
      `metadata.name "${long(55)}" has 55 characters: every AWS name of this Database derives from it and it may have at most 54: use a shorter name`,
    ),
  },

  // Status is read back by the compositions (status.clusterName names everything, status.wiring
  // hands the EKSCluster its VPC): only the platform writes it.
  {
    name: "a team (given crossplane-edit) writes its Cluster's status.clusterName to another team's EKS cluster name",
    operation: 'UPDATE',
    subResource: 'status',
    user: ORDERS,
    object: { ...cluster('team-orders', 'orders'), status: { clusterName: 'orders-97ba0e6f' } },
    old: { ...cluster('team-orders', 'orders'), status: { clusterName: 'orders-4f190238' } },
    refused: denied(
      'clusters',
      'orders',
      `status of a Cluster is Crossplane's: its compositions read it back (AWS names, VPC); only Crossplane and group platform-engineers write it, not ${ORDERS.username}`,
    ),
  },
  {
    name: "someone writes an EKSCluster's status",
    operation: 'UPDATE',
    subResource: 'status',
    user: NOBODY,
    object: { ...eks(), status: { clusterName: 'orders' } },
    old: eks(),
    refused: denied(
      'eksclusters',
      'orders-eks',
      `status of a EKSCluster is Crossplane's: its compositions read it back (AWS names, VPC); only Crossplane and group platform-engineers write it, not ${NOBODY.username}`,
    ),
  },
  {
    name: "Crossplane writes a Cluster's status, in an environment the team has since lost",
    operation: 'UPDATE',
    subResource: 'status',
    user: CROSSPLANE,
    object: { ...cluster('team-orders', 'orders', { environment: 'prod' }), status: { clusterName: 'orders-4f190238' } },
    old: cluster('team-orders', 'orders', { environment: 'prod' }),
    refused: null,
  },

  // A namespace that is no team's is the platform's: whoever RBAC lets in there (a removed team
  // whose RoleBinding outlived it, a cluster-wide crossplane-edit) reaches no account.
  ...(
    [
      ['a team member', ORDERS],
      ['someone with no group', NOBODY],
    ] as const
  ).map(
    ([who, user]): Case => ({
      name: `${who} creates a Cluster in a namespace that is no team's`,
      operation: 'CREATE',
      user,
      object: cluster('sandbox', 'shared', { environment: 'prod' }),
      refused: denied(
        'clusters',
        'shared',
        `namespace sandbox is no team's: only Crossplane, Argo CD (claims/) and group platform-engineers create or change a Cluster there, not ${user.username}; use your team's namespace, or ask the platform team to add this one to PLATFORM.teams in environments/platform.ts`,
      ),
    }),
  ),
  {
    name: "someone creates an EKSCluster in production's account, in a namespace that is no team's",
    operation: 'CREATE',
    user: NOBODY,
    object: { ...eks({ providerConfigName: 'prod', accountId: '777788889999' }), metadata: { name: 'orders-eks', namespace: 'sandbox' } },
    refused: denied(
      'eksclusters',
      'orders-eks',
      `namespace sandbox is no team's: only Crossplane, Argo CD (claims/) and group platform-engineers create or change a EKSCluster there, not ${NOBODY.username}; use your team's namespace, or ask the platform team to add this one to PLATFORM.teams in environments/platform.ts`,
    ),
  },
  {
    name: "the garbage collector removes a finalizer from a Cluster in a namespace that is no team's (the team was removed)",
    operation: 'UPDATE',
    user: { username: 'system:serviceaccount:kube-system:generic-garbage-collector', groups: ['system:serviceaccounts', 'system:authenticated'] },
    object: cluster('former-team', 'orders', { environment: 'prod' }),
    old: withFinalizer(cluster('former-team', 'orders', { environment: 'prod' }), 'foregroundDeletion'),
    refused: null,
  },
  {
    name: "Crossplane composes a child of a Cluster in a namespace that is no team's (the team was removed)",
    operation: 'CREATE',
    user: CROSSPLANE,
    object: network('former-team', { providerConfigName: 'prod' }),
    refused: null,
  },

  // Lower-level APIs in team namespaces: only the platform, and only the team's accounts.
  {
    name: 'a team creates a Network',
    operation: 'CREATE',
    user: ORDERS,
    object: network('team-orders', { providerConfigName: 'dev' }),
    refused: denied('networks', 'orders-net', platformApi('Network', ORDERS.username)),
  },
  {
    name: 'someone with no group creates a Network',
    operation: 'CREATE',
    user: NOBODY,
    object: network('team-orders', { providerConfigName: 'dev' }),
    refused: denied('networks', 'orders-net', platformApi('Network', NOBODY.username)),
  },
  {
    name: "a team names production's provider config",
    operation: 'CREATE',
    user: ORDERS,
    object: network('team-orders', { providerConfigName: 'prod' }),
    refused: denied('networks', 'orders-net', account('spec.providerConfigName', 'prod', 'the provider config (AWS account credentials)')),
  },
  {
    name: "a team names production's account",
    operation: 'CREATE',
    user: ORDERS,
    object: eks({ accountId: '777788889999' }),
    refused: denied('eksclusters', 'orders-eks', account('spec.accountId', '777788889999', 'the AWS account')),
  },
  { name: 'Crossplane composes a dev EKSCluster for a team', operation: 'CREATE', user: CROSSPLANE, object: eks(), refused: null },
  {
    name: "Crossplane composes a Network without a provider config: the default is the control cluster's own account",
    operation: 'CREATE',
    user: CROSSPLANE,
    object: network('team-orders'),
    refused: denied('networks', 'orders-net', account('spec.providerConfigName', 'default', 'the provider config (AWS account credentials)')),
  },
  {
    name: 'an EKSCluster that would make a foreign role cluster admin',
    operation: 'CREATE',
    user: CROSSPLANE,
    object: eks({ access: { ...dev.access, adminRoleArns: [...dev.access.adminRoleArns, 'arn:aws:iam::111122223333:role/mallory'] } }),
    refused: denied(
      'eksclusters',
      'orders-eks',
      account('spec.access.adminRoleArns', 'arn:aws:iam::111122223333:role/mallory', 'a cluster-admin role'),
    ),
  },
  {
    name: 'an EKSCluster that would let another Argo CD in',
    operation: 'CREATE',
    user: CROSSPLANE,
    object: eks({ access: { ...dev.access, argoCdRoleArn: 'arn:aws:iam::123456789012:role/other-argocd' } }),
    refused: denied(
      'eksclusters',
      'orders-eks',
      account('spec.access.argoCdRoleArn', 'arn:aws:iam::123456789012:role/other-argocd', 'the Argo CD role (cluster admin)'),
    ),
  },
  {
    name: 'Crossplane removes its finalizer from a child whose environment the team has since lost',
    operation: 'UPDATE',
    user: CROSSPLANE,
    object: eks({ providerConfigName: 'prod', accountId: '777788889999' }),
    old: withFinalizer(eks({ providerConfigName: 'prod', accountId: '777788889999' }), 'x'),
    refused: null,
  },
  {
    name: 'a team labels a composed Network (metadata only)',
    operation: 'UPDATE',
    user: ORDERS,
    object: network('team-orders', { providerConfigName: 'dev' }),
    old: { ...network('team-orders', { providerConfigName: 'dev' }), metadata: { name: 'orders-net', namespace: 'team-orders', labels: { a: 'b' } } },
    refused: null,
  },
  {
    name: 'a team changes the spec of a composed Network',
    operation: 'UPDATE',
    user: ORDERS,
    object: network('team-orders', { providerConfigName: 'dev', cidr: '10.1.0.0/16' }),
    old: network('team-orders', { providerConfigName: 'dev' }),
    refused: denied('networks', 'orders-net', platformApi('Network', ORDERS.username)),
  },
  {
    name: "a platform engineer creates a Network in a team namespace, in one of the team's accounts",
    operation: 'CREATE',
    user: PLATFORM_ENGINEER,
    object: network('team-orders', { providerConfigName: 'staging' }),
    refused: null,
  },
  {
    name: 'a platform engineer creates a Network in a team namespace, in an account the team may not use',
    operation: 'CREATE',
    user: PLATFORM_ENGINEER,
    object: network('team-orders', { providerConfigName: 'prod' }),
    refused: denied('networks', 'orders-net', account('spec.providerConfigName', 'prod', 'the provider config (AWS account credentials)')),
  },
  {
    name: 'outside team namespaces the lower-level APIs are for RBAC to grant',
    operation: 'CREATE',
    user: PLATFORM_ENGINEER,
    object: network('sandbox', { providerConfigName: 'default' }),
    refused: null,
  },
];
