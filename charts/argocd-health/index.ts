// The health checks Argo CD needs besides its own, as argocd-cm keys
// `resource.customizations.health.<group>_<kind>`, one per kind we ship that needs one.
//
// Argo CD looks a health script up in this order (util/lua VM.GetHealthScript, alike in the
// release tools/argocd is built on and the one the control cluster runs): argocd-cm for the exact kind, argocd-cm wildcards, its built-in script for the kind,
// its built-in wildcard scripts (`_.crossplane.io/_`, `_.upbound.io/_`); then gitops-engine's Go
// checks. A customization therefore shadows every built-in check of the kinds it matches. So we
// add a check only for a kind a rule below names, each rule says why the built-in one is missing
// or wrong, and a rule matches only kinds whose objects report status conditions: kinds without
// status (DeploymentRuntimeConfig, ImageConfig, EnvironmentConfig, Composition, RBAC, ...) keep
// Argo CD's built-in checks, which know they have none.
// Split keys, not the legacy `resource.customizations` block: each kind is a key of its own, so
// nothing we write replaces a customization an installation already carries.
// Each script stands alone, and the scripts repeat a few lines (find the conditions, return
// Progressing without them) on purpose: Argo CD runs a key's value by itself (util/lua runLua:
// one DoString per object, only the base, table, package and a safe os library, no file on a Lua
// path to `require`), so there is nothing two scripts could share at run time.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PLATFORM } from '../../environments/platform';
import { groupOf } from '../../lib/crds';

export interface HealthRule {
  /** The Lua script in this folder. */
  readonly script: string;
  /** Why Argo CD's own check does not do for these kinds. */
  readonly why: string;
  /** Whether an object we ship is of a kind this rule covers. */
  readonly covers: (object: { apiVersion: string; kind: string; spec?: any }) => boolean;
}

export const HEALTH_RULES: readonly HealthRule[] = [
  {
    script: 'argocd-application.lua',
    why: 'Argo CD v3 assesses no health for Applications, so sync waves between the control-plane Applications would order nothing',
    covers: (o) => groupOf(o.apiVersion) === 'argoproj.io' && o.kind === 'Application',
  },
  {
    script: 'crossplane-package.lua',
    why: "the built-in pkg.crossplane.io/Provider check reports Degraded while a new revision's health is still unknown, which fails the sync",
    // A package is what Crossplane installs from an image: it has spec.package.
    covers: (o) => groupOf(o.apiVersion) === 'pkg.crossplane.io' && typeof o.spec?.package === 'string',
  },
  {
    script: 'crossplane-composite.lua',
    why: 'Argo CD has no check for our XRs: without one, an Application is Healthy before its clusters are Ready',
    covers: (o) => groupOf(o.apiVersion) === PLATFORM.apiGroup,
  },
];

export const HEALTH_KEY_PREFIX = 'resource.customizations.health.';

/** The argocd-cm key of a kind, as Argo CD names it (`<group>_<kind>`; the core group is empty). */
export const healthKey = (apiVersion: string, kind: string) => `${HEALTH_KEY_PREFIX}${groupOf(apiVersion)}_${kind}`;

const scripts = new Map<string, string>();
/** The Lua source of a script of this folder. */
export function healthScript(file: string): string {
  let text = scripts.get(file);
  if (text === undefined) {
    text = fs.readFileSync(path.join(__dirname, file), 'utf8');
    scripts.set(file, text);
  }
  return text;
}

/** argocd-cm health keys for the kinds of `objects` (every object Argo CD syncs), sorted by key. */
export function healthCustomizations(objects: readonly { apiVersion: string; kind: string; spec?: any }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const o of objects) {
    const rule = HEALTH_RULES.find((r) => r.covers(o));
    if (rule) out[healthKey(o.apiVersion, o.kind)] = healthScript(rule.script);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
