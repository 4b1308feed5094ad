// The lifecycles of the platform walked on a real control cluster (lib/controlplane): the
// Kubernetes API server, kube-controller-manager, Crossplane core with its webhooks, the real
// functions and provider-kubernetes, Argo CD's controllers, and the simulated AWS. One cluster
// serves every scenario, in order: bootstrap, claim, refusal, second tenant, upgrade, teardown.
// A scenario that waits for another issue's behaviour is written and skipped with the reason; it
// turns on by itself once that behaviour is in dist/ (support.ts `landed`).
// One file past 300 lines on purpose: the scenarios share one cluster and run in its order (a
// later one reads what an earlier one left), which split files would run apart, each paying the
// bootstrap (about 7 minutes) again.
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EksManagedAddonVersions, KUBERNETES, managedAddonsFor } from '../../catalog';
import { ENVIRONMENTS } from '../../environments';
import { PLATFORM } from '../../environments/platform';
import { member, PLATFORM_ENGINEER } from '../../lib/admission';
import { renderApplicationSets } from '../../lib/argocd';
import type { ControlCluster } from '../../lib/controlplane';
import { examples } from '../support';
import {
  applicationProblems,
  applyBootstrap,
  BOUNDS,
  composedTree,
  distDocs,
  installPlatformByHand,
  installProviderConfigsByHand,
  isTrue,
  landed,
  missingPrerequisites,
  PENDING,
  platformProblems,
  startCluster,
} from './support';

const skipWhy = missingPrerequisites();
const minutes = (n: number) => n * 60_000;
/**
 * A test's timeout: past the sum of the bounds of the waits it makes one after another, so that a
 * slow step fails with its wait's explanation instead of vitest's bare timeout.
 */
const pastBounds = (...waitsMs: number[]) => waitsMs.reduce((a, b) => a + b, 0) + minutes(1);
/** How long a Kubernetes upgrade step may take to reach the node group. */
const UPGRADE_STEP_MS = 300_000;
/** How long a held teardown is watched to stay held. */
const HELD_CHECK_MS = 20_000;
const clusterExamples = examples('compositions/cluster/examples').filter((e) => e.object.kind === 'Cluster');
const clusters = 'clusters.platform.drydock.dev';
/** The EKS add-on names compositions/eks/managed-addons.ts composes, to their catalog fields. */
const EKS_ADDON_FIELD = {
  'vpc-cni': 'vpcCni',
  coredns: 'coredns',
  'kube-proxy': 'kubeProxy',
  'eks-pod-identity-agent': 'podIdentityAgent',
  'aws-ebs-csi-driver': 'ebsCsiDriver',
} as const satisfies Record<string, keyof EksManagedAddonVersions>;

describe.skipIf(!!skipWhy)(`lifecycles on a real control cluster${skipWhy ? ` (skipped: ${skipWhy})` : ''}`, () => {
  let cluster: ControlCluster;
  const bootstrap = { seconds: 0, converged: false, evidence: [] as string[], applications: [] as string[], platform: [] as string[] };

  beforeAll(async () => {
    cluster = await startCluster('lifecycle');
    // Scenario 1 starts here: the README's bootstrap on an empty cluster. Steps 2 and 3 (Crossplane,
    // Argo CD with dist/bootstrap/ merged into its ConfigMaps) are the cluster's install; step 4:
    const t0 = Date.now();
    applyBootstrap(cluster);
    await cluster
      .waitFor('the bootstrap to converge', () => !applicationProblems(cluster).length && !platformProblems(cluster).length, {
        timeoutMs: BOUNDS.bootstrapSeconds * 1000,
      })
      .then(() => (bootstrap.converged = true))
      .catch(() => {});
    bootstrap.seconds = (Date.now() - t0) / 1000;
    bootstrap.evidence = applicationProblems(cluster);
    bootstrap.applications = cluster.list('applications.argoproj.io', 'argocd').map((a) => a.metadata.name);
    // What the bootstrap itself installed, read before any by-hand install below can stand in for it.
    bootstrap.platform = platformProblems(cluster);
    process.stderr.write(`[lifecycle] bootstrap after ${bootstrap.seconds.toFixed(0)} s: ${bootstrap.evidence.join(' | ') || 'converged'}\n`);
    if (!bootstrap.converged) {
      installPlatformByHand(cluster);
      await cluster.waitFor('the provider config CRDs', () => cluster.get('crd', 'clusterproviderconfigs.kubernetes.m.crossplane.io'), {
        timeoutMs: 180_000,
      });
      installProviderConfigsByHand(cluster);
    }
    await cluster.waitFor('every package Healthy and every XRD Established', () => !platformProblems(cluster).length, {
      timeoutMs: 300_000,
      explain: () => platformProblems(cluster).join('; '),
    });
  }, minutes(30));

  afterAll(async () => {
    await cluster?.down();
    // The run folder (logs, etcd, the simulated AWS's inventory) stays when asked, to read after a failure.
    if (cluster && !process.env.DRYDOCK_E2E_KEEP) fs.rmSync(cluster.state.runDir, { recursive: true, force: true });
  }, minutes(2));

  describe('1. bootstrap: from an empty cluster, the README bootstrap', () => {
    it('creates every control-plane Application from the root Application', () => {
      const wanted = distDocs('argocd/control-plane.yaml').map((a) => a.metadata.name);
      expect(bootstrap.applications, `${bootstrap.evidence.join(' | ')} ${argocdPanics(cluster)}`).toEqual(
        expect.arrayContaining(['drydock', ...wanted]),
      );
    });

    it('installs every package Healthy and every XRD Established', () => {
      expect(bootstrap.platform, `after ${bootstrap.seconds.toFixed(0)} s`).toEqual([]);
    });

    it(`converges by itself: every Application Synced and Healthy within ${BOUNDS.bootstrapSeconds} s`, () => {
      expect(bootstrap.evidence, `after ${bootstrap.seconds.toFixed(0)} s`).toEqual([]);
      expect(bootstrap.converged).toBe(true);
    });

    it("keeps the settings a stock Argo CD install has beside dist/bootstrap/'s", () => {
      const cm = cluster.get('configmap', 'argocd-cm', 'argocd');
      const ours = Object.keys(distDocs('bootstrap/argocd-cm.yaml')[0].data);
      expect(Object.keys(cm.data)).toEqual(
        expect.arrayContaining(['resource.exclusions', 'resource.customizations.ignoreResourceUpdates.all', ...ours]),
      );
    });
  });

  describe('2. claim: each valid Cluster example in its team namespace', () => {
    const applied = new Map<string, number>();
    beforeAll(() => {
      for (const e of clusterExamples) {
        // Each example as the identity that would create it, as test/admission.test.ts judges
        // them: a team member, or a platform engineer where it sets spec.clusterName (review 14
        // gave that field to the platform group alone; applied as the admin it was refused).
        const team = PLATFORM.teams.find((t) => t.namespace === e.object.metadata.namespace);
        const who = team && !e.object.spec.clusterName ? member(team) : PLATFORM_ENGINEER;
        cluster.apply([e.object], {
          as: who.username,
          asGroups: who.groups.filter((g) => g !== 'system:authenticated'),
        });
        applied.set(e.file, Date.now());
      }
    });

    it.each(clusterExamples.map((e) => [e.file, e.object]))(
      '%s composes its whole tree and becomes Ready under the simulated AWS',
      async (_file, xr: any) => {
        const live = await cluster.waitFor(
          `Cluster ${xr.metadata.namespace}/${xr.metadata.name} Ready`,
          () => {
            const c = cluster.get(clusters, xr.metadata.name, xr.metadata.namespace);
            return isTrue(c, 'Ready') && c;
          },
          {
            timeoutMs: BOUNDS.clusterReadySeconds * 1000,
            explain: () => notReady(cluster, xr).slice(0, 12).join('; '),
          },
        );
        const tree = composedTree(cluster, live);
        expect(
          tree.filter((t) => !t.object).map((t) => t.ref),
          'every reference names an object',
        ).toEqual([]);
        // Usages, connection Secrets and provider-kubernetes ProviderConfigs carry no Ready
        // condition: they are ready once they exist (the composition says so for the last).
        const judged = tree.filter((t) => !['Usage', 'ProviderConfig'].includes(t.object.kind) && t.object.apiVersion !== 'v1');
        expect(
          judged.filter((t) => !isTrue(t.object, 'Ready')).map((t) => t.ref),
          'every composed resource is Ready',
        ).toEqual([]);
        const kinds = new Set(tree.map((t) => t.object.kind));
        expect([...kinds]).toEqual(expect.arrayContaining(['Network', 'EKSCluster', 'Object', 'VPC', 'Subnet', 'Cluster', 'NodeGroup']));
        if (xr.spec.database?.enabled) expect([...kinds]).toEqual(expect.arrayContaining(['Database', 'Cluster', 'ClusterInstance']));
      },
      pastBounds(BOUNDS.clusterReadySeconds * 1000),
    );

    it.each(clusterExamples.map((e) => [e.file, e.object]))(
      '%s: its registration Secret is written into argocd by provider-kubernetes, and the ApplicationSet controller generates the expected add-on Applications',
      async (_file, xr: any) => {
        const live = cluster.get(clusters, xr.metadata.name, xr.metadata.namespace);
        const registration = composedTree(cluster, live).find((t) => t.object?.kind === 'Object')?.object;
        expect(registration, 'the Cluster composes a provider-kubernetes Object').toBeDefined();
        expect(isTrue(registration, 'Ready') && isTrue(registration, 'Synced'), JSON.stringify(registration.status?.conditions)).toBe(true);
        const { name, namespace } = registration.spec.forProvider.manifest.metadata;
        expect(namespace).toBe(PLATFORM.argocdNamespace);
        const secret = cluster.get('secret', name, namespace);
        expect(secret?.metadata.labels['argocd.argoproj.io/secret-type']).toBe('cluster');
        const server = Buffer.from(secret.data.server, 'base64').toString();
        expect(server).toBe(live.status.endpoint);
        // The oracle: Argo CD's own ApplicationSet code (tools/argocd) over the live Secret.
        const appSets = distDocs('argocd/addons.yaml');
        const rendered = renderApplicationSets(appSets, [secret]);
        expect(
          rendered.filter((r) => r.error).map((r) => `${r.applicationSet}: ${r.error}`),
          'every add-on ApplicationSet renders for this cluster',
        ).toEqual([]);
        const expected = rendered.flatMap((r) => r.applications.map((a: any) => a.metadata.name)).sort();
        expect(expected.length).toBeGreaterThan(0);
        const generated = await cluster.waitFor(
          `the add-on Applications of ${name}`,
          () => {
            const names = cluster.list('applications.argoproj.io', 'argocd').map((a) => a.metadata.name);
            return expected.every((e) => names.includes(e)) && names;
          },
          {
            timeoutMs: 120_000,
            explain: () => {
              const sets = cluster.list('applicationsets.argoproj.io', 'argocd');
              const errors = sets.flatMap((s) =>
                (s.status?.conditions ?? [])
                  .filter((c: any) => c.type === 'ErrorOccurred' && c.status === 'True')
                  .map((c: any) => `${s.metadata.name}: ${c.message}`),
              );
              return `expected ${expected.join(', ')}; ApplicationSet errors: ${errors.join(' | ') || 'none'}`;
            },
          },
        );
        expect(generated).toEqual(expect.arrayContaining(expected));
      },
      minutes(4),
    );
  });

  describe('3. refusal: each invalid example is refused by the API server, and nothing is composed', () => {
    const invalid = ['cluster', 'network', 'eks', 'database'].flatMap((api) =>
      examples(`compositions/${api}/examples/invalid`).map((e) => [`${api}/${e.file}`, e.object] as const),
    );
    beforeAll(() => {
      // The examples' own namespaces, so that what the API server judges is the object.
      const namespaces = [...new Set(invalid.map(([, xr]) => xr.metadata.namespace).filter(Boolean))];
      cluster.apply(namespaces.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
    });
    it.each(invalid)('%s', (_file, xr: any) => refuse(xr));
    function refuse(xr: any): void {
      const expected = xr.metadata.annotations['test.drydock.dev/expected-error'];
      const ns = xr.metadata.namespace ?? 'default';
      let refusal = '';
      try {
        cluster.kubectl(['create', '-n', ns, '-f', '-'], JSON.stringify({ ...xr, metadata: { ...xr.metadata, namespace: ns } }));
      } catch (e: any) {
        refusal = e.message;
      }
      expect(refusal, 'the API server refuses it').toContain(expected);
      const [group] = xr.apiVersion.split('/');
      expect(cluster.get(`${xr.kind.toLowerCase()}.${group}`, xr.metadata.name, ns), 'nothing is stored, so nothing is composed').toBeUndefined();
    }
  });

  describe('4. second tenant', () => {
    const [orders] = clusterExamples.filter((e) => e.file === 'dev-minimal.yaml').map((e) => e.object);
    const teams = PLATFORM.teams.filter((t) => t.namespace !== 'platform');
    const [own, other] = teams;
    const canI = (verb: string, resource: string, ns: string, group: string) =>
      cluster.kubectl(['auth', 'can-i', verb, resource, '-n', ns, '--as=someone', `--as-group=${group}`]).trim() === 'yes';
    const canIQuiet = (...a: Parameters<typeof canI>) => {
      try {
        return canI(...a);
      } catch {
        return false;
      }
    };

    it(`a member of ${own.group} may claim a Cluster in ${own.namespace} and nowhere else (RBAC, by impersonation)`, () => {
      expect(canI('create', clusters, own.namespace, own.group)).toBe(true);
      expect(canIQuiet('create', clusters, other.namespace, own.group)).toBe(false);
      const xr = { ...orders, metadata: { ...orders.metadata, name: 'rbac-probe', namespace: own.namespace } };
      cluster.kubectl(['create', '--dry-run=server', '-f', '-', '--as=someone', `--as-group=${own.group}`], JSON.stringify(xr));
      expect(() =>
        cluster.kubectl(
          ['create', '--dry-run=server', '-f', '-', '--as=someone', `--as-group=${own.group}`],
          JSON.stringify({ ...xr, metadata: { ...xr.metadata, namespace: other.namespace } }),
        ),
      ).toThrow(/forbidden/);
    });

    it.skipIf(!landed.tenancy())(`a team may not use the lower-level APIs${landed.tenancy() ? '' : ` (${PENDING.tenancy})`}`, () => {
      for (const r of ['networks', 'eksclusters', 'databases'])
        expect(canIQuiet('create', `${r}.${PLATFORM.apiGroup}`, own.namespace, own.group), r).toBe(false);
    });

    it.skipIf(!landed.tenancy())(
      `a team cannot claim in an environment it may not use (admission)${landed.tenancy() ? '' : ` (${PENDING.tenancy})`}`,
      () => {
        const team = PLATFORM.teams.find((t: any) => t.environments && !t.environments.includes('prod')) as any;
        expect(team, 'a team that may not use prod').toBeDefined();
        const xr = {
          ...orders,
          metadata: { ...orders.metadata, name: 'env-probe', namespace: team.namespace },
          spec: { ...orders.spec, environment: 'prod' },
        };
        expect(() =>
          cluster.kubectl(['create', '--dry-run=server', '-f', '-', '--as=someone', `--as-group=${team.group}`], JSON.stringify(xr)),
        ).toThrow(/prod/);
      },
    );

    it.skipIf(!landed.tenancy())(
      `the same claim from another team's namespace shares nothing with the first in AWS or Argo CD${landed.tenancy() ? '' : ` (${PENDING.tenancy})`}`,
      async () => {
        const twin = { ...orders, metadata: { ...orders.metadata, namespace: other.namespace } };
        // Claimed by a member of the other team (impersonated), so RBAC and admission judge it as theirs.
        cluster.kubectl(['create', '-f', '-', '--as=someone', `--as-group=${other.group}`], JSON.stringify(twin));
        await cluster.waitFor(
          `Cluster ${other.namespace}/${orders.metadata.name} Ready`,
          () => isTrue(cluster.get(clusters, orders.metadata.name, other.namespace), 'Ready'),
          {
            timeoutMs: BOUNDS.clusterReadySeconds * 1000,
          },
        );
        const shared = cluster
          .awsInventory()
          .objects.filter((o) => new Set(o.managedBy.map((m: string) => m.split('/')[0])).size > 1)
          .map((o) => `${o.kind} ${o.id} managed by ${o.managedBy.join(', ')}`);
        expect(shared).toEqual([]);
        const secrets = [own.namespace, other.namespace].map(
          (ns) =>
            composedTree(cluster, cluster.get(clusters, orders.metadata.name, ns)).find((t) => t.object?.kind === 'Object')?.object.spec.forProvider
              .manifest.metadata.name,
        );
        expect(new Set(secrets).size).toBe(2);
      },
      pastBounds(BOUNDS.clusterReadySeconds * 1000),
    );
  });

  describe('5. upgrade', () => {
    it.skipIf(!landed.upgrades())(
      `a Cluster's Kubernetes version raised step by step: control plane first, then the node group; a skipped minor is refused${landed.upgrades() ? '' : ` (${PENDING.upgrades})`}`,
      async () => {
        const name = 'upgrade-walk';
        const [base] = clusterExamples.filter((e) => e.file === 'dev-minimal.yaml').map((e) => e.object);
        // The versions the claim's environment may run, oldest first: a STANDARD environment is
        // refused the versions in extended support only (issue 15's admission rule).
        const env = ENVIRONMENTS.find((e) => e.name === base.spec.environment);
        const ascending = env?.kubernetes.supportType === 'STANDARD' ? KUBERNETES.standard : KUBERNETES.offered;
        const xr = { ...base, metadata: { ...base.metadata, name }, spec: { ...base.spec, kubernetes: { version: ascending[0] } } };
        cluster.apply([xr]);
        await cluster.waitFor(`${name} Ready`, () => isTrue(cluster.get(clusters, name, xr.metadata.namespace), 'Ready'), {
          timeoutMs: BOUNDS.clusterReadySeconds * 1000,
        });
        if (ascending.length > 2) {
          expect(() => cluster.apply([{ ...xr, spec: { ...xr.spec, kubernetes: { version: ascending[2] } } }]), 'a skipped minor').toThrow(
            /upgrade one minor at a time/,
          );
        }
        for (const version of ascending.slice(1)) {
          cluster.apply([{ ...xr, spec: { ...xr.spec, kubernetes: { version } } }]);
          await cluster.waitFor(
            `the node group at ${version}`,
            () => {
              const versions = cluster
                .awsInventory()
                .objects.filter(
                  (o) =>
                    o.managedBy.some((m: string) => m.startsWith(`${xr.metadata.namespace}/${name}-`)) &&
                    ['eks.aws.m.upbound.io/Cluster', 'eks.aws.m.upbound.io/NodeGroup'].includes(o.kind),
                );
              // The managed add-ons follow, at the catalog's versions for the new minor
              // (compositions/eks/managed-addons.ts moves them once the control plane reports it).
              const addons = managedAddonsOf(name, xr.metadata.namespace);
              return (
                versions.length === 2 &&
                versions.every((o) => o.attributes?.version === version) &&
                addons.length === Object.keys(EKS_ADDON_FIELD).length &&
                addons.every((a) => a.version === a.expected(version))
              );
            },
            {
              timeoutMs: UPGRADE_STEP_MS,
              explain: () =>
                managedAddonsOf(name, xr.metadata.namespace)
                  .map((a) => `${a.name} ${a.version ?? 'no version'} (catalog for ${version}: ${a.expected(version)})`)
                  .join(', '),
            },
          );
          const events = cluster.awsInventory().events;
          expect(
            // The simulated AWS records each refused create or update as an event (aws_inventory.go `refused`).
            events.some(
              (e) =>
                /refused.*NodeGroup|Nodegroup Kubernetes version/.test(e) && e.includes(`${xr.metadata.namespace}/${name}-`) && e.includes(version),
            ),
            'the node group never ran ahead of the control plane',
          ).toBe(false);
        }
      },
      // Ready, then one step per version after the first (at most every offered version).
      pastBounds(BOUNDS.clusterReadySeconds * 1000, ...KUBERNETES.offered.slice(1).map(() => UPGRADE_STEP_MS)),
    );
  });

  describe('6. teardown', () => {
    const [dev] = clusterExamples.filter((e) => e.file === 'dev-minimal.yaml').map((e) => e.object);

    it(
      `deleting the ${dev.metadata.name} Cluster removes everything it composed within ${BOUNDS.teardownSeconds} s, and leaves in AWS only keys in their waiting period`,
      async () => {
        const live = cluster.get(clusters, dev.metadata.name, dev.metadata.namespace);
        const tree = composedTree(cluster, live).map((t) => t.object);
        const owners = new Set(tree.map((o) => `${o.metadata.namespace}/${o.metadata.name}`));
        const key = (o: any) => `${o.kind} ${o.account} ${o.region} ${o.id}`;
        const before = new Set(
          cluster
            .awsInventory()
            .objects.filter((o) => o.managedBy.some((m: string) => owners.has(m)))
            .map(key),
        );
        expect(before.size, 'the Cluster made AWS objects').toBeGreaterThan(20);
        skipDrain(dev);
        expect(deleteRefusal(dev), 'the first delete is refused, and starts the teardown').toContain('deletion accepted');
        const steps: string[] = [];
        await cluster.waitFor(
          `Cluster ${dev.metadata.name} and everything it composed gone`,
          () => {
            const step = cluster.get(clusters, dev.metadata.name, dev.metadata.namespace)?.status?.teardown?.step;
            if (step && steps.at(-1) !== step) steps.push(step);
            const left = composedTree(cluster, { ...live, metadata: live.metadata }).filter((t) => t.object);
            return !cluster.get(clusters, dev.metadata.name, dev.metadata.namespace) && left.length === 0;
          },
          {
            timeoutMs: BOUNDS.teardownSeconds * 1000,
            explain: () =>
              cluster
                .awsInventory()
                .events.filter((e) => e.includes('refused'))
                .slice(-8)
                .join(' | '),
          },
        );
        // A KMS key waits out its deletion period in AWS: that is AWS's own safety, not something
        // left behind. Anything else the Cluster made and AWS still has is.
        const left = cluster
          .awsInventory()
          .objects.filter((o) => before.has(key(o)) && !(o.kind === 'kms.aws.m.upbound.io/Key' && o.state === 'pending-deletion'));
        expect(left.map((o) => `${o.kind} ${o.id}: ${o.keptBecause ?? 'no reason'}`)).toEqual([]);
        // The steps seen (polled, so a quick one may be missed) never go back: "1/6 argocd" ... "6/6 network".
        const order = steps.map((st) => Number(/^(\d)\/6/.exec(st)?.[1] ?? Number.NaN));
        expect(order.length, `steps seen: ${steps.join(', ')}`).toBeGreaterThan(0);
        expect(order, `steps seen: ${steps.join(', ')}`).toEqual([...order].sort((a, b) => a - b));
        const registration = tree.find((o) => o.kind === 'Object')?.spec.forProvider.manifest.metadata;
        expect(cluster.get('secret', registration.name, registration.namespace), 'the registration Secret goes too').toBeUndefined();
      },
      pastBounds(BOUNDS.teardownSeconds * 1000),
    );

    it.skipIf(!landed.teardown())(
      `a protected database holds its Cluster's teardown until protection is turned off with a reason; then its final snapshot and KMS key outlive the Cluster${landed.teardown() ? '' : ` (${PENDING.teardown})`}`,
      async () => {
        const [prod] = clusterExamples.filter((e) => e.object.spec.environment === 'prod' && e.object.spec.database?.enabled).map((e) => e.object);
        const { name, namespace } = prod.metadata;
        const rds = () =>
          cluster
            .awsInventory()
            .objects.filter((o) => o.kind === 'rds.aws.m.upbound.io/Cluster' && o.managedBy.some((m: string) => m.startsWith(`${namespace}/`)));
        expect(rds().length, 'the database exists in AWS').toBe(1);
        skipDrain(prod);
        expect(deleteRefusal(prod), 'the first delete is refused, and starts the teardown').toContain('deletion accepted');
        await cluster.waitFor('the teardown held', () => cluster.get(clusters, name, namespace)?.status?.teardown?.step === 'held', {
          timeoutMs: BOUNDS.teardownSeconds * 1000,
        });
        await new Promise((r) => setTimeout(r, HELD_CHECK_MS));
        expect(cluster.get(clusters, name, namespace)?.status?.teardown?.step, 'still held').toBe('held');
        expect(rds().length, 'nothing deleted while held').toBe(1);
        cluster.kubectl([
          'patch',
          clusters,
          name,
          '-n',
          namespace,
          '--type=merge',
          '-p',
          JSON.stringify({ spec: { database: { deletionProtection: false, unprotectedReason: 'the storefront is retired (e2e)' } } }),
        ]);
        await cluster.waitFor(`Cluster ${name} gone`, () => !cluster.get(clusters, name, namespace), {
          timeoutMs: BOUNDS.teardownSeconds * 1000,
          explain: () => JSON.stringify(cluster.get(clusters, name, namespace)?.status?.teardown ?? {}),
        });
        const inventory = cluster.awsInventory().objects;
        const kept = inventory.filter((o) => o.kind === 'rds.aws.m.upbound.io/ClusterSnapshot' && o.region === prod.spec.region);
        expect(kept.length, 'the final snapshot is kept').toBeGreaterThan(0);
        expect(rds(), 'the database itself is gone').toEqual([]);
        const keys = kept
          .flatMap((o) => o.relations?.filter((r: any) => r.how === 'encrypted') ?? [])
          .map((r: any) => inventory.find((k) => k.arn === r.id || k.id === r.id));
        expect(keys.length, 'the snapshot is encrypted').toBeGreaterThan(0);
        expect(
          keys.filter((k) => k?.state !== 'available').map((k) => k?.id ?? 'missing key'),
          'every key that encrypts kept data is usable',
        ).toEqual([]);
      },
      // Held, watched staying held, then gone.
      pastBounds(BOUNDS.teardownSeconds * 1000, HELD_CHECK_MS, BOUNDS.teardownSeconds * 1000),
    );
  });

  /** The EKS managed add-ons of a Cluster in the simulated AWS, with the version the catalog gives each for a Kubernetes minor. */
  function managedAddonsOf(name: string, namespace: string) {
    return cluster
      .awsInventory()
      .objects.filter((o) => o.kind === 'eks.aws.m.upbound.io/Addon' && o.managedBy.some((m: string) => m.startsWith(`${namespace}/${name}-`)))
      .map((o) => {
        const addon = o.parameters?.addonName as keyof typeof EKS_ADDON_FIELD;
        return {
          name: addon,
          version: o.parameters?.addonVersion as string | undefined,
          expected: (k8s: string) =>
            EKS_ADDON_FIELD[addon] ? managedAddonsFor(k8s)[EKS_ADDON_FIELD[addon]] : `an add-on the catalog does not know (${addon})`,
        };
      });
  }

  /**
   * No workload cluster runs under the simulated AWS (its kubeconfig points nowhere), so the
   * drain and DNS Jobs could never run: the README's way for an unreachable cluster.
   */
  function skipDrain(xr: any): void {
    const reason = 'no workload cluster runs under the simulated AWS';
    cluster.kubectl([
      'patch',
      clusters,
      xr.metadata.name,
      '-n',
      xr.metadata.namespace,
      '--type=merge',
      '-p',
      JSON.stringify({ spec: { teardown: { skipDrainReason: reason } } }),
    ]);
  }

  /** `kubectl delete` of a Cluster: the API server's refusal (the teardown's gate Usage), or '' when it was deleted outright. */
  function deleteRefusal(xr: any): string {
    try {
      cluster.kubectl(['delete', clusters, xr.metadata.name, '-n', xr.metadata.namespace, '--wait=false']);
      return '';
    } catch (e: any) {
      return e.message;
    }
  }

  /** A panic in Argo CD's cluster cache (seen when the API server is slow to serve OpenAPI) stops every sync. */
  function argocdPanics(c: ControlCluster): string {
    const log = c.state.components.find((x) => x.name === 'argocd-application-controller')?.log;
    const panics = log
      ? fs
          .readFileSync(log, 'utf8')
          .split('\n')
          .filter((l) => l.includes('Observed a panic'))
      : [];
    return panics.length ? `(the application controller logged ${panics.length} panic(s), the first: ${panics[0].slice(0, 300)})` : '';
  }

  /** Composed resources not Ready, with their Synced message: why a Cluster waits. */
  function notReady(c: ControlCluster, xr: any): string[] {
    const live = c.get(clusters, xr.metadata.name, xr.metadata.namespace);
    if (!live) return ['the Cluster does not exist'];
    return composedTree(c, live)
      .filter((t) => !t.object || (t.object.kind !== 'Usage' && !isTrue(t.object, 'Ready')))
      .map(
        (t) =>
          `${t.ref}: ${t.object?.status?.conditions?.find((x: any) => x.type === 'Synced' && x.status !== 'True')?.message ?? (t.object ? 'not Ready' : 'missing')}`,
      );
  }
});
