import { Args, Flags } from '@oclif/core';

import { BaseCommand, exitCodeHelp } from '../base-command';
import { ExitCode } from '../exit-codes';
import type { PlanResult } from '../services/plan';

export default class Plan extends BaseCommand<typeof Plan> {
  static readonly args = {
    spec: Args.string({ description: 'Path of the spec YAML file (e.g. plans/reproject.yaml).', required: true }),
  };

  static readonly description = `Read-only. Discovers the live revision (A) of the workload the spec names, derives revision B from it and the spec's changes, finds every state machine that references A, checks quota headroom, names and AWS constraints, prints a diff (secrets redacted) and writes a fingerprinted plan file for \`batchctl promote\`. Changes nothing in AWS.

EXIT CODES
${exitCodeHelp()}`;

  static readonly examples = [
    '<%= config.bin %> <%= command.id %> plans/reproject.yaml',
    '<%= config.bin %> <%= command.id %> plans/reproject.yaml --output plans/reproject.plan.json --json',
  ];

  static readonly flags = {
    output: Flags.string({
      char: 'o',
      env: 'BATCHCTL_OUTPUT',
      summary: 'Where to write the plan file (default: <spec dir>/<workload>.plan.json).',
    }),
  };

  static readonly summary = 'Plan a blue-green swap: discover A, derive B, check, and write a plan file.';

  async run(): Promise<PlanResult> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- keeps --help free of the service's dependencies
    const { plan } = require('../services/plan') as typeof import('../services/plan');
    const result = await plan({
      aws: await this.awsClients(),
      specPath: this.args.spec,
      outPath: this.flags.output,
      toolVersion: this.config.version,
    });
    if (!this.jsonEnabled()) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- rendering code only when rendering
      const { renderPlan } = require('../ui/plan-report') as typeof import('../ui/plan-report');
      process.stdout.write(`${renderPlan(result.plan, result.diff, result.planPath)}\n`);
    }
    process.exitCode = result.status === 'blocked' ? ExitCode.Blocked : ExitCode.Ok;
    return result;
  }
}
