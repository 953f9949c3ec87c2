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

const COMMAND_IDS = ['drain', 'help', 'plan', 'promote', 'retire', 'rollback', 'status'];

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
      suggestions: ['Run batchctl help for the commands.'],
    });
  });

  it('offers the nearest command when the commands are known', () => {
    const usage = usageErrorFromOclif(new Errors.CLIError('command promte not found'), undefined, COMMAND_IDS);
    expect(usage.suggestions).toEqual(['Did you mean "promote"?', 'Run batchctl help for the commands.']);
    // `batchctl help promte`: oclif's help says it its own way.
    const viaHelp = usageErrorFromOclif(new Errors.CLIError('Command promte not found.'), undefined, COMMAND_IDS);
    expect(viaHelp).toMatchObject({ code: 'UnknownCommand', message: '"promte" is not a batchctl command.' });
    expect(viaHelp.suggestions[0]).toBe('Did you mean "promote"?');
    const far = usageErrorFromOclif(new Errors.CLIError('command deploy not found'), undefined, COMMAND_IDS);
    expect(far.suggestions).toEqual(['Run batchctl help for the commands.']);
  });

  it("maps @oclif/plugin-not-found's exit 127 (a declined suggestion) to the documented usage code", () => {
    const declined = new Errors.CLIError('Run batchctl help for a list of available commands.', { exit: 127 });
    expect(usageErrorFromOclif(declined, undefined, COMMAND_IDS)).toMatchObject({
      code: 'UnknownCommand',
      exitCode: ExitCode.Usage,
      message: 'Run batchctl help for a list of available commands.',
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
