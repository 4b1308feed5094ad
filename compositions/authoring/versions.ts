// XRD fields and CEL rules for versions, built from the catalog (catalog/lifecycle.ts), so every API
// that takes a Kubernetes or Aurora version refuses the same things with the same words: a version
// past its support (saying when it left and what to use), a skipped minor, a downgrade, a major
// upgrade this platform cannot do in place, a capacity the version does not allow.
//
// An unchanged value is never judged again (`optionalOldSelf`): an XR created before its version
// retired stays editable, as the API server's own ratcheting would have it, in every validator.
import { AURORA, AUTO_PAUSE_SECONDS, type AuroraVersion, type ChartRelease, compareVersions, dayOf, EXTENDED_ONLY, KUBERNETES } from '../../catalog';
import type { JsonSchema } from './api';

/** A CEL rule of `x-kubernetes-validations`. */
export interface Rule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly optionalOldSelf?: boolean;
}

const quote = (s: string) => `'${s}'`;
const list = (xs: readonly string[]) => `[${xs.map(quote).join(', ')}]`;
const cel = (m: Readonly<Record<string, string | number>>) =>
  `{${Object.entries(m)
    .map(([k, v]) => `${quote(k)}: ${typeof v === 'number' ? v : quote(v)}`)
    .join(', ')}}`;
const UNCHANGED = '(oldSelf.hasValue() && oldSelf.value() == self)';
/** Text inside a single-quoted CEL string. */
const inCel = (text: string) => text.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

/** Kubernetes versions, oldest first, as a sentence: "1.32, 1.33, ... or 1.36". */
const offeredKubernetes = KUBERNETES.offered.join(', ');

/**
 * A Kubernetes version field: one EKS offers (EKS_VERSIONS), moved one minor at a time and never
 * down. `fallback` is what an absent value means, for the description.
 */
export function kubernetesVersionField(props: { readonly fallback: string; readonly default?: string }): JsonSchema {
  const order = cel(KUBERNETES.order);
  return {
    type: 'string',
    description: `Kubernetes version, one EKS offers: ${offeredKubernetes} (${props.fallback}). Upgrades move one minor at a time; EKS never goes back.`,
    maxLength: 5,
    ...(props.default ? { default: props.default } : {}),
    'x-kubernetes-validations': [
      {
        rule: `self in ${list(KUBERNETES.offered)} || ${UNCHANGED}`,
        optionalOldSelf: true,
        message: `Kubernetes versions past extended support, or unknown to EKS, are refused with when they left and what to use (${offeredKubernetes})`,
        messageExpression:
          `'Kubernetes ' + self + (self in RETIRED ? ' left EKS extended support on ' + RETIRED[self] + ': use ${KUBERNETES.offered[0]} or later' : ' is not a version EKS offers: use one of ${offeredKubernetes}')`.replace(
            /RETIRED/g,
            cel(Object.fromEntries(KUBERNETES.retired.map((r) => [r.version, r.left]))),
          ),
      },
      {
        rule: `!(self in ORDER) || !(oldSelf in ORDER) || ORDER[self] >= ORDER[oldSelf]`.replace(/ORDER/g, order),
        message: 'Kubernetes cannot go down: EKS does not downgrade',
        messageExpression: `'Kubernetes cannot go down from ' + oldSelf + ' to ' + self + ': EKS does not downgrade (its 7-day rollback is an AWS operation, node groups first)'`,
      },
      {
        rule: `!(self in ORDER) || !(oldSelf in ORDER) || ORDER[self] <= ORDER[oldSelf] + 1`.replace(/ORDER/g, order),
        message: 'upgrade one minor at a time: EKS cannot skip one',
        messageExpression:
          `'upgrade one minor at a time: from ' + oldSelf + ' to ' + (oldSelf in NEXT ? NEXT[oldSelf] : 'the next minor') + ' first, EKS cannot skip one'`.replace(
            /NEXT/g,
            cel(KUBERNETES.next),
          ),
      },
    ],
  };
}

/** The EKS upgrade policy: what EKS does when the version's standard support ends. */
export const SUPPORT_TYPE: JsonSchema = {
  type: 'string',
  description:
    'What EKS does when the version leaves standard support. STANDARD: EKS upgrades the control plane itself. EXTENDED: the cluster stays (extended support costs more per hour) until extended support ends.',
  enum: ['STANDARD', 'EXTENDED'],
};

/** How a rule reads a value of an object (`self` or `oldSelf.value()`), as a CEL expression. */
export type Read = (object: string) => string;

/**
 * Refuses STANDARD support at a version already in extended support (EKS refuses to create such a
 * cluster, or to leave extended support once in it), unless version and support type are as they
 * were. `fix` ends the message: what to do instead.
 */
export function supportTypeRule(props: { readonly version: Read; readonly supportType: Read; readonly fix: string }): Rule {
  const since = cel(Object.fromEntries(EXTENDED_ONLY.map((v) => [v, KUBERNETES.release(v)!.endOfStandardSupport])));
  const [v, s] = [props.version('self'), props.supportType('self')];
  const unchanged = `(oldSelf.hasValue() && ${props.version('oldSelf.value()')} == ${v} && ${props.supportType('oldSelf.value()')} == ${s})`;
  return {
    rule: `!(${v} in SINCE) || ${s} != 'STANDARD' || ${unchanged}`.replace(/SINCE/g, since),
    optionalOldSelf: true,
    message: `a version in EKS extended support (${EXTENDED_ONLY.join(', ')}) cannot have the STANDARD support type: ${props.fix}`,
    messageExpression:
      `'Kubernetes ' + ${v} + ' is in EKS extended support since ' + SINCE[${v}] + ': EKS refuses the STANDARD support type for it; ${inCel(props.fix)}'`.replace(
        /SINCE/g,
        since,
      ),
  };
}

const offeredAurora = AURORA.offered.map((v) => v.version);
const byMajor = (vs: readonly AuroraVersion[]) =>
  [...new Set(vs.map((v) => v.major))]
    .map(
      (m) =>
        `${m}: ${vs
          .filter((v) => v.major === m)
          .map((v) => v.version)
          .join(', ')}`,
    )
    .join('; ');

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** "on 2026-02-28", or "in May 2026" where AWS gives only the month. */
const when = (date: string) => (date.length === 7 ? `in ${MONTHS[Number(date.slice(5)) - 1]} ${date.slice(0, 4)}` : `on ${date}`);

/** What to tell someone who names a retired Aurora minor: when it left, and the offered minors of its major. */
function retiredAdvice(v: AuroraVersion): string {
  const same = AURORA.offered.filter((o) => o.major === v.major).map((o) => o.version);
  const left = v.supportedUntil === dayOf(v.endOfStandardSupport) ? when(v.endOfStandardSupport) : `on ${v.supportedUntil}`;
  return `left Aurora standard support ${left}: use ${same.length ? same.join(', ') : `another major (${byMajor(AURORA.offered)})`}`;
}

/**
 * An Aurora PostgreSQL engine version field: a minor Serverless v2 offers, upgraded in place within
 * its major and never down; a major upgrade is refused unless the catalog says this platform does it.
 */
export function engineVersionField(props: { readonly fallback: string; readonly default?: string }): JsonSchema {
  const known = [...AURORA.offered, ...AURORA.retired];
  const order = cel(Object.fromEntries(known.map((v) => [v.version, Number(v.version.split('.')[1])])));
  const major = cel(Object.fromEntries(known.map((v) => [v.version, v.major])));
  const inPlace = list(AURORA.inPlaceMajorUpgrades.map((u) => `${u.from}>${u.to}`));
  return {
    type: 'string',
    description: `Aurora PostgreSQL version, major.minor, one Aurora Serverless v2 offers: ${byMajor(AURORA.offered)} (${props.fallback}). Minor upgrades happen in place; a major upgrade needs a new Database.`,
    maxLength: 5,
    ...(props.default ? { default: props.default } : {}),
    'x-kubernetes-validations': [
      {
        rule: `self in ${list(offeredAurora)} || ${UNCHANGED}`,
        optionalOldSelf: true,
        message: `Aurora PostgreSQL versions past standard support, or not offered for Serverless v2, are refused with when they left and what to use (${offeredAurora.join(', ')})`,
        messageExpression:
          `'Aurora PostgreSQL ' + self + ' ' + (self in RETIRED ? RETIRED[self] : 'is not a version Aurora Serverless v2 offers: use one of ${offeredAurora.join(', ')}')`.replace(
            /RETIRED/g,
            cel(Object.fromEntries(AURORA.retired.map((v) => [v.version, retiredAdvice(v)]))),
          ),
      },
      {
        rule: `!(self in MAJOR) || !(oldSelf in MAJOR) || MAJOR[self] != MAJOR[oldSelf] || ORDER[self] >= ORDER[oldSelf]`
          .replace(/MAJOR/g, major)
          .replace(/ORDER/g, order),
        message: 'engineVersion cannot go down: Aurora does not downgrade; restore a snapshot into a new Database',
        messageExpression: `'engineVersion cannot go down from ' + oldSelf + ' to ' + self + ': Aurora does not downgrade; restore a snapshot into a new Database'`,
      },
      {
        rule: `!(self in MAJOR) || !(oldSelf in MAJOR) || MAJOR[self] == MAJOR[oldSelf] || (MAJOR[oldSelf] + '>' + MAJOR[self]) in ${inPlace}`.replace(
          /MAJOR/g,
          major,
        ),
        message: 'engineVersion cannot change major in place: create a new Database at the new major and move the data',
        messageExpression: `'engineVersion cannot move from ' + oldSelf + ' to ' + self + ' in place: a major upgrade needs a parameter group of the new family, which this API cannot swap; create a new Database at ' + self + ' and move the data (pg_dump and pg_restore, or an RDS blue/green deployment)'`,
      },
    ],
  };
}

/** Minors whose capacity range is narrower than 0 to 256 ACU, for the rules below. */
const noPause = AURORA.offered.filter((v) => v.minAcu > 0);
const max128 = AURORA.offered.filter((v) => v.maxAcu < 256);
const firstWith = (v: AuroraVersion, ok: (o: AuroraVersion) => boolean) =>
  AURORA.offered.find((o) => o.major === v.major && ok(o))?.version ?? 'a newer major';

/**
 * The capacity each engine version allows (the catalog's ServerlessV2FeaturesSupport): minimum 0
 * only where the version can pause, maximum above 128 only where it allows 256. `self` holds the
 * engine version and the ACU fields (by these names); absent fields are not judged.
 */
export function capacityRules(fields: { readonly engineVersion: string; readonly minAcu: string; readonly maxAcu: string }): Rule[] {
  const [v, min, max] = [fields.engineVersion, fields.minAcu, fields.maxAcu].map((f) => `self.${f}`);
  const pauseFrom = cel(Object.fromEntries(noPause.map((o) => [o.version, firstWith(o, (x) => x.minAcu === 0)])));
  const bigFrom = cel(Object.fromEntries(max128.map((o) => [o.version, firstWith(o, (x) => x.maxAcu === 256)])));
  return [
    ...(noPause.length
      ? [
          {
            rule: `!has(${v}) || !has(${min}) || !(${v} in ${pauseFrom}) || ${min} > 0.0`,
            message: `minAcu 0 (pausing when idle) needs a version with auto-pause: not ${noPause.map((o) => o.version).join(', ')}`,
            messageExpression: `'Aurora PostgreSQL ' + ${v} + ' cannot pause when idle: minAcu 0 needs ' + ${pauseFrom}[${v}] + ' or later; set minAcu to 0.5 or more'`,
          },
        ]
      : []),
    ...(max128.length
      ? [
          {
            rule: `!has(${v}) || !has(${max}) || !(${v} in ${bigFrom}) || ${max} <= 128.0`,
            message: `maxAcu above 128 needs a version that scales to 256 ACU: not ${max128.map((o) => o.version).join(', ')}`,
            messageExpression: `'Aurora PostgreSQL ' + ${v} + ' scales to 128 ACU at most: maxAcu above 128 needs ' + ${bigFrom}[${v}] + ' or later'`,
          },
        ]
      : []),
  ];
}

/** How long an idle Serverless v2 instance runs before pausing; only with a minimum of 0 ACU. */
export const AUTO_PAUSE_FIELD: JsonSchema = {
  type: 'integer',
  description: `Seconds an idle instance runs before it pauses, ${AUTO_PAUSE_SECONDS.min} to ${AUTO_PAUSE_SECONDS.max} (minAcu 0 only). Default with minAcu 0: ${AUTO_PAUSE_SECONDS.default}.`,
  minimum: AUTO_PAUSE_SECONDS.min,
  maximum: AUTO_PAUSE_SECONDS.max,
};

/**
 * Refuses turning an add-on on at a Kubernetes version its release does not support, or moving a
 * cluster that runs it to one (catalog/versions.ts CHARTS[...].kubernetes), when `enabled` holds;
 * none when it supports every offered version. A Cluster that already ran the add-on at that
 * version stays editable: the range moves with every chart bump (a newer release drops the oldest
 * minor), and a rule without that escape would refuse every later update of such a Cluster, its
 * developers' edits and Crossplane's own writes to the XR alike.
 */
export function chartSupportRule(props: {
  readonly chart: ChartRelease;
  readonly enabled: Read;
  readonly version: Read;
  readonly fix: string;
}): Rule | undefined {
  const { min, max } = props.chart.kubernetes;
  const fits = KUBERNETES.offered.filter((v) => compareVersions(v, min) >= 0 && (!max || compareVersions(v, max) <= 0));
  if (fits.length === KUBERNETES.offered.length) return undefined;
  const v = props.version('self');
  const old = 'oldSelf.value()';
  const unchanged = `(oldSelf.hasValue() && (${props.enabled(old)}) && ${props.version(old)} == ${v})`;
  return {
    rule: `!(${props.enabled('self')}) || ${v} in ${list(fits)} || ${unchanged}`,
    optionalOldSelf: true,
    message: `${props.chart.chart} ${props.chart.version} supports Kubernetes ${min}${max ? ` to ${max}` : ' and later'}: ${props.fix}`,
    messageExpression: `'${props.chart.chart} ${props.chart.version} supports Kubernetes ${min}${max ? ` to ${max}` : ' and later'} (' + ${v} + ' here): ${inCel(props.fix)}'`,
  };
}
