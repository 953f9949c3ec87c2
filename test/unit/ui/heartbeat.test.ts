import type { DrainProgress } from '../../../src/services/drain';
import { executionName, formatDuration, heartbeatLine, HEARTBEAT_MS, startHeartbeat } from '../../../src/ui/heartbeat';

const NOTHING = { SUBMITTED: 0, PENDING: 0, RUNNABLE: 0, STARTING: 0, RUNNING: 0 };
const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const exec = (sm: string, name: string): string => `arn:aws:states:us-east-1:123456789012:execution:${sm}:${name}`;

function progress(executions: string[], extra: Partial<DrainProgress> = {}): DrainProgress {
  return {
    phase: 'executions',
    executions,
    jobs: { ...NOTHING, RUNNING: 2 },
    startedAt: T0,
    deadline: T0 + 6 * 3_600_000,
    ...extra,
  };
}

describe('heartbeatLine', () => {
  it('gives the elapsed time, the time left to the drain timeout, the executions by name and the jobs', () => {
    const line = heartbeatLine(
      'reproject-a',
      progress([exec('reproject-workflow', 'nightly-42'), exec('reproject-adhoc', 'run-7')]),
      T0 + 62 * 60_000 + 5_000,
    );
    expect(line).toBe(
      'still draining reproject-a (1h 02m elapsed, 4h 57m left before the drain timeout) — waiting for 2 executions: reproject-workflow/nightly-42, reproject-adhoc/run-7 — jobs: SUBMITTED 0 · PENDING 0 · RUNNABLE 0 · STARTING 0 · RUNNING 2',
    );
    expect(line).not.toContain('arn:');
  });

  it('names at most five executions, then counts the rest', () => {
    const executions = Array.from({ length: 8 }, (_, i) => exec('wf', `run-${i}`));
    const line = heartbeatLine('q', progress(executions), T0 + 5_000);
    expect(line).toContain('waiting for 8 executions: wf/run-0, wf/run-1, wf/run-2, wf/run-3, wf/run-4 +3 more —');
    expect(line).not.toContain('run-5');
  });

  it('says when no execution is in flight (jobs only)', () => {
    expect(heartbeatLine('q', progress([], { phase: 'jobs' }), T0 + 65_000)).toContain(
      '(1m 05s elapsed, 5h 58m left before the drain timeout) — no execution in flight — jobs:',
    );
  });

  it('formats durations and execution names', () => {
    expect([formatDuration(0), formatDuration(59_499), formatDuration(3_600_000), formatDuration(-5)]).toEqual([
      '0s',
      '59s',
      '1h 00m',
      '0s',
    ]);
    expect(executionName(exec('sm', 'a:b'))).toBe('sm/a:b');
    expect(executionName('not-an-arn')).toBe('not-an-arn');
  });
});

describe('startHeartbeat', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('beats once a minute while counts hold steady, and stops once drained or stopped', () => {
    const lines: string[] = [];
    const beat = startHeartbeat({ write: (line) => lines.push(line) });

    // Nothing before the drain reports.
    jest.advanceTimersByTime(HEARTBEAT_MS);
    expect(lines).toEqual([]);

    beat.update('reproject-a', progress([exec('wf', 'long-run')]));
    jest.advanceTimersByTime(HEARTBEAT_MS - 1);
    expect(lines).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('(2m 00s elapsed, 5h 58m left before the drain timeout)');
    expect(lines[0]).toContain('wf/long-run');

    // Hours of steady counts: one line a minute, each with the time that has passed.
    jest.advanceTimersByTime(3 * 3_600_000);
    expect(lines).toHaveLength(1 + 180);
    expect(lines.at(-1)).toContain('(3h 02m elapsed, 2h 58m left before the drain timeout)');

    beat.update('reproject-a', progress([], { phase: 'drained' }));
    jest.advanceTimersByTime(5 * HEARTBEAT_MS);
    expect(lines).toHaveLength(181);

    beat.update('reproject-a', progress([], { phase: 'jobs' }));
    beat.stop();
    jest.advanceTimersByTime(5 * HEARTBEAT_MS);
    expect(lines).toHaveLength(181);
  });
});
