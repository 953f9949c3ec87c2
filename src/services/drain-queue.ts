/** `drain <queue>` on its own: report what is in flight, or disable intake and wait until drained. */
import type { Aws } from '../aws/clients';
import { jobQueueName } from '../core/arn';
import type { WorkloadTarget } from '../core/references';
import { invalidInput, BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import {
  describeInFlight,
  drainQueue,
  ExecutionTracker,
  observeInFlight,
  type DrainProgress,
  type InFlight,
} from './drain';

export interface DrainCommandOptions {
  aws: Aws;
  queue: string;
  wait: boolean;
  /** Names of state machines whose executions may submit to the queue; all state machines when absent. */
  stateMachines?: string[];
  timeoutMs: number;
  pollIntervalMs: number;
  onProgress?: (progress: DrainProgress) => void;
}

export interface DrainCommandResult {
  queue: { name: string; arn: string; state: string };
  drained: boolean;
  inFlight: InFlight;
  durationMs: number;
}

export async function drainCommand(options: DrainCommandOptions): Promise<DrainCommandResult> {
  const { aws } = options;
  const started = Date.now();
  const [queue] = (await aws.batch.describeJobQueues()).filter(
    (q) => q.jobQueueArn === options.queue || q.jobQueueName === jobQueueName(options.queue),
  );
  if (!queue) {
    throw invalidInput('QueueNotFound', `Job queue "${options.queue}" does not exist in this account and region.`, [
      'Check the name, --region and --profile.',
    ]);
  }
  const all = await aws.sfn.listStateMachines();
  const wanted = options.stateMachines;
  const unknown = wanted?.filter((name) => !all.some((sm) => sm.name === name)) ?? [];
  if (unknown.length) {
    throw invalidInput(
      'StateMachineNotFound',
      `--state-machines names ${unknown.map((n) => `"${n}"`).join(', ')}, which do not exist.`,
    );
  }
  const stateMachines = all
    .filter((sm) => !wanted || wanted.includes(sm.name ?? ''))
    .map((sm) => ({ name: sm.name ?? '', arn: sm.stateMachineArn ?? '' }));
  const target: WorkloadTarget = {
    queue: { name: queue.jobQueueName ?? '', arn: queue.jobQueueArn ?? '' },
    jobDefinitions: [],
  };
  const ref = { name: target.queue.name, arn: target.queue.arn, state: queue.state ?? '' };

  if (!options.wait) {
    const inFlight = await observeInFlight(aws, new ExecutionTracker(aws, target), { target, stateMachines });
    const drained = inFlight.executions.length === 0 && Object.values(inFlight.jobs).every((n) => n === 0);
    return { queue: ref, drained, inFlight, durationMs: Date.now() - started };
  }
  const result = await drainQueue({
    aws,
    target,
    stateMachines,
    // Executions that start after the drain began are the caller's to stop: they would be refused by the disabled queue.
    startedBefore: new Date(),
    timeoutMs: options.timeoutMs,
    pollIntervalMs: options.pollIntervalMs,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return {
    queue: { ...ref, state: 'DISABLED' },
    drained: true,
    inFlight: result.last,
    durationMs: Date.now() - started,
  };
}

export function notDrained(result: DrainCommandResult): BatchctlError {
  return new BatchctlError(
    'NotDrained',
    `Job queue ${result.queue.name} is not drained: ${describeInFlight(result.inFlight)}.`,
    {
      exitCode: ExitCode.NotDrained,
      suggestions: [`Run \`batchctl drain ${result.queue.name} --wait\` to disable it and wait.`],
    },
  );
}
