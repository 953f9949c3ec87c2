/** `drain <queue>` on its own: report what is in flight, or disable intake and wait until drained. */
import type { Aws } from '../aws/clients';
import { jobQueueName } from '../core/arn';
import type { WorkloadTarget } from '../core/references';
import { invalidInput, BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { definitionNames } from '../core/references';
import { mapLimit } from '../lib/parallel';
import {
  describeInFlight,
  drainQueue,
  ExecutionTracker,
  isExpress,
  observeInFlight,
  type DrainProgress,
  type DrainStateMachine,
  type InFlight,
} from './drain';

export interface DrainCommandOptions {
  aws: Aws;
  queue: string;
  wait: boolean;
  /** Names of state machines whose executions may submit to the queue; all state machines when absent. */
  stateMachines?: string[];
  /** With `wait`: how long an Express execution can run (MAX_EXPRESS_DURATION_MS when absent). */
  expressWindowMs?: number;
  timeoutMs: number;
  pollIntervalMs: number;
  onProgress?: (progress: DrainProgress) => void;
}

export interface DrainCommandResult {
  queue: { name: string; arn: string; state: string };
  drained: boolean;
  inFlight: InFlight;
  /**
   * Express state machines in scope whose definition names the queue. Their executions cannot be listed (aws-facts
   * §8a), so they are not in `inFlight`; `--wait` waits the Express window for them before disabling the queue.
   */
  express: string[];
  durationMs: number;
}

/** The Express state machines among `stateMachines` whose current definition names the queue. */
async function expressNaming(
  aws: Aws,
  stateMachines: DrainStateMachine[],
  target: WorkloadTarget,
): Promise<DrainStateMachine[]> {
  const named = await mapLimit(stateMachines.filter(isExpress), 4, async (sm) => {
    const { definition } = await aws.sfn.describeStateMachine(sm.arn);
    return definitionNames(definition ?? '', target, true) ? [sm] : [];
  });
  return named.flat();
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
  const inScope: DrainStateMachine[] = all
    .filter((sm) => !wanted || wanted.includes(sm.name ?? ''))
    .map((sm) => ({ name: sm.name ?? '', arn: sm.stateMachineArn ?? '', ...(sm.type ? { type: sm.type } : {}) }));
  const target: WorkloadTarget = {
    queue: { name: queue.jobQueueName ?? '', arn: queue.jobQueueArn ?? '' },
    jobDefinitions: [],
  };
  const ref = { name: target.queue.name, arn: target.queue.arn, state: queue.state ?? '' };
  // An Express state machine that does not name the queue now is not waited for: one moved away less than the
  // Express window ago is the caller's to wait out, as documented in docs/commands/drain.md.
  const express = await expressNaming(aws, inScope, target);
  const stateMachines = [...inScope.filter((sm) => !isExpress(sm)), ...express];
  const expressNames = express.map((sm) => sm.name);

  if (!options.wait) {
    const inFlight = await observeInFlight(aws, new ExecutionTracker(aws, target), { target, stateMachines });
    const drained = inFlight.executions.length === 0 && Object.values(inFlight.jobs).every((n) => n === 0);
    return { queue: ref, drained, inFlight, express: expressNames, durationMs: Date.now() - started };
  }
  const result = await drainQueue({
    aws,
    target,
    stateMachines,
    ...(options.expressWindowMs === undefined ? {} : { expressWindowMs: options.expressWindowMs }),
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
    express: expressNames,
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
