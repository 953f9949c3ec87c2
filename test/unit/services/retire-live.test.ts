/**
 * Deregistering A's job definition revision at retirement, against Batch's and Step Functions' wire contracts
 * (nock): an execution pending redrive keeps it, because RedriveExecution restarts a FAILED, TIMED_OUT or ABORTED
 * Standard execution (within 14 days) with its original definition (aws-facts §8a; API_RedriveExecution). The
 * emulator cannot show this: moto has no redriveStatus.
 */
import nock from 'nock';

import { createAws, type Aws } from '../../../src/aws/clients';
import type { PlanFile } from '../../../src/core/plan';
import { retireLive } from '../../../src/services/retire-live';
import { batchStateMachineDefinition } from '../../support/demo-workload';
import { useNock } from '../aws/wire';
import { stepRecorder as recorder } from '../../support/step-recorder';

const ENDPOINT = 'http://retire.wire.test';
const BATCH = 'arn:aws:batch:us-east-1:123456789012';
const STATES = 'arn:aws:states:us-east-1:123456789012';
const A_REVISION = `${BATCH}:job-definition/reproject:1`;
const MACHINE = `${STATES}:stateMachine:reproject-workflow`;
const DAY_S = 24 * 3600;

type Json = Record<string, unknown>;

interface Failed {
  name: string;
  stoppedDaysAgo: number;
  redriveStatus: 'REDRIVABLE' | 'NOT_REDRIVABLE';
  definition: string;
}

/** Batch: A's queue already deleted, A's revision ACTIVE. Step Functions: one Standard state machine on B. */
function fakeAccount(failed: Failed[]) {
  const calls: { op: string; body: Json }[] = [];
  const epoch = (daysAgo: number) => Date.now() / 1000 - daysAgo * DAY_S;
  nock(ENDPOINT)
    .persist()
    .post(/.*/)
    .reply(function reply(uri, requestBody) {
      const body = (typeof requestBody === 'string' ? JSON.parse(requestBody || '{}') : requestBody) as Json;
      const target = this.req.headers['x-amz-target'];
      const op = typeof target === 'string' ? (target.split('.').pop() ?? '') : (uri.split('/').pop() ?? '');
      calls.push({ op, body });
      const byName = (name: unknown) => failed.find((f) => `${STATES}:execution:reproject-workflow:${f.name}` === name);
      switch (op) {
        case 'describejobqueues':
          return [200, { jobQueues: [] }];
        case 'describejobdefinitions':
          return [
            200,
            {
              jobDefinitions: [
                {
                  jobDefinitionName: 'reproject',
                  jobDefinitionArn: A_REVISION,
                  revision: 1,
                  status: 'ACTIVE',
                  type: 'container',
                },
              ],
            },
          ];
        case 'deregisterjobdefinition':
          return [200, {}];
        case 'ListStateMachines':
          return [
            200,
            {
              stateMachines: [
                { name: 'reproject-workflow', stateMachineArn: MACHINE, type: 'STANDARD', creationDate: epoch(30) },
              ],
            },
          ];
        case 'DescribeStateMachine':
          return [
            200,
            {
              stateMachineArn: MACHINE,
              name: 'reproject-workflow',
              definition: batchStateMachineDefinition('reproject-b', 'reproject-b'),
              roleArn: 'arn:aws:iam::123456789012:role/workflow-role',
              type: 'STANDARD',
              creationDate: epoch(30),
            },
          ];
        case 'ListStateMachineVersions':
          return [200, { stateMachineVersions: [] }];
        case 'ListExecutions': {
          const executions = failed
            .filter(() => body.statusFilter === 'FAILED')
            .map((f) => ({
              executionArn: `${STATES}:execution:reproject-workflow:${f.name}`,
              stateMachineArn: MACHINE,
              name: f.name,
              status: 'FAILED',
              startDate: epoch(f.stoppedDaysAgo + 0.01),
              stopDate: epoch(f.stoppedDaysAgo),
            }));
          return [200, { executions }];
        }
        case 'DescribeExecution': {
          const f = byName(body.executionArn);
          return [
            200,
            {
              executionArn: body.executionArn,
              stateMachineArn: MACHINE,
              status: 'FAILED',
              startDate: epoch(3),
              redriveStatus: f?.redriveStatus,
            },
          ];
        }
        case 'DescribeStateMachineForExecution': {
          const f = byName(body.executionArn);
          return [
            200,
            {
              stateMachineArn: MACHINE,
              name: 'reproject-workflow',
              definition: f?.definition ?? '',
              roleArn: 'arn:aws:iam::123456789012:role/workflow-role',
              updateDate: epoch(3),
            },
          ];
        }
        default:
          return [400, { __type: 'ValidationException', message: `unexpected ${op}` }];
      }
    });
  return calls;
}

const plan = {
  id: 'p-0123456789ab',
  live: {
    label: 'a',
    queue: { name: 'reproject-a', arn: `${BATCH}:job-queue/reproject-a` },
    computeEnvironments: [],
    launchTemplates: [],
    jobDefinitions: [{ name: 'reproject', arn: A_REVISION, revision: 1 }],
  },
  target: {
    label: 'b',
    launchTemplates: [],
    computeEnvironments: [],
    jobQueue: { from: { name: 'reproject-a', arn: '' }, name: 'reproject-b', arn: '', input: {} },
    jobDefinitions: [{ from: { name: 'reproject', arn: A_REVISION, revision: 1 }, changed: true, name: 'reproject-b' }],
  },
  references: [],
  steps: [],
} as unknown as PlanFile;

const WAIT = { intervalMs: 10, maxIntervalMs: 10, timeoutMs: 2000 };
const ON_A = batchStateMachineDefinition('reproject-a', A_REVISION);
let aws: Aws;
useNock();
beforeEach(() => {
  aws = createAws({ endpoint: ENDPOINT, region: 'us-east-1' });
});
afterEach(() => {
  aws.destroy();
});

it("keeps A's revision while a failed execution that names it can still be redriven", async () => {
  const calls = fakeAccount([
    { name: 'nightly-0412', stoppedDaysAgo: 2, redriveStatus: 'REDRIVABLE', definition: ON_A },
  ]);
  const reporter = recorder();

  const deleted = await retireLive(aws, plan, WAIT, reporter, [], () => true);

  expect(calls.map((c) => c.op)).not.toContain('deregisterjobdefinition');
  expect(deleted).toEqual([]);
  expect(reporter.steps.get('deregister-job-definition:reproject:1')).toBe(
    'skipped: kept: named by FAILED execution nightly-0412 of reproject-workflow, which can be redriven',
  );
});

it('deregisters it when no failed execution naming it can be redriven (not redrivable, or older than 14 days)', async () => {
  const calls = fakeAccount([
    { name: 'given-up', stoppedDaysAgo: 2, redriveStatus: 'NOT_REDRIVABLE', definition: ON_A },
    { name: 'too-old', stoppedDaysAgo: 15, redriveStatus: 'REDRIVABLE', definition: ON_A },
  ]);

  const deleted = await retireLive(aws, plan, WAIT, recorder(), [], () => true);

  expect(deleted).toEqual([{ kind: 'job-definition', name: 'reproject:1' }]);
  expect(calls.filter((c) => c.op === 'deregisterjobdefinition').map((c) => c.body)).toEqual([
    { jobDefinition: A_REVISION },
  ]);
  // The one past the redrive window is not even described.
  expect(calls.filter((c) => c.op === 'DescribeExecution').map((c) => c.body.executionArn)).toEqual([
    `${STATES}:execution:reproject-workflow:given-up`,
  ]);
});

it('reads only the state machines in scope: one outside it is not listed, so its executions cost nothing', async () => {
  const calls = fakeAccount([
    { name: 'nightly-0412', stoppedDaysAgo: 2, redriveStatus: 'REDRIVABLE', definition: ON_A },
  ]);

  const deleted = await retireLive(aws, plan, WAIT, recorder(), [], () => false);

  expect(calls.map((c) => c.op)).not.toContain('ListExecutions');
  expect(deleted).toEqual([{ kind: 'job-definition', name: 'reproject:1' }]);
});
