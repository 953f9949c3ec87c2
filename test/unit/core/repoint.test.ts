import { expressWindowProblem, MAX_EXPRESS_DURATION_MS } from '../../../src/core/express';
import { collectBatchTasks, definitionNames } from '../../../src/core/references';
import { drainTarget, unplannedReferences } from '../../../src/core/repoint';
import type { DesiredRevision } from '../../../src/core/workload';
import { batchArnOf } from './fixtures';

const QUEUE_A = { name: 'reproject-a', arn: batchArnOf('job-queue', 'reproject-a') };

/** A one-state machine that submits to `queue` (a literal) or to a queue computed from the input (`dynamic`). */
function machine(name: string, queue: string | { dynamic: true }, jobDefinition = 'reproject') {
  const parameters =
    typeof queue === 'string'
      ? { JobName: 'work', JobQueue: queue, JobDefinition: jobDefinition }
      : { JobName: 'work', 'JobQueue.$': '$.queue', JobDefinition: jobDefinition };
  const definition = JSON.stringify({
    StartAt: 'Submit',
    States: {
      Submit: { Type: 'Task', Resource: 'arn:aws:states:::batch:submitJob.sync', Parameters: parameters, End: true },
    },
  });
  return { name, tasks: collectBatchTasks(definition) };
}

describe('unplannedReferences', () => {
  const planned = new Set(['ingest', 'nightly-dynamic']);

  it('names a state machine outside the plan that names A by name or by ARN', () => {
    const found = unplannedReferences(
      [machine('late-by-name', 'reproject-a'), machine('late-by-arn', QUEUE_A.arn)],
      QUEUE_A,
      planned,
      false,
    );
    expect(found).toEqual([
      { stateMachine: 'late-by-name', kind: 'static' },
      { stateMachine: 'late-by-arn', kind: 'static' },
    ]);
  });

  it('before the cutover, accepts planned state machines that still name A', () => {
    expect(unplannedReferences([machine('ingest', 'reproject-a')], QUEUE_A, planned, false)).toEqual([]);
  });

  it('after the cutover, names any state machine still naming A, planned or not', () => {
    expect(unplannedReferences([machine('ingest', 'reproject-a')], QUEUE_A, planned, true)).toEqual([
      { stateMachine: 'ingest', kind: 'static' },
    ]);
  });

  it('names a dynamic queue outside the plan, but not one the plan covers (acknowledged there)', () => {
    const machines = [machine('late-dynamic', { dynamic: true }), machine('nightly-dynamic', { dynamic: true })];
    expect(unplannedReferences(machines, QUEUE_A, planned, true)).toEqual([
      { stateMachine: 'late-dynamic', kind: 'dynamic' },
    ]);
  });

  it('ignores other queues and job-definition-only references (A deletes nothing they need)', () => {
    const machines = [machine('other', 'reports-queue'), machine('jd-only', 'reproject-b', 'reproject:1')];
    expect(unplannedReferences(machines, QUEUE_A, planned, true)).toEqual([]);
  });
});

describe('drainTarget', () => {
  const jdArn = (name: string, revision: number): string => `${batchArnOf('job-definition', name)}:${revision}`;
  /** B replaces `reproject` (by `reproject-b`) and shares `tiles`, which the spec leaves unchanged. */
  const b = {
    jobQueue: { from: QUEUE_A, name: 'reproject-b', arn: batchArnOf('job-queue', 'reproject-b') },
    jobDefinitions: [
      { from: { name: 'reproject', arn: jdArn('reproject', 3), revision: 3 }, changed: true, name: 'reproject-b' },
      { from: { name: 'tiles', arn: jdArn('tiles', 1), revision: 1 }, changed: false, name: 'tiles' },
    ],
  } as unknown as DesiredRevision;
  const target = drainTarget(
    b,
    new Map([
      ['reproject', [3]],
      ['tiles', [1]],
    ]),
  );
  const definition = (queue: string, jobDefinition: string): string =>
    JSON.stringify({
      StartAt: 'Submit',
      States: {
        Submit: {
          Type: 'Task',
          Resource: 'arn:aws:states:::batch:submitJob.sync',
          Parameters: { JobName: 'work', JobQueue: queue, JobDefinition: jobDefinition },
          End: true,
        },
      },
    });

  it("is A's queue and only the job definitions B replaces, at A's revisions", () => {
    expect(target).toEqual({
      queue: QUEUE_A,
      jobDefinitions: [{ name: 'reproject', arn: batchArnOf('job-definition', 'reproject'), revisions: [3] }],
    });
  });

  it("does not count an execution on B's queue that names the shared job definition", () => {
    expect(definitionNames(definition('reproject-b', 'tiles'), target, true)).toBe(false);
    expect(definitionNames(definition('reproject-b', 'tiles:1'), target, true)).toBe(false);
    expect(definitionNames(definition('reproject-b', 'reproject-b'), target, true)).toBe(false);
  });

  it("counts an execution that names A's queue, or the replaced job definition at A's revision", () => {
    expect(definitionNames(definition('reproject-a', 'tiles'), target, true)).toBe(true);
    expect(definitionNames(definition('other', 'reproject:3'), target, true)).toBe(true);
    expect(definitionNames(definition('other', 'reproject:4'), target, true)).toBe(false);
  });
});

describe('expressWindowProblem', () => {
  it('accepts up to the Step Functions limit of 5 minutes and refuses more', () => {
    expect(MAX_EXPRESS_DURATION_MS).toBe(300_000);
    expect(expressWindowProblem(5000)).toBeUndefined();
    expect(expressWindowProblem(MAX_EXPRESS_DURATION_MS)).toBeUndefined();
    expect(expressWindowProblem(MAX_EXPRESS_DURATION_MS + 1)).toMatch(/longer than 5m/);
  });
});
