import { deriveRevision } from '../../../src/core/derive';
import { resourceDiffs } from '../../../src/core/plan-diff';
import { batchArnOf, liveWorkload, PLAN_ID, reprojectSpec } from './fixtures';

const KEY = Buffer.alloc(32, 7);

describe('resourceDiffs', () => {
  it('shows a reference pinned to another revision against B from its own revision, not only the cloned one', () => {
    const live = liveWorkload('a');
    const source = live.jobDefinitions[0]!;
    source.otherPinned = [
      {
        detail: {
          ...structuredClone(source.detail),
          revision: 2,
          jobDefinitionArn: batchArnOf('job-definition', 'reproject-job-a:2'),
          retryStrategy: { attempts: 5 },
        },
        users: ['legacy-workflow'],
      },
    ];
    const b = deriveRevision(live, reprojectSpec('a'), PLAN_ID);
    const diffs = resourceDiffs(live, b, KEY).filter((d) => d.kind === 'job-definition' && d.action === 'create');
    expect(diffs.map((d) => d.from)).toStrictEqual([
      'reproject-job-a:2 (pinned by legacy-workflow)',
      'reproject-job-a:4',
    ]);
    const pinned = diffs[0]!;
    expect(pinned.to).toBe('reproject-job-b');
    // Both the spec's change and what revision 2 had that revision 4 does not are visible to the reviewer.
    expect(pinned.changes.map((c) => c.path)).toEqual(
      expect.arrayContaining(['containerProperties.image', 'retryStrategy.attempts']),
    );
    expect(diffs[1]!.changes.map((c) => c.path)).not.toContain('retryStrategy.attempts');
  });

  it('shows nothing extra when every reference pins the cloned revision', () => {
    const live = liveWorkload('a');
    const b = deriveRevision(live, reprojectSpec('a'), PLAN_ID);
    expect(resourceDiffs(live, b, KEY).filter((d) => d.from.includes('pinned by'))).toStrictEqual([]);
  });
});
