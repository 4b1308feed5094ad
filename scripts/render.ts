// npm run render -- XR.yaml [--observed FIXTURE.yaml] [--out RENDERED.yaml]
//
// A platform engineer's preview of what an XR composes, with the real Crossplane renderer and
// functions from the tool cache: render until the XR status settles, validate every composed
// resource against its CRD, print a table, and write the full YAML with --out. Exits non-zero
// when a tool is missing, the XR is not a platform API, or a resource is refused.
//
// The XR itself is validated first, as the API server would admit it (its XRD, with kubevalidate):
// an XR the API server would refuse is never rendered, and the problems read as synth's do.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { CrdCatalog } from '../lib/crds';
import { kubevalidate, objectLabel } from '../lib/kubevalidate';
import { definitionsFor, Renderer, readObservedFixture, resourceName } from '../lib/render';
import { explainMissing, findRenderTools } from '../lib/tools';
import { crdForXrd } from '../lib/xrd';
import { readYamlDocs, toYaml } from '../lib/yaml';
import { buildPlatform } from '../main';

/** Fields worth a glance per resource, in this order, when the resource has them. */
const KEY_FIELDS = [
  'cidrBlock',
  'availabilityZone',
  'destinationCidrBlock',
  'connectivityType',
  'version',
  'engine',
  'engineVersion',
  'instanceClass',
  'name',
];

/** A short summary of what the resource does, from its forProvider (or its spec for XRs). */
function keyFields(o: any): string {
  const fp = o.spec?.forProvider ?? o.spec ?? {};
  return KEY_FIELDS.filter((k) => typeof fp[k] === 'string' || typeof fp[k] === 'number')
    .map((k) => `${k}=${fp[k]}`)
    .join(' ');
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { observed: { type: 'string' }, out: { type: 'string' } } });
  if (positionals.length !== 1) {
    console.error('usage: npm run render -- XR.yaml [--observed FIXTURE.yaml] [--out RENDERED.yaml]');
    return 2;
  }
  const file = path.resolve(positionals[0]);
  const [xr] = readYamlDocs(file);
  const catalog = new CrdCatalog();
  const platform = buildPlatform({ plural: (apiVersion, kind) => catalog.plural(apiVersion, kind) });
  const objects = platform.charts.flatMap((c) => c.toJson());
  let definitions: ReturnType<typeof definitionsFor>;
  try {
    definitions = definitionsFor(xr, objects);
  } catch (e) {
    console.error(`${positionals[0]}: ${(e as Error).message}`);
    return 1;
  }
  const refused = kubevalidate([crdForXrd(definitions.xrd)], [{ id: 'xr', object: xr }]).objects[0].errors;
  if (refused.length) {
    const label = objectLabel(positionals[0], xr);
    console.error(`render failed, nothing rendered:\n  - ${refused.map((f) => `${label}: ${f.message}`).join('\n  - ')}`);
    return 1;
  }
  const composition = platform.compositions.find((c) => c.name === definitions.composition.metadata.name)!;
  const found = findRenderTools(composition.functions());
  if (!found.tools) {
    console.error(`render: ${explainMissing(found.missing)}`);
    return 1;
  }

  const renderer = await Renderer.start(
    found.tools,
    catalog,
    objects.filter((o) => o.kind === 'CompositeResourceDefinition'),
  );
  try {
    const started = process.hrtime.bigint();
    const out = renderer.render({ xr, ...definitions, observed: values.observed ? readObservedFixture(values.observed) : undefined });
    const checked = renderer.validate(out.composed);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(table([['KIND', 'RESOURCE', 'DETAILS'], ...out.composed.map((o) => [o.kind, resourceName(o), keyFields(o)])]));
    const ready = out.xr.status?.conditions?.find((c: any) => c.type === 'Ready');
    console.log(
      `\n${xr.kind} ${xr.metadata?.namespace}/${xr.metadata?.name}: ${out.composed.length} composed resources in ${out.passes} renders, ${seconds.toFixed(2)} s; Ready=${ready?.status ?? 'unknown'}${ready?.reason ? ` (${ready.reason})` : ''}`,
    );
    if (values.out) {
      fs.writeFileSync(values.out, toYaml([out.xr, ...out.composed]));
      console.log(`wrote the XR and its composed resources to ${values.out}`);
    }
    if (!checked.ok) {
      console.error(`\ncrank beta validate refused composed resources:\n${checked.output}`);
      return 1;
    }
    console.log('every composed resource is accepted by its CRD (crank beta validate)');
    if (checked.unchecked.length) console.log(`not checked (core kinds, no CRD): ${checked.unchecked.join(', ')}`);
    return 0;
  } finally {
    renderer.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`render: ${(e as Error).message}`);
    process.exitCode = 1;
  },
);
