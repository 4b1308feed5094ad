// The kubeconfig Secret a Cluster points its team to is usable: its token is minted (ClusterAuth)
// with the identity the providers act as in the account, the environment's assumeRoleArn, so the
// Cluster passes that role to its EKS cluster, which gives it an access entry. Rendered by crank
// with the real functions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eksApi, eksComposition } from '../compositions/eks';
import { ENVIRONMENTS } from '../environments';
import { examples, observedFor, renderSetup } from './support';

const cluster = renderSetup();
const eks = renderSetup({ functions: eksComposition(eksApi()).functions() });
const example = (dir: string, file: string) => examples(dir).find((e) => e.file === file)!.object;

describe.skipIf(!cluster.ready || !eks.ready)('the kubeconfig Secret, rendered by crank', () => {
  beforeAll(async () => {
    await cluster.start();
    await eks.start();
  });
  afterAll(async () => {
    await cluster.stop();
    await eks.stop();
  });

  it("passes the role the providers act as in the environment's account to the EKS cluster", () => {
    const xr = example('compositions/cluster/examples', 'dev-minimal.yaml');
    const env = ENVIRONMENTS.find((e) => e.name === xr.spec.environment)!;
    const child = cluster.render(xr, observedFor('Cluster', 'dev-minimal.yaml')).byName('eks');
    expect(child.spec.providerConfigName).toBe(env.aws.providerConfigName);
    expect(child.spec.access.providerRoleArn).toBe(env.aws.assumeRoleArn);
  });

  it('gives that role an access entry with cluster admin, beside the ClusterAuth that mints the token', () => {
    const xr = example('compositions/eks/examples', 'restricted-public-endpoint.yaml');
    const role = 'arn:aws:iam::111122223333:role/crossplane-provider';
    const out = eks.render(
      { ...xr, spec: { ...xr.spec, access: { ...xr.spec.access, providerRoleArn: role } } },
      observedFor('EKSCluster', 'restricted-public-endpoint.yaml'),
    );
    expect(out.byName('access-provider').spec.forProvider).toMatchObject({ principalArn: role, type: 'STANDARD' });
    expect(out.byName('access-provider-admin').spec.forProvider).toMatchObject({
      principalArn: role,
      policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      accessScope: { type: 'cluster' },
    });
    // The same provider config, hence the same identity, mints the kubeconfig's token.
    expect(out.byName('kubeconfig').spec.providerConfigRef).toEqual(out.byName('access-provider').spec.providerConfigRef);
  });
});

if (!cluster.ready || !eks.ready) {
  describe('the kubeconfig Secret', () => {
    it.skip(`skipped (rendered by the real renderer): ${cluster.reason ?? eks.reason}`, () => {});
  });
}
