import * as fs from 'node:fs';
import * as yaml from 'js-yaml';

/** Every non-empty document of a YAML text. */
export function parseYamlDocs(text: string): any[] {
  return yaml.loadAll(text).filter((d) => d != null);
}

/** Every non-empty document of a YAML file. */
export function readYamlDocs(file: string): any[] {
  return parseYamlDocs(fs.readFileSync(file, 'utf8'));
}

/** YAML the way dist/ and imports want it: stable, no line folding, no anchors. */
export function toYaml(docs: unknown[]): string {
  return docs.map((d) => yaml.dump(d, { lineWidth: -1, noRefs: true, sortKeys: false })).join('---\n');
}
