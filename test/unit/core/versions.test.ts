import {
  classifyHeld,
  distinctTargets,
  versionQuotaBlocker,
  findPublished,
  publishDescription,
  publishOrder,
  routingAfter,
  sameDefinition,
  sameRouting,
  versionNumber,
  versionsToRepublish,
  type PublishTarget,
} from '../../../src/core/versions';

const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:ingest';
const def = (queue: string, step = 'Submit'): string =>
  JSON.stringify({ StartAt: step, States: { [step]: { Type: 'Task', Parameters: { JobQueue: queue }, End: true } } });
const ROLE = 'arn:aws:iam::123456789012:role/workflow';

describe('versionNumber', () => {
  it('reads the number of a version ARN and nothing else', () => {
    expect(versionNumber(`${SM}:12`)).toBe(12);
    expect(versionNumber(`${SM}:live`)).toBeUndefined();
    expect(versionNumber(SM)).toBeUndefined();
  });
});

describe('publishDescription', () => {
  it('names the plan, the source version and the queue, within the 256 characters UpdateStateMachine allows', () => {
    expect(publishDescription('p-0123456789ab', `${SM}:3`, 'reproject-b')).toBe(
      'batchctl p-0123456789ab: version 3 with references moved to reproject-b',
    );
    expect(publishDescription('p-0123456789ab', `${SM}:3`, 'q'.repeat(300))).toHaveLength(256);
  });
});

describe('versionsToRepublish and routingAfter', () => {
  const aliases = [
    {
      name: 'prod',
      arn: `${SM}:prod`,
      routes: [
        { versionArn: `${SM}:1`, weight: 90, referencesLive: true },
        { versionArn: `${SM}:2`, weight: 10, referencesLive: true },
      ],
    },
    {
      name: 'beta',
      arn: `${SM}:beta`,
      routes: [
        { versionArn: `${SM}:2`, weight: 50, referencesLive: true },
        { versionArn: `${SM}:5`, weight: 50, referencesLive: false },
      ],
    },
  ];

  it('lists each version that names A once, in the order the aliases route to them', () => {
    expect(versionsToRepublish(aliases)).toEqual([`${SM}:1`, `${SM}:2`]);
  });

  it('keeps every weight, moving only routes to republished versions', () => {
    const republished = new Map([
      [`${SM}:1`, `${SM}:7`],
      [`${SM}:2`, `${SM}:8`],
    ]);
    expect(routingAfter(aliases[0]?.routes ?? [], republished)).toEqual([
      { versionArn: `${SM}:7`, weight: 90 },
      { versionArn: `${SM}:8`, weight: 10 },
    ]);
    expect(routingAfter(aliases[1]?.routes ?? [], republished)).toEqual([
      { versionArn: `${SM}:8`, weight: 50 },
      { versionArn: `${SM}:5`, weight: 50 },
    ]);
  });

  it('compares routings regardless of order, but not of weight', () => {
    const a = [
      { versionArn: `${SM}:1`, weight: 90 },
      { versionArn: `${SM}:2`, weight: 10 },
    ];
    expect(sameRouting(a, [...a].reverse())).toBe(true);
    expect(
      sameRouting(a, [
        { versionArn: `${SM}:1`, weight: 10 },
        { versionArn: `${SM}:2`, weight: 90 },
      ]),
    ).toBe(false);
  });
});

describe('copies that come out identical', () => {
  const target = (source: string): PublishTarget => ({
    source,
    definition: def('q-b'),
    roleArn: ROLE,
    description: publishDescription('p-1', source, 'q-b'),
  });

  it('are published once: both sources map to the first one’s copy', () => {
    const { distinct, same } = distinctTargets([target(`${SM}:1`), target(`${SM}:2`)]);
    expect(distinct.map((t) => t.source)).toStrictEqual([`${SM}:1`]);
    expect(same.get(`${SM}:2`)).toBe(`${SM}:1`);
    expect(same.get(`${SM}:1`)).toBe(`${SM}:1`);
  });

  it('keep copies apart that differ in definition or role', () => {
    const other = { ...target(`${SM}:2`), roleArn: `${ROLE}-v2` };
    expect(distinctTargets([target(`${SM}:1`), other]).distinct).toHaveLength(2);
  });

  it('route to the shared copy once, with the weights added up (an alias may not name one version twice)', () => {
    const republished = new Map([
      [`${SM}:1`, `${SM}:7`],
      [`${SM}:2`, `${SM}:7`],
    ]);
    expect(
      routingAfter(
        [
          { versionArn: `${SM}:1`, weight: 90 },
          { versionArn: `${SM}:2`, weight: 10 },
        ],
        republished,
      ),
    ).toStrictEqual([{ versionArn: `${SM}:7`, weight: 100 }]);
  });
});

describe('sameDefinition', () => {
  it('ignores whitespace and key order, not content', () => {
    expect(sameDefinition(def('a'), JSON.stringify(JSON.parse(def('a')), null, 2))).toBe(true);
    expect(sameDefinition(def('a'), def('b'))).toBe(false);
    expect(sameDefinition('not json', 'not json ')).toBe(false);
  });
});

describe('publishOrder', () => {
  it('publishes last the version identical to the final snapshot, so no final update is needed', () => {
    const final = { definition: def('b'), roleArn: ROLE };
    const targets = [
      { source: '1', definition: def('b'), roleArn: ROLE },
      { source: '2', definition: def('b', 'Other'), roleArn: ROLE },
      { source: '3', definition: def('b'), roleArn: `${ROLE}-old` },
    ];
    expect(publishOrder(targets, final).map((t) => t.source)).toEqual(['2', '3', '1']);
  });
});

describe('classifyHeld', () => {
  const planned = { definition: def('a', 'Current'), roleArn: ROLE };
  const final = { definition: def('b', 'Current'), roleArn: ROLE };
  const publishing = [
    { definition: def('b', 'V1'), roleArn: `${ROLE}-old` },
    { definition: def('b', 'V2'), roleArn: ROLE },
  ];

  it('tells the planned definition, its rewrite and a version left by a stopped run from a change made since', () => {
    expect(classifyHeld(planned, planned, final, publishing)).toBe('planned');
    expect(classifyHeld(final, planned, final, publishing)).toBe('final');
    expect(classifyHeld(publishing[0] ?? final, planned, final, publishing)).toBe('publishing');
    expect(classifyHeld({ definition: def('a', 'Edited'), roleArn: ROLE }, planned, final, publishing)).toBe('changed');
  });

  it('counts a role changed since as a change', () => {
    expect(classifyHeld({ ...final, roleArn: `${ROLE}-other` }, planned, final, publishing)).toBe('changed');
  });
});

describe('findPublished', () => {
  const target = (source: string, queue: string): PublishTarget => ({
    source,
    definition: def(queue, `From${source}`),
    roleArn: ROLE,
    description: `batchctl p-0123456789ab: version ${source} with references moved to b`,
  });

  it('finds this plan’s copy by description, definition and role, the newest when there are several', () => {
    const t1 = target('1', 'b');
    const t2 = target('2', 'b');
    const found = findPublished(
      [t1, t2],
      [
        { arn: `${SM}:3`, ...t1 },
        { arn: `${SM}:5`, ...t1 },
        // Same description, other definition (B's job definition revision changed since): not a copy.
        { arn: `${SM}:4`, ...t2, definition: def('c', 'From2') },
        // Same definition, another plan's description: not this plan's.
        { arn: `${SM}:6`, ...t2, description: 'batchctl p-ffffffffffff: version 2 with references moved to b' },
      ],
    );
    expect([...found]).toEqual([['1', `${SM}:5`]]);
  });

  it('does not take a copy published with another role', () => {
    const t1 = target('1', 'b');
    expect(findPublished([t1], [{ arn: `${SM}:3`, ...t1, roleArn: `${ROLE}-other` }]).size).toBe(0);
  });
});

describe('versionQuotaBlocker', () => {
  it('blocks when the copies promote publishes would pass 1,000 versions, naming the state machine', () => {
    expect(versionQuotaBlocker('ingest', 999, 2)).toMatchObject({ code: 'VersionQuota', resource: 'ingest' });
    expect(versionQuotaBlocker('ingest', 999, 2)?.message).toContain(
      'has 999 published versions; promote must publish 2 more',
    );
  });

  it('lets a plan through that stays within the limit, or publishes nothing', () => {
    expect(versionQuotaBlocker('ingest', 998, 2)).toBeUndefined();
    expect(versionQuotaBlocker('ingest', 1000, 0)).toBeUndefined();
  });
});
