import type { CallerEntry } from '../../../src/core/callers-plan';
import { callerCandidates } from '../../../src/services/handback';

const entry = (kind: CallerEntry['kind'], name: string, id = `${kind}:${name}`): CallerEntry => ({
  kind,
  id,
  name,
  references: [],
  unreadable: [],
  repoint: kind !== 'lambda',
  acknowledged: false,
});

describe('callerCandidates', () => {
  it("asks CloudFormation by each caller's own name, a custom-bus rule also as <bus>|<rule>, once per resource", () => {
    const candidates = callerCandidates([
      entry('rule', 'default/nightly', 'rule:default/nightly#a'),
      entry('rule', 'default/nightly', 'rule:default/nightly#b'),
      entry('rule', 'jobs/uploads', 'rule:jobs/uploads#a'),
      entry('schedule', 'batch/weekly'),
      entry('pipe', 'tiles-in'),
      entry('lambda', 'submitter'),
      entry('parameter', '/reproject/queue-arn'),
    ]);
    expect(candidates.map((c) => [c.kind, c.physicalId, c.tags])).toEqual([
      ['EventBridge rule', 'nightly', undefined],
      ['EventBridge rule', 'uploads', undefined],
      ['EventBridge rule', 'jobs|uploads', undefined],
      ['Scheduler schedule', 'weekly', undefined],
      ['pipe', 'tiles-in', undefined],
      ['Lambda function', 'submitter', undefined],
      ['SSM parameter', '/reproject/queue-arn', undefined],
    ]);
    expect(candidates.every((c) => !c.retiredBySwap)).toBe(true);
  });
});
