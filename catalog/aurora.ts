// Amazon Aurora PostgreSQL facts that change with time: which versions run Serverless v2, until
// when, with which capacity range. Read on FACTS_AS_OF (catalog/eks.ts); refresh with
// `aws rds describe-db-engine-versions --engine aurora-postgresql` (ServerlessV2FeaturesSupport gives
// each version's min/max ACU) and the release calendar below.

const CALENDAR = 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurorapostgresql-release-calendar.html';

export interface AuroraMinor {
  readonly version: string;
  /** Aurora release date. */
  readonly released: string;
  /**
   * Aurora end of standard support: a date, or a month (`YYYY-MM`) where AWS gives only the month;
   * a month counts from its first day (AWS may retire any day of it).
   */
  readonly endOfStandardSupport: string;
  /** Aurora long-term support release: stays on this minor for years. */
  readonly lts?: boolean;
}

export interface AuroraMajor {
  readonly major: string;
  /** Aurora end of standard support of the major (RDS Extended Support, paid, after it). */
  readonly endOfStandardSupport: string;
  /** First minors with auto-pause (minimum 0 ACU) and with a 256 ACU maximum; older minors: 0.5 and 128. */
  readonly autoPauseFrom: string;
  readonly maxAcu256From: string;
  /** Newest first. */
  readonly minors: readonly AuroraMinor[];
  /** Where the dates were read (the capacity thresholds: see the comment on AURORA_POSTGRESQL). */
  readonly source: string;
}

// Auto-pause: AWS Database Blog "Introducing scaling to 0 capacity with Amazon Aurora Serverless v2"
// (16.3, 15.7, 14.12, 13.15 and higher). 256 ACU: the October 2024 launch; the exact first minors
// were not readable here, and no minor offered below falls between the two thresholds except 14.6,
// which is under both.
export const AURORA_POSTGRESQL: readonly AuroraMajor[] = [
  {
    major: '17',
    endOfStandardSupport: '2030-02-28',
    autoPauseFrom: '17.4',
    maxAcu256From: '17.4',
    source: CALENDAR,
    minors: [
      { version: '17.7', released: '2025-12-18', endOfStandardSupport: '2030-02-28', lts: true },
      { version: '17.6', released: '2025-11-25', endOfStandardSupport: '2027-06' },
      { version: '17.5', released: '2025-06-30', endOfStandardSupport: '2026-12' },
      { version: '17.4', released: '2025-05-01', endOfStandardSupport: '2026-11' },
    ],
  },
  {
    major: '16',
    endOfStandardSupport: '2029-02-28',
    autoPauseFrom: '16.3',
    maxAcu256From: '16.1',
    source: CALENDAR,
    minors: [
      { version: '16.11', released: '2025-12-18', endOfStandardSupport: '2027-07' },
      { version: '16.10', released: '2025-11-25', endOfStandardSupport: '2027-06' },
      { version: '16.9', released: '2025-06-30', endOfStandardSupport: '2026-12' },
      { version: '16.8', released: '2025-04-08', endOfStandardSupport: '2029-02-28', lts: true },
      { version: '16.6', released: '2024-12-13', endOfStandardSupport: '2026-05' },
      { version: '16.4', released: '2024-09-30', endOfStandardSupport: '2026-05' },
    ],
  },
  {
    major: '15',
    endOfStandardSupport: '2028-02-29',
    autoPauseFrom: '15.7',
    maxAcu256From: '15.5',
    source: CALENDAR,
    minors: [
      { version: '15.15', released: '2025-12-18', endOfStandardSupport: '2027-07' },
      { version: '15.14', released: '2025-11-25', endOfStandardSupport: '2027-06' },
      { version: '15.13', released: '2025-06-30', endOfStandardSupport: '2026-12' },
      { version: '15.12', released: '2025-04-08', endOfStandardSupport: '2026-11' },
      { version: '15.10', released: '2024-12-13', endOfStandardSupport: '2028-02-29', lts: true },
      { version: '15.8', released: '2024-09-30', endOfStandardSupport: '2026-05' },
    ],
  },
  {
    major: '14',
    endOfStandardSupport: '2027-02-28',
    autoPauseFrom: '14.12',
    maxAcu256From: '14.10',
    source: CALENDAR,
    minors: [
      { version: '14.20', released: '2025-12-18', endOfStandardSupport: '2027-02-28' },
      { version: '14.19', released: '2025-11-25', endOfStandardSupport: '2027-02-28' },
      { version: '14.18', released: '2025-06-30', endOfStandardSupport: '2026-12' },
      { version: '14.17', released: '2025-04-08', endOfStandardSupport: '2026-11' },
      { version: '14.15', released: '2024-12-13', endOfStandardSupport: '2026-05' },
      { version: '14.13', released: '2024-09-30', endOfStandardSupport: '2026-05' },
      { version: '14.6', released: '2023-01-23', endOfStandardSupport: '2027-02-28', lts: true },
    ],
  },
  {
    // Past standard support since 2026-02-28 (RDS Extended Support, paid, until 2029-02-28): kept so
    // the APIs can say so.
    major: '13',
    endOfStandardSupport: '2026-02-28',
    autoPauseFrom: '13.15',
    maxAcu256From: '13.13',
    source: CALENDAR,
    minors: [
      { version: '13.23', released: '2025-12-18', endOfStandardSupport: '2026-02-28' },
      { version: '13.9', released: '2023-01-23', endOfStandardSupport: '2026-02-28', lts: true },
    ],
  },
];

/** The engine version a Database gets when it names none: the newest LTS, so it is not moved for years. */
export const AURORA_POSTGRESQL_DEFAULT_VERSION = '17.7';

/**
 * Major upgrades this platform performs in place. AWS itself supports in-place major upgrades (e.g.
 * 16.8 to 17.4-17.6, USER_UpgradeDBInstance.PostgreSQL.UpgradeVersion), but the Database composition
 * cannot: its cluster parameter group's family follows the major and is immutable, and the provider
 * refuses to replace it. Empty until the composition learns a parameter group per major.
 */
export const AURORA_IN_PLACE_MAJOR_UPGRADES: readonly { readonly from: string; readonly to: string }[] = [];

/** Seconds an idle Serverless v2 instance waits before pausing (min ACU 0 only): 300 to 86,400 (ServerlessV2ScalingConfiguration). */
export const AUTO_PAUSE_SECONDS = { min: 300, max: 86_400, default: 300 } as const;
