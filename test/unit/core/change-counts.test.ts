import { changeCounts, summaryLine } from '../../../src/core/change-counts';
import { deriveRevision } from '../../../src/core/derive';
import { buildSteps } from '../../../src/core/steps';
import { liveWorkload, PLAN_ID, reprojectSpec } from './fixtures';
import { step, swapSteps } from '../ui/plan-fixture';

describe('changeCounts / summaryLine', () => {
  it('counts a swap with one of each resource and two state machines', () => {
    const counts = changeCounts(swapSteps(['ingest', 'nightly']));
    expect(counts).toEqual({ create: 4, repoint: 2, delete: 4 });
    expect(summaryLine(counts)).toBe('Plan: 4 to create, 2 to repoint, 4 to delete.');
  });

  it('says 0 when nothing references A and 1 for a single one', () => {
    expect(summaryLine(changeCounts(swapSteps([])))).toBe('Plan: 4 to create, 0 to repoint, 4 to delete.');
    expect(summaryLine(changeCounts(swapSteps(['ingest'])))).toBe('Plan: 4 to create, 1 to repoint, 4 to delete.');
  });

  it('counts an empty plan as zeros', () => {
    expect(summaryLine(changeCounts([]))).toBe('Plan: 0 to create, 0 to repoint, 0 to delete.');
  });

  it('does not count the drain, and counts an unchanged (shared) job definition nowhere', () => {
    // A job definition the spec leaves alone is shared: no register step, no deregister step.
    const steps = [
      step('create-launch-template', 'lt-b'),
      step('create-compute-environment', 'ce-b'),
      step('create-compute-environment', 'ce2-b'),
      step('create-job-queue', 'q-b'),
      step('drain', 'q-a'),
      step('delete-job-queue', 'q-a'),
    ];
    expect(summaryLine(changeCounts(steps))).toBe('Plan: 4 to create, 0 to repoint, 1 to delete.');
  });

  it('counts the steps buildSteps makes: a compute environment A shares with another queue is kept, not counted', () => {
    const live = liveWorkload('a');
    const steps = buildSteps(live, deriveRevision(live, reprojectSpec('a'), PLAN_ID), ['ingest']);
    // B: a launch template, two compute environments, a job definition, a queue; A: the queue, its own compute
    // environment and launch template, the replaced job definition (shared-ce-a serves another queue too).
    expect(summaryLine(changeCounts(steps))).toBe('Plan: 5 to create, 1 to repoint, 4 to delete.');
  });
});
