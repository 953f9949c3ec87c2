import { Args, Flags } from '@oclif/core';

import { BaseCommand, exitCodeHelp } from '../base-command';
import { usageError } from '../errors';
import { ExitCode } from '../exit-codes';
import type { PlanResult } from '../services/plan';

export default class Plan extends BaseCommand<typeof Plan> {
  static readonly args = {
    spec: Args.string({ description: 'Path of the spec YAML file (e.g. plans/reproject.yaml).', required: true }),
  };

  static readonly description = `Read-only. Discovers the live revision (A) of the workload the spec names, derives revision B from it and the spec's changes, finds every state machine that references A, checks quota headroom, names and AWS constraints, prints a diff (secrets redacted; coloured on a terminal, see NO_COLOR and FORCE_COLOR) ending in a summary line ("Plan: 5 to create, 2 to repoint, 4 to delete.") and writes a fingerprinted plan file for \`batchctl promote\`. Changes nothing in AWS.

EXIT CODES
${exitCodeHelp()}`;

  static readonly examples = [
    {
      description: 'Review a swap; the plan goes to plans/reproject.plan.json',
      command: '<%= config.bin %> <%= command.id %> plans/reproject.yaml',
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
      summary: 'Where to write the plan file (default: <spec dir>/<workload>.plan.json).',
      description:
        "Named like Terraform's -out, not --output: --output json|text|table|yaml is aws-cli's output format, so any --output is a usage error (exit 2) that says to pass --json, instead of writing a plan file named json. A format word as the value of -o (-o json, kubectl's habit; also yaml, yml, text, table, wide) is refused the same way: pass ./json for a file really named so. BATCHCTL_OUTPUT, the variable's former name, is refused (exit 2) rather than silently ignored: rename it BATCHCTL_OUT.",
    }),
  };

  static readonly summary = 'Plan a blue-green swap: discover A, derive B, check, and write a plan file.';

  async run(): Promise<PlanResult> {
    const outPath = checkedOutPath(this.flags.out);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- keeps --help free of the service's dependencies
    const { plan } = require('../services/plan') as typeof import('../services/plan');
    const result = await plan({
      aws: await this.awsClients(),
      specPath: this.args.spec,
      outPath,
      toolVersion: this.config.version,
    });
    if (!this.jsonEnabled()) {
      /* eslint-disable @typescript-eslint/no-require-imports -- rendering code only when rendering */
      const { renderPlan } = require('../ui/plan-report') as typeof import('../ui/plan-report');
      const { stdoutPainter } = require('../ui/colour') as typeof import('../ui/colour');
      /* eslint-enable @typescript-eslint/no-require-imports */
      process.stdout.write(`${renderPlan(result.plan, result.diff, result.planPath, stdoutPainter(false))}\n`);
    }
    process.exitCode = result.status === 'blocked' ? ExitCode.Blocked : ExitCode.Ok;
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
