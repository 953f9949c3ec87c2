/**
 * SIGINT and SIGTERM (Ctrl-C, a CI cancel), handled in one place for the commands that change the account. The
 * first signal aborts the run's AbortSignal: the service finishes the AWS call in progress, starts nothing new,
 * releases the workload lock and says where it stopped (exit 10, Interrupted). A second signal exits at once.
 * listr2's own SIGINT handler (which exits 127 without a word) is turned off in src/ui/progress.ts.
 */
import { ExitCode } from '../exit-codes';
import { Interruption } from './poll';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface InterruptOptions {
  /** Said when a second signal ends the run at once: what may be left behind and what to run next. */
  forcedHint: string;
  write?: (text: string) => void;
  exit?: (code: number) => void;
}

/** Runs `work` with an AbortSignal that the first SIGINT/SIGTERM fires; the handlers are removed afterwards. */
export async function withInterrupts<T>(
  work: (signal: AbortSignal) => Promise<T>,
  options: InterruptOptions,
): Promise<T> {
  const write = options.write ?? ((text: string) => process.stderr.write(text));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const controller = new AbortController();
  let first: string | undefined;
  const handler = (name: NodeJS.Signals): void => {
    if (first === undefined) {
      first = name;
      write(
        `\n${name} received: stopping at the next safe point (the AWS call in progress finishes first, nothing new starts). Send it again to exit at once.\n`,
      );
      controller.abort(new Interruption(name));
      return;
    }
    write(`${name} received again: exiting at once, without waiting for the call in progress. ${options.forcedHint}\n`);
    exit(ExitCode.Interrupted);
  };
  for (const name of SIGNALS) process.on(name, handler);
  try {
    return await work(controller.signal);
  } finally {
    for (const name of SIGNALS) process.off(name, handler);
  }
}

/** Said when a second signal ends a swap at once: it stopped wherever it was, and its lock may outlive it. */
export function swapForcedHint(planPath: string): string {
  return `The swap stopped wherever it was and its lock may still be held: \`batchctl promote ${planPath}\` continues and \`batchctl rollback ${planPath}\` goes back (add --force-unlock <lock id> if they report this run's lock).`;
}
