import { Args, Flags } from '@oclif/core';

import { BaseCommand, exitCodeHelp } from '../base-command';
import { counted } from '../lib/plural';
import { runSwap, swapFlags, timingsFrom } from '../swap-flags';
import type { PlanFile } from '../core/plan';
import type { PromoteResult } from '../services/promote';

export default class Promote extends BaseCommand<typeof Promote> {
  static readonly args = {
    plan: Args.string({ description: 'Path of the plan file written by `batchctl plan`.', required: true }),
  };

  static readonly description: string = `Refuses a stale, tampered, foreign or blocked plan; creates revision B and waits until it is VALID; repoints every referencing state machine (an alias that routes to versions naming A gets a copy of each of those versions with only the references moved, same weights); checks that no state machine outside the plan still names A (else stops, A kept enabled); waits for executions that can still reach A; disables A and waits for its jobs; then deletes A. Safe to run again after an interruption: finished steps are recognised and skipped. Needs only the plan file, which embeds its spec (the spec file beside it too only when the spec itself carries a secret, which the plan holds redacted). Progress goes to stderr (in CI or without a terminal, a drain heartbeat at least once a minute); --json prints one result document on stdout.

SIGINT/SIGTERM (Ctrl-C, a CI cancel) stop at a safe point: the AWS call in progress finishes, nothing new starts, the lock is released, and stderr says which step was reached, the account's state and the command that continues or reverses (exit 10). A second signal exits at once.

EXIT CODES
${exitCodeHelp()}`;

  static readonly examples: string[] = [
    '<%= config.bin %> <%= command.id %> plans/reproject.plan.json',
    '<%= config.bin %> <%= command.id %> plans/reproject.plan.json --yes --json --drain-timeout 2h',
    '<%= config.bin %> <%= command.id %> plans/reproject.plan.json --yes --no-retire',
  ];

  static readonly flags = {
    ...swapFlags,
    retire: Flags.boolean({
      allowNo: true,
      default: true,
      env: 'BATCHCTL_RETIRE',
      summary: 'Delete A once drained (--no-retire keeps A, drained and disabled, for a rollback window).',
      description:
        'With --no-retire the run stops after the drain: A is kept, DISABLED and empty. Run promote again without it, or batchctl retire, to delete A; batchctl rollback to go back to it.',
    }),
  };

  static readonly summary: string = 'Execute a plan: build B, repoint references, drain A, retire A.';

  /** Whether A is deleted once drained; `retire` always does. */
  protected retireA(): boolean {
    return this.flags.retire;
  }

  /** The confirmation asked at a terminal. */
  protected question(plan: PlanFile, retire: boolean): string {
    const repoint = counted(plan.references.filter((r) => r.changes.length).length, 'state machine');
    return `Promote plan ${plan.id}: workload ${plan.workload}, ${plan.live.queue.name} → ${plan.target.jobQueue.name}, ${repoint} to repoint${retire ? `, then delete ${plan.live.queue.name}` : ''}?`;
  }

  /** The closing line: what this run did (src/ui/summaries.ts). */
  protected summaryLine(
    summaries: typeof import('../ui/summaries'),
    result: PromoteResult,
    plan: PlanFile,
    planPath: string,
  ): string {
    return summaries.promoteSummary(result, plan, planPath);
  }

  async run(): Promise<PromoteResult> {
    const retire = this.retireA();
    const timings = timingsFrom(this.flags);
    /* eslint-disable @typescript-eslint/no-require-imports -- the service, listr2 and the SDK load only when promoting */
    const { loadPlanFile, promote } = require('../services/promote') as typeof import('../services/promote');
    const { RETIRE_ACTIONS, stepTitle } = require('../ui/step-titles') as typeof import('../ui/step-titles');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const plan = await loadPlanFile(this.args.plan);
    await this.confirm(this.flags.yes, this.question(plan, retire));
    const steps = [
      { id: 'preflight', title: 'Check the plan against the account' },
      ...plan.steps
        .filter((s) => this.flags.retire || !RETIRE_ACTIONS.has(s.action))
        .map((s) => ({ id: s.id, title: stepTitle(s) })),
    ];
    const aws = await this.awsClients();
    const planPath = this.args.plan;
    const result = await runSwap(
      { steps, json: this.jsonEnabled(), yes: this.flags.yes, planPath },
      ({ reporter, signal, rerunFlags }) =>
        promote({
          aws,
          planPath,
          retire,
          timings,
          reporter,
          signal,
          rerunFlags,
          ...(this.flags['force-unlock'] ? { forceUnlock: this.flags['force-unlock'] } : {}),
        }),
    );
    if (!this.jsonEnabled()) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- rendering code only when rendering
      const summaries = require('../ui/summaries') as typeof import('../ui/summaries');
      process.stdout.write(`${this.summaryLine(summaries, result, plan, planPath)}\n`);
    }
    return result;
  }
}
