/**
 * Flags every command shares, one error handler that maps failures to the exit-code table, and the AWS context.
 * Nothing here imports the AWS SDK or listr2: this file loads on every invocation, --help included.
 */
import { Command, Flags, type Interfaces } from '@oclif/core';

import type { Aws } from './aws/clients';
import { classifyAwsError } from './aws/errors';
import { errorDocument, isResultCommand, resultDocument } from './core/json-output';
import { BatchctlError, usageError } from './errors';
import { EXIT_CODE_HELP, ExitCode } from './exit-codes';
import { isCi } from './lib/ci';
import { isOclifCliError, usageErrorFromOclif } from './lib/usage-errors';

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<
  (typeof BaseCommand)['baseFlags'] & T['flags']
>;

export function exitCodeHelp(): string {
  return Object.entries(EXIT_CODE_HELP)
    .map(([code, text]) => `  ${code.padEnd(3)}${text}`)
    .join('\n');
}

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static baseFlags = {
    'endpoint-url': Flags.string({
      env: 'AWS_ENDPOINT_URL',
      helpGroup: 'AWS',
      summary: 'Send every AWS call to this endpoint (an emulator, a VPC endpoint).',
    }),
    /**
     * Not an option: aws-cli's `--output json|text|table|yaml` habit, answered with a usage error that points at
     * --json, instead of being taken for a file path.
     */
    output: Flags.string({ hidden: true }),
    profile: Flags.string({ env: 'AWS_PROFILE', helpGroup: 'AWS', summary: 'AWS shared-config profile to use.' }),
    region: Flags.string({ env: 'AWS_REGION', helpGroup: 'AWS', summary: 'AWS region (default: from the profile).' }),
  };

  static enableJsonFlag = true;

  protected flags!: BaseFlags<T>;
  protected args!: Interfaces.InferredArgs<T['args']>;
  private aws: Aws | undefined;

  public async init(): Promise<void> {
    await super.init();
    const { args, flags } = await this.parse({
      args: this.ctor.args,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      flags: this.ctor.flags,
      strict: this.ctor.strict,
    });
    this.flags = flags as BaseFlags<T>;
    this.args = args as Interfaces.InferredArgs<T['args']>;
    this.checkBaseFlags();
  }

  /** Command-line mistakes the parser cannot see, refused with exit 2 before any AWS client loads. */
  private checkBaseFlags(): void {
    const output = this.flags.output;
    if (output !== undefined) {
      throw usageError(
        'OutputFlagUnsupported',
        `--output "${output}" is not a batchctl flag: for JSON on stdout pass --json${this.id === 'plan' ? '; the plan file path is --out (-o)' : ''}.`,
        [`Run batchctl ${this.id ?? 'help'} --help for the flags.`],
      );
    }
    const endpoint = this.flags['endpoint-url'];
    if (endpoint === '') this.flags['endpoint-url'] = undefined;
    else if (endpoint !== undefined && !isHttpUrl(endpoint)) {
      throw usageError(
        'EndpointUrlInvalid',
        `--endpoint-url / AWS_ENDPOINT_URL "${endpoint}" is not an http(s) URL; pass e.g. http://localhost:5000 or https://batch.us-east-1.amazonaws.com.`,
      );
    }
  }

  /** The AWS layer, created on first use so commands that fail validation never load the SDK. */
  protected async awsClients(): Promise<Aws> {
    if (this.aws) return this.aws;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: the SDK loads only when AWS is called
    const { createAws } = require('./aws/clients') as typeof import('./aws/clients');
    const aws = createAws({
      region: this.flags.region,
      profile: this.flags.profile,
      endpoint: this.flags['endpoint-url'],
    });
    this.aws = aws;
    return aws;
  }

  /** Asks at a terminal; without one (or with CI set) refuses unless `yes`, naming --yes. A "no" changes nothing. */
  protected async confirm(yes: boolean, question: string): Promise<void> {
    if (yes) return;
    if (!process.stdin.isTTY || isCi()) {
      throw new BatchctlError(
        'ConfirmationRequired',
        `${this.id ?? 'this command'} changes the account and needs confirmation, but there is no terminal to ask (or CI is set).`,
        {
          exitCode: ExitCode.NotConfirmed,
          suggestions: ['Review the plan, then pass --yes.'],
        },
      );
    }
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question(`${question} [y/N] `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) {
      throw new BatchctlError('NotConfirmed', 'Cancelled; nothing was changed.', { exitCode: ExitCode.NotConfirmed });
    }
  }

  /** Progress and warnings go to stderr; stdout carries results only. */
  protected note(message: string): void {
    if (!this.jsonEnabled()) process.stderr.write(`${message}\n`);
  }

  /** Every --json result carries its schema version (core/json-output.ts). */
  protected toSuccessJson(result: unknown): unknown {
    return isResultCommand(this.id) && result && typeof result === 'object' ? resultDocument(this.id, result) : result;
  }

  protected async catch(error: Error & { exitCode?: number }): Promise<unknown> {
    if (!(error instanceof BatchctlError) && isOclifCliError(error)) {
      // The parser's own errors (unknown flag, missing argument, bad value). Under --json, the one error document:
      // oclif's would print the parser's state, the whole config and command table. Without, oclif's message and
      // the command's flags on stderr, exit 2.
      const usage = usageErrorFromOclif(error, this.id);
      if (this.jsonEnabled()) return this.report(usage, error);
      process.exitCode = usage.exitCode;
      return super.catch(error);
    }
    // The endpoint a failed call used is recorded on its error; the clients' configured endpoint is the fallback.
    const endpoint = this.aws ? this.aws.endpoint : this.flags?.['endpoint-url'];
    const known =
      error instanceof BatchctlError ? error : (classifyAwsError(error, endpoint, this.flags?.profile) ?? undefined);
    if (!known) {
      const wrapped = new BatchctlError('Unexpected', error.message || String(error), { cause: error });
      return this.report(wrapped, error);
    }
    return this.report(known, error);
  }

  protected async finally(error: Error | undefined): Promise<unknown> {
    this.aws?.destroy();
    return super.finally(error);
  }

  private report(error: BatchctlError, original: Error): void {
    process.exitCode = error.exitCode;
    if (this.jsonEnabled()) {
      process.stdout.write(`${JSON.stringify(errorDocument(error), null, 2)}\n`);
      return;
    }
    // One line a pipeline log shows whole: what is wrong, then what to do. The stack only with DEBUG set.
    const line = [`Error: ${error.message}`, ...error.suggestions].join(' ');
    process.stderr.write(`${line}\n`);
    if (process.env.DEBUG && original.stack) process.stderr.write(`${original.stack}\n`);
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
