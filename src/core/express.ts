/** Express state machines: what batchctl relies on about them. Pure. */

/**
 * "Maximum execution duration: 5 minutes" for Express workflows (Step Functions developer guide, "Choosing workflow
 * type"; aws-facts §8a). Step Functions stops an Express execution at this limit, and Express executions have no
 * history API (ListExecutions fails with StateMachineTypeNotSupported), so waiting this long after a cutover is the
 * only way to know that none still runs the old definition.
 */
export const MAX_EXPRESS_DURATION_MS = 5 * 60_000;

export const isExpress = (sm: { type?: string }): boolean => sm.type === 'EXPRESS';

/** Whether a user's `--express-window` is usable: longer than the limit would only make swaps slower. */
export function expressWindowProblem(ms: number): string | undefined {
  return ms > MAX_EXPRESS_DURATION_MS
    ? `it is longer than ${MAX_EXPRESS_DURATION_MS / 60_000}m, the longest any Express execution can run`
    : undefined;
}
