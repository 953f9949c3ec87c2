/**
 * The emulator for the callers batchctl repoints besides Step Functions: EventBridge rules and their targets,
 * Scheduler schedules, Pipes, Lambda functions and SSM parameters. What the tests rely on must behave as AWS documents
 * (each test names the page), model validation must cover these services too (a request AWS would refuse is refused
 * here), and UpdatePipe, which moto 5.2.1 lacks, comes from test/emulator/fixes/pipes_update.py. Executions of rules,
 * schedules and pipes are not emulated and not needed: only the references and their repoint are.
 */
import {
  CreateEventBusCommand,
  DescribeRuleCommand,
  EventBridgeClient,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import { CreatePipeCommand, DescribePipeCommand, PipesClient, UpdatePipeCommand } from '@aws-sdk/client-pipes';
import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  CreateScheduleGroupCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { GetParametersByPathCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { type Emulator, startEmulator } from '../emulator';

jest.setTimeout(60_000);

const ACCOUNT = '123456789012';
const QUEUE_A = `arn:aws:batch:us-east-1:${ACCOUNT}:job-queue/reproject-a`;
const QUEUE_B = `arn:aws:batch:us-east-1:${ACCOUNT}:job-queue/reproject-b`;
const JD_A = `arn:aws:batch:us-east-1:${ACCOUNT}:job-definition/reproject-a:1`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/callers`;
// A one-file Python package (index.py with `handler`), as CreateFunction requires a .zip archive.
const ZIP = Buffer.from(
  'UEsDBBQAAAAAAPS2fl20CHBpLgAAAC4AAAAIAAAAaW5kZXgucHlkZWYgaGFuZGxlcihldmVudCwgY29udGV4dCk6CiAgICByZXR1cm4gZXZlbnQKUEsBAhQDFAAAAAAA9LZ+XbQIcGkuAAAALgAAAAgAAAAAAAAAAAAAAIABAAAAAGluZGV4LnB5UEsFBgAAAAABAAEANgAAAFQAAAAAAA==',
  'base64',
);

let emu: Emulator;
let events: EventBridgeClient;
let scheduler: SchedulerClient;
let pipes: PipesClient;
let lambda: LambdaClient;
let ssm: SSMClient;
let iam: IAMClient;

beforeAll(async () => {
  emu = await startEmulator();
  const config = {
    endpoint: emu.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  events = new EventBridgeClient(config);
  scheduler = new SchedulerClient(config);
  pipes = new PipesClient(config);
  lambda = new LambdaClient(config);
  ssm = new SSMClient(config);
  iam = new IAMClient(config);
});

afterEach(async () => {
  await emu.reset();
});

afterAll(async () => {
  await emu?.stop();
});

interface Rejection {
  name: string;
  message: string;
  status: number | undefined;
}

async function rejection(call: Promise<unknown>): Promise<Rejection> {
  try {
    await call;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('The request was accepted; it should have been rejected.');
}

describe('EventBridge rules and targets (json 1.1)', () => {
  it('lists rules per bus, including disabled ones, and PutTargets with the same id replaces that target only', async () => {
    await events.send(new CreateEventBusCommand({ Name: 'jobs' }));
    await events.send(
      new PutRuleCommand({
        Name: 'nightly',
        EventBusName: 'jobs',
        EventPattern: '{"source":["x"]}',
        State: 'DISABLED',
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'nightly',
        EventBusName: 'jobs',
        Targets: [
          {
            Id: 'batch',
            Arn: QUEUE_A,
            RoleArn: ROLE,
            BatchParameters: { JobDefinition: JD_A, JobName: 'nightly', RetryStrategy: { Attempts: 2 } },
            Input: '{"k":"v"}',
          },
          { Id: 'other', Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:q` },
        ],
      }),
    );
    // The default bus does not show another bus's rules (ListRules, EventBusName "If you omit this, the default event bus is used").
    expect((await events.send(new ListRulesCommand({}))).Rules ?? []).toEqual([]);
    const rules = (await events.send(new ListRulesCommand({ EventBusName: 'jobs' }))).Rules ?? [];
    expect(rules.map((r) => [r.Name, r.State])).toEqual([['nightly', 'DISABLED']]);

    await events.send(
      new PutTargetsCommand({
        Rule: 'nightly',
        EventBusName: 'jobs',
        Targets: [
          {
            Id: 'batch',
            Arn: QUEUE_B,
            RoleArn: ROLE,
            BatchParameters: { JobDefinition: JD_A, JobName: 'nightly', RetryStrategy: { Attempts: 2 } },
            Input: '{"k":"v"}',
          },
        ],
      }),
    );
    const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: 'nightly', EventBusName: 'jobs' })))
      .Targets;
    expect(targets).toEqual([
      expect.objectContaining({ Id: 'batch', Arn: QUEUE_B, Input: '{"k":"v"}', RoleArn: ROLE }),
      expect.objectContaining({ Id: 'other' }),
    ]);
    expect(targets?.[0]?.BatchParameters).toEqual({
      JobDefinition: JD_A,
      JobName: 'nightly',
      RetryStrategy: { Attempts: 2 },
    });
    const rule = await events.send(new DescribeRuleCommand({ Name: 'nightly', EventBusName: 'jobs' }));
    expect(rule.State).toBe('DISABLED');
    const byTarget = await events.send(new ListRuleNamesByTargetCommand({ TargetArn: QUEUE_B, EventBusName: 'jobs' }));
    expect(byTarget.RuleNames).toEqual(['nightly']);
  });

  it('a target id longer than the model allows is a ValidationException, as AWS answers', async () => {
    await events.send(new PutRuleCommand({ Name: 'r', ScheduleExpression: 'rate(1 day)' }));
    const err = await rejection(
      events.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'x'.repeat(65), Arn: QUEUE_A }] })),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/at 'targets\.1\.member\.id' failed to satisfy constraint: Member must have length/);
    expect((await emu.violations()).map((v) => v.operation)).toEqual(['PutTargets']);
  });
});

describe('EventBridge Scheduler (rest-json)', () => {
  const schedule = (name: string, group: string, queue: string): CreateScheduleCommandInput => ({
    Name: name,
    GroupName: group,
    ScheduleExpression: 'cron(0 3 * * ? *)',
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: 'DISABLED',
    Description: 'nightly reprojection',
    Target: {
      Arn: 'arn:aws:scheduler:::aws-sdk:batch:submitJob',
      RoleArn: ROLE,
      Input: JSON.stringify({ JobName: 'nightly', JobQueue: queue, JobDefinition: JD_A }),
      RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
    },
  });

  it('lists schedules of every group, and UpdateSchedule with the complete definition changes only what differs', async () => {
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'batch' }));
    await scheduler.send(new CreateScheduleCommand(schedule('nightly', 'batch', QUEUE_A)));
    await scheduler.send(new CreateScheduleCommand(schedule('hourly', 'default', QUEUE_A)));
    const listed = (await scheduler.send(new ListSchedulesCommand({}))).Schedules ?? [];
    expect(listed.map((s) => `${s.GroupName}/${s.Name}`).sort()).toEqual(['batch/nightly', 'default/hourly']);

    const input = schedule('nightly', 'batch', QUEUE_B);
    await scheduler.send(new UpdateScheduleCommand(input));
    const got = await scheduler.send(new GetScheduleCommand({ Name: 'nightly', GroupName: 'batch' }));
    expect(got.State).toBe('DISABLED');
    expect(got.Description).toBe('nightly reprojection');
    expect(got.Target).toEqual(expect.objectContaining({ Input: input.Target?.Input, RoleArn: ROLE }));
    expect(got.Target?.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 });
  });

  it('UpdateSchedule without the required FlexibleTimeWindow is refused by model validation', async () => {
    await scheduler.send(new CreateScheduleCommand(schedule('nightly', 'default', QUEUE_A)));
    const { FlexibleTimeWindow: _omitted, ...partial } = schedule('nightly', 'default', QUEUE_B);
    const err = await rejection(
      scheduler.send(new UpdateScheduleCommand(partial as unknown as CreateScheduleCommandInput)),
    );
    expect(err).toEqual(
      expect.objectContaining({
        name: 'ValidationException',
        status: 400,
        message: expect.stringMatching(/Value null at 'flexibleTimeWindow' failed to satisfy constraint/),
      }),
    );
    const unchanged = await scheduler.send(new GetScheduleCommand({ Name: 'nightly' }));
    expect(unchanged.Target?.Input).toContain(QUEUE_A);
  });
});

describe('EventBridge Pipes (rest-json; UpdatePipe from fixes/pipes_update.py)', () => {
  const create = (name: string) =>
    pipes.send(
      new CreatePipeCommand({
        Name: name,
        RoleArn: ROLE,
        Source: `arn:aws:sqs:us-east-1:${ACCOUNT}:incoming`,
        Target: QUEUE_A,
        Description: 'feeds reprojection',
        TargetParameters: {
          InputTemplate: '{"file": <$.body>}',
          BatchJobParameters: { JobDefinition: JD_A, JobName: 'from-pipe', RetryStrategy: { Attempts: 2 } },
        },
      }),
    );

  it('UpdatePipe changes the fields it names and keeps the rest', async () => {
    await create('feed');
    const updated = await pipes.send(new UpdatePipeCommand({ Name: 'feed', RoleArn: ROLE, Target: QUEUE_B }));
    expect(updated.CurrentState).toBe('UPDATING');
    const pipe = await pipes.send(new DescribePipeCommand({ Name: 'feed' }));
    expect(pipe.Target).toBe(QUEUE_B);
    expect(pipe.Description).toBe('feeds reprojection');
    expect(pipe.TargetParameters).toEqual({
      InputTemplate: '{"file": <$.body>}',
      BatchJobParameters: { JobDefinition: JD_A, JobName: 'from-pipe', RetryStrategy: { Attempts: 2 } },
    });
    expect(pipe.CurrentState).toBe('RUNNING');
  });

  it('a service-specific parameters object is replaced whole, as the API reference says', async () => {
    await create('feed');
    await pipes.send(
      new UpdatePipeCommand({
        Name: 'feed',
        RoleArn: ROLE,
        TargetParameters: { BatchJobParameters: { JobDefinition: JD_A, JobName: 'renamed' } },
      }),
    );
    const pipe = await pipes.send(new DescribePipeCommand({ Name: 'feed' }));
    expect(pipe.TargetParameters).toEqual({
      InputTemplate: '{"file": <$.body>}',
      BatchJobParameters: { JobDefinition: JD_A, JobName: 'renamed' },
    });
  });

  it('UpdatePipe of an unknown pipe is NotFoundException (404); CreatePipe of a taken name is ConflictException (409)', async () => {
    expect(await rejection(pipes.send(new UpdatePipeCommand({ Name: 'ghost', RoleArn: ROLE })))).toEqual(
      expect.objectContaining({ name: 'NotFoundException', status: 404 }),
    );
    await create('feed');
    expect(await rejection(create('feed'))).toEqual(
      expect.objectContaining({ name: 'ConflictException', status: 409 }),
    );
  });

  it('UpdatePipe without its required RoleArn is refused by model validation', async () => {
    await create('feed');
    const err = await rejection(
      pipes.send(
        new UpdatePipeCommand({ Name: 'feed', Target: QUEUE_B } as unknown as { Name: string; RoleArn: string }),
      ),
    );
    expect(err).toEqual(expect.objectContaining({ name: 'ValidationException', status: 400 }));
    expect(err.message).toMatch(/Value null at 'roleArn' failed to satisfy constraint: Member must not be null/);
    expect((await pipes.send(new DescribePipeCommand({ Name: 'feed' }))).Target).toBe(QUEUE_A);
  });
});

describe('Lambda (rest-json), without docker', () => {
  it('creates, lists and reads a function with its environment', async () => {
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'fn-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'submitter',
        Runtime: 'python3.12',
        Role: role.Role?.Arn,
        Handler: 'index.handler',
        Code: { ZipFile: ZIP },
        Environment: { Variables: { JOB_QUEUE: 'reproject-a', OTHER: 'x' } },
      }),
    );
    const listed = (await lambda.send(new ListFunctionsCommand({}))).Functions ?? [];
    expect(listed.map((f) => [f.FunctionName, f.Environment?.Variables])).toEqual([
      ['submitter', { JOB_QUEUE: 'reproject-a', OTHER: 'x' }],
    ]);
    const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'submitter' }));
    expect(config.Environment?.Variables?.JOB_QUEUE).toBe('reproject-a');
  });

  it('a function name the model does not allow is refused by model validation', async () => {
    const err = await rejection(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'bad name!' })));
    expect(err).toEqual(expect.objectContaining({ name: 'ValidationException', status: 400 }));
    expect(err.message).toMatch(
      /at 'functionName' failed to satisfy constraint: Member must satisfy regular expression/,
    );
  });
});

describe('SSM parameters by path', () => {
  it('reads a path recursively and overwrites a value', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/batch/queue', Value: QUEUE_A, Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/app/batch/deep/jd', Value: JD_A, Type: 'String' }));
    await ssm.send(new PutParameterCommand({ Name: '/other/queue', Value: QUEUE_A, Type: 'String' }));
    const flat = await ssm.send(new GetParametersByPathCommand({ Path: '/app/batch' }));
    expect(flat.Parameters?.map((p) => p.Name)).toEqual(['/app/batch/queue']);
    const deep = await ssm.send(new GetParametersByPathCommand({ Path: '/app/batch', Recursive: true }));
    expect(deep.Parameters?.map((p) => p.Name).sort()).toEqual(['/app/batch/deep/jd', '/app/batch/queue']);
    const put = await ssm.send(
      new PutParameterCommand({ Name: '/app/batch/queue', Value: QUEUE_B, Type: 'String', Overwrite: true }),
    );
    expect(put.Version).toBe(2);
  });
});
