// What an environment decides for every cluster in it. One file per environment in this folder
// (dev.ts, staging.ts, prod.ts) exports one `defineEnvironment({...})`; adding a file adds the
// environment: synth writes its EnvironmentConfig, and the Cluster API's enum follows.
import { AURORA, AURORA_POSTGRESQL_DEFAULT_VERSION, KUBERNETES, type KubernetesVersion, type SupportType } from '../catalog';

export type NatMode = 'PerZone' | 'Single' | 'None';
export type CapacityType = 'spot' | 'on-demand';

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
   * namespace (SECRET_OWNER_TAG), since every team in the account shares the prefixes.
   */
  readonly externalSecrets: { readonly prefixes: readonly string[] };
  /**
   * How Argo CD syncs this environment. Production never prunes automatically: a deleted file
   * must not delete a cluster or a database.
   */
  readonly argocd: { readonly prune: boolean; readonly selfHeal: boolean };
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

/** An environment, checked for what the types cannot say; errors name the field and the fix. */
export function defineEnvironment(env: Environment): Environment {
  const problems: string[] = [];
  const at = (field: string, value: unknown, fix: string) => problems.push(`${field} = ${JSON.stringify(value)}: ${fix}`);
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(env.name)) at('name', env.name, 'use lowercase letters, digits and "-" (at most 16 characters)');
  if (!/^[0-9]{12}$/.test(env.aws.accountId)) at('aws.accountId', env.aws.accountId, 'give the 12-digit AWS account ID');
  const db = env.database;
  if (
    !(
      db.minAcu >= 0 &&
      db.minAcu <= db.maxAcu &&
      db.maxAcu <= 256 &&
      db.minAcu * 2 === Math.round(db.minAcu * 2) &&
      db.maxAcu * 2 === Math.round(db.maxAcu * 2)
    )
  ) {
    at('database', { minAcu: db.minAcu, maxAcu: db.maxAcu }, 'ACU in steps of 0.5 with 0 <= minAcu <= maxAcu <= 256');
  }
  const engine = AURORA.version(AURORA_POSTGRESQL_DEFAULT_VERSION);
  if (engine && (db.minAcu < engine.minAcu || db.maxAcu > engine.maxAcu))
    at(
      'database',
      { minAcu: db.minAcu, maxAcu: db.maxAcu },
      `Aurora PostgreSQL ${engine.version} (the default engine) allows ${engine.minAcu} to ${engine.maxAcu} ACU`,
    );
  const k = env.kubernetes;
  if (!KUBERNETES.offered.includes(k.version))
    at('kubernetes.version', k.version, `EKS offers ${KUBERNETES.offered.join(', ')} (catalog/eks.ts): raise it one minor at a time`);
  else if (k.supportType === 'STANDARD' && !KUBERNETES.standard.includes(k.version))
    at(
      'kubernetes.supportType',
      k.supportType,
      `Kubernetes ${k.version} is in EKS extended support since ${KUBERNETES.release(k.version)?.endOfStandardSupport}: EKS refuses STANDARD for it; use EXTENDED or raise kubernetes.version`,
    );
  if (db.backupRetentionDays < 1 || db.backupRetentionDays > 35) at('database.backupRetentionDays', db.backupRetentionDays, 'between 1 and 35 days');
  const n = env.kubernetes.systemNodes;
  if (!(n.minSize <= n.desiredSize && n.desiredSize <= n.maxSize))
    at('kubernetes.systemNodes', { minSize: n.minSize, desiredSize: n.desiredSize, maxSize: n.maxSize }, 'need minSize <= desiredSize <= maxSize');
  if (env.kubernetes.publicAccessCidrs.includes('0.0.0.0/0'))
    at(
      'kubernetes.publicAccessCidrs',
      env.kubernetes.publicAccessCidrs,
      'name who may reach the API (the control cluster NAT addresses), not 0.0.0.0/0',
    );
  for (const [api, release] of Object.entries(env.compositions ?? {})) {
    if (release !== 'edge' && !/^r[1-9][0-9]*$/.test(String(release))) at(`compositions.${api}`, release, 'use "edge" or a release id (r1, r2, ...)');
  }
  if (!env.karpenter.instanceFamilies.length) at('karpenter.instanceFamilies', [], 'name at least one instance family');
  if (problems.length) throw new Error(`environment "${env.name}" is invalid:\n  - ${problems.join('\n  - ')}`);
  return env;
}
