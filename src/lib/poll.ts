/**
 * Waiting on real states: Batch and Step Functions have no SDK waiters (aws-facts §3.3), so every wait is a poll
 * with backoff and a deadline. Never a fixed sleep in place of a state.
 */
import { BatchctlError } from '../errors';
import { ExitCode, type ExitCodeValue } from '../exit-codes';

export interface PollOptions {
  /** First interval; it grows by `backoff` up to `maxIntervalMs`. */
  intervalMs: number;
  maxIntervalMs?: number;
  backoff?: number;
  /** Give up after this long. */
  timeoutMs: number;
  /** Says what was awaited when the deadline passes: "job queue reproject-b to become VALID". */
  what: string;
  timeoutCode?: string;
  timeoutExitCode?: ExitCodeValue;
  timeoutSuggestions?: string[];
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `check` until it returns a value other than undefined; that value is the result. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let interval = options.intervalMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() + interval > deadline) {
      throw new BatchctlError(options.timeoutCode ?? 'WaitTimedOut', `Timed out waiting for ${options.what}.`, {
        exitCode: options.timeoutExitCode ?? ExitCode.Error,
        suggestions: options.timeoutSuggestions ?? [],
      });
    }
    await sleep(interval);
    interval = Math.min(options.maxIntervalMs ?? interval, Math.round(interval * (options.backoff ?? 1.5)));
  }
}
