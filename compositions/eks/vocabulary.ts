// What every part of the EKS composition shares: how AWS objects are named (after the cluster),
// how composed resources find each other (the `part` label), the conditions parts are composed
// under, and the building blocks of identity: IAM roles and Pod Identity associations.
import { PodIdentityAssociation } from '../../imports/eks.aws.m.upbound.io';
import { Role, RolePolicy, RolePolicyAttachment } from '../../imports/iam.aws.m.upbound.io';
import {
  type ComposedResource,
  type Condition,
  enabled,
  fieldIn,
  Labels,
  PATCHED,
  type Patch,
  type PolicyDocument,
  placeholders,
  podIdentityTrust,
  policyPatch,
  stemOf,
  templatePatch,
  when,
} from '../authoring';
import { MAX_SECRET_PREFIXES, MAX_ZONES } from './definition';

/** Every AWS name derives from the cluster name the XRD bounds: `<clusterName><suffix>`. */
export const NAMES = stemOf('spec.clusterName');

/** Composed resources another one selects carry a `part` label. */
export const PARTS = new Labels<'part'>({ part: 'eks.drydock.dev/part' });
/** Select this XR's resource labelled `part`. */
export const part = (name: string) => PARTS.select({ part: name });

/** Managed: a system node group, our managed add-ons and Karpenter. */
export const MANAGED = fieldIn('spec.computeMode', ['Managed']);
/** Auto: EKS Auto Mode runs nodes, storage and load balancing. */
export const AUTO = fieldIn('spec.computeMode', ['Auto']);
export const LOAD_BALANCER_CONTROLLER = enabled('spec.awsLoadBalancerController.enabled');
export const EXTERNAL_SECRETS = enabled('spec.externalSecrets.enabled');

export const AWS_POLICY = 'arn:aws:iam::aws:policy/';
export const EKS_ACCESS_POLICY = 'arn:aws:eks::aws:cluster-access-policy/';

/** Values patched into policy documents and ARNs, by placeholder: all from the XR (the database's once it reports them). */
export const POLICY_VALUES: Readonly<Record<string, string>> = {
  /** The team namespace (a composed EKSCluster lives in its Cluster's). */
  namespace: 'metadata.namespace',
  region: 'spec.region',
  accountId: 'spec.accountId',
  clusterName: 'spec.clusterName',
  vpcId: 'spec.vpcId',
  ...Object.fromEntries(Array.from({ length: MAX_ZONES }, (_, i) => [`zone${i}`, `spec.dns.hostedZoneIds[${i}]`])),
  ...Object.fromEntries(Array.from({ length: MAX_SECRET_PREFIXES }, (_, i) => [`prefix${i}`, `spec.externalSecrets.secretPrefixes[${i}]`])),
  databaseSecretArn: 'spec.externalSecrets.database.secretArn',
  databaseKeyArn: 'spec.externalSecrets.database.kmsKeyArn',
};

/** A patch writing an ARN built from the spec, the way policies name it (`{{accountId}}`...). */
export const arnPatch = (template: string, to: string): Patch => templatePatch(template, to, POLICY_VALUES);

export interface RoleProps {
  /** Composition-resource-name prefix and `part` label. */
  readonly id: string;
  /** Role name suffix after the cluster name. */
  readonly suffix: string;
  readonly trust: PolicyDocument;
  /** AWS managed policies, each with the condition it is attached under. @default - none */
  readonly managed?: readonly { readonly policy: string; readonly includeWhen?: Condition }[];
  /** Inline policy documents, each with the condition it is written under. @default - none */
  readonly inline?: readonly { readonly name: string; readonly doc: PolicyDocument; readonly includeWhen?: Condition }[];
  /** @default - always composed */
  readonly includeWhen?: Condition;
}

/**
 * An IAM role named after the cluster (`role-<id>`), with its managed policy attachments and
 * inline policies. What it reports (its ARN) is declared in the composition's status map.
 */
export function role(props: RoleProps): ComposedResource[] {
  const { id, includeWhen } = props;
  const templated = placeholders(props.trust).length > 0;
  return [
    {
      name: `role-${id}`,
      // A trust naming values of the XR (a Pod Identity trust names the cluster) is patched in.
      base: Role.manifest({
        metadata: PARTS.on({ part: id }),
        spec: { forProvider: { assumeRolePolicy: templated ? PATCHED : JSON.stringify(props.trust), path: '/' } },
      }),
      patches: [
        ...NAMES.externalName(props.suffix),
        ...NAMES.tag(props.suffix),
        ...(templated ? [policyPatch(props.trust, 'spec.forProvider.assumeRolePolicy', POLICY_VALUES)] : []),
      ],
      includeWhen,
    },
    ...(props.managed ?? []).map((m) => ({
      name: `role-${id}-${m.policy.split('/').pop()!.toLowerCase().replace(/_/g, '-')}`,
      base: RolePolicyAttachment.manifest({
        spec: { forProvider: { policyArn: m.policy.startsWith('arn:') ? m.policy : `${AWS_POLICY}${m.policy}`, roleSelector: part(id) } },
      }),
      includeWhen: when(includeWhen, m.includeWhen),
    })),
    ...(props.inline ?? []).map((p) => ({
      name: `role-${id}-${p.name}`,
      base: RolePolicy.manifest({ spec: { forProvider: { policy: PATCHED, roleSelector: part(id) } } }),
      patches: [policyPatch(p.doc, 'spec.forProvider.policy', POLICY_VALUES)],
      includeWhen: when(includeWhen, p.includeWhen),
    })),
  ];
}

export interface PodIdentityProps {
  /** The `part` label of the role it grants, and its resource name `pod-identity-<id>`. */
  readonly id: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** @default - always composed */
  readonly includeWhen?: Condition;
}

/** This cluster's ARN, as the eks-cluster-arn session tag of its Pod Identity sessions carries it. */
export const CLUSTER_ARN = 'arn:aws:eks:{{region}}:{{accountId}}:cluster/{{clusterName}}';

/**
 * A role for one add-on's service account and the Pod Identity association that hands it over:
 * the role trusts only that namespace and service account of this cluster (podIdentityTrust), so
 * the two can never disagree and no other association can use the role.
 */
export function podIdentityRole(
  props: Omit<RoleProps, 'trust'> &
    Omit<PodIdentityProps, 'id' | 'includeWhen'> & {
      /**
       * The association is part of an EKS add-on (Addon.forProvider.podIdentityAssociation), which
       * EKS creates with the add-on: no separate association to race it.
       * @default false - a PodIdentityAssociation of its own
       */
      readonly associationOnAddon?: boolean;
    },
): ComposedResource[] {
  const { namespace, serviceAccount, associationOnAddon, ...roleProps } = props;
  return [
    ...role({ ...roleProps, trust: podIdentityTrust({ clusterArn: CLUSTER_ARN, namespace, serviceAccount }) }),
    ...(associationOnAddon ? [] : [podIdentity({ id: props.id, namespace, serviceAccount, includeWhen: props.includeWhen })]),
  ];
}

/** A Pod Identity association: `namespace/serviceAccount` assumes the role labelled `id`. */
function podIdentity(props: PodIdentityProps): ComposedResource {
  return {
    name: `pod-identity-${props.id}`,
    base: PodIdentityAssociation.manifest({
      spec: {
        forProvider: {
          region: PATCHED,
          clusterNameSelector: part('cluster'),
          namespace: props.namespace,
          serviceAccount: props.serviceAccount,
          roleArnSelector: part(props.id),
        },
      },
    }),
    includeWhen: props.includeWhen,
  };
}
