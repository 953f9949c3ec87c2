import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  detectIndentation,
  rewriteDefinition,
  type Change,
  type RewritePlan,
} from '../../../../src/core/references/rewrite';
import { DefinitionParseError } from '../../../../src/core/references/walk';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixtures are edited freely

const ACCOUNT = '123456789012';
const QUEUE_ARN = (name: string) => `arn:aws:batch:us-east-1:${ACCOUNT}:job-queue/${name}`;
const JD_ARN = (name: string) => `arn:aws:batch:us-east-1:${ACCOUNT}:job-definition/${name}`;
const SUBMIT_SYNC = 'arn:aws:states:::batch:submitJob.sync';

const PLAN: RewritePlan = {
  queue: {
    from: { name: 'reproject-a', arn: QUEUE_ARN('reproject-a') },
    to: { name: 'reproject-b', arn: QUEUE_ARN('reproject-b') },
  },
  jobDefinitions: [
    {
      from: { name: 'reproject-job-a', arn: JD_ARN('reproject-job-a') },
      to: { name: 'reproject-job-b', arn: JD_ARN('reproject-job-b'), revision: 1 },
    },
    {
      from: { name: 'tile-job-a', arn: JD_ARN('tile-job-a') },
      to: { name: 'tile-job-b', arn: JD_ARN('tile-job-b'), revision: 5 },
    },
  ],
};

function single(parameters: Json, state: Json = {}, top: Json = {}): Json {
  return {
    Comment: 'one task',
    ...top,
    StartAt: 'Submit',
    States: {
      Submit: { Type: 'Task', Resource: SUBMIT_SYNC, Parameters: parameters, End: true, ...state },
    },
  };
}

const text = (value: unknown, indent: string | number = 2): string => JSON.stringify(value, null, indent);
const clone = (value: Json): Json => JSON.parse(JSON.stringify(value)) as Json;

/** Rewrites, then checks that rewriting the output again changes nothing. */
function rewriteTwice(definition: string, plan: RewritePlan = PLAN) {
  const first = rewriteDefinition(definition, plan);
  const second = rewriteDefinition(first.definition, plan);
  expect(second.changes).toEqual([]);
  expect(second.definition).toBe(first.definition);
  return first;
}

describe('rewriteDefinition: keeps the written form', () => {
  it.each<[string, 'JobQueue' | 'JobDefinition', string, string]>([
    ['queue name → B name', 'JobQueue', 'reproject-a', 'reproject-b'],
    ['queue ARN → B ARN', 'JobQueue', QUEUE_ARN('reproject-a'), QUEUE_ARN('reproject-b')],
    ['name → B name', 'JobDefinition', 'reproject-job-a', 'reproject-job-b'],
    ['name:rev → B:to.revision', 'JobDefinition', 'reproject-job-a:3', 'reproject-job-b:1'],
    ['ARN → B ARN without revision', 'JobDefinition', JD_ARN('reproject-job-a'), JD_ARN('reproject-job-b')],
    [
      'ARN:rev → B ARN:to.revision',
      'JobDefinition',
      `${JD_ARN('reproject-job-a')}:4`,
      `${JD_ARN('reproject-job-b')}:1`,
    ],
    ['second mapping name:rev', 'JobDefinition', 'tile-job-a:2', 'tile-job-b:5'],
    ['second mapping ARN', 'JobDefinition', JD_ARN('tile-job-a'), JD_ARN('tile-job-b')],
  ])('%s', (_label, field, before, after) => {
    const input = single({ JobName: 'job', [field]: before });
    const expected = single({ JobName: 'job', [field]: after });
    const result = rewriteTwice(text(input));
    expect(result.changes).toEqual<Change[]>([{ path: ['Submit'], field, before, after }]);
    expect(result.definition).toBe(text(expected));
  });

  it('drops the revision when to.revision is absent', () => {
    const plan: RewritePlan = {
      queue: PLAN.queue,
      jobDefinitions: [
        {
          from: { name: 'reproject-job-a', arn: JD_ARN('reproject-job-a') },
          to: { name: 'reproject-job-b', arn: JD_ARN('reproject-job-b') },
        },
      ],
    };
    const definition = {
      StartAt: 'A',
      States: {
        A: { Type: 'Task', Resource: SUBMIT_SYNC, Parameters: { JobDefinition: 'reproject-job-a:3' }, Next: 'B' },
        B: {
          Type: 'Task',
          Resource: SUBMIT_SYNC,
          Parameters: { JobDefinition: `${JD_ARN('reproject-job-a')}:4` },
          End: true,
        },
      },
    };
    expect(rewriteTwice(text(definition), plan).changes).toEqual<Change[]>([
      { path: ['A'], field: 'JobDefinition', before: 'reproject-job-a:3', after: 'reproject-job-b' },
      {
        path: ['B'],
        field: 'JobDefinition',
        before: `${JD_ARN('reproject-job-a')}:4`,
        after: JD_ARN('reproject-job-b'),
      },
    ]);
  });

  it('strips a revision from to.arn before writing B’s ARN', () => {
    const plan: RewritePlan = {
      queue: PLAN.queue,
      jobDefinitions: [
        {
          from: { name: 'reproject-job-a', arn: `${JD_ARN('reproject-job-a')}:4` },
          to: { name: 'reproject-job-b', arn: `${JD_ARN('reproject-job-b')}:9`, revision: 9 },
        },
      ],
    };
    const unpinned = rewriteDefinition(text(single({ JobDefinition: JD_ARN('reproject-job-a') })), plan);
    const pinned = rewriteDefinition(text(single({ JobDefinition: `${JD_ARN('reproject-job-a')}:2` })), plan);
    expect(unpinned.changes.map((c) => c.after)).toEqual([JD_ARN('reproject-job-b')]);
    expect(pinned.changes.map((c) => c.after)).toEqual([`${JD_ARN('reproject-job-b')}:9`]);
  });

  it('rewrites an aws-cn workload', () => {
    const cnQueue = (name: string) => `arn:aws-cn:batch:cn-north-1:${ACCOUNT}:job-queue/${name}`;
    const plan: RewritePlan = {
      queue: {
        from: { name: 'reproject-a', arn: cnQueue('reproject-a') },
        to: { name: 'reproject-b', arn: cnQueue('reproject-b') },
      },
      jobDefinitions: [],
    };
    const definition = single(
      { JobQueue: cnQueue('reproject-a') },
      { Resource: 'arn:aws-cn:states:::batch:submitJob.sync' },
    );
    const result = rewriteTwice(text(definition), plan);
    expect(result.changes).toEqual<Change[]>([
      { path: ['Submit'], field: 'JobQueue', before: cnQueue('reproject-a'), after: cnQueue('reproject-b') },
    ]);
    // The plan for the aws partition does not touch the aws-cn ARN.
    expect(rewriteDefinition(text(definition), PLAN).changes).toEqual([]);
  });
});

describe('rewriteDefinition: B reuses A’s job-definition name', () => {
  const SAME_NAME: RewritePlan = {
    queue: PLAN.queue,
    jobDefinitions: [
      {
        from: { name: 'reproject-job-a', arn: JD_ARN('reproject-job-a') },
        to: { name: 'reproject-job-a', arn: JD_ARN('reproject-job-a'), revision: 7 },
      },
    ],
  };
  const states = (values: string[]): Json => ({
    StartAt: 'S0',
    States: Object.fromEntries(
      values.map((value, i) => [
        `S${i}`,
        {
          Type: 'Task',
          Resource: SUBMIT_SYNC,
          Parameters: { JobDefinition: value },
          ...(i === values.length - 1 ? { End: true } : { Next: `S${i + 1}` }),
        },
      ]),
    ),
  });

  it('leaves unpinned refs alone and moves pinned refs to the new revision', () => {
    const values = [
      'reproject-job-a',
      'reproject-job-a:3',
      JD_ARN('reproject-job-a'),
      `${JD_ARN('reproject-job-a')}:4`,
      'reproject-job-a:7',
    ];
    const result = rewriteTwice(text(states(values)), SAME_NAME);
    expect(result.changes).toEqual<Change[]>([
      { path: ['S1'], field: 'JobDefinition', before: 'reproject-job-a:3', after: 'reproject-job-a:7' },
      {
        path: ['S3'],
        field: 'JobDefinition',
        before: `${JD_ARN('reproject-job-a')}:4`,
        after: `${JD_ARN('reproject-job-a')}:7`,
      },
    ]);
    expect(result.definition).toBe(
      text(
        states([
          'reproject-job-a',
          'reproject-job-a:7',
          JD_ARN('reproject-job-a'),
          `${JD_ARN('reproject-job-a')}:7`,
          'reproject-job-a:7',
        ]),
      ),
    );
  });

  it('with from.revisions, moves only pins to A’s ACTIVE revisions', () => {
    const plan: RewritePlan = {
      queue: PLAN.queue,
      jobDefinitions: [
        { from: { ...SAME_NAME.jobDefinitions[0]!.from, revisions: [3, 4] }, to: SAME_NAME.jobDefinitions[0]!.to },
      ],
    };
    const result = rewriteTwice(
      text(states(['reproject-job-a:2', 'reproject-job-a:3', 'reproject-job-a:4', 'reproject-job-a:8'])),
      plan,
    );
    expect(result.changes.map((c) => `${c.before} → ${c.after}`)).toEqual([
      'reproject-job-a:3 → reproject-job-a:7',
      'reproject-job-a:4 → reproject-job-a:7',
    ]);
  });

  it('without from.revisions, moves every pinned revision except the new one', () => {
    const result = rewriteTwice(
      text(states(['reproject-job-a:2', 'reproject-job-a:7', 'reproject-job-a:8'])),
      SAME_NAME,
    );
    expect(result.changes.map((c) => `${c.before} → ${c.after}`)).toEqual([
      'reproject-job-a:2 → reproject-job-a:7',
      'reproject-job-a:8 → reproject-job-a:7',
    ]);
  });
});

describe('rewriteDefinition: leaves everything else untouched', () => {
  it.each<[string, Json]>([
    ['a dynamic JSONPath queue whose expression is the queue name', single({ 'JobQueue.$': 'reproject-a' })],
    ['a dynamic $$.Execution.Input queue', single({ 'JobQueue.$': '$$.Execution.Input.reproject-a' })],
    ['a dynamic job definition', single({ 'JobDefinition.$': "States.Format('{}:3', 'reproject-job-a')" })],
    [
      'a JSONata expression',
      single(
        {},
        { Parameters: undefined, Arguments: { JobQueue: "{% 'reproject-a' %}" } },
        { QueryLanguage: 'JSONata' },
      ),
    ],
    [
      'a JobName and overrides that contain the names',
      single({
        JobName: 'reproject-a',
        ContainerOverrides: { Command: ['reproject-a', 'reproject-job-a'] },
        Tags: { queue: 'reproject-a' },
      }),
    ],
    [
      'the nested JSONPath job-parameter map',
      single({ Parameters: { JobQueue: 'reproject-a', JobDefinition: 'reproject-job-a' } }),
    ],
    [
      'the nested JSONata Arguments map',
      single(
        {},
        { Parameters: undefined, Arguments: { Arguments: { JobQueue: 'reproject-a' } } },
        { QueryLanguage: 'JSONata' },
      ),
    ],
    ['another account’s queue ARN', single({ JobQueue: 'arn:aws:batch:us-east-1:210987654321:job-queue/reproject-a' })],
    [
      'another region’s job-definition ARN',
      single({ JobDefinition: 'arn:aws:batch:eu-west-1:123456789012:job-definition/reproject-job-a:3' }),
    ],
    ['look-alike queues', single({ JobQueue: 'reproject-ab' })],
    ['look-alike prefixed queues', single({ JobQueue: 'xreproject-a' })],
    ['look-alike job definitions', single({ JobDefinition: 'reproject-job-ab:3' })],
    ['B’s own names (already rewritten)', single({ JobQueue: 'reproject-b', JobDefinition: 'reproject-job-b:1' })],
    ['a queue name in the JobDefinition field', single({ JobDefinition: 'reproject-a' })],
    [
      'a lambda:invoke with JobQueue parameters',
      single(
        { FunctionName: 'f', JobQueue: 'reproject-a', Payload: { JobQueue: 'reproject-a' } },
        { Resource: 'arn:aws:states:::lambda:invoke' },
      ),
    ],
    [
      'an unknown Batch integration',
      single({ JobQueue: 'reproject-a' }, { Resource: 'arn:aws:states:::batch:submitJob.foo' }),
    ],
    [
      'a Pass state with a JobQueue',
      single({ JobQueue: 'reproject-a' }, { Type: 'Pass', Result: { JobQueue: 'reproject-a' } }),
    ],
    [
      'ComputeEnvironment fields of aws-sdk actions',
      single(
        { ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: 'reproject-a' }] },
        { Resource: 'arn:aws:states:::aws-sdk:batch:updateJobQueue' },
      ),
    ],
  ])('%s', (_label, definition) => {
    const input = text(definition);
    const result = rewriteDefinition(input, PLAN);
    expect(result.changes).toEqual([]);
    expect(result.definition).toBe(input);
  });

  it('returns the input text unchanged, formatting and all, when nothing matches', () => {
    const input = '  {"StartAt" :"A","States":{ "A":{"Type":"Succeed"} } , "TimeoutSeconds": 1.0}\n\n';
    expect(rewriteDefinition(input, PLAN)).toEqual({ definition: input, changes: [] });
  });

  it('changes only the matching field of a task that also has dynamic and other fields', () => {
    const input = single({
      JobName: 'reproject-a',
      'JobQueue.$': '$.queue',
      JobDefinition: 'reproject-job-a:3',
      Parameters: { JobQueue: 'reproject-a' },
    });
    const expected = clone(input);
    expected.States.Submit.Parameters.JobDefinition = 'reproject-job-b:1';
    const result = rewriteTwice(text(input));
    expect(result.changes).toEqual<Change[]>([
      { path: ['Submit'], field: 'JobDefinition', before: 'reproject-job-a:3', after: 'reproject-job-b:1' },
    ]);
    expect(result.definition).toBe(text(expected));
  });

  it('rewrites both containers when a state has Parameters and Arguments', () => {
    const input = single(
      { JobQueue: 'reproject-a' },
      { Arguments: { JobQueue: QUEUE_ARN('reproject-a') } },
      { QueryLanguage: 'JSONata' },
    );
    const result = rewriteTwice(text(input));
    expect(result.changes.map((c) => c.after)).toEqual(['reproject-b', QUEUE_ARN('reproject-b')]);
    const output = JSON.parse(result.definition) as Json;
    expect(output.States.Submit.Parameters).toEqual({ JobQueue: 'reproject-b' });
    expect(output.States.Submit.Arguments).toEqual({ JobQueue: QUEUE_ARN('reproject-b') });
  });

  it('rewrites aws-sdk actions, leaving their compute environments alone', () => {
    const input = single(
      {
        JobQueue: 'reproject-a',
        State: 'DISABLED',
        ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: 'reproject-a' }],
      },
      { Resource: 'arn:aws:states:::aws-sdk:batch:updateJobQueue' },
    );
    const expected = clone(input);
    expected.States.Submit.Parameters.JobQueue = 'reproject-b';
    const result = rewriteTwice(text(input));
    expect(result.changes).toEqual<Change[]>([
      { path: ['Submit'], field: 'JobQueue', before: 'reproject-a', after: 'reproject-b' },
    ]);
    expect(result.definition).toBe(text(expected));
  });
});

describe('rewriteDefinition: whole fixtures', () => {
  const nestedExpected = (): Json => {
    const expected = JSON.parse(fixture('nested-jsonpath.json')) as Json;
    const top = expected.States.Split.Branches[0].States['Submit top'].Parameters;
    top.JobQueue = QUEUE_ARN('reproject-b');
    top.JobDefinition = 'reproject-job-b:1';
    const deep =
      expected.States.Split.Branches[1].States['Fan out'].ItemProcessor.States['Inner split'].Branches[0].States[
        'Submit deep'
      ].Parameters;
    deep.JobQueue = 'reproject-b';
    deep.JobDefinition = JD_ARN('tile-job-b');
    const legacy = expected.States['Legacy map'].Iterator.States['Submit legacy'].Parameters;
    legacy.JobQueue = 'reproject-b';
    legacy.JobDefinition = `${JD_ARN('reproject-job-b')}:1`;
    expected.States.Distributed.ItemProcessor.States['Submit distributed'].Parameters.JobDefinition = 'reproject-job-b';
    return expected;
  };

  it('rewrites the nested JSONPath fixture at every depth and nothing else', () => {
    const input = fixture('nested-jsonpath.json');
    const result = rewriteTwice(input);
    const deep = ['Split', 'Branches[1]', 'Fan out', 'ItemProcessor', 'Inner split', 'Branches[0]', 'Submit deep'];
    expect(result.changes).toEqual<Change[]>([
      {
        path: ['Split', 'Branches[0]', 'Submit top'],
        field: 'JobQueue',
        before: QUEUE_ARN('reproject-a'),
        after: QUEUE_ARN('reproject-b'),
      },
      {
        path: ['Split', 'Branches[0]', 'Submit top'],
        field: 'JobDefinition',
        before: 'reproject-job-a:3',
        after: 'reproject-job-b:1',
      },
      { path: deep, field: 'JobQueue', before: 'reproject-a', after: 'reproject-b' },
      { path: deep, field: 'JobDefinition', before: JD_ARN('tile-job-a'), after: JD_ARN('tile-job-b') },
      {
        path: ['Legacy map', 'Iterator', 'Submit legacy'],
        field: 'JobQueue',
        before: 'reproject-a',
        after: 'reproject-b',
      },
      {
        path: ['Legacy map', 'Iterator', 'Submit legacy'],
        field: 'JobDefinition',
        before: `${JD_ARN('reproject-job-a')}:4`,
        after: `${JD_ARN('reproject-job-b')}:1`,
      },
      {
        path: ['Distributed', 'ItemProcessor', 'Submit distributed'],
        field: 'JobDefinition',
        before: 'reproject-job-a',
        after: 'reproject-job-b',
      },
    ]);
    // Two-space fixture with a trailing newline: same indentation, same trailing newline, everything else equal.
    expect(result.definition).toBe(`${text(nestedExpected())}\n`);
    const output = JSON.parse(result.definition) as Json;
    expect(output.States.Distributed.ItemProcessor.States['Submit distributed'].Parameters['JobQueue.$']).toBe(
      '$.queue',
    );
    expect(output.States.Split.Branches[0].States['Submit top'].Parameters.JobName).toBe('reproject-a-top');
    expect(output.States.Split.Branches[0].States['Submit top'].Parameters.ContainerOverrides.Command).toEqual([
      'reproject',
      '--queue',
      'reproject-a',
    ]);
  });

  it('rewrites the JSONata fixture: static Arguments, the JSONPath override and the aws-sdk task; not the Assign or expressions', () => {
    const input = fixture('jsonata.json');
    const result = rewriteTwice(input);
    expect(result.changes).toEqual<Change[]>([
      { path: ['Submit'], field: 'JobQueue', before: QUEUE_ARN('reproject-a'), after: QUEUE_ARN('reproject-b') },
      { path: ['Submit'], field: 'JobDefinition', before: 'reproject-job-a', after: 'reproject-job-b' },
      { path: ['Legacy path'], field: 'JobDefinition', before: 'reproject-job-a:3', after: 'reproject-job-b:1' },
      {
        path: ['Per tile', 'ItemProcessor', 'Submit tile'],
        field: 'JobQueue',
        before: 'reproject-a',
        after: 'reproject-b',
      },
      {
        path: ['Per tile', 'ItemProcessor', 'Submit tile'],
        field: 'JobDefinition',
        before: `${JD_ARN('tile-job-a')}:2`,
        after: `${JD_ARN('tile-job-b')}:5`,
      },
    ]);
    const expected = JSON.parse(input) as Json;
    expected.States.Submit.Arguments.JobQueue = QUEUE_ARN('reproject-b');
    expected.States.Submit.Arguments.JobDefinition = 'reproject-job-b';
    expected.States['Legacy path'].Parameters.JobDefinition = 'reproject-job-b:1';
    expected.States['Per tile'].ItemProcessor.States['Submit tile'].Arguments.JobQueue = 'reproject-b';
    expected.States['Per tile'].ItemProcessor.States['Submit tile'].Arguments.JobDefinition =
      `${JD_ARN('tile-job-b')}:5`;
    expect(result.definition).toBe(`${text(expected)}\n`);
    const output = JSON.parse(result.definition) as Json;
    expect(output.States.Pick.Assign).toEqual({ queue: 'reproject-a' });
    expect(output.States.Submit.Arguments.Arguments).toEqual({
      JobQueue: 'reproject-a',
      Key1: '{% $states.input.value %}',
    });
    expect(output.States.Dynamic.Arguments.JobQueue).toBe('{% $queue %}');
  });

  it.each<[string, string | number, (s: string) => string]>([
    ['4 spaces', 4, (s) => s],
    ['a tab', '\t', (s) => s],
    ['3 spaces', 3, (s) => s],
    ['minified', 0, (s) => s],
    ['2 spaces with CRLF and a trailing newline', 2, (s) => `${s.replace(/\n/g, '\r\n')}\r\n`],
    ['tab with leading and trailing whitespace', '\t', (s) => `\n${s}\n\n`],
  ])('keeps the indentation of an input indented with %s', (_label, indent, decorate) => {
    const input = decorate(text(JSON.parse(fixture('nested-jsonpath.json')), indent));
    const result = rewriteTwice(input);
    expect(result.changes).toHaveLength(7);
    expect(result.definition).toBe(decorate(text(nestedExpected(), indent)));
  });
});

describe('rewriteDefinition: errors', () => {
  it('throws DefinitionParseError for malformed JSON', () => {
    expect(() => rewriteDefinition('{"States": {"A": ', PLAN)).toThrow(DefinitionParseError);
    expect(() => rewriteDefinition('not json', PLAN)).toThrow(/^State machine definition is not valid JSON: /);
  });

  it('throws DefinitionParseError without States', () => {
    expect(() => rewriteDefinition('{"StartAt": "A"}', PLAN)).toThrow(
      new DefinitionParseError('State machine definition has no "States" object.'),
    );
  });
});

describe('detectIndentation', () => {
  it.each<[string, string, string | number]>([
    ['2 spaces', '{\n  "a": {\n    "b": 1\n  }\n}', 2],
    ['4 spaces', '{\n    "a": 1\n}', 4],
    ['a tab', '{\n\t"a": {\n\t\t"b": 1\n\t}\n}', '\t'],
    ['CRLF 4 spaces', '{\r\n    "a": 1\r\n}\r\n', 4],
    ['minified', '{"a":{"b":1}}', 0],
    ['one line with spaces', '{ "a": 1 }', 0],
    ['the smallest indentation, not the first', '{\n      "a": 1,\n  "b": 2\n}', 2],
    ['no indentation on several lines', '{\n"a": 1\n}', 2],
    ['an empty text', '   ', 2],
    ['more than 10 spaces (clamped)', '{\n            "a": 1\n}', 10],
    ['blank lines ignored', '{\n\n  \n   "a": 1\n}', 3],
  ])('%s', (_label, input, expected) => {
    expect(detectIndentation(input)).toBe(expected);
  });
});
