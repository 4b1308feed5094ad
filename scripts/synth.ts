// npm run synth: build the platform, validate every object, and replace dist/ atomically.
//
// Nothing is written until everything validated: the new tree is written to a temporary
// folder beside dist/ and swapped in with two renames, so a failed synth leaves the old
// dist/ untouched and exits non-zero.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChartPinsInvalid, chartStepProblems, ownChartFiles } from '../charts/addons';
import { composedSamples } from '../compositions/authoring';
import { LAYOUT } from '../compositions/network/definition';
import { ENVIRONMENT_NAMES, EnvironmentsInvalid } from '../environments';
import { ARGOCD, admissionFor } from '../lib/admission';
import { apiDocPages } from '../lib/api-docs';
import { writeAtomically } from '../lib/atomic-tree';
import { updateReadme } from '../lib/catalog-doc';
import { type DistObject, overlappingClusters, readClaims, walkYaml } from '../lib/claims';
import { CrdCatalog, isBuiltIn } from '../lib/crds';
import { kubevalidate, objectLabel } from '../lib/kubevalidate';
import { repoRoot } from '../lib/paths';
import { releaseProblems } from '../lib/releases';
import { crdForXrd } from '../lib/xrd';
import { readYamlDocs } from '../lib/yaml';
import { buildPlatform } from '../main';

export class SynthError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`synth failed, dist/ left as it was:\n  - ${problems.join('\n  - ')}`);
  }
}

export interface SynthOptions {
  /** @default - dist/ in the repo */
  readonly outDir?: string;
  /** @default - claims/ in the repo */
  readonly claimsDir?: string;
  /** @default - $CRDS_DIR, or ../shared/crds */
  readonly catalog?: CrdCatalog;
  /**
   * Where the API reference pages go (one `<kind>.md` per API).
   * @default - docs/apis/ in the repo when writing the repo's dist/; none otherwise
   */
  readonly docsDir?: string;
  /** @default - the platform of main.ts (tests inject faults here) */
  readonly build?: typeof buildPlatform;
}

export interface SynthSummary {
  readonly files: number;
  readonly objects: number;
  readonly kinds: Record<string, number>;
  readonly developerXrs: number;
  /** Things worth a look that do not stop synth (overlapping VPCs). */
  readonly warnings: readonly string[];
  readonly seconds: number;
}

export function synth(options: SynthOptions = {}): SynthSummary {
  const started = process.hrtime.bigint();
  const outDir = options.outDir ?? path.join(repoRoot, 'dist');
  const catalog = options.catalog ?? new CrdCatalog();
  const claimsDir = options.claimsDir ?? path.join(repoRoot, 'claims');
  const withClusters = ENVIRONMENT_NAMES.filter((e) => fs.existsSync(path.join(claimsDir, e)) && walkYaml(path.join(claimsDir, e)).length > 0);
  let platform: ReturnType<typeof buildPlatform>;
  try {
    platform = (options.build ?? buildPlatform)({
      plural: (apiVersion, kind) => catalog.plural(apiVersion, kind),
      environmentsWithClusters: withClusters,
    });
  } catch (e) {
    throw new SynthError(e instanceof EnvironmentsInvalid || e instanceof ChartPinsInvalid ? e.problems : [(e as Error).message]);
  }
  const problems = [
    ...platform.compositions.flatMap((c) => c.problems(catalog)),
    // A release in use must still fit the XRD it shares with the working tree.
    ...platform.releases.flatMap((r) => releaseProblems(r, platform.compositions.find((c) => c.name === r.composition)!.api.schema())),
  ];

  const objects: DistObject[] = platform.charts.flatMap((chart) => {
    try {
      return chart.toJson().map((object: any) => ({ file: chart.file, object, source: `charts for dist/${chart.file}` }));
    } catch (e) {
      throw new SynthError([`charts for dist/${chart.file}: ${(e as Error).message}`]);
    }
  });
  // A raised add-on chart pin, judged against the add-ons dist/ ships now (what Argo CD runs).
  const shippedAddons = path.join(outDir, 'argocd', 'addons.yaml');
  const skipped = fs.existsSync(shippedAddons) ? chartStepProblems(readYamlDocs(shippedAddons)) : [];
  if (skipped.length) throw new SynthError(skipped);
  const apis = new Map(platform.compositions.map((c) => [`${c.api.apiVersion}/${c.api.kind}`, c.api]));
  const claims = readClaims(claimsDir, apis, problems);
  const seen = new Map<string, string>();
  for (const c of claims) {
    const other = seen.get(c.file);
    if (other)
      problems.push(
        `${c.source}: ${c.object.kind} ${c.object.metadata.namespace}/${c.object.metadata.name} is also defined in ${other}: names must be unique per namespace`,
      );
    seen.set(c.file, c.source);
  }

  // One validator run over everything the API server will see: every dist object against its
  // upstream CRD, every XR against the CRD Crossplane derives from its XRD (exactly as written
  // to dist/), patch-and-transform inputs against their schema, and every composed resource,
  // fully patched with sample values, against its provider CRD.
  const all = [...objects, ...claims];
  const label = (o: DistObject) => objectLabel(o.source, o.object);
  // Built-in kinds (RBAC, the argocd-cm ConfigMap) have no CRD here; their TypeScript types check them.
  const checks = [
    ...all.filter((o) => !isBuiltIn(o.object.apiVersion)).map((o) => ({ label: label(o), object: o.object })),
    ...platform.compositions.flatMap((c) =>
      c
        .spec()
        .pipeline.filter((s: any) => s.input?.kind === 'Resources')
        .map((s: any) => ({
          label: `composition ${c.name} step ${s.step} input`,
          object: { ...s.input, metadata: { name: s.step, namespace: 'input' } },
        })),
    ),
    ...platform.compositions.flatMap((c) => composedSamples(c, catalog)).map((s) => ({ label: `${s.label} once patched`, object: s.object })),
  ];
  const crds = new Map<string, unknown>();
  for (const { object } of checks) {
    const crd = apis.has(`${object.apiVersion}/${object.kind}`) ? undefined : catalog.find(object.apiVersion, object.kind);
    if (crd) crds.set(crd.metadata.name, crd);
  }
  for (const { object } of objects) if (object.kind === 'CompositeResourceDefinition') crds.set(object.metadata.name, crdForXrd(object));
  // Every XR of claims/ is also judged by the admission policies synth writes, as Argo CD's
  // controller would submit it: a claim the control cluster would refuse stops synth here.
  const report = kubevalidate(
    [...crds.values()],
    checks.map((c, i) => ({ id: String(i), object: c.object })),
    admissionFor(
      objects.map((o) => o.object),
      claims.map((c, i) => ({ id: String(i), operation: 'CREATE', object: c.object, user: ARGOCD })),
    ),
  );
  for (const c of report.crds) for (const f of c.errors) problems.push(`CRD ${c.name} would be refused by the API server: ${f.message}`);
  for (const r of report.objects) for (const f of r.errors) problems.push(`${checks[Number(r.id)].label}: ${f.message}`);
  for (const w of report.policyWarnings ?? [])
    problems.push(`charts for dist/argocd/admission.yaml: ValidatingAdmissionPolicy ${w.policy} ${w.fieldRef} does not type-check: ${w.warning}`);
  for (const v of report.admission ?? [])
    if (!v.allowed) problems.push(`${claims[Number(v.id)].source}: the control cluster would refuse it (as Argo CD applies it): ${v.message}`);
  if (problems.length) throw new SynthError(problems);

  const files = new Map<string, unknown[] | string>();
  for (const o of all) files.set(o.file, [...((files.get(o.file) as unknown[]) ?? []), o.object]);
  // Our add-on chart, which the drydock-addons ApplicationSet installs from dist/addons/.
  for (const [file, text] of ownChartFiles()) files.set(file, text);
  writeAtomically(outDir, files);
  const docsDir = options.docsDir ?? (options.outDir ? undefined : path.join(repoRoot, 'docs', 'apis'));
  if (docsDir)
    writeAtomically(
      docsDir,
      apiDocPages(
        platform,
        objects.map((o) => o.object),
      ),
    );
  // The README's pinned-versions table follows catalog/ whenever the repository's own docs do.
  if (docsDir && !options.docsDir) updateReadme(path.join(repoRoot, 'README.md'));

  const kinds: Record<string, number> = {};
  for (const o of objects) kinds[o.object.kind] = (kinds[o.object.kind] ?? 0) + 1;
  const warnings = overlappingClusters(claims, LAYOUT.properties.cidr.default);
  return {
    files: files.size,
    objects: objects.length,
    kinds,
    developerXrs: claims.length,
    warnings,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

function main(): void {
  try {
    const s = synth({ claimsDir: process.env.CLAIMS_DIR ? path.resolve(process.env.CLAIMS_DIR) : undefined });
    const kinds = Object.entries(s.kinds)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    console.log(
      `synth: dist/ has ${s.files} files: ${s.objects} platform objects (${kinds}) and ${s.developerXrs} developer XRs; ${s.seconds.toFixed(2)} s`,
    );
    for (const w of s.warnings) console.warn(`synth: warning: ${w}`);
  } catch (e) {
    console.error(e instanceof SynthError ? e.message : e);
    process.exitCode = 1;
  }
}

if (require.main === module) main();
