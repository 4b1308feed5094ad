// Admission rules of the Cluster API that depend on the environment a Cluster names, generated at
// synth from environments/: what a Cluster leaves to its environment (ACU range, Kubernetes
// version and support type) is combined with what it gives, and checked by the API server before
// anything is composed (the add-on charts' Kubernetes versions and the support type too). Without them such a Cluster is accepted, composes its network and EKS cluster, and only
// its Database (or EKSCluster) part is refused: AWS resources for a claim that can never be ready.
import { CHARTS, type ChartName, EKS_VERSIONS, KUBERNETES } from '../../catalog';
import type { Environment } from '../../environments';
import { chartSupportRule, type JsonSchema, type Read, supportTypeRule } from '../authoring';

/** A CEL map literal from environment name to a value. */
const byEnvironment = (environments: readonly Environment[], value: (e: Environment) => string) =>
  `{${environments.map((e) => `'${e.name}': ${value(e)}`).join(', ')}}`;
/** A CEL double literal (2.0, not 2, which CEL reads as an int). */
const double = (n: number) => (Number.isInteger(n) ? n.toFixed(1) : String(n));

/** The version a Cluster gets: its own, else its environment's. */
const versionIn =
  (environments: readonly Environment[]): Read =>
  (o) => {
    const versions = byEnvironment(environments, (e) => `'${e.kubernetes.version}'`);
    return `(has(${o}.kubernetes) && has(${o}.kubernetes.version) ? ${o}.kubernetes.version : (${o}.environment in ${versions} ? ${versions}[${o}.environment] : ''))`;
  };

/** Each add-on with a chart that does not run on every offered Kubernetes version, refused where it would not. */
const chartRules = (environments: readonly Environment[], addons: Readonly<Record<string, { readonly chart: ChartName }>>) =>
  Object.entries(addons).flatMap(([toggle, a]) => {
    const rule = chartSupportRule({
      chart: CHARTS[a.chart],
      enabled: (o) => `has(${o}.addons) && has(${o}.addons.${toggle}) && ${o}.addons.${toggle}`,
      version: versionIn(environments),
      fix: `use another kubernetes.version or turn addons.${toggle} off`,
    });
    return rule ? [rule] : [];
  });

/** The Cluster's rules for `environments`; `addons` are its toggles and their charts. */
export function environmentRules(
  environments: readonly Environment[],
  addons: Readonly<Record<string, { readonly chart: ChartName }>>,
): JsonSchema[] {
  const support = byEnvironment(environments, (e) => `'${e.kubernetes.supportType}'`);
  const known = `self.environment in ${byEnvironment(environments, () => 'true')}`;
  const minDefault = byEnvironment(environments, (e) => double(e.database.minAcu));
  const maxDefault = byEnvironment(environments, (e) => double(e.database.maxAcu));
  const min = `(has(self.database.minAcu) ? self.database.minAcu : ${minDefault}[self.environment])`;
  const max = `(has(self.database.maxAcu) ? self.database.maxAcu : ${maxDefault}[self.environment])`;
  const ranges = byEnvironment(environments, (e) => `'minAcu ${e.database.minAcu} and maxAcu ${e.database.maxAcu}'`);
  const rules: JsonSchema[] = [
    supportTypeRule({
      version: versionIn(environments),
      supportType: (o) => `(${o}.environment in ${support} ? ${support}[${o}.environment] : '')`,
      fix: `use ${KUBERNETES.standard[0]} or later (this environment's support type is STANDARD)`,
    }),
    ...chartRules(environments, addons),
    {
      rule: `!(${known}) || !has(self.database) || !self.database.enabled || ${min} <= ${max}`,
      // No string() of the capacities: the API server's cost estimate of a number printed as text
      // is unbounded. The environment's own values are spelled out instead.
      messageExpression: `'database.minAcu is above database.maxAcu: where the Cluster gives neither, the ' + self.environment + ' environment gives ' + ${ranges}[self.environment] + ': lower database.minAcu or set database.maxAcu'`,
      message: "database.minAcu is above database.maxAcu (a value not given is the environment's): lower minAcu or set database.maxAcu",
      fieldPath: '.database',
    },
  ];
  const restricted = environments.filter((e) => e.kubernetes.allowedVersions);
  if (restricted.length) {
    const allowed = (e: Environment) => e.kubernetes.allowedVersions ?? EKS_VERSIONS;
    const lists = byEnvironment(
      environments,
      (e) =>
        `[${allowed(e)
          .map((v) => `'${v}'`)
          .join(', ')}]`,
    );
    const words = byEnvironment(environments, (e) => `'${allowed(e).join(', ')}'`);
    // A Cluster already at a version stays editable (the environment's list moves on); a new one, or
    // a change of version, must be allowed.
    const unchanged =
      '(oldSelf.hasValue() && has(oldSelf.value().kubernetes) && has(oldSelf.value().kubernetes.version) && oldSelf.value().kubernetes.version == self.kubernetes.version)';
    rules.push({
      rule: `!(${known}) || !has(self.kubernetes.version) || self.kubernetes.version in ${lists}[self.environment] || ${unchanged}`,
      optionalOldSelf: true,
      messageExpression: `'Kubernetes ' + self.kubernetes.version + ' is not allowed in the ' + self.environment + ' environment: use one of ' + ${words}[self.environment] + ', or leave kubernetes.version out for its default'`,
      message: 'the Kubernetes version is not one the environment allows: leave kubernetes.version out for its default',
      fieldPath: '.kubernetes.version',
    });
  }
  return rules;
}
