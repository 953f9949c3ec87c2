import { Args } from '@oclif/core';

import { BaseCommand, exitCodeHelp } from '../base-command';
import type { RollbackResult } from '../services/rollback';
import { runSwap, swapFlags, timingsFrom } from '../swap-flags';

export default class Rollback extends BaseCommand<typeof Rollback> {
  static readonly args = {
    plan: Args.string({ description: 'Path of the plan file the swap was promoted with.', required: true }),
  };

  static readonly description = `Before A is retired: re-enables A, points every reference back at A (definitions as the plan recorded them, aliases back to their recorded versions and weights), drains B (its executions and jobs; it stops first, B kept enabled, if a state machine outside the plan names B), and deletes B's queue, compute environments, launch templates and job definition revisions — only resources tagged with this plan. Ends with A complete and live. Works on a swap interrupted at any step. Once A has been retired it changes nothing and explains that the way back is a new plan in the other direction.

SIGINT/SIGTERM stop at a safe point: the lock is released and stderr says the step reached, the account's state and the command that continues (exit 10).

EXIT CODES
${exitCodeHelp()}`;

  static readonly examples = [
    '<%= config.bin %> <%= command.id %> plans/reproject.plan.json',
    '<%= config.bin %> <%= command.id %> plans/reproject.plan.json --yes --json',
  ];

  static readonly flags = swapFlags;

  static readonly summary = 'Go back to revision A before it is retired: repoint to A, drain and delete B.';

  async run(): Promise<RollbackResult> {
    const timings = timingsFrom(this.flags);
    /* eslint-disable @typescript-eslint/no-require-imports -- the service, listr2 and the SDK load only when rolling back */
    const { rollback, rollbackSteps } = require('../services/rollback') as typeof import('../services/rollback');
    const { loadPlanFile } = require('../services/swap-steps') as typeof import('../services/swap-steps');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const plan = await loadPlanFile(this.args.plan);
    await this.confirm(
      this.flags.yes,
      `Roll back plan ${plan.id}: point ${plan.workload} back at ${plan.live.queue.name} and delete ${plan.target.jobQueue.name}?`,
    );
    const aws = await this.awsClients();
    const steps = [{ id: 'preflight', title: 'Check the plan against the account' }, ...rollbackSteps(plan)];
    const planPath = this.args.plan;
    const result = await runSwap(
      { steps, json: this.jsonEnabled(), yes: this.flags.yes, planPath },
      ({ reporter, signal, rerunFlags }) =>
        rollback({
          aws,
          planPath,
          timings,
          reporter,
          signal,
          rerunFlags,
          ...(this.flags['force-unlock'] ? { forceUnlock: this.flags['force-unlock'] } : {}),
        }),
    );
    if (!this.jsonEnabled()) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- rendering code only when rendering
      const { rollbackSummary } = require('../ui/summaries') as typeof import('../ui/summaries');
      process.stdout.write(`${rollbackSummary(result, plan)}\n`);
    }
    return result;
  }
}
