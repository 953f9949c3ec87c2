/** Flags shared by the commands that change the account: promote, retire, rollback. */
import { Flags } from '@oclif/core';

import { expressWindowProblem } from './core/express';
import { usageError } from './errors';
import { parseDuration } from './lib/duration';
import type { PromoteTimings } from './services/promote';

export const swapFlags = {
  'drain-timeout': Flags.string({
    default: '6h',
    env: 'BATCHCTL_DRAIN_TIMEOUT',
    summary: 'Give up draining after this long (nothing is deleted; run the command again to keep waiting).',
    description:
      'At the deadline the run stops with exit 7, the drained revision left intact and disabled. Durations: 500ms, 30s, 5m, 2h or a bare number of seconds.',
  }),
  'express-window': Flags.string({
    default: '5m',
    env: 'BATCHCTL_EXPRESS_WINDOW',
    summary:
      'The longest an Express execution of yours can run (at most 5m, the Step Functions limit): the drained queue is disabled only once this long has passed since its Express state machines were moved.',
    description:
      'Executions of Express state machines cannot be listed (Step Functions keeps no history for them), so this window stands in for waiting on them. Lower it only if every Express workflow naming the drained queue times out sooner.',
  }),
  'force-unlock': Flags.string({
    env: 'BATCHCTL_FORCE_UNLOCK',
    summary: 'Break the workload lock with this id first (the id a refusal names), when the run that held it is dead.',
  }),
  grace: Flags.string({
    default: '10s',
    env: 'BATCHCTL_GRACE',
    summary: "Wait this long after moving references for Step Functions' eventual consistency before draining.",
    description:
      'Step Functions may still start executions with the previous definition for a few seconds after UpdateStateMachine.',
  }),
  'poll-interval': Flags.string({
    default: '10s',
    env: 'BATCHCTL_POLL_INTERVAL',
    summary: 'How often to look at executions and jobs while draining.',
  }),
  yes: Flags.boolean({
    char: 'y',
    env: 'BATCHCTL_YES',
    summary: 'Do not ask for confirmation (required without a TTY or when CI is set).',
    description: 'Without it, and with nobody to ask, the command refuses (exit 9) and changes nothing.',
  }),
};

/** `--express-window`, checked: Express executions cannot run longer than the Step Functions limit. */
export function parseExpressWindow(text: string): number {
  const ms = parseDuration(text, 'express-window');
  const problem = expressWindowProblem(ms);
  if (problem) throw usageError('ExpressWindowInvalid', `--express-window "${text}" is not usable: ${problem}.`);
  return ms;
}

export function timingsFrom(flags: {
  grace: string;
  'drain-timeout': string;
  'poll-interval': string;
  'express-window': string;
}): PromoteTimings {
  return {
    graceMs: parseDuration(flags.grace, 'grace'),
    drainTimeoutMs: parseDuration(flags['drain-timeout'], 'drain-timeout'),
    pollIntervalMs: parseDuration(flags['poll-interval'], 'poll-interval'),
    resourceTimeoutMs: 20 * 60_000,
    expressWindowMs: parseExpressWindow(flags['express-window']),
  };
}

export interface SwapRun {
  reporter: import('./services/swap-steps').SwapReporter;
  signal: AbortSignal;
  /** What the commands an interruption suggests need: `--yes` when this run had it or nobody can answer. */
  rerunFlags: string[];
}

/**
 * Runs a swap service (promote, retire, rollback) under the progress list, stopping at a safe point on SIGINT or
 * SIGTERM. listr2 and the signal handling load only here, never for --help.
 */
export async function runSwap<T>(
  options: { steps: { id: string; title: string }[]; json: boolean; yes: boolean; planPath: string },
  work: (run: SwapRun) => Promise<T>,
): Promise<T> {
  /* eslint-disable @typescript-eslint/no-require-imports -- listr2 and the signal handlers load only when swapping */
  const { withProgress } = require('./ui/progress') as typeof import('./ui/progress');
  const { swapForcedHint, withInterrupts } = require('./lib/signals') as typeof import('./lib/signals');
  const { isCi } = require('./lib/ci') as typeof import('./lib/ci');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const rerunFlags = options.yes || !process.stdin.isTTY || isCi() ? ['--yes'] : [];
  return withInterrupts(
    (signal) =>
      withProgress(options.steps, { json: options.json, ci: isCi(), signal }, (reporter) =>
        work({ reporter, signal, rerunFlags }),
      ),
    { forcedHint: swapForcedHint(options.planPath) },
  );
}
