import type { DrainCommandResult } from '../../../src/services/drain-queue';
import type { PromoteResult } from '../../../src/services/promote';
import type { RollbackResult } from '../../../src/services/rollback';
import type { RepointResult } from '../../../src/services/swap-steps';
import { deletedList, drainSummary, promoteSummary, retireSummary, rollbackSummary } from '../../../src/ui/summaries';
import { planOf } from './plan-fixture';

const PLAN = planOf();
const PATH = 'out/reproject.plan.json';

const rewritten = (stateMachine: string): RepointResult => ({ stateMachine, changes: 2, published: [], aliases: [] });
/** Found already pointing at B by a re-run: nothing changed. */
const untouched = (stateMachine: string): RepointResult => ({ stateMachine, changes: 0, published: [], aliases: [] });

function created(n: number, reused = false): PromoteResult['created'] {
  return Array.from({ length: n }, (_, i) => ({ kind: 'job-queue', name: `r${i}`, arn: `arn:r${i}`, reused }));
}

const A_DELETED: PromoteResult['deleted'] = [
  { kind: 'job-queue', name: 'reproject-a' },
  { kind: 'compute-environment', name: 'reproject-ce-a' },
  { kind: 'compute-environment', name: 'shared-ce-a' },
  { kind: 'launch-template', name: 'reproject-lt-a' },
];

function promoteResult(overrides: Partial<PromoteResult>): PromoteResult {
  return {
    planId: PLAN.id,
    workload: 'reproject',
    status: 'complete',
    resumedFrom: 'start',
    created: [],
    repointed: [],
    drained: { queue: 'reproject-a', durationMs: 1 },
    deleted: [],
    timings: { totalMs: 12_400 },
    ...overrides,
  };
}

describe('deletedList', () => {
  it('counts by kind, in the order A is retired, with plurals', () => {
    expect(deletedList(A_DELETED)).toBe('4 resources (1 job queue, 2 compute environments, 1 launch template)');
    expect(deletedList([{ kind: 'job-definition', name: 'j:4' }])).toBe('1 resource (1 job definition)');
    expect(deletedList([])).toBe('0 resources');
  });
});

describe('promoteSummary', () => {
  it('a complete swap: created, repointed and deleted, with the revisions named', () => {
    const line = promoteSummary(
      promoteResult({
        created: created(4),
        repointed: [rewritten('ingest'), rewritten('nightly')],
        deleted: A_DELETED,
      }),
      PLAN,
      PATH,
    );
    expect(line).toBe(
      'Promoted reproject to B (reproject-b): 4 resources created, 2 state machines repointed, 4 resources (1 job queue, 2 compute environments, 1 launch template) of A deleted in 12s.',
    );
  });

  it('singulars: one resource, one state machine', () => {
    const line = promoteSummary(
      promoteResult({ created: created(1), repointed: [rewritten('ingest')], deleted: [A_DELETED[0]!] }),
      PLAN,
      PATH,
    );
    expect(line).toContain(': 1 resource created, 1 state machine repointed, 1 resource (1 job queue) of A deleted');
  });

  it('a re-run does not claim what an earlier run did', () => {
    const line = promoteSummary(
      promoteResult({
        resumedFrom: 'build',
        created: [...created(1), ...created(3, true)],
        repointed: [rewritten('ingest'), untouched('nightly')],
        deleted: A_DELETED,
      }),
      PLAN,
      PATH,
    );
    expect(line).toContain(': 1 resource created, 1 state machine repointed,');
    expect(line).toContain(' Found from an earlier run: 3 resources of B, 1 state machine pointing at B.');
  });

  it('--no-retire: A kept, and the retire command with the real plan path', () => {
    const line = promoteSummary(
      promoteResult({ status: 'drained', created: created(4), repointed: [rewritten('ingest')] }),
      PLAN,
      PATH,
    );
    expect(line).toBe(
      'Promoted reproject to B (reproject-b): 4 resources created, 1 state machine repointed in 12s; A (reproject-a) is kept, drained and disabled. Delete it later with: batchctl retire out/reproject.plan.json',
    );
    expect(line).not.toContain('<plan>');
    expect(line).not.toContain('deleted');
  });
});

describe('retireSummary', () => {
  it('after promote --no-retire: says what was deleted, and never "Promoted" or "repointed"', () => {
    // retire runs promote again: it finds both state machines already on B and B already built.
    const line = retireSummary(
      promoteResult({
        resumedFrom: 'build',
        created: created(4, true),
        repointed: [untouched('ingest'), untouched('nightly')],
        deleted: A_DELETED,
      }),
      PLAN,
    );
    expect(line).toBe(
      'Retired A (reproject-a) of reproject: 4 resources (1 job queue, 2 compute environments, 1 launch template) deleted in 12s.',
    );
  });

  it('on a plan never promoted, says what it had to build and move first', () => {
    const line = retireSummary(
      promoteResult({ created: created(1), repointed: [rewritten('ingest')], deleted: A_DELETED }),
      PLAN,
    );
    expect(line).toMatch(/deleted in 12s\. First 1 resource of B created and 1 state machine repointed\.$/);
  });

  it('when A was already gone', () => {
    expect(retireSummary(promoteResult({ resumedFrom: 'retire' }), PLAN)).toBe(
      'Retired A (reproject-a) of reproject: nothing was left to delete (12s).',
    );
  });
});

describe('rollbackSummary', () => {
  it('counts only the state machines really moved back, with plurals', () => {
    const result: RollbackResult = {
      planId: PLAN.id,
      workload: 'reproject',
      live: 'reproject-a',
      repointed: [rewritten('ingest'), untouched('nightly')],
      drained: { queue: 'reproject-b', durationMs: 1 },
      deleted: [{ kind: 'job-queue', name: 'reproject-b' }],
      timings: { totalMs: 3_000 },
    };
    expect(rollbackSummary(result, PLAN)).toBe(
      'Rolled back reproject: A (reproject-a) is live, 1 state machine restored, 1 resource (1 job queue) of B deleted in 3s.',
    );
  });
});

describe('drainSummary', () => {
  const jobs = { SUBMITTED: 0, PENDING: 0, RUNNABLE: 1, STARTING: 0, RUNNING: 3 };
  const report = (executions: string[], drained = false): DrainCommandResult => ({
    queue: { name: 'reproject-a', arn: 'arn:q', state: 'ENABLED' },
    drained,
    inFlight: { executions, jobs },
    express: [],
    durationMs: 5,
    reenable: 'aws batch update-job-queue --job-queue reproject-a --state ENABLED',
  });

  it('says what is still on the queue, and no drain phase (a report waits for nothing)', () => {
    expect(drainSummary(report(['arn:e1']))).toBe(
      'reproject-a (ENABLED): not drained — 1 execution still on it — jobs: SUBMITTED 0 · PENDING 0 · RUNNABLE 1 · STARTING 0 · RUNNING 3',
    );
    expect(drainSummary(report(['arn:e1', 'arn:e2']))).toContain('not drained — 2 executions still on it —');
  });

  it('a drained queue is said once', () => {
    const line = drainSummary({
      ...report([], true),
      inFlight: { executions: [], jobs: { ...jobs, RUNNABLE: 0, RUNNING: 0 } },
    });
    expect(line).toBe(
      'reproject-a (ENABLED): drained — 0 executions still on it — jobs: SUBMITTED 0 · PENDING 0 · RUNNABLE 0 · STARTING 0 · RUNNING 0',
    );
  });
});
