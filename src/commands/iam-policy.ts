import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Args, Command } from '@oclif/core';

import { exitCodeHelp } from '../base-command';

/** The commands that call AWS, each with a generated policy in docs/iam/ (shipped in the package). */
export const POLICY_COMMANDS = ['plan', 'promote', 'retire', 'rollback', 'drain', 'status'];

/**
 * A plain oclif command, not a BaseCommand: it prints a policy document, which must stay a valid IAM policy (no
 * --json wrapper with a schema version), and calls no AWS API (no --region, --profile, --endpoint-url).
 */
export default class IamPolicy extends Command {
  static readonly args = {
    command: Args.string({
      description: 'The batchctl command the policy is for.',
      options: POLICY_COMMANDS,
      required: true,
    }),
  };

  static readonly description = `Prints the least-privilege IAM policy for a command, as JSON ready for \`aws iam create-policy --policy-document file://…\`. The policies are generated from the code's own list of AWS calls (docs/iam/<command>.json, docs/permissions.md); the lock's actions are scoped to the lock parameters, the rest can be narrowed to a workload's names as docs/permissions.md explains. Calls no AWS API.

EXIT CODES
${exitCodeHelp()}`;

  static readonly examples = [
    '<%= config.bin %> <%= command.id %> promote > batchctl-promote-policy.json',
    'aws iam create-policy --policy-name batchctl-plan --policy-document "$(<%= config.bin %> <%= command.id %> plan)"',
  ];

  static readonly summary = 'Print the least-privilege IAM policy a command needs.';

  async run(): Promise<void> {
    const { args } = await this.parse(IamPolicy);
    const text = await readFile(join(this.config.root, 'docs', 'iam', `${args.command}.json`), 'utf8');
    process.stdout.write(text);
  }
}
