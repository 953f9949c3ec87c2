import { deriveRevision } from '../../../src/core/derive';
import { desiredStateIsLive, effectiveChanges } from '../../../src/core/no-changes';
import { resourceDiffs } from '../../../src/core/plan-diff';
import type { Spec } from '../../../src/core/spec';
import type { LiveWorkload } from '../../../src/core/workload';
import { liveWorkload, PLAN_ID } from './fixtures';

const KEY = 'test-key';

function changesOf(live: LiveWorkload, spec: Spec): { path: string; kind: string }[] {
  const b = deriveRevision(live, spec, PLAN_ID);
  return resourceDiffs(live, b, KEY).flatMap((d) =>
    effectiveChanges(d, b).map((c) => ({ path: c.path, kind: d.kind })),
  );
}

function isLive(live: LiveWorkload, spec: Spec): boolean {
  const b = deriveRevision(live, spec, PLAN_ID);
  return desiredStateIsLive(resourceDiffs(live, b, KEY), b);
}

const base: Spec = { version: 1, workload: 'reproject' };

describe('desiredStateIsLive', () => {
  it('a spec without changes: every swap-made difference (names, ownership tags, template and CE references) is not a change', () => {
    const live = liveWorkload('a');
    const b = deriveRevision(live, base, PLAN_ID);
    const diffs = resourceDiffs(live, b, KEY);
    // The raw diff does differ: the proof that the normalisation, not an empty diff, says "no changes".
    expect(diffs.some((d) => d.changes.length > 0)).toBe(true);
    expect(desiredStateIsLive(diffs, b)).toBe(true);
  });

  it('changes equal to what A already has are no change, in either direction (A → B and B → A)', () => {
    const spec: Spec = {
      ...base,
      changes: {
        // Applied to every compute environment: both of A's have minvCpus 0.
        computeEnvironment: { computeResources: { minvCpus: 0 } },
        jobDefinitions: {
          'reproject-job': {
            containerProperties: { image: 'example.com/reproject:v1', environment: [{ name: 'STAGE', value: 'prod' }] },
          },
        },
      },
    };
    expect(isLive(liveWorkload('a'), spec)).toBe(true);
    expect(isLive(liveWorkload('b'), spec)).toBe(true);
  });

  it('a new image is a change of that job definition, and only that', () => {
    const spec: Spec = {
      ...base,
      changes: { jobDefinitions: { 'reproject-job': { containerProperties: { image: 'example.com/reproject:v2' } } } },
    };
    expect(changesOf(liveWorkload('b'), spec)).toStrictEqual([
      { kind: 'job-definition', path: 'containerProperties.image' },
    ]);
  });

  it('a changed secret is a change, though both sides are redacted', () => {
    const spec: Spec = {
      ...base,
      changes: {
        jobDefinitions: {
          'reproject-job': { containerProperties: { environment: [{ name: 'STAGE', value: 'staging' }] } },
        },
      },
    };
    expect(changesOf(liveWorkload('a'), spec)).toStrictEqual([
      { kind: 'job-definition', path: 'containerProperties.environment[0].value' },
    ]);
  });

  it('a compute environment or launch template change counts', () => {
    expect(
      isLive(liveWorkload('a'), { ...base, changes: { computeEnvironment: { computeResources: { maxvCpus: 256 } } } }),
    ).toBe(false);
    expect(isLive(liveWorkload('a'), { ...base, changes: { launchTemplate: { data: { ImageId: 'ami-0new' } } } })).toBe(
      false,
    );
  });

  it('a disabled A is a change: B is created ENABLED', () => {
    const live = liveWorkload('a');
    live.queue.state = 'DISABLED';
    expect(changesOf(live, base)).toStrictEqual([{ kind: 'job-queue', path: 'state' }]);
  });

  it('a queue order naming another compute environment than the copy of A’s is a change', () => {
    const live = liveWorkload('a');
    const b = deriveRevision(live, base, PLAN_ID);
    const order = b.jobQueue.input.computeEnvironmentOrder ?? [];
    const [first] = order;
    if (first) first.computeEnvironment = 'arn:aws:batch:us-east-1:123456789012:compute-environment/elsewhere';
    expect(desiredStateIsLive(resourceDiffs(live, b, KEY), b)).toBe(false);
  });
});
