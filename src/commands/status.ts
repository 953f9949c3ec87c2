import { Args, Flags } from '@oclif/core';

import { BaseCommand, exitCodeHelp } from '../base-command';
import { usageError } from '../errors';
import type { StatusResult } from '../services/status';

export default class Status extends BaseCommand<typeof Status> {
  static readonly args = {
    spec: Args.string({ description: 'Path of the workload spec YAML file.', required: true }),
  };

  static readonly description = `Read-only, from AWS alone (the workload's batchctl:* tags and names, where state machine definitions and aliases point, the lock), so it works from any machine and on every swap. Says which revision of the workload is live, whether a swap is half done and in which phase (none, building, built, cutting-over, draining, drained, retiring), what is in flight on each revision (jobs by status, running executions that can reach it), who holds the workload lock and whether that run still lives, and the exact commands that finish or reverse a half-done swap. Once the swap is done, it repeats the plan's hand-back for every CloudFormation stack whose template still names the previous revision. A plan file is named only when --plan gives one; otherwise the commands re-plan the spec where that reproduces the swap's plan, or say that the swap's own plan file is needed. While a live run holds the lock it never suggests promote; when the holder is dead it prints the command that breaks the lock and finishes (with --yes when no terminal is attached).

--watch follows a running swap (e.g. from another terminal) and prints the status again whenever it changes, until no run holds the lock; Ctrl-C stops watching (exit 0) and leaves the swap alone.

PHASES
  none          one revision, no swap in progress
  building      some of B exists (launch template, compute environments), its queue not yet
  built         B is built; references still point at A (promote stopped before the cutover)
  cutting-over  some references (definitions or alias routes) point at A, some at B
  draining      references point at B; A is still enabled and not yet drained
  drained       A is drained and disabled, not yet retired (promote --no-retire, or interrupted)
  retiring      A's queue is gone but some of its compute environments remain (retirement interrupted)

Exit code 0 whenever the account could be read.

EXIT CODES
${exitCodeHelp()}`;

  static readonly examples = [
    '<%= config.bin %> <%= command.id %> plans/reproject.yaml',
    '<%= config.bin %> <%= command.id %> plans/reproject.yaml --plan plans/reproject.plan.json',
    '<%= config.bin %> <%= command.id %> plans/reproject.yaml --watch',
    '<%= config.bin %> <%= command.id %> plans/reproject.yaml --json',
  ];

  static readonly flags = {
    interval: Flags.string({
      default: '15s',
      summary: 'With --watch: wait this long after one reading before the next (at least 5s).',
    }),
    plan: Flags.string({
      summary:
        'The plan file of the swap: named in the suggested commands when it is the plan of the swap in progress.',
    }),
    watch: Flags.boolean({
      exclusive: ['json'],
      summary: 'Follow a running swap until no run holds the lock, printing the status whenever it changes.',
    }),
  };

  static readonly summary = 'Show the live revision, a half-done swap and its phase, in-flight work and the lock.';

  async run(): Promise<StatusResult> {
    /* eslint-disable @typescript-eslint/no-require-imports -- the service and the SDK load only when used */
    const { status, watchStatus } = require('../services/status') as typeof import('../services/status');
    const { isCi } = require('../lib/ci') as typeof import('../lib/ci');
    const { parseDuration } = require('../lib/duration') as typeof import('../lib/duration');
    const { renderStatus } = require('../ui/status-report') as typeof import('../ui/status-report');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const options = {
      specPath: this.args.spec,
      ...(this.flags.plan ? { planPath: this.flags.plan } : {}),
      noTerminal: !process.stdin.isTTY || isCi(),
    };
    // Checked before any AWS client loads: a bad flag is a usage error, exit 2.
    const intervalMs = parseDuration(this.flags.interval, 'interval');
    if (intervalMs < 5000) {
      throw usageError('IntervalTooShort', `--interval "${this.flags.interval}" is shorter than 5s; pass 5s or more.`);
    }
    const aws = await this.awsClients();
    if (!this.flags.watch) {
      const result = await status(aws, options);
      if (!this.jsonEnabled()) process.stdout.write(`${renderStatus(result)}\n`);
      return result;
    }
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    let shown = '';
    try {
      const last = await watchStatus(aws, options, {
        intervalMs,
        signal: controller.signal,
        onReading: (result) => {
          const text = renderStatus(result);
          if (text === shown) return;
          shown = text;
          process.stdout.write(`[${new Date().toISOString()}]\n${text}\n`);
        },
      });
      process.stderr.write(
        controller.signal.aborted
          ? 'Stopped watching; the swap itself was not touched.\n'
          : last.lock
            ? `The run holding the lock is gone (${last.lock.holderReason}).\n`
            : 'No run holds the lock: the swap has ended or stopped.\n',
      );
      return last;
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
  }
}
