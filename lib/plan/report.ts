// A plan as a reader gets it: text for a terminal (destructive changes in red) or Markdown for a
// pull request comment. Both come from the same lines, so they say the same thing.
import { type FieldChange, show } from './diff';
import type { Plan, XrPlan } from './plan';
import type { EnvironmentRollout } from './rollout';

type Tone = 'add' | 'remove' | 'change' | 'field' | 'danger' | 'note';
interface Line {
  readonly tone: Tone;
  readonly text: string;
}

/** At most this many fields per changed resource; the rest are counted. */
const MAX_FIELDS = 12;

function compositionLine(x: XrPlan): string {
  const paths = [...new Set([...x.compositions.base.keys(), ...x.compositions.head.keys()])];
  return paths
    .map((p) => {
      const [b, h] = [x.compositions.base.get(p), x.compositions.head.get(p)];
      const ran = b === h || !b ? h : !h ? `${b} (gone)` : `${b} -> ${h}`;
      return `${p || x.title.split(' ')[0]}: ${ran}`;
    })
    .join(', ');
}

/** A changed object's fields, at most MAX_FIELDS of them, the rest counted. */
function fieldLines(fields: readonly FieldChange[]): Line[] {
  const shown = fields.slice(0, MAX_FIELDS).map((f): Line => ({ tone: 'field', text: `    ${f.path}: ${show(f.before)} -> ${show(f.after)}` }));
  const more: Line[] = fields.length > MAX_FIELDS ? [{ tone: 'field', text: `    ... and ${fields.length - MAX_FIELDS} more fields` }] : [];
  return [...shown, ...more];
}

/** Lines as a Markdown `diff` block: GitHub paints removed lines red and added ones green, `!` lines as changed. */
function diffBlock(lines: readonly Line[]): string[] {
  return ['```diff', ...lines.map((l) => (l.tone === 'change' ? `! ${l.text.slice(2)}` : l.text)), '```'];
}

function xrLines(x: XrPlan): Line[] {
  const lines: Line[] = [{ tone: 'note', text: `runs ${compositionLine(x)}` }];
  for (const e of x.errors) lines.push({ tone: 'danger', text: `render failed: ${e}` });
  for (const r of x.resources) {
    const tone: Tone = r.action === 'added' ? 'add' : r.action === 'removed' ? 'remove' : 'change';
    const mark = { added: '+', removed: '-', changed: '~' }[r.action];
    lines.push({ tone, text: `${mark} ${r.path}  ${r.type}` }, ...fieldLines(r.fields));
    for (const why of r.destructive) lines.push({ tone: 'danger', text: `    ! ${why}` });
  }
  const a = x.addons;
  for (const e of a.failing) lines.push({ tone: 'danger', text: `add-ons: ${e}` });
  for (const app of a.gained) lines.push({ tone: 'add', text: `+ add-on Application ${app}` });
  for (const app of a.lost) lines.push({ tone: 'remove', text: `- add-on Application ${app} (Argo CD removes it from the cluster)` });
  for (const c of a.changed) {
    lines.push({ tone: 'change', text: `~ add-on Application ${c.app}` }, ...fieldLines(c.fields));
  }
  return lines;
}

const verdict = (x: XrPlan) => (x.status === 'failed' ? 'FAILED TO RENDER' : x.destructive ? `${x.status}, DESTRUCTIVE` : x.status);

/** Problems both sides share, once each: the change did not make them, but nobody should miss them. */
function stillFailing(p: Plan): string[] {
  const byError = new Map<string, string[]>();
  for (const x of p.xrs) for (const e of x.addons.stillFailing) byError.set(e, [...(byError.get(e) ?? []), x.title]);
  return [...byError].map(([e, xrs]) => `${e} (${xrs.length} XRs: ${xrs.slice(0, 3).join(', ')}${xrs.length > 3 ? ', ...' : ''})`);
}

export function summaryLine(p: Plan): string {
  const s = p.summary;
  return `${p.xrs.length} XRs: ${s.unchanged} unchanged, ${s.changed} changed, ${s.destructive} with destructive changes${s.failed ? `, ${s.failed} failed to render` : ''}`;
}

const ANSI: Record<Tone, string> = { add: '32', remove: '33', change: '36', field: '0', danger: '31;1', note: '2' };

/** The plan for a terminal; `color` paints destructive changes red. */
export function planText(p: Plan, props: { readonly color: boolean }): string {
  const paint = (tone: Tone, s: string) => (props.color && tone !== 'field' ? `\x1b[${ANSI[tone]}m${s}\x1b[0m` : s);
  const out = [`plan: ${p.base} -> ${p.head}`, ''];
  for (const x of p.xrs.filter((x) => x.status !== 'unchanged')) {
    const env = x.environment ? ` [${x.environment}]` : '';
    out.push(paint(x.destructive || x.status === 'failed' ? 'danger' : 'change', `${x.title}${env}  ${x.source}: ${verdict(x)}`));
    for (const l of xrLines(x)) out.push(`  ${paint(l.tone, l.text)}`);
    out.push('');
  }
  for (const e of stillFailing(p)) out.push(paint('note', `also failing on ${p.base} (not made by this change): ${e}`));
  const unsafe = p.summary.destructive || p.summary.failed;
  out.push(paint(unsafe ? 'danger' : 'note', `plan: ${summaryLine(p)}`));
  return out.join('\n');
}

/** The plan as a pull request comment: a table of every XR that changes, details folded. */
export function planMarkdown(p: Plan): string {
  const changed = p.xrs.filter((x) => x.status !== 'unchanged');
  const icon = (x: XrPlan) => (x.status === 'failed' || x.destructive ? '🔴' : '🟡');
  const out = [`### Platform plan: \`${p.base}\` → \`${p.head}\``, '', `**${summaryLine(p)}**`, ''];
  if (changed.length) {
    out.push('| | XR | environment | source | result |', '| --- | --- | --- | --- | --- |');
    for (const x of changed) out.push(`| ${icon(x)} | ${x.title} | ${x.environment ?? ''} | \`${x.source}\` | ${verdict(x)} |`);
    out.push('');
  }
  const known = stillFailing(p);
  if (known.length) out.push(`Also failing on \`${p.base}\` (not made by this change):`, '', ...known.map((e) => `- ⚠️ ${e}`), '');
  for (const x of changed) {
    const lines = xrLines(x);
    const dangers = lines.filter((l) => l.tone === 'danger').map((l) => `- 🔴 ${l.text.replace(/^\s*! /, '')}`);
    out.push(`<details${x.destructive || x.status === 'failed' ? ' open' : ''}><summary>${icon(x)} ${x.title}: ${verdict(x)}</summary>`, '');
    if (dangers.length) out.push(...dangers, '');
    out.push(...diffBlock(lines.filter((l) => l.tone !== 'danger')), '</details>', '');
  }
  return out.join('\n');
}

function runsText(r: EnvironmentRollout): string {
  const names = Object.entries(r.runs.head).map(([api, name]) => (name === r.edge[api] ? `${name} (working tree)` : name));
  return names.join(', ');
}

function movedByChange(r: EnvironmentRollout): string {
  const moved = Object.entries(r.runs.head)
    .filter(([api, name]) => r.runs.base && r.runs.base[api] !== name)
    .map(([api, name]) => `${api} ${r.runs.base?.[api] ?? '(none)'} -> ${name}`);
  return moved.length ? `this change moves ${moved.join(', ')}` : '';
}

function promotionText(r: EnvironmentRollout): string {
  const p = r.promotion;
  const from = p.from ?? 'the working tree';
  const list = (moves: typeof p.moves) => moves.map((m) => `${m.api} ${m.from} -> ${m.to}`).join(', ');
  const renamed = p.renames.length ? `; ${list(p.renames)} have the same content` : '';
  if (!p.moves.length) return `runs what ${from} runs${renamed}`;
  return `promoting from ${from} (${list(p.moves)}) would change ${p.plan ? summaryLine(p.plan) : 'nothing rendered'}${renamed}`;
}

/** Which Compositions each environment runs, what this change moves, what promoting would do. */
export function rolloutText(rollouts: readonly EnvironmentRollout[], props: { readonly color: boolean }): string {
  const red = (s: string) => (props.color ? `\x1b[31;1m${s}\x1b[0m` : s);
  const out = ['rollout: each environment runs the Compositions named in environments/<env>.ts (compositions); the first runs the working tree'];
  for (const r of rollouts) {
    const moved = movedByChange(r);
    out.push(`  ${r.environment}: ${runsText(r)}${moved ? `  [${moved}]` : ''}`);
    const line = `    ${promotionText(r)}`;
    out.push(r.promotion.plan?.summary.destructive ? red(line) : line);
    for (const x of r.promotion.plan?.xrs.filter((x) => x.status !== 'unchanged') ?? []) {
      out.push(`      ${x.title}: ${x.status}${x.destructive ? ', DESTRUCTIVE' : ''}, ${x.resources.length} resources differ`);
      for (const res of x.resources) for (const why of res.destructive) out.push(red(`        ! ${res.path}: ${why}`));
    }
  }
  return out.join('\n');
}

export function rolloutMarkdown(rollouts: readonly EnvironmentRollout[]): string {
  const out = ['#### Rollout', '', '| environment | runs | this change | promoting |', '| --- | --- | --- | --- |'];
  for (const r of rollouts) {
    const icon = r.promotion.plan?.summary.destructive ? '🔴 ' : '';
    out.push(`| ${r.environment} | ${runsText(r)} | ${movedByChange(r) || '-'} | ${icon}${promotionText(r)} |`);
  }
  for (const r of rollouts.filter((r) => r.promotion.plan?.xrs.some((x) => x.status !== 'unchanged'))) {
    out.push('', `<details><summary>promoting ${r.environment}: what its XRs would get</summary>`, '');
    for (const x of r.promotion.plan!.xrs.filter((x) => x.status !== 'unchanged')) {
      out.push(`**${x.title}**: ${verdict(x)}`, '', ...diffBlock(xrLines(x)), '');
    }
    out.push('</details>');
  }
  return out.join('\n');
}
