import { defineEnvironment } from './environment';

/** Production's rehearsal: the same shape, smaller, synced and pruned automatically. */
export default defineEnvironment({
  name: 'staging',
  aws: { accountId: '444455556666', providerConfigName: 'staging', assumeRoleArn: 'arn:aws:iam::444455556666:role/crossplane-provider' },
  network: { nat: 'PerZone' },
  kubernetes: {
    version: '1.35',
    supportType: 'STANDARD',
    publicAccessCidrs: ['203.0.113.10/32', '203.0.113.11/32'],
    adminRoleArns: ['arn:aws:iam::444455556666:role/platform-admin'],
    argoCdRoleArn: 'arn:aws:iam::999988887777:role/argocd-control-plane',
    systemNodes: { instanceTypes: ['m7g.large'], architecture: 'arm64', capacityType: 'ON_DEMAND', minSize: 2, maxSize: 4, desiredSize: 2 },
  },
  database: { minAcu: 0.5, maxAcu: 8, readers: 1, backupRetentionDays: 7, deletionProtection: true, finalSnapshot: true },
  karpenter: {
    instanceFamilies: ['m7g', 'c7g', 'r7g', 'm7i', 'c7i'],
    cpuLimit: 128,
    memoryLimitGi: 512,
    capacityTypes: ['spot', 'on-demand'],
    replicas: 2,
  },
  rollout: 2,
  externalDns: { policy: 'upsert-only' },
  certManager: { email: 'platform-team@example.com' },
  externalSecrets: { prefixes: ['staging/*'] },
  argocd: { prune: true, selfHeal: true },
  compositions: { network: 'r2', eks: 'r2', database: 'r2' },
});
