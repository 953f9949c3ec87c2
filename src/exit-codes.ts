/**
 * The one exit-code table. Every command documents it in --help (EXIT CODES section) and docs/exit-codes.md.
 * A pipeline can tell "ready" from "blocked" from "broken" without parsing output.
 */
export const ExitCode = {
  /** Done: plan ready, promote finished, queue drained. */
  Ok: 0,
  /** Unexpected failure (an AWS call failed in a way batchctl does not classify). */
  Error: 1,
  /** Bad command line: unknown command or flag, missing argument (oclif's own code), a bad flag value, --output. */
  Usage: 2,
  /** Bad input: the spec or plan file is malformed, invalid or names something that does not exist. */
  InvalidInput: 3,
  /**
   * The plan has blockers (quota, dynamic references, names taken…); nothing can be promoted. Also a promote that
   * stops before disabling A because a state machine outside the plan still names A's queue.
   */
  Blocked: 4,
  /** The account changed since the plan was made, or the plan belongs to another account or region. */
  StalePlan: 5,
  /** No credentials, access denied, or the endpoint is unreachable. */
  AwsAccess: 6,
  /** The drain deadline passed with work still in flight; revision A is left intact. */
  NotDrained: 7,
  /** Another swap holds the lock on this workload. */
  Locked: 8,
  /** Confirmation declined, or needed but no TTY (pass --yes). */
  NotConfirmed: 9,
  /**
   * SIGINT or SIGTERM: the run stopped at a safe point (between AWS calls), released the lock and said which step it
   * reached and which command continues or reverses. One code for both signals, not 130/143: the shell's codes mean
   * "killed", this one means "stopped cleanly, state reported".
   */
  Interrupted: 10,
  /**
   * `plan`: the desired state is already live (B would equal A); no plan file was written. Like Terraform's
   * `-detailed-exitcode`, so a pipeline can skip the promote. `plan --replace` plans a swap anyway.
   */
  NoChanges: 11,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_HELP: Record<string, string> = {
  '0': 'success (plan ready, promote complete, queue drained)',
  '1': 'unexpected error',
  '2': 'bad command line: unknown command or flag, missing argument, bad flag value',
  '3': 'invalid input: spec or plan file malformed, or names something that does not exist',
  '4': 'blocked: the plan has blockers, or a state machine outside the plan still names A (A kept enabled)',
  '5': 'stale plan: the account changed since the plan was made',
  '6': 'AWS access: no credentials, access denied, or endpoint unreachable',
  '7': 'not drained: work still in flight at the deadline',
  '8': 'locked: another swap is in progress on this workload',
  '9': 'not confirmed: declined, or no TTY and no --yes',
  '10': 'interrupted: SIGINT/SIGTERM; stopped at a safe point, lock released, state and next command on stderr',
  '11': 'no changes (plan): the desired state is already live; no plan file written (--replace forces a swap)',
};
