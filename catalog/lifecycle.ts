// What the version facts of eks.ts and aurora.ts mean for the platform, judged on FACTS_AS_OF (so
// synth's output does not change with the clock): which versions are offered and which retired,
// what an add-on runs at each Kubernetes version, what capacity each Aurora minor allows. Every
// API, composition, check and report reads versions through here.
import { AURORA_IN_PLACE_MAJOR_UPGRADES, AURORA_POSTGRESQL, AURORA_POSTGRESQL_DEFAULT_VERSION, type AuroraMajor, type AuroraMinor } from './aurora';
import { type EksManagedAddonVersions, FACTS_AS_OF, KUBERNETES_RELEASES, type KubernetesRelease } from './eks';

/** A date, or a month (`YYYY-MM`) counted from its first day, as an ISO day. */
export const dayOf = (date: string): string => (date.length === 7 ? `${date}-01` : date);

/** Orders `major.minor` versions numerically (16.10 after 16.9). */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [a, b].map((v) => v.split('.').map(Number));
  return pa[0] - pb[0] || pa[1] - pb[1];
}

const releases: readonly KubernetesRelease[] = KUBERNETES_RELEASES;
const byAge = [...releases].sort((a, b) => compareVersions(a.version, b.version));

/** Kubernetes on EKS, as of FACTS_AS_OF. Lists run oldest first. */
export const KUBERNETES = {
  /** Versions a cluster may be created at or moved to: before the end of extended support. */
  offered: byAge.filter((r) => r.endOfExtendedSupport > FACTS_AS_OF).map((r) => r.version),
  /** Offered versions still in standard support: the only ones a STANDARD cluster may be created at. */
  standard: byAge.filter((r) => r.endOfStandardSupport > FACTS_AS_OF).map((r) => r.version),
  /** Versions past extended support, with the day they left it. */
  retired: byAge.filter((r) => r.endOfExtendedSupport <= FACTS_AS_OF).map((r) => ({ version: r.version, left: r.endOfExtendedSupport })),
  /** Every known version's place in the order, for CEL's "one minor at a time" and "never down". */
  order: Object.fromEntries(byAge.map((r, i) => [r.version, i])) as Readonly<Record<string, number>>,
  /** The version after each one, where the catalog knows it. */
  next: Object.fromEntries(byAge.slice(0, -1).map((r, i) => [r.version, byAge[i + 1].version])) as Readonly<Record<string, string>>,
  release: (version: string): KubernetesRelease | undefined => releases.find((r) => r.version === version),
};

/** Offered Kubernetes versions, newest first: the first is the EKSCluster API's default. */
export const EKS_VERSIONS: readonly string[] = [...KUBERNETES.offered].reverse();

/** Offered versions that are in extended support only (a cluster at one needs the EXTENDED support type). */
export const EXTENDED_ONLY = KUBERNETES.offered.filter((v) => !KUBERNETES.standard.includes(v));

/** The EKS managed add-on versions for clusters at `version`; throws for a version no cluster may be at. */
export function managedAddonsFor(version: string): EksManagedAddonVersions {
  const addons = KUBERNETES.release(version)?.addons;
  if (!addons) throw new Error(`Kubernetes ${version} has no managed add-on versions in catalog/eks.ts: add them (aws eks describe-addon-versions)`);
  const { source: _, ...builds } = addons;
  return builds;
}

/** What the Serverless v2 capacity range of an Aurora PostgreSQL minor allows. */
export interface AuroraCapacity {
  /** 0 where the minor can pause when idle, 0.5 otherwise. */
  readonly minAcu: number;
  readonly maxAcu: number;
}

export interface AuroraVersion extends AuroraMinor, AuroraCapacity {
  readonly major: string;
  /** The day AWS stops supporting it: the sooner of its own end of standard support and its major's. */
  readonly supportedUntil: string;
}

const auroraVersions: readonly AuroraVersion[] = AURORA_POSTGRESQL.flatMap((m: AuroraMajor) =>
  m.minors.map((minor) => {
    const own = dayOf(minor.endOfStandardSupport);
    return {
      ...minor,
      major: m.major,
      supportedUntil: [own, m.endOfStandardSupport].sort()[0],
      minAcu: compareVersions(minor.version, m.autoPauseFrom) >= 0 ? 0 : 0.5,
      maxAcu: compareVersions(minor.version, m.maxAcu256From) >= 0 ? 256 : 128,
    };
  }),
).sort((a, b) => compareVersions(a.version, b.version));

/** Aurora PostgreSQL for Serverless v2, as of FACTS_AS_OF. Lists run oldest first. */
export const AURORA = {
  /** Minors a Database may be created at or moved to. */
  offered: auroraVersions.filter((v) => v.supportedUntil > FACTS_AS_OF),
  /** Minors AWS no longer supports, with the day support ended. */
  retired: auroraVersions.filter((v) => v.supportedUntil <= FACTS_AS_OF),
  version: (version: string): AuroraVersion | undefined => auroraVersions.find((v) => v.version === version),
  /** Majors this platform moves between in place (none yet: see aurora.ts). */
  inPlaceMajorUpgrades: AURORA_IN_PLACE_MAJOR_UPGRADES,
};

/**
 * The support windows `npm run versions` judges the fleet by (scripts/versions.ts SupportFacts),
 * for any version the catalog knows, offered or retired.
 */
export function supportFacts() {
  return {
    kubernetes: (version: string) => KUBERNETES.release(version),
    database: (version: string) => {
      const v = AURORA.version(version);
      return v && { endOfStandardSupport: v.supportedUntil };
    },
    defaultKubernetesVersion: EKS_VERSIONS[0],
    defaultDatabaseVersion: AURORA_POSTGRESQL_DEFAULT_VERSION,
  };
}
