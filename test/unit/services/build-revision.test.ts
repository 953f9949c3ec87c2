/**
 * Building B against Batch's wire contract (REST-JSON), pinned with nock: a small in-memory Batch answers as AWS
 * does, including the two refusals moto forgives.
 * - UpdateComputeEnvironment carrying only updatePolicy is rejected: "One of [state | compute-resources |
 *   service-role | unmanaged-vcpus] is required." (terraform-provider-aws #43969; aws-facts §8a).
 * - A create whose reply is lost is retried by the SDK and then answered "Object already exists" for the resource it
 *   just made (Batch Create* has no client token; aws-facts §4.4).
 */
import nock from 'nock';

import { createAws, type Aws } from '../../../src/aws/clients';
import type { PlanFile } from '../../../src/core/plan';
import type { DesiredRevision } from '../../../src/core/workload';
import { buildRevision } from '../../../src/services/build-revision';
import type { PromoteResult } from '../../../src/services/promote';
import { silentReporter } from '../../../src/services/swap-steps';
import { useNock } from '../aws/wire';

const ENDPOINT = 'http://batch.wire.test';
const ARN = 'arn:aws:batch:us-east-1:123456789012';
const PLAN_ID = 'p-0123456789ab';
const WAIT = { intervalMs: 10, maxIntervalMs: 20, timeoutMs: 3000 };

type Json = Record<string, unknown>;

/** A Batch that keeps its compute environments and queues, and records every call. */
function fakeBatch(options: { loseFirstCreateReply?: boolean } = {}) {
  const ces = new Map<string, Json>();
  const queues = new Map<string, Json>();
  const calls: { op: string; body: Json }[] = [];
  const clientError = (message: string): [number, Json, Record<string, string>] => [
    400,
    { message },
    { 'x-amzn-errortype': 'ClientException' },
  ];
  let creates = 0;
  nock(ENDPOINT)
    .persist()
    .post(/^\/v1\/\w+$/)
    .reply(function reply(uri, requestBody) {
      const op = uri.split('/').pop() ?? '';
      const body = (typeof requestBody === 'string' ? JSON.parse(requestBody || '{}') : requestBody) as Json;
      calls.push({ op, body });
      switch (op) {
        case 'createcomputeenvironment': {
          const name = body.computeEnvironmentName as string;
          if (ces.has(name)) return clientError('Object already exists');
          ces.set(name, {
            ...body,
            computeEnvironmentArn: `${ARN}:compute-environment/${name}`,
            status: 'VALID',
            state: body.state ?? 'ENABLED',
          });
          creates += 1;
          // The create happened; its reply never reaches the caller (a 500 the SDK retries).
          if (options.loseFirstCreateReply && creates === 1)
            return [500, { message: 'lost' }, { 'x-amzn-errortype': 'ServerException' }];
          return [200, { computeEnvironmentName: name, computeEnvironmentArn: `${ARN}:compute-environment/${name}` }];
        }
        case 'describecomputeenvironments': {
          const wanted = (body.computeEnvironments as string[] | undefined) ?? [...ces.keys()];
          const found = [...ces.values()].filter(
            (c) =>
              wanted.includes(c.computeEnvironmentName as string) || wanted.includes(c.computeEnvironmentArn as string),
          );
          return [200, { computeEnvironments: found }];
        }
        case 'updatecomputeenvironment': {
          if (!['state', 'computeResources', 'serviceRole', 'unmanagedvCpus'].some((k) => k in body))
            return clientError('One of [state | compute-resources | service-role | unmanaged-vcpus] is required.');
          const name = (body.computeEnvironment as string).split('/').pop() as string;
          const ce = ces.get(name);
          if (!ce) return clientError(`${name} does not exist`);
          Object.assign(
            ce,
            body.state ? { state: body.state } : {},
            body.updatePolicy ? { updatePolicy: body.updatePolicy } : {},
          );
          return [200, { computeEnvironmentName: name, computeEnvironmentArn: ce.computeEnvironmentArn }];
        }
        case 'createjobqueue': {
          const name = body.jobQueueName as string;
          if (queues.has(name)) return clientError('Object already exists');
          queues.set(name, { ...body, jobQueueArn: `${ARN}:job-queue/${name}`, status: 'VALID', state: 'ENABLED' });
          return [200, { jobQueueName: name, jobQueueArn: `${ARN}:job-queue/${name}` }];
        }
        case 'describejobqueues': {
          const wanted = (body.jobQueues as string[] | undefined) ?? [...queues.keys()];
          return [
            200,
            {
              jobQueues: [...queues.values()].filter(
                (q) => wanted.includes(q.jobQueueName as string) || wanted.includes(q.jobQueueArn as string),
              ),
            },
          ];
        }
        default:
          return clientError(`unexpected operation ${op}`);
      }
    });
  return { ces, calls };
}

function revisionB(updatePolicy?: {
  terminateJobsOnUpdate: boolean;
  jobExecutionTimeoutMinutes: number;
}): DesiredRevision {
  const tags = { 'batchctl:workload': 'reproject', 'batchctl:revision': 'b', 'batchctl:plan': PLAN_ID };
  return {
    label: 'b',
    launchTemplates: [],
    computeEnvironments: [
      {
        from: { name: 'reproject-spot-a', arn: `${ARN}:compute-environment/reproject-spot-a` },
        name: 'reproject-spot-b',
        arn: `${ARN}:compute-environment/reproject-spot-b`,
        input: {
          computeEnvironmentName: 'reproject-spot-b',
          type: 'MANAGED',
          state: 'ENABLED',
          computeResources: { type: 'SPOT', maxvCpus: 16, subnets: ['subnet-1'], instanceRole: 'ecsInstanceRole' },
          tags,
        },
        ...(updatePolicy ? { updatePolicy } : {}),
        disableAfterCreate: false,
        retireFrom: true,
      },
    ],
    jobQueue: {
      from: { name: 'reproject-a', arn: `${ARN}:job-queue/reproject-a` },
      name: 'reproject-b',
      arn: `${ARN}:job-queue/reproject-b`,
      input: {
        jobQueueName: 'reproject-b',
        priority: 1,
        state: 'ENABLED',
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: `${ARN}:compute-environment/reproject-spot-b` }],
        tags,
      },
    },
    jobDefinitions: [],
  };
}

const emptyResult = (): PromoteResult => ({
  planId: PLAN_ID,
  workload: 'reproject',
  status: 'complete',
  resumedFrom: 'start',
  created: [],
  repointed: [],
  drained: { queue: '', durationMs: 0 },
  deleted: [],
  timings: {},
});

let aws: Aws;
useNock();
beforeEach(() => {
  aws = createAws({ endpoint: ENDPOINT, region: 'us-east-1' });
});
afterEach(() => {
  aws.destroy();
});

const build = (b: DesiredRevision, result = emptyResult()) =>
  buildRevision(aws, { id: PLAN_ID } as PlanFile, b, WAIT, silentReporter, result, []).then(() => result);

it('applies updatePolicy together with the state the new compute environment has, in one call AWS accepts', async () => {
  const batch = fakeBatch();
  const policy = { terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: 30 };

  await build(revisionB(policy));

  const updates = batch.calls.filter((c) => c.op === 'updatecomputeenvironment');
  expect(updates.map((u) => u.body)).toEqual([
    { computeEnvironment: 'reproject-spot-b', state: 'ENABLED', updatePolicy: policy },
  ]);
  expect(batch.ces.get('reproject-spot-b')).toMatchObject({ state: 'ENABLED', updatePolicy: policy });
});

it('recognises its own compute environment when the create reply was lost and the retry says "already exists"', async () => {
  const batch = fakeBatch({ loseFirstCreateReply: true });

  const result = await build(revisionB());

  // The SDK sent the create twice: the first made it (reply lost), the retry was told it already exists.
  expect(batch.calls.filter((c) => c.op === 'createcomputeenvironment')).toHaveLength(2);
  expect(result.created.map((c) => `${c.kind}:${c.name}:${String(c.reused)}`)).toEqual([
    'compute-environment:reproject-spot-b:false',
    'job-queue:reproject-b:false',
  ]);
});

it("refuses at once a standing namesake that is not this plan's, instead of waiting for its name until the deadline", async () => {
  const batch = fakeBatch({ loseFirstCreateReply: true });
  const b = revisionB();
  const foreign = { ...b.computeEnvironments[0]!.input.tags, 'batchctl:plan': 'p-ffffffffffff' };
  b.computeEnvironments[0]!.input.tags = foreign;

  await expect(build(b)).rejects.toMatchObject({
    code: 'NameTaken',
    message: expect.stringContaining('compute environment reproject-spot-b exists and belongs to plan p-ffffffffffff'),
  });
  expect(batch.calls.filter((c) => c.op === 'createcomputeenvironment')).toHaveLength(2);
});
