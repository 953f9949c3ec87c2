/**
 * oclif's own command-line errors (unknown flag, missing argument, bad flag value, unknown command) as
 * BatchctlErrors with a stable code and exit 2, so --json prints them as the one small error document and never
 * the parser's state (which holds the whole oclif config, package.json and command table). Nothing here loads
 * anything beyond what oclif already loaded: it runs on every bad command line.
 */
import { BatchctlError } from '../errors';
import { closestCommand } from '../core/closest';
import { errorDocument } from '../core/json-output';
import { ExitCode } from '../exit-codes';

/** oclif's error classes (parser/errors.js, errors/cli.js) by name → our stable codes. */
const CODES: Record<string, string> = {
  NonExistentFlagsError: 'UnknownFlag',
  RequiredArgsError: 'MissingArgument',
  UnexpectedArgsError: 'UnexpectedArgument',
  FlagInvalidOptionError: 'InvalidFlagValue',
  ArgInvalidOptionError: 'InvalidArgumentValue',
  FailedFlagValidationError: 'InvalidFlagValue',
  ViolatedFlagConstraintError: 'InvalidFlagValue',
};

interface OclifError extends Error {
  oclif?: { exit?: number | false };
}

/** True for an error oclif raised about the command line (CLIError and its parse-error subclasses carry `oclif`). */
export function isOclifCliError(error: unknown): error is OclifError {
  return error instanceof Error && typeof (error as OclifError).oclif === 'object';
}

// eslint-disable-next-line no-control-regex -- oclif colours parts of its messages
const ANSI = /\u001b\[[0-9;]*m/g;

/** oclif's multi-line message as one line, without colours or its "See more help with --help" footer. */
export function oneLine(message: string): string {
  return message
    .replace(ANSI, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && line !== 'See more help with --help')
    .join(' ')
    .replace(/\s+/g, ' ');
}

/**
 * @oclif/plugin-not-found's refusal after its "Did you mean …?" prompt was declined: it exits 127 (the shell's
 * "command not found"); batchctl's table says 2 for an unknown command.
 */
const NOT_FOUND_PLUGIN_EXIT = 127;

function codeOf(error: OclifError, message: string): string {
  if (error.oclif?.exit === NOT_FOUND_PLUGIN_EXIT) return 'UnknownCommand';
  const byClass = CODES[error.constructor.name];
  if (byClass) return byClass;
  if (/^command .* not found\.?$/i.test(message)) return 'UnknownCommand';
  if (/^Flag --\S+ expects/i.test(message)) return 'InvalidFlagValue';
  if (/^Unexpected flag/i.test(message)) return 'UnknownFlag';
  return 'UsageError';
}

/**
 * The command-line error as a usage BatchctlError (exit 2 unless oclif chose another code). `commandIds`, when
 * known, lets an unknown command name the nearest one.
 */
export function usageErrorFromOclif(
  error: OclifError,
  commandId: string | undefined,
  commandIds: readonly string[] = [],
): BatchctlError {
  const message = oneLine(error.message) || 'Bad command line.';
  const exit = error.oclif?.exit;
  const exitCode = (typeof exit === 'number' && exit > 0 ? exit : ExitCode.Usage) as typeof ExitCode.Usage;
  const code = codeOf(error, message);
  if (code === 'UnknownCommand' && error.oclif?.exit === NOT_FOUND_PLUGIN_EXIT) {
    // The plugin already said which word is not a command and offered the nearest one.
    return new BatchctlError(code, message, { exitCode: ExitCode.Usage, cause: error });
  }
  if (code === 'UnknownCommand') {
    // oclif joins the words it tried as a topic path ("promte:plan.yaml"); batchctl has no topics, so the first
    // word is the one that is not a command.
    const word = /^command (\S+?)(:\S*)? not found\.?$/i.exec(message)?.[1] ?? message;
    const nearest = closestCommand(word, commandIds);
    return new BatchctlError(code, `"${word}" is not a batchctl command.`, {
      exitCode: ExitCode.Usage,
      suggestions: [...(nearest ? [`Did you mean "${nearest}"?`] : []), 'Run batchctl help for the commands.'],
      cause: error,
    });
  }
  const help = commandId ? `batchctl ${commandId} --help` : 'batchctl --help';
  return new BatchctlError(code, message, {
    exitCode,
    suggestions: [`Run ${help} for the arguments and flags.`],
    cause: error,
  });
}

/**
 * For bin/run.js: an error no command caught. An unknown command (at a terminal @oclif/plugin-not-found asks
 * "Did you mean …?"; without one, or under --json, this names the nearest command) is a usage error, exit 2, as the
 * exit-code table says, on stderr or as the one --json error document. Other errors under --json are the error
 * document too. Returns false for what oclif's own handler should print (human mode, not a command-line error).
 */
export function reportUncaught(error: unknown, options: { json: boolean; commandIds: readonly string[] }): boolean {
  // oclif's ExitError (a command's this.exit(n)) is no error to report: oclif's handler exits with its code.
  if (isOclifCliError(error) && (error as { code?: string }).code === 'EEXIT') return false;
  const usage = isOclifCliError(error) ? usageErrorFromOclif(error, undefined, options.commandIds) : undefined;
  const known =
    error instanceof BatchctlError
      ? error
      : usage && (options.json || usage.code === 'UnknownCommand')
        ? usage
        : options.json
          ? new BatchctlError('Unexpected', error instanceof Error ? error.message : String(error))
          : undefined;
  if (!known) return false;
  process.exitCode = known.exitCode;
  if (options.json) process.stdout.write(`${JSON.stringify(errorDocument(known), null, 2)}\n`);
  else process.stderr.write(`${[`Error: ${known.message}`, ...known.suggestions].join(' ')}\n`);
  return true;
}
