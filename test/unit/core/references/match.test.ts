import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  definitionNames,
  jobDefinitionsUsedWithQueue,
  matchJobDefinition,
  matchQueue,
  matchReferences,
  revisionMatches,
  type JobDefinitionUse,
  type Reference,
  type WorkloadTarget,
} from '../../../../src/core/references/match';
import { collectBatchTasks, type BatchTaskLocation } from '../../../../src/core/references/walk';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

const ACCOUNT = '123456789012';
const QUEUE_A_ARN = `arn:aws:batch:us-east-1:${ACCOUNT}:job-queue/reproject-a`;
const JD_ARN = (name: string) => `arn:aws:batch:us-east-1:${ACCOUNT}:job-definition/${name}`;
const SUBMIT_SYNC = 'arn:aws:states:::batch:submitJob.sync';

const TARGET: WorkloadTarget = {
  queue: { name: 'reproject-a', arn: QUEUE_A_ARN },
  jobDefinitions: [
    { name: 'reproject-job-a', arn: JD_ARN('reproject-job-a'), revisions: [3, 4] },
    { name: 'tile-job-a', arn: JD_ARN('tile-job-a'), revisions: [2] },
  ],
};

/** Tasks of a definition with one top-level Task state per entry, named after the entry key. */
function tasksOf(
  states: Record<string, { Resource?: string; Parameters?: unknown; Arguments?: unknown; QueryLanguage?: string }>,
  top: Record<string, unknown> = {},
) {
  const built = Object.fromEntries(
    Object.entries(states).map(([name, s]) => [name, { Type: 'Task', Resource: SUBMIT_SYNC, End: true, ...s }]),
  );
  return collectBatchTasks({ ...top, StartAt: Object.keys(states)[0], States: built });
}

const location = (stateName: string, overrides: Partial<BatchTaskLocation> = {}): BatchTaskLocation => ({
  path: [stateName],
  stateName,
  resource: SUBMIT_SYNC,
  integration: 'optimized.sync',
  action: 'submitJob',
  pattern: 'sync',
  queryLanguage: 'JSONPath',
  ...overrides,
});

/** Compact view of static references: `state field value form revision`. */
const compact = (refs: Reference[]) =>
  refs.map((r) =>
    r.kind === 'static'
      ? `${r.task.stateName} ${r.field} ${r.value} ${r.form}${r.revision === undefined ? '' : ` ${r.revision}`}`
      : `${r.task.stateName} ${r.field} dynamic ${r.expression}`,
  );

describe('matchReferences: queue', () => {
  it('matches the queue by name and by ARN, with exact reference objects', () => {
    const tasks = tasksOf({
      'By name': { Parameters: { JobQueue: 'reproject-a' } },
      'By ARN': { Parameters: { JobQueue: QUEUE_A_ARN } },
    });
    expect(matchReferences(tasks, TARGET)).toEqual<Reference[]>([
      {
        kind: 'static',
        field: 'JobQueue',
        task: location('By name'),
        container: 'Parameters',
        pointer: ['Parameters', 'JobQueue'],
        value: 'reproject-a',
        form: 'name',
        name: 'reproject-a',
      },
      {
        kind: 'static',
        field: 'JobQueue',
        task: location('By ARN'),
        container: 'Parameters',
        pointer: ['Parameters', 'JobQueue'],
        value: QUEUE_A_ARN,
        form: 'arn',
        name: 'reproject-a',
      },
    ]);
  });

  it.each([
    ['another account', 'arn:aws:batch:us-east-1:210987654321:job-queue/reproject-a'],
    ['another region', 'arn:aws:batch:eu-west-1:123456789012:job-queue/reproject-a'],
    ['another partition', 'arn:aws-cn:batch:us-east-1:123456789012:job-queue/reproject-a'],
    ['another service', 'arn:aws:sqs:us-east-1:123456789012:job-queue/reproject-a'],
    ['a job-definition ARN with the queue name', JD_ARN('reproject-a')],
    [
      'a compute-environment ARN with the queue name',
      'arn:aws:batch:us-east-1:123456789012:compute-environment/reproject-a',
    ],
    ['a look-alike longer name', 'reproject-ab'],
    ['a look-alike prefixed name', 'xreproject-a'],
    ['a different case', 'Reproject-A'],
    ['a look-alike ARN', 'arn:aws:batch:us-east-1:123456789012:job-queue/reproject-ab'],
    ['a look-alike prefixed ARN', 'arn:aws:batch:us-east-1:123456789012:job-queue/xreproject-a'],
    ['a queue ARN with a trailing segment', `${QUEUE_A_ARN}/extra`],
    ['surrounding whitespace', ' reproject-a'],
  ])('does not match %s', (_label, value) => {
    expect(matchReferences(tasksOf({ S: { Parameters: { JobQueue: value } } }), TARGET)).toEqual([]);
    expect(matchQueue(value, TARGET.queue)).toBeUndefined();
  });

  it('matches an aws-cn queue ARN when the target lives in aws-cn', () => {
    const arn = 'arn:aws-cn:batch:cn-north-1:123456789012:job-queue/reproject-a';
    const target: WorkloadTarget = { queue: { name: 'reproject-a', arn }, jobDefinitions: [] };
    const tasks = tasksOf({
      China: { Resource: 'arn:aws-cn:states:::batch:submitJob.sync', Parameters: { JobQueue: arn } },
    });
    expect(compact(matchReferences(tasks, target))).toEqual([`China JobQueue ${arn} arn`]);
    expect(compact(matchReferences(tasks, TARGET))).toEqual([]);
  });

  it('does not take a queue value in the JobDefinition field, nor a job definition in the JobQueue field', () => {
    const tasks = tasksOf({
      Swapped: { Parameters: { JobQueue: JD_ARN('reproject-job-a'), JobDefinition: 'reproject-a' } },
    });
    expect(matchReferences(tasks, TARGET)).toEqual([]);
  });
});

describe('matchReferences: job definitions', () => {
  it('matches name, name:rev, ARN and ARN:rev and records the revision (or latest)', () => {
    const tasks = tasksOf({
      Name: { Parameters: { JobDefinition: 'reproject-job-a' } },
      'Name rev': { Parameters: { JobDefinition: 'reproject-job-a:4' } },
      Arn: { Parameters: { JobDefinition: JD_ARN('tile-job-a') } },
      'Arn rev': { Parameters: { JobDefinition: `${JD_ARN('reproject-job-a')}:3` } },
    });
    const refs = matchReferences(tasks, TARGET);
    expect(compact(refs)).toEqual([
      'Name JobDefinition reproject-job-a name latest',
      'Name rev JobDefinition reproject-job-a:4 name 4',
      `Arn JobDefinition ${JD_ARN('tile-job-a')} arn latest`,
      `Arn rev JobDefinition ${JD_ARN('reproject-job-a')}:3 arn 3`,
    ]);
    expect(refs[3]).toEqual<Reference>({
      kind: 'static',
      field: 'JobDefinition',
      task: location('Arn rev'),
      container: 'Parameters',
      pointer: ['Parameters', 'JobDefinition'],
      value: `${JD_ARN('reproject-job-a')}:3`,
      form: 'arn',
      name: 'reproject-job-a',
      revision: 3,
    });
  });

  it('does not match a pinned revision that is not one of A’s ACTIVE revisions (e.g. B’s new revision)', () => {
    const tasks = tasksOf({
      Five: { Parameters: { JobDefinition: 'reproject-job-a:5' } },
      'Arn five': { Parameters: { JobDefinition: `${JD_ARN('reproject-job-a')}:5` } },
      'Tile three': { Parameters: { JobDefinition: 'tile-job-a:3' } },
    });
    expect(matchReferences(tasks, TARGET)).toEqual([]);
  });

  it('matches every revision when the target’s revision list is empty (unknown)', () => {
    const target: WorkloadTarget = {
      queue: TARGET.queue,
      jobDefinitions: [{ name: 'reproject-job-a', arn: JD_ARN('reproject-job-a'), revisions: [] }],
    };
    const tasks = tasksOf({ Nine: { Parameters: { JobDefinition: 'reproject-job-a:9' } } });
    expect(compact(matchReferences(tasks, target))).toEqual(['Nine JobDefinition reproject-job-a:9 name 9']);
  });

  it.each([
    ['a longer look-alike', 'reproject-job-ab'],
    ['a prefixed look-alike', 'xreproject-job-a'],
    ['a look-alike with revision', 'reproject-job-ab:3'],
    ['another account’s ARN', 'arn:aws:batch:us-east-1:210987654321:job-definition/reproject-job-a:3'],
    ['another region’s ARN', 'arn:aws:batch:us-west-2:123456789012:job-definition/reproject-job-a'],
    ['a job-queue ARN with the same name', 'arn:aws:batch:us-east-1:123456789012:job-queue/reproject-job-a'],
    ['an unparseable revision', 'reproject-job-a:latest'],
    ['an empty string', ''],
  ])('does not match %s', (_label, value) => {
    expect(matchReferences(tasksOf({ S: { Parameters: { JobDefinition: value } } }), TARGET)).toEqual([]);
  });
});

describe('matchReferences: dynamic values', () => {
  it('reports every dynamic JobQueue / JobDefinition of every Batch task, whatever it evaluates to', () => {
    const tasks = tasksOf({
      Path: { Parameters: { 'JobQueue.$': '$.x', JobDefinition: 'unrelated-job' } },
      Context: { Parameters: { 'JobQueue.$': '$$.Execution.Input.queue' } },
      Variable: { Parameters: { 'JobQueue.$': '$queueArn' } },
      Intrinsic: { Parameters: { 'JobQueue.$': "States.Format('reproject-{}', $.suffix)", 'JobDefinition.$': '$.jd' } },
      Jsonata: {
        QueryLanguage: 'JSONata',
        Arguments: { JobQueue: '{% $states.input.queue %}', JobDefinition: 'reproject-job-a' },
      },
    });
    expect(compact(matchReferences(tasks, TARGET))).toEqual([
      'Path JobQueue dynamic $.x',
      'Context JobQueue dynamic $$.Execution.Input.queue',
      'Variable JobQueue dynamic $queueArn',
      "Intrinsic JobQueue dynamic States.Format('reproject-{}', $.suffix)",
      'Intrinsic JobDefinition dynamic $.jd',
      'Jsonata JobQueue dynamic {% $states.input.queue %}',
      'Jsonata JobDefinition reproject-job-a name latest',
    ]);
  });

  it('gives dynamic references their key, container and pointer', () => {
    const tasks = tasksOf({ D: { Parameters: { 'JobQueue.$': '$.q' } } });
    expect(matchReferences(tasks, TARGET)).toEqual<Reference[]>([
      {
        kind: 'dynamic',
        field: 'JobQueue',
        task: location('D'),
        container: 'Parameters',
        pointer: ['Parameters', 'JobQueue.$'],
        key: 'JobQueue.$',
        expression: '$.q',
      },
    ]);
  });

  it('does not report dynamic ComputeEnvironment fields, nor fields of unknown or non-Batch tasks', () => {
    const tasks = tasksOf({
      Sdk: {
        Resource: 'arn:aws:states:::aws-sdk:batch:updateJobQueue',
        Parameters: { JobQueue: 'other-queue', 'ComputeEnvironmentOrder.$': '$.order', 'ComputeEnvironment.$': '$.ce' },
      },
      Unknown: { Resource: 'arn:aws:states:::batch:submitJob.foo', Parameters: { 'JobQueue.$': '$.q' } },
      Lambda: {
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { 'JobQueue.$': '$.q', JobQueue: 'reproject-a' },
      },
    });
    expect(matchReferences(tasks, TARGET)).toEqual([]);
  });
});

describe('matchReferences: whole definitions', () => {
  it('finds every reference in the nested JSONPath fixture, with paths', () => {
    const refs = matchReferences(collectBatchTasks(fixture('nested-jsonpath.json')), TARGET);
    expect(refs.map((r) => [r.task.path.join(' / '), r.field, r.kind === 'static' ? r.value : r.expression])).toEqual([
      ['Split / Branches[0] / Submit top', 'JobQueue', QUEUE_A_ARN],
      ['Split / Branches[0] / Submit top', 'JobDefinition', 'reproject-job-a:3'],
      [
        'Split / Branches[1] / Fan out / ItemProcessor / Inner split / Branches[0] / Submit deep',
        'JobQueue',
        'reproject-a',
      ],
      [
        'Split / Branches[1] / Fan out / ItemProcessor / Inner split / Branches[0] / Submit deep',
        'JobDefinition',
        JD_ARN('tile-job-a'),
      ],
      ['Legacy map / Iterator / Submit legacy', 'JobQueue', 'reproject-a'],
      ['Legacy map / Iterator / Submit legacy', 'JobDefinition', `${JD_ARN('reproject-job-a')}:4`],
      ['Distributed / ItemProcessor / Submit distributed', 'JobQueue', '$.queue'],
      ['Distributed / ItemProcessor / Submit distributed', 'JobDefinition', 'reproject-job-a'],
    ]);
    expect(refs.filter((r) => r.kind === 'dynamic')).toHaveLength(1);
  });

  it('finds every reference in the JSONata fixture, ignoring the nested Arguments map and the Assign', () => {
    const refs = matchReferences(collectBatchTasks(fixture('jsonata.json')), TARGET);
    expect(compact(refs)).toEqual([
      `Submit JobQueue ${QUEUE_A_ARN} arn`,
      'Submit JobDefinition reproject-job-a name latest',
      'Dynamic JobQueue dynamic {% $queue %}',
      'Dynamic JobDefinition dynamic {% $states.input.jobDefinition %}',
      'Legacy path JobQueue dynamic $$.Execution.Input.queue',
      'Legacy path JobDefinition reproject-job-a:3 name 3',
      'Submit tile JobQueue reproject-a name',
      `Submit tile JobDefinition ${JD_ARN('tile-job-a')}:2 arn 2`,
    ]);
    const sdk = refs.find((r) => r.task.stateName === 'Submit tile');
    expect(sdk?.task).toEqual(
      location('Submit tile', {
        path: ['Per tile', 'ItemProcessor', 'Submit tile'],
        resource: 'arn:aws:states:::aws-sdk:batch:submitJob',
        integration: 'aws-sdk',
        pattern: 'request-response',
        queryLanguage: 'JSONata',
      }),
    );
  });

  it('matches aws-sdk actions other than submitJob (the caller sees the action)', () => {
    const tasks = tasksOf({
      List: {
        Resource: 'arn:aws:states:::aws-sdk:batch:listJobs',
        Parameters: { JobQueue: 'reproject-a', JobStatus: 'RUNNING' },
      },
    });
    const refs = matchReferences(tasks, TARGET);
    expect(compact(refs)).toEqual(['List JobQueue reproject-a name']);
    expect(refs[0]?.task.action).toBe('listJobs');
  });

  it('returns copies: changing a reference does not change the task', () => {
    const tasks = tasksOf({ S: { Parameters: { JobQueue: 'reproject-a' } } });
    const [ref] = matchReferences(tasks, TARGET);
    ref?.task.path.push('x');
    ref?.pointer.push('y');
    expect(tasks[0]?.path).toEqual(['S']);
    expect(tasks[0]?.fields[0]?.pointer).toEqual(['Parameters', 'JobQueue']);
  });

  it('returns nothing for no tasks', () => {
    expect(matchReferences([], TARGET)).toEqual([]);
  });
});

describe('jobDefinitionsUsedWithQueue', () => {
  it('returns the static job definitions of tasks that statically submit to the queue', () => {
    const tasks = tasksOf({
      'Queue by name': { Parameters: { JobQueue: 'reproject-a', JobDefinition: 'reproject-job-a:3' } },
      'Queue by ARN': { Parameters: { JobQueue: QUEUE_A_ARN, JobDefinition: JD_ARN('tile-job-a') } },
      'Sdk submit': {
        Resource: 'arn:aws:states:::aws-sdk:batch:submitJob',
        QueryLanguage: 'JSONata',
        Arguments: { JobQueue: 'reproject-a', JobDefinition: 'extra-job' },
      },
      'Other queue': { Parameters: { JobQueue: 'reproject-ab', JobDefinition: 'not-ours' } },
      'Other account': {
        Parameters: { JobQueue: 'arn:aws:batch:us-east-1:210987654321:job-queue/reproject-a', JobDefinition: 'theirs' },
      },
      'Dynamic queue': { Parameters: { 'JobQueue.$': '$.q', JobDefinition: 'maybe-ours' } },
      'Dynamic definition': { Parameters: { JobQueue: 'reproject-a', 'JobDefinition.$': '$.jd' } },
      'Bad definition': { Parameters: { JobQueue: 'reproject-a', JobDefinition: 'bad name!' } },
      'List jobs': {
        Resource: 'arn:aws:states:::aws-sdk:batch:listJobs',
        Parameters: { JobQueue: 'reproject-a', JobDefinition: 'listed' },
      },
      Unknown: {
        Resource: 'arn:aws:states:::batch:submitJob.foo',
        Parameters: { JobQueue: 'reproject-a', JobDefinition: 'u' },
      },
      Lambda: {
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { JobQueue: 'reproject-a', JobDefinition: 'l' },
      },
    });
    expect(jobDefinitionsUsedWithQueue(tasks, TARGET.queue)).toEqual<JobDefinitionUse[]>([
      {
        task: location('Queue by name'),
        value: 'reproject-job-a:3',
        name: 'reproject-job-a',
        revision: 3,
        form: 'name',
      },
      {
        task: location('Queue by ARN'),
        value: JD_ARN('tile-job-a'),
        name: 'tile-job-a',
        revision: 'latest',
        form: 'arn',
        arn: { partition: 'aws', region: 'us-east-1', account: ACCOUNT },
      },
      {
        task: location('Sdk submit', {
          resource: 'arn:aws:states:::aws-sdk:batch:submitJob',
          integration: 'aws-sdk',
          pattern: 'request-response',
          queryLanguage: 'JSONata',
        }),
        value: 'extra-job',
        name: 'extra-job',
        revision: 'latest',
        form: 'name',
      },
    ]);
  });

  it('finds the job definitions of the nested fixture (not de-duplicated, in task order)', () => {
    const uses = jobDefinitionsUsedWithQueue(collectBatchTasks(fixture('nested-jsonpath.json')), TARGET.queue);
    expect(uses.map((u) => [u.task.stateName, u.name, u.revision])).toEqual([
      ['Submit top', 'reproject-job-a', 3],
      ['Submit deep', 'tile-job-a', 'latest'],
      ['Submit legacy', 'reproject-job-a', 4],
    ]);
  });

  it('returns nothing when no task submits to the queue', () => {
    const tasks = tasksOf({ S: { Parameters: { JobQueue: 'xreproject-a', JobDefinition: 'reproject-job-a' } } });
    expect(jobDefinitionsUsedWithQueue(tasks, TARGET.queue)).toEqual([]);
  });
});

describe('matching helpers', () => {
  it('matchQueue returns the form written', () => {
    expect(matchQueue('reproject-a', TARGET.queue)).toBe('name');
    expect(matchQueue(QUEUE_A_ARN, TARGET.queue)).toBe('arn');
  });

  it('matchQueue never matches an ARN when the target ARN cannot be parsed', () => {
    expect(matchQueue(QUEUE_A_ARN, { name: 'reproject-a', arn: 'not-an-arn' })).toBeUndefined();
    expect(matchQueue('reproject-a', { name: 'reproject-a', arn: 'not-an-arn' })).toBe('name');
  });

  it('matchJobDefinition parses the reference and ignores revisions', () => {
    const jd = { name: 'reproject-job-a', arn: JD_ARN('reproject-job-a') };
    expect(matchJobDefinition('reproject-job-a:99', jd)).toEqual({
      name: 'reproject-job-a',
      revision: 99,
      form: 'name',
    });
    expect(matchJobDefinition(JD_ARN('reproject-job-a'), jd)).toEqual({ name: 'reproject-job-a', form: 'arn' });
    expect(matchJobDefinition('reproject-job-ab', jd)).toBeUndefined();
  });

  it('revisionMatches', () => {
    expect(revisionMatches(undefined, [3])).toBe(true);
    expect(revisionMatches(3, [3, 4])).toBe(true);
    expect(revisionMatches(5, [3, 4])).toBe(false);
    expect(revisionMatches(5, [])).toBe(true);
    expect(revisionMatches(5, undefined)).toBe(true);
  });
});

describe('definitionNames', () => {
  const definition = (queue: string, jobDefinition = 'other-job') =>
    JSON.stringify({
      StartAt: 'S',
      States: {
        S: {
          Type: 'Task',
          Resource: SUBMIT_SYNC,
          Parameters: { JobName: 'j', JobQueue: queue, JobDefinition: jobDefinition },
          End: true,
        },
      },
    });

  it('is true when the definition names the queue or a job definition revision of the target', () => {
    expect(definitionNames(definition(QUEUE_A_ARN), TARGET, false)).toBe(true);
    expect(definitionNames(definition('reports', 'tile-job-a:2'), TARGET, false)).toBe(true);
  });

  it('is false for other queues and other revisions', () => {
    expect(definitionNames(definition('reports', 'tile-job-a:1'), TARGET, true)).toBe(false);
  });

  it('answers `unreadable` for a definition that cannot be parsed', () => {
    expect(definitionNames('{ not json', TARGET, true)).toBe(true);
    expect(definitionNames('{ not json', TARGET, false)).toBe(false);
  });
});
