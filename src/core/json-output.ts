/**
 * The --json contract: every outcome is one document on stdout, either a command's result or an error, and every
 * document names its shape in `schemaVersion` ("batchctl/<command>/<n>" for results, "batchctl/error/<n>" for
 * errors). A consumer switches on `schemaVersion`; <n> changes only when a field is removed or changes meaning.
 * The JSON Schemas of these documents are in core/output-schemas.ts and, generated from it, docs/schemas/.
 */

/** The commands that print a result document under --json. */
export const RESULT_COMMANDS = ['plan', 'show', 'promote', 'retire', 'rollback', 'drain', 'status'] as const;
export type ResultCommand = (typeof RESULT_COMMANDS)[number];

export const ERROR_SCHEMA_VERSION = 'batchctl/error/1';

export function resultSchemaVersion(command: ResultCommand): string {
  return `batchctl/${command}/1`;
}

export interface ErrorBody {
  code: string;
  message: string;
  exitCode: number;
  suggestions: string[];
}

export interface ErrorDocument {
  schemaVersion: string;
  error: ErrorBody;
}

export function errorDocument(error: ErrorBody): ErrorDocument {
  const { code, message, exitCode, suggestions } = error;
  return { schemaVersion: ERROR_SCHEMA_VERSION, error: { code, message, exitCode, suggestions } };
}

/** A command's result with its schema version first; the result's own fields are kept as they are. */
export function resultDocument<T extends object>(command: ResultCommand, result: T): { schemaVersion: string } & T {
  return { schemaVersion: resultSchemaVersion(command), ...result };
}

export function isResultCommand(id: string | undefined): id is ResultCommand {
  return (RESULT_COMMANDS as readonly string[]).includes(id ?? '');
}
