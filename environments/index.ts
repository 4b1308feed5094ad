/** The environments a cluster can belong to; claims/<environment>/ holds each one's XRs. */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
