import type { Construct } from 'constructs';
import type { PlatformComposition } from '../compositions/authoring';
import { CompositeResourceDefinitionV2, Composition } from '../imports/apiextensions.crossplane.io';
import { DistChart, WAVES } from './dist-chart';

/** One platform API in dist/apis/<name>/: its XRD, then its Composition a wave later. */
export function apiCharts(scope: Construct, folder: string, composition: PlatformComposition): DistChart[] {
  const api = composition.api;
  const definition = new DistChart(scope, `${folder}-definition`, { file: `apis/${folder}/definition.yaml`, wave: WAVES.definitions });
  new CompositeResourceDefinitionV2(definition, 'Resource', { metadata: { name: api.name }, spec: api.xrdSpec() });
  const comp = new DistChart(scope, `${folder}-composition`, { file: `apis/${folder}/composition.yaml`, wave: WAVES.compositions });
  new Composition(comp, 'Resource', {
    metadata: { name: composition.name, labels: { 'platform.drydock.dev/api': api.kind.toLowerCase() } },
    spec: composition.spec(),
  });
  return [definition, comp];
}
