import { BatchctlError } from '../../../src/errors';
import { runStep, type SwapReporter } from '../../../src/services/swap-steps';
import { withProgress } from '../../../src/ui/progress';
import { waitFor } from '../../support/wait';

/** What the progress list wrote to stderr (the plain renderer, as in CI). */
async function captured(work: (reporter: SwapReporter) => Promise<unknown>): Promise<string> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  try {
    const steps = ['a', 'b', 'c', 'd'].map((id) => ({ id, title: `Repoint state machine ${id}` }));
    await withProgress(steps, { json: false, ci: true }, work).catch(() => undefined);
  } finally {
    spy.mockRestore();
  }
  return chunks.join('');
}

describe('withProgress', () => {
  it('shows a failure on the step that failed, not on an earlier step this run never reached', async () => {
    // A resumed promote skips what an earlier run finished without reporting it (e.g. the build steps when A is
    // already being retired): those steps stay unfinished while a later one fails.
    const out = await captured(async (reporter) => {
      await runStep(reporter, 'b', [], async () => ({ value: 2 }));
      await runStep(reporter, 'c', [], async () => {
        throw new BatchctlError('Boom', 'state machine c could not be updated');
      });
    });
    const lines = out.split('\n');
    expect(out).toContain('Step c failed: state machine c could not be updated');
    expect(lines.filter((l) => /state machine a\b/.test(l) && /fail|✖|could not/i.test(l))).toStrictEqual([]);
    const failureLine = lines.findIndex((l) => l.includes('could not be updated'));
    const titleOfC = lines.findIndex((l) => l.includes('Repoint state machine c'));
    expect(titleOfC).toBeGreaterThanOrEqual(0);
    expect(failureLine).toBeGreaterThanOrEqual(titleOfC);
    expect(out).not.toMatch(/Repoint state machine d.*(fail|✖)/i);
  });
});

describe('withProgress in CI: the drain heartbeat', () => {
  const NOTHING = { SUBMITTED: 0, PENDING: 0, RUNNABLE: 0, STARTING: 0, RUNNING: 0 };
  const exec = 'arn:aws:states:us-east-1:123456789012:execution:reproject-workflow:nightly-42';

  async function heartbeatOutput(json: boolean): Promise<string> {
    const chunks: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    try {
      await withProgress(
        [{ id: 'drain:reproject-a', title: 'Drain job queue reproject-a' }],
        { json, ci: true, heartbeatMs: 20 },
        async (reporter) => {
          reporter.step('drain:reproject-a', 'running');
          const startedAt = Date.now();
          // Steady counts: the change-only progress line is printed once, the heartbeat keeps coming.
          for (let i = 0; i < 3; i++) {
            reporter.drain({
              phase: 'executions',
              executions: [exec],
              jobs: { ...NOTHING, RUNNING: 1 },
              startedAt,
              deadline: startedAt + 3_600_000,
            });
          }
          await waitFor(() => chunks.filter((c) => c.includes('still draining reproject-a')).length >= 2, {
            what: 'two heartbeats',
          });
          reporter.step('drain:reproject-a', 'done');
        },
      );
    } finally {
      spy.mockRestore();
    }
    return chunks.join('');
  }

  it('prints the heartbeat as the drain step output, with the execution by name', async () => {
    const out = await heartbeatOutput(false);
    expect(out).toMatch(
      /still draining reproject-a \(0s elapsed, 1h 00m left before the drain timeout\) — waiting for 1 execution: reproject-workflow\/nightly-42 — jobs: /,
    );
    expect(out.match(/waiting for executions — executions still on it: 1/g)).toHaveLength(1);
  });

  it('under --json too, on stderr, with nothing else there', async () => {
    const out = await heartbeatOutput(true);
    const lines = out.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => l.startsWith('still draining reproject-a ('))).toBe(true);
  });
});
