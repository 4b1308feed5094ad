// The add-ons a rendered tree's registration would bring: the Argo CD cluster Secrets it composes
// (through provider-kubernetes Objects), turned into Applications by Argo CD's own ApplicationSet
// code (tools/argocd) with that side's ApplicationSets.
import { renderApplicationSets } from '../argocd';

const CLUSTER_SECRET_LABEL = 'argocd.argoproj.io/secret-type';

/** The Argo CD cluster Secrets among composed resources: the manifests of Objects that write one. */
export function clusterSecrets(resources: Iterable<any>): any[] {
  return [...resources]
    .map((o) => o.spec?.forProvider?.manifest)
    .filter((m) => m?.kind === 'Secret' && m.metadata?.labels?.[CLUSTER_SECRET_LABEL] === 'cluster');
}

/** An Application generated for a cluster, keyed `<ApplicationSet>/<Application>`. */
export type Applications = Map<string, any>;

const secretName = (s: any) => s.stringData?.name ?? s.metadata?.name;

/** The Applications a group of cluster Secrets gets, and why an ApplicationSet failed for it. */
export interface GroupApplications {
  readonly applications: Applications;
  readonly errors: string[];
}

/**
 * The Applications each group of cluster Secrets gets from `applicationSets`, by group key. One
 * call to tools/argocd per batch of Secrets with distinct names (two examples may name the same
 * cluster); Applications are told apart by their destination. An ApplicationSet that fails for a
 * batch is run again per Secret, so the failure is pinned on the group that causes it.
 */
export function applicationsFor(applicationSets: readonly any[], groups: ReadonlyMap<string, readonly any[]>): Map<string, GroupApplications> {
  const out = new Map<string, GroupApplications>([...groups.keys()].map((k) => [k, { applications: new Map(), errors: [] }]));
  const pending = [...groups].flatMap(([key, secrets]) => secrets.map((secret) => ({ key, secret })));
  if (!applicationSets.length) return out;
  const run = (sets: readonly any[], batch: readonly { key: string; secret: any }[]) => {
    const failed: any[] = [];
    const results = renderApplicationSets(
      sets,
      batch.map((b) => b.secret),
    );
    for (const result of results) {
      if (result.error) {
        if (batch.length === 1)
          out.get(batch[0].key)!.errors.push(`ApplicationSet ${result.applicationSet} fails in Argo CD's code: ${oneLine(result.error)}`);
        else failed.push(sets.find((s) => s.metadata.name === result.applicationSet));
        continue;
      }
      for (const app of result.applications) {
        const dest = app.spec?.destination ?? {};
        const owner = batch.find((b) => (dest.name ? dest.name === secretName(b.secret) : dest.server === b.secret.stringData?.server));
        if (owner) out.get(owner.key)!.applications.set(`${result.applicationSet}/${app.metadata.name}`, app);
      }
    }
    if (failed.length) for (const b of batch) run(failed, [b]);
  };
  while (pending.length) {
    const names = new Set<string>();
    const batch = pending.filter((p) => !names.has(secretName(p.secret)) && names.add(secretName(p.secret)));
    for (const p of batch) pending.splice(pending.indexOf(p), 1);
    run(applicationSets, batch);
  }
  return out;
}

/** Argo CD quotes the whole template in its error; the reason is at the end. */
function oneLine(error: string): string {
  const lines = error.split('\n').filter(Boolean);
  return lines.length > 1 ? `${lines[0]} ... ${lines[lines.length - 1]}` : error;
}
