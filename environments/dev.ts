import { defineEnvironment } from './environment';

/** Developers' playground: cheap, quick to tear down, synced and pruned automatically. */
export default defineEnvironment({
  name: 'dev',
  aws: { accountId: '111122223333', providerConfigName: 'dev', assumeRoleArn: 'arn:aws:iam::111122223333:role/crossplane-provider' },
  network: { nat: 'Single' },
  kubernetes: {
    version: '1.35',
    supportType: 'STANDARD',
    publicAccessCidrs: ['203.0.113.10/32', '203.0.113.11/32'],
    adminRoleArns: ['arn:aws:iam::111122223333:role/platform-admin'],
    argoCdRoleArn: 'arn:aws:iam::999988887777:role/argocd-control-plane',
    systemNodes: { instanceTypes: ['t4g.large'], architecture: 'arm64', capacityType: 'ON_DEMAND', minSize: 2, maxSize: 3, desiredSize: 2 },
  },
  database: { minAcu: 0.5, maxAcu: 2, readers: 0, backupRetentionDays: 1, deletionProtection: false, finalSnapshot: false },
  karpenter: { instanceFamilies: ['t4g', 'm7g', 't3', 'm7i'], cpuLimit: 32, memoryLimitGi: 128, capacityTypes: ['spot', 'on-demand'], replicas: 1 },
  rollout: 1,
  externalDns: { policy: 'sync' },
  certManager: { email: 'platform-team@example.com' },
  externalSecrets: { prefixes: ['dev/*', 'staging/*'] },
  argocd: { prune: true, selfHeal: true },
});
