import type { Construct } from 'constructs';
import type { PlatformComposition } from '../compositions/authoring';
import { ENVIRONMENT_LABEL, environmentConfigName, environmentData } from '../compositions/cluster/environment';
import type { Environment } from '../environments';
import { CompositeResourceDefinitionV2, Composition, EnvironmentConfig } from '../imports/apiextensions.crossplane.io';
import { DistChart, WAVES } from './dist-chart';

/** One platform API in dist/apis/<name>/: its XRD, then its Composition a wave later. */
export function apiCharts(scope: Construct, folder: string, composition: PlatformComposition): DistChart[] {
  const api = composition.api;
  const definition = new DistChart(scope, `${folder}-definition`, { file: `apis/${folder}/definition.yaml`, wave: WAVES.definitions });
  new CompositeResourceDefinitionV2(definition, 'Resource', { metadata: { name: api.name }, spec: api.xrdSpec() });
  const comp = new DistChart(scope, `${folder}-composition`, { file: `apis/${folder}/composition.yaml`, wave: WAVES.compositions });
  new Composition(comp, 'Resource', {
    metadata: { name: composition.name, labels: { [`${api.group}/api`]: api.kind.toLowerCase() } },
    spec: composition.spec(),
  });
  return [definition, comp];
}

/** One EnvironmentConfig per environment, which the Cluster composition selects by label. */
export function environmentConfigChart(scope: Construct, environments: readonly Environment[]): DistChart {
  const chart = new DistChart(scope, 'environments', { file: 'apis/cluster/environments.yaml', wave: WAVES.compositions });
  for (const env of environments) {
    new EnvironmentConfig(chart, env.name, {
      metadata: { name: environmentConfigName(env.name), labels: { [ENVIRONMENT_LABEL]: env.name } },
      data: environmentData(env),
    });
  }
  return chart;
}
