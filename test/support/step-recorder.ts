/** A swap reporter for tests: each step's final status and detail ("skipped: kept: used by …"), by step id. */
import type { SwapReporter } from '../../src/services/swap-steps';

export function stepRecorder(): SwapReporter & { steps: Map<string, string> } {
  const steps = new Map<string, string>();
  return {
    steps,
    step: (id, status, detail) => {
      if (status !== 'running') steps.set(id, detail ? `${status}: ${detail}` : status);
    },
    drain: () => undefined,
    warn: () => undefined,
  };
}
