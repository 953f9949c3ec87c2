/**
 * Drain: stop new work reaching a queue and wait until nothing in flight can still touch it (DESIGN invariant 2).
 * First the Step Functions executions whose definition names the queue (they may submit to it at a later state),
 * and the Express window (below), then the caller's last check, then disable the queue, then its
 * SUBMITTED…RUNNING jobs, seen empty twice in a row (aws-facts §6.3).
 *
 * Express state machines have no execution history: ListExecutions and DescribeExecution fail with
 * StateMachineTypeNotSupported (aws-facts §8a, API_ListExecutions). Their executions are never listed; instead the
 * drain waits until the longest an Express execution can run has passed since the state machine stopped naming the
 * queue.
 */
import type { Aws } from '../aws/clients';
import type { JobStatus } from '../aws/types';
import { isExpress, MAX_EXPRESS_DURATION_MS } from '../core/express';
import { definitionNames, type WorkloadTarget } from '../core/references';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { mapLimit } from '../lib/parallel';
import { checkInterrupted, pollUntil, sleep } from '../lib/poll';

export const ACTIVE_JOB_STATUSES = [
  'SUBMITTED',
  'PENDING',
  'RUNNABLE',
  'STARTING',
  'RUNNING',
] as const satisfies readonly JobStatus[];
export type ActiveJobStatus = (typeof ACTIVE_JOB_STATUSES)[number];

export { isExpress, MAX_EXPRESS_DURATION_MS };

/** A state machine whose executions may still submit to the queue being drained. */
export interface DrainStateMachine {
  name: string;
  arn: string;
  /** `STANDARD` or `EXPRESS` (ListStateMachines / DescribeStateMachine `type`); unknown ones are described. */
  type?: string;
  /**
   * Express only: when its definition stopped naming the queue (epoch ms), as far as this run knows. Absent when
   * that happened in an earlier run or is not known: the drain then counts from its own start, which is later.
   */
  cutoverAt?: number;
}

export interface InFlight {
  /** Running executions whose definition references the queue or its job definitions. */
  executions: string[];
  jobs: Record<ActiveJobStatus, number>;
}

export interface DrainProgress extends InFlight {
  phase: 'executions' | 'disabling' | 'jobs' | 'drained';
  /** When the drain started and when it gives up (epoch ms): for the CI heartbeat's elapsed and remaining time. */
  startedAt?: number;
  deadline?: number;
  /** While the Express window is open: the Express state machines it waits for and the time left. */
  express?: { stateMachines: string[]; remainingMs: number };
}

export interface DrainOptions {
  aws: Aws;
  target: WorkloadTarget;
  /** State machines whose executions may still submit to the queue (Express ones: see MAX_EXPRESS_DURATION_MS). */
  stateMachines: DrainStateMachine[];
  /** Only executions that started before this instant count (standalone drain); all of them when absent (promote). */
  startedBefore?: Date;
  /** How long an Express execution can run; MAX_EXPRESS_DURATION_MS unless the caller knows its own are shorter. */
  expressWindowMs?: number;
  /**
   * The last look before the queue is disabled, after in-flight executions are waited out: throwing keeps the
   * queue enabled. Runs on every drain, also when the queue is already disabled.
   */
  beforeDisable?: () => Promise<void>;
  timeoutMs: number;
  pollIntervalMs: number;
  onProgress?: (progress: DrainProgress) => void;
  /** SIGINT/SIGTERM: the waits wake up and the queue is not disabled once it has fired (throws the Interruption). */
  signal?: AbortSignal;
}

export interface DrainResult {
  drained: boolean;
  durationMs: number;
  disabled: boolean;
  last: InFlight;
}

const isDrained = (f: InFlight): boolean =>
  f.executions.length === 0 && ACTIVE_JOB_STATUSES.every((s) => f.jobs[s] === 0);

/**
 * The running executions of some state machines, each with the definition it runs. An execution's definition never
 * changes, so each is described once however often the list is taken.
 */
export class RunningExecutions {
  private readonly definitions = new Map<string, string>();

  constructor(private readonly aws: Aws) {}

  /** Express state machines are skipped: they have no execution history API (aws-facts §8a). */
  async list(
    stateMachines: { arn: string; type?: string }[],
    startedBefore?: Date,
  ): Promise<{ arn: string; definition: string }[]> {
    const standard = stateMachines.filter((sm) => !isExpress(sm));
    const lists = await mapLimit(standard, 4, (sm) => this.aws.sfn.listExecutions(sm.arn, 'RUNNING'));
    const executions = lists
      .flat()
      .filter((e) => !startedBefore || (e.startDate && new Date(e.startDate) <= startedBefore));
    return mapLimit(executions, 4, async (e) => {
      const arn = e.executionArn ?? '';
      let definition = this.definitions.get(arn);
      if (definition === undefined) {
        const described = await this.aws.sfn.describeStateMachineForExecution(arn);
        definition = described.definition ?? '';
        this.definitions.set(arn, definition);
      }
      return { arn, definition };
    });
  }
}

/** The running executions whose definition can still submit to one target's queue. */
export class ExecutionTracker {
  constructor(
    aws: Aws,
    private readonly target: WorkloadTarget,
    private readonly executions = new RunningExecutions(aws),
  ) {}

  async running(stateMachines: { arn: string; type?: string }[], startedBefore?: Date): Promise<string[]> {
    const running = await this.executions.list(stateMachines, startedBefore);
    return running.filter((e) => definitionNames(e.definition, this.target, true)).map((e) => e.arn);
  }
}

export async function countActiveJobs(aws: Aws, queue: string): Promise<Record<ActiveJobStatus, number>> {
  const counts = await mapLimit(
    ACTIVE_JOB_STATUSES,
    5,
    async (status) => [status, (await aws.batch.listJobs(queue, status)).length] as const,
  );
  return Object.fromEntries(counts) as Record<ActiveJobStatus, number>;
}

export async function observeInFlight(
  aws: Aws,
  tracker: ExecutionTracker,
  options: Pick<DrainOptions, 'target' | 'stateMachines' | 'startedBefore'>,
): Promise<InFlight> {
  const [executions, jobs] = await Promise.all([
    tracker.running(options.stateMachines, options.startedBefore),
    countActiveJobs(aws, options.target.queue.arn),
  ]);
  return { executions, jobs };
}

/** Disables the queue (when enabled) and waits until it is VALID again (aws-facts §3.2: UPDATING → VALID). */
export async function disableQueue(
  aws: Aws,
  queueArn: string,
  pollIntervalMs: number,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  const [queue] = await aws.batch.describeJobQueues([queueArn]);
  if (!queue) return false;
  if (queue.state !== 'DISABLED') await aws.batch.updateJobQueue({ jobQueue: queueArn, state: 'DISABLED' });
  await pollUntil(
    async () => {
      const [q] = await aws.batch.describeJobQueues([queueArn]);
      return q?.status === 'VALID' && q.state === 'DISABLED' ? true : undefined;
    },
    {
      intervalMs: Math.min(pollIntervalMs, 2000),
      maxIntervalMs: 15_000,
      timeoutMs,
      what: `job queue ${queueArn} to be DISABLED and VALID`,
      ...(signal ? { signal } : {}),
    },
  );
  return queue.state !== 'DISABLED';
}

/** Fills in the type of state machines that do not carry one (plans written before types were recorded). */
export async function withTypes(aws: Aws, stateMachines: DrainStateMachine[]): Promise<DrainStateMachine[]> {
  return mapLimit(stateMachines, 4, async (sm) =>
    sm.type ? sm : { ...sm, type: (await aws.sfn.describeStateMachine(sm.arn)).type ?? 'STANDARD' },
  );
}

/**
 * When the Express executions that can still reach the queue have all ended: the window after the latest cutover of
 * an Express state machine (the drain's start when not known). Nothing to wait for when the queue is already
 * disabled: an earlier run got past this wait, or someone else stopped its intake, and waiting protects nothing.
 */
async function expressWindowEnd(
  aws: Aws,
  queueArn: string,
  express: DrainStateMachine[],
  windowMs: number,
  started: number,
): Promise<number> {
  if (!express.length) return started;
  const [queue] = await aws.batch.describeJobQueues([queueArn]);
  if (queue?.state === 'DISABLED') return started;
  return Math.max(...express.map((sm) => (sm.cutoverAt ?? started) + windowMs));
}

/**
 * Waits for in-flight executions (and the Express window), runs the caller's last check, disables the queue, waits
 * for its jobs. The deadline ends in NotDrained (exit 7) with the queue left in place (and disabled if it got that
 * far), so the caller can run again to finish.
 */
export async function drainQueue(options: DrainOptions): Promise<DrainResult> {
  const { aws, target } = options;
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const { signal } = options;
  const report = (progress: DrainProgress): void => options.onProgress?.({ ...progress, startedAt: started, deadline });
  const tracker = new ExecutionTracker(aws, target);
  const stateMachines = await withTypes(aws, options.stateMachines);
  const observed = { ...options, stateMachines };
  const express = stateMachines.filter(isExpress);
  const expressUntil = await expressWindowEnd(
    aws,
    target.queue.arn,
    express,
    options.expressWindowMs ?? MAX_EXPRESS_DURATION_MS,
    started,
  );
  const expressLeft = (): number => Math.max(0, expressUntil - Date.now());
  let last: InFlight = { executions: [], jobs: { SUBMITTED: 0, PENDING: 0, RUNNABLE: 0, STARTING: 0, RUNNING: 0 } };
  const timedOut = (): BatchctlError => {
    const left = expressLeft();
    const window = left > 0 ? `; Express executions may run for ${Math.ceil(left / 1000)}s more` : '';
    return new BatchctlError(
      'NotDrained',
      `Job queue ${target.queue.name} is not drained after ${Math.round(options.timeoutMs / 1000)}s: ${describeInFlight(last)}${window}.`,
      {
        exitCode: ExitCode.NotDrained,
        suggestions: ['Nothing was deleted. Run the same command again to keep waiting, or raise the timeout.'],
      },
    );
  };

  for (;;) {
    // Jobs are counted here too, so the progress shows what those executions are running.
    last = await observeInFlight(aws, tracker, observed);
    const remainingMs = expressLeft();
    report({
      ...last,
      phase: 'executions',
      ...(remainingMs > 0 ? { express: { stateMachines: express.map((sm) => sm.name), remainingMs } } : {}),
    });
    if (last.executions.length === 0 && remainingMs === 0) break;
    // Waiting out the Express window is waiting on a time AWS documents, not on a state: no need to poll past it.
    const pause = last.executions.length ? options.pollIntervalMs : Math.min(options.pollIntervalMs, remainingMs);
    if (Date.now() + pause > deadline) throw timedOut();
    await sleep(pause, signal);
  }
  // Right before intake stops, so nothing that appeared during a long wait is missed.
  await options.beforeDisable?.();
  // The last safe point before the one mutation of the drain: once stopping, the queue stays as it is.
  checkInterrupted(signal);
  report({ ...last, phase: 'disabling' });
  const disabled = await disableQueue(
    aws,
    target.queue.arn,
    options.pollIntervalMs,
    Math.max(1000, deadline - Date.now()),
    signal,
  );
  let emptyInARow = 0;
  for (;;) {
    last = await observeInFlight(aws, tracker, observed);
    report({ ...last, phase: 'jobs' });
    // ListJobs can lag behind submissions, so "drained" means empty on two checks in a row (aws-facts §6.3).
    emptyInARow = isDrained(last) ? emptyInARow + 1 : 0;
    if (emptyInARow >= 2) break;
    if (Date.now() + options.pollIntervalMs > deadline) throw timedOut();
    await sleep(options.pollIntervalMs, signal);
  }
  report({ ...last, phase: 'drained' });
  return { drained: true, durationMs: Date.now() - started, disabled, last };
}

export function describeInFlight(f: InFlight): string {
  const jobs = ACTIVE_JOB_STATUSES.map((s) => `${f.jobs[s]} ${s}`).join(', ');
  return `${f.executions.length} execution${f.executions.length === 1 ? '' : 's'} still on it, jobs: ${jobs}`;
}
