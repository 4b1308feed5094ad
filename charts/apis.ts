import type { Construct } from 'constructs';
import { Composition, CompositeResourceDefinitionV2 } from '../imports/apiextensions.crossplane.io';
import type { PlatformComposition } from '../compositions/authoring';
import { DistChart, WAVES } from './dist-chart';

/** One platform API in dist/apis/<name>/: its XRD, then its Composition a wave later. */
export function apiCharts(scope: Construct, folder: string, composition: PlatformComposition): DistChart[] {
  const api = composition.api;
  const definition = new DistChart(scope, `${folder}-definition`, `apis/${folder}/definition.yaml`, WAVES.definitions);
  new CompositeResourceDefinitionV2(definition, 'Resource', { metadata: { name: api.name }, spec: api.xrdSpec() });
  const comp = new DistChart(scope, `${folder}-composition`, `apis/${folder}/composition.yaml`, WAVES.compositions);
  new Composition(comp, 'Resource', {
    metadata: { name: composition.name, labels: { 'platform.drydock.dev/api': api.kind.toLowerCase() } },
    spec: composition.spec(),
  });
  return [definition, comp];
}
