import {
  lambdaEnvironment,
  parameterValue,
  pipeUpdate,
  repointValue,
  ruleTarget,
  scheduleUpdate,
  type ScheduleLike,
} from '../../../../src/core/references/callers';
import type { RewritePlan } from '../../../../src/core/references/rewrite';

const ACCOUNT = '123456789012';
const QUEUE_ARN = (name: string, account = ACCOUNT) => `arn:aws:batch:us-east-1:${account}:job-queue/${name}`;
const JD_ARN = (name: string) => `arn:aws:batch:us-east-1:${ACCOUNT}:job-definition/${name}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/r`;
const BATCH_UNIVERSAL = 'arn:aws:scheduler:::aws-sdk:batch:submitJob';

const PLAN: RewritePlan = {
  queue: {
    from: { name: 'reproject-a', arn: QUEUE_ARN('reproject-a') },
    to: { name: 'reproject-b', arn: QUEUE_ARN('reproject-b') },
  },
  jobDefinitions: [
    {
      from: { name: 'reproject-job-a', arn: JD_ARN('reproject-job-a'), revisions: [3] },
      to: { name: 'reproject-job-b', arn: JD_ARN('reproject-job-b'), revision: 1 },
    },
  ],
};

describe('repointValue: exact matching, as for state machines', () => {
  it.each([
    ['reproject-a', 'queue', 'reproject-b'],
    [QUEUE_ARN('reproject-a'), 'queue', QUEUE_ARN('reproject-b')],
    ['reproject-job-a', 'jobDefinition', 'reproject-job-b'],
    ['reproject-job-a:3', 'jobDefinition', 'reproject-job-b:1'],
    [JD_ARN('reproject-job-a'), 'jobDefinition', JD_ARN('reproject-job-b')],
    [`${JD_ARN('reproject-job-a')}:3`, 'jobDefinition', `${JD_ARN('reproject-job-b')}:1`],
  ])('%s names A’s %s → %s', (value, refersTo, after) => {
    expect(repointValue(value, PLAN)).toEqual({ refersTo, after });
  });

  it.each([
    ['a queue whose name starts like A’s', 'reproject-a-old'],
    ['its ARN', QUEUE_ARN('reproject-a2')],
    ['A’s queue name in another account', QUEUE_ARN('reproject-a', '210987654321')],
    ['a revision of A’s job definition that is not A’s', 'reproject-job-a:7'],
    ['a longer text containing the name', 'queue=reproject-a'],
    ['a job definition whose name starts like A’s', 'reproject-job-a-v2'],
  ])('%s does not match (%s)', (_what, value) => {
    expect(repointValue(value, PLAN)).toBeUndefined();
  });
});

describe('EventBridge rule targets', () => {
  const batchTarget = {
    Id: 'batch',
    Arn: QUEUE_ARN('reproject-a'),
    RoleArn: ROLE,
    BatchParameters: { JobDefinition: 'reproject-job-a', JobName: 'nightly', RetryStrategy: { Attempts: 2 } },
    Input: '{"Parameters":{"x":"1"}}',
    RetryPolicy: { MaximumRetryAttempts: 4 },
  };

  it('repoints the queue ARN and job definition, keeping the id and every other field', () => {
    const found = ruleTarget(batchTarget, PLAN);
    expect(found.references).toEqual([
      { field: 'Arn', refersTo: 'queue', before: QUEUE_ARN('reproject-a'), after: QUEUE_ARN('reproject-b') },
      {
        field: 'BatchParameters.JobDefinition',
        refersTo: 'jobDefinition',
        before: 'reproject-job-a',
        after: 'reproject-job-b',
      },
    ]);
    expect(found.unreadable).toEqual([]);
    expect(found.repointed).toEqual({
      ...batchTarget,
      Arn: QUEUE_ARN('reproject-b'),
      BatchParameters: { ...batchTarget.BatchParameters, JobDefinition: 'reproject-job-b' },
    });
    expect(batchTarget.Arn).toBe(QUEUE_ARN('reproject-a')); // the original is untouched, for rollback
  });

  it('a near miss — a rule on a queue whose name starts like A’s — is not a reference', () => {
    const found = ruleTarget(
      { ...batchTarget, Arn: QUEUE_ARN('reproject-a-old'), BatchParameters: { JobDefinition: 'other' } },
      PLAN,
    );
    expect(found.references).toEqual([]);
    expect(found.repointed.Arn).toBe(QUEUE_ARN('reproject-a-old'));
  });

  it('A’s queue in a static Input (a state machine target) is a reference, rewritten in the same layout', () => {
    const input = '{\n  "queue": "reproject-a",\n  "n": 1\n}';
    const found = ruleTarget(
      { Id: 'sfn', Arn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:sm`, Input: input },
      PLAN,
    );
    expect(found.references).toEqual([
      { field: 'Input.queue', refersTo: 'queue', before: 'reproject-a', after: 'reproject-b' },
    ]);
    expect(found.repointed.Input).toBe('{\n  "queue": "reproject-b",\n  "n": 1\n}');
  });

  it('an input transformer that builds the queue is unreadable; quoted static values are still repointed', () => {
    const found = ruleTarget(
      {
        Id: 'sfn',
        Arn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:sm`,
        InputTransformer: {
          InputPathsMap: { q: '$.detail.queue' },
          InputTemplate: '{"JobQueue": <q>, "JobDefinition": "reproject-job-a"}',
        },
      },
      PLAN,
    );
    expect(found.unreadable).toEqual([
      {
        field: 'InputTransformer.InputTemplate.JobQueue',
        reason: 'input transformer placeholder <q> decides it when the rule runs',
      },
    ]);
    expect(found.references).toEqual([
      {
        field: 'InputTransformer.InputTemplate',
        refersTo: 'jobDefinition',
        before: 'reproject-job-a',
        after: 'reproject-job-b',
      },
    ]);
    expect(found.repointed.InputTransformer?.InputTemplate).toBe(
      '{"JobQueue": <q>, "JobDefinition": "reproject-job-b"}',
    );
  });

  it('a target that names nothing of A is returned equal', () => {
    const sqs = { Id: 'q', Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q`, Input: 'not json at all' };
    const found = ruleTarget(sqs, PLAN);
    expect(found).toEqual({ references: [], unreadable: [], repointed: sqs });
  });
});

describe('Scheduler schedules', () => {
  const schedule: ScheduleLike = {
    Arn: `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/batch/nightly`,
    CreationDate: new Date('2026-01-01T00:00:00Z'),
    LastModificationDate: new Date('2026-01-02T00:00:00Z'),
    Name: 'nightly',
    GroupName: 'batch',
    ScheduleExpression: 'cron(0 3 * * ? *)',
    ScheduleExpressionTimezone: 'Europe/Paris',
    Description: 'nightly reprojection',
    State: 'DISABLED',
    FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
    ActionAfterCompletion: 'NONE',
    Target: {
      Arn: BATCH_UNIVERSAL,
      RoleArn: ROLE,
      Input: JSON.stringify({
        JobName: 'nightly',
        JobQueue: QUEUE_ARN('reproject-a'),
        JobDefinition: 'reproject-job-a:3',
      }),
      RetryPolicy: { MaximumRetryAttempts: 3 },
    },
  };

  it('the update is the complete definition (read-only fields dropped) with only the target input changed', () => {
    const found = scheduleUpdate(schedule, PLAN);
    const { Arn: _arn, CreationDate: _c, LastModificationDate: _l, ...definition } = schedule;
    expect(found.input).toEqual({
      ...definition,
      Target: {
        ...schedule.Target,
        Input: JSON.stringify({
          JobName: 'nightly',
          JobQueue: QUEUE_ARN('reproject-b'),
          JobDefinition: 'reproject-job-b:1',
        }),
      },
    });
    expect(found.references.map((r) => [r.field, r.before, r.after])).toEqual([
      ['Target.Input.JobQueue', QUEUE_ARN('reproject-a'), QUEUE_ARN('reproject-b')],
      ['Target.Input.JobDefinition', 'reproject-job-a:3', 'reproject-job-b:1'],
    ]);
    // A disabled schedule is still repointed, and stays disabled.
    expect(found.input.State).toBe('DISABLED');
  });

  it('without a plan the update restores the original definition exactly (rollback)', () => {
    const { Arn: _arn, CreationDate: _c, LastModificationDate: _l, ...definition } = schedule;
    expect(scheduleUpdate(schedule).input).toEqual(definition);
  });

  it('the Batch API’s camelCase keys are read too', () => {
    const camel = { ...schedule, Target: { ...schedule.Target, Input: '{"jobQueue":"reproject-a","jobName":"n"}' } };
    expect(scheduleUpdate(camel, PLAN).input.Target?.Input).toBe('{"jobQueue":"reproject-b","jobName":"n"}');
  });

  it('a queue templated with a context attribute is unreadable', () => {
    const templated = {
      ...schedule,
      Target: { ...schedule.Target, Input: '{"JobQueue":"<aws.scheduler.schedule-arn>","JobDefinition":"x"}' },
    };
    expect(scheduleUpdate(templated, PLAN).unreadable).toEqual([
      {
        field: 'Target.Input.JobQueue',
        reason: 'templated with a Scheduler context attribute (<aws.scheduler.schedule-arn>)',
      },
    ]);
  });

  it('a near miss is not listed', () => {
    const nearMiss = { ...schedule, Target: { ...schedule.Target, Input: '{"JobQueue":"reproject-a-old"}' } };
    const found = scheduleUpdate(nearMiss, PLAN);
    expect(found.references).toEqual([]);
    expect(found.unreadable).toEqual([]);
  });
});

describe('Pipes', () => {
  const pipe = {
    Name: 'feed',
    Arn: `arn:aws:pipes:us-east-1:${ACCOUNT}:pipe/feed`,
    RoleArn: ROLE,
    Source: `arn:aws:sqs:us-east-1:${ACCOUNT}:incoming`,
    Target: QUEUE_ARN('reproject-a'),
    Description: 'feeds reprojection',
    TargetParameters: {
      InputTemplate: '{"file": <$.body>}',
      BatchJobParameters: { JobDefinition: JD_ARN('reproject-job-a'), JobName: 'p', RetryStrategy: { Attempts: 2 } },
    },
  };

  it('the update names the pipe, its role, the new target and the complete TargetParameters', () => {
    const found = pipeUpdate(pipe, PLAN);
    expect(found.input).toEqual({
      Name: 'feed',
      RoleArn: ROLE,
      Target: QUEUE_ARN('reproject-b'),
      TargetParameters: {
        InputTemplate: '{"file": <$.body>}',
        BatchJobParameters: { JobDefinition: JD_ARN('reproject-job-b'), JobName: 'p', RetryStrategy: { Attempts: 2 } },
      },
    });
    expect(found.references.map((r) => r.field)).toEqual([
      'Target',
      'TargetParameters.BatchJobParameters.JobDefinition',
    ]);
    expect(pipeUpdate(pipe).input).toEqual({
      Name: 'feed',
      RoleArn: ROLE,
      Target: pipe.Target,
      TargetParameters: pipe.TargetParameters,
    });
  });

  it('a job definition given as a dynamic path is unreadable', () => {
    const dynamic = {
      ...pipe,
      TargetParameters: { BatchJobParameters: { JobDefinition: '$.body.jd', JobName: 'p' } },
    };
    expect(pipeUpdate(dynamic, PLAN).unreadable).toEqual([
      {
        field: 'TargetParameters.BatchJobParameters.JobDefinition',
        reason: 'dynamic path parameter $.body.jd decides it per event',
      },
    ]);
  });
});

describe('Lambda environments and SSM parameters', () => {
  it('reports only the variables that name A (others may be secrets)', () => {
    const found = lambdaEnvironment(
      { JOB_QUEUE: 'reproject-a', DB_PASSWORD: 'hunter2', NEAR: 'reproject-a-old' },
      PLAN,
    );
    expect(found).toEqual({
      references: [{ field: 'Environment.JOB_QUEUE', refersTo: 'queue', before: 'reproject-a', after: 'reproject-b' }],
      unreadable: [],
    });
    expect(JSON.stringify(found)).not.toContain('hunter2');
  });

  it('an environment Lambda could not return is unreadable', () => {
    expect(lambdaEnvironment({}, PLAN, 'AccessDeniedException: KMS').unreadable).toEqual([
      { field: 'Environment', reason: 'AccessDeniedException: KMS' },
    ]);
  });

  it('a String holding A’s queue ARN is repointed; a StringList item by item; a SecureString is unreadable', () => {
    expect(parameterValue(QUEUE_ARN('reproject-a'), 'String', PLAN).after).toBe(QUEUE_ARN('reproject-b'));
    expect(parameterValue(QUEUE_ARN('reproject-a-old'), 'String', PLAN)).toEqual({
      references: [],
      unreadable: [],
      after: undefined,
    });
    expect(parameterValue('x,reproject-a,reproject-job-a', 'StringList', PLAN).after).toBe(
      'x,reproject-b,reproject-job-b',
    );
    expect(parameterValue('AQICAH…', 'SecureString', PLAN)).toEqual({
      references: [],
      unreadable: [{ field: 'Value', reason: 'a SecureString, which batchctl never decrypts' }],
      after: undefined,
    });
  });
});
