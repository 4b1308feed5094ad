// Input for the EKS API, judged by the API server's validation code (OpenAPI + CEL) against the
// CRD Crossplane derives from the XRD.
import { describe, expect, it } from 'vitest';
import { EKS_VERSIONS, LOG_TYPES, MAX_CLUSTER_NAME } from '../compositions/eks';
import { kubevalidate } from '../lib/kubevalidate';
import { describeExamples, examples, validateXrs, xrCrd } from './support';

describeExamples('EKSCluster', { valid: 5, invalid: 11 });

const minimal = examples('compositions/eks/examples').find((e) => e.file === 'minimal.yaml')!.object;
const withSpec = (spec: Record<string, unknown>) => ({ ...minimal, spec: { ...minimal.spec, ...spec } });

describe('EKSCluster XRD', () => {
  it('defaults to a private endpoint, all logs, the newest version and tainted on-demand system nodes', () => {
    const { spec } = kubevalidate([xrCrd('EKSCluster')], [{ id: 'minimal', object: minimal }]).objects[0].defaulted;
    expect(spec).toMatchObject({
      version: EKS_VERSIONS[0],
      computeMode: 'Managed',
      endpoint: { public: false },
      logTypes: [...LOG_TYPES],
      systemNodes: { architecture: 'x86_64', capacityType: 'ON_DEMAND', minSize: 2, desiredSize: 2, maxSize: 3, criticalAddonsOnly: true },
    });
  });

  it(`accepts a cluster name of exactly ${MAX_CLUSTER_NAME} characters and refuses one more`, () => {
    const name = (n: number) => `a${'b'.repeat(n - 1)}`;
    const [ok, long] = validateXrs('EKSCluster', [
      { object: withSpec({ clusterName: name(MAX_CLUSTER_NAME) }) },
      { object: withSpec({ clusterName: name(MAX_CLUSTER_NAME + 1) }) },
    ]);
    expect(ok).toEqual([]);
    expect(long.join('\n')).toContain(`clusterName must be at most ${MAX_CLUSTER_NAME} characters`);
  });

  it('accepts Graviton types only for arm64, and other types only for x86_64', () => {
    const nodes = (architecture: string, instanceTypes: string[]) => ({ object: withSpec({ systemNodes: { architecture, instanceTypes } }) });
    const verdicts = validateXrs('EKSCluster', [
      nodes('arm64', ['c7gn.large', 'r8gd.xlarge', 't4g.medium']),
      nodes('x86_64', ['c7i.large', 'm5.large']),
      nodes('x86_64', ['m7g.large']),
    ]);
    expect(verdicts.map((v) => v.length === 0)).toEqual([true, true, false]);
  });

  it('refuses a change of cluster name or compute mode', () => {
    const [renamed, remoded] = validateXrs('EKSCluster', [
      { object: withSpec({ clusterName: 'team-a-dev2' }), old: minimal },
      { object: withSpec({ computeMode: 'Auto' }), old: minimal },
    ]);
    expect(renamed.join('\n')).toContain('clusterName is immutable');
    expect(remoded.join('\n')).toContain('computeMode is immutable');
  });
});
