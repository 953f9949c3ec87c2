import type { PlanFile } from '../../../src/core/plan';
import { renderPlan } from '../../../src/ui/plan-report';

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine';

/** Only what the report reads of a plan. */
function planWith(references: PlanFile['references']): PlanFile {
  return {
    id: 'p-0123456789ab',
    workload: 'reproject',
    account: '123456789012',
    region: 'us-east-1',
    live: { label: 'a', queue: { name: 'reproject-a', arn: 'arn:a' } },
    target: { label: 'b', jobQueue: { name: 'reproject-b' } },
    references,
    quota: [],
    steps: [],
    warnings: [],
    blockers: [],
  } as unknown as PlanFile;
}

describe('renderPlan: aliases and published versions', () => {
  it('shows each alias route and every published version, marking those that name A', () => {
    const text = renderPlan(
      planWith([
        {
          name: 'ingest',
          arn: `${SM}:ingest`,
          changes: [{ path: ['Submit'], field: 'JobQueue', before: 'reproject-a', after: 'reproject-b' }],
          dynamic: [],
          aliases: [
            {
              name: 'prod',
              arn: `${SM}:ingest:prod`,
              routes: [
                { versionArn: `${SM}:ingest:1`, weight: 90, referencesLive: true },
                { versionArn: `${SM}:ingest:3`, weight: 10, referencesLive: false },
              ],
            },
          ],
          versions: [
            { arn: `${SM}:ingest:3`, version: 3, namesLive: false },
            { arn: `${SM}:ingest:2`, version: 2, namesLive: true },
            { arn: `${SM}:ingest:1`, version: 1, namesLive: true },
          ],
        },
        {
          name: 'legacy',
          arn: `${SM}:legacy`,
          changes: [],
          dynamic: [],
          aliases: [],
          versions: [{ arn: `${SM}:legacy:1`, version: 1, namesLive: true }],
        },
      ]),
      [],
      'plans/reproject.plan.json',
    );
    expect(text).toContain(
      '      alias prod: 1 90% → A, 3 10% (promote publishes a copy of each version marked → A with its references moved to B, same weights)\n' +
        '      published versions: 3, 2 → A, 1 → A (2 name A: started by version ARN, they fail once A is retired)\n',
    );
    expect(text).toContain(
      '  = legacy  (its definition does not use A; some versions do)\n' +
        '      published versions: 1 → A (1 names A: started by version ARN, it fails once A is retired)\n',
    );
    expect(text).toContain('References (1 state machine to repoint)');
  });

  it('shows at most 10 versions and says how many more the plan file has', () => {
    const versions = Array.from({ length: 12 }, (_, i) => ({
      arn: `${SM}:ingest:${12 - i}`,
      version: 12 - i,
      namesLive: false,
    }));
    const text = renderPlan(
      planWith([{ name: 'ingest', arn: `${SM}:ingest`, changes: [], dynamic: [], aliases: [], versions }]),
      [],
      'p.json',
    );
    expect(text).toContain('      published versions: 12, 11, 10, 9, 8, 7, 6, 5, 4, 3 and 2 more\n');
  });
});
