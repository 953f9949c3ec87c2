/**
 * `status <spec>`: which revision is live, whether a swap is half done (and at which step), what is in flight, who
 * holds the lock, and the exact command that finishes or reverses a half-done swap. Read-only; all of it is read
 * back from AWS (names, `batchctl:*` tags, where references point), so it works from any machine.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { Aws } from '../aws/clients';
import { jobQueueName } from '../core/arn';
import type { StackHandBack } from '../core/handback';
import { lockKeyOf } from '../core/lock-key';
import { nextName, type RevisionLabel } from '../core/naming';
import { definitionNames } from '../core/references';
import { stateMachineSelected, suffixesOf, type Spec } from '../core/spec';
import { TAG_PLAN } from '../core/workload';
import { mapLimit } from '../lib/parallel';
import { countActiveJobs, isExpress, RunningExecutions, type ActiveJobStatus } from './drain';
import { readLock, type LockInfo } from './lock';
import { pendingHandBack } from './handback-status';
import { loadSpec } from './plan';
import { loadPlanFile } from './swap-steps';

export interface QueueStatus {
  revision: RevisionLabel;
  name: string;
  arn: string;
  state: string;
  status: string;
  planId?: string;
  /** State machines whose current definition names this queue. */
  referencedBy: string[];
  jobs: Record<ActiveJobStatus, number>;
  /** Running executions of Standard state machines that can reach this queue. */
  executions: number;
  /**
   * The state machines in `referencedBy` that are Express: they have no execution history API (aws-facts §8a), so
   * their executions are not listed nor counted in `executions`.
   */
  express: string[];
}

export type SwapPhase = 'none' | 'built' | 'cutting-over' | 'draining' | 'drained' | 'retiring';

export interface StatusResult {
  workload: string;
  live?: { revision: RevisionLabel; queue: string };
  queues: QueueStatus[];
  swap: { phase: SwapPhase; description: string; planId?: string; next: string[] };
  lock?: LockInfo;
  /** Stacks whose templates still name A although B is live (the plan's hand-back, re-read). */
  handBack?: StackHandBack[];
}

const PHASE_TEXT: Record<SwapPhase, string> = {
  none: 'no swap in progress',
  built: 'B is built; references still point at A (promote stopped before the cutover)',
  'cutting-over': 'references are being moved: some point at A, some at B',
  draining: 'references point at B; A is still enabled and not yet drained',
  drained: 'references point at B; A is drained and disabled, not yet retired (promote --no-retire, or interrupted)',
  retiring: "A's queue is gone but some of its resources remain (retirement interrupted)",
};

/**
 * The lock as promote and rollback take it: keyed by the base name of the workload's job queue (core/lock-key.ts),
 * found from `live.jobQueue` or, for a stack, from the stack's queue resource.
 */
async function readWorkloadLock(aws: Aws, spec: Spec): Promise<LockInfo | undefined> {
  let queue = spec.live.jobQueue;
  if (!queue && spec.live.stack) {
    const { name, queueLogicalId } = spec.live.stack;
    // Not swallowed: a status that cannot look for the lock must not say there is none.
    const resources = await aws.cfn.listStackResources(name);
    queue = resources.find((r) => r.LogicalResourceId === queueLogicalId)?.PhysicalResourceId;
  }
  return queue ? readLock(aws, lockKeyOf(jobQueueName(queue), suffixesOf(spec))) : undefined;
}

export async function status(aws: Aws, specPath: string): Promise<StatusResult> {
  const { spec } = await loadSpec(specPath);
  const suffixes = suffixesOf(spec);
  const configured = spec.live.jobQueue ? jobQueueName(spec.live.jobQueue) : undefined;
  const base = configured ? nextName(configured, suffixes).base : undefined;
  const names = base ? [base + suffixes.a, base + suffixes.b, base] : [];
  const [queues, lock, machines] = await Promise.all([
    names.length ? aws.batch.describeJobQueues([...new Set(names)]) : Promise.resolve([]),
    readWorkloadLock(aws, spec),
    aws.sfn.listStateMachines(),
  ]);
  const selected = machines.filter((m) => stateMachineSelected(spec, m.name ?? ''));
  const definitions = await mapLimit(selected, 8, async (m) => {
    const described = await aws.sfn.describeStateMachine(m.stateMachineArn ?? '');
    // The type decides whether executions can be listed; DescribeStateMachine has it when a list item lacks it.
    const type = m.type ?? described.type;
    return {
      name: m.name ?? '',
      arn: m.stateMachineArn ?? '',
      ...(type ? { type } : {}),
      definition: described.definition ?? '',
    };
  });
  const present = queues.filter((q) => q.status !== 'DELETED');
  // Listed once for both queues: each running execution is then matched against each queue. Express state
  // machines are left out by RunningExecutions (ListExecutions rejects them).
  const running = present.length ? await new RunningExecutions(aws).list(definitions) : [];
  const result: QueueStatus[] = await mapLimit(present, 2, async (q) => {
    const target = { queue: { name: q.jobQueueName ?? '', arn: q.jobQueueArn ?? '' }, jobDefinitions: [] };
    const referencing = definitions.filter((d) => definitionNames(d.definition, target, false));
    const referencedBy = referencing.map((d) => d.name);
    const jobs = await countActiveJobs(aws, target.queue.arn);
    const executions = running.filter((e) => definitionNames(e.definition, target, true));
    const planId = q.tags?.[TAG_PLAN];
    return {
      revision: nextName(q.jobQueueName ?? '', suffixes).live,
      name: q.jobQueueName ?? '',
      arn: q.jobQueueArn ?? '',
      state: q.state ?? '',
      status: q.status ?? '',
      ...(planId ? { planId } : {}),
      referencedBy,
      jobs,
      executions: executions.length,
      express: referencing.filter(isExpress).map((d) => d.name),
    };
  });

  const planPath = join(dirname(specPath), `${spec.workload}.plan.json`);
  // The plan file, when it is here, says which queue is the new one; otherwise the one a batchctl plan created.
  const plan = existsSync(planPath) ? await loadPlanFile(planPath).catch(() => undefined) : undefined;
  const newest = result.find((q) => q.name === plan?.target.jobQueue.name) ?? result.find((q) => q.planId);
  const older = result.find((q) => q !== newest);
  let phase: SwapPhase = 'none';
  if (newest && !older && plan && newest.name === plan.target.jobQueue.name) {
    const leftovers = await aws.batch.describeComputeEnvironments(
      plan.target.computeEnvironments.filter((c) => c.retireFrom).map((c) => c.from.arn),
    );
    if (leftovers.some((c) => c.status !== 'DELETED')) phase = 'retiring';
  }
  if (newest && older) {
    if (newest.referencedBy.length === 0 && older.referencedBy.length > 0) phase = 'built';
    else if (older.referencedBy.length > 0) phase = 'cutting-over';
    else phase = older.state === 'DISABLED' ? 'drained' : 'draining';
  }
  const live = phase === 'built' || phase === 'cutting-over' ? older : (newest ?? older);
  const next =
    phase === 'none'
      ? []
      : [
          `batchctl promote ${existsSync(planPath) ? planPath : '<plan file>'}   # finish the swap`,
          `batchctl rollback ${existsSync(planPath) ? planPath : '<plan file>'}  # go back to the previous revision`,
        ];
  const handBack = await pendingHandBack(aws, plan, live?.name);
  return {
    workload: spec.workload,
    ...(live ? { live: { revision: live.revision, queue: live.name } } : {}),
    queues: result,
    swap: {
      phase,
      description: PHASE_TEXT[phase],
      ...(newest?.planId && phase !== 'none' ? { planId: newest.planId } : {}),
      next,
    },
    ...(lock ? { lock } : {}),
    ...(handBack.length ? { handBack } : {}),
  };
}
