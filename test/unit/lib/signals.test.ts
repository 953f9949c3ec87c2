import { ExitCode } from '../../../src/exit-codes';
import { Interruption, isInterruption, pollUntil, sleep } from '../../../src/lib/poll';
import { withInterrupts } from '../../../src/lib/signals';

describe('sleep and pollUntil with a signal', () => {
  it('sleep wakes at once when the signal fires, rejecting with its Interruption', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(60_000, controller.signal);
    controller.abort(new Interruption('SIGTERM'));
    await expect(slept).rejects.toMatchObject({ name: 'Interruption', signalName: 'SIGTERM' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('pollUntil makes no further check once the signal has fired', async () => {
    const controller = new AbortController();
    let checks = 0;
    const polled = pollUntil(
      async () => {
        checks++;
        if (checks === 2) controller.abort(new Interruption('SIGINT'));
        return undefined;
      },
      { intervalMs: 5, timeoutMs: 60_000, what: 'never', signal: controller.signal },
    );
    await expect(polled).rejects.toBeInstanceOf(Interruption);
    expect(checks).toBe(2);
  });
});

describe('withInterrupts', () => {
  it('the first signal aborts the work and says so; the handlers are gone afterwards', async () => {
    const written: string[] = [];
    const exit = jest.fn();
    const before = process.listenerCount('SIGTERM');
    const outcome = withInterrupts(
      async (signal) => {
        process.emit('SIGTERM', 'SIGTERM');
        await sleep(60_000, signal);
      },
      { forcedHint: 'hint', write: (t) => written.push(t), exit },
    );
    const error: unknown = await outcome.catch((e: unknown) => e);
    expect(isInterruption(error) && error.signalName).toBe('SIGTERM');
    expect(written.join('')).toContain('SIGTERM received: stopping at the next safe point');
    expect(exit).not.toHaveBeenCalled();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });

  it('a second signal exits at once with the Interrupted code, saying what may be left', async () => {
    const written: string[] = [];
    const exit = jest.fn();
    await withInterrupts(
      async () => {
        process.emit('SIGINT', 'SIGINT');
        process.emit('SIGINT', 'SIGINT');
      },
      { forcedHint: 'The lock may still be held.', write: (t) => written.push(t), exit },
    );
    expect(exit).toHaveBeenCalledWith(ExitCode.Interrupted);
    expect(written.at(-1)).toBe(
      'SIGINT received again: exiting at once, without waiting for the call in progress. The lock may still be held.\n',
    );
  });
});
