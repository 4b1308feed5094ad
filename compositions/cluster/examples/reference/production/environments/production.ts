// The production environment of the reference architecture: Multi-AZ with a NAT gateway per zone,
// data protected, and nothing synced without a person: Argo CD waits for a manual sync.
import { defineEnvironment } from '../../../../../../environments/environment';

export default defineEnvironment({
  name: 'production',
  aws: {
    accountId: '210987654321',
    providerConfigName: 'production',
    assumeRoleArn: 'arn:aws:iam::210987654321:role/crossplane-provider',
  },
  network: { nat: 'PerZone' },
  kubernetes: {
    version: '1.34',
    // Production stays on its version past standard support (paid extended support) until raised here.
    supportType: 'EXTENDED',
    allowedVersions: ['1.34', '1.33'],
    publicAccessCidrs: ['198.51.100.20/32'],
    adminRoleArns: ['arn:aws:iam::210987654321:role/platform-admin'],
    argoCdRoleArn: 'arn:aws:iam::999988887777:role/argocd-control-plane',
    systemNodes: { instanceTypes: ['m7g.large'], architecture: 'arm64', capacityType: 'ON_DEMAND', minSize: 3, maxSize: 6, desiredSize: 3 },
  },
  database: { minAcu: 2, maxAcu: 32, readers: 1, backupRetentionDays: 14, deletionProtection: true, finalSnapshot: true },
  karpenter: { instanceFamilies: ['m7g', 'c7g', 'r7g'], cpuLimit: 256, memoryLimitGi: 1024, capacityTypes: ['spot', 'on-demand'], replicas: 2 },
  rollout: 2,
  externalDns: { policy: 'upsert-only' },
  certManager: { email: 'platform@builderspace.example' },
  externalSecrets: { prefixes: ['production/builderspace/*'] },
  argocd: { sync: 'Manual', prune: false, selfHeal: false },
});
