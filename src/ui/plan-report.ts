/**
 * The human rendering of a plan: A against B per resource, each reference, quota, steps, warnings and blockers, then
 * the summary line. Shared by `plan` (just written) and `show` (a saved plan, offline).
 *
 * Colour is an option (src/ui/colour.ts decides it): green create, yellow repoint, red delete, dim unchanged. Values
 * are never cut: a line too long for one row puts before and after on rows of their own, aligned, so two long ARNs
 * that differ only at the end can be told apart.
 */
import { changeCounts, STEP_CHANGE, summaryLine, type ChangeKind } from '../core/change-counts';
import type { FieldChange } from '../core/diff';
import { plannedSpecPath, type PlanFile } from '../core/plan';
import type { ResourceDiff } from '../core/plan-diff';
import { counted, verb } from '../lib/plural';
import { painter, type Paint, type Style } from './colour';
import { renderCallers } from './callers-report';
import { renderHandBack } from './handback';

const KIND_LABEL: Record<ResourceDiff['kind'], string> = {
  'launch-template': 'launch template',
  'compute-environment': 'compute environment',
  'job-queue': 'job queue',
  'job-definition': 'job definition',
};

/** The colour of each kind of change; unchanged lines are dim. */
const CHANGE_STYLE: Record<ChangeKind, Style> = { create: 'green', repoint: 'yellow', delete: 'red' };

/** Longest line (indent included) kept on one row; longer ones put each value on its own row. */
export const LINE_WIDTH = 100;

const plain = painter(false);

/** A value as text, whole: strings as they are, anything else as compact JSON. */
export function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * `~ path: before → after` when it fits in LINE_WIDTH; otherwise the label on its row and `- before`, `+ after`
 * below it, aligned. Each value is whole.
 */
export function changeLines(
  indent: string,
  label: string,
  before: { value: unknown } | undefined,
  after: { value: unknown } | undefined,
  paint: Paint = plain,
): string[] {
  const b = before && formatValue(before.value);
  const a = after && formatValue(after.value);
  const sign = b !== undefined && a !== undefined ? '~' : a !== undefined ? '+' : '-';
  const style: Style = sign === '~' ? 'yellow' : sign === '+' ? 'green' : 'red';
  const inline = b !== undefined && a !== undefined ? `${b} → ${a}` : (a ?? b ?? '');
  const one = `${indent}${sign} ${label}: ${inline}`;
  if (one.length <= LINE_WIDTH) return [paint(style, one)];
  const lines = [paint(style, `${indent}${sign} ${label}:`)];
  if (b !== undefined) lines.push(paint('red', `${indent}    - ${b}`));
  if (a !== undefined) lines.push(paint('green', `${indent}    + ${a}`));
  return lines;
}

function fieldChangeLines(change: FieldChange, paint: Paint): string[] {
  const indent = '      ';
  switch (change.kind) {
    case 'added':
      return changeLines(indent, change.path, undefined, { value: change.after }, paint);
    case 'removed':
      return changeLines(indent, change.path, { value: change.before }, undefined, paint);
    default:
      return changeLines(indent, change.path, { value: change.before }, { value: change.after }, paint);
  }
}

const VERSIONS_SHOWN = 10;

/** `3, 2 → A, 1 → A`: newest first, those that name the live revision marked; the plan file has them all. */
function formatVersions(versions: NonNullable<PlanFile['references'][number]['versions']>, live: string): string {
  const shown = versions.slice(0, VERSIONS_SHOWN).map((v) => `${v.version}${v.namesLive ? ` → ${live}` : ''}`);
  const more = versions.length - shown.length;
  const naming = versions.filter((v) => v.namesLive).length;
  const note = naming
    ? ` (${naming} ${verb(naming, 'names', 'name')} ${live}: started by version ARN, ${verb(naming, 'it fails', 'they fail')} once ${live} is retired)`
    : '';
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}${note}`;
}

function resourceLines(plan: PlanFile, diff: ResourceDiff[] | undefined, paint: Paint): string[] {
  const out = ['Resources'];
  if (diff) {
    for (const d of diff) {
      if (d.action === 'create') {
        out.push(paint('green', `  + ${KIND_LABEL[d.kind]} ${d.to}  (copy of ${d.from})`));
      } else {
        out.push(paint('dim', `  = ${KIND_LABEL[d.kind]} ${d.to}  (unchanged, shared by both revisions)`));
      }
      for (const change of d.changes) out.push(...fieldChangeLines(change, paint));
    }
  } else {
    // A plan written before the diff was recorded: what is created is still known from its steps.
    out.push(paint('dim', '  (field changes not recorded in this plan file; `batchctl plan` records them)'));
    for (const s of plan.steps.filter((step) => STEP_CHANGE[step.action]?.change === 'create')) {
      out.push(paint('green', `  + ${STEP_CHANGE[s.action].resource} ${s.target}`));
    }
  }
  const live = plan.live.label.toUpperCase();
  for (const s of plan.steps.filter((step) => STEP_CHANGE[step.action]?.change === 'delete')) {
    out.push(paint('red', `  - ${STEP_CHANGE[s.action].resource} ${s.target}  (deleted once ${live} is drained)`));
  }
  return out;
}

function referenceLines(plan: PlanFile, paint: Paint): string[] {
  const live = plan.live.label.toUpperCase();
  const next = plan.target.label.toUpperCase();
  const repointed = plan.references.filter((r) => r.changes.length).length;
  const out = [`References (${counted(repointed, 'state machine')} to repoint)`];
  if (!plan.references.length) out.push('  (none)');
  for (const ref of plan.references) {
    const versionsOnly = !ref.changes.length && !ref.dynamic.length;
    out.push(
      versionsOnly
        ? paint('dim', `  = ${ref.name}  (its definition does not use ${live}; some versions do)`)
        : paint('yellow', `  ~ ${ref.name}`),
    );
    for (const c of ref.changes) {
      out.push(
        ...changeLines('      ', `${c.path.join(' › ')}  ${c.field}`, { value: c.before }, { value: c.after }, paint),
      );
    }
    for (const d of ref.dynamic) {
      const line = `      ${d.path.join(' › ')}  ${d.field}: dynamic ${d.expression}${d.acknowledged ? ' (acknowledged)' : ' (BLOCKER)'}`;
      out.push(d.acknowledged ? line : paint('red', line));
    }
    for (const alias of ref.aliases) {
      const routes = alias.routes.map(
        (r) => `${r.versionArn.split(':').pop()} ${r.weight}%${r.referencesLive ? ` → ${live}` : ''}`,
      );
      const moves = alias.routes.some((r) => r.referencesLive)
        ? ` (promote publishes a copy of each version marked → ${live} with its references moved to ${next}, same weights)`
        : '';
      out.push(`      alias ${alias.name}: ${routes.join(', ')}${moves}`);
    }
    if (ref.versions?.length) out.push(`      published versions: ${formatVersions(ref.versions, live)}`);
  }
  return out;
}

/** Everything between the heading and the closing lines, the same for `plan` and `show`. */
function planBody(plan: PlanFile, diff: ResourceDiff[] | undefined, paint: Paint): string[] {
  const out: string[] = [];
  const live = plan.live.label.toUpperCase();
  const next = plan.target.label.toUpperCase();
  out.push(`Plan ${plan.id} for workload ${plan.workload} (account ${plan.account}, ${plan.region})`);
  out.push(
    `Live revision ${live}: job queue ${plan.live.queue.name}  →  new revision ${next}: job queue ${plan.target.jobQueue.name}`,
  );
  if (plan.stack) out.push(`Managed by CloudFormation stack ${plan.stack.name}`);
  out.push('', ...resourceLines(plan, diff, paint));
  out.push('', ...referenceLines(plan, paint));
  out.push(...renderCallers(plan));
  if (plan.handBack?.stacks.length) {
    out.push('', `Hand-back (CloudFormation templates to change to ${next}'s names after the swap)`);
    out.push(...renderHandBack(plan.handBack.stacks));
  }
  out.push('', `Quota (while ${live} and ${next} stand side by side)`);
  for (const q of plan.quota) {
    const label = q.resource.replace(/-/g, ' ');
    const numbers =
      q.resource === 'compute-environments-per-queue'
        ? `${q.during} of ${q.limit}`
        : `${q.current} → ${q.during} of ${q.limit}`;
    const line = `  ${q.ok ? '✓' : '✗'} ${label.padEnd(32)}${numbers}`;
    out.push(q.ok ? line : paint('red', line));
  }
  out.push('', 'Steps');
  plan.steps.forEach((s, i) => {
    const line = `  ${String(i + 1).padStart(2)}. ${s.action} ${s.target}`;
    const change = STEP_CHANGE[s.action]?.change;
    out.push(change ? paint(CHANGE_STYLE[change], line) : line);
  });
  if (plan.warnings.length) {
    out.push('', 'Warnings');
    for (const w of plan.warnings) out.push(paint('yellow', `  ! ${w.message}`));
  }
  if (plan.blockers.length) {
    out.push('', 'Blockers');
    for (const b of plan.blockers) out.push(paint('red', `  ✗ ${b.message}`));
  }
  out.push('', paint('bold', summaryLine(changeCounts(plan.steps))));
  return out;
}

function blockedLine(plan: PlanFile): string {
  return `BLOCKED by ${counted(plan.blockers.length, 'blocker')}; promote will refuse it.`;
}

/** `batchctl plan`'s report: the plan just written to `planPath`. */
export function renderPlan(plan: PlanFile, diff: ResourceDiff[], planPath: string, paint: Paint = plain): string {
  const out = planBody(plan, diff, paint);
  if (plan.blockers.length) out.push(paint('red', `Plan written to ${planPath}: ${blockedLine(plan)}`));
  else out.push(`Plan written to ${planPath}: ready.`, `Next: batchctl promote ${planPath}`);
  return out.join('\n');
}

/** Whether a saved plan is still as `plan` sealed it. */
export type FingerprintStatus = 'intact' | 'edited';

/** `batchctl show`'s report: a saved plan, with whether its file is still as sealed. Offline. */
export function renderSavedPlan(
  plan: PlanFile,
  planPath: string,
  fingerprint: FingerprintStatus,
  paint: Paint = plain,
): string {
  const sealed = `written ${plan.createdAt} by batchctl ${plan.toolVersion}`;
  const out = [
    fingerprint === 'intact'
      ? `Plan file ${planPath}: fingerprint intact (${sealed}). Whether the account still matches it is checked by promote.`
      : paint(
          'red',
          `Plan file ${planPath}: EDITED after it was written (its digest does not match its content; ${sealed}). Promote will refuse it.`,
        ),
    '',
    ...planBody(plan, plan.diff, paint),
  ];
  if (fingerprint === 'edited') {
    out.push(
      paint('red', `Plan ${planPath}: edited; promote will refuse it.`),
      `Plan again: batchctl plan ${plannedSpecPath(plan, planPath)}`,
    );
  } else if (plan.blockers.length) {
    out.push(paint('red', `Plan ${planPath}: ${blockedLine(plan)}`));
  } else {
    out.push(`Plan ${planPath}: ready.`, `Next: batchctl promote ${planPath}`);
  }
  return out.join('\n');
}
