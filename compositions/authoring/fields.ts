// Schema fields every platform API shares, written once so their rules and messages agree.
import { AWS_REGION_CODES } from '../../catalog/regions';
import type { JsonSchema } from '../../lib/xrd';

/**
 * The AWS region of everything an XR composes; it cannot change once set. One of the regions of
 * the commercial partition (catalog/regions.ts): a made-up or mistyped region is refused by the
 * API server with the list, instead of failing in AWS after the XR was accepted.
 */
export const REGION: JsonSchema = {
  type: 'string',
  description: 'AWS region, e.g. eu-west-1. Cannot change after creation.',
  enum: [...AWS_REGION_CODES],
  'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'region is immutable: create a new one in the other region and move workloads' }],
};

/** The ClusterProviderConfig (AWS account) of everything an XR composes. */
export const PROVIDER_CONFIG_NAME: JsonSchema = {
  type: 'string',
  description: 'ClusterProviderConfig holding the AWS account credentials.',
  default: 'default',
  pattern: '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$',
  maxLength: 63,
};

/**
 * The EKS cluster name every API derives AWS names from. 45 characters leave room for the longest
 * suffix composed from it: EventBridge rule names allow 64 characters (EventBridge PutRule, Name)
 * and Karpenter's longest rule adds "-capacity-interrupt" (19). test/names.test.ts measures every
 * composed name against its AWS limit.
 */
export const MAX_CLUSTER_NAME = 45;

/** A name AWS names start with: at most `max` characters, a letter first, single hyphens (RDS and EKS rules). */
export function nameField(props: { readonly field: string; readonly max: number; readonly why: string }): JsonSchema {
  return {
    type: 'string',
    maxLength: 63,
    'x-kubernetes-validations': [
      { rule: `size(self) <= ${props.max}`, message: `${props.field} must be at most ${props.max} characters: ${props.why}` },
      {
        rule: "self.matches('^[a-z]([a-z0-9]|-[a-z0-9])*$')",
        message: `${props.field} must start with a letter and use lowercase letters, digits and single hyphens, not ending with one`,
      },
    ],
  };
}

export const CLUSTER_NAME: JsonSchema = nameField({
  field: 'clusterName',
  max: MAX_CLUSTER_NAME,
  why: 'every AWS name composed for the cluster starts with it',
});

/** A string field, described. */
export const text = (description?: string): JsonSchema => ({ type: 'string', ...(description ? { description } : {}) });

/** An object of fields, described. */
export const group = (description: string, properties: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', description, properties });
