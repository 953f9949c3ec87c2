import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  DefinitionParseError,
  classifyBatchResource,
  collectBatchTasks,
  formatStatePath,
  isJsonataExpression,
  taskLocation,
  type BatchTask,
} from '../../../../src/core/references/walk';

const fixture = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8');

const QUEUE_A_ARN = 'arn:aws:batch:us-east-1:123456789012:job-queue/reproject-a';
const SUBMIT_SYNC = 'arn:aws:states:::batch:submitJob.sync';
const SUBMIT = 'arn:aws:states:::batch:submitJob';

/** A one-state definition around a Task state with the given fields. */
function single(state: Record<string, unknown>, top: Record<string, unknown> = {}): object {
  return { ...top, StartAt: 'Submit', States: { Submit: { Type: 'Task', End: true, ...state } } };
}

function only(tasks: BatchTask[]): BatchTask {
  expect(tasks).toHaveLength(1);
  return tasks[0] as BatchTask;
}

describe('collectBatchTasks: integrations', () => {
  it('reads a top-level .sync task with static JSONPath Parameters', () => {
    const tasks = collectBatchTasks(
      single({
        Resource: SUBMIT_SYNC,
        Parameters: { JobName: 'reproject-a', JobQueue: 'reproject-a', JobDefinition: 'reproject-job-a:3' },
      }),
    );
    expect(tasks).toEqual<BatchTask[]>([
      {
        path: ['Submit'],
        stateName: 'Submit',
        resource: SUBMIT_SYNC,
        integration: 'optimized.sync',
        action: 'submitJob',
        pattern: 'sync',
        queryLanguage: 'JSONPath',
        fields: [
          {
            name: 'JobQueue',
            container: 'Parameters',
            key: 'JobQueue',
            pointer: ['Parameters', 'JobQueue'],
            kind: 'static',
            value: 'reproject-a',
          },
          {
            name: 'JobDefinition',
            container: 'Parameters',
            key: 'JobDefinition',
            pointer: ['Parameters', 'JobDefinition'],
            kind: 'static',
            value: 'reproject-job-a:3',
          },
        ],
      },
    ]);
  });

  it('classifies request-response submitJob as optimized', () => {
    const task = only(collectBatchTasks(single({ Resource: SUBMIT, Parameters: { JobQueue: 'q' } })));
    expect([task.integration, task.action, task.pattern]).toEqual(['optimized', 'submitJob', 'request-response']);
  });

  it('tolerates submitJob.waitForTaskToken as optimized with the callback pattern', () => {
    const task = only(
      collectBatchTasks(single({ Resource: `${SUBMIT}.waitForTaskToken`, Parameters: { JobQueue: 'q' } })),
    );
    expect([task.integration, task.action, task.pattern]).toEqual(['optimized', 'submitJob', 'waitForTaskToken']);
    expect(task.fields.map((f) => f.name)).toEqual(['JobQueue']);
  });

  it.each([
    ['arn:aws:states:::aws-sdk:batch:submitJob', 'submitJob', 'request-response'],
    ['arn:aws:states:::aws-sdk:batch:listJobs', 'listJobs', 'request-response'],
    ['arn:aws:states:::aws-sdk:batch:updateJobQueue', 'updateJobQueue', 'request-response'],
    ['arn:aws:states:::aws-sdk:batch:submitJob.waitForTaskToken', 'submitJob', 'waitForTaskToken'],
  ])('classifies %s as aws-sdk action %s', (resource, action, pattern) => {
    const task = only(collectBatchTasks(single({ Resource: resource, Parameters: { JobQueue: 'reproject-a' } })));
    expect([task.integration, task.action, task.pattern]).toEqual(['aws-sdk', action, pattern]);
    expect(task.fields).toEqual([expect.objectContaining({ name: 'JobQueue', kind: 'static', value: 'reproject-a' })]);
  });

  it.each([
    ['arn:aws-cn:states:::batch:submitJob.sync', 'optimized.sync'],
    ['arn:aws-us-gov:states:::batch:submitJob', 'optimized'],
    ['arn:aws-iso-b:states:::batch:submitJob.sync', 'optimized.sync'],
    ['arn:aws-cn:states:::aws-sdk:batch:submitJob', 'aws-sdk'],
    ['arn:aws-us-gov:states:::aws-sdk:batch:describeJobQueues', 'aws-sdk'],
  ])('accepts partition of %s', (resource, integration) => {
    const task = only(collectBatchTasks(single({ Resource: resource, Parameters: { JobQueue: 'q' } })));
    expect(task.integration).toBe(integration);
    expect(task.resource).toBe(resource);
  });

  it.each([
    'arn:aws:states:::batch:submitJob.foo',
    'arn:aws:states:::batch:listJobs',
    'arn:aws:states:::batch:SubmitJob',
    'arn:aws:states:us-east-1:123456789012:batch:submitJob',
    'arn:aws:states:::aws-sdk:batch:submitJob.sync',
    'arn:aws:states:::aws-sdk:batch:',
    'arn:aws:lambda:us-east-1:123456789012:function:batch:live',
  ])('reports %s as an unknown integration with no fields', (resource) => {
    const task = only(
      collectBatchTasks(single({ Resource: resource, Parameters: { JobQueue: 'reproject-a', JobDefinition: 'x' } })),
    );
    expect(task).toEqual<BatchTask>({
      path: ['Submit'],
      stateName: 'Submit',
      resource,
      integration: 'unknown',
      action: undefined,
      pattern: undefined,
      queryLanguage: 'JSONPath',
      fields: [],
    });
  });

  it('ignores non-Batch Task states even when they carry JobQueue parameters', () => {
    const definition = {
      StartAt: 'Invoke',
      States: {
        Invoke: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'notify', JobQueue: 'reproject-a', Payload: { JobQueue: 'reproject-a' } },
          Next: 'Run task',
        },
        'Run task': {
          Type: 'Task',
          Resource: 'arn:aws:states:::ecs:runTask.sync',
          Parameters: { Cluster: 'batch', JobDefinition: 'reproject-job-a' },
          Next: 'Plain lambda',
        },
        'Plain lambda': {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:submit-batch',
          Parameters: { JobQueue: 'reproject-a' },
          Next: 'Pass',
        },
        Pass: {
          Type: 'Pass',
          Resource: SUBMIT_SYNC,
          Parameters: { JobQueue: 'reproject-a' },
          Next: 'Activity',
        },
        Activity: { Type: 'Task', Resource: { 'Fn::GetAtt': ['x', 'Arn'] }, End: true },
      },
    };
    expect(collectBatchTasks(definition)).toEqual([]);
  });
});

describe('collectBatchTasks: walking the tree', () => {
  it('finds tasks in Parallel > Map > Parallel, a legacy Iterator and a Distributed Map with readable paths', () => {
    const tasks = collectBatchTasks(fixture('nested-jsonpath.json'));
    expect(tasks.map((t) => t.path)).toEqual([
      ['Split', 'Branches[0]', 'Submit top'],
      ['Split', 'Branches[1]', 'Fan out', 'ItemProcessor', 'Inner split', 'Branches[0]', 'Submit deep'],
      ['Legacy map', 'Iterator', 'Submit legacy'],
      ['Distributed', 'ItemProcessor', 'Submit distributed'],
    ]);
    expect(tasks.map((t) => [t.stateName, t.integration])).toEqual([
      ['Submit top', 'optimized.sync'],
      ['Submit deep', 'optimized'],
      ['Submit legacy', 'optimized.sync'],
      ['Submit distributed', 'optimized.sync'],
    ]);
  });

  it('reads the fields of deeply nested tasks exactly', () => {
    const tasks = collectBatchTasks(fixture('nested-jsonpath.json'));
    expect(
      tasks.map((t) => t.fields.map((f) => [f.name, f.kind, f.kind === 'static' ? f.value : f.expression])),
    ).toEqual([
      [
        ['JobQueue', 'static', QUEUE_A_ARN],
        ['JobDefinition', 'static', 'reproject-job-a:3'],
      ],
      [
        ['JobQueue', 'static', 'reproject-a'],
        ['JobDefinition', 'static', 'arn:aws:batch:us-east-1:123456789012:job-definition/tile-job-a'],
      ],
      [
        ['JobQueue', 'static', 'reproject-a'],
        ['JobDefinition', 'static', 'arn:aws:batch:us-east-1:123456789012:job-definition/reproject-job-a:4'],
      ],
      [
        ['JobQueue', 'dynamic', '$.queue'],
        ['JobDefinition', 'static', 'reproject-job-a'],
      ],
    ]);
  });

  it('walks a Parallel nested in a Map nested in a Parallel, three levels deep', () => {
    const inner = { Type: 'Task', Resource: SUBMIT_SYNC, Parameters: { JobQueue: 'deep' }, End: true };
    const definition = {
      StartAt: 'Outer',
      States: {
        Outer: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Nothing', States: { Nothing: { Type: 'Pass', End: true } } },
            {
              StartAt: 'Each',
              States: {
                Each: {
                  Type: 'Map',
                  End: true,
                  ItemProcessor: {
                    StartAt: 'Inner',
                    States: {
                      Inner: {
                        Type: 'Parallel',
                        End: true,
                        Branches: [
                          { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
                          { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
                          { StartAt: 'Leaf', States: { Leaf: inner } },
                        ],
                      },
                    },
                  },
                },
              },
            },
          ],
        },
      },
    };
    const task = only(collectBatchTasks(definition));
    expect(task.path).toEqual(['Outer', 'Branches[1]', 'Each', 'ItemProcessor', 'Inner', 'Branches[2]', 'Leaf']);
    expect(task.stateName).toBe('Leaf');
    expect(formatStatePath(task.path)).toBe('Outer › Branches[1] › Each › ItemProcessor › Inner › Branches[2] › Leaf');
  });

  it('walks a Map that has both ItemProcessor and a legacy Iterator, processor first', () => {
    const leaf = (queue: string) => ({ Type: 'Task', Resource: SUBMIT, Parameters: { JobQueue: queue }, End: true });
    const definition = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          End: true,
          Iterator: { StartAt: 'Old', States: { Old: leaf('old') } },
          ItemProcessor: { StartAt: 'New', States: { New: leaf('new') } },
        },
      },
    };
    expect(collectBatchTasks(definition).map((t) => t.path)).toEqual([
      ['M', 'ItemProcessor', 'New'],
      ['M', 'Iterator', 'Old'],
    ]);
  });

  it('lists top-level tasks in the order written, the Map children after the Map', () => {
    const leaf = { Type: 'Task', Resource: SUBMIT, Parameters: { JobQueue: 'q' }, End: true };
    const definition = {
      StartAt: 'First',
      States: {
        First: { ...leaf, End: undefined, Next: 'Loop' },
        Loop: { Type: 'Map', Next: 'Last', ItemProcessor: { StartAt: 'Inside', States: { Inside: leaf } } },
        Last: leaf,
      },
    };
    expect(collectBatchTasks(definition).map((t) => formatStatePath(t.path))).toEqual([
      'First',
      'Loop › ItemProcessor › Inside',
      'Last',
    ]);
  });

  it('tolerates malformed nested blocks without throwing', () => {
    const definition = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [null, 'x', { States: 'nope' }, {}], Next: 'M' },
        M: { Type: 'Map', ItemProcessor: 'oops', Iterator: { States: [] }, Next: 'S' },
        S: 'not a state',
        T: { Type: 'Task', Resource: SUBMIT, End: true },
      },
    };
    const task = only(collectBatchTasks(definition));
    expect(task.path).toEqual(['T']);
    expect(task.fields).toEqual([]);
  });

  it('does not descend into Branches or ItemProcessor of states that are not Parallel or Map', () => {
    const leaf = { Type: 'Task', Resource: SUBMIT, Parameters: { JobQueue: 'q' }, End: true };
    const definition = {
      StartAt: 'P',
      States: {
        P: { Type: 'Pass', End: true, Branches: [{ States: { X: leaf } }], ItemProcessor: { States: { Y: leaf } } },
      },
    };
    expect(collectBatchTasks(definition)).toEqual([]);
  });

  it('gives the same answer for a string and an object, and does not modify the object', () => {
    const text = fixture('nested-jsonpath.json');
    const object = JSON.parse(text) as object;
    const snapshot = JSON.stringify(object);
    expect(collectBatchTasks(object)).toEqual(collectBatchTasks(text));
    expect(JSON.stringify(object)).toBe(snapshot);
  });
});

describe('collectBatchTasks: query languages', () => {
  it('defaults to JSONPath and takes JSONata from the top level', () => {
    expect(only(collectBatchTasks(single({ Resource: SUBMIT }))).queryLanguage).toBe('JSONPath');
    expect(only(collectBatchTasks(single({ Resource: SUBMIT }, { QueryLanguage: 'JSONata' }))).queryLanguage).toBe(
      'JSONata',
    );
    expect(only(collectBatchTasks(single({ Resource: SUBMIT }, { QueryLanguage: 'JSONPath' }))).queryLanguage).toBe(
      'JSONPath',
    );
  });

  it('honours a per-state override in both directions', () => {
    const toJsonata = single({ Resource: SUBMIT, QueryLanguage: 'JSONata' });
    const toJsonPath = single({ Resource: SUBMIT, QueryLanguage: 'JSONPath' }, { QueryLanguage: 'JSONata' });
    expect(only(collectBatchTasks(toJsonata)).queryLanguage).toBe('JSONata');
    expect(only(collectBatchTasks(toJsonPath)).queryLanguage).toBe('JSONPath');
  });

  it('ignores an invalid QueryLanguage value and falls back to the inherited one', () => {
    const definition = single({ Resource: SUBMIT, QueryLanguage: 'jsonata' }, { QueryLanguage: 'JSONata' });
    expect(only(collectBatchTasks(definition)).queryLanguage).toBe('JSONata');
  });

  it('lets nested states inherit the top-level language, not the enclosing Map override', () => {
    const definition = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          QueryLanguage: 'JSONata',
          End: true,
          ItemProcessor: {
            StartAt: 'Inner',
            States: { Inner: { Type: 'Task', Resource: SUBMIT, Parameters: { JobQueue: 'q' }, End: true } },
          },
        },
      },
    };
    expect(only(collectBatchTasks(definition)).queryLanguage).toBe('JSONPath');
  });

  it('reads the JSONata fixture: Arguments, nested Arguments map, {% %} expressions and a JSONPath override', () => {
    const tasks = collectBatchTasks(fixture('jsonata.json'));
    expect(
      tasks.map((t) => ({
        at: formatStatePath(t.path),
        ql: t.queryLanguage,
        integration: t.integration,
        fields: t.fields.map((f) => `${f.pointer.join('/')}=${f.kind}:${f.kind === 'static' ? f.value : f.expression}`),
      })),
    ).toEqual([
      {
        at: 'Submit',
        ql: 'JSONata',
        integration: 'optimized.sync',
        fields: [`Arguments/JobQueue=static:${QUEUE_A_ARN}`, 'Arguments/JobDefinition=static:reproject-job-a'],
      },
      {
        at: 'Dynamic',
        ql: 'JSONata',
        integration: 'optimized',
        fields: [
          'Arguments/JobQueue=dynamic:{% $queue %}',
          'Arguments/JobDefinition=dynamic:{% $states.input.jobDefinition %}',
        ],
      },
      {
        at: 'Legacy path',
        ql: 'JSONPath',
        integration: 'optimized.sync',
        fields: [
          'Parameters/JobQueue.$=dynamic:$$.Execution.Input.queue',
          'Parameters/JobDefinition=static:reproject-job-a:3',
        ],
      },
      {
        at: 'Per tile › ItemProcessor › Submit tile',
        ql: 'JSONata',
        integration: 'aws-sdk',
        fields: [
          'Arguments/JobQueue=static:reproject-a',
          'Arguments/JobDefinition=static:arn:aws:batch:us-east-1:123456789012:job-definition/tile-job-a:2',
        ],
      },
    ]);
  });

  it('accepts Parameters in JSONata mode and reads both containers when both are present', () => {
    const definition = single(
      {
        Resource: SUBMIT_SYNC,
        Parameters: { JobQueue: 'from-parameters' },
        Arguments: { JobDefinition: 'from-arguments' },
      },
      { QueryLanguage: 'JSONata' },
    );
    expect(only(collectBatchTasks(definition)).fields).toEqual([
      {
        name: 'JobQueue',
        container: 'Parameters',
        key: 'JobQueue',
        pointer: ['Parameters', 'JobQueue'],
        kind: 'static',
        value: 'from-parameters',
      },
      {
        name: 'JobDefinition',
        container: 'Arguments',
        key: 'JobDefinition',
        pointer: ['Arguments', 'JobDefinition'],
        kind: 'static',
        value: 'from-arguments',
      },
    ]);
  });

  it('never reads JobQueue from the nested Arguments / Parameters job-parameter map', () => {
    const jsonata = single(
      {
        Resource: SUBMIT_SYNC,
        Arguments: { JobName: 'n', Arguments: { JobQueue: 'reproject-a', JobDefinition: 'x' } },
      },
      { QueryLanguage: 'JSONata' },
    );
    const jsonPath = single({
      Resource: SUBMIT_SYNC,
      Parameters: { JobName: 'n', Parameters: { JobQueue: 'reproject-a', 'JobDefinition.$': '$.x' } },
    });
    expect(only(collectBatchTasks(jsonata)).fields).toEqual([]);
    expect(only(collectBatchTasks(jsonPath)).fields).toEqual([]);
  });

  it('treats a whole-container JSONata expression as dynamic JobQueue and JobDefinition', () => {
    const definition = single(
      { Resource: SUBMIT_SYNC, Arguments: '{% $states.input.job %}' },
      { QueryLanguage: 'JSONata' },
    );
    expect(only(collectBatchTasks(definition)).fields).toEqual([
      {
        name: 'JobQueue',
        container: 'Arguments',
        key: 'Arguments',
        pointer: ['Arguments'],
        kind: 'dynamic',
        expression: '{% $states.input.job %}',
      },
      {
        name: 'JobDefinition',
        container: 'Arguments',
        key: 'Arguments',
        pointer: ['Arguments'],
        kind: 'dynamic',
        expression: '{% $states.input.job %}',
      },
    ]);
  });
});

describe('collectBatchTasks: static and dynamic values', () => {
  const fieldsOf = (parameters: Record<string, unknown>, top: Record<string, unknown> = {}) =>
    only(collectBatchTasks(single({ Resource: SUBMIT_SYNC, Parameters: parameters }, top))).fields;

  it.each([
    ['$.queue'],
    ['$$.Execution.Input.q'],
    ['$myVar'],
    ["States.Format('reproject-{}', $.env)"],
    ['reproject-a'],
  ])('treats "JobQueue.$": %j as dynamic with that exact expression', (expression) => {
    expect(fieldsOf({ 'JobQueue.$': expression })).toEqual([
      {
        name: 'JobQueue',
        container: 'Parameters',
        key: 'JobQueue.$',
        pointer: ['Parameters', 'JobQueue.$'],
        kind: 'dynamic',
        expression,
      },
    ]);
  });

  it('treats "JobDefinition.$" as dynamic too', () => {
    expect(fieldsOf({ 'JobDefinition.$': '$.jd' })).toEqual([
      expect.objectContaining({ name: 'JobDefinition', key: 'JobDefinition.$', kind: 'dynamic', expression: '$.jd' }),
    ]);
  });

  it.each([
    [42, '42'],
    [null, 'null'],
    [true, 'true'],
    [{ Ref: 'Queue' }, '{"Ref":"Queue"}'],
    [['reproject-a'], '["reproject-a"]'],
  ])('treats the non-string value %j as dynamic, expression %s', (value, expression) => {
    expect(fieldsOf({ JobQueue: value })).toEqual([
      expect.objectContaining({ name: 'JobQueue', key: 'JobQueue', kind: 'dynamic', expression }),
    ]);
  });

  it('keeps a JSONPath-looking string without .$ as a static literal', () => {
    expect(fieldsOf({ JobQueue: '$.queue' })).toEqual([
      expect.objectContaining({ name: 'JobQueue', kind: 'static', value: '$.queue' }),
    ]);
  });

  it('treats {% %} strings as dynamic and other JSONata strings as static', () => {
    const fields = fieldsOf(
      { JobQueue: '{% $states.input.queue %}', JobDefinition: 'reproject-job-a' },
      { QueryLanguage: 'JSONata' },
    );
    expect(fields.map((f) => [f.name, f.kind, f.kind === 'static' ? f.value : f.expression])).toEqual([
      ['JobQueue', 'dynamic', '{% $states.input.queue %}'],
      ['JobDefinition', 'static', 'reproject-job-a'],
    ]);
  });

  it('treats a constant JSONata expression as dynamic (it is never evaluated)', () => {
    expect(fieldsOf({ JobQueue: "  {% 'reproject-a' %}  " }, { QueryLanguage: 'JSONata' })).toEqual([
      expect.objectContaining({ kind: 'dynamic', expression: "  {% 'reproject-a' %}  " }),
    ]);
  });

  it('does not report ComputeEnvironment fields of the optimized integration, nor unrelated fields', () => {
    expect(fieldsOf({ JobName: 'reproject-a', ComputeEnvironment: 'ce-a', ShareIdentifier: 'reproject-a' })).toEqual(
      [],
    );
  });

  it('reads ComputeEnvironment and ComputeEnvironmentOrder[].ComputeEnvironment for aws-sdk actions', () => {
    const definition = single({
      Resource: 'arn:aws:states:::aws-sdk:batch:updateJobQueue',
      Parameters: {
        JobQueue: 'reproject-a',
        ComputeEnvironmentOrder: [
          { Order: 1, ComputeEnvironment: 'ce-a' },
          { Order: 2, 'ComputeEnvironment.$': '$.ce' },
          '{% $x %}',
        ],
      },
    });
    const task = only(collectBatchTasks(definition));
    expect(task.action).toBe('updateJobQueue');
    expect(task.fields).toEqual([
      {
        name: 'JobQueue',
        container: 'Parameters',
        key: 'JobQueue',
        pointer: ['Parameters', 'JobQueue'],
        kind: 'static',
        value: 'reproject-a',
      },
      {
        name: 'ComputeEnvironment',
        container: 'Parameters',
        key: 'ComputeEnvironment',
        pointer: ['Parameters', 'ComputeEnvironmentOrder', 0, 'ComputeEnvironment'],
        kind: 'static',
        value: 'ce-a',
      },
      {
        name: 'ComputeEnvironment',
        container: 'Parameters',
        key: 'ComputeEnvironment.$',
        pointer: ['Parameters', 'ComputeEnvironmentOrder', 1, 'ComputeEnvironment.$'],
        kind: 'dynamic',
        expression: '$.ce',
      },
      {
        name: 'ComputeEnvironment',
        container: 'Parameters',
        key: 'ComputeEnvironmentOrder',
        pointer: ['Parameters', 'ComputeEnvironmentOrder', 2],
        kind: 'dynamic',
        expression: '{% $x %}',
      },
    ]);
  });

  it('reports a dynamic ComputeEnvironmentOrder.$ and a top-level ComputeEnvironment for aws-sdk actions', () => {
    const definition = single({
      Resource: 'arn:aws:states:::aws-sdk:batch:updateComputeEnvironment',
      Parameters: {
        ComputeEnvironment: 'arn:aws:batch:us-east-1:123456789012:compute-environment/ce-a',
        'ComputeEnvironmentOrder.$': '$.order',
      },
    });
    expect(only(collectBatchTasks(definition)).fields.map((f) => [f.key, f.kind])).toEqual([
      ['ComputeEnvironment', 'static'],
      ['ComputeEnvironmentOrder.$', 'dynamic'],
    ]);
  });
});

describe('collectBatchTasks: errors', () => {
  it('throws DefinitionParseError for malformed JSON, keeping the parser error as cause', () => {
    let caught: unknown;
    try {
      collectBatchTasks('{"StartAt": "A", "States": {');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DefinitionParseError);
    expect(caught).toBeInstanceOf(Error);
    const error = caught as DefinitionParseError;
    expect(error.name).toBe('DefinitionParseError');
    expect(error.message).toMatch(/^State machine definition is not valid JSON: .+\.$/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it.each([
    ['an empty string', ''],
    ['an array', '[]'],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"States"'],
  ])('throws for %s', (_label, text) => {
    expect(() => collectBatchTasks(text)).toThrow(DefinitionParseError);
  });

  it.each([
    ['no States', { StartAt: 'A' }],
    ['States as a string', { StartAt: 'A', States: 'A' }],
    ['States as an array', { StartAt: 'A', States: [] }],
  ])('throws "no States" for %s (string or object input)', (_label, definition) => {
    expect(() => collectBatchTasks(definition)).toThrow(
      new DefinitionParseError('State machine definition has no "States" object.'),
    );
    expect(() => collectBatchTasks(JSON.stringify(definition))).toThrow(
      'State machine definition has no "States" object.',
    );
  });

  it('throws "not a JSON object" for a non-object root', () => {
    expect(() => collectBatchTasks('[1]')).toThrow('State machine definition is not a JSON object.');
  });

  it('returns no tasks for an empty States object', () => {
    expect(collectBatchTasks({ StartAt: 'A', States: {} })).toEqual([]);
  });
});

describe('helpers', () => {
  it('classifyBatchResource: undefined for resources that do not mention Batch', () => {
    expect(classifyBatchResource('arn:aws:states:::lambda:invoke')).toBeUndefined();
    expect(classifyBatchResource('arn:aws:states:::aws-sdk:ecs:runTask')).toBeUndefined();
    expect(classifyBatchResource('arn:aws:states:::batch:submitJob.sync')).toEqual({
      integration: 'optimized.sync',
      action: 'submitJob',
      pattern: 'sync',
    });
  });

  it('isJsonataExpression', () => {
    expect(isJsonataExpression('{% $x %}')).toBe(true);
    expect(isJsonataExpression(' {%$x%} ')).toBe(true);
    expect(isJsonataExpression('{% $x')).toBe(false);
    expect(isJsonataExpression('prefix {% $x %}')).toBe(false);
    expect(isJsonataExpression('reproject-a')).toBe(false);
  });

  it('taskLocation drops the fields and copies the path', () => {
    const task = only(collectBatchTasks(single({ Resource: SUBMIT, Parameters: { JobQueue: 'q' } })));
    const location = taskLocation(task);
    expect(location).toEqual({
      path: ['Submit'],
      stateName: 'Submit',
      resource: SUBMIT,
      integration: 'optimized',
      action: 'submitJob',
      pattern: 'request-response',
      queryLanguage: 'JSONPath',
    });
    expect(location).not.toHaveProperty('fields');
    location.path.push('mutated');
    expect(task.path).toEqual(['Submit']);
  });
});
