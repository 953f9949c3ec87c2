import { Args, Flags } from '@oclif/core';

import { BaseCommand, exitCodeHelp } from '../base-command';
import { isCi } from '../lib/ci';
import { ExitCode } from '../exit-codes';
import { parseDuration } from '../lib/duration';
import { parseExpressWindow } from '../swap-flags';
import type { DrainCommandResult } from '../services/drain-queue';

export default class Drain extends BaseCommand<typeof Drain> {
  static readonly args = {
    queue: Args.string({ description: 'Job queue name or ARN.', required: true }),
  };

  static readonly description = `Without --wait: reports what is still in flight on the queue — jobs by status (SUBMITTED, PENDING, RUNNABLE, STARTING, RUNNING) and running Step Functions executions whose definition names the queue — and exits 0 when drained, 7 when not. Executions of Express state machines cannot be listed (Step Functions keeps no history for them): the report names the Express state machines whose definition names the queue, and --wait waits --express-window after it starts before disabling the queue. With --wait: waits for those executions, disables the queue, and waits until it has no active job on two checks in a row, or until --timeout.

EXIT CODES
${exitCodeHelp()}`;

  static readonly examples = [
    '<%= config.bin %> <%= command.id %> reproject-a',
    '<%= config.bin %> <%= command.id %> reproject-a --wait --timeout 2h --state-machines reproject-workflow,reproject-adhoc',
  ];

  static readonly flags = {
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
    const { withProgress, drainLine } = require('../ui/progress') as typeof import('../ui/progress');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const aws = await this.awsClients();
    const options = {
      aws,
      queue: this.args.queue,
      wait: this.flags.wait,
      timeoutMs,
      pollIntervalMs,
      expressWindowMs,
      ...(this.flags['state-machines'] ? { stateMachines: this.flags['state-machines'] } : {}),
    };
    const result = this.flags.wait
      ? await withProgress(
          [{ id: `drain:${this.args.queue}`, title: `Drain job queue ${this.args.queue}` }],
          { json: this.jsonEnabled(), ci: isCi() },
          (reporter) =>
            drainCommand({ ...options, onProgress: (p) => reporter.drain(p) }).then((r) => {
              reporter.step(`drain:${this.args.queue}`, 'done');
              return r;
            }),
        )
      : await drainCommand(options);
    if (!this.jsonEnabled()) {
      process.stdout.write(
        `${result.queue.name} (${result.queue.state}): ${result.drained ? 'drained' : 'not drained'} — ${drainLine({ ...result.inFlight, phase: result.drained ? 'drained' : 'jobs' })}\n`,
      );
      if (result.express.length)
        process.stdout.write(
          `executions of Express state machines are not listed; ${result.express.join(', ')} name${result.express.length === 1 ? 's' : ''} this queue\n`,
        );
    }
    if (!result.drained) {
      process.exitCode = ExitCode.NotDrained;
      if (!this.jsonEnabled()) process.stderr.write(`${notDrained(result).message}\n`);
    }
    return result;
  }
}
