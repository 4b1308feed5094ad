// Amazon Aurora PostgreSQL facts that change with time. Source: the Aurora user guide, "Supported
// Regions and Aurora DB engines for Aurora Serverless v2"
// (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.Aurora_Fea_Regions_DB-eng.Feature.ServerlessV2.html)
// and the Aurora PostgreSQL release calendar, as of late 2026.

/**
 * Aurora PostgreSQL majors in standard support that run Serverless v2, with the first minor of each
 * that does. (13 left standard support in February 2026.)
 */
export const AURORA_POSTGRESQL_MINIMUM_MINORS: Readonly<Record<string, number>> = { '14': 3, '15': 2, '16': 1, '17': 4 };

/** The engine version a Database gets when it names none. */
export const AURORA_POSTGRESQL_DEFAULT_VERSION = '16.6';
