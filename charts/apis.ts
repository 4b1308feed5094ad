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
  // With releases beside it (charts/releases.ts), an XR that names no Composition must not get one
  // at random (Crossplane's APILabelSelectorResolver): it gets the working tree's.
  new CompositeResourceDefinitionV2(definition, 'Resource', {
    metadata: { name: api.name },
    spec: { ...api.xrdSpec(), defaultCompositionRef: { name: composition.name } },
  });
  const comp = new DistChart(scope, `${folder}-composition`, { file: `apis/${folder}/composition.yaml`, wave: WAVES.compositions });
  new Composition(comp, 'Resource', {
    metadata: { name: composition.name, labels: { [`${api.group}/api`]: api.kind.toLowerCase() } },
    spec: composition.spec(),
  });
  return [definition, comp];
}

/**
 * One EnvironmentConfig per environment, which the Cluster composition selects by label.
 * `compositions` names the Composition of each child API the environment runs (lib/releases.ts).
 */
export function environmentConfigChart(
  scope: Construct,
  environments: readonly Environment[],
  compositions: (env: Environment) => Record<string, string>,
): DistChart {
  const chart = new DistChart(scope, 'environments', { file: 'apis/cluster/environments.yaml', wave: WAVES.compositions });
  for (const env of environments) {
    new EnvironmentConfig(chart, env.name, {
      metadata: { name: environmentConfigName(env.name), labels: { [ENVIRONMENT_LABEL]: env.name } },
      data: { ...environmentData(env), compositions: compositions(env) },
    });
  }
  return chart;
}
