/**
 * `drain <queue>` on its own: report what is in flight, or disable intake and wait until drained. Disabling is a
 * mutation, so `--wait` is guarded (issue 8, item 5): refused while a state machine in scope names the queue (its
 * executions would fail to submit) or while a swap holds the lock of the queue's workload, unless forced; then
 * confirmed by the caller before anything changes.
 */
import type { Aws } from '../aws/clients';
import { jobQueueName } from '../core/arn';
import { lockKeyOf } from '../core/lock-key';
import type { WorkloadTarget } from '../core/references';
import { invalidInput, BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { definitionNames } from '../core/references';
import { mapLimit } from '../lib/parallel';
import { isInterruption } from '../lib/poll';
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
import { readLock } from './lock';

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
  /** With `wait`: drain although a state machine in scope names the queue or a swap holds its workload's lock. */
  force?: boolean;
  /** With `wait`: asked once the guards pass, before anything changes; throws to cancel (BaseCommand.confirm). */
  confirm?: (question: string) => Promise<void>;
  /** SIGINT/SIGTERM: stop at the next safe point and end in Interrupted (src/lib/signals.ts). */
  signal?: AbortSignal;
  /** Flags the command suggested after an interruption carries (`--yes`, `--force` as given). */
  rerunFlags?: string[];
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
  /** How to let the queue take jobs again (with `--wait`, it is left DISABLED). */
  reenable: string;
}

/** The AWS CLI command that lets a disabled queue take jobs again (UpdateJobQueue, state ENABLED). */
export function reenableCommand(queue: string): string {
  return `aws batch update-job-queue --job-queue ${queue} --state ENABLED`;
}

/**
 * The state machines among `stateMachines` whose current definition names the queue. An unreadable definition counts
 * as naming it: a wrong "no" would let the drain break its executions.
 */
async function naming(
  aws: Aws,
  stateMachines: DrainStateMachine[],
  target: WorkloadTarget,
): Promise<DrainStateMachine[]> {
  const named = await mapLimit(stateMachines, 4, async (sm) => {
    const { definition } = await aws.sfn.describeStateMachine(sm.arn);
    return definitionNames(definition ?? '', target, true) ? [sm] : [];
  });
  return named.flat();
}

/**
 * The guards of `drain --wait`: nothing in scope may still submit to the queue after it is disabled, and a swap in
 * progress owns its queues (its own drain comes at the right moment, after the references moved).
 */
async function refuseUnsafeDrain(aws: Aws, queue: string, named: DrainStateMachine[]): Promise<void> {
  if (named.length) {
    const names = named.map((sm) => sm.name).join(', ');
    throw new BatchctlError(
      'QueueInUse',
      `Job queue ${queue} is named by state machine${named.length === 1 ? '' : 's'} ${names}: once it is disabled, their executions fail to submit to it.`,
      {
        exitCode: ExitCode.Blocked,
        suggestions: [
          `Move the work to a new revision with \`batchctl plan\` and \`batchctl promote\` (it drains the queue after the references moved), or point ${names} elsewhere first; --force drains anyway.`,
        ],
      },
    );
  }
  const lock = await readLock(aws, lockKeyOf(queue));
  if (lock) {
    throw new BatchctlError(
      'Locked',
      `Job queue ${queue} belongs to a swap in progress: ${lock.operation || 'a swap'} of plan ${lock.planId} holds lock ${lock.id} since ${lock.startedAt} (${lock.holder}).`,
      {
        exitCode: ExitCode.Locked,
        suggestions: ['Let that swap drain the queue; `batchctl status <spec>` follows it. --force drains anyway.'],
      },
    );
  }
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
  const reenable = reenableCommand(ref.name);
  // An Express state machine that does not name the queue now is not waited for: one moved away less than the
  // Express window ago is the caller's to wait out, as documented in docs/commands/drain.md. Standard ones are
  // described only for the guard (not under --force); their running executions are looked at either way.
  const guarded = options.wait && !options.force;
  const named = await naming(aws, guarded ? inScope : inScope.filter(isExpress), target);
  const express = named.filter(isExpress);
  const stateMachines = [...inScope.filter((sm) => !isExpress(sm)), ...express];
  const expressNames = express.map((sm) => sm.name);

  if (!options.wait) {
    const inFlight = await observeInFlight(aws, new ExecutionTracker(aws, target), { target, stateMachines });
    const drained = inFlight.executions.length === 0 && Object.values(inFlight.jobs).every((n) => n === 0);
    return { queue: ref, drained, inFlight, express: expressNames, durationMs: Date.now() - started, reenable };
  }
  if (guarded) await refuseUnsafeDrain(aws, ref.name, named);
  await options.confirm?.(
    `Disable job queue ${ref.name} (${ref.state}) and wait until it is drained? It takes no new jobs until re-enabled (${reenable}).`,
  );
  let phase: DrainProgress['phase'] | undefined;
  try {
    const result = await drainQueue({
      aws,
      target,
      stateMachines,
      ...(options.expressWindowMs === undefined ? {} : { expressWindowMs: options.expressWindowMs }),
      // Executions that start after the drain began are the caller's to stop: they would be refused by the disabled queue.
      startedBefore: new Date(),
      timeoutMs: options.timeoutMs,
      pollIntervalMs: options.pollIntervalMs,
      onProgress: (p) => {
        phase = p.phase;
        options.onProgress?.(p);
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return {
      queue: { ...ref, state: 'DISABLED' },
      drained: true,
      inFlight: result.last,
      express: expressNames,
      durationMs: Date.now() - started,
      reenable,
    };
  } catch (error) {
    const disabling = phase !== undefined && phase !== 'executions';
    if (isInterruption(error)) {
      const flags = (options.rerunFlags ?? []).map((f) => ` ${f}`).join('');
      throw new BatchctlError(
        'Interrupted',
        `Stopped by ${error.signalName} at a safe point: job queue ${ref.name} ${
          disabling
            ? 'is disabled (it takes no new jobs) and not drained yet'
            : `is still ${ref.state}; nothing was changed`
        }.`,
        {
          exitCode: ExitCode.Interrupted,
          suggestions: [
            `Run \`batchctl drain ${ref.name} --wait${flags}\` to keep waiting${disabling ? `, or \`${reenable}\` to let it take jobs again` : ''}.`,
          ],
          cause: error,
        },
      );
    }
    if (error instanceof BatchctlError && error.code === 'NotDrained' && disabling) {
      throw new BatchctlError(error.code, error.message, {
        exitCode: error.exitCode,
        suggestions: [...error.suggestions, `The queue is left DISABLED; to let it take jobs again: ${reenable}`],
        cause: error,
      });
    }
    throw error;
  }
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
