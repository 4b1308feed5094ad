/** Settings that hold for the whole platform, in every environment. */
export const PLATFORM = {
  /** API group of every platform API (XRDs). Change it once here; synth follows. */
  apiGroup: 'platform.drydock.dev',
  /** provider-upjet-aws release whose CRDs imports/ is generated from. */
  awsProviderVersion: 'v2.6.0',
} as const;
