// An EKSCluster upgraded again and again, as a platform team would over its life: created at the
// oldest Kubernetes version EKS offers, then moved one minor at a time to the newest. At each step
// the real renderer composes it twice, with the control plane still reporting the old version and
// then the new one (observed fixtures), and the system nodes and managed add-ons must carry the
// catalog's versions for what EKS reports, never for what the XR merely asks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHARTS, compareVersions, type EksManagedAddonVersions, KUBERNETES, managedAddonsFor } from '../catalog';
import { eksApi, eksComposition } from '../compositions/eks';
import type { ObservedFixture, RenderedXr } from '../lib/render';
import { examples, observedFor, renderSetup, validateXrs } from './support';

const minimal = examples('compositions/eks/examples').find((e) => e.file === 'minimal.yaml')!.object;
const at = (version: string) => ({ ...minimal, spec: { ...minimal.spec, version } });

/** What AWS reports once the minimal cluster exists, with its control plane at `version`. */
function reporting(version: string): ObservedFixture {
  const f = observedFor('EKSCluster', 'minimal.yaml');
  return { ...f, atProvider: { ...f.atProvider, cluster: { ...f.atProvider!.cluster, version } } };
}

const ADDONS: Record<keyof EksManagedAddonVersions, string> = {
  vpcCni: 'addon-vpc-cni',
  coredns: 'addon-coredns',
  kubeProxy: 'addon-kube-proxy',
  podIdentityAgent: 'addon-eks-pod-identity-agent',
  ebsCsiDriver: 'addon-aws-ebs-csi-driver',
};

/** The versions the node group and each managed add-on are composed at. */
function versionsOf(out: RenderedXr) {
  return {
    controlPlane: out.byName('cluster')?.spec.forProvider.version,
    nodes: out.byName('system-node-group')?.spec.forProvider.version,
    addons: Object.fromEntries(Object.entries(ADDONS).map(([k, name]) => [k, out.byName(name)?.spec.forProvider.addonVersion])),
  };
}
const catalogAddons = managedAddonsFor;

/** Each upgrade the walk makes: every offered version to the next. */
const STEPS = KUBERNETES.offered.slice(1).map((to, i) => ({ from: KUBERNETES.offered[i], to }));

describe('Kubernetes upgrades, as the API server judges them', () => {
  it('offers at least two versions to walk through', () => expect(STEPS.length).toBeGreaterThan(0));

  it.each(STEPS)('accepts $from -> $to, one minor up', ({ from, to }) => {
    expect(validateXrs('EKSCluster', [{ object: at(to), old: at(from) }])).toEqual([[]]);
  });

  it.each(STEPS)('refuses $to -> $from, a downgrade', ({ from, to }) => {
    const [errors] = validateXrs('EKSCluster', [{ object: at(from), old: at(to) }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`spec.version: Invalid value: "${from}": Kubernetes cannot go down from ${to} to ${from}: EKS does not downgrade`);
  });

  it.each(KUBERNETES.offered.slice(2).map((to, i) => ({ from: KUBERNETES.offered[i], over: KUBERNETES.offered[i + 1], to })))(
    'refuses $from -> $to, a skipped minor, naming $over as the next step',
    ({ from, over, to }) => {
      const [errors] = validateXrs('EKSCluster', [{ object: at(to), old: at(from) }]);
      expect(errors.join('\n')).toContain(`upgrade one minor at a time: from ${from} to ${over} first, EKS cannot skip one`);
    },
  );

  it('refuses a skipped minor and a downgrade of a Cluster too (prod, whose EXTENDED support allows every offered version)', () => {
    const cluster = examples('compositions/cluster/examples').find((e) => e.file === 'prod-full.yaml')!.object;
    const on = (version: string) => ({ ...cluster, spec: { ...cluster.spec, kubernetes: { ...cluster.spec.kubernetes, version } } });
    const [a, b, c] = KUBERNETES.offered;
    const [up, skip, down] = validateXrs('Cluster', [
      { object: on(b), old: on(a) },
      { object: on(c), old: on(a) },
      { object: on(a), old: on(b) },
    ]);
    expect(up).toEqual([]);
    expect(skip.join('\n')).toContain(`upgrade one minor at a time: from ${a} to ${b} first`);
    expect(down.join('\n')).toContain(`Kubernetes cannot go down from ${b} to ${a}`);
  });

  it("keeps a Cluster editable that runs an add-on at a version outside its chart's range (the range moves with each chart bump), but refuses turning one on there", () => {
    const cluster = examples('compositions/cluster/examples').find((e) => e.file === 'prod-full.yaml')!.object;
    const [outside] = KUBERNETES.offered.filter((v) => compareVersions(v, CHARTS['cert-manager'].kubernetes.min) < 0);
    const on = (certManager: boolean, instanceType: string) => ({
      ...cluster,
      spec: {
        ...cluster.spec,
        kubernetes: { ...cluster.spec.kubernetes, version: outside, nodes: { ...cluster.spec.kubernetes.nodes, instanceTypes: [instanceType] } },
        addons: { ...cluster.spec.addons, certManager },
      },
    });
    const [edited, turnedOn, created] = validateXrs('Cluster', [
      { object: on(true, 'm7i.2xlarge'), old: on(true, 'm7i.xlarge') },
      { object: on(true, 'm7i.xlarge'), old: on(false, 'm7i.xlarge') },
      { object: on(true, 'm7i.xlarge') },
    ]);
    expect(edited).toEqual([]);
    expect(turnedOn.join('\n')).toContain(`supports Kubernetes ${CHARTS['cert-manager'].kubernetes.min}`);
    expect(created.join('\n')).toContain(`(${outside} here): use another kubernetes.version or turn addons.certManager off`);
  });

  it('keeps an XR editable at a version that has since retired, but refuses moving to one', () => {
    const [retired] = KUBERNETES.retired.map((r) => r.version).reverse();
    const old = at(retired);
    const edited = { ...old, spec: { ...old.spec, logTypes: ['api', 'audit'] } };
    const [kept, moved] = validateXrs('EKSCluster', [
      { object: edited, old },
      { object: old, old: at(KUBERNETES.offered[0]) },
    ]);
    expect(kept).toEqual([]);
    expect(moved.join('\n')).toContain(`Kubernetes ${retired} left EKS extended support on`);
  });
});

const setup = renderSetup({ functions: eksComposition(eksApi()).functions() });

describe.skipIf(!setup.ready)('an EKSCluster walked from the oldest offered Kubernetes version to the newest (real renderer)', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);

  it(`is created at ${KUBERNETES.offered[0]} with the catalog's add-ons for it`, () => {
    const oldest = KUBERNETES.offered[0];
    // Before AWS reports anything, the cluster waits for its KMS key and the node group for its
    // launch template; the add-ons are described for the version the XR asks for (the EBS CSI
    // driver's once its role exists: it is created with its Pod Identity association).
    expect(versionsOf(setup.render(at(oldest)))).toEqual({
      controlPlane: undefined,
      nodes: undefined,
      addons: { ...catalogAddons(oldest), ebsCsiDriver: undefined },
    });
    expect(versionsOf(setup.render(at(oldest), reporting(oldest)))).toEqual({ controlPlane: oldest, nodes: oldest, addons: catalogAddons(oldest) });
  });

  it.each(STEPS)('moves $from -> $to: control plane first, then nodes and add-ons once EKS reports $to', ({ from, to }) => {
    // WHEN the XR asks for the next version while EKS still reports the old one (the control plane
    // is being upgraded): only the control plane is asked to move.
    const upgrading = setup.render(at(to), reporting(from));
    expect(versionsOf(upgrading)).toEqual({ controlPlane: to, nodes: from, addons: catalogAddons(from) });
    expect(upgrading.xr.status.kubernetesVersion).toBe(from);
    // THEN once EKS reports the new version, the system nodes and every managed add-on follow.
    const upgraded = setup.render(at(to), reporting(to));
    expect(versionsOf(upgraded)).toEqual({ controlPlane: to, nodes: to, addons: catalogAddons(to) });
    expect(upgraded.xr.status.kubernetesVersion).toBe(to);
  });

  it('follows EKS when EKS upgrades the control plane by itself (end of support), before the XR is raised', () => {
    const [from, to] = KUBERNETES.offered;
    expect(versionsOf(setup.render(at(from), reporting(to)))).toMatchObject({ controlPlane: from, nodes: to, addons: catalogAddons(to) });
  });
});
