/**
 * The caller services batchctl reads and repoints besides Step Functions (issue 9), at the HTTP level: each
 * protocol's pagination, throttling retried, and the errors batchctl must tell apart reaching it under AWS's name
 * and not retried. Status codes and error names are the botocore models' (events 2015-10-07, scheduler 2021-06-30,
 * pipes 2015-10-07, lambda 2015-03-31, ssm 2014-11-06) and each API reference's "Errors" section.
 */
import nock from 'nock';

import { PutTargetsFailed } from '../../../src/aws/events';
import { awsAtNock, ENDPOINT, jsonError, rejectionOf, ssmCall, useNock } from './wire';

useNock();
// After a throttle, adaptive mode's client-side limiter paces the retry (about 2 s here); a loaded machine needs room.
jest.setTimeout(30_000);

const ACCOUNT = '123456789012';
const QUEUE_A = `arn:aws:batch:us-east-1:${ACCOUNT}:job-queue/reproject-a`;
const REST = { 'content-type': 'application/json' };

/** EventBridge speaks JSON 1.1: POST / with X-Amz-Target AWSEvents.<Operation>. */
function eventsCall(operation: string, body?: nock.RequestBodyMatcher): nock.Interceptor {
  return nock(ENDPOINT).matchHeader('x-amz-target', `AWSEvents.${operation}`).post('/', body);
}

/** A rest-json error as Scheduler, Pipes and Lambda send it: the code in x-amzn-ErrorType, the message in the body. */
function restError(type: string, message: string): [Record<string, string>, Record<string, string>] {
  return [{ message }, { ...REST, 'x-amzn-ErrorType': type }];
}

function attempts(error: Record<string, unknown>): number | undefined {
  return (error.$metadata as { attempts?: number } | undefined)?.attempts;
}

describe('EventBridge (JSON 1.1)', () => {
  it('lists every bus and every rule of a bus across pages', async () => {
    eventsCall('ListEventBuses').reply(200, { EventBuses: [{ Name: 'default' }], NextToken: 't1' });
    eventsCall('ListEventBuses', (b: { NextToken?: string }) => b.NextToken === 't1').reply(200, {
      EventBuses: [{ Name: 'jobs' }],
    });
    eventsCall('ListRules', (b: { EventBusName?: string; NextToken?: string }) => !b.NextToken).reply(200, {
      Rules: [{ Name: 'a', Arn: 'arn:a', EventBusName: 'jobs', State: 'DISABLED' }],
      NextToken: 'r1',
    });
    eventsCall('ListRules', (b: { NextToken?: string }) => b.NextToken === 'r1').reply(200, {
      Rules: [{ Name: 'b', Arn: 'arn:b', EventBusName: 'jobs', State: 'ENABLED' }],
    });
    const aws = awsAtNock();
    expect(await aws.events.listEventBusNames()).toEqual(['default', 'jobs']);
    expect((await aws.events.listRules('jobs')).map((r) => [r.name, r.state])).toEqual([
      ['a', 'DISABLED'],
      ['b', 'ENABLED'],
    ]);
  });

  it('ThrottlingException (HTTP 400) is retried and the call then succeeds', async () => {
    // EventBridge API reference, Common Errors: ThrottlingException, HTTP 400.
    const throttled = eventsCall('ListTargetsByRule').reply(400, ...jsonError('ThrottlingException', 'Rate exceeded'));
    const ok = eventsCall('ListTargetsByRule').reply(200, { Targets: [{ Id: 'batch', Arn: QUEUE_A }] });
    const targets = await awsAtNock().events.listTargetsByRule('nightly', 'default');
    expect(targets).toEqual([{ Id: 'batch', Arn: QUEUE_A }]);
    expect(throttled.isDone() && ok.isDone()).toBe(true);
  });

  it.each([
    // API_PutTargets, Errors: the rule is gone (deleted since discovery).
    ['ResourceNotFoundException', 'Rule nightly does not exist on EventBus default.'],
    // API_PutTargets, Errors: "There is concurrent modification on a rule, target, archive, or replay."
    ['ConcurrentModificationException', 'There is concurrent modification on a rule, target, archive, or replay.'],
    // Common Errors: ValidationException (a constraint failed).
    ['ValidationException', "1 validation error detected: Value at 'targets.1.member.id' failed to satisfy constraint"],
  ])('PutTargets: %s reaches batchctl by name, not retried', async (code, message) => {
    const scope = eventsCall('PutTargets')
      .times(1)
      .reply(400, ...jsonError(code, message));
    const error = await rejectionOf(awsAtNock().events.putTargets('nightly', 'default', [{ Id: 'b', Arn: QUEUE_A }]));
    expect(error.name).toBe(code);
    expect(error.message).toBe(message);
    expect(attempts(error)).toBe(1);
    expect(scope.isDone()).toBe(true);
  });

  it('PutTargets answering 200 with FailedEntryCount > 0 is a failure, naming each refused target', async () => {
    // API_PutTargets: "This action can partially fail if too many requests are made at the same time. If that
    // happens, FailedEntryCount is non-zero in the response and each entry in FailedEntries provides the ID of the
    // failed target and the error code."
    eventsCall('PutTargets').reply(200, {
      FailedEntryCount: 1,
      FailedEntries: [
        { TargetId: 'batch', ErrorCode: 'ConcurrentModificationException', ErrorMessage: 'concurrent update' },
      ],
    });
    const error = await rejectionOf(
      awsAtNock().events.putTargets('nightly', 'default', [{ Id: 'batch', Arn: QUEUE_A }]),
    );
    expect(error).toBeInstanceOf(PutTargetsFailed);
    expect(error.message).toBe(
      'PutTargets on rule nightly refused 1 target(s): batch: ConcurrentModificationException concurrent update',
    );
  });

  it('PutTargets sends the rule, the bus and the targets as given', async () => {
    let sent: unknown;
    eventsCall('PutTargets', (body: unknown) => {
      sent = body;
      return true;
    }).reply(200, { FailedEntryCount: 0, FailedEntries: [] });
    const target = {
      Id: 'batch',
      Arn: QUEUE_A,
      RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`,
      BatchParameters: { JobDefinition: 'jd', JobName: 'n', RetryStrategy: { Attempts: 2 } },
      Input: '{"k":"v"}',
    };
    await awsAtNock().events.putTargets('nightly', 'jobs', [target]);
    expect(sent).toEqual({ Rule: 'nightly', EventBusName: 'jobs', Targets: [target] });
  });
});

describe('EventBridge Scheduler (rest-json)', () => {
  it('lists every group in one listing (no GroupName) across pages', async () => {
    nock(ENDPOINT)
      .get('/schedules')
      .query({ MaxResults: '100' })
      .reply(200, {
        Schedules: [{ Name: 'n', GroupName: 'batch', State: 'DISABLED', Target: { Arn: 'x' } }],
        NextToken: 'p2',
      });
    nock(ENDPOINT)
      .get('/schedules')
      .query({ MaxResults: '100', NextToken: 'p2' })
      .reply(200, { Schedules: [{ Name: 'h', GroupName: 'default', State: 'ENABLED', Target: { Arn: 'y' } }] });
    const listed = await awsAtNock().scheduler.listSchedules();
    expect(listed).toEqual([
      { name: 'n', groupName: 'batch', targetArn: 'x', state: 'DISABLED' },
      { name: 'h', groupName: 'default', targetArn: 'y', state: 'ENABLED' },
    ]);
  });

  it('ThrottlingException (HTTP 429) is retried', async () => {
    // scheduler service-2.json: ThrottlingException, httpStatusCode 429.
    const throttled = nock(ENDPOINT)
      .get('/schedules/nightly')
      .query({ groupName: 'batch' })
      .reply(429, ...restError('ThrottlingException', 'Rate exceeded'));
    const ok = nock(ENDPOINT)
      .get('/schedules/nightly')
      .query({ groupName: 'batch' })
      .reply(200, { Name: 'nightly', GroupName: 'batch' }, REST);
    expect((await awsAtNock().scheduler.getSchedule('nightly', 'batch')).Name).toBe('nightly');
    expect(throttled.isDone() && ok.isDone()).toBe(true);
  });

  it.each([
    [404, 'ResourceNotFoundException', 'Schedule nightly does not exist.'],
    // API_UpdateSchedule, Errors: ConflictException, 409 (a concurrent update of the same schedule).
    [409, 'ConflictException', 'Schedule nightly is being updated.'],
    [400, 'ValidationException', 'Invalid request provided: Target Input must be valid JSON.'],
  ])('UpdateSchedule: HTTP %i %s reaches batchctl by name, not retried', async (status, code, message) => {
    const scope = nock(ENDPOINT)
      .put('/schedules/nightly')
      .times(1)
      .reply(status, ...restError(code, message));
    const error = await rejectionOf(
      awsAtNock().scheduler.updateSchedule({
        Name: 'nightly',
        GroupName: 'batch',
        ScheduleExpression: 'rate(1 day)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: 'arn:aws:scheduler:::aws-sdk:batch:submitJob', RoleArn: 'arn:aws:iam::1:role/r' },
      }),
    );
    expect(error.name).toBe(code);
    expect(error.message).toBe(message);
    expect(attempts(error)).toBe(1);
    expect(scope.isDone()).toBe(true);
  });
});

describe('EventBridge Pipes (rest-json)', () => {
  it('lists pipes across pages and retries ThrottlingException (HTTP 429)', async () => {
    nock(ENDPOINT)
      .get('/v1/pipes')
      .query({ Limit: '100' })
      .reply(429, ...restError('ThrottlingException', 'Rate exceeded'));
    nock(ENDPOINT)
      .get('/v1/pipes')
      .query({ Limit: '100' })
      .reply(
        200,
        { Pipes: [{ Name: 'feed', Arn: 'arn:feed', Target: QUEUE_A, CurrentState: 'RUNNING' }], NextToken: 'n' },
        REST,
      );
    nock(ENDPOINT)
      .get('/v1/pipes')
      .query({ Limit: '100', NextToken: 'n' })
      .reply(200, { Pipes: [{ Name: 'other', Arn: 'arn:other', Target: 'arn:sqs', CurrentState: 'STOPPED' }] }, REST);
    const listed = await awsAtNock().pipes.listPipes();
    expect(listed.map((p) => p.name)).toEqual(['feed', 'other']);
  });

  it.each([
    [404, 'NotFoundException', 'Pipe feed not found'],
    // API_UpdatePipe, Errors: ConflictException, 409 (the pipe is being changed).
    [409, 'ConflictException', 'Pipe feed is in state UPDATING'],
    [400, 'ValidationException', 'RoleArn is a required parameter'],
  ])('UpdatePipe: HTTP %i %s reaches batchctl by name, not retried', async (status, code, message) => {
    const scope = nock(ENDPOINT)
      .put('/v1/pipes/feed')
      .times(1)
      .reply(status, ...restError(code, message));
    const error = await rejectionOf(awsAtNock().pipes.updatePipe({ Name: 'feed', RoleArn: 'r', Target: QUEUE_A }));
    expect(error.name).toBe(code);
    expect(error.message).toBe(message);
    expect(attempts(error)).toBe(1);
    expect(scope.isDone()).toBe(true);
  });
});

describe('Lambda (rest-json)', () => {
  it('lists every function environment across pages, and marks one Lambda could not decrypt as unreadable', async () => {
    nock(ENDPOINT)
      .get('/2015-03-31/functions')
      .query({ MaxItems: '50' })
      .reply(
        200,
        {
          Functions: [
            { FunctionName: 'a', FunctionArn: 'arn:a', Environment: { Variables: { JOB_QUEUE: 'reproject-a' } } },
          ],
          NextMarker: 'm',
        },
        REST,
      );
    nock(ENDPOINT)
      .get('/2015-03-31/functions')
      .query({ MaxItems: '50', Marker: 'm' })
      .reply(
        200,
        {
          Functions: [
            {
              FunctionName: 'b',
              FunctionArn: 'arn:b',
              // API_EnvironmentResponse: Error, "Error messages for environment variables that couldn't be applied."
              Environment: { Error: { ErrorCode: 'AccessDeniedException', Message: 'KMS key not usable' } },
            },
            { FunctionName: 'c', FunctionArn: 'arn:c' },
          ],
        },
        REST,
      );
    expect(await awsAtNock().lambda.listFunctionEnvironments()).toEqual([
      { name: 'a', arn: 'arn:a', variables: { JOB_QUEUE: 'reproject-a' } },
      { name: 'b', arn: 'arn:b', variables: {}, unreadable: 'AccessDeniedException: KMS key not usable' },
      { name: 'c', arn: 'arn:c', variables: {} },
    ]);
  });

  it('TooManyRequestsException (HTTP 429) is retried', async () => {
    // API_ListFunctions, Errors: TooManyRequestsException, HTTP 429 ("The request throughput limit was exceeded").
    const throttled = nock(ENDPOINT)
      .get('/2015-03-31/functions')
      .query({ MaxItems: '50' })
      .reply(
        429,
        { message: 'Rate exceeded', Reason: 'CallerRateLimitExceeded', Type: 'User' },
        {
          ...REST,
          'x-amzn-ErrorType': 'TooManyRequestsException',
          'Retry-After': '1',
        },
      );
    const ok = nock(ENDPOINT)
      .get('/2015-03-31/functions')
      .query({ MaxItems: '50' })
      .reply(200, { Functions: [] }, REST);
    expect(await awsAtNock().lambda.listFunctionEnvironments()).toEqual([]);
    expect(throttled.isDone() && ok.isDone()).toBe(true);
  });
});

describe('SSM parameters by path and overwrite (JSON 1.1)', () => {
  it('reads a path across pages without decrypting', async () => {
    let first: unknown;
    ssmCall('GetParametersByPath').reply(200, (_uri: string, body: unknown) => {
      first = JSON.parse(body as string);
      return { Parameters: [{ Name: '/app/q', Value: QUEUE_A, Version: 1, Type: 'String' }], NextToken: 'n' };
    });
    ssmCall('GetParametersByPath').reply(200, {
      Parameters: [{ Name: '/app/secret', Value: 'AQICAH...', Version: 3, Type: 'SecureString' }],
    });
    const got = await awsAtNock().ssm.getParametersByPath('/app', true);
    expect(first).toEqual({ Path: '/app', Recursive: true, MaxResults: 10 });
    expect(got).toEqual([
      { name: '/app/q', value: QUEUE_A, version: 1, type: 'String' },
      { name: '/app/secret', value: 'AQICAH...', version: 3, type: 'SecureString' },
    ]);
  });

  it('overwrite sends Overwrite and Intelligent-Tiering; ParameterVersionLimitExceeded reaches batchctl by name', async () => {
    let sent: unknown;
    ssmCall('PutParameter').reply(200, (_uri: string, body: unknown) => {
      sent = JSON.parse(body as string);
      return { Version: 2, Tier: 'Standard' };
    });
    expect(await awsAtNock().ssm.overwriteParameter('/app/q', QUEUE_A)).toBe(2);
    expect(sent).toEqual({
      Name: '/app/q',
      Value: QUEUE_A,
      Type: 'String',
      Overwrite: true,
      Tier: 'Intelligent-Tiering',
    });
    // API_PutParameter, Errors: ParameterMaxVersionLimitExceeded (100 versions, the oldest still labelled).
    ssmCall('PutParameter')
      .times(1)
      .reply(400, ...jsonError('ParameterMaxVersionLimitExceeded', 'Parameter /app/q has 100 versions.'));
    const error = await rejectionOf(awsAtNock().ssm.overwriteParameter('/app/q', QUEUE_A));
    expect(error.name).toBe('ParameterMaxVersionLimitExceeded');
    expect(attempts(error)).toBe(1);
  });
});
