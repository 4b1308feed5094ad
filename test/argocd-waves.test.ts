// The order Argo CD applies the control plane in, replayed: the root Application's sync and each
// child's, wave by wave, as gitops-engine runs them (sync_context.go: every object is dry-run
// when a sync starts unless it skips the dry run or its CRD is in the same sync; CRDs of a wave
// are created before its other kinds; every wave but the last waits until its objects are
// Healthy; the last wave is applied and not waited for). Whether a parent waits for a child
// Application is decided by Argo CD's own code (tools/argocd) with the Application health check
// of dist/bootstrap/argocd-cm.yaml: a child that has not synced yet must not look Healthy, a
// child that has must. The replay then requires every CRD (package, XRD, CRD object) before the
// objects of its kinds, every ProviderConfig before the XRs that use it, and nothing waiting on
// something applied later or on itself.

import { describe, expect, it } from 'vitest';
import { APP_WAVES, ROOT_WAVES } from '../charts/argocd';
import { SKIP_DRY_RUN, SYNC_OPTIONS, SYNC_WAVE } from '../charts/dist-chart';
import { CONTROL_CLUSTER_PROVIDER_CONFIG } from '../compositions/cluster/composition';
import { ENVIRONMENTS } from '../environments';
import { argocdAssess } from '../lib/argocd';
import { groupOf, isBuiltIn } from '../lib/crds';
import {
  CONTROL_PLANE_FIXTURES,
  childApps,
  fixtures,
  INSTALLED_ARGOCD_CM,
  observedAll,
  root,
  rootObjects,
  type SyncedObject,
  settings,
  syncedFrom,
} from './argocd-support';

/** Served before anything syncs: Kubernetes' own kinds and the CRDs Argo CD and Crossplane core install. */
const PREINSTALLED = ['argoproj.io', 'apiextensions.crossplane.io', 'pkg.crossplane.io', 'protection.crossplane.io', 'ops.crossplane.io'];
const waveOf = (o: any) => Number(o.metadata?.annotations?.[SYNC_WAVE] ?? 0);
const skipsDryRun = (o: any) => (o.metadata?.annotations?.[SYNC_OPTIONS] ?? '').split(',').includes(SKIP_DRY_RUN);
const kindOf = (o: any) => `${groupOf(o.apiVersion)}/${o.kind}`;
const nameOf = (o: any) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
const idOf = (o: any) => `${groupOf(o.apiVersion)} ${nameOf(o)}`;

/** The kinds an object serves once it is Healthy (`group/*`: every kind of the group). */
function provides(o: any): string[] {
  if (o.kind === 'CompositeResourceDefinition' || o.kind === 'CustomResourceDefinition') return [`${o.spec.group}/${o.spec.names.kind}`];
  if (o.kind !== 'Provider') return [];
  const pkg: string = o.spec.package;
  // provider-upjet-aws family members serve <family>.aws.m.upbound.io; the family provider they
  // depend on serves the aws.m.upbound.io provider configs.
  const family = /\/provider-aws-([a-z0-9]+):/.exec(pkg);
  if (family) return [`${family[1]}.aws.m.upbound.io/*`, 'aws.m.upbound.io/*'];
  if (pkg.includes('/provider-kubernetes:')) return ['kubernetes.m.crossplane.io/*'];
  throw new Error(`teach the replay which kinds ${pkg} serves`);
}

/**
 * The provider configs an object uses: a managed resource its own providerConfigRef's; an XR's
 * composed resources its environment's account and the control cluster's.
 */
function providerConfigsOf(o: any): string[] {
  const ref = o.spec?.providerConfigRef;
  // A provider family's configs live in its root group: iam.aws.m.upbound.io -> aws.m.upbound.io.
  if (ref) return [`${groupOf(o.apiVersion).replace(/^[a-z0-9]+\./, '')}/${ref.kind} ${ref.name}`];
  if (groupOf(o.apiVersion) !== 'platform.drydock.dev') return [];
  const env = ENVIRONMENTS.find((e) => e.name === o.spec.environment);
  return [
    `aws.m.upbound.io/ClusterProviderConfig ${env?.aws.providerConfigName}`,
    `kubernetes.m.crossplane.io/ClusterProviderConfig ${CONTROL_CLUSTER_PROVIDER_CONFIG}`,
  ];
}

interface Replay {
  readonly problems: string[];
  /** `<application>: wave <n>: <objects>` in the order they are applied. */
  readonly order: string[];
}

function replay(): Replay {
  const everyApp = [root, ...childApps];
  const objects = [...rootObjects, ...childApps.flatMap((a) => syncedFrom(a.spec.source))].map((o) => o.object);
  const known = fixtures(...CONTROL_PLANE_FIXTURES);
  // Argo CD's verdicts, in one call: every object once all is well, every Application just created.
  const assessed = argocdAssess({
    argocdCm: INSTALLED_ARGOCD_CM,
    argocdCmPatch: settings.argocdCm,
    objects: [
      ...observedAll(objects, known).map((object, i) => ({ id: `ready-${i}`, object })),
      ...everyApp.map((a, i) => ({ id: `new-${i}`, object: a })),
    ],
  }).objects;
  const steady = new Map(objects.map((o, i) => [idOf(o), assessed.find((r) => r.id === `ready-${i}`)!]));
  const fresh = new Map(everyApp.map((a, i) => [a.metadata.name, assessed.find((r) => r.id === `new-${i}`)!]));

  const problems: string[] = [];
  const order: string[] = [];
  const served = new Set<string>();
  const applied = new Set<string>();
  const done = new Set<string>();
  const isServed = (o: any) =>
    isBuiltIn(o.apiVersion) || PREINSTALLED.includes(groupOf(o.apiVersion)) || served.has(kindOf(o)) || served.has(`${groupOf(o.apiVersion)}/*`);
  const becomeHealthy = (o: any, by: string) => {
    const h = steady.get(idOf(o))!;
    if (h.status !== 'Healthy' && h.status !== '')
      problems.push(`${by} waits for ${nameOf(o)}, which Argo CD never finds Healthy (${h.status}: ${h.message})`);
    for (const k of provides(o)) served.add(k);
  };

  const sync = (app: any, ancestors: string[]): void => {
    const name = app.metadata.name;
    const tasks: SyncedObject[] = syncedFrom(app.spec.source);
    const inSync = new Set(tasks.flatMap((t) => provides(t.object).filter(() => t.object.kind === 'CustomResourceDefinition')));
    for (const t of tasks)
      if (!isServed(t.object) && !skipsDryRun(t.object) && !inSync.has(kindOf(t.object)))
        problems.push(`${name}: ${nameOf(t.object)} (${t.file}) is dry-run when the sync starts, before its kind is served: the whole sync fails`);
    const waves = [...new Set(tasks.map((t) => waveOf(t.object)))].sort((a, b) => a - b);
    for (const w of waves) {
      const inWave = tasks.filter((t) => waveOf(t.object) === w).map((t) => t.object);
      const last = w === waves[waves.length - 1];
      for (const crd of inWave.filter((o) => o.kind === 'CustomResourceDefinition')) for (const k of provides(crd)) served.add(k);
      order.push(`${name}: wave ${w}: ${inWave.map(nameOf).join(', ')}`);
      for (const o of inWave) {
        if (!isServed(o)) problems.push(`${name}: ${nameOf(o)} is applied in wave ${w} before anything serves ${kindOf(o)}`);
        for (const pc of providerConfigsOf(o)) if (!applied.has(pc)) problems.push(`${name}: ${nameOf(o)} is applied before ${pc}, which it uses`);
        applied.add(`${kindOf(o)} ${o.metadata.name}`);
      }
      for (const o of inWave.filter((x) => x.kind === 'Application')) {
        const child = o.metadata.name;
        if (child === name || ancestors.includes(child)) {
          if (!last) problems.push(`${name}: waits in wave ${w} for the health of ${child}, which is waiting for it: it never finishes`);
          continue;
        }
        if (!last && ['Healthy', ''].includes(fresh.get(child)!.status))
          problems.push(
            `${name}: does not wait for ${child} in wave ${w}: Argo CD reports it "${fresh.get(child)!.status || 'no health'}" before it synced`,
          );
        if (!done.has(child)) {
          sync(
            everyApp.find((a) => a.metadata.name === child),
            [...ancestors, name],
          );
          done.add(child);
        }
      }
      if (!last) for (const o of inWave) becomeHealthy(o, `${name} wave ${w}`);
    }
    // Its parent sees it Healthy only once all of it is.
    for (const t of tasks) becomeHealthy(t.object, `${name}'s health`);
  };
  sync(root, []);
  return { problems, order };
}

describe('the order Argo CD applies the control plane in', () => {
  const result = replay();

  it('installs every CRD before its objects, every ProviderConfig before the XRs using it, and waits on nothing applied later', () => {
    expect(result.problems).toEqual([]);
  });

  it('syncs the control-plane Applications one after another: packages, then APIs, then XRs', () => {
    const first = (app: string) => result.order.findIndex((l) => l.startsWith(`${app}: `));
    expect(first('crossplane-packages')).toBeLessThan(first('platform-apis'));
    for (const env of childApps.filter((a) => a.metadata.name.startsWith('clusters-')))
      expect(first('platform-apis'), env.metadata.name).toBeLessThan(first(env.metadata.name));
    expect(result.order.length).toBeGreaterThan(5);
  });

  it('gives each control-plane Application the wave the design says, and the root itself the last one', () => {
    const byName = new Map(rootObjects.map((o) => [o.object.metadata.name, o.object]));
    expect(waveOf(byName.get('crossplane-packages'))).toBe(APP_WAVES.crossplane);
    expect(waveOf(byName.get('platform-apis'))).toBe(APP_WAVES.apis);
    for (const a of childApps.filter((x) => x.metadata.name.startsWith('clusters-'))) expect(waveOf(a), a.metadata.name).toBe(APP_WAVES.clusters);
    const waves = rootObjects.map((o) => waveOf(o.object));
    expect(waveOf(root)).toBe(Math.max(...waves));
    expect(waveOf(root)).toBe(ROOT_WAVES.last);
    for (const p of rootObjects.filter((o) => o.object.kind === 'AppProject'))
      expect(waveOf(p.object)).toBeLessThan(Math.min(...Object.values(APP_WAVES)));
  });
});
