import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FACTS_AS_OF } from '../catalog';
import { type EnvironmentVersions, fleetVersions, formatReport, repoFleet, type SupportFacts } from '../scripts/versions';

// GIVEN support windows shaped like EKS's and Aurora's (made-up versions, so the test says what the
// report does, not what the catalog holds)
const FACTS: SupportFacts = {
  kubernetes: (v) =>
    (
      ({
        '1.50': { endOfStandardSupport: '2030-08-01', endOfExtendedSupport: '2031-08-01' },
        '1.49': { endOfStandardSupport: '2030-01-10', endOfExtendedSupport: '2031-01-10' },
        '1.48': { endOfStandardSupport: '2029-06-01', endOfExtendedSupport: '2030-06-01' },
        '1.47': { endOfStandardSupport: '2028-06-01', endOfExtendedSupport: '2029-06-01' },
      }) as Record<string, { endOfStandardSupport: string; endOfExtendedSupport: string }>
    )[v],
  database: (v) =>
    (
      ({ '30.2': { endOfStandardSupport: '2031-01-01' }, '29.1': { endOfStandardSupport: '2029-12-01' } }) as Record<
        string,
        { endOfStandardSupport: string }
      >
    )[v],
  defaultKubernetesVersion: '1.50',
  defaultDatabaseVersion: '30.2',
};
const TODAY = '2030-01-01';

const ENVIRONMENTS: EnvironmentVersions[] = [
  { name: 'dev', kubernetesVersion: '1.50', supportType: 'STANDARD' },
  { name: 'prod', kubernetesVersion: '1.48', supportType: 'EXTENDED' },
];

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-versions-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function claims(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(scratch, 'claims-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const cluster = (name: string, env: string, spec = '') =>
  `apiVersion: platform.drydock.dev/v1alpha1\nkind: Cluster\nmetadata: { name: ${name}, namespace: team-a }\nspec:\n  environment: ${env}\n${spec}`;

describe('npm run versions', () => {
  it('resolves each claim as its composition would: explicit, else the environment, else the API default', () => {
    const dir = claims({
      'dev/a.yaml': cluster('plain', 'dev', '  database: { enabled: true }\n'),
      'dev/b.yaml': cluster('pinned', 'dev', '  kubernetes: { version: "1.49" }\n  database: { enabled: true, engineVersion: "29.1" }\n'),
      'dev/c.yaml':
        'apiVersion: platform.drydock.dev/v1alpha1\nkind: Database\nmetadata: { name: db, namespace: team-a }\nspec: { region: eu-west-1 }\n',
    });
    const { rows } = fleetVersions({ claimsDir: dir, environments: ENVIRONMENTS, facts: FACTS, today: TODAY });
    const versions = rows.filter((r) => r.scope === 'claim').map((r) => `${r.subject.split(': ')[1]} ${r.component} ${r.version}`);
    expect(versions).toEqual([
      'Cluster team-a/plain kubernetes 1.50',
      'Cluster team-a/plain database 30.2',
      'Cluster team-a/pinned kubernetes 1.49',
      'Cluster team-a/pinned database 29.1',
      'Database team-a/db database 30.2',
    ]);
  });

  it('judges Kubernetes by the support type: STANDARD ends at end of standard support, EXTENDED at end of extended', () => {
    // GIVEN 1.48, whose standard support ended in 2029, in a STANDARD and an EXTENDED environment
    const dir = claims({ 'dev/a.yaml': cluster('old', 'dev', '  kubernetes: { version: "1.48" }\n'), 'prod/b.yaml': cluster('old', 'prod') });
    const report = fleetVersions({ claimsDir: dir, environments: ENVIRONMENTS, facts: FACTS, today: TODAY });
    const [dev, prod] = report.rows.filter((r) => r.scope === 'claim');
    // THEN EKS has upgraded (or will upgrade) the STANDARD one: a failure naming the file and the fix
    expect(dev).toMatchObject({ status: 'past', until: '2029-06-01' });
    expect(report.problems).toEqual([
      expect.stringMatching(
        /^claims-\w+\/dev\/a\.yaml: Cluster team-a\/old: Kubernetes 1\.48 standard support ended on 2029-06-01 and the support type is STANDARD: EKS upgrades the control plane itself: raise spec\.kubernetes\.version by one minor/,
      ),
    ]);
    // AND the EXTENDED one is in (paid) extended support until 2030-06-01: reported, not failed
    expect(prod).toMatchObject({ status: 'extended', until: '2030-06-01' });
  });

  it('fails a STANDARD claim on the day its standard support ends (when EKS may start upgrading it), not the day before', () => {
    const dir = claims({ 'dev/a.yaml': cluster('old', 'dev', '  kubernetes: { version: "1.49" }\n') });
    const on = (today: string) => fleetVersions({ claimsDir: dir, environments: ENVIRONMENTS, facts: FACTS, today }).problems;
    expect(on('2030-01-09')).toEqual([]);
    expect(on('2030-01-10')).toEqual([expect.stringMatching(/Kubernetes 1\.49 standard support ended on 2030-01-10/)]);
  });

  it("judges an EKSCluster by its own support type (EXTENDED unless it says), not its folder's environment", () => {
    // GIVEN two EKSClusters at 1.48 (standard support ended 2029-06-01) in dev, a STANDARD environment
    const eks = (name: string, spec: string) =>
      `apiVersion: platform.drydock.dev/v1alpha1\nkind: EKSCluster\nmetadata: { name: ${name}, namespace: team-a }\nspec: { version: "1.48"${spec} }\n`;
    const dir = claims({ 'dev/a.yaml': eks('defaulted', ''), 'dev/b.yaml': eks('standard', ', supportType: STANDARD') });
    const report = fleetVersions({ claimsDir: dir, environments: ENVIRONMENTS, facts: FACTS, today: TODAY });
    // THEN the one the API defaults to EXTENDED is in extended support; only the STANDARD one fails
    expect(report.rows.filter((r) => r.scope === 'claim').map((r) => [r.subject.split(': ')[1], r.status])).toEqual([
      ['EKSCluster team-a/defaulted', 'extended'],
      ['EKSCluster team-a/standard', 'past'],
    ]);
    expect(report.problems).toHaveLength(1);
  });

  it('fails on a version past extended support, and on a version the facts do not know', () => {
    const dir = claims({
      'prod/a.yaml': cluster('ancient', 'prod', '  kubernetes: { version: "1.47" }\n'),
      'prod/b.yaml': cluster('typo', 'prod', '  kubernetes: { version: "1.99" }\n'),
      'prod/c.yaml': cluster('olddb', 'prod', '  database: { enabled: true, engineVersion: "28.0" }\n'),
    });
    const { problems } = fleetVersions({ claimsDir: dir, environments: ENVIRONMENTS, facts: FACTS, today: TODAY });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/Cluster team-a\/ancient: Kubernetes 1\.47 left EKS extended support on 2029-06-01/);
    expect(problems[1]).toMatch(/Cluster team-a\/typo: Kubernetes 1\.99 is not in the catalog: use a version the catalog lists/);
    expect(problems[2]).toMatch(/Cluster team-a\/olddb: Aurora PostgreSQL 28\.0 is not in the catalog/);
  });

  it('fails on a database minor past its standard support, and warns within 90 days without failing', () => {
    const dir = claims({
      'dev/a.yaml': cluster('db', 'dev', '  kubernetes: { version: "1.49" }\n  database: { enabled: true, engineVersion: "29.1" }\n'),
    });
    const soon = fleetVersions({ claimsDir: dir, environments: ENVIRONMENTS, facts: FACTS, today: '2029-11-01' });
    // 1.49 STANDARD ends 2030-01-10 (70 days), 29.1 ends 2029-12-01 (30 days): both ending, none failing
    expect(soon.rows.filter((r) => r.scope === 'claim').map((r) => [r.status, r.note])).toEqual([
      ['ending', 'standard support; EKS upgrades it at the end (70 days left)'],
      ['ending', 'Aurora standard support (30 days left)'],
    ]);
    expect(soon.problems).toEqual([]);
    const later = fleetVersions({ claimsDir: dir, environments: ENVIRONMENTS, facts: FACTS, today: '2029-12-01' });
    expect(later.problems).toEqual([
      expect.stringMatching(/Aurora PostgreSQL 29\.1 left Aurora standard support on 2029-12-01: .*move engineVersion/),
    ]);
  });

  it('fails on an environment default past support, naming the environment file', () => {
    const { problems } = fleetVersions({
      claimsDir: path.join(scratch, 'none'),
      environments: [{ name: 'qa', kubernetesVersion: '1.48', supportType: 'STANDARD' }],
      facts: FACTS,
      today: TODAY,
    });
    expect(problems).toEqual([expect.stringMatching(/^environment qa \(STANDARD\): Kubernetes 1\.48 .*environments\/qa\.ts/)]);
  });

  it('prints one aligned row per subject and component', () => {
    const dir = claims({ 'dev/a.yaml': cluster('plain', 'dev') });
    const text = formatReport(fleetVersions({ claimsDir: dir, environments: ENVIRONMENTS, facts: FACTS, today: TODAY }));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^SUBJECT\s+COMPONENT\s+VERSION\s+UNTIL\s+STATUS\s+NOTE$/);
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/dev\/a\.yaml: Cluster team-a\/plain\s+kubernetes\s+1\.50\s+2030-08-01\s+supported/);
  });
});

describe("the platform's own fleet (environments/ and claims/, judged by catalog/)", () => {
  // This is the CI gate: it runs on the day CI runs, so the day a claim's version leaves support
  // (or a STANDARD environment's leaves standard support, when EKS would upgrade it by itself),
  // npm test fails until the version is raised.
  it('has no environment or claim on a version past its support today', () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(repoFleet(today).problems).toEqual([]);
  });

  it('lists every environment and every claim, Kubernetes and (where enabled) database', () => {
    const { rows } = repoFleet(FACTS_AS_OF);
    expect(rows.filter((r) => r.scope === 'environment').map((r) => r.environment)).toEqual(['dev', 'prod', 'staging']);
    expect(rows.filter((r) => r.scope === 'claim' && r.component === 'kubernetes')).toHaveLength(3);
    expect(rows.filter((r) => r.component === 'database').map((r) => r.subject)).toEqual([
      'claims/staging/platform-canary.yaml: Cluster platform/platform-canary',
    ]);
  });

  it('fails on the day the versions in use leave support, naming each file and the fix', () => {
    // Two years on, every version in use today is past its support.
    const later = `${Number(FACTS_AS_OF.slice(0, 4)) + 2}${FACTS_AS_OF.slice(4)}`;
    const { problems } = repoFleet(later);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^claims\/prod\/shared-services\.yaml: Cluster platform\/shared-services: Kubernetes [\d.]+ left EKS extended support on /,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/^environment dev \(STANDARD\): .*raise kubernetes\.version in environments\/dev\.ts by one minor/),
    );
  });
});
