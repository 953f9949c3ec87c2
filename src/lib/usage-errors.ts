/**
 * oclif's own command-line errors (unknown flag, missing argument, bad flag value, unknown command) as
 * BatchctlErrors with a stable code and exit 2, so --json prints them as the one small error document and never
 * the parser's state (which holds the whole oclif config, package.json and command table). Nothing here loads
 * anything beyond what oclif already loaded: it runs on every bad command line.
 */
import { BatchctlError } from '../errors';
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

function codeOf(error: OclifError, message: string): string {
  const byClass = CODES[error.constructor.name];
  if (byClass) return byClass;
  if (/^command .* not found$/i.test(message)) return 'UnknownCommand';
  if (/^Flag --\S+ expects/i.test(message)) return 'InvalidFlagValue';
  if (/^Unexpected flag/i.test(message)) return 'UnknownFlag';
  return 'UsageError';
}

/** The command-line error as a usage BatchctlError (exit 2 unless oclif chose another code). */
export function usageErrorFromOclif(error: OclifError, commandId: string | undefined): BatchctlError {
  const message = oneLine(error.message) || 'Bad command line.';
  const exit = error.oclif?.exit;
  const exitCode = (typeof exit === 'number' && exit > 0 ? exit : ExitCode.Usage) as typeof ExitCode.Usage;
  const code = codeOf(error, message);
  if (code === 'UnknownCommand') {
    // oclif joins the words it tried as a topic path ("promte:plan.yaml"); batchctl has no topics, so the first
    // word is the one that is not a command.
    const word = /^command (\S+?)(:\S*)? not found$/i.exec(message)?.[1] ?? message;
    return new BatchctlError(code, `"${word}" is not a batchctl command.`, {
      exitCode,
      suggestions: ['Run batchctl --help for the commands.'],
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
 * For bin/run.js: an error no command caught (an unknown command, a broken install) under --json, printed as the
 * one error document with its exit code.
 */
export function writeJsonError(error: unknown): void {
  const known =
    error instanceof BatchctlError
      ? error
      : isOclifCliError(error)
        ? usageErrorFromOclif(error, undefined)
        : new BatchctlError('Unexpected', error instanceof Error ? error.message : String(error));
  process.stdout.write(`${JSON.stringify(errorDocument(known), null, 2)}\n`);
  process.exitCode = known.exitCode;
}
