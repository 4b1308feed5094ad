// Releases as synth ships them while main moves on: what a release in use needs installed beside
// it, and what it shares with the working tree (its XRD), checked before anything is written.
// test/plan-rollout.test.ts proves what each environment runs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENTS } from '../environments';
import { readReleases, releaseFile } from '../lib/releases';
import { buildPlatform } from '../main';
import { SynthError, synth } from '../scripts/synth';
import { chartObjects, crds } from './support';

// The environments as they were when r1 was the release in use (staging and prod pinned to it), so
// these cases edit r1 whatever releases/ holds later.
const onR1 = ENVIRONMENTS.map((e) => (e.compositions ? { ...e, compositions: { network: 'r1', eks: 'r1', database: 'r1' } as const } : e));

describe('what dist/ installs for the releases in use', () => {
  const plural = (apiVersion: string, kind: string) => crds().plural(apiVersion, kind);
  const activated = (objects: readonly any[]) => objects.find((o) => o.kind === 'ManagedResourceActivationPolicy').spec.activate;
  const zones = 'zones.route53.aws.m.upbound.io';

  it('keeps a kind only a release composes activated, its provider installed, and refuses a release whose function is gone, naming its file', () => {
    // GIVEN releases/ as it is, but with eks-aws r1 also composing a Route53 zone, which the working tree does not compose
    expect(activated(chartObjects())).not.toContain(zones);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-releases-'));
    const write = (composition: string, object: any) => {
      fs.mkdirSync(path.join(dir, composition), { recursive: true });
      fs.writeFileSync(path.join(dir, composition, 'r1.yaml'), releaseFile({ composition, id: 'r1', object }, 'a test'));
    };
    const edited = (change: (object: any) => void) => {
      const object = structuredClone(readReleases().find((r) => r.composition === 'eks-aws' && r.id === 'r1')!.object);
      change(object);
      return object;
    };
    try {
      for (const r of readReleases().filter((r) => r.id === 'r1')) write(r.composition, r.object);
      write(
        'eks-aws',
        edited((o) =>
          o.spec.pipeline
            .find((s: any) => s.input?.kind === 'Resources')
            .input.resources.push({
              name: 'zone',
              base: { apiVersion: 'route53.aws.m.upbound.io/v1beta1', kind: 'Zone', spec: { forProvider: {} } },
            }),
        ),
      );
      // WHEN synth builds the platform THEN the kind is activated and its provider family installed
      const objects = chartObjects(buildPlatform({ plural, releasesDir: dir, environments: onR1 }));
      expect(activated(objects)).toContain(zones);
      expect(objects.filter((o) => o.kind === 'Provider').map((o) => o.metadata.name)).toContain('provider-aws-route53');
      // A release that runs a function the platform no longer installs would fail in the cluster: refused.
      write(
        'eks-aws',
        edited((o) => o.spec.pipeline.push({ step: 'templates', functionRef: { name: 'function-go-templating' } })),
      );
      expect(() => buildPlatform({ plural, releasesDir: dir, environments: onR1 })).toThrow(
        /eks-aws\/r1\.yaml: step "templates" runs function "function-go-templating", which the platform no longer installs \(FUNCTIONS in compositions\/authoring\/functions\.ts\): add it back, or move every environment off eks-aws-r1/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a release in use still fits the XRD it shares with the working tree', () => {
  it('is refused by synth when it reads an XR field the XRD no longer has (as after a rename on main), naming file, resource and field', () => {
    // GIVEN releases/ as it is, but with network-aws r1 reading spec.zones, a field the Network XRD does not have
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-releases-'));
    try {
      for (const r of readReleases().filter((r) => r.id === 'r1')) {
        const object =
          r.composition === 'network-aws' ? JSON.parse(JSON.stringify(r.object).replaceAll('"spec.availabilityZones', '"spec.zones')) : r.object;
        fs.mkdirSync(path.join(dir, r.composition));
        fs.writeFileSync(path.join(dir, r.composition, 'r1.yaml'), releaseFile({ composition: r.composition, id: 'r1', object }, 'a test'));
      }
      // WHEN synth builds with it THEN it stops before writing anything, for every patch that reads the field
      const build: typeof buildPlatform = (props) => buildPlatform({ ...props, releasesDir: dir, environments: onR1 });
      const err = (() => {
        try {
          synth({ outDir: path.join(dir, 'dist'), build });
        } catch (e) {
          return e as SynthError;
        }
      })();
      expect(err).toBeInstanceOf(SynthError);
      expect(err!.problems.length).toBeGreaterThanOrEqual(3);
      expect(err!.problems[0]).toMatch(
        /network-aws\/r1\.yaml: resource "subnet-[a-z]+-[a-z0-9]+" reads the XR at "spec\.zones\[\d\]", which the Network XRD no longer has \("spec" has no field "zones".*\): environments running network-aws-r1 need it; keep the field until they run a later release/,
      );
      expect(fs.existsSync(path.join(dir, 'dist'))).toBe(false);
      // The remedy stays open: npm run release reads the working tree with every environment on it, so it can cut the replacement.
      synth({ outDir: path.join(dir, 'dist'), build: (props) => build({ ...props, runs: 'working-tree' }) });
      expect(fs.readdirSync(path.join(dir, 'dist', 'apis', 'network'))).toEqual(['composition.yaml', 'definition.yaml']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
