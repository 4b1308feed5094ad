// The EKSCluster composition: an EKS cluster in a given network with everything it needs to run
// the platform's add-ons. One file per concern; this one lists them in order and says what the
// XR reports.
import { observed, type PlatformApi, PlatformComposition, type StatusMap, type StatusSource } from '../authoring';
import { access } from './access';
import { addonIdentities } from './addon-identities';
import { controlPlane } from './control-plane';
import { dnsIdentities } from './dns-identities';
import { karpenter } from './karpenter';
import { managedAddons } from './managed-addons';
import { systemNodes } from './system-nodes';

/** Both cluster variants report alike; the one the XR's compute mode composes does. */
const fromCluster = (field: string): StatusSource[] => ['cluster', 'cluster-auto'].map((r) => observed(r, field));

/** What an EKSCluster reports: how to reach the cluster, and what its add-ons need from AWS. */
const STATUS: StatusMap = {
  kmsKeyArn: observed('kms-key', 'status.atProvider.arn'),
  clusterName: fromCluster('metadata.annotations[crossplane.io/external-name]'),
  kubernetesVersion: fromCluster('status.atProvider.version'),
  clusterArn: fromCluster('status.atProvider.arn'),
  endpoint: fromCluster('status.atProvider.endpoint'),
  caData: fromCluster('status.atProvider.certificateAuthority[0].data'),
  oidcIssuer: fromCluster('status.atProvider.identity[0].oidc[0].issuer'),
  clusterSecurityGroupId: fromCluster('status.atProvider.vpcConfig.clusterSecurityGroupId'),
  kubeconfigSecret: observed('kubeconfig', 'spec.writeConnectionSecretToRef.name'),
  'launchTemplate.version': observed('launch-template', 'status.atProvider.latestVersion'),
  'roles.ebsCsiDriver': observed('role-ebs-csi', 'status.atProvider.arn'),
  nodeRoleArn: observed('role-nodes', 'status.atProvider.arn'),
  nodeRoleName: observed('role-nodes', 'status.atProvider.id'),
  'karpenter.roleArn': observed('role-karpenter', 'status.atProvider.arn'),
  'karpenter.queueName': observed('interruption-queue', 'status.atProvider.name'),
  'karpenter.queueArn': observed('interruption-queue', 'status.atProvider.arn'),
  'karpenter.queueUrl': observed('interruption-queue', 'status.atProvider.url'),
  'roles.externalDns': observed('role-external-dns', 'status.atProvider.arn'),
  'roles.certManager': observed('role-cert-manager', 'status.atProvider.arn'),
  'roles.externalSecrets': observed('role-external-secrets', 'status.atProvider.arn'),
  'roles.awsLoadBalancerController': observed('role-load-balancer-controller', 'status.atProvider.arn'),
  'podIdentity.karpenter': observed('pod-identity-karpenter', 'status.atProvider.associationArn'),
  'podIdentity.externalDns': observed('pod-identity-external-dns', 'status.atProvider.associationArn'),
  'podIdentity.certManager': observed('pod-identity-cert-manager', 'status.atProvider.associationArn'),
  'podIdentity.externalSecrets': observed('pod-identity-external-secrets', 'status.atProvider.associationArn'),
  'podIdentity.awsLoadBalancerController': observed('pod-identity-load-balancer-controller', 'status.atProvider.associationArn'),
};

export function eksComposition(api: PlatformApi): PlatformComposition {
  return new PlatformComposition({
    api,
    name: 'eks-aws',
    placement: { region: 'spec.region', providerConfigName: 'spec.providerConfigName' },
    resources: [...controlPlane(), ...systemNodes(), ...managedAddons(), ...access(), ...karpenter(), ...dnsIdentities(), ...addonIdentities()],
    status: STATUS,
  });
}
