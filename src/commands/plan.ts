import { Args, Flags } from '@oclif/core';

import { BaseCommand, exitCodeHelp } from '../base-command';
import { parseVariableFlags } from '../core/variables';
import { usageError } from '../errors';
import { ExitCode } from '../exit-codes';
import type { NoChangesResult, PlanResult } from '../services/plan';

export default class Plan extends BaseCommand<typeof Plan> {
  static readonly args = {
    spec: Args.string({ description: 'Path of the spec YAML file (e.g. plans/reproject.yaml).', required: true }),
  };

  // `<%= '${' %>` prints ${ through both template engines that render this text: oclif's help (ejs) and
  // plugin-commands (lodash, which would read a bare ${…} as code to run).
  static readonly description = `Read-only. Finds the live revision (A) of the workload the spec names (by its batchctl:workload tags; for the first adoption by name, or live.jobQueue), derives revision B from it and the spec's changes, finds every state machine and other caller that references A, checks quota headroom, names and AWS constraints, prints a diff (secrets redacted; coloured on a terminal, see NO_COLOR and FORCE_COLOR) ending in a summary line ("Plan: 5 to create, 2 to repoint, 4 to delete.") and writes a fingerprinted plan file for \`batchctl promote\`, the spec embedded so the plan alone can be promoted. Changes nothing in AWS.

One spec serves every release: \`<%= '\${' %>var.NAME}\` in any string of the spec takes its value from --var NAME=VALUE or else BATCHCTL_VAR_NAME. When B would equal A (the desired state is already live) it prints "No changes", writes no plan file and exits 11; --replace plans the swap anyway (fresh instances behind unchanged settings).

EXIT CODES
${exitCodeHelp()}`;

  static readonly examples = [
    {
      description: 'Review a swap; the plan goes to plans/reproject.plan.json',
      command: '<%= config.bin %> <%= command.id %> plans/reproject.yaml',
    },
    {
      description: 'A release: the image tag comes in as a variable (exit 11 when it is already live)',
      command: '<%= config.bin %> <%= command.id %> plans/reproject-release.yaml --var image_tag=1.6',
    },
    {
      description: 'Fresh instances behind unchanged settings: plan the swap anyway',
      command: '<%= config.bin %> <%= command.id %> plans/reproject-release.yaml --var image_tag=1.6 --replace',
    },
    {
      description: 'In a pipeline: fail the job on a blocked plan (exit 4), keep the plan as an artefact',
      command:
        '<%= config.bin %> <%= command.id %> plans/reproject.yaml --out out/reproject.plan.json --json > out/plan-result.json',
    },
    {
      description: "Against another account's profile and region",
      command: '<%= config.bin %> <%= command.id %> plans/reproject.yaml --profile prod --region eu-west-1',
    },
  ];

  static readonly flags = {
    // Named like Terraform's `-out`, not `--output`: aws-cli's `--output json` habit must not write a file named json.
    out: Flags.string({
      char: 'o',
      env: 'BATCHCTL_OUT',
      summary: 'Where to write the plan file (default: <spec dir>/<spec file name>.plan.json).',
      description:
        "Named like Terraform's -out, not --output: --output json|text|table|yaml is aws-cli's output format, so any --output is a usage error (exit 2) that says to pass --json, instead of writing a plan file named json. A format word as the value of -o (-o json, kubectl's habit; also yaml, yml, text, table, wide) is refused the same way: pass ./json for a file really named so. BATCHCTL_OUTPUT, the variable's former name, is refused (exit 2) rather than silently ignored: rename it BATCHCTL_OUT.",
    }),
    replace: Flags.boolean({
      summary: 'Plan the swap even when the desired state is already live (fresh instances, unchanged settings).',
    }),
    var: Flags.string({
      multiple: true,
      summary: 'A spec variable, NAME=VALUE, for ${var.NAME} in the spec (repeatable; else BATCHCTL_VAR_NAME).',
    }),
  };

  static readonly summary = 'Plan a blue-green swap: discover A, derive B, check, and write a plan file.';

  async run(): Promise<NoChangesResult | PlanResult> {
    const outPath = checkedOutPath(this.flags.out);
    const variables = parseVariableFlags(this.flags.var ?? []);
    if (variables.problem) throw usageError('VariableMalformed', `${variables.problem}.`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- keeps --help free of the service's dependencies
    const { planSwap } = require('../services/plan') as typeof import('../services/plan');
    const result = await planSwap({
      aws: await this.awsClients(),
      specPath: this.args.spec,
      outPath,
      variables: variables.values,
      env: process.env,
      replace: this.flags.replace,
      toolVersion: this.config.version,
    });
    if (!this.jsonEnabled()) {
      for (const note of result.notes) process.stdout.write(`Note: ${note}\n`);
      if (result.changes) {
        /* eslint-disable @typescript-eslint/no-require-imports -- rendering code only when rendering */
        const { renderPlan } = require('../ui/plan-report') as typeof import('../ui/plan-report');
        const { stdoutPainter } = require('../ui/colour') as typeof import('../ui/colour');
        /* eslint-enable @typescript-eslint/no-require-imports */
        process.stdout.write(`${renderPlan(result.plan, result.diff, result.planPath, stdoutPainter(false))}\n`);
      } else {
        process.stdout.write(
          `${result.message}\nNo plan file was written; the same command with --replace plans a swap anyway.\n`,
        );
      }
    }
    process.exitCode = !result.changes
      ? ExitCode.NoChanges
      : result.status === 'blocked'
        ? ExitCode.Blocked
        : ExitCode.Ok;
    return result;
  }
}

/** What `-o` takes elsewhere (aws-cli `--output`, kubectl `-o`): a format, never meant as a plan file name. */
const FORMAT_WORDS = new Set(['json', 'yaml', 'yml', 'text', 'table', 'wide']);

/**
 * The plan path, refusing the two ways an old or habitual command line would silently misplace the plan: a format
 * word as the path (`-o json`), and BATCHCTL_OUTPUT, this flag's variable before it was renamed. A file really
 * named json is still possible as ./json.
 */
function checkedOutPath(out: string | undefined): string | undefined {
  if (out !== undefined && FORMAT_WORDS.has(out.toLowerCase())) {
    throw usageError(
      'OutLooksLikeFormat',
      `--out (-o) "${out}" is the plan file path, not an output format: for JSON on stdout pass --json.`,
      [`To write a plan file really named ${out}, pass ./${out}.`],
    );
  }
  if (out === undefined && process.env.BATCHCTL_OUTPUT) {
    throw usageError(
      'OutputVariableRenamed',
      `BATCHCTL_OUTPUT ("${process.env.BATCHCTL_OUTPUT}") is no longer read: the plan file path is --out (-o) or BATCHCTL_OUT.`,
      ['Rename the variable to BATCHCTL_OUT.'],
    );
  }
  return out;
}
