import type { PlanFile } from '../../../src/core/plan';
import { Interruption } from '../../../src/lib/poll';
import { interruptedError, promoteState, rollbackState, StepLog } from '../../../src/services/interrupted';
import { silentReporter } from '../../../src/services/swap-steps';

/** Only what the state descriptions read of a plan: the two queues and which references move. */
const PLAN = {
  live: { label: 'a', queue: { name: 'reproject-a', arn: 'arn:a' } },
  target: { label: 'b', jobQueue: { name: 'reproject-b', arn: 'arn:b' } },
  references: [
    { name: 'wf', changes: [{}] },
    { name: 'adhoc', changes: [{}] },
    { name: 'untouched', changes: [] },
  ],
} as unknown as PlanFile;

function logOf(events: [string, 'running' | 'done' | 'skipped' | 'failed'][]): StepLog {
  const log = new StepLog(silentReporter);
  for (const [id, status] of events) log.step(id, status);
  return log;
}

describe('promoteState: where a stopped promote left the account', () => {
  it('before anything was built', () => {
    expect(promoteState(PLAN, logOf([['preflight', 'running']])).state).toBe(
      'nothing was changed; A (reproject-a) is live',
    );
  });

  it('part-way through the build', () => {
    const log = logOf([
      ['preflight', 'done'],
      ['create-launch-template:lt-b', 'done'],
      ['create-compute-environment:ce-b', 'running'],
    ]);
    expect(promoteState(PLAN, log)).toEqual({
      state: 'B (reproject-b) is partly built and nothing points at it yet; A (reproject-a) is live and unchanged',
      canRollBack: true,
    });
    expect(log.reached()).toBe('create-compute-environment:ce-b');
  });

  it('part-way through the repoint: how many moved', () => {
    const log = logOf([
      ['create-job-queue:reproject-b', 'done'],
      ['repoint-state-machine:wf', 'done'],
      ['repoint-state-machine:adhoc', 'running'],
    ]);
    expect(promoteState(PLAN, log).state).toBe(
      'B (reproject-b) is built; 1 of 2 state machines points at B, the others still at A; A (reproject-a) is enabled and live',
    );
  });

  it('in the drain, by its phase', () => {
    const log = logOf([
      ['repoint-state-machine:wf', 'done'],
      ['drain:reproject-a', 'running'],
    ]);
    expect(promoteState(PLAN, log).state).toBe(
      'B (reproject-b) is built and references point at B; A: reproject-a is still enabled, not drained',
    );
    log.drain({
      phase: 'jobs',
      executions: [],
      jobs: { SUBMITTED: 0, PENDING: 0, RUNNABLE: 0, STARTING: 0, RUNNING: 1 },
    });
    expect(promoteState(PLAN, log).state).toBe(
      'B (reproject-b) is built and references point at B; A: reproject-a is disabled (it takes no new jobs) and still has jobs to wait for',
    );
  });

  it('once A is being deleted there is no rollback', () => {
    const log = logOf([
      ['drain:reproject-a', 'done'],
      ['delete-job-queue:reproject-a', 'running'],
    ]);
    expect(promoteState(PLAN, log)).toEqual({
      state: 'B (reproject-b) is live and every reference points at it; A (reproject-a) is drained and partly deleted',
      canRollBack: false,
    });
  });
});

describe('rollbackState', () => {
  it('names how far the way back got', () => {
    expect(rollbackState(PLAN, logOf([['enable-live', 'running']])).state).toMatch(
      /^nothing was changed by this rollback/,
    );
    expect(rollbackState(PLAN, logOf([['enable-live', 'done']])).state).toBe(
      'A (reproject-a) is enabled again; references still point where the swap left them',
    );
    expect(
      rollbackState(
        PLAN,
        logOf([
          ['enable-live', 'done'],
          ['restore-state-machine:wf', 'running'],
        ]),
      ).state,
    ).toBe('A (reproject-a) is enabled; 0 of 2 state machines point back at A, the others still at B (reproject-b)');
    expect(rollbackState(PLAN, logOf([['delete-job-queue:reproject-b', 'running']]))).toEqual({
      state: 'A (reproject-a) is live and every reference points at it; B (reproject-b) is drained and partly deleted',
      canPromote: false,
    });
  });
});

describe('interruptedError', () => {
  it('is exit 10, code Interrupted, naming the signal, the step, the state, the lock and the next commands', () => {
    const log = logOf([['drain:reproject-a', 'running']]);
    const error = interruptedError({
      interruption: new Interruption('SIGTERM'),
      log,
      state: 'the state',
      lockReleased: false,
      next: ['Run `batchctl promote p.json` to continue.'],
    });
    expect(error.toJSON()).toEqual({
      code: 'Interrupted',
      exitCode: 10,
      message:
        'Stopped by SIGTERM during step drain:reproject-a, at a safe point: the state. The workload lock could not be released (see the warning).',
      suggestions: ['Run `batchctl promote p.json` to continue.'],
    });
  });
});
