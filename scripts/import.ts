// npm run import: regenerate imports/ from the upstream CRDs in $CRDS_DIR.
//
// Each API group becomes one file, imports/<group>.ts. Upstream description text is
// stripped first: it is most of the size and keeps upstream prose out of the repo.
// The new files are generated into a temporary folder and swapped in only when
// `cdk8s import` succeeded, so a failed run leaves imports/ as it was.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { crdsDir, repoRoot } from '../lib/paths';
import { readYamlDocs, toYaml } from '../lib/yaml';

interface ImportGroup {
  /** API group; also the name of the generated file. */
  readonly group: string;
  /** CRD files under $CRDS_DIR. */
  readonly files: readonly string[];
  /** Prefix for every generated class, where a kind would shadow a TypeScript global. */
  readonly classPrefix?: string;
}

const aws = (group: string, plurals: string[], classPrefix?: string): ImportGroup => ({
  group: `${group}.aws.m.upbound.io`,
  files: plurals.map((p) => `provider-upjet-aws/${group}.aws.m.upbound.io_${p}.yaml`),
  classPrefix,
});

/** What the platform uses, and nothing more. */
export const IMPORTS: readonly ImportGroup[] = [
  {
    group: 'aws.m.upbound.io',
    files: ['provider-upjet-aws/aws.m.upbound.io_clusterproviderconfigs.yaml', 'provider-upjet-aws/aws.m.upbound.io_providerconfigs.yaml'],
  },
  aws('ec2', [
    'vpcs',
    'subnets',
    'internetgateways',
    'natgateways',
    'eips',
    'routetables',
    'routes',
    'routetableassociations',
    'securitygroups',
    'securitygroupingressrules',
    'securitygroupegressrules',
    'vpcendpoints',
    'launchtemplates',
  ]),
  aws('eks', ['clusters', 'nodegroups', 'addons', 'accessentries', 'accesspolicyassociations', 'podidentityassociations', 'clusterauths']),
  aws('iam', ['roles', 'policies', 'rolepolicies', 'rolepolicyattachments', 'instanceprofiles', 'openidconnectproviders']),
  aws('kms', ['keys', 'aliases']),
  aws('rds', ['clusters', 'clusterinstances', 'clusterparametergroups', 'subnetgroups']),
  aws('sqs', ['queues', 'queuepolicies']),
  aws('cloudwatchevents', ['rules', 'targets']),
  // route53 has a kind named Record, which would shadow TypeScript's Record<K, V>.
  aws('route53', ['records', 'zones'], 'Route53'),
  {
    group: 'apiextensions.crossplane.io',
    files: ['compositeresourcedefinitions', 'compositions', 'environmentconfigs', 'managedresourceactivationpolicies'].map(
      (p) => `crossplane/apiextensions.crossplane.io_${p}.yaml`,
    ),
  },
  { group: 'pkg.crossplane.io', files: ['providers', 'functions', 'deploymentruntimeconfigs'].map((p) => `crossplane/pkg.crossplane.io_${p}.yaml`) },
  { group: 'protection.crossplane.io', files: ['usages', 'clusterusages'].map((p) => `crossplane/protection.crossplane.io_${p}.yaml`) },
  // provider-kubernetes has a kind named Object, which would shadow the global Object.
  {
    group: 'kubernetes.m.crossplane.io',
    files: ['objects', 'clusterproviderconfigs', 'providerconfigs'].map((p) => `provider-kubernetes/kubernetes.m.crossplane.io_${p}.yaml`),
    classPrefix: 'Kubernetes',
  },
  { group: 'pt.fn.crossplane.io', files: ['functions/pt.fn.crossplane.io_resources.yaml'] },
  { group: 'autoready.fn.crossplane.io', files: ['functions/autoready.fn.crossplane.io_inputs.yaml'] },
  { group: 'environmentconfigs.fn.crossplane.io', files: ['functions/environmentconfigs.fn.crossplane.io_inputs.yaml'] },
  { group: 'karpenter.sh', files: ['karpenter/karpenter.sh_nodepools.yaml'] },
  { group: 'karpenter.k8s.aws', files: ['karpenter/karpenter.k8s.aws_ec2nodeclasses.yaml'] },
  { group: 'cert-manager.io', files: ['cert-manager/cert-manager.io_clusterissuers.yaml'] },
  { group: 'argoproj.io', files: ['argocd/application-crd.yaml', 'argocd/applicationset-crd.yaml', 'argocd/appproject-crd.yaml'] },
  { group: 'externaldns.k8s.io', files: ['external-dns/dnsendpoints.externaldns.k8s.io.yaml'] },
];

const SCHEMA_CHILDREN = ['items', 'additionalProperties', 'not'] as const;
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;

/** Remove `description` from a JSON schema, leaving properties that happen to be named "description". */
export function stripDescriptions(schema: any): void {
  if (schema == null || typeof schema !== 'object') return;
  delete schema.description;
  for (const prop of Object.values(schema.properties ?? {})) stripDescriptions(prop);
  for (const key of SCHEMA_CHILDREN) stripDescriptions(schema[key]);
  for (const key of SCHEMA_LISTS) for (const s of schema[key] ?? []) stripDescriptions(s);
}

function strippedCrds(files: readonly string[], root: string): unknown[] {
  return files.flatMap((rel) => {
    const file = path.join(root, rel);
    if (!fs.existsSync(file)) throw new Error(`import: CRD file ${file} is missing: set CRDS_DIR to the folder holding the upstream CRDs`);
    return readYamlDocs(file).map((crd) => {
      for (const v of crd.spec?.versions ?? []) stripDescriptions(v.schema?.openAPIV3Schema);
      return crd;
    });
  });
}

/** Generate imports/ (or `target`, for the test that checks imports/ is reproducible). */
export function runImport(target: string = path.join(repoRoot, 'imports')): void {
  const started = Date.now();
  const root = crdsDir();
  // Staged beside the target so the final renames never cross file systems.
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const work = fs.mkdtempSync(path.join(path.dirname(target), '.import-'));
  try {
    const out = path.join(work, 'out');
    fs.mkdirSync(out);
    // cdk8s import takes one spec per run and writes one file per API group, so the
    // CRDs sharing a class prefix go into one YAML file and one run.
    const runs = new Map<string, unknown[]>();
    for (const g of IMPORTS) {
      const key = g.classPrefix ?? '';
      runs.set(key, [...(runs.get(key) ?? []), ...strippedCrds(g.files, root)]);
    }
    const cli = path.join(repoRoot, 'node_modules', '.bin', 'cdk8s');
    for (const [prefix, crds] of runs) {
      const file = path.join(work, `crds-${prefix || 'plain'}.yaml`);
      fs.writeFileSync(file, toYaml(crds));
      const args = ['import', file, '--output', out, '--language', 'typescript', '--no-check-upgrade', '--no-save'];
      if (prefix) args.push('--class-prefix', prefix);
      execFileSync(cli, args, { cwd: work, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    }
    const old = path.join(work, 'old');
    if (fs.existsSync(target)) fs.renameSync(target, old);
    fs.renameSync(out, target);
    const files = fs.readdirSync(target).filter((f) => f.endsWith('.ts'));
    const bytes = files.reduce((n, f) => n + fs.statSync(path.join(target, f)).size, 0);
    console.log(
      `imported ${IMPORTS.length} API groups into ${path.relative(repoRoot, target) || target} (${files.length} files, ${(bytes / 1e6).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) runImport();
