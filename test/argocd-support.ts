// dist/ as Argo CD follows it (from the root Application through every Application it creates),
// the Argo CD settings an installation gets from dist/bootstrap/, and the statuses controllers
// report once all is well (charts/observed/), shared by the Argo CD tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateApplications } from '../lib/argocd';
import { groupOf } from '../lib/crds';
import { repoRoot } from '../lib/paths';
import { readYamlDocs } from '../lib/yaml';

export const dist = path.join(repoRoot, 'dist');

export interface SyncedObject {
  /** Path of the file, relative to the repository. */
  readonly file: string;
  readonly object: any;
}

/** The objects Argo CD syncs from a directory source (YAML files, recursing only when asked). */
export function syncedFrom(source: { path: string; directory?: { recurse?: boolean } }): SyncedObject[] {
  const dir = path.join(repoRoot, source.path);
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: !!source.directory?.recurse })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .sort((a, b) => path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name)))
    .flatMap((e) =>
      readYamlDocs(path.join(e.parentPath, e.name)).map((object) => ({ file: path.relative(repoRoot, path.join(e.parentPath, e.name)), object })),
    );
}

/** What an operator applies by hand: the platform project and the root Application. */
export const bootstrap = readYamlDocs(path.join(dist, 'argocd', 'bootstrap.yaml'));
export const root = bootstrap.find((o) => o.kind === 'Application');
/** Every object the root Application syncs (itself included). */
export const rootObjects = syncedFrom(root.spec.source);
/** The Applications the root creates. */
export const childApps = rootObjects
  .filter((o) => o.object.kind === 'Application' && o.object.metadata.name !== root.metadata.name)
  .map((o) => o.object);
/** Every object Argo CD syncs on the control cluster: the root's and its children's. */
export const controlPlaneObjects: SyncedObject[] = [...rootObjects, ...childApps.flatMap((a) => syncedFrom(a.spec.source))];

/** The settings an installation merges into its argocd-cm and argocd-cmd-params-cm. */
export const settings = {
  argocdCm: readYamlDocs(path.join(dist, 'bootstrap', 'argocd-cm.yaml'))[0],
  argocdCmdParamsCm: readYamlDocs(path.join(dist, 'bootstrap', 'argocd-cmd-params-cm.yaml'))[0],
};

/**
 * An argocd-cm as an Argo CD installation carries it before we add ours: keys of the kinds a
 * stock install (manifests/install.yaml) and a team's own configuration have, including the
 * legacy `resource.customizations` block.
 */
export const INSTALLED_ARGOCD_CM = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'argocd-cm', namespace: 'argocd', labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' } },
  data: {
    'resource.exclusions': '- apiGroups: ["coordination.k8s.io"]\n  kinds: ["Lease"]\n',
    'resource.customizations.ignoreResourceUpdates.all': 'jsonPointers:\n- /status\n',
    'resource.customizations': 'example.com/Widget:\n  health.lua: |\n    return { status = "Healthy" }\n',
    'timeout.reconciliation': '180s',
  },
};

// ---- observed statuses (charts/observed/) ----

const OBSERVED = path.join(repoRoot, 'charts', 'observed');
export type Fixtures = Map<string, any>;
const groupKind = (o: { apiVersion: string; kind: string }) => `${groupOf(o.apiVersion)}/${o.kind}`;

/** The fixture files of everything Argo CD syncs on the control cluster. */
export const CONTROL_PLANE_FIXTURES = [
  'crossplane.yaml',
  'argocd-identity.yaml',
  'rbac.yaml',
  'admission.yaml',
  'apis.yaml',
  'composites.yaml',
  'argocd.yaml',
];

/** The fixtures of the given files under charts/observed/, by group/kind; the first file wins. */
export function fixtures(...files: string[]): Fixtures {
  const out: Fixtures = new Map();
  for (const f of files) for (const doc of readYamlDocs(path.join(OBSERVED, f))) if (!out.has(groupKind(doc))) out.set(groupKind(doc), doc);
  return out;
}

/** The kinds among `objects` with no fixture, as group/kind. */
export function missingFixtures(objects: readonly any[], known: Fixtures): string[] {
  return [...new Set(objects.map(groupKind))].filter((k) => !known.has(k)).sort();
}

/** `object` as its controller reports it once all is well: the status its kind's fixture gives. */
export function observed(object: any, known: Fixtures): any {
  const fixture = known.get(groupKind(object));
  if (!fixture) throw new Error(`no observed status for ${groupKind(object)} in charts/observed/`);
  const out = structuredClone(object);
  if (fixture.status !== undefined) out.status = substitute(fixture.status, object);
  else delete out.status;
  return out;
}

/** `$(path)` and `$(path:default)` stand for the object's own value at that dotted path. */
function substitute(value: any, object: any): any {
  if (typeof value === 'string') {
    const m = /^\$\(([^:)]+)(?::([^)]*))?\)$/.exec(value);
    if (!m) return value;
    const found = m[1].split('.').reduce((at: any, k) => at?.[k], object);
    if (found !== undefined) return structuredClone(found);
    if (m[2] === undefined) throw new Error(`fixture needs ${m[1]} of ${object.kind} ${object.metadata?.name}`);
    return Number.isNaN(Number(m[2])) ? m[2] : Number(m[2]);
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, object));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, object)]));
  return value;
}

/**
 * `objects` once all is well (`observed`), each Application's status.sync.comparedTo as Argo CD's
 * controller writes it: its source and destination serialized by Argo CD's Go types, which add
 * empty fields the spec in git lacks (a directory source gains `jsonnet: {}`).
 */
export function observedAll(objects: readonly any[], known: Fixtures): any[] {
  const apps = objects.filter((o) => groupOf(o.apiVersion) === 'argoproj.io' && o.kind === 'Application');
  const projects = objects.filter((o) => o.kind === 'AppProject');
  const written = new Map(validateApplications({ projects, applications: apps }).map((r) => [r.name, r.asRead]));
  return objects.map((o) => {
    const out = observed(o, known);
    const spec = written.get(o.metadata.name);
    if (apps.includes(o) && spec && out.status?.sync?.comparedTo)
      out.status.sync.comparedTo = { ...out.status.sync.comparedTo, source: spec.source, destination: spec.destination };
    return out;
  });
}

/** Whether Argo CD treats the object as a sync hook (its own or Helm's), which it leaves out of health. */
export const isHook = (o: any) => !!(o.metadata?.annotations?.['argocd.argoproj.io/hook'] || o.metadata?.annotations?.['helm.sh/hook']);
