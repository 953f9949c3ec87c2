/**
 * Waiting on a state in tests: poll until the probe returns a value, or fail at the deadline saying what was
 * awaited and what the probe saw last. Never a fixed sleep in place of a state.
 */
export interface WaitOptions {
  /** Give up after this long. Default 30 s. */
  timeoutMs?: number;
  /** Pause between probes. Default 200 ms. */
  intervalMs?: number;
  /** Says what was awaited, for the timeout message. */
  what?: string;
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` until it returns something other than `undefined`, `null` or `false`, and returns that.
 * A probe that throws is retried until the deadline (the last error is quoted on timeout).
 */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 200;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() + intervalMs > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}${cause}.`);
    }
    await pause(intervalMs);
  }
}
