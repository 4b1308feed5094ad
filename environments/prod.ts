import { defineEnvironment } from './environment';

/** Production: Multi-AZ everything, data protected, never pruned by Argo CD. */
export default defineEnvironment({
  name: 'prod',
  aws: { accountId: '777788889999', providerConfigName: 'prod', assumeRoleArn: 'arn:aws:iam::777788889999:role/crossplane-provider' },
  network: { nat: 'PerZone' },
  kubernetes: {
    version: '1.34',
    // EKS never moves production on its own: at the end of standard support the clusters stay, in
    // (paid) extended support, until this file raises the version. `npm run versions` says when.
    supportType: 'EXTENDED',
    // A version reaches production after staging has run it: 1.35 is staging's for now.
    allowedVersions: ['1.34', '1.33'],
    publicAccessCidrs: ['203.0.113.10/32', '203.0.113.11/32'],
    adminRoleArns: ['arn:aws:iam::777788889999:role/platform-admin', 'arn:aws:iam::777788889999:role/break-glass'],
    argoCdRoleArn: 'arn:aws:iam::999988887777:role/argocd-control-plane',
    systemNodes: { instanceTypes: ['m7g.xlarge'], architecture: 'arm64', capacityType: 'ON_DEMAND', minSize: 3, maxSize: 6, desiredSize: 3 },
  },
  database: { minAcu: 2, maxAcu: 64, readers: 2, backupRetentionDays: 14, deletionProtection: true, finalSnapshot: true },
  karpenter: {
    instanceFamilies: ['m7g', 'c7g', 'r7g', 'm7i', 'c7i', 'r7i'],
    cpuLimit: 1024,
    memoryLimitGi: 4096,
    capacityTypes: ['spot', 'on-demand'],
    replicas: 2,
  },
  rollout: 3,
  externalDns: { policy: 'upsert-only' },
  certManager: { email: 'platform-team@example.com' },
  externalSecrets: { prefixes: ['production/*'] },
  argocd: { prune: false, selfHeal: true },
  compositions: { network: 'r2', eks: 'r2', database: 'r2' },
});
