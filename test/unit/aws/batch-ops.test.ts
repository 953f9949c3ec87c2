/**
 * Batch's eventual consistency around names and relationships, as the API answers it, driven through the real AWS
 * layer into src/services/batch-ops.ts. moto frees a name and a queue relationship at once; AWS does not (aws-facts
 * §3.1, §3.2).
 */
import nock from 'nock';

import { createOnceNameIsFree, deleteComputeEnvironment, type WaitOptions } from '../../../src/services/batch-ops';
import { awsAtNock, batchCall, useNock } from './wire';

useNock();

const WAIT: WaitOptions = { intervalMs: 10, maxIntervalMs: 20, timeoutMs: 5_000 };
const CE_ARN = 'arn:aws:batch:us-east-1:123456789012:compute-environment/ce-a';
const QUEUE_ARN = 'arn:aws:batch:us-east-1:123456789012:job-queue/q-b';

/** Batch's ClientException as the rest-json protocol carries it (botocore batch model: HTTP 400). */
function clientException(message: string): [number, Record<string, string>, Record<string, string>] {
  return [400, { message }, { 'x-amzn-ErrorType': 'ClientException', 'content-type': 'application/json' }];
}

function ceDetail(status: string, state: string): Record<string, unknown> {
  return {
    computeEnvironmentName: 'ce-a',
    computeEnvironmentArn: CE_ARN,
    ecsClusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c',
    type: 'MANAGED',
    status,
    state,
  };
}

describe('createOnceNameIsFree', () => {
  it('retries "Object already exists" (a namesake just deleted) until the create succeeds', async () => {
    // The namesake is gone from Describe, but the name is not yet free for Create.
    batchCall('DescribeJobQueues').reply(200, { jobQueues: [] }).persist();
    const refused = batchCall('CreateJobQueue')
      .times(2)
      .reply(...clientException('Object already exists'));
    const created = batchCall('CreateJobQueue').reply(200, { jobQueueName: 'q-b', jobQueueArn: QUEUE_ARN });
    const aws = awsAtNock();
    const made = await createOnceNameIsFree(
      async () => (await aws.batch.describeJobQueues(['q-b']))[0],
      () =>
        aws.batch.createJobQueue({
          jobQueueName: 'q-b',
          state: 'ENABLED',
          priority: 1,
          computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'ce-b' }],
        }),
      'job queue q-b',
      WAIT,
      'p-0123456789ab',
    );
    expect(made).toBe(true);
    expect(refused.isDone() && created.isDone()).toBe(true);
    expect(aws.stats.byOperation()['Batch.CreateJobQueue']).toBe(3);
  });

  it('same for CreateComputeEnvironment', async () => {
    batchCall('DescribeComputeEnvironments').reply(200, { computeEnvironments: [] }).persist();
    const refused = batchCall('CreateComputeEnvironment').reply(...clientException('Object already exists'));
    const created = batchCall('CreateComputeEnvironment').reply(200, {
      computeEnvironmentName: 'ce-b',
      computeEnvironmentArn: CE_ARN.replace('ce-a', 'ce-b'),
    });
    const aws = awsAtNock();
    const made = await createOnceNameIsFree(
      async () => (await aws.batch.describeComputeEnvironments(['ce-b']))[0],
      () => aws.batch.createComputeEnvironment({ computeEnvironmentName: 'ce-b', type: 'UNMANAGED', state: 'ENABLED' }),
      'compute environment ce-b',
      WAIT,
      'p-0123456789ab',
    );
    expect(made).toBe(true);
    expect(refused.isDone() && created.isDone()).toBe(true);
  });

  it('any other ClientException fails at once', async () => {
    batchCall('DescribeJobQueues').reply(200, { jobQueues: [] }).persist();
    batchCall('CreateJobQueue').reply(...clientException('computeEnvironmentOrder: ce-b is not VALID'));
    const aws = awsAtNock();
    await expect(
      createOnceNameIsFree(
        async () => (await aws.batch.describeJobQueues(['q-b']))[0],
        () => aws.batch.createJobQueue({ jobQueueName: 'q-b', priority: 1, computeEnvironmentOrder: [] }),
        'job queue q-b',
        WAIT,
        'p-0123456789ab',
      ),
    ).rejects.toMatchObject({ name: 'ClientException', message: 'computeEnvironmentOrder: ce-b is not VALID' });
    expect(aws.stats.byOperation()['Batch.CreateJobQueue']).toBe(1);
  });
});

describe('deleteComputeEnvironment', () => {
  it('retries "Cannot delete, found existing JobQueue relationship" until Batch lets go, then waits until gone', async () => {
    const before = [
      batchCall('DescribeComputeEnvironments').reply(200, { computeEnvironments: [ceDetail('VALID', 'DISABLED')] }),
      // setComputeEnvironmentState: already DISABLED, then its wait for VALID and DISABLED.
      batchCall('DescribeComputeEnvironments')
        .times(2)
        .reply(200, { computeEnvironments: [ceDetail('VALID', 'DISABLED')] }),
    ];
    const related = batchCall('DeleteComputeEnvironment')
      .times(2)
      .reply(...clientException('Cannot delete, found existing JobQueue relationship'));
    const deleted = batchCall('DeleteComputeEnvironment').reply(200, {});
    const gone = [
      batchCall('DescribeComputeEnvironments').reply(200, { computeEnvironments: [ceDetail('DELETING', 'DISABLED')] }),
      batchCall('DescribeComputeEnvironments').reply(200, { computeEnvironments: [] }),
    ];
    const aws = awsAtNock();
    await expect(deleteComputeEnvironment(aws, { name: 'ce-a', arn: CE_ARN }, WAIT)).resolves.toBe(true);
    expect([...before, related, deleted, ...gone].every((s) => s.isDone())).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('gives up at the deadline, naming what it waited for', async () => {
    batchCall('DescribeComputeEnvironments')
      .reply(200, { computeEnvironments: [ceDetail('VALID', 'DISABLED')] })
      .persist();
    batchCall('DeleteComputeEnvironment')
      .reply(...clientException('Cannot delete, found existing JobQueue relationship'))
      .persist();
    await expect(
      deleteComputeEnvironment(awsAtNock(), { name: 'ce-a', arn: CE_ARN }, { ...WAIT, timeoutMs: 200 }),
    ).rejects.toThrow('Timed out waiting for compute environment ce-a to be released by its queue.');
  });
});
