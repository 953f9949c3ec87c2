/**
 * Drain: stop new work reaching a queue and wait until nothing in flight can still touch it (DESIGN invariant 2).
 * First the Step Functions executions whose definition names the queue (they may submit to it at a later state),
 * then disable the queue, then its SUBMITTED…RUNNING jobs, seen empty twice in a row (aws-facts §6.3).
 */
import type { Aws } from '../aws/clients';
import type { JobStatus } from '../aws/types';
import { definitionNames, type WorkloadTarget } from '../core/references';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { mapLimit } from '../lib/parallel';
import { pollUntil, sleep } from '../lib/poll';

export const ACTIVE_JOB_STATUSES = [
  'SUBMITTED',
  'PENDING',
  'RUNNABLE',
  'STARTING',
  'RUNNING',
] as const satisfies readonly JobStatus[];
export type ActiveJobStatus = (typeof ACTIVE_JOB_STATUSES)[number];

export interface InFlight {
  /** Running executions whose definition references the queue or its job definitions. */
  executions: string[];
  jobs: Record<ActiveJobStatus, number>;
}

export interface DrainProgress extends InFlight {
  phase: 'executions' | 'disabling' | 'jobs' | 'drained';
}

export interface DrainOptions {
  aws: Aws;
  target: WorkloadTarget;
  /** State machines whose executions may still submit to the queue. */
  stateMachines: { name: string; arn: string }[];
  /** Only executions that started before this instant count (standalone drain); all of them when absent (promote). */
  startedBefore?: Date;
  timeoutMs: number;
  pollIntervalMs: number;
  onProgress?: (progress: DrainProgress) => void;
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

  async list(stateMachines: { arn: string }[], startedBefore?: Date): Promise<{ arn: string; definition: string }[]> {
    const lists = await mapLimit(stateMachines, 4, (sm) => this.aws.sfn.listExecutions(sm.arn, 'RUNNING'));
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

  async running(stateMachines: { arn: string }[], startedBefore?: Date): Promise<string[]> {
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
    },
  );
  return queue.state !== 'DISABLED';
}

/**
 * Waits for in-flight executions, disables the queue, waits for its jobs. The deadline ends in NotDrained (exit 7)
 * with the queue left in place (and disabled if it got that far), so the caller can run again to finish.
 */
export async function drainQueue(options: DrainOptions): Promise<DrainResult> {
  const { aws, target } = options;
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const tracker = new ExecutionTracker(aws, target);
  let last: InFlight = { executions: [], jobs: { SUBMITTED: 0, PENDING: 0, RUNNABLE: 0, STARTING: 0, RUNNING: 0 } };
  const timedOut = (): BatchctlError =>
    new BatchctlError(
      'NotDrained',
      `Job queue ${target.queue.name} is not drained after ${Math.round(options.timeoutMs / 1000)}s: ${describeInFlight(last)}.`,
      {
        exitCode: ExitCode.NotDrained,
        suggestions: ['Nothing was deleted. Run the same command again to keep waiting, or raise the timeout.'],
      },
    );

  for (;;) {
    // Jobs are counted here too, so the progress shows what those executions are running.
    last = await observeInFlight(aws, tracker, options);
    options.onProgress?.({ ...last, phase: 'executions' });
    if (last.executions.length === 0) break;
    if (Date.now() + options.pollIntervalMs > deadline) throw timedOut();
    await sleep(options.pollIntervalMs);
  }
  options.onProgress?.({ ...last, phase: 'disabling' });
  const disabled = await disableQueue(
    aws,
    target.queue.arn,
    options.pollIntervalMs,
    Math.max(1000, deadline - Date.now()),
  );
  let emptyInARow = 0;
  for (;;) {
    last = await observeInFlight(aws, tracker, options);
    options.onProgress?.({ ...last, phase: 'jobs' });
    // ListJobs can lag behind submissions, so "drained" means empty on two checks in a row (aws-facts §6.3).
    emptyInARow = isDrained(last) ? emptyInARow + 1 : 0;
    if (emptyInARow >= 2) break;
    if (Date.now() + options.pollIntervalMs > deadline) throw timedOut();
    await sleep(options.pollIntervalMs);
  }
  options.onProgress?.({ ...last, phase: 'drained' });
  return { drained: true, durationMs: Date.now() - started, disabled, last };
}

export function describeInFlight(f: InFlight): string {
  const jobs = ACTIVE_JOB_STATUSES.map((s) => `${f.jobs[s]} ${s}`).join(', ');
  return `${f.executions.length} execution${f.executions.length === 1 ? '' : 's'} still on it, jobs: ${jobs}`;
}
