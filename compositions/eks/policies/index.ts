export * from './dns';
export * from './external-secrets';
export * from './karpenter';
export * from './load-balancer-controller';
export * from './wildcards';
