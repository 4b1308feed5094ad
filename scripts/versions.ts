// npm run versions: the platform engineer's view of the fleet. Per environment and per XR in
// claims/, the Kubernetes and database versions in use and the day each leaves support; exits
// non-zero when one is past it (or unknown), so CI fails before AWS upgrades something by itself.
//
// The facts (support dates) come in as a `SupportFacts`, so the report is tested with made-up
// facts and a fixed day; `repoFleet` and the CLI at the bottom use the catalog and today's date.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FACTS_AS_OF, supportFacts } from '../catalog';
import { ENVIRONMENTS } from '../environments';
import { repoRoot } from '../lib/paths';
import { readYamlDocs } from '../lib/yaml';

/** What EKS does at the end of standard support: STANDARD upgrades the cluster itself, EXTENDED keeps it (at a cost). */
export type SupportType = 'STANDARD' | 'EXTENDED';

/** The support windows the report needs, by version; undefined for a version the facts do not know. */
export interface SupportFacts {
  kubernetes(version: string): { readonly endOfStandardSupport: string; readonly endOfExtendedSupport: string } | undefined;
  /** The day AWS stops supporting this engine version (the sooner of its minor's and its major's end), ISO date. */
  database(version: string): { readonly endOfStandardSupport: string } | undefined;
  /** What an EKSCluster or a Database gets when it names no version. */
  readonly defaultKubernetesVersion: string;
  readonly defaultDatabaseVersion: string;
}

/** What the report needs of an environment. */
export interface EnvironmentVersions {
  readonly name: string;
  readonly kubernetesVersion: string;
  readonly supportType: SupportType;
}

export type Status = 'supported' | 'extended' | 'ending' | 'past' | 'unknown';

export interface VersionRow {
  /** `environment` rows are the defaults a Cluster of the environment gets; `claim` rows one XR each. */
  readonly scope: 'environment' | 'claim';
  readonly environment: string;
  /** The environment's name, or `<file>: <Kind> <namespace>/<name>`. */
  readonly subject: string;
  readonly component: 'kubernetes' | 'database';
  readonly version: string;
  /** The day support ends for this row (standard or extended, as its support type decides). */
  readonly until?: string;
  readonly status: Status;
  readonly note: string;
}

export interface FleetReport {
  readonly rows: readonly VersionRow[];
  /** Rows that fail the check, as sentences naming the file, the version and the fix. */
  readonly problems: readonly string[];
}

export interface FleetOptions {
  readonly claimsDir: string;
  readonly environments: readonly EnvironmentVersions[];
  readonly facts: SupportFacts;
  /** ISO date the report is for. */
  readonly today: string;
  /** @default 90 - rows whose support ends within this many days are `ending` */
  readonly warnDays?: number;
  /** Paths in messages are relative to this. @default - claimsDir's parent */
  readonly root?: string;
}

const DAY = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

function kubernetesRow(
  base: Pick<VersionRow, 'scope' | 'environment' | 'subject'>,
  version: string,
  supportType: SupportType,
  o: FleetOptions,
): VersionRow {
  const window = o.facts.kubernetes(version);
  const row = { ...base, component: 'kubernetes' as const, version };
  if (!window) return { ...row, status: 'unknown', note: 'is not in the catalog' };
  const { endOfStandardSupport: std, endOfExtendedSupport: ext } = window;
  if (o.today >= ext)
    return { ...row, until: ext, status: 'past', note: `left EKS extended support on ${ext}: EKS upgrades the control plane itself` };
  if (supportType === 'STANDARD' && o.today >= std)
    return {
      ...row,
      until: std,
      status: 'past',
      note: `standard support ended on ${std} and the support type is STANDARD: EKS upgrades the control plane itself`,
    };
  if (o.today >= std) return ending({ ...row, until: ext, status: 'extended', note: `in extended support (extra cost) since ${std}` }, o);
  if (supportType === 'STANDARD') return ending({ ...row, until: std, status: 'supported', note: 'standard support; EKS upgrades it at the end' }, o);
  const left = daysBetween(o.today, std);
  const soon = left <= (o.warnDays ?? 90) ? ` (enters extended support, at extra cost, in ${left} days)` : '';
  return ending({ ...row, until: ext, status: 'supported', note: `standard support until ${std}, then extended${soon}` }, o);
}

function databaseRow(base: Pick<VersionRow, 'scope' | 'environment' | 'subject'>, version: string, o: FleetOptions): VersionRow {
  const window = o.facts.database(version);
  const row = { ...base, component: 'database' as const, version };
  if (!window) return { ...row, status: 'unknown', note: 'is not in the catalog' };
  const until = window.endOfStandardSupport;
  if (o.today >= until)
    return { ...row, until, status: 'past', note: `left Aurora standard support on ${until}: AWS upgrades it in a maintenance window` };
  return ending({ ...row, until, status: 'supported', note: 'Aurora standard support' }, o);
}

/** Marks a row `ending` when its support ends within the warning window. */
function ending(row: VersionRow, o: FleetOptions): VersionRow {
  const left = daysBetween(o.today, row.until ?? o.today);
  return left <= (o.warnDays ?? 90) ? { ...row, status: 'ending', note: `${row.note} (${left} days left)` } : row;
}

function walkYaml(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walkYaml(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []))
    .sort();
}

/** The versions an XR of claims/ runs, as its composition resolves them (explicit, else the environment's, else the API's default). */
function claimRows(doc: any, subject: string, env: EnvironmentVersions | undefined, envName: string, o: FleetOptions): VersionRow[] {
  const base = { scope: 'claim' as const, environment: envName, subject };
  const supportType = env?.supportType ?? 'STANDARD';
  switch (doc?.kind) {
    case 'Cluster': {
      const rows = [kubernetesRow(base, doc.spec?.kubernetes?.version ?? env?.kubernetesVersion ?? o.facts.defaultKubernetesVersion, supportType, o)];
      if (doc.spec?.database?.enabled) rows.push(databaseRow(base, doc.spec.database.engineVersion ?? o.facts.defaultDatabaseVersion, o));
      return rows;
    }
    case 'EKSCluster':
      // An EKSCluster names its own support type (the environment's reaches only a Cluster's),
      // EXTENDED when it names none, as the EKSCluster API defaults it.
      return [kubernetesRow(base, doc.spec?.version ?? o.facts.defaultKubernetesVersion, doc.spec?.supportType ?? 'EXTENDED', o)];
    case 'Database':
      return [databaseRow(base, doc.spec?.engineVersion ?? o.facts.defaultDatabaseVersion, o)];
    default:
      return [];
  }
}

export function fleetVersions(o: FleetOptions): FleetReport {
  const root = o.root ?? path.dirname(o.claimsDir);
  const rows: VersionRow[] = o.environments.map((e) =>
    kubernetesRow(
      { scope: 'environment', environment: e.name, subject: `environment ${e.name} (${e.supportType})` },
      e.kubernetesVersion,
      e.supportType,
      o,
    ),
  );
  if (fs.existsSync(o.claimsDir)) {
    for (const envName of fs.readdirSync(o.claimsDir).sort()) {
      const dir = path.join(o.claimsDir, envName);
      if (!fs.statSync(dir).isDirectory()) continue;
      const env = o.environments.find((e) => e.name === envName);
      for (const file of walkYaml(dir)) {
        for (const doc of readYamlDocs(file)) {
          const subject = `${path.relative(root, file)}: ${doc?.kind} ${doc?.metadata?.namespace}/${doc?.metadata?.name}`;
          rows.push(...claimRows(doc, subject, env, envName, o));
        }
      }
    }
  }
  const problems = rows
    .filter((r) => r.status === 'past' || r.status === 'unknown')
    .map((r) => `${r.subject}: ${r.component === 'kubernetes' ? 'Kubernetes' : 'Aurora PostgreSQL'} ${r.version} ${r.note}: ${fixFor(r)}`);
  return { rows, problems };
}

function fixFor(r: VersionRow): string {
  if (r.status === 'unknown') return 'use a version the catalog lists (catalog/), or add this one there with its source';
  if (r.component === 'database') return 'move engineVersion to a supported minor of the same major (an in-place minor upgrade)';
  return r.scope === 'environment'
    ? `raise kubernetes.version in environments/${r.environment}.ts by one minor (or set kubernetes.supportType: EXTENDED while you upgrade)`
    : 'raise spec.kubernetes.version by one minor, or set it to what EKS already reports';
}

/** The report as a fixed-width table, one row per line. */
export function formatReport(report: FleetReport): string {
  const header = ['SUBJECT', 'COMPONENT', 'VERSION', 'UNTIL', 'STATUS', 'NOTE'];
  const lines = report.rows.map((r) => [r.subject, r.component, r.version, r.until ?? '-', r.status, r.note]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...lines.map(fmt)].join('\n');
}

/** The platform's own fleet: environments/ and claims/, judged by the catalog on `today`. */
export function repoFleet(today: string): FleetReport {
  return fleetVersions({
    claimsDir: path.join(repoRoot, 'claims'),
    root: repoRoot,
    environments: ENVIRONMENTS.map((e) => ({ name: e.name, kubernetesVersion: e.kubernetes.version, supportType: e.kubernetes.supportType })),
    facts: supportFacts(),
    today,
  });
}

if (require.main === module) {
  // --today YYYY-MM-DD judges another day (what breaks next quarter?); default: today, UTC.
  const i = process.argv.indexOf('--today');
  const today = i > 0 ? process.argv[i + 1] : new Date().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today ?? '')) {
    console.error(`--today ${JSON.stringify(today)} is not a date: give YYYY-MM-DD`);
    process.exit(2);
  }
  const report = repoFleet(today);
  console.log(`Versions in use on ${today} (facts of catalog/ as read on ${FACTS_AS_OF}):\n`);
  console.log(formatReport(report));
  if (report.problems.length) {
    console.error(`\n${report.problems.length} past support:\n  - ${report.problems.join('\n  - ')}`);
    process.exit(1);
  }
}
