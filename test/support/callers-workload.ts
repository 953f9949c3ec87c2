/**
 * The demo workload's callers besides Step Functions (issue 9): an EventBridge rule (disabled, on a bus of its own)
 * whose Batch target is A's queue, a Scheduler schedule whose Batch universal target names A's queue, a pipe whose
 * target is A's queue, a Lambda function whose environment names A's queue, an SSM parameter holding A's queue ARN,
 * and a near miss: a rule whose target is a queue whose name starts like A's. Seeded beside seedDemoWorkload().
 */
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { CreatePipeCommand, PipesClient } from '@aws-sdk/client-pipes';
import { CreateScheduleCommand, CreateScheduleGroupCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { ACCOUNT, clientConfig, type DemoWorkload, REGION } from './demo-workload';

export const NEAR_MISS_QUEUE = `arn:aws:batch:${REGION}:${ACCOUNT}:job-queue/reproject-a-old`;
export const CALLER_ROLE = `arn:aws:iam::${ACCOUNT}:role/callers-role`;
export const PARAMETER = '/reproject/queue-arn';
// index.py with `handler`, zipped: CreateFunction needs a .zip archive.
const ZIP = Buffer.from(
  'UEsDBBQAAAAAAPS2fl20CHBpLgAAAC4AAAAIAAAAaW5kZXgucHlkZWYgaGFuZGxlcihldmVudCwgY29udGV4dCk6CiAgICByZXR1cm4gZXZlbnQKUEsBAhQDFAAAAAAA9LZ+XbQIcGkuAAAALgAAAAgAAAAAAAAAAAAAAIABAAAAAGluZGV4LnB5UEsFBgAAAAABAAEANgAAAFQAAAAAAA==',
  'base64',
);

export async function seedCallers(endpoint: string, demo: DemoWorkload): Promise<void> {
  const config = clientConfig(endpoint);
  const events = new EventBridgeClient(config);
  const scheduler = new SchedulerClient(config);
  const pipes = new PipesClient(config);
  const lambda = new LambdaClient(config);
  const ssm = new SSMClient(config);
  const iam = new IAMClient(config);
  try {
    await events.send(new CreateEventBusCommand({ Name: 'jobs' }));
    await events.send(
      new PutRuleCommand({
        Name: 'nightly',
        EventBusName: 'jobs',
        // A schedule expression is only allowed on the default bus (PutRule): a custom bus's rules match events.
        EventPattern: JSON.stringify({ source: ['reproject.uploads'] }),
        State: 'DISABLED',
      }),
    );
    await events.send(
      new PutTargetsCommand({
        Rule: 'nightly',
        EventBusName: 'jobs',
        Targets: [
          {
            Id: 'reproject',
            Arn: demo.queueArn,
            RoleArn: CALLER_ROLE,
            BatchParameters: { JobDefinition: 'reproject', JobName: 'nightly', RetryStrategy: { Attempts: 2 } },
            Input: '{"Parameters":{"tile":"all"}}',
          },
        ],
      }),
    );
    await events.send(new PutRuleCommand({ Name: 'near-miss', ScheduleExpression: 'rate(1 hour)' }));
    await events.send(
      new PutTargetsCommand({
        Rule: 'near-miss',
        Targets: [
          {
            Id: 'old',
            Arn: NEAR_MISS_QUEUE,
            RoleArn: CALLER_ROLE,
            BatchParameters: { JobDefinition: 'x', JobName: 'x' },
          },
        ],
      }),
    );
    await scheduler.send(new CreateScheduleGroupCommand({ Name: 'batch' }));
    await scheduler.send(
      new CreateScheduleCommand({
        Name: 'weekly',
        GroupName: 'batch',
        ScheduleExpression: 'cron(0 4 ? * MON *)',
        ScheduleExpressionTimezone: 'Europe/Paris',
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 30 },
        Description: 'weekly full reprojection',
        State: 'ENABLED',
        Target: {
          Arn: 'arn:aws:scheduler:::aws-sdk:batch:submitJob',
          RoleArn: CALLER_ROLE,
          Input: JSON.stringify({ JobName: 'weekly', JobQueue: 'reproject-a', JobDefinition: 'reproject' }),
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        },
      }),
    );
    await pipes.send(
      new CreatePipeCommand({
        Name: 'tiles-in',
        RoleArn: CALLER_ROLE,
        Source: `arn:aws:sqs:${REGION}:${ACCOUNT}:tiles`,
        Target: demo.queueArn,
        TargetParameters: { BatchJobParameters: { JobDefinition: demo.jobDefinitionArn, JobName: 'tile' } },
      }),
    );
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'submitter-role',
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
        Environment: { Variables: { JOB_QUEUE: 'reproject-a', DB_PASSWORD: 'not-for-plans' } },
      }),
    );
    await ssm.send(new PutParameterCommand({ Name: PARAMETER, Value: demo.queueArn, Type: 'String' }));
  } finally {
    for (const c of [events, scheduler, pipes, lambda, ssm, iam]) c.destroy();
  }
}
