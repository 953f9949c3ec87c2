import { collectBatchTasks } from '../../../src/core/references';
import { unplannedReferences } from '../../../src/core/repoint';
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
