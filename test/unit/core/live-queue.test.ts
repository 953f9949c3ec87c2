import { chooseLiveQueue, type QueueCandidate, workloadQueueBase } from '../../../src/core/live-queue';
import { DEFAULT_SUFFIXES } from '../../../src/core/naming';
import type { Spec } from '../../../src/core/spec';
import { BatchctlError } from '../../../src/errors';

const q = (name: string, extra: Partial<QueueCandidate> = {}): QueueCandidate => ({
  jobQueueName: name,
  jobQueueArn: `arn:aws:batch:us-east-1:123456789012:job-queue/${name}`,
  status: 'VALID',
  state: 'ENABLED',
  ...extra,
});
const ours = (name: string, plan: string, extra: Partial<QueueCandidate> = {}): QueueCandidate =>
  q(name, { tags: { 'batchctl:workload': 'reproject', 'batchctl:plan': plan }, ...extra });

function choose(spec: Spec, queues: QueueCandidate[], referenced: Record<string, string[]> = {}) {
  return chooseLiveQueue({
    spec,
    specFile: 'release.yaml',
    suffixes: DEFAULT_SUFFIXES,
    queues,
    referencedBy: (c) => referenced[c.jobQueueName ?? ''] ?? [],
    account: '123456789012',
    region: 'us-east-1',
  });
}

function errorOf(fn: () => unknown): BatchctlError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BatchctlError) return error;
    throw error;
  }
  throw new Error('did not throw');
}

const spec: Spec = { version: 1, workload: 'reproject' };

describe('chooseLiveQueue', () => {
  it('first adoption: the queue named <workload>-a, beside unrelated ones', () => {
    expect(choose(spec, [q('other'), q('reproject-a')]).queue.jobQueueName).toBe('reproject-a');
    expect(choose(spec, [q('reproject')]).queue.jobQueueName).toBe('reproject');
  });

  it('after swaps: the queue tagged with the workload, whatever its name; a deleted namesake does not count', () => {
    const found = choose(spec, [q('reproject-a', { status: 'DELETED' }), ours('reproject-b', 'p-1')]);
    expect(found).toStrictEqual({ queue: ours('reproject-b', 'p-1') });
  });

  it('two standing queues (a swap not yet retired): the one the state machines name', () => {
    const queues = [ours('reproject-b', 'p-1'), ours('reproject-a', 'p-2')];
    expect(choose(spec, queues, { 'reproject-a': ['sm'] }).queue.jobQueueName).toBe('reproject-a');
  });

  it('two standing queues both named (a cutover under way): an error naming both and status', () => {
    const error = errorOf(() =>
      choose(spec, [ours('reproject-b', 'p-1'), ours('reproject-a', 'p-2')], {
        'reproject-a': ['x'],
        'reproject-b': ['y'],
      }),
    );
    expect(error.code).toBe('LiveRevisionAmbiguous');
    expect(error.message).toBe(
      'release.yaml: workload "reproject" has 2 job queues and the state machines do not tell which is live — a swap is between its build and its retirement: reproject-b (ENABLED, plan p-1, named by y); reproject-a (ENABLED, plan p-2, named by x).',
    );
    expect(error.suggestions[0]).toContain('`batchctl status release.yaml`');
  });

  it('nothing found: says what was searched, and what is on its way out', () => {
    const error = errorOf(() => choose(spec, [q('other'), ours('reproject-b', 'p-1', { status: 'DELETING' })]));
    expect(error.code).toBe('LiveRevisionNotFound');
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(
      'release.yaml: no live job queue of workload "reproject" in account 123456789012, region us-east-1: none is tagged batchctl:workload=reproject and none is named reproject, reproject-a, reproject-b; only reproject-b (DELETING), on its way out.',
    );
  });

  it('live.jobQueue naming a standing queue: that one, even one not named after the workload', () => {
    const hinted: Spec = { ...spec, live: { jobQueue: 'geo-queue' } };
    expect(choose(hinted, [q('geo-queue'), ours('reproject-b', 'p-1')])).toStrictEqual({ queue: q('geo-queue') });
  });

  it('live.jobQueue naming a queue a swap deleted: the tagged live queue, with a note saying so', () => {
    const hinted: Spec = { ...spec, live: { jobQueue: 'reproject-a' } };
    const found = choose(hinted, [q('reproject-a', { status: 'DELETED' }), ours('reproject-b', 'p-1')]);
    expect(found.queue.jobQueueName).toBe('reproject-b');
    expect(found.note).toBe(
      "live.jobQueue names reproject-a, which no longer exists; the workload's live queue is reproject-b (tagged batchctl:workload=reproject).",
    );
  });

  it('live.jobQueue naming nothing and no tagged queue: QueueNotFound, though a queue has an adoption name', () => {
    const hinted: Spec = { ...spec, live: { jobQueue: 'no-such-queue' } };
    const error = errorOf(() => choose(hinted, [q('reproject-a')]));
    expect(error.code).toBe('QueueNotFound');
    expect(error.message).toContain('and no queue is tagged batchctl:workload=reproject');
  });
});

describe('workloadQueueBase', () => {
  it('from the hint, the tags, or the adoption names; undefined when none is there', () => {
    expect(workloadQueueBase({ ...spec, live: { jobQueue: 'geo-a' } }, DEFAULT_SUFFIXES, [])).toBe('geo');
    expect(workloadQueueBase(spec, DEFAULT_SUFFIXES, [q('x'), ours('reproject-b', 'p')])).toBe('reproject');
    expect(workloadQueueBase(spec, DEFAULT_SUFFIXES, [q('reproject-a')])).toBe('reproject');
    expect(workloadQueueBase(spec, DEFAULT_SUFFIXES, [q('other')])).toBeUndefined();
  });
});
