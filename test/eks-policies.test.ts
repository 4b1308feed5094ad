// The IAM documents of the EKS API as data: scoped, complete, and patched from the spec only.
import { describe, expect, it } from 'vitest';
import { POLICY_SOURCES } from '../catalog';
import { type PolicyDocument, placeholders, policy, renderPolicy, unscopedGrants } from '../compositions/authoring';
import {
  certManager,
  eksApi,
  eksComposition,
  externalDns,
  INTERRUPTION_QUEUE,
  KARPENTER_CONTROLLER,
  MAX_ZONES,
  WILDCARD_ALLOWED,
} from '../compositions/eks';

const resources: any[] = eksComposition(eksApi())
  .spec()
  .pipeline.find((s: any) => s.step === 'patch-and-transform').input.resources;

/** The fields of a composed resource that hold an IAM document. */
const DOCUMENT_FIELDS = ['spec.forProvider.policy', 'spec.forProvider.assumeRolePolicy'];

/** Every document the composition writes: inline policies and trusts, from their base or the combine patch that writes them. */
function composedDocuments(): { name: string; doc: PolicyDocument }[] {
  return resources.flatMap((r) => {
    // Managed resources only (a Usage has no forProvider).
    const fp = r.base.spec.forProvider ?? {};
    const trust = (name: string) => (name.endsWith('assumeRolePolicy') ? `${r.name} trust` : r.name);
    if (fp.assumeRolePolicy) return [{ name: `${r.name} trust`, doc: JSON.parse(fp.assumeRolePolicy) }];
    return (r.patches ?? [])
      .filter((p: any) => DOCUMENT_FIELDS.includes(p.toFieldPath))
      .map((patch: any) => {
        // Fill the format verbs as patch-and-transform would, with a value per variable.
        const values = patch.combine.variables.map((v: any) => `<${v.fromFieldPath}>`);
        const json = patch.combine.string.fmt.replace(/%\[(\d+)\]s/g, (_m: string, n: string) => values[Number(n) - 1]).replace(/%%/g, '%');
        return { name: trust(patch.toFieldPath), doc: JSON.parse(json) };
      });
  });
}

describe('EKS IAM policies', () => {
  const docs = composedDocuments();

  it('writes every role trust, the Karpenter, queue and DNS policies', () => {
    expect(docs.map((d) => d.name)).toEqual(
      expect.arrayContaining([
        'role-karpenter trust',
        'role-cluster trust',
        'role-karpenter-controller',
        'interruption-queue-policy',
        'role-external-dns-zones-1',
        'role-cert-manager-zones-3',
      ]),
    );
    expect(docs.length).toBeGreaterThanOrEqual(14);
  });

  it.each(docs.map((d) => [d.name, d.doc]))('%s grants nothing unscoped outside the allow list', (_name, doc) => {
    expect(unscopedGrants(doc, WILDCARD_ALLOWED)).toEqual([]);
  });

  it('only patches values from the spec (and the namespace), so no policy waits for another resource', () => {
    for (const r of resources) {
      for (const p of r.patches ?? []) {
        if (!DOCUMENT_FIELDS.includes(p.toFieldPath)) continue;
        for (const v of p.combine.variables) expect(v.fromFieldPath, r.name).toMatch(/^(spec\.|metadata\.namespace$)/);
        expect(p.policy, r.name).toBeUndefined();
      }
    }
  });

  it('allows a "*" resource only for read-only calls or ones limited by a condition', () => {
    for (const [action, why] of Object.entries(WILDCARD_ALLOWED)) {
      expect(/^[a-z0-9-]+:(Describe|List|Get)/.test(action) || /condition/.test(why), `${action}: ${why}`).toBe(true);
    }
  });

  it('refuses a wildcard action, and a "*" resource for an action that has a narrower one', () => {
    const bad = policy(
      { Sid: 'Everything', Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::bucket/*' },
      { Sid: 'PassAnyRole', Effect: 'Allow', Action: ['iam:PassRole', 'pricing:GetProducts'], Resource: '*' },
      { Sid: 'DenyAll', Effect: 'Deny', Action: '*', Resource: '*' },
    );
    expect(unscopedGrants(bad, WILDCARD_ALLOWED)).toEqual([
      'Everything: action "s3:*" is a wildcard: name the actions',
      'PassAnyRole: "iam:PassRole" on resource "*": name the resources, or justify it in the allow list',
    ]);
  });

  it(`keeps every Karpenter grant of the upstream template (${POLICY_SOURCES.karpenter.version}), by statement`, () => {
    expect(KARPENTER_CONTROLLER.Statement.map((s) => s.Sid)).toEqual([
      'AllowScopedEC2InstanceAccessActions',
      'AllowOwnSubnets',
      'AllowOwnSecurityGroups',
      'AllowScopedEC2LaunchTemplateAccessActions',
      'AllowScopedEC2InstanceActionsWithTags',
      'AllowScopedResourceCreationTagging',
      'AllowScopedResourceTagging',
      'AllowScopedDeletion',
      'AllowPassingInstanceRole',
      'AllowScopedInstanceProfileCreationActions',
      'AllowScopedInstanceProfileTagActions',
      'AllowScopedInstanceProfileActions',
      'AllowAPIServerEndpointDiscovery',
      'AllowInterruptionQueueActions',
      'AllowZonalShiftStatusReadOnly',
      'AllowRegionalReadActions',
      'AllowSSMReadActions',
      'AllowPricingReadActions',
      'AllowUnscopedInstanceProfileListAction',
      'AllowInstanceProfileReadActions',
    ]);
    expect(placeholders(KARPENTER_CONTROLLER).sort()).toEqual(['accountId', 'clusterName', 'region']);
    const rendered = renderPolicy(KARPENTER_CONTROLLER, { region: 'eu-west-1', accountId: '111122223333', clusterName: 'c1' });
    expect(rendered.Statement.find((s) => s.Sid === 'AllowPassingInstanceRole')!.Resource).toBe('arn:aws:iam::111122223333:role/c1-nodes');
    expect(rendered.Statement.find((s) => s.Sid === 'AllowInterruptionQueueActions')!.Resource).toBe('arn:aws:sqs:eu-west-1:111122223333:c1');
    // Nodes launch only into this cluster's subnets and security group, whoever writes the EC2NodeClass.
    const launches = rendered.Statement.filter((s) => [s.Action].flat().some((a) => a === 'ec2:RunInstances' || a === 'ec2:CreateFleet'));
    expect(launches.filter((s) => [s.Resource].flat().some((r) => /:(subnet|security-group)\//.test(String(r)))).map((s) => s.Condition)).toEqual([
      { StringEquals: { 'aws:ResourceTag/karpenter.sh/discovery': 'c1' } },
      { StringEquals: { 'aws:ResourceTag/aws:eks:cluster-name': 'c1' } },
    ]);
  });

  it('names exactly the given zones for ExternalDNS and cert-manager', () => {
    for (let n = 1; n <= MAX_ZONES; n++) {
      for (const doc of [externalDns(n), certManager(n)]) expect(placeholders(doc)).toEqual(Array.from({ length: n }, (_, i) => `zone${i}`));
    }
    expect(placeholders(INTERRUPTION_QUEUE).sort()).toEqual(['accountId', 'clusterName', 'region']);
  });
});
