/**
 * The last line of promote, retire and rollback: what this run did, counted from its result, never from the plan
 * (a re-run finds steps already done and does not claim them), with plurals that agree and the real plan path.
 */
import type { PlanFile } from '../core/plan';
import { counted } from '../lib/plural';
import { ACTIVE_JOB_STATUSES } from '../services/drain';
import type { DrainCommandResult } from '../services/drain-queue';
import type { PromoteResult } from '../services/promote';
import type { RollbackResult } from '../services/rollback';
import type { RepointResult } from '../services/swap-steps';

/** The noun for each kind of deleted resource, in the order A is retired. */
const DELETED_NOUN: Record<string, string> = {
  'job-queue': 'job queue',
  'compute-environment': 'compute environment',
  'launch-template': 'launch template',
  'job-definition': 'job definition',
};

/** A state machine this run really changed: its definition rewritten, or a version published or an alias moved. */
export function moved(r: RepointResult): boolean {
  return r.changes > 0 || r.aliases.length > 0 || r.published.length > 0;
}

function seconds(timings: Record<string, number | undefined>): string {
  return `${Math.round((timings.totalMs ?? 0) / 1000)}s`;
}

/** `4 resources (1 job queue, 2 compute environments, 1 launch template)`, or `0 resources`. */
export function deletedList(deleted: { kind: string; name: string }[]): string {
  const byKind = new Map<string, number>();
  for (const d of deleted) byKind.set(d.kind, (byKind.get(d.kind) ?? 0) + 1);
  const kinds = [...Object.keys(DELETED_NOUN), ...[...byKind.keys()].filter((k) => !(k in DELETED_NOUN))];
  const parts = kinds
    .filter((k) => byKind.has(k))
    .map((k) => counted(byKind.get(k) ?? 0, DELETED_NOUN[k] ?? k.replace(/-/g, ' ')));
  return `${counted(deleted.length, 'resource')}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** What a promote (or retire) run did before A's deletion: `5 resources created, 2 state machines repointed`. */
function builtAndMoved(result: PromoteResult): { did: string[]; already: string[] } {
  const created = result.created.filter((c) => !c.reused).length;
  const reused = result.created.length - created;
  const repointed = result.repointed.filter(moved).length;
  const unchanged = result.repointed.length - repointed;
  return {
    did: [`${counted(created, 'resource')} created`, `${counted(repointed, 'state machine')} repointed`],
    already: [
      ...(reused ? [`${counted(reused, 'resource')} of B`] : []),
      ...(unchanged ? [`${counted(unchanged, 'state machine')} pointing at B`] : []),
    ],
  };
}

export function promoteSummary(result: PromoteResult, plan: PlanFile, planPath: string): string {
  const a = `${plan.live.label.toUpperCase()} (${plan.live.queue.name})`;
  const b = `${plan.target.label.toUpperCase()} (${plan.target.jobQueue.name})`;
  const { did, already } = builtAndMoved(result);
  const found = already.length ? ` Found from an earlier run: ${already.join(', ')}.` : '';
  if (result.status === 'drained') {
    return `Promoted ${result.workload} to ${b}: ${did.join(', ')} in ${seconds(result.timings)}; ${a} is kept, drained and disabled.${found} Delete it later with: batchctl retire ${planPath}`;
  }
  return `Promoted ${result.workload} to ${b}: ${did.join(', ')}, ${deletedList(result.deleted)} of ${plan.live.label.toUpperCase()} deleted in ${seconds(result.timings)}.${found}`;
}

/** retire: what was deleted; building or repointing only when this run really did some (a plan never promoted). */
export function retireSummary(result: PromoteResult, plan: PlanFile): string {
  const a = `${plan.live.label.toUpperCase()} (${plan.live.queue.name})`;
  const created = result.created.filter((c) => !c.reused).length;
  const repointed = result.repointed.filter(moved).length;
  const also = [
    ...(created ? [`${counted(created, 'resource')} of ${plan.target.label.toUpperCase()} created`] : []),
    ...(repointed ? [`${counted(repointed, 'state machine')} repointed`] : []),
  ];
  const first = also.length ? ` First ${also.join(' and ')}.` : '';
  if (!result.deleted.length) {
    return `Retired ${a} of ${result.workload}: nothing was left to delete (${seconds(result.timings)}).${first}`;
  }
  return `Retired ${a} of ${result.workload}: ${deletedList(result.deleted)} deleted in ${seconds(result.timings)}.${first}`;
}

export function rollbackSummary(result: RollbackResult, plan: PlanFile): string {
  const a = `${plan.live.label.toUpperCase()} (${result.live})`;
  const restored = result.repointed.filter(moved).length;
  return `Rolled back ${result.workload}: ${a} is live, ${counted(restored, 'state machine')} restored, ${deletedList(result.deleted)} of ${plan.target.label.toUpperCase()} deleted in ${seconds(result.timings)}.`;
}

/**
 * `drain`'s first line: the queue, its state, whether it is drained and what is still on it. A report (no --wait)
 * waits for nothing, so it says none of the drain's phases.
 */
export function drainSummary(result: DrainCommandResult): string {
  const jobs = ACTIVE_JOB_STATUSES.map((s) => `${s} ${result.inFlight.jobs[s]}`).join(' · ');
  const executions = result.inFlight.executions.length;
  return `${result.queue.name} (${result.queue.state}): ${result.drained ? 'drained' : 'not drained'} — ${counted(executions, 'execution')} still on it — jobs: ${jobs}`;
}
