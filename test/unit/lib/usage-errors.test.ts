/** oclif's command-line errors, turned into the usage error document's stable codes and one-line messages. */
import { Errors, Parser, Args, Flags } from '@oclif/core';

import { ExitCode } from '../../../src/exit-codes';
import { isOclifCliError, oneLine, usageErrorFromOclif } from '../../../src/lib/usage-errors';

async function parseError(argv: string[]): Promise<Error> {
  try {
    await Parser.parse(argv, {
      args: { spec: Args.string({ required: true, description: 'Path of the spec.' }) },
      flags: { grace: Flags.string(), mode: Flags.string({ options: ['a', 'b'] }) },
      strict: true,
    });
  } catch (error) {
    return error as Error;
  }
  throw new Error(`parsing ${argv.join(' ')} did not fail`);
}

describe('usageErrorFromOclif', () => {
  it.each([
    [['spec.yaml', '--no-such'], 'UnknownFlag', 'Nonexistent flag: --no-such'],
    [[], 'MissingArgument', 'Missing 1 required arg: spec Path of the spec.'],
    [['spec.yaml', 'extra'], 'UnexpectedArgument', 'Unexpected argument: extra'],
    [['spec.yaml', '--mode', 'c'], 'InvalidFlagValue', 'Expected --mode=c to be one of: a, b'],
    [['spec.yaml', '--grace'], 'InvalidFlagValue', 'Flag --grace expects a value'],
  ])('%j → %s, exit 2, one line', async (argv, code, message) => {
    const error = await parseError(argv);
    expect(isOclifCliError(error)).toBe(true);
    const usage = usageErrorFromOclif(error, 'plan');
    expect(usage.code).toBe(code);
    expect(usage.message).toBe(message);
    expect(usage.exitCode).toBe(ExitCode.Usage);
    expect(usage.suggestions).toEqual(['Run batchctl plan --help for the arguments and flags.']);
  });

  it('names an unknown command', () => {
    const usage = usageErrorFromOclif(new Errors.CLIError('command promte:plans/x.yaml not found'), undefined);
    expect(usage).toMatchObject({
      code: 'UnknownCommand',
      exitCode: 2,
      message: '"promte" is not a batchctl command.',
    });
  });

  it('is not fooled by an ordinary error', () => {
    expect(isOclifCliError(new Error('boom'))).toBe(false);
  });
});

describe('oneLine', () => {
  it('drops colours and the help footer', () => {
    expect(oneLine('\u001b[2mThe following error occurred:\n  bad\u001b[22m\nSee more help with --help')).toBe(
      'The following error occurred: bad',
    );
  });
});
