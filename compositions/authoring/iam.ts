// IAM policy documents as typed data. A document names per-XR values by placeholder
// (`{{clusterName}}`); `policyPatch` serializes it once into a patch-and-transform combine patch
// whose format string is the JSON with each placeholder turned into a Go format verb, so the
// values are patched in from the XR at render time.
import { combineFromXr, type Patch } from './patches';

export type Effect = 'Allow' | 'Deny';
export type Values = string | readonly string[];

export interface Statement {
  readonly Sid?: string;
  readonly Effect: Effect;
  readonly Principal?: '*' | { readonly Service?: Values; readonly AWS?: Values; readonly Federated?: Values };
  readonly Action: Values;
  readonly Resource?: Values;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, Values | boolean>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Id?: string;
  readonly Statement: readonly Statement[];
}

/** A document from statements. */
export const policy = (...Statement: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

export interface PodIdentityTrustProps {
  /** The EKS cluster's ARN (placeholders allowed: `arn:aws:eks:{{region}}:{{accountId}}:cluster/{{clusterName}}`). */
  readonly clusterArn: string;
  readonly namespace: string;
  /** The service account, or the few of one namespace that share the role (Argo CD's three). */
  readonly serviceAccount: string | readonly string[];
}

/**
 * Trust for EKS Pod Identity, held to one service account of one cluster. EKS tags every Pod
 * Identity session with eks-cluster-arn, kubernetes-namespace and kubernetes-service-account and
 * documents conditioning a role's trust on them (EKS User Guide, "Create IAM role with trust
 * policy required by EKS Pod Identity" and "List of session tags added by EKS Pod Identity").
 * Without them, anyone in the account who may create a Pod Identity association and pass the
 * role (another team's cluster admin) could hand it to any pod of any cluster.
 */
export const podIdentityTrust = (props: PodIdentityTrustProps): PolicyDocument =>
  policy({
    Sid: 'OnlyThisServiceAccountOfThisCluster',
    Effect: 'Allow',
    Principal: { Service: 'pods.eks.amazonaws.com' },
    Action: ['sts:AssumeRole', 'sts:TagSession'],
    Condition: {
      StringEquals: {
        'aws:RequestTag/eks-cluster-arn': props.clusterArn,
        'aws:RequestTag/kubernetes-namespace': props.namespace,
        'aws:RequestTag/kubernetes-service-account': typeof props.serviceAccount === 'string' ? props.serviceAccount : [...props.serviceAccount],
      },
    },
  });

/** Trust for an AWS service (eks.amazonaws.com, ec2.amazonaws.com). */
export const serviceTrust = (service: string, actions: readonly string[] = ['sts:AssumeRole']): PolicyDocument =>
  policy({ Effect: 'Allow', Principal: { Service: service }, Action: actions });

const PLACEHOLDER = /\{\{([A-Za-z][A-Za-z0-9]*)\}\}/g;

/** The placeholders a document uses, in order of first use. */
export function placeholders(doc: PolicyDocument): string[] {
  return [...new Set([...JSON.stringify(doc).matchAll(PLACEHOLDER)].map((m) => m[1]))];
}

/**
 * A patch that writes `doc` as JSON into `to`, each `{{name}}` replaced by the XR field
 * `values[name]`. While a field is absent the patch is skipped (and the field it writes stays
 * empty); it is never Required, since patch-and-transform marks the XR not ready for as long as
 * a Required patch holds a resource back, even one a later step drops.
 */
export function policyPatch(doc: PolicyDocument, to: string, values: Readonly<Record<string, string>>): Patch {
  const names = placeholders(doc);
  const missing = names.filter((n) => !values[n]);
  if (missing.length) throw new Error(`policy for ${to} uses ${missing.map((m) => `{{${m}}}`).join(', ')} but no XR field is given for it`);
  const fmt = JSON.stringify(doc)
    .replace(/%/g, '%%')
    .replace(PLACEHOLDER, (_m, name: string) => `%[${names.indexOf(name) + 1}]s`);
  return combineFromXr(
    names.map((n) => values[n]),
    fmt,
    to,
  );
}

/**
 * A patch that writes a one-line template (an ARN such as `arn:aws:sqs:{{region}}:{{accountId}}:{{clusterName}}`)
 * into `to`, each `{{name}}` replaced by the XR field `values[name]`, in order of appearance.
 */
export function templatePatch(template: string, to: string, values: Readonly<Record<string, string>>): Patch {
  const names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const missing = names.filter((n) => !values[n]);
  if (missing.length) throw new Error(`template "${template}" uses ${missing.map((m) => `{{${m}}}`).join(', ')} but no XR field is given for it`);
  return combineFromXr(
    names.map((n) => values[n]),
    template.replace(/%/g, '%%').replace(PLACEHOLDER, '%s'),
    to,
  );
}

/** The document as it would be written once `values` are known: for tests and review. */
export function renderPolicy(doc: PolicyDocument, values: Readonly<Record<string, string>>): PolicyDocument {
  return JSON.parse(JSON.stringify(doc).replace(PLACEHOLDER, (_m, name: string) => values[name] ?? `{{${name}}}`));
}

/**
 * What a document grants too broadly: an Allow with a wildcard action, or with the resource `*`
 * for an action not in `allowed` (actions AWS authorizes on no narrower resource). Deny
 * statements may be as broad as they like. Empty when the document is scoped.
 */
export function unscopedGrants(doc: PolicyDocument, allowed: Readonly<Record<string, string>>): string[] {
  const list = (v: Values | undefined) => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);
  return doc.Statement.flatMap((s, i) => {
    if (s.Effect !== 'Allow') return [];
    const sid = s.Sid ?? `statement ${i}`;
    const actions = list(s.Action);
    return [
      ...actions.filter((a) => a.includes('*')).map((a) => `${sid}: action "${a}" is a wildcard: name the actions`),
      ...(list(s.Resource).includes('*')
        ? actions.filter((a) => !allowed[a]).map((a) => `${sid}: "${a}" on resource "*": name the resources, or justify it in the allow list`)
        : []),
    ];
  });
}
