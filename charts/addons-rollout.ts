// How the add-on ApplicationSets roll out (RollingSync steps over each generated Application's
// `rollout` label): a change dev first, then staging, then prod; a new cluster's first install at
// once, waiting for no other cluster.
import type { SecretLabel, SecretOptionalAnnotation } from '../compositions/cluster/registration';
import type { Environment } from '../environments';

/**
 * The RollingSync step label of a generated Application. A cluster's first install must not
 * wait for unrelated clusters: RollingSync enables a step only once every Application of the
 * earlier steps is Healthy (applicationset_controller.go, buildAppSyncMap in v3.2;
 * progressivesync getAppsToSync in v3.5), and always enables the first. So the Applications of a
 * Cluster created less than FIRST_INSTALL_HOURS ago carry `first-install` and belong to the first
 * step; after that, a change reaches a cluster in its environment's step, dev before staging
 * before prod. The window only needs to outlast the time from the Cluster's creation to its
 * registration (EKS, about 15 minutes) and the first sync RollingSync starts at once; a broken
 * new cluster holds the rollout of a change back for at most that long.
 */
export const FIRST_INSTALL_HOURS = 2;
export const FIRST_INSTALL = 'first-install';
export const ROLLOUT_LABEL = 'rollout';
const CREATED: SecretOptionalAnnotation = 'cluster_created_at';
const ENVIRONMENT: SecretLabel = 'environment';
/** The label's value, rendered per cluster by the ApplicationSet from its Secret. */
export const ROLLOUT_LABEL_VALUE =
  `{{ $created := index .metadata.annotations "${CREATED}" }}` +
  `{{ if and $created (lt (sub (now | unixEpoch) (toDate "2006-01-02T15:04:05Z07:00" $created | unixEpoch)) ${FIRST_INSTALL_HOURS * 3600}) }}` +
  `${FIRST_INSTALL}{{ else }}{{ .metadata.labels.${ENVIRONMENT} }}{{ end }}`;

/** Rollout order: new clusters' first installs, then each environment's `rollout` step, dev before staging before prod. */
export function rolloutSteps(environments: readonly Environment[]) {
  const ordered = [FIRST_INSTALL, ...[...environments].sort((x, y) => x.rollout - y.rollout).map((e) => e.name)];
  return ordered.map((value) => ({ matchExpressions: [{ key: ROLLOUT_LABEL, operator: 'In', values: [value] }] }));
}
