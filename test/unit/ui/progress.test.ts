import { BatchctlError } from '../../../src/errors';
import { runStep, type SwapReporter } from '../../../src/services/swap-steps';
import { withProgress } from '../../../src/ui/progress';

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
