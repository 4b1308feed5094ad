// How workloads on a cluster connect to a Database: with IAM database authentication, each as its
// own database user. Every application named in spec.access gets an IAM role that EKS Pod Identity
// gives its service account, allowed `rds-db:connect` as that one user of this cluster and nothing
// else. The user itself is created once in PostgreSQL (`CREATE USER ...; GRANT rds_iam TO ...`):
// the README shows how, in the developer's terms.
import { PodIdentityAssociation } from '../../imports/eks.aws.m.upbound.io';
import { Role, RolePolicy } from '../../imports/iam.aws.m.upbound.io';
import {
  type ComposedResource,
  type Condition,
  fromXr,
  type JsonSchema,
  Labels,
  type NameScheme,
  observed,
  PATCHED,
  type PolicyDocument,
  podIdentityTrust,
  policy,
  policyPatch,
  present,
  type StatusMap,
  sizeAtLeast,
  when,
} from '../authoring';

/** Applications a Database gives an identity to, at most. */
export const MAX_APPLICATIONS = 4;

/**
 * The one action IAM authentication needs, on the one user: the resource is
 * `arn:aws:rds-db:<region>:<account>:dbuser:<cluster resource ID>/<user>`, the cluster resource ID
 * being the `cluster-...` ID RDS reports (the provider's status.atProvider.clusterResourceId), not
 * the cluster's name (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.IAMDBAuth.IAMPolicy.html).
 */
export const CONNECT_AS_USER: PolicyDocument = policy({
  Sid: 'ConnectAsItsDatabaseUser',
  Effect: 'Allow',
  Action: 'rds-db:connect',
  Resource: 'arn:aws:rds-db:{{region}}:{{accountId}}:dbuser:{{clusterResourceId}}/{{user}}',
});

const PARTS = new Labels<'application'>({ application: 'databases.drydock.dev/application' });
const APPLICATIONS = 'spec.access.applications';

/**
 * Who may assume an application's role: its own service account on its own cluster, as EKS Pod
 * Identity tags the session (the trust every Pod Identity role of the platform has, authoring/iam.ts).
 */
const TRUST: PolicyDocument = podIdentityTrust({
  clusterArn: 'arn:aws:eks:{{region}}:{{accountId}}:cluster/{{clusterName}}',
  namespace: '{{namespace}}',
  serviceAccount: '{{serviceAccount}}',
});

/** Values of the trust and connect policies of application `i`. */
const values = (i: number) => ({
  region: 'spec.region',
  accountId: 'spec.access.accountId',
  clusterName: 'spec.access.clusterName',
  clusterResourceId: 'status.clusterResourceId',
  namespace: `${APPLICATIONS}[${i}].namespace`,
  serviceAccount: `${APPLICATIONS}[${i}].serviceAccount`,
  user: `${APPLICATIONS}[${i}].user`,
});

/** The role, its connect policy and its Pod Identity association, for application `i` (0-based). */
function application(i: number, names: NameScheme): ComposedResource[] {
  const id = `app-${i + 1}`;
  const exists: Condition = sizeAtLeast(APPLICATIONS, i + 1);
  const at = (field: string) => `${APPLICATIONS}[${i}].${field}`;
  return [
    {
      name: `role-${id}`,
      base: Role.manifest({
        metadata: PARTS.on({ application: id }),
        spec: { forProvider: { assumeRolePolicy: PATCHED, path: '/' } },
      }),
      patches: [
        ...names.externalName(`-${id}`),
        ...names.tag(`-${id}`),
        fromXr(at('user'), 'spec.forProvider.tags[databases.drydock.dev/user]'),
        policyPatch(TRUST, 'spec.forProvider.assumeRolePolicy', values(i)),
      ],
      includeWhen: exists,
    },
    {
      name: `role-${id}-connect`,
      base: RolePolicy.manifest({ spec: { forProvider: { policy: PATCHED, roleSelector: PARTS.select({ application: id }) } } }),
      patches: [policyPatch(CONNECT_AS_USER, 'spec.forProvider.policy', values(i))],
      // The policy names the cluster's resource ID, which RDS reports once the cluster exists.
      includeWhen: when(exists, present('status.clusterResourceId')),
    },
    {
      name: `pod-identity-${id}`,
      base: PodIdentityAssociation.manifest({
        spec: {
          forProvider: {
            region: PATCHED,
            clusterName: PATCHED,
            namespace: PATCHED,
            serviceAccount: PATCHED,
            roleArnSelector: PARTS.select({ application: id }),
          },
        },
      }),
      patches: [
        fromXr('spec.access.clusterName', 'spec.forProvider.clusterName'),
        fromXr(at('namespace'), 'spec.forProvider.namespace'),
        fromXr(at('serviceAccount'), 'spec.forProvider.serviceAccount'),
      ],
      includeWhen: exists,
    },
  ];
}

/** Every application's identity. */
export const applicationIdentities = (names: NameScheme): ComposedResource[] =>
  Array.from({ length: MAX_APPLICATIONS }, (_, i) => application(i, names)).flat();

/** What the access part reports: each application's role, in the order of spec.access.applications. */
export const ACCESS_STATUS: StatusMap = Object.fromEntries(
  Array.from({ length: MAX_APPLICATIONS }, (_, i) => [`access.roleArns[${i}]`, observed(`role-app-${i + 1}`, 'status.atProvider.arn')]),
);

/** One application's identity, as the Database and Cluster APIs take it. */
export const APPLICATION: JsonSchema = {
  type: 'object',
  required: ['namespace', 'serviceAccount', 'user'],
  properties: {
    namespace: {
      type: 'string',
      description: 'Namespace of the workload on the EKS cluster.',
      maxLength: 63,
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
    },
    serviceAccount: {
      type: 'string',
      description: 'Its service account: EKS Pod Identity gives it the role.',
      maxLength: 253,
      pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$',
    },
    user: {
      type: 'string',
      description: 'The PostgreSQL user it connects as, with an IAM authentication token (created once with GRANT rds_iam).',
      maxLength: 63,
      pattern: '^[a-z][a-z0-9_]*$',
    },
  },
};

/** The applications list, shared by the Database API (spec.access.applications) and the Cluster API (database.access). */
export const APPLICATIONS_SCHEMA: JsonSchema = {
  type: 'array',
  description: `Workloads that connect with IAM database authentication, up to ${MAX_APPLICATIONS}: each gets an IAM role (EKS Pod Identity) that may connect as its user only.`,
  minItems: 1,
  maxItems: MAX_APPLICATIONS,
  items: APPLICATION,
  'x-kubernetes-validations': [
    { rule: 'self.all(a, self.exists_one(b, b.user == a.user))', message: 'each application connects as its own database user: users must differ' },
  ],
};
