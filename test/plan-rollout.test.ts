// Compositions roll out by environment: dev runs the working tree's, staging and production run
// releases frozen in releases/ until promoted. Proved with the real renderer on the platform as
// synth builds it (real pins), and on the files synth writes.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT_LABEL } from '../compositions/cluster/environment';
import { ENVIRONMENTS } from '../environments';
import { defineEnvironment } from '../environments/environment';
import { repoRoot } from '../lib/paths';
import { flattenTree, folderSource, type PlanSide, plan, type RenderedNode, rollout, sideFromObjects, TreeRenderer, treeErrors } from '../lib/plan';
import { EDGE, freeze, nextRelease, pinnedCompositions, RELEASE_LABEL, readReleases, releaseFile, releaseName } from '../lib/releases';
import { definitionsFor } from '../lib/render';
import { toYaml } from '../lib/yaml';
import { chartObjects, committedDistObjects, renderSetup, workingTreeObjects } from './support';

const setup = renderSetup();
const repo = folderSource(repoRoot, 'working tree');
const clusters = (): PlanSide => {
  const side = sideFromObjects({ label: 'base', objects: chartObjects(), repo });
  return { ...side, xrs: side.xrs.filter((x) => x.xr.kind === 'Cluster') };
};
const edgeName = (objects: readonly any[], kind: string) =>
  objects.find((o) => o.kind === 'CompositeResourceDefinition' && o.spec.names.kind === kind).spec.defaultCompositionRef.name;
const environmentOf = (objects: readonly any[], env: string) =>
  objects.find((o) => o.kind === 'EnvironmentConfig' && o.metadata.labels[ENVIRONMENT_LABEL] === env);

/**
 * `side` as when releases begin: every environment after the first runs releases r1 cut from this
 * working tree's Compositions, whatever releases/ holds. Later Composition changes on main leave
 * releases/ behind (which is their point), and must not change what these tests prove.
 */
function releasesBegin(side: PlanSide, later: readonly string[]): PlanSide {
  const edges = side.objects.filter((o) => o.kind === 'Composition' && !o.metadata.labels?.[RELEASE_LABEL]);
  const frozen = edges.map((e) => freeze(structuredClone(e), 'r1'));
  const kindOf = new Map(side.objects.filter((o) => o.kind === 'Composition').map((o) => [o.metadata.name, o.spec.compositeTypeRef.kind]));
  const cut = (name: string) => releaseName(edgeName(side.objects, kindOf.get(name)), 'r1');
  const objects = [...side.objects.filter((o) => !(o.kind === 'Composition' && o.metadata.labels?.[RELEASE_LABEL])), ...frozen].map((o) =>
    o.kind === 'EnvironmentConfig' && later.includes(o.metadata.labels[ENVIRONMENT_LABEL])
      ? {
          ...o,
          data: { ...o.data, compositions: Object.fromEntries(Object.entries(o.data.compositions).map(([api, n]) => [api, cut(n as string)])) },
        }
      : o,
  );
  return { ...side, objects };
}

/** `side` with a tag added to the EKS cluster of the working tree's EKS Composition (not a release). */
function tagged(side: PlanSide): PlanSide {
  const objects = structuredClone(side.objects) as any[];
  const edge = objects.find((o) => o.kind === 'Composition' && o.metadata.name === edgeName(objects, 'EKSCluster'));
  const cluster = edge.spec.pipeline.find((s: any) => s.input?.kind === 'Resources').input.resources.find((r: any) => r.name === 'cluster');
  cluster.base.spec.forProvider.tags = { ...cluster.base.spec.forProvider.tags, team: 'platform' };
  return { ...side, label: 'head', objects };
}

/** `side` after `npm run release` and a promotion of `envs`: the working tree's EKS Composition frozen as `id`, which they run. */
function promoted(side: PlanSide, envs: readonly string[], id: string): PlanSide {
  const name = edgeName(side.objects, 'EKSCluster');
  const release = freeze(
    side.objects.find((o) => o.metadata?.name === name),
    id,
  );
  const objects = [...side.objects, release].map((o) =>
    o.kind === 'EnvironmentConfig' && envs.includes(o.metadata.labels[ENVIRONMENT_LABEL])
      ? { ...o, data: { ...o.data, compositions: { ...o.data.compositions, eks: release.metadata.name } } }
      : o,
  );
  return { ...side, label: `${envs.join(' and ')} promoted`, objects };
}

describe('environments run releases', () => {
  it('dev runs the working tree; staging and production name frozen releases, each shipped to dist/ byte for byte', () => {
    const objects = chartObjects();
    const edge = ['Network', 'EKSCluster', 'Database'].map((k) => edgeName(objects, k));
    expect((Object.values(environmentOf(objects, 'dev').data.compositions) as string[]).sort()).toEqual(edge.sort());
    const releases = readReleases();
    for (const env of ['staging', 'prod']) {
      for (const name of Object.values(environmentOf(objects, env).data.compositions) as string[]) {
        const release = releases.find((r) => r.object.metadata.name === name);
        expect(release, `${env} runs ${name}, a release in releases/`).toBeDefined();
        // synth keeps it as it is: the dist/ file is the release file under synth's header.
        const shipped = committedDistObjects().find((d) => d.object.kind === 'Composition' && d.object.metadata.name === name)!;
        expect(shipped.object).toEqual(release!.object);
        const text = (f: string) => fs.readFileSync(path.join(repoRoot, f), 'utf8').replace(/^(#.*\n)+/, '');
        expect(text(`dist/${shipped.file}`)).toBe(text(release!.file));
      }
    }
  });

  it('gives every XRD its working-tree Composition as default, so an XR that names none never gets a release at random', () => {
    const objects = chartObjects();
    for (const xrd of objects.filter((o) => o.kind === 'CompositeResourceDefinition')) {
      const name = xrd.spec.defaultCompositionRef?.name;
      const composition = objects.find((o) => o.kind === 'Composition' && o.metadata.name === name);
      expect(composition?.metadata.labels[RELEASE_LABEL], `${xrd.spec.names.kind} defaults to ${name}`).toBeUndefined();
      expect(composition?.spec.compositeTypeRef.kind).toBe(xrd.spec.names.kind);
      // The renderer harness chooses as Crossplane does: the default when the XR names none.
      expect(
        definitionsFor({ apiVersion: `${xrd.spec.group}/${xrd.spec.versions[0].name}`, kind: xrd.spec.names.kind, metadata: { name: 'x' } }, objects)
          .composition.metadata.name,
      ).toBe(name);
    }
  });

  it('refuses a pin to a release that does not exist, or that is not a release id, naming the file, the field and the choices', () => {
    const releases = readReleases();
    const edge = { network: 'network-aws', eks: 'eks-aws', database: 'database-aurora-postgresql' };
    expect(() => pinnedCompositions({ name: 'prod', compositions: { eks: 'r99' } }, edge, releases)).toThrow(
      /^environments\/prod\.ts: compositions\.eks = "r99" is not a release of eks-aws: cut one with npm run release, or use one of edge, r1/,
    );
    expect(() => pinnedCompositions({ name: 'prod', compositions: { dns: 'r1' } }, edge, releases)).toThrow('compositions.dns is not a child API');
    const prod = ENVIRONMENTS.find((e) => e.name === 'prod')!;
    expect(() => defineEnvironment({ ...prod, compositions: { eks: 'v2' as any } })).toThrow(
      'compositions.eks: Invalid value: "v2": use "edge" or a release id (r1, r2, ...)',
    );
    expect(pinnedCompositions({ name: 'dev' }, edge, releases)).toEqual(edge);
  });

  it('cuts releases as Compositions of their own, numbered per Composition, and refuses a release file edited by hand', () => {
    const edge = chartObjects().find((o) => o.kind === 'Composition' && o.metadata.name === 'eks-aws');
    const frozen = freeze(edge, 'r7');
    expect(frozen.metadata).toMatchObject({ name: 'eks-aws-r7', labels: { [RELEASE_LABEL]: 'r7' } });
    expect(frozen.spec).toEqual(edge.spec);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-releases-'));
    try {
      fs.mkdirSync(path.join(dir, 'eks-aws'));
      fs.writeFileSync(path.join(dir, 'eks-aws', 'r7.yaml'), releaseFile({ composition: 'eks-aws', id: 'r7', object: frozen }, 'a test'));
      expect(nextRelease(readReleases(dir), 'eks-aws')).toBe('r8');
      expect(nextRelease(readReleases(dir), 'network-aws')).toBe('r1');
      fs.writeFileSync(path.join(dir, 'eks-aws', 'r8.yaml'), toYaml([{ ...frozen, metadata: { ...frozen.metadata, name: 'eks-aws-r7' } }]));
      expect(() => readReleases(dir)).toThrow(/r8\.yaml: must hold one Composition named "eks-aws-r8" labelled platform\.drydock\.dev\/release: r8/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(EDGE).toBe('edge');
  });
});

describe.skipIf(!setup.ready)('a change rolls out dev first, production last (real renderer)', () => {
  beforeAll(setup.start);
  afterAll(setup.stop);
  const memo = new Map();
  const tree = (side: PlanSide) =>
    new TreeRenderer({ renderer: setup.renderer, objects: side.objects, fixtures: side.fixtures, engine: 'test', memo });
  const order = [...ENVIRONMENTS].sort((a, b) => a.rollout - b.rollout).map((e) => e.name);
  /** Every resource of `env`'s trees as YAML; `fresh` renders without sharing any earlier render. */
  const rendered = async (side: PlanSide, env: string, props: { fresh?: boolean } = {}) => {
    const renderer = props.fresh
      ? new TreeRenderer({ renderer: setup.renderer, objects: side.objects, fixtures: side.fixtures, engine: 'test' })
      : tree(side);
    const trees = await Promise.all(side.xrs.filter((x) => x.xr.spec.environment === env).map((x) => renderer.render(x.xr, x.observed)));
    return trees.map((t) => toYaml([...flattenTree(t).values()])).join('---\n');
  };

  it("a change to the EKS composition reaches dev at once and leaves production's rendered output byte-identical until it is promoted", async () => {
    // GIVEN staging and production on r1, cut from the Compositions the change starts from
    const base = releasesBegin(clusters(), order.slice(1));
    const head = tagged(base);
    const result = await plan({ base, head, renderers: { base: tree(base), head: tree(head) } });
    const byEnv = (env: string) => result.xrs.filter((x) => x.environment === env);
    expect(byEnv('prod').length).toBeGreaterThan(0);
    for (const x of byEnv('dev'))
      expect(
        x.resources.flatMap((r) => r.fields.map((f) => `${r.path} ${f.path}`)),
        x.title,
      ).toEqual(['eks/cluster spec.forProvider.tags.team']);
    for (const env of ['staging', 'prod']) for (const x of byEnv(env)) expect(x.status, `${x.title} runs a release`).toBe('unchanged');
    expect(await rendered(head, 'dev')).not.toBe(await rendered(base, 'dev'));

    // The plan says what promoting would do: staging takes the working tree, production then staging's.
    const steps = await rollout({ base, head, plan: result, order, renderer: tree });
    const staging = steps.find((s) => s.environment === 'staging')!;
    expect(staging.promotion.moves).toEqual([{ api: 'eks', from: 'eks-aws-r1', to: 'eks-aws' }]);
    for (const x of staging.promotion.plan!.xrs)
      expect(x.resources.flatMap((r) => r.fields.map((f) => f.path))).toContain('spec.forProvider.tags.team');
    expect(steps.find((s) => s.environment === 'prod')!.promotion.moves).toEqual([]);

    // WHEN the change is cut as r2 and staging is promoted, production still renders as before:
    // byte for byte, every resource of every production tree, rendered afresh.
    const stagingOnly = promoted(head, ['staging'], 'r2');
    expect(await rendered(stagingOnly, 'prod', { fresh: true })).toBe(await rendered(base, 'prod', { fresh: true }));
    expect(await rendered(stagingOnly, 'staging')).not.toBe(await rendered(base, 'staging'));
    // THEN promoting production changes it, with the field named and nothing destructive.
    const both = promoted(head, ['staging', 'prod'], 'r2');
    const prodOnly = (side: PlanSide): PlanSide => ({ ...side, xrs: side.xrs.filter((x) => x.xr.spec.environment === 'prod') });
    const last = await plan({ base: prodOnly(stagingOnly), head: prodOnly(both), renderers: { base: tree(stagingOnly), head: tree(both) } });
    expect(last.xrs.length).toBeGreaterThan(0);
    for (const x of last.xrs.filter((x) => x.environment === 'prod')) {
      expect(x.status).toBe('changed');
      expect(x.destructive).toBe(false);
      expect(x.resources.flatMap((r) => r.fields.map((f) => `${r.path} ${f.path}`))).toEqual([
        'eks spec.crossplane.compositionRef.name',
        'eks/cluster spec.forProvider.tags.team',
      ]);
    }
    // Renders every Cluster tree several times over, each in seconds: minutes on a busy 2-core machine.
  }, 600_000);

  /**
   * Why a tree rendered with its environment's Compositions is not fit to run: an XR its
   * Composition refused (the rest of the tree stays valid, so only this tells), or a resource its
   * CRD refuses.
   */
  const renderProblems = (rendered: RenderedNode): string[] => {
    const checked = setup.renderer.validate([...flattenTree(rendered).values()]);
    return [...treeErrors(rendered), ...(checked.ok ? [] : [checked.output])];
  };

  it("every environment's Compositions, releases included, render its Clusters into resources their CRDs accept", async () => {
    const side = clusters();
    const edge = { ...side, objects: workingTreeObjects() };
    for (const x of side.xrs) {
      const rendered = await tree(side).render(x.xr, x.observed);
      expect(renderProblems(rendered), x.title).toEqual([]);
      // The Cluster composition is not staged: it must compose the same whichever child Compositions
      // run, else a release lacks a status the working tree's Cluster composition waits for.
      const own = (node: typeof rendered) => [...node.composed.keys()].sort();
      expect(own(rendered), `${x.title}: what the Cluster composes with its releases`).toEqual(own(await tree(edge).render(x.xr, x.observed)));
      const all = [...flattenTree(rendered).values()];
      const children = all.filter((o) => o.spec?.crossplane?.compositionRef);
      expect(children.length, `${x.title} composes child XRs`).toBeGreaterThan(0);
      for (const c of children) {
        const env = environmentOf(side.objects, x.xr.spec.environment);
        expect(Object.values(env.data.compositions)).toContain(c.spec.crossplane.compositionRef.name);
      }
    }
  });

  it('catches a release that no longer renders for its environment: production raised to a Kubernetes version its frozen EKS release does not know', async () => {
    // The XRD and the environments are not staged: main may offer a version a release older than it
    // never mapped to add-on versions. As if production's EKS release had been cut before its version.
    const side = clusters();
    const objects = structuredClone(side.objects) as any[];
    const prod = environmentOf(objects, 'prod');
    const version = prod.data.kubernetes.version;
    const release = objects.find((o) => o.kind === 'Composition' && o.metadata.name === prod.data.compositions.eks);
    expect(release.metadata.labels[RELEASE_LABEL], 'production runs a release').toBeDefined();
    let forgotten = 0;
    const forget = (v: any): void => {
      if (Array.isArray(v)) v.forEach(forget);
      else if (v && typeof v === 'object') {
        if (v.type === 'map' && v.map && version in v.map) forgotten += Number(delete v.map[version]);
        Object.values(v).forEach(forget);
      }
    };
    forget(release);
    expect(forgotten, `the release maps Kubernetes ${version} to add-on versions`).toBeGreaterThan(0);
    const x = side.xrs.find((x) => x.xr.spec.environment === 'prod')!;
    const rendered = await tree({ ...side, objects }).render(x.xr, x.observed);
    // What did render is still valid: only the EKS child's error tells.
    expect(setup.renderer.validate([...flattenTree(rendered).values()]).ok).toBe(true);
    expect(renderProblems(rendered)).toEqual([expect.stringMatching(new RegExp(`^eks: .*${version.replace('.', '\\.')}`, 's'))]);
  });
});
