// What the real renderer makes of the EKS examples, once AWS reports them: the control plane,
// system nodes, add-ons, access, and every IAM document as AWS would receive it.
// (test/render.test.ts validates every rendered resource against its CRD.)
// Over 300 lines on purpose: every test reads what one crank setup renders (slow to start), so
// they share one describe rather than a file each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EKS_VERSIONS, managedAddonsFor } from '../catalog';
import { eksApi, eksComposition, LOG_TYPES } from '../compositions/eks';
import type { RenderedXr } from '../lib/render';
import { expectedPodIdentityTrust } from './expected-iam';
import { examples, observedFor, renderSetup } from './support';

const DIR = 'compositions/eks/examples';
const setup = renderSetup({ functions: eksComposition(eksApi()).functions() });
const example = (file: string) => examples(DIR).find((e) => e.file === file)!.object;
const observed = (file: string): RenderedXr => setup.render(example(file), observedFor('EKSCluster', file));
const doc = (o: any, field = 'policy') => JSON.parse(o.spec.forProvider[field]);
const statements = (d: any) => d.Statement as any[];
const resources = (s: any): string[] => (s.Resource === undefined ? [] : [s.Resource].flat());

describe.skipIf(!setup.ready)('EKSCluster rendered by crank with the real functions', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  it('encrypts secrets with its own rotating key, logs everything, and keeps the endpoint private by default', () => {
    const out = observed('minimal.yaml');
    const cluster = out.byName('cluster').spec.forProvider;
    expect(out.byName('kms-key').spec.forProvider.enableKeyRotation).toBe(true);
    expect(cluster.encryptionConfig).toEqual({
      resources: ['secrets'],
      provider: { keyArn: observedFor('EKSCluster', 'minimal.yaml').atProvider!['kms-key'].arn },
    });
    expect(cluster.enabledClusterLogTypes).toEqual([...LOG_TYPES]);
    expect(cluster.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
    expect(cluster.accessConfig).toEqual({ authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false });
    expect(out.byName('cluster').metadata.annotations['crossplane.io/external-name']).toBe('team-a-dev');
    expect(out.byName('cluster-auto')).toBeUndefined();
  });

  it('reports what the Cluster API and Argo CD need in its status', () => {
    const out = observed('minimal.yaml');
    expect(out.xr.status).toMatchObject({
      clusterName: 'team-a-dev',
      endpoint: expect.stringMatching(/^https:\/\//),
      caData: expect.any(String),
      oidcIssuer: expect.stringMatching(/^https:\/\/oidc\.eks\./),
      clusterSecurityGroupId: expect.stringMatching(/^sg-/),
      nodeRoleName: 'team-a-dev-nodes',
      kubeconfigSecret: 'team-a-kubeconfig',
      karpenter: { queueName: 'team-a-dev', roleArn: expect.stringContaining(':role/team-a-dev-karpenter') },
      roles: { ebsCsiDriver: expect.stringContaining(':role/team-a-dev-ebs-csi') },
    });
  });

  it('runs system nodes tainted CriticalAddonsOnly on a launch template that requires IMDSv2 and encrypts gp3', () => {
    const out = observed('minimal.yaml');
    const group = out.byName('system-node-group').spec.forProvider;
    expect(group.taint).toEqual([{ key: 'CriticalAddonsOnly', value: 'true', effect: 'NO_SCHEDULE' }]);
    expect(group).toMatchObject({
      amiType: 'AL2023_x86_64_STANDARD',
      capacityType: 'ON_DEMAND',
      launchTemplate: { name: 'team-a-dev-system-nodes', version: '1' },
    });
    const template = out.byName('launch-template').spec.forProvider;
    expect(template.name).toBe('team-a-dev-system-nodes');
    expect(template.metadataOptions).toEqual({ httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: 1 });
    expect(template.blockDeviceMappings).toEqual([
      { deviceName: '/dev/xvda', ebs: { volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true', volumeSize: 50 } },
    ]);
  });

  it('sizes Graviton and x86 system nodes as asked', () => {
    const graviton = observed('graviton-system-nodes.yaml').byName('system-node-group').spec.forProvider;
    expect(graviton).toMatchObject({
      instanceTypes: ['t4g.medium'],
      amiType: 'AL2023_ARM_64_STANDARD',
      capacityType: 'ON_DEMAND',
      scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
    });
    const x86 = observed('three-x86-system-nodes.yaml');
    expect(x86.byName('system-node-group').spec.forProvider).toMatchObject({
      instanceTypes: ['t3.xlarge'],
      scalingConfig: { minSize: 3, maxSize: 3, desiredSize: 3 },
      taint: [],
      labels: { 'node.drydock.dev/pool': 'system' },
    });
    expect(x86.byName('launch-template').spec.forProvider.blockDeviceMappings[0].ebs.volumeSize).toBe(100);
  });

  it('installs the managed add-ons, vpc-cni with prefix delegation, EBS CSI through Pod Identity', () => {
    const out = observed('restricted-public-endpoint.yaml');
    expect(
      out
        .ofKind('Addon')
        .map((a) => a.spec.forProvider.addonName)
        .sort(),
    ).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    const cni = out.byName('addon-vpc-cni').spec.forProvider;
    expect(JSON.parse(cni.configurationValues).env).toMatchObject({ ENABLE_PREFIX_DELEGATION: 'true' });
    // Before EKS reports the cluster, the add-ons are created at the catalog's versions for the version the XR asks for.
    expect(cni.addonVersion).toBe(managedAddonsFor(example('restricted-public-endpoint.yaml').spec.version ?? EKS_VERSIONS[0]).vpcCni);
    // The EBS CSI identity rides on the add-on: EKS creates the association with it, so its
    // controller pods never start without credentials (no separate association to race).
    expect(out.byName('addon-aws-ebs-csi-driver').spec.forProvider.podIdentityAssociation).toEqual([
      {
        serviceAccount: 'ebs-csi-controller-sa',
        roleArn: observedFor('EKSCluster', 'restricted-public-endpoint.yaml').atProvider!['role-ebs-csi'].arn,
      },
    ]);
    expect(out.byName('pod-identity-ebs-csi')).toBeUndefined();
  });

  it('creates the EBS CSI add-on only once its role exists, so never without its identity', () => {
    const first = setup.render(example('restricted-public-endpoint.yaml'));
    expect(first.byName('role-ebs-csi')).toBeDefined();
    expect(first.byName('addon-aws-ebs-csi-driver')).toBeUndefined();
  });

  it("reports each add-on's Pod Identity association, which the Cluster waits for before Argo CD installs the add-on", () => {
    const out = observed('restricted-public-endpoint.yaml');
    const arns = observedFor('EKSCluster', 'restricted-public-endpoint.yaml').atProvider!;
    expect(out.xr.status.podIdentity).toEqual({
      karpenter: arns['pod-identity-karpenter'].associationArn,
      externalDns: arns['pod-identity-external-dns'].associationArn,
      certManager: arns['pod-identity-cert-manager'].associationArn,
      externalSecrets: arns['pod-identity-external-secrets'].associationArn,
      awsLoadBalancerController: arns['pod-identity-load-balancer-controller'].associationArn,
    });
  });

  it('schedules its secrets key for deletion only after the cluster is gone', () => {
    const out = observed('minimal.yaml');
    expect(out.byName('usage-kms-key-by-cluster').spec).toMatchObject({
      of: { kind: 'Key', resourceSelector: { matchControllerRef: true, matchLabels: { 'eks.drydock.dev/part': 'kms-key' } } },
      by: { kind: 'Cluster', resourceSelector: { matchControllerRef: true, matchLabels: { 'eks.drydock.dev/part': 'cluster' } } },
    });
    expect(out.byName('kms-key').metadata.labels).toMatchObject({ 'eks.drydock.dev/part': 'kms-key' });
  });

  it('restricts the public endpoint and gives admins and Argo CD cluster-admin access entries', () => {
    const out = observed('restricted-public-endpoint.yaml');
    expect(out.byName('cluster').spec.forProvider.vpcConfig).toMatchObject({
      endpointPublicAccess: true,
      publicAccessCidrs: ['203.0.113.10/32', '198.51.100.0/28'],
    });
    const entries = out.ofKind('AccessEntry').map((e) => e.spec.forProvider);
    const xr = example('restricted-public-endpoint.yaml');
    expect(
      entries
        .filter((e) => e.type === 'STANDARD')
        .map((e) => e.principalArn)
        .sort(),
    ).toEqual([...xr.spec.access.adminRoleArns, xr.spec.access.argoCdRoleArn].sort());
    const admin = out.ofKind('AccessPolicyAssociation').map((a) => a.spec.forProvider);
    expect(admin).toHaveLength(3);
    for (const a of admin)
      expect(a).toMatchObject({ policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy', accessScope: { type: 'cluster' } });
    expect(out.byName('access-nodes').spec.forProvider.type).toBe('EC2_LINUX');
  });

  it("scopes Karpenter's policy to this cluster: its queue, its node role, its tags, its region", () => {
    const out = observed('minimal.yaml');
    const policy = doc(out.byName('role-karpenter-controller'));
    const all = statements(policy).flatMap(resources);
    expect(all).toContain('arn:aws:sqs:eu-west-1:111122223333:team-a-dev');
    expect(all).toContain('arn:aws:iam::111122223333:role/team-a-dev-nodes');
    expect(all).toContain('arn:aws:eks:eu-west-1:111122223333:cluster/team-a-dev');
    expect(
      all.filter((r) => r.startsWith('arn:aws:sqs:') || r.includes(':role/') || r.includes(':cluster/')).every((r) => r.includes('team-a-dev')),
    ).toBe(true);
    expect(all.filter((r) => r.startsWith('arn:aws:ec2:')).every((r) => r.startsWith('arn:aws:ec2:eu-west-1:'))).toBe(true);
    expect(JSON.stringify(policy)).not.toMatch(/\{\{|%\[/);
    // The queue it reads is the one composed, the rules feed it, and only EventBridge over TLS may write.
    expect(out.byName('interruption-queue').spec.forProvider).toMatchObject({
      name: 'team-a-dev',
      messageRetentionSeconds: 300,
      sqsManagedSseEnabled: true,
    });
    for (const t of out.ofKind('Target')) expect(t.spec.forProvider.arn).toBe('arn:aws:sqs:eu-west-1:111122223333:team-a-dev');
    expect(
      out
        .ofKind('Rule')
        .map((r) => JSON.parse(r.spec.forProvider.eventPattern)['detail-type'][0])
        .sort(),
    ).toEqual([
      'AWS Health Event',
      'EC2 Capacity Reservation Instance Interruption Warning',
      'EC2 Instance Rebalance Recommendation',
      'EC2 Instance State-change Notification',
      'EC2 Spot Instance Interruption Warning',
    ]);
    const queue = statements(doc(out.byName('interruption-queue-policy')));
    expect(queue.find((s) => s.Effect === 'Allow').Principal).toEqual({ Service: ['events.amazonaws.com', 'sqs.amazonaws.com'] });
    expect(queue.find((s) => s.Effect === 'Deny')).toMatchObject({ Principal: '*', Condition: { Bool: { 'aws:SecureTransport': false } } });
  });

  it('lets each add-on role be assumed by Pod Identity for its own service account of this cluster only, and limits DNS roles to the named zones', () => {
    const out = observed('restricted-public-endpoint.yaml');
    const associations = out.ofKind('PodIdentityAssociation');
    for (const id of ['karpenter', 'ebs-csi', 'external-dns', 'cert-manager', 'external-secrets', 'load-balancer-controller']) {
      // The EBS CSI driver's association is part of its add-on (in kube-system, the add-on's namespace).
      const association =
        id === 'ebs-csi'
          ? { namespace: 'kube-system', ...out.byName('addon-aws-ebs-csi-driver').spec.forProvider.podIdentityAssociation[0] }
          : out.byName(`pod-identity-${id}`).spec.forProvider;
      const trust = doc(out.byName(`role-${id}`), 'assumeRolePolicy');
      // The session tags EKS Pod Identity sets, held to the cluster and to the association's own service account.
      expect(trust.Statement, id).toEqual(expectedPodIdentityTrust('arn:aws:eks:eu-west-1:777788889999:cluster/storefront-prod', association));
    }
    expect(associations).toHaveLength(5);
    const zones = ['arn:aws:route53:::hostedzone/Z8876543210ZYXWVUTSRQ', 'arn:aws:route53:::hostedzone/Z9876543210ZYXWVUTSRQ'];
    const dnsPolicies = out
      .ofKind('RolePolicy')
      .filter((p) => /external-dns|cert-manager/.test(p.metadata.annotations['crossplane.io/composition-resource-name']));
    expect(dnsPolicies.map((p) => p.metadata.annotations['crossplane.io/composition-resource-name']).sort()).toEqual([
      'role-cert-manager-zones-2',
      'role-external-dns-zones-2',
    ]);
    for (const p of dnsPolicies)
      expect(statements(doc(p)).find((s) => String(s.Action).includes('ChangeResourceRecordSets')).Resource).toEqual(zones);
    const acme = statements(doc(out.byName('role-cert-manager-zones-2'))).find((s) => s.Sid === 'AcmeChallengeRecordsOnly');
    expect(acme.Condition['ForAllValues:StringEquals']).toEqual({ 'route53:ChangeResourceRecordSetsRecordTypes': ['TXT'] });
    expect(
      out
        .ofKind('PodIdentityAssociation')
        .map((p) => `${p.spec.forProvider.namespace}/${p.spec.forProvider.serviceAccount}`)
        .sort(),
    ).toEqual([
      'cert-manager/cert-manager',
      'external-dns/external-dns',
      'external-secrets/external-secrets',
      'kube-system/aws-load-balancer-controller',
      'kube-system/karpenter',
    ]);
    // The load balancer controller's writes are limited to this account and region, and its
    // security-group writes to this cluster's VPC.
    const lbDoc = doc(out.byName('role-load-balancer-controller-controller'));
    const lb = JSON.stringify(lbDoc);
    expect(lb).not.toMatch(/arn:aws:(ec2|elasticloadbalancing):\*/);
    expect(lb).toContain('arn:aws:elasticloadbalancing:eu-west-1:777788889999:loadbalancer/app/*/*');
    const vpc = 'arn:aws:ec2:eu-west-1:777788889999:vpc/vpc-0a1b2c3d4e5f60003';
    const sgWrites = statements(lbDoc).filter((st) =>
      [st.Action].flat().some((a: string) => /SecurityGroup(Ingress|Egress)$|DeleteSecurityGroup/.test(a)),
    );
    expect(sgWrites.map((st) => st.Sid)).toEqual(['ManageSecurityGroupRules', 'ChangeOwnSecurityGroups']);
    for (const st of sgWrites) expect(st.Condition.ArnEquals, st.Sid).toEqual({ 'ec2:Vpc': vpc });
    expect(statements(lbDoc).find((st) => st.Sid === 'CreateSecurityGroups').Resource).toEqual([
      'arn:aws:ec2:eu-west-1:777788889999:security-group/*',
      vpc,
    ]);
    // What it changes or tags on existing load balancers, target groups and security groups, and
    // what it creates, carries this cluster's name in elbv2.k8s.aws/cluster: another cluster's
    // controller in the account cannot delete or change them.
    const clusterTag = statements(lbDoc).flatMap((st) =>
      Object.entries(st.Condition ?? {}).flatMap(([op, kv]: [string, any]) =>
        Object.entries(kv)
          .filter(([k]) => k.endsWith('Tag/elbv2.k8s.aws/cluster'))
          .map(([k, v]) => `${st.Sid} ${op} ${k.split('/')[0]} ${v}`),
      ),
    );
    expect(clusterTag.filter((c) => !/ StringEquals aws:(Resource|Request)Tag storefront-prod$| Null aws:RequestTag true$/.test(c))).toEqual([]);
    expect(clusterTag.filter((c) => c.includes('ResourceTag')).map((c) => c.split(' ')[0])).toEqual([
      'RetagOwnSecurityGroups',
      'ChangeOwnSecurityGroups',
      'RetagOwnLoadBalancers',
      'ChangeOwnLoadBalancers',
      'RegisterTargets',
    ]);
    // Listeners, rules and target registration too: upstream grants them on the whole account.
    const grantsOf = (action: string) => statements(lbDoc).filter((st) => [st.Action].flat().includes(action));
    for (const action of ['DeleteListener', 'ModifyListener', 'CreateRule', 'ModifyRule', 'SetWebAcl', 'RegisterTargets', 'DeregisterTargets']) {
      const grants = grantsOf(`elasticloadbalancing:${action}`);
      expect(grants.length, action).toBeGreaterThan(0);
      for (const st of grants)
        expect(st.Condition?.StringEquals?.['aws:ResourceTag/elbv2.k8s.aws/cluster'], `${action} in ${st.Sid}`).toBe('storefront-prod');
    }
    // A listener's tags are written only as it is created, with this cluster's name, or left alone.
    for (const st of grantsOf('elasticloadbalancing:AddTags')) expect(st.Condition, st.Sid).toBeDefined();
    // External Secrets reads only the two prefixes it was given.
    const secrets = statements(doc(out.byName('role-external-secrets-prefixes-2')));
    expect(secrets[0].Resource).toEqual([
      'arn:aws:secretsmanager:eu-west-1:777788889999:secret:production/storefront/*',
      'arn:aws:secretsmanager:eu-west-1:777788889999:secret:production/shared/*',
    ]);
    // ...and of those only the secrets tagged for this XR's team namespace: the prefixes are the
    // environment's, shared by every team in the account.
    expect(secrets[0].Condition).toEqual({ StringEquals: { 'aws:ResourceTag/platform.drydock.dev/namespace': 'storefront' } });
    expect(out.byName('role-external-secrets-prefixes-1')).toBeUndefined();
  });

  it("lets External Secrets read the database's master secret, and decrypt with that database's key through Secrets Manager only", () => {
    // GIVEN the database's master secret (outside every prefix) and its key, as the Cluster API passes them
    const secretArn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:rds!cluster-0b1c2d3e-AbCdEf';
    const kmsKeyArn = 'arn:aws:kms:eu-west-1:111122223333:key/0b1c2d3e-4f50-4a61-8b72-93a4b5c6d7e8';
    const xr = example('restricted-public-endpoint.yaml');
    const withDatabase = { ...xr, spec: { ...xr.spec, externalSecrets: { ...xr.spec.externalSecrets, database: { secretArn, kmsKeyArn } } } };
    const out = setup.render(withDatabase, observedFor('EKSCluster', 'restricted-public-endpoint.yaml'));
    // THEN its role may read that secret and decrypt with that key, only via Secrets Manager in the region
    expect(statements(doc(out.byName('role-external-secrets-database-secret')))).toEqual([
      {
        Sid: 'ReadTheDatabaseMasterSecret',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: secretArn,
      },
      {
        Sid: 'DecryptItWithTheDatabaseKeyOnly',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: kmsKeyArn,
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
      },
    ]);
    // AND without a database there is no such policy
    expect(observed('restricted-public-endpoint.yaml').byName('role-external-secrets-database-secret')).toBeUndefined();
  });

  it('gives DNS add-ons no identity without hosted zones, and External Secrets none unless enabled', () => {
    const out = observed('minimal.yaml');
    expect(
      out.composed.filter((o) =>
        /external-dns|cert-manager|external-secrets|load-balancer/.test(o.metadata.annotations['crossplane.io/composition-resource-name']),
      ),
    ).toEqual([]);
  });

  it('in Auto Mode lets EKS run nodes, storage and load balancing, with no node group, Karpenter or EBS CSI of ours', () => {
    const out = observed('auto-mode.yaml');
    const cluster = out.byName('cluster-auto').spec.forProvider;
    expect(out.byName('cluster')).toBeUndefined();
    expect(cluster.computeConfig).toEqual({
      enabled: true,
      nodePools: ['general-purpose', 'system'],
      nodeRoleArn: 'arn:aws:iam::111122223333:role/analytics-dev-nodes',
    });
    expect(cluster).toMatchObject({
      storageConfig: { blockStorage: { enabled: true } },
      kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
      bootstrapSelfManagedAddons: false,
    });
    const kinds = new Set(out.composed.map((o) => o.kind));
    for (const absent of ['NodeGroup', 'LaunchTemplate', 'Addon', 'Queue', 'Rule', 'Target']) expect(kinds.has(absent), absent).toBe(false);
    expect(out.byName('role-karpenter')).toBeUndefined();
    expect(out.byName('access-nodes').spec.forProvider.type).toBe('EC2');
    expect(out.byName('access-nodes-auto').spec.forProvider.policyArn).toBe('arn:aws:eks::aws:cluster-access-policy/AmazonEKSAutoNodePolicy');
    expect(
      out
        .ofKind('RolePolicyAttachment')
        .filter((a) => a.spec.forProvider.roleSelector.matchLabels['eks.drydock.dev/part'] === 'cluster')
        .map((a) => a.spec.forProvider.policyArn.split('/').pop())
        .sort(),
    ).toEqual([
      'AmazonEKSBlockStoragePolicy',
      'AmazonEKSClusterPolicy',
      'AmazonEKSComputePolicy',
      'AmazonEKSLoadBalancingPolicy',
      'AmazonEKSNetworkingPolicy',
    ]);
    expect(out.xr.status.conditions.find((c: any) => c.type === 'Ready')).toMatchObject({ status: 'True' });
  });
});

if (!setup.ready) {
  describe('EKSCluster render tests', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}
