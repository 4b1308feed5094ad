import * as fs from 'node:fs';
import * as yaml from 'js-yaml';

/** Every non-empty document of a YAML file. */
export function readYamlDocs(file: string): any[] {
  return yaml.loadAll(fs.readFileSync(file, 'utf8')).filter((d) => d != null);
}

/** YAML the way dist/ and imports want it: stable, no line folding, no anchors. */
export function toYaml(docs: unknown[]): string {
  return docs.map((d) => yaml.dump(d, { lineWidth: -1, noRefs: true, sortKeys: false })).join('---\n');
}
