/** The human rendering of a plan: A against B per resource, each reference, quota, steps, warnings and blockers. */
import type { FieldChange } from '../core/diff';
import type { PlanFile } from '../core/plan';
import type { ResourceDiff } from '../core/plan-diff';
import { renderHandBack } from './handback';

const KIND_LABEL: Record<ResourceDiff['kind'], string> = {
  'launch-template': 'launch template',
  'compute-environment': 'compute environment',
  'job-queue': 'job queue',
  'job-definition': 'job definition',
};

export function formatValue(value: unknown, max = 100): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function formatChange(change: FieldChange): string {
  switch (change.kind) {
    case 'added':
      return `+ ${change.path}: ${formatValue(change.after)}`;
    case 'removed':
      return `- ${change.path}: ${formatValue(change.before)}`;
    default:
      return `~ ${change.path}: ${formatValue(change.before)} → ${formatValue(change.after)}`;
  }
}

const VERSIONS_SHOWN = 10;

/** `3, 2 → A, 1 → A`: newest first, those that name the live revision marked; the plan file has them all. */
function formatVersions(versions: NonNullable<PlanFile['references'][number]['versions']>, live: string): string {
  const shown = versions.slice(0, VERSIONS_SHOWN).map((v) => `${v.version}${v.namesLive ? ` → ${live}` : ''}`);
  const more = versions.length - shown.length;
  const naming = versions.filter((v) => v.namesLive).length;
  const note = naming
    ? ` (${naming} ${naming === 1 ? 'names' : 'name'} ${live}: started by version ARN, ${naming === 1 ? 'it fails' : 'they fail'} once ${live} is retired)`
    : '';
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}${note}`;
}

export function renderPlan(plan: PlanFile, diff: ResourceDiff[], planPath: string): string {
  const out: string[] = [];
  const live = plan.live.label.toUpperCase();
  const next = plan.target.label.toUpperCase();
  out.push(`Plan ${plan.id} for workload ${plan.workload} (account ${plan.account}, ${plan.region})`);
  out.push(
    `Live revision ${live}: job queue ${plan.live.queue.name}  →  new revision ${next}: job queue ${plan.target.jobQueue.name}`,
  );
  if (plan.stack) out.push(`Managed by CloudFormation stack ${plan.stack.name}`);
  out.push('', 'Resources');
  for (const d of diff) {
    const sign = d.action === 'create' ? '+' : '=';
    const what = d.action === 'create' ? `(copy of ${d.from})` : '(unchanged, shared by both revisions)';
    out.push(`  ${sign} ${KIND_LABEL[d.kind]} ${d.to}  ${what}`);
    for (const change of d.changes) out.push(`      ${formatChange(change)}`);
  }
  const repointed = plan.references.filter((r) => r.changes.length);
  out.push('', `References (${repointed.length} state machine${repointed.length === 1 ? '' : 's'} to repoint)`);
  if (!plan.references.length) out.push('  (none)');
  for (const ref of plan.references) {
    const versionsOnly = !ref.changes.length && !ref.dynamic.length;
    out.push(
      versionsOnly ? `  = ${ref.name}  (its definition does not use ${live}; some versions do)` : `  ~ ${ref.name}`,
    );
    for (const c of ref.changes) out.push(`      ${c.path.join(' › ')}  ${c.field}: ${c.before} → ${c.after}`);
    for (const d of ref.dynamic) {
      out.push(
        `      ${d.path.join(' › ')}  ${d.field}: dynamic ${d.expression}${d.acknowledged ? ' (acknowledged)' : ' (BLOCKER)'}`,
      );
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
    out.push(`  ${q.ok ? '✓' : '✗'} ${label.padEnd(32)}${numbers}`);
  }
  out.push('', 'Steps');
  plan.steps.forEach((s, i) => out.push(`  ${String(i + 1).padStart(2)}. ${s.action} ${s.target}`));
  if (plan.warnings.length) {
    out.push('', 'Warnings');
    for (const w of plan.warnings) out.push(`  ! ${w.message}`);
  }
  if (plan.blockers.length) {
    out.push('', 'Blockers');
    for (const b of plan.blockers) out.push(`  ✗ ${b.message}`);
  }
  out.push('');
  if (plan.blockers.length) {
    out.push(
      `Plan written to ${planPath}: BLOCKED by ${plan.blockers.length} blocker${plan.blockers.length === 1 ? '' : 's'}; promote will refuse it.`,
    );
  } else {
    out.push(`Plan written to ${planPath}: ready.`, `Next: batchctl promote ${planPath}`);
  }
  return out.join('\n');
}
