// The Cluster API end to end with the real renderer: the parts appear in order as each reports
// what the next needs, the Argo CD registration appears only once EKS reports its endpoint and
// CA, deletion is ordered by Usages, and each child XR renders through its own composition into
// resources its CRDs accept.
// Over 300 lines on purpose: every test reads what one crank setup renders (slow to start), so
// they share one describe rather than a file each.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDONS } from '../compositions/cluster';
import { ENVIRONMENTS } from '../environments';
import { repoRoot } from '../lib/paths';
import { type ObservedFixture, readObservedFixture } from '../lib/render';
import { examples, observedFor, renderSetup, uniqueNameOf } from './support';

const DIR = 'compositions/cluster/examples';
const setup = renderSetup();
const example = (file: string) => examples(DIR).find((e) => e.file === file)!.object;
const everything = () =>
  readObservedFixture(path.join(repoRoot, DIR, 'observed', 'default.yaml')) as ObservedFixture & { status: Record<string, any> };
const networkOnly = (): ObservedFixture => ({ ready: true, status: { network: everything().status!.network } });
/** The example's observed fixture, with one subnet per zone the example asks for. */
function fitted(xr: any): ObservedFixture {
  const fixture = observedFor('Cluster', examples(DIR).find((e) => e.object.metadata.name === xr.metadata.name)!.file) as ObservedFixture & {
    status: Record<string, any>;
  };
  const zones = (xr.spec.network?.availabilityZones ?? ['a', 'b', 'c']).length;
  const ids = fixture.status.network.subnetIds;
  const subnetIds = Object.fromEntries(Object.entries(ids).map(([tier, list]) => [tier, (list as string[]).slice(0, zones)]));
  const availabilityZoneLetters = fixture.status.network.availabilityZoneLetters.slice(0, zones);
  return { ...fixture, status: { ...fixture.status, network: { ...fixture.status.network, subnetIds, availabilityZoneLetters } } };
}
const env = (name: string) => ENVIRONMENTS.find((e) => e.name === name)!;
const ready = (xr: any) => xr.status?.conditions?.find((c: any) => c.type === 'Ready')?.status;

describe.skipIf(!setup.ready)('Cluster rendered by crank with the real functions', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  it('starts with the network alone: the cluster waits for its subnets, the registration for the cluster', () => {
    const out = setup.render(example('dev-minimal.yaml'));
    expect(out.composed.map((o) => o.metadata.annotations['crossplane.io/composition-resource-name']).sort()).toEqual([
      'deletion-gate',
      'network',
      'usage-eks-by-registration',
      'usage-network-by-eks',
    ]);
    expect(uniqueNameOf(example('dev-minimal.yaml'))).toMatch(/^orders-[0-9a-f]{8}$/);
    expect(out.byName('network').spec).toMatchObject({
      region: 'eu-west-1',
      clusterName: uniqueNameOf(example('dev-minimal.yaml')),
      nat: env('dev').network.nat,
      providerConfigName: 'dev',
    });
    expect(ready(out.xr)).toBe('False');
  });

  it('creates the EKS cluster in the private subnets once the network reports them, with the environment defaults', () => {
    const out = setup.render(example('dev-minimal.yaml'), networkOnly());
    const eks = out.byName('eks').spec;
    const dev = env('dev');
    expect(eks.subnetIds).toEqual(everything().status!.network.subnetIds.private);
    expect(eks).toMatchObject({
      accountId: dev.aws.accountId,
      version: dev.kubernetes.version,
      clusterName: uniqueNameOf(example('dev-minimal.yaml')),
      endpoint: { public: true, publicAccessCidrs: dev.kubernetes.publicAccessCidrs },
      access: { adminRoleArns: dev.kubernetes.adminRoleArns, argoCdRoleArn: dev.kubernetes.argoCdRoleArn },
      systemNodes: { instanceTypes: dev.kubernetes.systemNodes.instanceTypes, architecture: dev.kubernetes.systemNodes.architecture },
    });
    expect(out.byName('registration')).toBeUndefined();
    expect(out.byName('database')).toBeUndefined();
  });

  it('registers the cluster in Argo CD once EKS reports it: gitops-bridge labels and annotations, IAM auth and the CA', () => {
    const out = setup.render(example('staging-with-database.yaml'), everything());
    const observed = everything().status!;
    const secret = out.byName('registration').spec.forProvider.manifest;
    expect(out.byName('registration').spec.providerConfigRef).toEqual({ kind: 'ClusterProviderConfig', name: 'control-cluster' });
    expect(secret.metadata).toMatchObject({ name: observed.eks.clusterName, namespace: 'argocd' });
    expect(secret.metadata.labels).toEqual({
      'argocd.argoproj.io/secret-type': 'cluster',
      environment: 'staging',
      ...Object.fromEntries(Object.values(ADDONS).map((a) => [a.label, 'false'])),
      enable_karpenter: 'true',
      enable_external_dns: 'true',
      enable_cert_manager: 'true',
      enable_aws_load_balancer_controller: 'true',
      eks_compute_mode: 'Managed',
    });
    const staging = env('staging');
    expect(secret.metadata.annotations).toEqual({
      aws_cluster_name: observed.eks.clusterName,
      aws_region: 'eu-central-1',
      aws_account_id: env('staging').aws.accountId,
      aws_vpc_id: observed.network.vpcId,
      karpenter_iam_role_arn: observed.eks.karpenter.roleArn,
      karpenter_sqs_queue_name: observed.eks.karpenter.queueName,
      karpenter_node_iam_role_name: observed.eks.nodeRoleName,
      external_dns_iam_role_arn: observed.eks.roles.externalDns,
      cert_manager_iam_role_arn: observed.eks.roles.certManager,
      external_secrets_iam_role_arn: observed.eks.roles.externalSecrets,
      aws_load_balancer_controller_iam_role_arn: observed.eks.roles.awsLoadBalancerController,
      external_dns_domain_filters: 'payments.staging.example.com,api.staging.example.com',
      external_dns_zone_id_filters: 'Z0123456789ABCDEFGHIJ',
      external_dns_policy: staging.externalDns.policy,
      cert_manager_hosted_zone_ids: 'Z0123456789ABCDEFGHIJ',
      cert_manager_email: staging.certManager.email,
      external_secrets_prefixes: staging.externalSecrets.prefixes.join(','),
      karpenter_ami_family: 'AL2023',
      karpenter_instance_families: staging.karpenter.instanceFamilies.join(','),
      karpenter_capacity_types: staging.karpenter.capacityTypes.join(','),
      karpenter_cpu_limit: String(staging.karpenter.cpuLimit),
      karpenter_memory_limit_gi: String(staging.karpenter.memoryLimitGi),
      karpenter_replicas: String(staging.karpenter.replicas),
    });
    expect(secret.stringData.project).toBe('addons-staging');
    expect(secret.stringData.server).toBe(observed.eks.endpoint);
    expect(JSON.parse(secret.stringData.config)).toEqual({
      awsAuthConfig: { clusterName: observed.eks.clusterName, roleARN: env('staging').kubernetes.argoCdRoleArn },
      tlsClientConfig: { insecure: false, caData: observed.eks.caData },
    });
  });

  it('puts the database in the data subnets, open to the cluster only, sized and protected by the environment', () => {
    const out = setup.render(example('staging-with-database.yaml'), everything());
    const observed = everything().status!;
    const staging = env('staging').database;
    expect(out.byName('database').spec).toMatchObject({
      // The EKSCluster reports a name already (the fixture's): every child keeps it.
      identifier: observed.eks.clusterName,
      network: { vpcId: observed.network.vpcId, subnetIds: observed.network.subnetIds.data },
      allowedFrom: { securityGroupId: observed.eks.clusterSecurityGroupId },
      capacity: { minAcu: staging.minAcu, maxAcu: staging.maxAcu },
      readers: staging.readers,
      deletionProtection: true,
      finalSnapshot: true,
      databaseName: 'payments',
    });
    expect(out.xr.status.database).toEqual({
      endpoint: observed.database.endpoint,
      connectionSecret: `${out.byName('database').metadata.name}-connection`,
      kmsKeyArn: observed.database.kmsKeyArn,
    });
  });

  it("connects the developer's applications to the database: identities on its EKS cluster, the master secret readable by External Secrets", () => {
    // GIVEN a Cluster whose database names two applications, with External Secrets on
    const base = example('staging-with-database.yaml');
    const access = [
      { namespace: 'payments', serviceAccount: 'api', user: 'payments_api' },
      { namespace: 'payments', serviceAccount: 'ledger', user: 'payments_ledger' },
    ];
    const xr = {
      ...base,
      spec: { ...base.spec, database: { ...base.spec.database, access }, addons: { ...base.spec.addons, externalSecrets: true } },
    };
    // WHEN the database reports its master secret and key
    const all = everything();
    const secretArn = 'arn:aws:secretsmanager:eu-central-1:444455556666:secret:rds!cluster-11111111-AbCdEf';
    const kmsKeyArn = 'arn:aws:kms:eu-central-1:444455556666:key/22222222-3333-4444-5555-666666666666';
    const out = setup.render(xr, { ...all, status: { ...all.status, database: { ...all.status.database, masterSecretArn: secretArn, kmsKeyArn } } });
    // THEN the database gives each application its identity on this Cluster's EKS cluster, in its account
    expect(out.byName('database').spec.access).toEqual({
      clusterName: out.byName('eks').spec.clusterName,
      accountId: env('staging').aws.accountId,
      applications: access,
    });
    // AND External Secrets on the cluster may read the master secret with its key
    expect(out.byName('eks').spec.externalSecrets).toMatchObject({ enabled: true, database: { secretArn, kmsKeyArn } });
    // AND without the key known, neither is passed (the EKS API takes both or none)
    const { kmsKeyArn: _unknown, ...withoutKey } = all.status.database;
    const half = setup.render(xr, { ...all, status: { ...all.status, database: { ...withoutKey, masterSecretArn: secretArn } } });
    expect(half.byName('eks').spec.externalSecrets.database).toBeUndefined();
  });

  it('places the database instances in the zones AWS placed the subnets in, however the zones were named', () => {
    // GIVEN zones named by ID (use1-az1, use1-az2), which this account calls us-east-1c and us-east-1a
    const full = example('prod-full.yaml');
    const xr = { ...full, spec: { ...full.spec, network: { ...full.spec.network, availabilityZones: ['use1-az1', 'use1-az2'] } } };
    const fixture = readObservedFixture(path.join(repoRoot, DIR, 'observed', 'prod-full.yaml')) as ObservedFixture & { status: Record<string, any> };
    const out = setup.render(xr, fixture);
    // THEN the network is asked for the IDs, and the database for the letters of the zones it got
    expect(out.byName('network').spec.availabilityZones).toEqual(['use1-az1', 'use1-az2']);
    expect(out.byName('database').spec.network).toMatchObject({ availabilityZones: ['c', 'a'], subnetIds: fixture.status.network.subnetIds.data });
    // AND while a zone's name is unknown the database waits
    const partial = {
      ...fixture,
      status: { ...fixture.status, network: { ...fixture.status.network, availabilityZoneLetters: ['c', null] } },
    };
    expect(setup.render(xr, partial).byName('database')).toBeUndefined();
  });

  it('puts the database in the private subnets when the layout has no data tier, once all are known', () => {
    const xr = example('two-tier-with-database.yaml');
    const fixture = readObservedFixture(path.join(repoRoot, DIR, 'observed', 'two-tier-with-database.yaml')) as ObservedFixture & {
      status: Record<string, any>;
    };
    const out = setup.render(xr, fixture);
    expect(out.byName('database').spec.network.subnetIds).toEqual(fixture.status.network.subnetIds.private);
    // While a zone's subnet is not yet reported, the database waits (and the Cluster is not Ready).
    const partial = {
      ...fixture,
      status: {
        ...fixture.status,
        network: {
          ...fixture.status.network,
          subnetIds: { ...fixture.status.network.subnetIds, private: [fixture.status.network.subnetIds.private[0], null] },
        },
      },
    };
    const waiting = setup.render(xr, partial);
    expect(waiting.byName('database')).toBeUndefined();
  });

  it('waits for every data subnet before composing the database', () => {
    const all = everything();
    const partial = {
      ...all,
      status: {
        ...all.status,
        network: { ...all.status.network, subnetIds: { ...all.status.network.subnetIds, data: [all.status.network.subnetIds.data[0], null, null] } },
      },
    };
    expect(setup.render(example('staging-with-database.yaml'), partial).byName('database')).toBeUndefined();
    expect(setup.render(example('staging-with-database.yaml'), all).byName('database').spec.network.subnetIds).toEqual(
      all.status.network.subnetIds.data,
    );
  });

  it('keeps a composed database while a zone added to the layout has no subnets yet, since Crossplane deletes what is no longer desired', () => {
    // GIVEN a database composed in two zones
    const twoZones = structuredClone(example('staging-with-database.yaml'));
    twoZones.spec.network.availabilityZones = ['a', 'b'];
    const before = setup.render(twoZones, fitted(twoZones));
    expect(before.byName('database')).toBeDefined();
    // WHEN the developer adds a third zone, before the Network reports its subnets
    const threeZones = structuredClone(twoZones);
    threeZones.spec.network.availabilityZones = ['a', 'b', 'c'];
    const after = setup.render(threeZones, fitted(twoZones), before);
    // THEN the database is still desired (and a new Cluster would still wait for every subnet)
    expect(after.byName('database')).toBeDefined();
    expect(setup.render(threeZones, fitted(twoZones)).byName('database')).toBeUndefined();
  });

  it('orders deletion where the teardown steps are bypassed: registration and database before the cluster, the cluster before the network', () => {
    const out = setup.render(example('staging-with-database.yaml'), everything());
    const between = out.ofKind('Usage').filter((u) => u.spec.by);
    expect(between.map((u) => `${u.spec.of.kind} used by ${u.spec.by.kind}`).sort()).toEqual([
      'EKSCluster used by Database',
      'EKSCluster used by Object',
      'Network used by Database',
      'Network used by EKSCluster',
    ]);
    for (const u of between)
      expect(u.spec).toMatchObject({
        replayDeletion: true,
        of: { resourceSelector: { matchControllerRef: true } },
        by: { resourceSelector: { matchControllerRef: true } },
      });
    const noDatabase = setup.render(example('dev-minimal.yaml'), everything());
    expect(noDatabase.ofKind('Usage').filter((u) => u.spec.by)).toHaveLength(2);
    expect(noDatabase.byName('database')).toBeUndefined();
  });

  it('refuses a delete with the way to follow the teardown, by a Usage of the Cluster itself that replays it at the end', () => {
    const out = setup.render(example('staging-with-database.yaml'), everything());
    expect(out.byName('deletion-gate').spec).toEqual({
      of: { apiVersion: 'platform.drydock.dev/v1alpha1', kind: 'Cluster', resourceRef: { name: 'payments' } },
      reason:
        'deletion accepted: the Cluster deletes its parts in order (argocd, drain, dns, database, eks, network), then itself; follow it with kubectl get cluster payments -n payments (TEARDOWN)',
      replayDeletion: true,
    });
    // Nothing of the teardown exists before a delete is tried.
    for (const name of ['drain', 'dns-cleanup', 'teardown-held', 'watch-registration', 'watch-database', 'watch-eks', 'watch-network'])
      expect(out.byName(name), name).toBeUndefined();
    expect(out.xr.status.teardown?.step).toBeUndefined();
    expect(out.xr.status.teardown?.waitingFor).toBeUndefined();
  });

  it('enables an add-on with an identity in Argo CD only once EKS reports its Pod Identity association', () => {
    const all = everything();
    const { externalDns: _, ...others } = all.status!.eks.podIdentity;
    const before = setup.render(example('staging-with-database.yaml'), {
      ...all,
      status: { ...all.status, eks: { ...all.status!.eks, podIdentity: others } },
    });
    const labels = (o: any) => o.byName('registration').spec.forProvider.manifest.metadata.labels;
    expect(labels(before)).toMatchObject({ enable_external_dns: 'false', enable_cert_manager: 'true', enable_karpenter: 'true' });
    expect(labels(setup.render(example('staging-with-database.yaml'), all))).toMatchObject({ enable_external_dns: 'true' });
  });

  it('tells a developer what is ready: endpoint, kubeconfig Secret, each part', () => {
    const out = setup.render(example('staging-with-database.yaml'), everything());
    expect(ready(out.xr)).toBe('True');
    expect(out.xr.status).toMatchObject({ endpoint: everything().status!.eks.endpoint, kubeconfigSecret: everything().status!.eks.kubeconfigSecret });
    for (const part of ['network', 'cluster', 'database', 'registration'])
      expect(out.xr.status.parts[part].conditions, part).toContainEqual(expect.objectContaining({ type: 'Ready' }));
  });

  it.each(examples(DIR).map((e) => [e.file, e.object]))(
    '%s: every child XR renders through its own composition into resources their CRDs accept',
    (_file, xr: any) => {
      // GIVEN the Cluster once its parts report, WHEN each child XR it composes is rendered in turn
      const cluster = setup.render(xr, fitted(xr));
      const children = cluster.composed.filter((o) => ['Network', 'EKSCluster', 'Database'].includes(o.kind));
      expect(children.length).toBe(xr.spec.database?.enabled ? 3 : 2);
      let total = cluster.composed.length;
      for (const child of children) {
        const named = { ...child, metadata: { ...child.metadata, name: `${xr.metadata.name}-${child.kind.toLowerCase()}` } };
        const out = setup.render(named, { ready: true });
        // THEN every resource is accepted, and the child is a valid XR of its API
        const v = setup.renderer.validate([named, ...out.composed]);
        expect(v.ok, v.output).toBe(true);
        total += out.composed.length;
      }
      expect(total).toBeGreaterThan(40);
    },
  );
});

if (!setup.ready) {
  describe('Cluster render tests', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}
