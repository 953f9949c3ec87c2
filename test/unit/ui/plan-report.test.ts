import type { PlanFile } from '../../../src/core/plan';
import type { ResourceDiff } from '../../../src/core/plan-diff';
import { painter, stripColour } from '../../../src/ui/colour';
import { renderPlan, renderSavedPlan } from '../../../src/ui/plan-report';
import { DIFF, planOf } from './plan-fixture';

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

describe('renderPlan: colour, long values and the summary line', () => {
  const QUEUE = 'arn:aws:batch:us-east-1:123456789012:job-queue/';
  const longA = `${QUEUE}${'reproject-workload-with-a-very-long-name-'.repeat(2)}a`;
  const longB = `${QUEUE}${'reproject-workload-with-a-very-long-name-'.repeat(2)}b`;

  it('ends with the summary line, counted from the steps', () => {
    const text = renderPlan(planOf(), DIFF, 'plans/reproject.plan.json');
    expect(text).toContain(
      '\nPlan: 4 to create, 1 to repoint, 4 to delete.\nPlan written to plans/reproject.plan.json: ready.\n',
    );
  });

  it('lists what is deleted once A is drained, from the steps', () => {
    const text = renderPlan(planOf(), DIFF, 'p.json');
    expect(text).toContain('  - job queue reproject-a  (deleted once A is drained)\n');
    expect(text).toContain('  - compute environment reproject-ce-a  (deleted once A is drained)\n');
    expect(text).toContain('  - launch template reproject-lt-a  (deleted once A is drained)\n');
    expect(text).toContain('  - job definition reproject-job-a:4  (deleted once A is drained)\n');
  });

  it('has no escape code without colour, and colours create, repoint, delete and unchanged lines with it', () => {
    const plain = renderPlan(planOf(), DIFF, 'p.json');
    expect(plain).not.toContain('\u001b[');
    const kept: ResourceDiff = { kind: 'job-definition', from: 'x:1', to: 'x:1', action: 'keep', changes: [] };
    const coloured = renderPlan(planOf(), [...DIFF, kept], 'p.json', painter(true));
    expect(coloured).toContain('\u001b[32m  + job queue reproject-b  (copy of reproject-a)\u001b[39m');
    expect(coloured).toContain('\u001b[33m  ~ ingest\u001b[39m');
    expect(coloured).toContain('\u001b[31m  - job queue reproject-a  (deleted once A is drained)\u001b[39m');
    expect(coloured).toContain('\u001b[2m  = job definition x:1  (unchanged, shared by both revisions)\u001b[22m');
    expect(coloured).toContain('\u001b[31m   7. delete-job-queue reproject-a\u001b[39m');
    // The same text once the codes are taken out.
    expect(stripColour(coloured)).toBe(renderPlan(planOf(), [...DIFF, kept], 'p.json'));
  });

  it('shows two long ARNs whole, one above the other, so the differing end is visible', () => {
    const plan = planOf({
      references: [
        {
          name: 'ingest',
          arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:ingest',
          changes: [{ path: ['Fan out', 'Submit'], field: 'JobQueue', before: longA, after: longB }],
          dynamic: [],
          aliases: [],
        },
      ],
    });
    const text = renderPlan(plan, DIFF, 'p.json');
    expect(text).toContain(`      ~ Fan out › Submit  JobQueue:\n          - ${longA}\n          + ${longB}\n`);
    expect(text).not.toContain('…');
  });

  it('keeps a short change on one line and never cuts a long added value', () => {
    const big = { command: Array.from({ length: 40 }, (_, i) => `arg-${i}`) };
    const changes: ResourceDiff['changes'] = [
      { path: 'containerProperties', kind: 'added', after: big },
      { path: 'image', kind: 'changed', before: 'repo:1', after: 'repo:2' },
    ];
    const text = renderPlan(
      planOf(),
      [{ kind: 'job-definition', from: 'j:1', to: 'j-b', action: 'create', changes }],
      'p.json',
    );
    expect(text).toContain(
      `      + containerProperties:\n          + ${JSON.stringify(big)}\n      ~ image: repo:1 → repo:2\n`,
    );
  });

  it('a blocked plan says how many blockers, in the singular for one', () => {
    const one = renderPlan(planOf({ blockers: [{ code: 'X', message: 'no' }] }), DIFF, 'p.json');
    expect(one).toContain('Plan written to p.json: BLOCKED by 1 blocker; promote will refuse it.');
    const two = renderPlan(
      planOf({
        blockers: [
          { code: 'X', message: 'no' },
          { code: 'Y', message: 'no' },
        ],
      }),
      DIFF,
      'p.json',
    );
    expect(two).toContain('BLOCKED by 2 blockers;');
  });
});

describe('renderSavedPlan (batchctl show)', () => {
  it('is the plan report with the fingerprint status first and the promote command last', () => {
    const plan = planOf();
    const saved = renderSavedPlan(plan, 'out/reproject.plan.json', 'intact');
    const lines = saved.split('\n');
    expect(lines[0]).toBe(
      'Plan file out/reproject.plan.json: fingerprint intact (written 2026-08-30T12:00:00.000Z by batchctl 0.1.0). Whether the account still matches it is checked by promote.',
    );
    // The body is exactly what plan printed.
    const body = renderPlan(plan, DIFF, 'out/reproject.plan.json').split('\nPlan written to')[0];
    expect(saved).toContain(
      `\n\n${body}\nPlan out/reproject.plan.json: ready.\nNext: batchctl promote out/reproject.plan.json`,
    );
  });

  it('shows an edited plan, saying so first and last, with the command that plans again from its spec', () => {
    const saved = renderSavedPlan(planOf(), 'out/reproject.plan.json', 'edited');
    expect(saved.split('\n')[0]).toContain('Plan file out/reproject.plan.json: EDITED after it was written');
    expect(saved).toMatch(
      /Plan out\/reproject\.plan\.json: edited; promote will refuse it\.\nPlan again: batchctl plan out\/reproject\.yaml$/,
    );
    expect(saved).not.toContain('Next: batchctl promote');
  });

  it('a plan written before the diff was recorded still lists what is created, from its steps', () => {
    const saved = renderSavedPlan(planOf({ diff: undefined }), 'p.json', 'intact');
    expect(saved).toContain('  (field changes not recorded in this plan file; `batchctl plan` records them)\n');
    expect(saved).toContain('  + launch template reproject-lt-b\n');
    expect(saved).toContain('Plan: 4 to create, 1 to repoint, 4 to delete.');
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
