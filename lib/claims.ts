// The claims synth reads from claims/<environment>/ (developer and platform XRs, destined for
// dist/clusters/): what it refuses, file by file, before anything is written, and the warnings
// that do not stop it (VPCs that overlap in one account and region).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { syncAnnotations, WAVES } from '../charts/dist-chart';
import { ENVIRONMENT_NAMES, ENVIRONMENTS } from '../environments';
import { PLATFORM } from '../environments/platform';
import { cidrsOverlap } from './cidr';
import { repoRoot } from './paths';
import { nearest } from './schema';
import { readYamlDocs } from './yaml';

export interface DistObject {
  readonly file: string;
  readonly object: any;
  /** Where a reader should look to fix it. */
  readonly source: string;
}

/** An XR from claims/: applied last, once its XRD exists. */
const withSyncAnnotations = (o: any) => ({
  ...o,
  metadata: { ...o.metadata, annotations: { ...o.metadata?.annotations, ...syncAnnotations(WAVES.composites, true) } },
});

/** Developer and platform XRs from claims/<environment>/**.yaml, destined for dist/clusters/. */
export function readClaims(claimsDir: string, apis: Map<string, unknown>, problems: string[]): DistObject[] {
  if (!fs.existsSync(claimsDir)) return [];
  const out: DistObject[] = [];
  for (const env of fs.readdirSync(claimsDir).sort()) {
    const envDir = path.join(claimsDir, env);
    if (!fs.statSync(envDir).isDirectory()) continue;
    if (!ENVIRONMENT_NAMES.includes(env)) {
      problems.push(`${path.relative(repoRoot, envDir)}: "${env}" is not an environment: use one of ${ENVIRONMENT_NAMES.join(', ')}`);
      continue;
    }
    for (const file of walkYaml(envDir)) {
      const rel = path.relative(repoRoot, file);
      let docs: any[];
      try {
        docs = readYamlDocs(file);
      } catch (e) {
        problems.push(`${rel}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
        continue;
      }
      for (const doc of docs) {
        const key = `${doc?.apiVersion}/${doc?.kind}`;
        if (!apis.has(key)) {
          problems.push(
            `${rel}: apiVersion/kind "${doc?.apiVersion}" "${doc?.kind}" is not a platform API: ${didYouMean(`${doc?.apiVersion}/${doc?.kind}`, [...apis.keys()])}`,
          );
          continue;
        }
        const { name, namespace } = doc.metadata ?? {};
        if (!name || !namespace) {
          problems.push(`${rel}: ${doc.kind} needs metadata.name and metadata.namespace (platform APIs are namespaced)`);
          continue;
        }
        if (!PLATFORM.teams.some((t) => t.namespace === namespace)) {
          problems.push(
            `${rel}: namespace "${namespace}" is not a team namespace: add it to PLATFORM.teams in environments/platform.ts (its RoleBinding and Namespace follow)`,
          );
          continue;
        }
        if (doc.kind === 'Cluster' && doc.spec?.environment !== env) {
          // Suggest only a folder synth would accept: the claim's environment, when it is one.
          const theirs = doc.spec?.environment;
          const fix = ENVIRONMENT_NAMES.includes(theirs)
            ? `move the file to claims/${theirs}/ or set spec.environment: ${env}`
            : `set spec.environment: ${env} (${JSON.stringify(theirs)} is not an environment: use one of ${ENVIRONMENT_NAMES.join(', ')})`;
          problems.push(`${rel}: Cluster ${namespace}/${name} has spec.environment ${JSON.stringify(theirs)} but lives in claims/${env}/: ${fix}`);
          continue;
        }
        const own = Object.keys(syncAnnotations(WAVES.composites, true)).filter((k) => doc.metadata.annotations?.[k] !== undefined);
        if (own.length) {
          problems.push(
            `${rel}: ${doc.kind} ${namespace}/${name} sets ${own.map((k) => `metadata.annotations["${k}"]`).join(' and ')}, which synth writes (XRs sync last, after their APIs): remove it`,
          );
          continue;
        }
        out.push({ file: `clusters/${env}/${namespace}/${doc.kind.toLowerCase()}-${name}.yaml`, object: withSyncAnnotations(doc), source: rel });
      }
    }
  }
  return out;
}

/**
 * Clusters whose VPCs would overlap in the same account and region: legal, but they can never be
 * peered or joined by a transit gateway. One warning per pair, naming both files.
 */
export function overlappingClusters(claims: readonly DistObject[], defaultCidr: string): string[] {
  const clusters = claims
    .filter((c) => c.object.kind === 'Cluster')
    .map((c) => ({
      c,
      account: ENVIRONMENTS.find((e) => e.name === c.object.spec.environment)?.aws.accountId,
      cidr: c.object.spec.network?.cidr ?? defaultCidr,
    }));
  const warnings: string[] = [];
  clusters.forEach((a, i) => {
    for (const b of clusters.slice(i + 1)) {
      if (a.account === b.account && a.c.object.spec.region === b.c.object.spec.region && cidrsOverlap(a.cidr, b.cidr)) {
        warnings.push(
          `${a.c.source} (${a.cidr}) and ${b.c.source} (${b.cidr}): VPC CIDRs overlap in account ${a.account}, ${a.c.object.spec.region}: give one spec.network.cidr a free block if they may ever be connected`,
        );
      }
    }
  });
  return warnings;
}

/** `did you mean "x"?` when a candidate is close, else the whole list. */
function didYouMean(word: string, candidates: readonly string[]): string {
  const near = nearest(word, candidates);
  return near ? `did you mean "${near}"?` : `use one of ${candidates.join(', ')}`;
}

export function walkYaml(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walkYaml(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []))
    .sort();
}
