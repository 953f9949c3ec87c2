import { Args, Flags } from '@oclif/core';

import { BaseCommand, exitCodeHelp } from '../base-command';
import { isCi } from '../lib/ci';
import { ExitCode } from '../exit-codes';
import { parseDuration } from '../lib/duration';
import { parseExpressWindow, swapFlags } from '../swap-flags';
import type { DrainCommandResult } from '../services/drain-queue';

export default class Drain extends BaseCommand<typeof Drain> {
  static readonly args = {
    queue: Args.string({ description: 'Job queue name or ARN.', required: true }),
  };

  static readonly description = `The drain step on its own, for operators and pipelines. Without --wait: reports what is still in flight on the queue — jobs by status (SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING; one ListJobs call per status) and running Step Functions executions whose definition names the queue (an execution keeps the definition it started with, so it may still submit to the queue after its state machine was repointed) — and exits 0 when drained, 7 when not. Executions of Express state machines cannot be listed (Step Functions keeps no history for them): the report names the Express state machines whose definition names the queue, and --wait waits --express-window after it starts before disabling the queue. With --wait: waits for those executions (the ones that started before the drain began), disables the queue, and waits until it has no active job on two checks in a row, or until --timeout (exit 7, naming what is still in flight; the queue is left in place). An Express state machine that no longer names the queue is not waited for: if you moved it away less than --express-window ago, wait that long first. The queue is left DISABLED; \`aws batch update-job-queue --job-queue <queue> --state ENABLED\` lets it take jobs again (also in the --json document as \`reenable\`, and in the error when --timeout passes after the queue was disabled).

Disabling a queue is a change: --wait asks for confirmation at a terminal and needs --yes without one or when CI is set (exit 9). It refuses (unless --force) while a state machine in scope names the queue (exit 4: its executions would fail to submit; move them with plan and promote) or while a swap holds the lock of the queue's workload (exit 8: that swap drains it at the right moment; the lock is keyed by the queue's name without its revision suffix). The checks run before anything changes.

SIGINT/SIGTERM during --wait stop at a safe point (the queue is disabled only if the drain got that far) and exit 10 saying so; without a terminal (or with CI set) a heartbeat line at least once a minute gives the elapsed time, the time left to --timeout and the executions waited for (by name, at most five, then +N more), so a steady drain never trips a "no output" timeout. --state-machines limits which state machines' executions are examined: each costs one ListExecutions per check, paced to Step Functions' published rate.

EXIT CODES
${exitCodeHelp()}`;

  static readonly examples = [
    '<%= config.bin %> <%= command.id %> reproject-a',
    '<%= config.bin %> <%= command.id %> reproject-a --wait --timeout 2h --state-machines reproject-workflow,reproject-adhoc',
    '<%= config.bin %> <%= command.id %> reproject-old --wait --yes',
  ];

  static readonly flags = {
    force: Flags.boolean({
      summary:
        "With --wait: drain although a state machine in scope names the queue or a swap holds its workload's lock.",
    }),
    yes: swapFlags.yes,
    'express-window': Flags.string({
      default: '5m',
      env: 'BATCHCTL_EXPRESS_WINDOW',
      summary:
        'With --wait: the longest an Express execution of yours can run (at most 5m, the Step Functions limit); the queue is disabled only once this long has passed, when an Express state machine names it.',
    }),
    'poll-interval': Flags.string({
      default: '10s',
      env: 'BATCHCTL_POLL_INTERVAL',
      summary: 'How often to look at executions and jobs.',
    }),
    'state-machines': Flags.string({
      delimiter: ',',
      env: 'BATCHCTL_STATE_MACHINES',
      multiple: true,
      summary: 'State machines whose running executions may still submit to the queue (default: all).',
    }),
    timeout: Flags.string({
      default: '6h',
      env: 'BATCHCTL_DRAIN_TIMEOUT',
      summary: 'With --wait: give up after this long (exit 7).',
    }),
    wait: Flags.boolean({ env: 'BATCHCTL_WAIT', summary: 'Disable the queue and wait until it is drained.' }),
  };

  static readonly summary =
    'Report or wait for a job queue to drain (jobs and the executions that can still reach it).';

  async run(): Promise<DrainCommandResult> {
    const timeoutMs = parseDuration(this.flags.timeout, 'timeout');
    const pollIntervalMs = parseDuration(this.flags['poll-interval'], 'poll-interval');
    const expressWindowMs = parseExpressWindow(this.flags['express-window']);
    /* eslint-disable @typescript-eslint/no-require-imports -- the service and listr2 load only when draining */
    const { drainCommand, notDrained } = require('../services/drain-queue') as typeof import('../services/drain-queue');
    const { withProgress } = require('../ui/progress') as typeof import('../ui/progress');
    const { withInterrupts } = require('../lib/signals') as typeof import('../lib/signals');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const aws = await this.awsClients();
    const queue = this.args.queue;
    const options = {
      aws,
      queue,
      wait: this.flags.wait,
      timeoutMs,
      pollIntervalMs,
      expressWindowMs,
      force: this.flags.force,
      confirm: (question: string) => this.confirm(this.flags.yes, question),
      // What an interruption suggests must run where this one did.
      rerunFlags: [
        ...(this.flags.yes || !process.stdin.isTTY || isCi() ? ['--yes'] : []),
        ...(this.flags.force ? ['--force'] : []),
      ],
      ...(this.flags['state-machines'] ? { stateMachines: this.flags['state-machines'] } : {}),
    };
    const result = this.flags.wait
      ? await withInterrupts(
          (signal) =>
            withProgress(
              [{ id: `drain:${queue}`, title: `Drain job queue ${queue}` }],
              { json: this.jsonEnabled(), ci: isCi(), signal },
              (reporter) =>
                drainCommand({ ...options, signal, onProgress: (p) => reporter.drain(p) }).then((r) => {
                  reporter.step(`drain:${queue}`, 'done');
                  return r;
                }),
            ),
          {
            forcedHint: `Job queue ${queue} may be disabled: \`batchctl drain ${queue}\` reports it; \`aws batch update-job-queue --job-queue ${queue} --state ENABLED\` lets it take jobs again.`,
          },
        )
      : await drainCommand(options);
    if (!this.jsonEnabled()) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- rendering code only when rendering
      const { drainSummary } = require('../ui/summaries') as typeof import('../ui/summaries');
      process.stdout.write(`${drainSummary(result)}\n`);
      if (result.express.length)
        process.stdout.write(
          `executions of Express state machines are not listed; ${result.express.join(', ')} name${result.express.length === 1 ? 's' : ''} this queue\n`,
        );
      if (this.flags.wait)
        process.stdout.write(`${result.queue.name} takes no new jobs until re-enabled: ${result.reenable}\n`);
    }
    if (!result.drained) {
      process.exitCode = ExitCode.NotDrained;
      if (!this.jsonEnabled()) process.stderr.write(`${notDrained(result).message}\n`);
    }
    return result;
  }
}
