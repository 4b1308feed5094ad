// What a Cluster composes, as data: the environment's defaults where the XR is silent, the XR's
// own values where it speaks (rendered by the real renderer, test/composition-cases.ts), and the
// Argo CD registration Secret's keys exactly as its typed table (compositions/cluster/registration.ts)
// says. test/cluster-render.test.ts walks the parts' order and deletion.
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EKS_VERSIONS } from '../catalog';
import { MAX_DOMAINS } from '../compositions/cluster/definition';
import { CLUSTER_SECRET, type SecretAnnotation, type SecretData, type SecretLabel, type TemplateField } from '../compositions/cluster/registration';
import { MAX_ZONES } from '../compositions/eks/definition';
import { ENVIRONMENTS } from '../environments';
import { repoRoot } from '../lib/paths';
import { type ObservedFixture, readObservedFixture } from '../lib/render';
import { type CompositionCase, describeCases } from './composition-cases';
import { examples, renderSetup, uniqueNameOf } from './support';

const env = (name: string) => ENVIRONMENTS.find((e) => e.name === name)!;
const DIR = 'compositions/cluster/examples';
/** prod-full.yaml as written: its own versions must reach the parts unchanged. */
const prodFullSpec = examples(DIR).find((e) => e.file === 'prod-full.yaml')!.object.spec;
const fixture = () => readObservedFixture(path.join(repoRoot, DIR, 'observed', 'default.yaml')) as ObservedFixture & { status: Record<string, any> };
/**
 * The default fixture for a two-zone layout (the database waits until every zone's subnet is
 * known), before EKS reports a cluster name: the children get the Cluster's unique name.
 */
function twoZones(): ObservedFixture {
  const f = fixture();
  const subnetIds = Object.fromEntries(Object.entries(f.status.network.subnetIds).map(([tier, ids]) => [tier, (ids as string[]).slice(0, 2)]));
  const { clusterName: _reported, ...eks } = f.status.eks;
  const availabilityZoneLetters = f.status.network.availabilityZoneLetters.slice(0, 2);
  return { ...f, status: { ...f.status, network: { ...f.status.network, subnetIds, availabilityZoneLetters }, eks } };
}
const xrOf = (file: string) => examples(DIR).find((e) => e.file === file)!.object;

const prod = env('prod');
const dev = env('dev');
/**
 * prod-full.yaml with a Kubernetes version other than prod's default (one prod allows), so the case
 * tells the XR's version from the environment's (the example pins prod's own).
 */
const OTHER_VERSION = (prod.kubernetes.allowedVersions ?? EKS_VERSIONS).find((v) => v !== prod.kubernetes.version)!;
function prodFull(): Record<string, any> {
  const xr = structuredClone(examples(DIR).find((e) => e.file === 'prod-full.yaml')!.object);
  xr.spec.kubernetes.version = OTHER_VERSION;
  return xr;
}
/** dev-minimal.yaml with a database whose every environment default the XR overrides with another value. */
const DEV_OVERRIDES = {
  minAcu: dev.database.minAcu + 0.5,
  readers: dev.database.readers + 1,
  deletionProtection: !dev.database.deletionProtection,
  finalSnapshot: !dev.database.finalSnapshot,
};
function devWithDatabase(): Record<string, any> {
  const xr = structuredClone(examples(DIR).find((e) => e.file === 'dev-minimal.yaml')!.object);
  xr.spec.database = { enabled: true, ...DEV_OVERRIDES };
  return xr;
}
/** staging-with-database.yaml with as many hosted zones and domains as the API allows. */
const ZONES = Array.from({ length: MAX_ZONES }, (_, i) => `Z00000000000000000000${i}`);
const DOMAINS = Array.from({ length: MAX_DOMAINS }, (_, i) => `d${i}.staging.example.com`);
function stagingWithMostDns(): Record<string, any> {
  const xr = structuredClone(examples(DIR).find((e) => e.file === 'staging-with-database.yaml')!.object);
  xr.spec.dns = { hostedZoneIds: ZONES, domains: DOMAINS };
  return xr;
}
const CASES: CompositionCase[] = [
  {
    says: "dev, nothing said: the environment's Kubernetes version, system nodes, account and NAT; the name EKS reports kept",
    xr: 'dev-minimal.yaml',
    observed: 'default.yaml',
    composes: { Network: ['network'], EKSCluster: ['eks'], Database: [], Object: ['registration'] },
    resources: {
      // The EKSCluster reports its name (the fixture's): every child keeps it.
      network: { spec: { clusterName: fixture().status.eks.clusterName, nat: dev.network.nat, providerConfigName: dev.aws.providerConfigName } },
      eks: {
        spec: {
          clusterName: fixture().status.eks.clusterName,
          accountId: dev.aws.accountId,
          version: dev.kubernetes.version,
          systemNodes: { ...dev.kubernetes.systemNodes, instanceTypes: [...dev.kubernetes.systemNodes.instanceTypes] },
          computeMode: 'Managed',
        },
      },
    },
  },
  {
    says: "prod, the XR speaking: its own version, node types and largest size win; the environment's node counts, smallest size and readers stay",
    xr: prodFull(),
    observed: twoZones(),
    composes: { Database: ['database'] },
    resources: {
      // The readable part the XR gives, and the hash of its environment, namespace and name.
      eks: {
        spec: {
          clusterName: uniqueNameOf(xrOf('prod-full.yaml')),
          version: OTHER_VERSION,
          systemNodes: { instanceTypes: ['m7i.xlarge'], architecture: 'x86_64', minSize: prod.kubernetes.systemNodes.minSize },
        },
      },
      database: {
        spec: {
          identifier: uniqueNameOf(xrOf('prod-full.yaml')),
          engineVersion: prodFullSpec.database.engineVersion,
          capacity: { minAcu: prod.database.minAcu, maxAcu: 128 },
          readers: prod.database.readers,
          deletionProtection: true,
          finalSnapshot: true,
        },
      },
    },
  },
  {
    says: "dev, the XR overriding every database default: its own smallest size, readers, protection and final snapshot win; the environment's largest size stays",
    xr: devWithDatabase(),
    observed: 'default.yaml',
    composes: { Database: ['database'] },
    resources: {
      database: {
        spec: {
          capacity: { minAcu: DEV_OVERRIDES.minAcu, maxAcu: dev.database.maxAcu },
          readers: DEV_OVERRIDES.readers,
          deletionProtection: DEV_OVERRIDES.deletionProtection,
          finalSnapshot: DEV_OVERRIDES.finalSnapshot,
        },
      },
    },
  },
  {
    says: 'staging with the most hosted zones and domains the API allows: the registration lists every one',
    xr: stagingWithMostDns(),
    observed: 'default.yaml',
    resources: {
      registration: {
        spec: {
          forProvider: {
            manifest: {
              metadata: { annotations: { cert_manager_hosted_zone_ids: ZONES.join(','), external_dns_domain_filters: DOMAINS.join(',') } },
            },
          },
        },
      },
    },
  },
];

describeCases('Cluster', CASES, renderSetup());

// A misspelled key of the Secret does not compile, on the composition's side or the ApplicationSets'.
// Each key goes through a call, not an unused constant: under noUnusedLocals the constant's own
// "declared but never read" error would satisfy @ts-expect-error, whatever the key.
const compiles = <T>(value: T): T => value;
compiles<SecretAnnotation>('aws_cluster_name');
compiles<SecretLabel>('enable_karpenter');
// @ts-expect-error: no such annotation
compiles<SecretAnnotation>('aws_clustr_name');
// @ts-expect-error: no such label
compiles<SecretLabel>('enable_karpentr');
// What the ApplicationSets may read by field access: data the cluster generator passes, labels that are Go identifiers.
compiles<SecretData>('server');
compiles<TemplateField<SecretLabel>>('eks_compute_mode');
// @ts-expect-error: Argo CD's cluster generator does not pass the Secret's config to templates
compiles<SecretData>('config');
// @ts-expect-error: not a Go template field name: a template reads it with index
compiles<TemplateField<SecretLabel>>('argocd.argoproj.io/secret-type');

const setup = renderSetup();
describe.skipIf(!setup.ready)('the Argo CD cluster Secret, as its table says', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);
  const keys = (where: 'label' | 'annotation' | 'stringData', optional?: boolean) =>
    Object.entries(CLUSTER_SECRET)
      .filter(([, f]) => f.in === where && (optional === undefined || f.optional === optional))
      .map(([k]) => k)
      .sort();

  const secretOf = (file: string) => {
    const xr = examples(DIR).find((e) => e.file === file)!.object;
    return setup.render(xr, fixture()).byName('registration').spec.forProvider.manifest;
  };

  it('carries every label, data key and required annotation of the table, and nothing else, once its parts report', () => {
    const secret = secretOf('staging-with-database.yaml');
    expect(Object.keys(secret.metadata.labels).sort()).toEqual(keys('label'));
    expect(Object.keys(secret.stringData).sort()).toEqual(keys('stringData'));
    const annotations = Object.keys(secret.metadata.annotations);
    expect(annotations).toEqual(expect.arrayContaining(keys('annotation', false)));
    expect(keys('annotation')).toEqual(expect.arrayContaining(annotations));
    // DNS zones and domains given: the optional lists are there.
    expect(secret.metadata.annotations).toMatchObject({
      cert_manager_hosted_zone_ids: expect.any(String),
      external_dns_domain_filters: expect.any(String),
    });
  });

  it('lacks the optional DNS lists when the XR gives no zones, and still says what each add-on selects by', () => {
    const secret = secretOf('dev-minimal.yaml');
    expect(Object.keys(secret.metadata.annotations)).toEqual(expect.arrayContaining(keys('annotation', false)));
    expect(secret.metadata.annotations).not.toHaveProperty('cert_manager_hosted_zone_ids');
    expect(secret.metadata.annotations).not.toHaveProperty('external_dns_domain_filters');
    expect(secret.metadata.labels).toMatchObject({ eks_compute_mode: 'Managed', environment: 'dev', 'argocd.argoproj.io/secret-type': 'cluster' });
  });
});

if (!setup.ready) {
  describe('the Argo CD cluster Secret', () => {
    it.skip(`skipped: ${setup.reason}`, () => {});
  });
}
