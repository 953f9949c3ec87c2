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
  /** The run's cancellation: the wait ends between two checks, never in the middle of one. */
  signal?: AbortSignal;
}

/**
 * Why a run stopped early: SIGINT or SIGTERM (src/lib/signals.ts). An AbortSignal carries it as its reason, so every
 * wait that wakes on the signal rejects with it and the service can say where it stopped.
 */
export class Interruption extends Error {
  constructor(readonly signalName: string) {
    super(`Interrupted by ${signalName}`);
    this.name = 'Interruption';
  }
}

export function isInterruption(error: unknown): error is Interruption {
  return error instanceof Interruption;
}

/** Throws the signal's Interruption when it has fired: called before starting the next call or step. */
export function checkInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw interruptionOf(signal);
}

function interruptionOf(signal: AbortSignal): Interruption {
  return signal.reason instanceof Interruption ? signal.reason : new Interruption('an abort');
}

/** Waits `ms`; with a signal, wakes as soon as it fires and rejects with its Interruption. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return new Promise((resolve) => setTimeout(resolve, ms));
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(interruptionOf(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(interruptionOf(signal));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Calls `check` until it returns a value other than undefined; that value is the result. */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let interval = options.intervalMs;
  for (;;) {
    checkInterrupted(options.signal);
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() + interval > deadline) {
      throw new BatchctlError(options.timeoutCode ?? 'WaitTimedOut', `Timed out waiting for ${options.what}.`, {
        exitCode: options.timeoutExitCode ?? ExitCode.Error,
        suggestions: options.timeoutSuggestions ?? [],
      });
    }
    await sleep(interval, options.signal);
    interval = Math.min(options.maxIntervalMs ?? interval, Math.round(interval * (options.backoff ?? 1.5)));
  }
}
