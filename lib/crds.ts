import * as fs from 'node:fs';
import * as path from 'node:path';
import { crdsDir } from './paths';
import { readYamlDocs } from './yaml';

/** The API group of `apiVersion` ('' for the core group's `v1`). */
export const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** Kinds the API server serves itself (core, rbac.authorization.k8s.io, apps...), not from a CRD. */
export function isBuiltIn(apiVersion: string): boolean {
  const group = groupOf(apiVersion);
  return group === '' || group.endsWith('.k8s.io') || ['apps', 'batch', 'policy', 'autoscaling'].includes(group);
}

/** A CRD file found under $CRDS_DIR, parsed on first use. */
interface CrdFile {
  readonly file: string;
  /** API group guessed from the file name, when the file follows `<group>_<plural>.yaml`. */
  readonly group?: string;
  docs?: any[];
}

/**
 * The upstream CRDs under $CRDS_DIR, read in place. Files are parsed lazily: a lookup
 * parses only the files whose name carries the wanted API group (or, failing that, all).
 */
export class CrdCatalog {
  private readonly files: CrdFile[];

  constructor(readonly root: string = crdsDir()) {
    if (!fs.existsSync(root)) {
      throw new Error(`CRD folder ${root} does not exist: put the shared CRDs beside the checkout (../shared/crds) or set CRDS_DIR`);
    }
    this.files = listYaml(root).map((file) => {
      const base = path.basename(file);
      const group = base.includes('_') ? base.slice(0, base.indexOf('_')) : undefined;
      return { file, group };
    });
  }

  /** The CRD serving `apiVersion`/`kind`, or undefined. */
  find(apiVersion: string, kind: string): any | undefined {
    const group = groupOf(apiVersion);
    const named = this.files.filter((f) => f.group === group);
    for (const f of named.length ? named : this.files.filter((f) => f.group === undefined)) {
      const crd = this.docs(f).find((d) => d.spec?.group === group && d.spec?.names?.kind === kind);
      if (crd) return crd;
    }
    return undefined;
  }

  /** The CRD serving `apiVersion`/`kind`, or an error that says what is missing. */
  get(apiVersion: string, kind: string): any {
    const crd = this.find(apiVersion, kind);
    if (!crd)
      throw new Error(
        `no CRD for ${kind} (${apiVersion}) under ${this.root}: add it to CRDS_DIR, or run npm run import after changing provider versions`,
      );
    return crd;
  }

  /** The resource plural of `apiVersion`/`kind` (e.g. `vpcs`), as its CRD names it. */
  plural(apiVersion: string, kind: string): string {
    return this.get(apiVersion, kind).spec.names.plural;
  }

  /** The OpenAPI schema of `apiVersion`/`kind`, or an error that says what is missing. */
  schema(apiVersion: string, kind: string): any {
    const crd = this.get(apiVersion, kind);
    const version = apiVersion.split('/')[1];
    const v = crd.spec.versions.find((x: any) => x.name === version);
    if (!v)
      throw new Error(
        `CRD ${crd.metadata.name} does not serve version ${version} (it serves ${crd.spec.versions.map((x: any) => x.name).join(', ')})`,
      );
    return v.schema.openAPIV3Schema;
  }

  private docs(f: CrdFile): any[] {
    f.docs ??= readYamlDocs(f.file).filter((d) => d.kind === 'CustomResourceDefinition');
    return f.docs;
  }
}

function listYaml(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listYaml(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : []))
    .sort();
}
