// What the plan judges destructive, and how it reads a side from git, without the renderer.
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../lib/paths';
import {
  diffResources,
  fieldChanges,
  forcesNew,
  gitSource,
  leaves,
  namesResource,
  protectsData,
  readSide,
  resolveCommit,
  statefulKind,
} from '../lib/plan';

const mr = (apiVersion: string, kind: string, forProvider: Record<string, unknown>, annotations: Record<string, string> = {}) => ({
  apiVersion,
  kind,
  metadata: { annotations: { 'crossplane.io/composition-resource-name': 'x', ...annotations } },
  spec: { forProvider },
});
const notXr = () => false;

describe('what names a resource in AWS', () => {
  it.each([
    'metadata.annotations[crossplane.io/external-name]',
    'spec.forProvider.name',
    'spec.forProvider.namePrefix',
    'spec.forProvider.clusterIdentifier',
    'spec.forProvider.dbSubnetGroupName',
    'spec.forProvider.launchTemplate.name',
    'spec.initProvider.roleName',
  ])('%s does', (path) => expect(namesResource(path)).toBe(true));
  it.each([
    'spec.forProvider.tags.Name',
    'spec.forProvider.roleRef.name',
    'spec.forProvider.kmsKeyIdSelector.matchLabels.name',
    'spec.providerConfigRef.name',
    'spec.forProvider.description',
    'spec.clusterName',
    'metadata.name',
  ])('%s does not', (path) => expect(namesResource(path)).toBe(false));
});

describe('what protects data', () => {
  it.each([
    'spec.forProvider.deletionProtection',
    'spec.forProvider.skipFinalSnapshot',
    'spec.forProvider.finalSnapshotIdentifier',
    'spec.deletionProtection',
    'spec.finalSnapshot',
    'spec.managementPolicies',
  ])('%s does', (path) => expect(protectsData(path)).toBe(true));
  it.each(['spec.forProvider.backupRetentionPeriod', 'spec.forProvider.storageEncrypted'])('%s does not', (path) =>
    expect(protectsData(path)).toBe(false),
  );
});

describe('stateful kinds', () => {
  it('are the data, keys, addresses and identities of the issue, in both API groups of provider-upjet-aws', () => {
    expect(statefulKind({ apiVersion: 'rds.aws.m.upbound.io/v1beta1', kind: 'Cluster' })).toMatch(/^RDS cluster/);
    expect(statefulKind({ apiVersion: 'rds.aws.upbound.io/v1beta2', kind: 'Cluster' })).toMatch(/^RDS cluster/);
    expect(statefulKind({ apiVersion: 'rds.aws.m.upbound.io/v1beta1', kind: 'ClusterInstance' })).toMatch(/^RDS instance/);
    expect(statefulKind({ apiVersion: 'eks.aws.m.upbound.io/v1beta1', kind: 'Cluster' })).toMatch(/^EKS cluster/);
    expect(statefulKind({ apiVersion: 'eks.aws.m.upbound.io/v1beta1', kind: 'NodeGroup' })).toMatch(/^node group/);
    for (const kind of ['VPC', 'Subnet']) expect(statefulKind({ apiVersion: 'ec2.aws.m.upbound.io/v1beta1', kind })).toBeDefined();
    expect(statefulKind({ apiVersion: 'kms.aws.m.upbound.io/v1beta1', kind: 'Key' })).toMatch(/^KMS key/);
    expect(statefulKind({ apiVersion: 'iam.aws.m.upbound.io/v1beta1', kind: 'Role' })).toMatch(/^IAM role/);
    expect(statefulKind({ apiVersion: 'ec2.aws.m.upbound.io/v1beta1', kind: 'Route' })).toBeUndefined();
    expect(statefulKind({ apiVersion: 'iam.aws.m.upbound.io/v1beta1', kind: 'RolePolicy' })).toBeUndefined();
    expect(statefulKind({ apiVersion: 'platform.drydock.dev/v1alpha1', kind: 'Cluster' })).toBeUndefined();
  });
});

describe('what AWS cannot change in place (Terraform ForceNew, refused by upjet)', () => {
  it.each([
    ['ec2.aws.m.upbound.io/v1beta1', 'Subnet', 'spec.forProvider.cidrBlock'],
    ['ec2.aws.m.upbound.io/v1beta1', 'Subnet', 'spec.forProvider.availabilityZone'],
    ['ec2.aws.upbound.io/v1beta1', 'VPC', 'spec.forProvider.cidrBlock'],
    ['rds.aws.m.upbound.io/v1beta1', 'Cluster', 'spec.forProvider.storageEncrypted'],
    ['rds.aws.m.upbound.io/v1beta1', 'Cluster', 'spec.initProvider.masterUsername'],
    ['eks.aws.m.upbound.io/v1beta1', 'Cluster', 'spec.forProvider.kubernetesNetworkConfig[0].serviceIpv4Cidr'],
    ['eks.aws.m.upbound.io/v1beta1', 'NodeGroup', 'spec.forProvider.instanceTypes'],
    ['kms.aws.m.upbound.io/v1beta1', 'Key', 'spec.forProvider.keyUsage'],
  ])('%s %s %s', (apiVersion, kind, path) => expect(forcesNew({ apiVersion, kind }, path)).toBe(true));
  it.each([
    ['ec2.aws.m.upbound.io/v1beta1', 'Subnet', 'spec.forProvider.mapPublicIpOnLaunch'],
    ['ec2.aws.m.upbound.io/v1beta1', 'RouteTable', 'spec.forProvider.vpcId'],
    ['eks.aws.m.upbound.io/v1beta1', 'NodeGroup', 'spec.forProvider.scalingConfig[0].desiredSize'],
    ['ec2.aws.m.upbound.io/v1beta1', 'Subnet', 'status.atProvider.cidrBlock'],
  ])('not %s %s %s', (apiVersion, kind, path) => expect(forcesNew({ apiVersion, kind }, path)).toBe(false));

  it('flags a subnet moved to another CIDR or zone, not one whose tags change', () => {
    const subnet = (cidrBlock: string, availabilityZone: string, tier: string) =>
      mr('ec2.aws.m.upbound.io/v1beta1', 'Subnet', { cidrBlock, availabilityZone, tags: { tier } });
    const [moved] = diffResources(
      new Map([['network/subnet-a', subnet('10.0.0.0/20', 'eu-west-1a', 'private')]]),
      new Map([['network/subnet-a', subnet('10.0.16.0/20', 'eu-west-1b', 'private')]]),
      notXr,
    );
    expect(moved.destructive).toEqual([
      expect.stringMatching(/^spec\.forProvider\.availabilityZone cannot change in place in AWS: upjet refuses the update/),
      expect.stringMatching(/^spec\.forProvider\.cidrBlock cannot change in place in AWS/),
    ]);
    const [tagged] = diffResources(
      new Map([['network/subnet-a', subnet('10.0.0.0/20', 'eu-west-1a', 'private')]]),
      new Map([['network/subnet-a', subnet('10.0.0.0/20', 'eu-west-1a', 'data')]]),
      notXr,
    );
    expect(tagged.fields.map((f) => f.path)).toEqual(['spec.forProvider.tags.tier']);
    expect(tagged.destructive).toEqual([]);
  });
});

describe('resource diffs', () => {
  it('reads a JSON document in a string field by field, and a list of plain values as one field', () => {
    const policy = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
    expect(
      fieldChanges({ spec: { policy: policy('s3:GetObject'), zones: ['a', 'b'] } }, { spec: { policy: policy('s3:*'), zones: ['a', 'b', 'c'] } }),
    ).toEqual([
      { path: 'spec.policy(json).Statement[0].Action', before: 's3:GetObject', after: 's3:*' },
      { path: 'spec.zones', before: ['a', 'b'], after: ['a', 'b', 'c'] },
    ]);
    expect([...leaves({ metadata: { annotations: { 'crossplane.io/external-name': 'x' } } }).keys()]).toEqual([
      'metadata.annotations[crossplane.io/external-name]',
    ]);
  });

  it('calls a stateful resource that disappears beside a new one of its type a rename, and flags it', () => {
    const role = (name: string) => mr('iam.aws.m.upbound.io/v1beta1', 'Role', { assumeRolePolicy: '{}' }, { 'crossplane.io/external-name': name });
    const changes = diffResources(new Map([['eks/role-nodes', role('a-nodes')]]), new Map([['eks/role-node', role('a-nodes')]]), notXr);
    expect(changes.map((c) => [c.path, c.action, c.destructive])).toEqual([
      ['eks/role-node', 'added', []],
      ['eks/role-nodes', 'removed', [expect.stringContaining('renamed to "eks/role-node" in the composition: Crossplane deletes this one in AWS')]],
    ]);
  });

  it('flags weaker data protection but not a resize, and no AWS names on the platform own XRs', () => {
    const db = (deletionProtection: boolean, maxCapacity: number) =>
      mr('rds.aws.m.upbound.io/v1beta1', 'Cluster', { deletionProtection, serverlessv2ScalingConfiguration: [{ maxCapacity }] });
    const [protection] = diffResources(new Map([['database/cluster', db(true, 8)]]), new Map([['database/cluster', db(false, 16)]]), notXr);
    expect(protection.fields.map((f) => f.path)).toEqual([
      'spec.forProvider.deletionProtection',
      'spec.forProvider.serverlessv2ScalingConfiguration[0].maxCapacity',
    ]);
    expect(protection.destructive).toEqual(['spec.forProvider.deletionProtection protects data from deletion: true -> false']);
    const xr = (clusterName: string) => ({
      apiVersion: 'platform.drydock.dev/v1alpha1',
      kind: 'EKSCluster',
      spec: { forProvider: { name: clusterName } },
    });
    const [child] = diffResources(new Map([['eks', xr('a')]]), new Map([['eks', xr('b')]]), () => true);
    expect(child.destructive).toEqual([]);
  });
});

describe('a side read from git', () => {
  it('has the committed dist/ objects, the platform-owned XRs named by their claims/ file, every example and each API fixture', () => {
    const head = resolveCommit(repoRoot, 'HEAD');
    const side = readSide({ label: 'HEAD', dist: gitSource(repoRoot, head, 'HEAD'), distPrefix: 'dist/', repo: gitSource(repoRoot, head, 'HEAD') });
    const kinds = side.objects.filter((o) => o.kind === 'CompositeResourceDefinition').map((o) => o.spec.names.kind);
    expect(kinds.length).toBeGreaterThanOrEqual(4);
    expect(side.objects.some((o) => o.kind === 'ApplicationSet')).toBe(true);
    expect(side.objects.some((o) => o.kind === 'Function')).toBe(true);
    const claim = side.xrs.find((x) => x.key === 'Cluster platform/platform-sandbox');
    expect(claim?.source).toBe('claims/dev/platform-sandbox.yaml');
    expect(side.xrs.some((x) => x.key.startsWith('compositions/') && x.key.includes('#EKSCluster '))).toBe(true);
    for (const kind of kinds) expect(side.fixtures.has(kind), `a fixture for ${kind}`).toBe(true);
    expect(() => resolveCommit(repoRoot, 'no-such-ref')).toThrow('base "no-such-ref" is not a commit here: give a branch, tag or commit');
  });
});
