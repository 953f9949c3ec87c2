/**
 * `status <spec>`: which revision is live, whether a swap is half done (and in which phase), what is in flight, who
 * holds the lock and whether that run still lives, and the exact commands that go on from here. Read-only; all of it
 * is read back from AWS (names, `batchctl:*` tags, where definitions and aliases point, the lock parameter), so it
 * works from any machine and on every swap. A plan file is named only when one is given (`planPath`).
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';

import type { Aws } from '../aws/clients';
import type { StackHandBack } from '../core/handback';
import type { RevisionLabel } from '../core/naming';
import { definitionNames } from '../core/references';
import { stateMachineSelected, suffixesOf } from '../core/spec';
import { checkHolder, lockSentence, nextCommands, type HolderState } from '../core/status-hints';
import { deriveSwap, PHASE_TEXT, type OrderSource, type SwapPhase } from '../core/swap-phase';
import { isStanding } from '../core/workload';
import { invalidInput } from '../errors';
import { mapLimit } from '../lib/parallel';
import { defaultPlanPath } from '../lib/plan-path';
import { sleep } from '../lib/poll';
import { countActiveJobs, isExpress, RunningExecutions, type ActiveJobStatus } from './drain';
import { pendingHandBack } from './handback-status';
import type { LockInfo } from './lock';
import { loadSpec } from './plan';
import { aliasRoutes, hintQueue, pidRunning, readWorkloadLock, type AliasRoute, type Machine } from './status-sources';
import { loadPlanFile } from './swap-steps';
import { findRevisions, type FoundRevision } from './workload-revisions';

export type { SwapPhase } from '../core/swap-phase';
export type { AliasRoute } from './status-sources';

export interface QueueStatus {
  revision: RevisionLabel;
  name: string;
  arn: string;
  state: string;
  status: string;
  planId?: string;
  /** State machines whose current definition names this queue. */
  referencedBy: string[];
  /**
   * Aliases routing to a version that names this queue: they send work here whatever the current definition says
   * (versions are immutable, aws-facts §5.3), so they are references too.
   */
  routedBy: AliasRoute[];
  jobs: Record<ActiveJobStatus, number>;
  /** Running executions of Standard state machines that can reach this queue. */
  executions: number;
  /**
   * The state machines in `referencedBy` that are Express: they have no execution history API (aws-facts §8a), so
   * their executions are not listed nor counted in `executions`.
   */
  express: string[];
}

/** Everything standing of one revision, queue or not (a revision being built or retired may have none). */
export interface RevisionStatus {
  revision: RevisionLabel;
  planId?: string;
  queue?: string;
  computeEnvironments: string[];
  launchTemplates: string[];
}

export interface StatusLock extends LockInfo {
  /** `running` (its process is seen on this host), `dead`, `presumed-dead` (another host, too old), `unknown`. */
  holderState: HolderState;
  holderReason: string;
  /** "a promote is in progress (lock held by … since …)". */
  summary: string;
}

export interface StatusResult {
  workload: string;
  live?: { revision: RevisionLabel; queue: string };
  queues: QueueStatus[];
  revisions: RevisionStatus[];
  swap: {
    phase: SwapPhase;
    description: string;
    planId?: string;
    incoming?: RevisionLabel;
    /** How the incoming revision was told from the outgoing one (core/swap-phase.ts). */
    orderedBy?: OrderSource;
    next: string[];
  };
  lock?: StatusLock;
  /** What status could not look at, said rather than hidden. */
  warnings: string[];
  /** Stacks whose templates still name A although B is live (the plan's hand-back, re-read). */
  handBack?: StackHandBack[];
}

export interface StatusOptions {
  specPath: string;
  /** A plan file to name in the commands, when it is the plan of the swap. */
  planPath?: string;
  /** No terminal can answer a confirmation: suggested swap commands carry --yes. */
  noTerminal: boolean;
  now?: () => number;
  host?: string;
  /** Whether a process runs on this host (signal 0); replaceable in tests. */
  pidRunning?: (pid: number) => boolean;
}

/** The plan path `plan` writes by default (lib/plan-path.ts): the one a re-plan hint names. */
export const replanPathOf = defaultPlanPath;

function revisionStatus(r: FoundRevision): RevisionStatus {
  return {
    revision: r.label,
    ...(r.planId ? { planId: r.planId } : {}),
    ...(r.queue?.jobQueueName ? { queue: r.queue.jobQueueName } : {}),
    computeEnvironments: r.computeEnvironments.map((ce) => ce.computeEnvironmentName ?? ''),
    launchTemplates: r.launchTemplates.map((t) => t.LaunchTemplateName ?? ''),
  };
}

export async function status(aws: Aws, options: StatusOptions): Promise<StatusResult> {
  const { spec, text } = await loadSpec(options.specPath);
  // `${var.NAME}` (SHARED-DECISIONS): read from the text, so the note holds whichever parser reads the spec.
  const specVariables = [...new Set([...text.matchAll(/\$\{var\.([A-Za-z0-9_]+)\}/g)].map((m) => m[1] ?? ''))];
  const planFile = options.planPath ? await loadPlanFile(options.planPath) : undefined;
  if (planFile && planFile.workload !== spec.workload) {
    throw invalidInput(
      'PlanNotForSpec',
      `Plan ${options.planPath ?? ''} is for workload ${planFile.workload}, but ${options.specPath} describes ${spec.workload}.`,
      ['Pass the plan file made from this spec, or leave --plan out.'],
    );
  }
  const warnings: string[] = [];
  const found = await findRevisions(aws, spec.workload, suffixesOf(spec), await hintQueue(aws, spec));
  const [lock, listed] = await Promise.all([readWorkloadLock(aws, found.lockKeys), aws.sfn.listStateMachines()]);
  const selected = listed.filter((m) => stateMachineSelected(spec, m.name ?? ''));
  const machines: Machine[] = await mapLimit(selected, 8, async (m) => {
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
  const withQueues = found.revisions.filter((r) => r.queue);
  const [routes, running] = withQueues.length
    ? await Promise.all([
        aliasRoutes(aws, machines, warnings),
        // Listed once for both queues; Express state machines are left out (ListExecutions rejects them).
        new RunningExecutions(aws).list(machines),
      ])
    : [[], []];

  const read = await mapLimit(withQueues, 2, async (r): Promise<QueueStatus | undefined> => {
    const q = r.queue as NonNullable<FoundRevision['queue']>;
    const target = { queue: { name: q.jobQueueName ?? '', arn: q.jobQueueArn ?? '' }, jobDefinitions: [] };
    const referencing = machines.filter((d) => definitionNames(d.definition, target, false));
    const routedBy = routes
      .filter((route) => definitionNames(route.definition, target, false))
      .map(({ definition: _d, ...route }) => route);
    const jobs = await countActiveJobs(aws, target.queue.arn).catch(async (error: unknown) => {
      // Retirement may delete the queue between DescribeJobQueues and ListJobs (a --watch reading during promote):
      // a queue no longer standing is read as gone; any other failure is reported.
      const [again] = await aws.batch.describeJobQueues([target.queue.arn]);
      if (again && isStanding(again)) throw error;
      return undefined;
    });
    if (!jobs) {
      delete r.queue;
      return undefined;
    }
    const executions = running.filter((e) => definitionNames(e.definition, target, true));
    return {
      revision: r.label,
      name: target.queue.name,
      arn: target.queue.arn,
      state: q.state ?? '',
      status: q.status ?? '',
      ...(r.planId ? { planId: r.planId } : {}),
      referencedBy: referencing.map((d) => d.name),
      routedBy,
      jobs,
      executions: executions.length,
      express: referencing.filter(isExpress).map((d) => d.name),
    };
  });

  const queues = read.filter((q): q is QueueStatus => q !== undefined);
  const swap = deriveSwap({
    revisions: found.revisions.map((r) => {
      const q = queues.find((s) => s.revision === r.label);
      return {
        label: r.label,
        ...(r.planId ? { planId: r.planId } : {}),
        ...(r.createdAt !== undefined ? { createdAt: r.createdAt } : {}),
        ...(q ? { queue: { state: q.state, referenced: q.referencedBy.length > 0 || q.routedBy.length > 0 } } : {}),
        computeEnvironments: r.computeEnvironments.map((ce) => ce.state ?? ''),
        launchTemplates: r.launchTemplates.length,
      };
    }),
    ...(lock ? { lockPlanId: lock.planId } : {}),
    ...(planFile ? { planId: planFile.id } : {}),
  });
  const incoming = found.revisions.find((r) => r.label === swap.incoming);
  const swapPlanId = swap.phase === 'none' ? undefined : incoming?.planId;
  const liveQueue = queues.find((q) => q.revision === swap.live);

  let statusLock: StatusLock | undefined;
  if (lock) {
    const host = options.host ?? hostname();
    const { host: lockHost, pid, ...info } = lock;
    const holder = checkHolder(
      { host: lockHost, pid, startedAt: lock.startedAt },
      {
        host,
        now: (options.now ?? Date.now)(),
        ...(lockHost === host && pid > 0 ? { pidRunning: (options.pidRunning ?? pidRunning)(pid) } : {}),
      },
    );
    statusLock = {
      ...info,
      holderState: holder.state,
      holderReason: holder.reason,
      summary: lockSentence(lock),
    };
  }
  const next = nextCommands({
    phase: swap.phase,
    specPath: options.specPath,
    replanPath: replanPathOf(options.specPath),
    ...(swapPlanId ? { swapPlanId } : {}),
    ...(planFile && options.planPath ? { planFile: { path: options.planPath, id: planFile.id } } : {}),
    ...(lock && statusLock
      ? {
          lock: {
            id: lock.id,
            planId: lock.planId,
            operation: lock.operation === 'promote' || lock.operation === 'rollback' ? lock.operation : '',
            holder: { state: statusLock.holderState, reason: statusLock.holderReason },
          },
        }
      : {}),
    noTerminal: options.noTerminal,
    ...(specVariables.length ? { specVariables } : {}),
  });
  const assumed =
    swap.orderedBy === 'assumed'
      ? ' (which revision is the new one is assumed: nothing in the account tells them apart; pass --plan to be sure)'
      : '';
  // The hand-back (which template properties name A) is recorded in the plan: the --plan file, else the plan at
  // the spec's default path when it is this swap's (its B queue is the live one; pendingHandBack checks).
  const handBackPlan =
    planFile ??
    (existsSync(replanPathOf(options.specPath))
      ? await loadPlanFile(replanPathOf(options.specPath)).catch(() => undefined)
      : undefined);
  const handBack = await pendingHandBack(
    aws,
    handBackPlan?.workload === spec.workload ? handBackPlan : undefined,
    liveQueue?.name,
  );
  return {
    workload: spec.workload,
    ...(liveQueue ? { live: { revision: liveQueue.revision, queue: liveQueue.name } } : {}),
    queues,
    revisions: found.revisions.map(revisionStatus),
    swap: {
      phase: swap.phase,
      description: `${PHASE_TEXT[swap.phase]}${swap.phase === 'none' ? '' : assumed}`,
      ...(swapPlanId ? { planId: swapPlanId } : {}),
      ...(swap.phase !== 'none' && swap.incoming ? { incoming: swap.incoming } : {}),
      ...(swap.phase !== 'none' && swap.orderedBy ? { orderedBy: swap.orderedBy } : {}),
      next,
    },
    ...(statusLock ? { lock: statusLock } : {}),
    warnings,
    ...(handBack.length ? { handBack } : {}),
  };
}

/** Whether a watch has nothing more to follow: no run holds the lock, or the one that does is gone. */
export function watchEnds(result: StatusResult): boolean {
  return !result.lock || result.lock.holderState === 'dead' || result.lock.holderState === 'presumed-dead';
}

export interface WatchOptions {
  intervalMs: number;
  signal: AbortSignal;
  /** Called with every reading; the caller decides what changed. */
  onReading: (result: StatusResult) => void;
}

/**
 * Reads the status until the swap ends (watchEnds) or the signal fires. Each reading starts `intervalMs` after the
 * previous one finished, so a slow account is never polled faster than it answers. Resolves with the last reading.
 */
export async function watchStatus(aws: Aws, options: StatusOptions, watch: WatchOptions): Promise<StatusResult> {
  for (;;) {
    const result = await status(aws, options);
    watch.onReading(result);
    if (watchEnds(result) || watch.signal.aborted) return result;
    try {
      await sleep(watch.intervalMs, watch.signal);
    } catch {
      return result;
    }
  }
}
