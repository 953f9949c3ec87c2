import { ExitCode, type ExitCodeValue } from './exit-codes';

/**
 * The only error type commands let reach the user. `code` is a stable PascalCase identifier
 * (shown under --json), `message` names the bad value and the fix, `suggestions` are next commands.
 */
export class BatchctlError extends Error {
  readonly code: string;
  readonly exitCode: ExitCodeValue;
  readonly suggestions: string[];

  constructor(
    code: string,
    message: string,
    options: { exitCode?: ExitCodeValue; suggestions?: string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'BatchctlError';
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.Error;
    this.suggestions = options.suggestions ?? [];
  }

  toJSON(): { code: string; message: string; exitCode: number; suggestions: string[] } {
    return { code: this.code, message: this.message, exitCode: this.exitCode, suggestions: this.suggestions };
  }
}

export function invalidInput(code: string, message: string, suggestions: string[] = []): BatchctlError {
  return new BatchctlError(code, message, { exitCode: ExitCode.InvalidInput, suggestions });
}

/** A bad command line (a flag value, a flag that does not exist): exit 2, like oclif's own parse errors. */
export function usageError(code: string, message: string, suggestions: string[] = []): BatchctlError {
  return new BatchctlError(code, message, { exitCode: ExitCode.Usage, suggestions });
}
