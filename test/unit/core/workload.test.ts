import { TAG_PLAN, TAG_REVISION, TAG_WORKLOAD } from '../../../src/core/workload';

describe('ownership tags', () => {
  it('are the three documented batchctl: keys (DESIGN invariant 4)', () => {
    expect([TAG_WORKLOAD, TAG_REVISION, TAG_PLAN]).toStrictEqual([
      'batchctl:workload',
      'batchctl:revision',
      'batchctl:plan',
    ]);
  });

  it('are not aws: keys, so tag filtering never drops them', () => {
    for (const key of [TAG_WORKLOAD, TAG_REVISION, TAG_PLAN]) expect(key.toLowerCase().startsWith('aws:')).toBe(false);
  });
});
