// The development environment of the reference architecture, as cheap as the platform allows: one
// shared NAT gateway (the seed ran without any: see the README on why a Cluster cannot), spot
// nodes, the smallest database, synced and pruned automatically.
import { defineEnvironment } from '../../../../../../environments/environment';

export default defineEnvironment({
  name: 'development',
  aws: {
    accountId: '210987654322',
    providerConfigName: 'development',
    assumeRoleArn: 'arn:aws:iam::210987654322:role/crossplane-provider',
  },
  network: { nat: 'Single' },
  kubernetes: {
    version: '1.35',
    supportType: 'STANDARD',
    publicAccessCidrs: ['198.51.100.20/32'],
    adminRoleArns: ['arn:aws:iam::210987654322:role/platform-admin'],
    argoCdRoleArn: 'arn:aws:iam::999988887777:role/argocd-control-plane',
    systemNodes: { instanceTypes: ['t4g.medium'], architecture: 'arm64', capacityType: 'SPOT', minSize: 1, maxSize: 2, desiredSize: 1 },
  },
  database: { minAcu: 0.5, maxAcu: 2, readers: 0, backupRetentionDays: 1, deletionProtection: false, finalSnapshot: false },
  karpenter: { instanceFamilies: ['t4g', 'm7g'], cpuLimit: 16, memoryLimitGi: 64, capacityTypes: ['spot'], replicas: 1 },
  rollout: 1,
  externalDns: { policy: 'sync' },
  certManager: { email: 'platform@builderspace.example' },
  externalSecrets: { prefixes: ['development/builderspace/*'] },
  argocd: { sync: 'Automatic', prune: true, selfHeal: true },
});
