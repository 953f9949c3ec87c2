/**
 * Throttling and 5xx, as each protocol really answers them, are retried by our clients (adaptive retry, aws-facts
 * §2.4) and the call then succeeds. moto never throttles, so only these tests show the retry is wired.
 */
import nock from 'nock';

import { awsAtNock, batchCall, ec2Error, queryCall, sfnCall, ssmCall, useNock, XML } from './wire';

useNock();
// After a throttle, adaptive mode's client-side limiter paces the retry (about 2 s here); a loaded machine needs room.
jest.setTimeout(30_000);

const QUEUE = {
  jobQueueName: 'q',
  jobQueueArn: 'arn:aws:batch:us-east-1:123456789012:job-queue/q',
  state: 'ENABLED',
  status: 'VALID',
  priority: 1,
  computeEnvironmentOrder: [],
};

describe('throttling is retried per protocol', () => {
  it('Batch (rest-json): HTTP 429 TooManyRequestsException, named in x-amzn-ErrorType', async () => {
    // Not in the Batch model; seen in practice above the SubmitJob rate (aws-facts §2.1 [S32]).
    const throttled = batchCall('DescribeJobQueues').reply(
      429,
      { message: 'Too Many Requests.' },
      { 'x-amzn-ErrorType': 'TooManyRequestsException', 'content-type': 'application/json' },
    );
    const ok = batchCall('DescribeJobQueues').reply(200, { jobQueues: [QUEUE] });
    const aws = awsAtNock();
    const queues = await aws.batch.describeJobQueues(['q']);
    expect(queues.map((q) => q.jobQueueName)).toEqual(['q']);
    expect(throttled.isDone() && ok.isDone()).toBe(true);
  });

  it('Step Functions (JSON 1.0): HTTP 400 ThrottlingException', async () => {
    // Step Functions API reference, Common Errors: ThrottlingException, HTTP 400.
    const throttled = sfnCall('DescribeStateMachine').reply(
      400,
      { __type: 'ThrottlingException', message: 'Rate exceeded' },
      { 'content-type': 'application/x-amz-json-1.0' },
    );
    const ok = sfnCall('DescribeStateMachine').reply(200, {
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm',
      name: 'sm',
      definition: '{}',
      roleArn: 'arn:aws:iam::123456789012:role/r',
      type: 'STANDARD',
      creationDate: 1700000000,
    });
    const aws = awsAtNock();
    const described = await aws.sfn.describeStateMachine('arn:aws:states:us-east-1:123456789012:stateMachine:sm');
    expect(described.name).toBe('sm');
    expect(throttled.isDone() && ok.isDone()).toBe(true);
  });

  it('EC2 (XML): HTTP 503 RequestLimitExceeded in <Response><Errors><Error>', async () => {
    // EC2 API reference, "Request throttling" (aws-facts §2.3 [S14]): RequestLimitExceeded.
    const throttled = queryCall('DescribeLaunchTemplates').reply(
      503,
      ec2Error('RequestLimitExceeded', 'Request limit exceeded.'),
      XML,
    );
    const ok = queryCall('DescribeLaunchTemplates').reply(
      200,
      `<DescribeLaunchTemplatesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><launchTemplates><item><launchTemplateId>lt-0abc</launchTemplateId><launchTemplateName>lt-a</launchTemplateName></item></launchTemplates></DescribeLaunchTemplatesResponse>`,
      XML,
    );
    const aws = awsAtNock();
    const templates = await aws.ec2.findLaunchTemplatesByName(['lt-a']);
    expect(templates.map((t) => t.LaunchTemplateId)).toEqual(['lt-0abc']);
    expect(throttled.isDone() && ok.isDone()).toBe(true);
  });

  it('SSM (JSON 1.1): HTTP 400 ThrottlingException', async () => {
    // botocore ssm/2014-11-06 service-2.json declares ThrottlingException.
    const throttled = ssmCall('GetParameter').reply(
      400,
      { __type: 'ThrottlingException', message: 'Rate exceeded' },
      { 'content-type': 'application/x-amz-json-1.1' },
    );
    const ok = ssmCall('GetParameter').reply(200, {
      Parameter: { Name: '/batchctl/lock/w', Value: '{"plan":"p"}', Version: 3, Type: 'String' },
    });
    const aws = awsAtNock();
    await expect(aws.ssm.getParameter('/batchctl/lock/w')).resolves.toEqual({
      name: '/batchctl/lock/w',
      value: '{"plan":"p"}',
      version: 3,
    });
    expect(throttled.isDone() && ok.isDone()).toBe(true);
  });
});

describe('server errors are retried', () => {
  it('Batch ServerException (HTTP 500, botocore batch model)', async () => {
    const failed = batchCall('DescribeComputeEnvironments').reply(
      500,
      { message: 'Internal server error' },
      { 'x-amzn-ErrorType': 'ServerException', 'content-type': 'application/json' },
    );
    const ok = batchCall('DescribeComputeEnvironments').reply(200, {
      computeEnvironments: [{ computeEnvironmentName: 'ce', computeEnvironmentArn: 'arn:ce', ecsClusterArn: 'c' }],
    });
    const aws = awsAtNock();
    const ces = await aws.batch.describeComputeEnvironments(['ce']);
    expect(ces.map((c) => c.computeEnvironmentName)).toEqual(['ce']);
    expect(failed.isDone() && ok.isDone()).toBe(true);
  });

  it.each([502, 503])('an HTML %i from a proxy, then the real answer', async (status) => {
    const failed = sfnCall('ListStateMachines').reply(
      status,
      `<html><head><title>${status}</title></head><body><h1>${status} Bad Gateway</h1></body></html>`,
      { 'content-type': 'text/html' },
    );
    const ok = sfnCall('ListStateMachines').reply(200, {
      stateMachines: [
        {
          stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm',
          name: 'sm',
          type: 'STANDARD',
          creationDate: 1700000000,
        },
      ],
    });
    const aws = awsAtNock();
    const machines = await aws.sfn.listStateMachines();
    expect(machines.map((m) => m.name)).toEqual(['sm']);
    expect(failed.isDone() && ok.isDone()).toBe(true);
  });

  it('a Batch ClientException (400) is not retried', async () => {
    // aws-facts §2.4: ClientException is not retryable; retrying it would only repeat the mistake.
    batchCall('UpdateJobQueue').reply(
      400,
      { message: 'jobQueue q is not valid' },
      { 'x-amzn-ErrorType': 'ClientException', 'content-type': 'application/json' },
    );
    const aws = awsAtNock();
    await expect(aws.batch.updateJobQueue({ jobQueue: 'q', state: 'DISABLED' })).rejects.toMatchObject({
      name: 'ClientException',
      message: 'jobQueue q is not valid',
      $metadata: expect.objectContaining({ attempts: 1 }),
    });
    expect(nock.pendingMocks()).toEqual([]);
  });
});
