// What an environment decides for every cluster in it. One file per environment in this folder
// (dev.ts, staging.ts, prod.ts) exports one `defineEnvironment({...})`; adding a file adds the
// environment: synth writes its EnvironmentConfig, and the Cluster API's enum follows.
//
// Environment files are TypeScript, but synth loads them without type-checking, so every field is
// checked here at run time too (the shape below): a misspelled field, a value of the wrong type or
// outside its range is reported with the field, the value and the fix, never as a stack trace.

import { AURORA, AURORA_POSTGRESQL_DEFAULT_VERSION, KUBERNETES, type KubernetesVersion, type SupportType } from '../catalog';
import { architectureOf } from '../catalog/ec2';
import { natGatewaysMonthly, PRICES, usd } from '../catalog/prices';
import { MAX_READERS } from '../compositions/database/definition';
import { MAX_ADMINS, MAX_SECRET_PREFIXES } from '../compositions/eks/definition';
import { MAX_SECRET_PREFIX_LENGTH } from '../compositions/eks/policies/external-secrets';
import { bool, list, num, obj, oneOf, optional, problem, type ShapeProblem, str } from '../lib/shape';

export const NAT_MODES = ['PerZone', 'Single', 'None'] as const;
export type NatMode = (typeof NAT_MODES)[number];
export const CAPACITY_TYPES = ['spot', 'on-demand'] as const;
export type CapacityType = (typeof CAPACITY_TYPES)[number];

export interface Environment {
  /** The environment's name, also its file name (`dev` for dev.ts). */
  readonly name: string;
  /** Where its clusters live. */
  readonly aws: {
    readonly accountId: string;
    /** The ClusterProviderConfig of that account (crossplane/provider-config.yaml). */
    readonly providerConfigName: string;
    /** Role the provider assumes in that account; absent for the control cluster's own account. */
    readonly assumeRoleArn?: string;
  };
  readonly network: { readonly nat: NatMode };
  readonly kubernetes: {
    /** The version its clusters get unless they name one (catalog/eks.ts); raise it one minor at a time. */
    readonly version: KubernetesVersion;
    /**
     * What EKS does when the version leaves standard support: STANDARD upgrades the control plane
     * itself (and the XR then asks for the older version until it is raised); EXTENDED keeps it,
     * at a higher hourly price, until extended support ends. `npm run versions` warns 90 days ahead.
     */
    readonly supportType: SupportType;
    /**
     * Versions a Cluster of this environment may ask for; the environment's own among them.
     * @default - every version EKS offers (catalog/eks.ts)
     */
    readonly allowedVersions?: readonly KubernetesVersion[];
    /** CIDRs that may reach the public API endpoint (the control cluster's NAT addresses); empty: private only. */
    readonly publicAccessCidrs: readonly string[];
    readonly adminRoleArns: readonly string[];
    /** The role Argo CD on the control cluster uses to reach workload clusters. */
    readonly argoCdRoleArn: string;
    readonly systemNodes: {
      readonly instanceTypes: readonly string[];
      readonly architecture: 'x86_64' | 'arm64';
      readonly capacityType: 'ON_DEMAND' | 'SPOT';
      readonly minSize: number;
      readonly maxSize: number;
      readonly desiredSize: number;
    };
  };
  readonly database: {
    readonly minAcu: number;
    readonly maxAcu: number;
    readonly readers: number;
    readonly backupRetentionDays: number;
    readonly deletionProtection: boolean;
    readonly finalSnapshot: boolean;
  };
  /** What Karpenter may launch on clusters of this environment. */
  readonly karpenter: {
    readonly instanceFamilies: readonly string[];
    readonly cpuLimit: number;
    readonly memoryLimitGi: number;
    readonly capacityTypes: readonly CapacityType[];
    readonly replicas: number;
  };
  /** Step of add-on rollouts this environment is in: lower steps get a change first. */
  readonly rollout: number;
  readonly externalDns: { readonly policy: 'sync' | 'upsert-only' };
  /** Let's Encrypt account e-mail of the clusters' ClusterIssuers. */
  readonly certManager: { readonly email: string };
  /**
   * Secrets Manager name prefixes External Secrets may read on this environment's clusters; a
   * Cluster reads only those of its secrets tagged `platform.drydock.dev/namespace` with its team
   * namespace (SECRET_OWNER_TAG), since every team in the account shares the prefixes. Each ends in
   * `*`: Secrets Manager appends a random suffix to every secret's ARN, so an exact name would
   * match nothing.
   */
  readonly externalSecrets: { readonly prefixes: readonly string[] };
  /**
   * How Argo CD syncs this environment's XRs (dist/clusters/<environment>/). Production never
   * prunes automatically: a deleted file must not delete a cluster or a database. `sync: Manual`
   * leaves every sync to a person (the Application shows OutOfSync until then); prune and
   * selfHeal then apply to nothing.
   */
  readonly argocd: {
    /** @default 'Automatic' */
    readonly sync?: 'Automatic' | 'Manual';
    readonly prune: boolean;
    readonly selfHeal: boolean;
  };
  /**
   * Which release of each child API's Composition this environment's Clusters compose with:
   * `edge` is the working tree's (compositions/), `rN` one frozen in releases/<composition>/rN.yaml
   * by `npm run release`. Promoting is moving a value here; README, "Changing a platform API safely".
   * @default - edge for every API: a change reaches the environment with its merge
   */
  readonly compositions?: { readonly [api in ChildApi]?: 'edge' | `r${number}` };
}

/** The platform APIs a Cluster composes, each with its own Composition and releases. */
export type ChildApi = 'network' | 'eks' | 'database';

/** One wrong value: where, what, and how to fix it. */
export type EnvironmentProblem = ShapeProblem;

/** Thrown by `defineEnvironment`; the loader (environments/index.ts) names the file. */
export class EnvironmentError extends Error {
  // Environment files are loaded through tsx's own module cache, so the loader recognises this
  // error by its name, not by instanceof (the class may exist twice).
  override readonly name = 'EnvironmentError';
  constructor(readonly problems: readonly EnvironmentProblem[]) {
    super(problems.map(formatProblem).join('; '));
  }
}

/** `kubernetes.version: Invalid value: "1.20": use one of ...`, the API server's wording. */
export const formatProblem = (p: EnvironmentProblem): string =>
  p.unknown
    ? `${p.field}: Forbidden: ${p.fix}`
    : p.value === undefined
      ? `${p.field}: Required value: ${p.fix}`
      : `${p.field}: Invalid value: ${JSON.stringify(p.value)}: ${p.fix}`;

// The shape of an environment: one checker per field (lib/shape.ts), each adding problems for its own value.
const ROLE_ARN = /^arn:aws:iam::[0-9]{12}:role\/[A-Za-z0-9+=,.@_/-]+$/;
const roleArn = str(ROLE_ARN, 'give an IAM role ARN: arn:aws:iam::<12-digit account>:role/<name>');
const IPV4_CIDR = /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}\/([0-9]|[12][0-9]|3[0-2])$/;

const release = str(/^(edge|r[1-9][0-9]*)$/, 'use "edge" or a release id (r1, r2, ...)');

const SHAPE = obj({
  name: str(/^[a-z][a-z0-9-]{0,15}$/, 'use lowercase letters, digits and "-" (at most 16 characters)'),
  aws: obj({
    accountId: str(/^[0-9]{12}$/, 'give the 12-digit AWS account ID, quoted'),
    providerConfigName: str(/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/, 'a Kubernetes object name: lowercase letters, digits, "-" and "."'),
    assumeRoleArn: optional(roleArn),
  }),
  network: obj({
    nat: (v, f, out) =>
      v === 'None'
        ? problem(
            out,
            f,
            v,
            `a Cluster's nodes run in private subnets, which without NAT cannot pull images or reach AWS APIs, so they never join (VPC endpoints are not offered yet): use Single (one NAT gateway, about ${usd(natGatewaysMonthly(1))} a month in ${PRICES.region}) or PerZone`,
          )
        : oneOf(NAT_MODES)(v, f, out),
  }),
  kubernetes: obj({
    version: str(/^1\.[0-9]+$/, 'a Kubernetes minor such as 1.35 (catalog/eks.ts)'),
    supportType: oneOf(['STANDARD', 'EXTENDED']),
    allowedVersions: optional(list(oneOf(KUBERNETES.offered), 1, KUBERNETES.offered.length)),
    publicAccessCidrs: list(str(IPV4_CIDR, 'an IPv4 CIDR such as 203.0.113.10/32'), 0, 40),
    adminRoleArns: list(roleArn, 1, MAX_ADMINS),
    argoCdRoleArn: roleArn,
    systemNodes: obj({
      instanceTypes: list(str(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'an EC2 instance type such as m7g.large'), 1, 8),
      architecture: oneOf(['x86_64', 'arm64']),
      capacityType: oneOf(['ON_DEMAND', 'SPOT']),
      minSize: num(1, 100, { integer: true }),
      maxSize: num(1, 100, { integer: true }),
      desiredSize: num(1, 100, { integer: true }),
    }),
  }),
  database: obj({
    minAcu: num(0, 256, { step: 0.5 }),
    maxAcu: num(0, 256, { step: 0.5 }),
    readers: num(0, MAX_READERS, { integer: true }),
    backupRetentionDays: num(1, 35, { integer: true }),
    deletionProtection: bool,
    finalSnapshot: bool,
  }),
  karpenter: obj({
    instanceFamilies: list(str(/^[a-z][a-z0-9-]*[0-9][a-z0-9-]*$/, 'an EC2 instance family such as m7g'), 1, 30),
    cpuLimit: num(1, 100000, { integer: true }),
    memoryLimitGi: num(1, 1000000, { integer: true }),
    capacityTypes: list(oneOf(CAPACITY_TYPES), 1, 2),
    replicas: num(1, 5, { integer: true }),
  }),
  rollout: num(1, 10, { integer: true }),
  externalDns: obj({ policy: oneOf(['sync', 'upsert-only']) }),
  certManager: obj({ email: str(/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/, "an e-mail address for Let's Encrypt") }),
  externalSecrets: obj({
    prefixes: list(
      str(
        // At most what the EKS API takes: a longer one passed synth and was refused by the EKSCluster part.
        new RegExp(`^[A-Za-z0-9/_+=.@-]{1,${MAX_SECRET_PREFIX_LENGTH - 1}}\\*$`),
        `end the prefix with * (e.g. production/*), at most ${MAX_SECRET_PREFIX_LENGTH} characters: Secrets Manager appends a random suffix to every secret ARN, so an exact name matches nothing`,
      ),
      1,
      MAX_SECRET_PREFIXES,
    ),
  }),
  argocd: obj({ sync: optional(oneOf(['Automatic', 'Manual'])), prune: bool, selfHeal: bool }),
  compositions: optional(obj({ network: optional(release), eks: optional(release), database: optional(release) })),
});

/** Rules between fields, once every field has its type. */
function crossFieldProblems(env: Environment): EnvironmentProblem[] {
  const out: EnvironmentProblem[] = [];
  const db = env.database;
  if (db.minAcu > db.maxAcu) problem(out, 'database', { minAcu: db.minAcu, maxAcu: db.maxAcu }, 'minAcu must not exceed maxAcu');
  const n = env.kubernetes.systemNodes;
  if (!(n.minSize <= n.desiredSize && n.desiredSize <= n.maxSize))
    problem(
      out,
      'kubernetes.systemNodes',
      { minSize: n.minSize, desiredSize: n.desiredSize, maxSize: n.maxSize },
      'need minSize <= desiredSize <= maxSize',
    );
  const wrongArch = n.instanceTypes.filter((t) => architectureOf(t) !== n.architecture);
  if (wrongArch.length)
    problem(
      out,
      'kubernetes.systemNodes.instanceTypes',
      wrongArch,
      `${wrongArch.join(', ')} ${wrongArch.length === 1 ? 'is' : 'are'} not ${n.architecture}: use Graviton types (t4g, m7g, c7g...) for arm64, others for x86_64, or change architecture`,
    );
  if (env.kubernetes.publicAccessCidrs.some((c) => c.endsWith('/0')))
    problem(
      out,
      'kubernetes.publicAccessCidrs',
      env.kubernetes.publicAccessCidrs,
      'name who may reach the API (the control cluster NAT addresses), not 0.0.0.0/0',
    );
  const engine = AURORA.version(AURORA_POSTGRESQL_DEFAULT_VERSION);
  if (engine && (db.minAcu < engine.minAcu || db.maxAcu > engine.maxAcu))
    problem(
      out,
      'database',
      { minAcu: db.minAcu, maxAcu: db.maxAcu },
      `Aurora PostgreSQL ${engine.version} (the default engine) allows ${engine.minAcu} to ${engine.maxAcu} ACU`,
    );
  const k = env.kubernetes;
  if (!KUBERNETES.offered.includes(k.version))
    problem(out, 'kubernetes.version', k.version, `EKS offers ${KUBERNETES.offered.join(', ')} (catalog/eks.ts): raise it one minor at a time`);
  else if (k.supportType === 'STANDARD' && !KUBERNETES.standard.includes(k.version))
    problem(
      out,
      'kubernetes.supportType',
      k.supportType,
      `Kubernetes ${k.version} is in EKS extended support since ${KUBERNETES.release(k.version)?.endOfStandardSupport}: EKS refuses STANDARD for it; use EXTENDED or raise kubernetes.version`,
    );
  const allowed = env.kubernetes.allowedVersions;
  if (allowed && !allowed.includes(env.kubernetes.version))
    problem(out, 'kubernetes.allowedVersions', allowed, `include the environment's own version ${env.kubernetes.version}`);
  const account = env.aws.assumeRoleArn?.split(':')[4];
  if (account && account !== env.aws.accountId)
    problem(out, 'aws.assumeRoleArn', env.aws.assumeRoleArn, `the role must be in the environment's account ${env.aws.accountId}`);
  return out;
}

/** Every problem of `env`: shape first, then the rules between fields (which need the shape). */
export function environmentProblems(env: unknown): EnvironmentProblem[] {
  const out: EnvironmentProblem[] = [];
  SHAPE(env, '', out);
  return out.length ? out : crossFieldProblems(env as Environment);
}

/** An environment, checked for what the types cannot say; errors name the field, the value and the fix. */
export function defineEnvironment(env: Environment): Environment {
  const problems = environmentProblems(env);
  if (problems.length) throw new EnvironmentError(problems);
  return env;
}
