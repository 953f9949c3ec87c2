/**
 * Flags and commands the CI recipes in docs/ci/ use that other branches of issue 8 are adding at the same time as
 * the recipes (see the shared interface decisions): `plan --var/--replace`, `status --plan/--watch`, `show <plan>`.
 * The recipe checker (test/support/recipe-check.ts) accepts them as if the CLI had them.
 *
 * TO WHOEVER MERGES: once those branches are in, delete every entry below (and this file, with its import in
 * recipe-check.ts). The recipe test fails on purpose while an entry here also exists in the real CLI, so the list
 * cannot outlive the merge unnoticed.
 */
export type PendingFlagType = 'boolean' | 'option';

export const PENDING_FLAGS: Record<string, Record<string, PendingFlagType>> = {
  plan: { var: 'option', replace: 'boolean' },
};

/** Commands not yet in src/commands: their arguments (name, required) and flags. */
export const PENDING_COMMANDS: Record<
  string,
  { args: { name: string; required: boolean }[]; flags: Record<string, PendingFlagType> }
> = {};
