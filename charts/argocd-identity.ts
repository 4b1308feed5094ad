// dist/crossplane/argocd-identity.yaml: Argo CD's AWS identity on the control cluster, managed by
// Crossplane once the providers run. Argo CD reaches each workload cluster through its registration
// Secret's `awsAuthConfig.roleARN` (an environment's `kubernetes.argoCdRoleArn`), which
// argocd-k8s-auth assumes with the credentials of the pod it runs in: the application controller,
// the ApplicationSet controller and the API server (Argo CD docs, declarative setup, EKS). So those
// three service accounts get, by EKS Pod Identity, a role that may assume every environment's
// Argo CD role; where that role is this very role (one role for every environment, in the control
// cluster's account), it also trusts itself, as argocd-k8s-auth assumes it again.
// The providers' own identity cannot come from here (they need it to create anything): it is the
// one made by hand (README, Bootstrapping).
import type { Construct } from 'constructs';
import { podIdentityTrust, policy } from '../compositions/authoring/iam';
import type { Environment } from '../environments';
import { PLATFORM } from '../environments/platform';
import { PodIdentityAssociation } from '../imports/eks.aws.m.upbound.io';
import { Role, RolePolicy } from '../imports/iam.aws.m.upbound.io';
import { DistChart, WAVES } from './dist-chart';

/** Argo CD's service accounts that run argocd-k8s-auth (manifests/install.yaml). */
export const ARGOCD_SERVICE_ACCOUNTS = ['argocd-application-controller', 'argocd-applicationset-controller', 'argocd-server'] as const;

/** The role Argo CD's pods get on the control cluster. */
export const argocdRoleArn = () => `arn:aws:iam::${PLATFORM.controlCluster.accountId}:role/${PLATFORM.controlCluster.argocdRoleName}`;

/** After the provider configs the objects use (which are Healthy once the providers defining them are). */
const IDENTITY_WAVE = WAVES.providerConfigs + 1;

export function argocdIdentityChart(scope: Construct, environments: readonly Environment[]): DistChart {
  const chart = new DistChart(scope, 'argocd-identity', { file: 'crossplane/argocd-identity.yaml', wave: IDENTITY_WAVE, crdsFromPackages: true });
  const { name: clusterName, region, argocdRoleName } = PLATFORM.controlCluster;
  const self = argocdRoleArn();
  const targets = [...new Set(environments.map((e) => e.kubernetes.argoCdRoleArn))].sort();
  const placement = { namespace: PLATFORM.crossplaneNamespace };
  // The control cluster's own account: the providers' Pod Identity credentials, no role assumed.
  const providerConfigRef = { kind: 'ClusterProviderConfig', name: 'default' };

  const clusterArn = `arn:aws:eks:${region}:${PLATFORM.controlCluster.accountId}:cluster/${clusterName}`;
  const trust = policy(
    podIdentityTrust({ clusterArn, namespace: PLATFORM.argocdNamespace, serviceAccount: [...ARGOCD_SERVICE_ACCOUNTS] }).Statement[0],
    ...(targets.includes(self)
      ? [
          {
            // argocd-k8s-auth assumes the cluster's role, here this very role, with its own
            // credentials. The account root names the account; the condition, this role only.
            Sid: 'AssumedAgainByArgoCd',
            Effect: 'Allow' as const,
            Principal: { AWS: `arn:aws:iam::${PLATFORM.controlCluster.accountId}:root` },
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Condition: { ArnEquals: { 'aws:PrincipalArn': self } },
          },
        ]
      : []),
  );
  new Role(chart, 'argocd-role', {
    metadata: { name: argocdRoleName, ...placement },
    spec: {
      providerConfigRef,
      forProvider: {
        assumeRolePolicy: JSON.stringify(trust),
        description: `Argo CD on ${clusterName}: reaches the workload clusters through each environment's Argo CD role`,
        tags: { 'platform.drydock.dev/purpose': 'argocd' },
      },
    },
  });
  new RolePolicy(chart, 'argocd-assume', {
    metadata: { name: `${argocdRoleName}-assume`, ...placement },
    spec: {
      providerConfigRef,
      forProvider: {
        roleRef: { name: argocdRoleName },
        policy: JSON.stringify(policy({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: targets })),
      },
    },
  });
  for (const sa of ARGOCD_SERVICE_ACCOUNTS) {
    new PodIdentityAssociation(chart, `argocd-${sa}`, {
      metadata: { name: sa, ...placement },
      spec: {
        providerConfigRef,
        forProvider: { region, clusterName, namespace: PLATFORM.argocdNamespace, serviceAccount: sa, roleArnRef: { name: argocdRoleName } },
      },
    });
  }
  return chart;
}
