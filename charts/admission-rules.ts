// The rules of the admission policies (charts/admission.ts puts them together, one policy per
// kind, in the order a request meets them): each returns the CEL a ValidatingAdmissionPolicy
// runs, with the message that names the field, the bad value and the fix, and the variables
// the rules share (a team namespace's environments and the values each field may take).
import type { k8s } from 'cdk8s-plus-30';
import type { JsonSchema, PlatformApi } from '../compositions/authoring';
import type { Environment } from '../environments';
import { PLATFORM, type Team } from '../environments/platform';
import { type ACCOUNT_FIELDS, NAME_SOURCES, PLATFORM_USERS, type TEAM_FIELDS } from './admission';

export type Item = { readonly variable: { name: string; expression: string } } | { readonly rule: k8s.Validation };

/** A CEL string literal. */
const str = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const list = (xs: readonly string[]) => `[${xs.map(str).join(', ')}]`;
const map = (entries: readonly [string, string][]) => `{${entries.map(([k, v]) => `${str(k)}: ${v}`).join(', ')}}`;
const uniq = (xs: readonly string[]) => [...new Set(xs)].sort();

/** `has(a.b) && has(a.b.c)`: every step of a path, so a missing parent is false, not an error. */
function present(path: string, root = 'object'): string {
  const parts = path.split('.');
  return parts
    .slice(1)
    .map((_, i) => `has(${root}.${parts.slice(0, i + 2).join('.')})`)
    .join(' && ');
}
/** An update that leaves `path` as it was: what existed before a rule changed is not refused again. */
const unchanged = (path: string) =>
  `(request.operation == 'UPDATE' && ${present(path, 'oldObject')} && ${present(path)} && oldObject.${path} == object.${path})`;

export function hasPath(schema: JsonSchema, path: readonly string[]): boolean {
  let s: JsonSchema | undefined = schema;
  for (const p of path) s = s?.properties?.[p];
  return s !== undefined;
}

interface Context {
  readonly teams: readonly Team[];
  readonly environments: readonly Environment[];
}

/** Per team namespace: its environments, for each account field the values they allow, and for each team field the team's values. */
export function teamVariables(ctx: Context, fields: typeof ACCOUNT_FIELDS = [], teamFields: typeof TEAM_FIELDS = []): Item[] {
  const envsOf = (t: Team) => ctx.environments.filter((e) => (t.environments as readonly string[]).includes(e.name));
  const perTeam = (values: (t: Team) => readonly string[]) => map(ctx.teams.map((t) => [t.namespace, list(values(t))]));
  const v = (name: string, expression: string): Item => ({ variable: { name, expression } });
  return [
    v(
      'environmentsOf',
      perTeam((t) => t.environments),
    ),
    v('inTeamNamespace', 'request.namespace in variables.environmentsOf'),
    v('environments', "variables.inTeamNamespace ? variables.environmentsOf[request.namespace] : ['']"),
    v(
      'platformIdentity',
      `request.userInfo.username in ${list(PLATFORM_USERS)} || (has(request.userInfo.groups) && ${str(PLATFORM.platformGroup)} in request.userInfo.groups)`,
    ),
    ...fields.map((f) =>
      v(fieldVariable(f.path), `variables.inTeamNamespace ? ${perTeam((t) => uniq(envsOf(t).flatMap(f.values)))}[request.namespace] : ['']`),
    ),
    ...teamFields.map((f) => v(fieldVariable(f.path), `variables.inTeamNamespace ? ${perTeam((t) => uniq(t[f.teamKey]))}[request.namespace] : []`)),
  ];
}

const fieldVariable = (path: string) => `allowed_${path.split('.').pop()}`;

/** A Cluster in a team namespace uses one of the team's environments. */
export function environmentRule(api: PlatformApi): Item[] {
  if (!hasPath(api.specSchema(), ['environment'])) throw new Error(`${api.kind} has no spec.environment: the environment rule cannot apply`);
  return [
    {
      rule: {
        expression: `!variables.inTeamNamespace || ${unchanged('spec.environment')} || object.spec.environment in variables.environments`,
        messageExpression:
          "'spec.environment: \"' + object.spec.environment + '\" is not an environment of team namespace ' + request.namespace + ' (it may use ' + variables.environments.join(', ') + '): use one of those, or ask the platform team to add \"' + object.spec.environment + '\" to the team\\'s environments in environments/platform.ts'",
        message: 'spec.environment is not one of the environments this team namespace may use (environments/platform.ts)',
        reason: 'Forbidden',
      },
    },
  ];
}

/**
 * Crossplane's own fields of an XR (spec.crossplane, crossplane/crossplane internal/xcrd
 * schemas.go) and what each decides: which Composition and which revision of it the XR runs
 * (anyone else setting one could run a team's Cluster on an old or another composition, out of
 * reach of the platform's fixes), and which objects of its namespace it composed (Crossplane
 * reads them back as observed and deletes those it no longer composes, when no other XR controls
 * them: internal/controller/apiextensions/composite/composition_functions.go at the core release
 * of catalog/versions.ts).
 */
const PICKS_COMPOSITION = "it picks the platform\\'s composition and rolls its revisions out";
export const CROSSPLANE_FIELDS = {
  compositionRef: PICKS_COMPOSITION,
  compositionRevisionRef: PICKS_COMPOSITION,
  compositionSelector: PICKS_COMPOSITION,
  compositionRevisionSelector: PICKS_COMPOSITION,
  resourceRefs: 'it lists what Crossplane composed, which Crossplane reads back and deletes once no longer composed',
} as const;

export function crossplaneFieldRule([field, why]: [string, string]): Item {
  const path = `spec.crossplane.${field}`;
  return {
    rule: {
      expression: `variables.platformIdentity || !(${present(path)}) || ${unchanged(path)}`,
      messageExpression: `'${path} is Crossplane\\'s: ${why}; only Crossplane and group ${PLATFORM.platformGroup} set it, not ' + request.userInfo.username + ': leave it out'`,
      message: `${path} is set by Crossplane and the platform group only: leave it out`,
      reason: 'Forbidden',
    },
  };
}

/** Manual composition updates would keep a Cluster on its old revision, and its old IAM, for good. */
export function manualUpdatesRule(): Item {
  const path = 'spec.crossplane.compositionUpdatePolicy';
  return {
    rule: {
      expression: `variables.platformIdentity || !(${present(path)}) || object.${path} != 'Manual' || ${unchanged(path)}`,
      messageExpression: `'${path}: "Manual" would keep this Cluster on its current composition revision, out of reach of the platform\\'s fixes; only group ${PLATFORM.platformGroup} sets it, not ' + request.userInfo.username + ': leave it out (Automatic)'`,
      message: `${path}: Manual is for the platform group only: leave it out`,
      reason: 'Forbidden',
    },
  };
}

/** A field that names an account holds only values of the team's environments. */
export function accountRule(f: (typeof ACCOUNT_FIELDS)[number]): Item {
  const allowed = `variables.${fieldVariable(f.path)}`;
  const value = `object.${f.path}`;
  const bad = f.list ? `${value}.filter(v, !(v in ${allowed}))[0]` : value;
  return {
    rule: {
      expression: `!variables.inTeamNamespace || !(${present(f.path)}) || ${unchanged(f.path)} || ${f.list ? `${value}.all(v, v in ${allowed})` : `${value} in ${allowed}`}`,
      messageExpression: `'${f.path}: "' + ${bad} + '" is not ${f.what} of an environment team namespace ' + request.namespace + ' may use (' + variables.environments.join(', ') + '): XRs in a team namespace reach only its environments\\' accounts; create a Cluster with spec.environment one of those, which picks the account'`,
      message: `${f.path} is not ${f.what} of an environment this team namespace may use (environments/platform.ts)`,
      reason: 'Forbidden',
    },
  };
}

/**
 * A field naming a team's own AWS resources holds only the team's values, whoever writes it (a
 * platform engineer's Cluster in a team namespace, Crossplane composing one). An update that
 * leaves it as it was passes: a zone taken from a team keeps serving what already uses it.
 */
export function teamFieldRule(f: (typeof TEAM_FIELDS)[number]): Item {
  const allowed = `variables.${fieldVariable(f.path)}`;
  const value = `object.${f.path}`;
  return {
    rule: {
      expression: `!variables.inTeamNamespace || !(${present(f.path)}) || ${unchanged(f.path)} || ${value}.all(v, v in ${allowed})`,
      messageExpression: `'${f.path}: "' + ${value}.filter(v, !(v in ${allowed}))[0] + '" is not ${f.what} of team namespace ' + request.namespace + ' (it may use ' + (size(${allowed}) == 0 ? 'none' : ${allowed}.join(', ')) + '): ${f.why}; use one of those, or ask the platform team to add it to the team\\'s ${f.teamKey} in environments/platform.ts'`,
      message: `${f.path} names ${f.what} that is not the team's (environments/platform.ts)`,
      reason: 'Forbidden',
    },
  };
}

/** Only the platform's identities create or change a lower-level XR in a team namespace. */
export function platformOnlyRule(api: PlatformApi, developerApi: PlatformApi): Item {
  return {
    rule: {
      expression: "!variables.inTeamNamespace || variables.platformIdentity || (request.operation == 'UPDATE' && object.spec == oldObject.spec)",
      messageExpression: `'${api.kind} is a platform API: in team namespace ' + request.namespace + ' only Crossplane (composing a ${developerApi.kind}), Argo CD (claims/) and group ${PLATFORM.platformGroup} create or change one, not ' + request.userInfo.username + '; create a ${developerApi.kind} (${developerApi.apiVersion}) instead'`,
      message: `${api.kind} is a platform API: in a team namespace create a ${developerApi.kind} instead`,
      reason: 'Forbidden',
    },
  };
}

/**
 * Outside the team namespaces of PLATFORM.teams, a platform XR is the platform's: the rules above
 * speak of team namespaces only, so anyone RBAC lets in elsewhere (a removed team whose binding
 * outlived it, a cluster-wide crossplane-edit) would otherwise pick any account. An update that
 * leaves the spec as it was passes: the garbage collector and Crossplane remove finalizers.
 */
export function teamNamespaceRule(api: PlatformApi): Item {
  return {
    rule: {
      expression: "variables.inTeamNamespace || variables.platformIdentity || (request.operation == 'UPDATE' && object.spec == oldObject.spec)",
      messageExpression: `'namespace ' + request.namespace + ' is no team\\'s: only Crossplane, Argo CD (claims/) and group ${PLATFORM.platformGroup} create or change a ${api.kind} there, not ' + request.userInfo.username + '; use your team\\'s namespace, or ask the platform team to add this one to PLATFORM.teams in environments/platform.ts'`,
      message: `outside team namespaces (environments/platform.ts) only the platform creates or changes a ${api.kind}`,
      reason: 'Forbidden',
    },
  };
}

/**
 * An XR's status is Crossplane's, and compositions read it back: a Cluster's status.clusterName
 * names every AWS resource and status.wiring hands the EKSCluster its VPC and subnets. Whoever
 * may write status (Crossplane's aggregated crossplane-edit grants `<plural>/status`) could
 * otherwise name another team's cluster or VPC. The policy matches the status subresource for
 * this rule alone: a request to it changes nothing else.
 */
export function statusRule(api: PlatformApi): Item {
  return {
    rule: {
      expression: "!has(request.subResource) || request.subResource != 'status' || variables.platformIdentity",
      messageExpression: `'status of a ${api.kind} is Crossplane\\'s: its compositions read it back (AWS names, VPC); only Crossplane and group ${PLATFORM.platformGroup} write it, not ' + request.userInfo.username`,
      message: `status of a ${api.kind} is written by Crossplane and the platform group only`,
      reason: 'Forbidden',
    },
  };
}

/**
 * A team's AWS names are `<metadata.name>-<hash of environment/namespace/name>`: the readable part
 * and the hash share their only free input, so no team can search for a name whose hash is
 * another team's (compositions/cluster/names.ts). spec.clusterName would decouple the two (any
 * readable part, any metadata.name to search with: 2^32 SHA-256 tries, minutes on a laptop), so
 * only the platform sets it. A Cluster that already has one keeps it.
 */
export function readablePartRule(api: PlatformApi): Item {
  const path = NAME_SOURCES[api.kind]?.override;
  if (!path) throw new Error(`${api.kind} has no name override in NAME_SOURCES: the readable-part rule cannot apply`);
  return {
    rule: {
      expression: `variables.platformIdentity || !(${present(path)}) || ${unchanged(path)}`,
      messageExpression: `'${path}: "' + object.${path} + '" is set by group ${PLATFORM.platformGroup} only, not ' + request.userInfo.username + ': a team\\'s AWS names start with metadata.name and a hash of environment, namespace and name, so no other team can compute them; leave ${path} out and pick a metadata.name of at most ${NAME_SOURCES[api.kind].max} characters'`,
      message: `${path} is set by the platform group only: leave it out and pick a shorter metadata.name`,
      reason: 'Forbidden',
    },
  };
}

/**
 * Where AWS names derive from `metadata.name`, it must be one: a letter first, lowercase letters,
 * digits and single hyphens (no dots: AWS names allow none; RDS allows no double hyphen), within
 * the budget. Checked on create only: a name never changes.
 */
export function nameRules(api: PlatformApi): Item[] {
  const source = NAME_SOURCES[api.kind];
  if (!source) return [];
  const when = `request.operation != 'CREATE' || ${present(source.override)} || `;
  const name = "'metadata.name \"' + object.metadata.name + '\"";
  const given = `every AWS name of this ${api.kind} derives from it`;
  return [
    {
      rule: {
        expression: `${when}!object.metadata.name.contains('.')`,
        messageExpression: `${name} has a dot: ${given} and AWS names allow none: use hyphens'`,
        message: `metadata.name has a dot: ${given} and AWS names allow none: use hyphens`,
        reason: 'Invalid',
      },
    },
    {
      rule: {
        expression: `${when}object.metadata.name.matches('^[a-z]([a-z0-9]|-[a-z0-9])*$')`,
        messageExpression: `${name} must start with a letter and have no double hyphen: ${given}, and RDS and EKS require that'`,
        message: `metadata.name must start with a letter and have no double hyphen: ${given}`,
        reason: 'Invalid',
      },
    },
    {
      rule: {
        expression: `${when}size(object.metadata.name) <= ${source.max}`,
        messageExpression: `${name} has ' + string(size(object.metadata.name)) + ' characters: ${given} and it may have at most ${source.max}: use a shorter name'`,
        message: `metadata.name is longer than ${source.max} characters: ${given}`,
        reason: 'Invalid',
      },
    },
  ];
}
