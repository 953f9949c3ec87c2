import { Args } from '@oclif/core';

import { BaseCommand, exitCodeHelp } from '../base-command';
import { ExitCode } from '../exit-codes';
import type { ShowResult } from '../services/show';

export default class Show extends BaseCommand<typeof Show> {
  static readonly args = {
    plan: Args.string({ description: 'Path of a plan file written by `batchctl plan`.', required: true }),
  };

  static readonly description = `Offline and read-only: reads the plan file and nothing else (no AWS credentials needed), and prints it as \`batchctl plan\` did — the diff of A against B, the references to repoint, quota, steps, warnings, blockers and the summary line — for a reviewer of a pipeline's plan artefact. The first line gives the file's fingerprint status: intact, or EDITED after it was written (it is still shown; promote refuses it). Whether the account still matches the plan is checked by promote. Coloured on a terminal (NO_COLOR turns colour off, FORCE_COLOR on); --json prints the plan document with its fingerprint status.

Exit code: 0 for an intact, ready plan; 3 for an edited one (or a file that is not a plan); 4 for a plan with blockers.

EXIT CODES
${exitCodeHelp()}`;

  static readonly examples = [
    '<%= config.bin %> <%= command.id %> plans/reproject.plan.json',
    '<%= config.bin %> <%= command.id %> plans/reproject.plan.json --json',
  ];

  static readonly summary = 'Show a saved plan for review (offline): the same report as plan, and its fingerprint.';

  async run(): Promise<ShowResult> {
    /* eslint-disable @typescript-eslint/no-require-imports -- nothing but the plan reader and the renderer loads */
    const { show } = require('../services/show') as typeof import('../services/show');
    const result = await show(this.args.plan);
    if (!this.jsonEnabled()) {
      const { renderSavedPlan } = require('../ui/plan-report') as typeof import('../ui/plan-report');
      const { stdoutPainter } = require('../ui/colour') as typeof import('../ui/colour');
      process.stdout.write(
        `${renderSavedPlan(result.plan, result.planPath, result.fingerprint.status, stdoutPainter(false))}\n`,
      );
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
    // What promote would make of the file before any AWS call: an edited plan is refused (3), a blocked one too (4).
    process.exitCode =
      result.fingerprint.status === 'edited'
        ? ExitCode.InvalidInput
        : result.status === 'blocked'
          ? ExitCode.Blocked
          : ExitCode.Ok;
    return result;
  }
}
