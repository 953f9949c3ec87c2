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

describe('renderPlan: the CloudFormation hand-back', () => {
  it('names each stack, what it owns and every property to change, A → B', () => {
    const plan = {
      ...planWith([]),
      handBack: {
        values: [],
        stacks: [
          {
            stack: 'reproject-flows',
            resources: [
              {
                logicalId: 'Flow',
                kind: 'state machine',
                name: 'reproject-stacked',
                physicalId: `${SM}:reproject-stacked`,
                source: 'tags',
                retiredBySwap: false,
              },
              {
                logicalId: 'Queue',
                kind: 'job queue',
                name: 'reproject-a',
                physicalId: 'arn:a',
                source: 'stack-resources',
                retiredBySwap: true,
              },
            ],
            changes: [
              {
                logicalId: 'Flow',
                resourceType: 'AWS::StepFunctions::StateMachine',
                property: 'DefinitionSubstitutions.Queue',
                before: 'arn:a',
                after: 'arn:b',
              },
            ],
          },
        ],
      },
    } as PlanFile;
    const text = renderPlan(plan, [], 'plans/reproject.plan.json');
    const section = text.slice(text.indexOf('Hand-back'), text.indexOf('Quota'));
    expect(section.trimEnd().split('\n')).toEqual([
      "Hand-back (CloudFormation templates to change to B's names after the swap)",
      '  stack reproject-flows',
      '    owns state machine reproject-stacked as Flow (aws:cloudformation tags)',
      '    owns job queue reproject-a as Queue (DescribeStackResources); retire deletes it: remove it from the stack or import the new one',
      '    ~ property DefinitionSubstitutions.Queue of Flow (AWS::StepFunctions::StateMachine): arn:a → arn:b',
    ]);
  });

  it('has no hand-back section when no stack owns anything', () => {
    expect(renderPlan(planWith([]), [], 'p.json')).not.toContain('Hand-back');
  });
});
