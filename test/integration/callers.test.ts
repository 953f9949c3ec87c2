/**
 * Callers besides Step Functions (issue 9), against the emulator with the demo workload and its callers seeded
 * (test/support/callers-workload.ts): plan lists each caller kind with before → after and leaves the near miss out;
 * the Lambda reference blocks until acknowledged; promote repoints the rule, the schedule, the pipe and the
 * opted-in parameter in the cutover; rollback restores each exactly.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DescribePipeCommand, PipesClient } from '@aws-sdk/client-pipes';
import { GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { createAws, type Aws } from '../../src/aws/clients';
import { moveCallers } from '../../src/services/callers';
import { plan } from '../../src/services/plan';
import { promote, type PromoteTimings } from '../../src/services/promote';
import { rollback } from '../../src/services/rollback';
import { loadPlanFile, silentReporter } from '../../src/services/swap-steps';
import { startEmulator, type Emulator } from '../emulator';
import { NEAR_MISS_QUEUE, PARAMETER, seedCallers } from '../support/callers-workload';
import { clientConfig, type DemoWorkload, seedDemoWorkload } from '../support/demo-workload';
import { DEMO_SPEC } from '../support/specs';

jest.setTimeout(120_000);

const TIMINGS: PromoteTimings = {
  graceMs: 500,
  drainTimeoutMs: 60_000,
  pollIntervalMs: 500,
  resourceTimeoutMs: 30_000,
};
const QUEUE_B = 'arn:aws:batch:us-east-1:123456789012:job-queue/reproject-b';

let emulator: Emulator;
let aws: Aws;
let demo: DemoWorkload;
let dir: string;
let events: EventBridgeClient;
let scheduler: SchedulerClient;
let pipes: PipesClient;
let lambda: LambdaClient;
let ssm: SSMClient;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await emulator.reset();
  demo = await seedDemoWorkload({ endpoint: emulator.endpoint });
  await seedCallers(emulator.endpoint, demo);
  aws = createAws({ endpoint: emulator.endpoint, region: 'us-east-1' });
  const config = clientConfig(emulator.endpoint);
  events = new EventBridgeClient(config);
  scheduler = new SchedulerClient(config);
  pipes = new PipesClient(config);
  lambda = new LambdaClient(config);
  ssm = new SSMClient(config);
  dir = mkdtempSync(join(tmpdir(), 'batchctl-callers-'));
});

afterEach(() => {
  for (const c of [aws, events, scheduler, pipes, lambda, ssm]) c?.destroy();
});

/** The demo spec with a `callers:` section appended. */
function spec(callers: string): string {
  const path = join(dir, 'reproject.yaml');
  writeFileSync(path, `${readFileSync(DEMO_SPEC, 'utf8')}\ncallers:\n${callers}`);
  return path;
}

const OPTED_IN = `  parameters:\n    paths: [/reproject]\n    repoint: true\n`;

async function snapshotCallers() {
  const [rule, schedule, pipe, parameter, fn] = await Promise.all([
    events.send(new ListTargetsByRuleCommand({ Rule: 'nightly', EventBusName: 'jobs' })),
    scheduler.send(new GetScheduleCommand({ Name: 'weekly', GroupName: 'batch' })),
    pipes.send(new DescribePipeCommand({ Name: 'tiles-in' })),
    ssm.send(new GetParameterCommand({ Name: PARAMETER })),
    lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'submitter' })),
  ]);
  const { $metadata: _s, LastModificationDate: _l, ...scheduleDefinition } = schedule;
  return {
    ruleTargets: rule.Targets,
    schedule: scheduleDefinition,
    pipe: { Target: pipe.Target, TargetParameters: pipe.TargetParameters, RoleArn: pipe.RoleArn },
    parameter: parameter.Parameter?.Value,
    lambdaEnv: fn.Environment?.Variables,
  };
}

it('plan lists every caller kind with before → after, leaves the near miss out, and blocks on the Lambda', async () => {
  const result = await plan({ aws, specPath: spec(OPTED_IN), outPath: join(dir, 'p.json'), toolVersion: 't' });

  const callers = result.plan.callers ?? [];
  expect(callers.map((c) => [c.id, c.repoint])).toEqual([
    ['rule:jobs/nightly#reproject', true],
    ['schedule:batch/weekly', true],
    ['pipe:tiles-in', true],
    ['lambda:submitter', false],
    [`parameter:${PARAMETER}`, true],
  ]);
  expect(JSON.stringify(result.plan)).not.toContain(NEAR_MISS_QUEUE);
  expect(JSON.stringify(result.plan)).not.toContain('not-for-plans');
  const rule = callers.find((c) => c.kind === 'rule');
  expect(rule?.state).toBe('DISABLED');
  expect(rule?.references.find((r) => r.field === 'Arn')).toEqual({
    field: 'Arn',
    refersTo: 'queue',
    before: demo.queueArn,
    after: QUEUE_B,
  });
  expect(callers.find((c) => c.kind === 'schedule')?.references[0]).toEqual({
    field: 'Target.Input.JobQueue',
    refersTo: 'queue',
    before: 'reproject-a',
    after: 'reproject-b',
  });
  expect(result.status).toBe('blocked');
  expect(result.plan.blockers.map((b) => [b.code, b.resource])).toEqual([['LambdaReference', 'lambda:submitter']]);
  expect(result.plan.steps.filter((s) => s.action === 'repoint-caller').map((s) => s.target)).toEqual([
    'rule:jobs/nightly#reproject',
    'schedule:batch/weekly',
    'pipe:tiles-in',
    `parameter:${PARAMETER}`,
  ]);
});

it('a parameter that names A without the opt-in is a blocker, not repointed', async () => {
  const result = await plan({
    aws,
    specPath: spec(`  parameters:\n    paths: [/reproject]\n  acknowledge: [lambda:submitter]\n`),
    outPath: join(dir, 'p.json'),
    toolVersion: 't',
  });
  expect(result.plan.blockers.map((b) => b.code)).toEqual(['ParameterReference']);
  expect(result.plan.warnings.map((w) => w.code)).toContain('LambdaReference');
});

it('promote repoints the rule, the schedule, the pipe and the parameter; rollback restores them exactly', async () => {
  const before = await snapshotCallers();
  const planPath = join(dir, 'p.json');
  const planned = await plan({
    aws,
    specPath: spec(`${OPTED_IN}  acknowledge: [lambda:submitter]\n`),
    outPath: planPath,
    toolVersion: 't',
  });
  expect(planned.plan.blockers).toEqual([]);

  await promote({ aws, planPath, retire: false, timings: TIMINGS });

  const after = await snapshotCallers();
  expect(after.ruleTargets).toEqual([
    {
      ...before.ruleTargets?.[0],
      Arn: QUEUE_B,
      BatchParameters: {
        ...before.ruleTargets?.[0]?.BatchParameters,
        JobDefinition: expect.stringMatching(/^reproject-b/),
      },
    },
  ]);
  expect(JSON.parse(after.schedule.Target?.Input ?? '{}')).toEqual({
    JobName: 'weekly',
    JobQueue: 'reproject-b',
    JobDefinition: expect.stringMatching(/^reproject-b/),
  });
  expect({ ...after.schedule, Target: { ...after.schedule.Target, Input: undefined } }).toEqual({
    ...before.schedule,
    Target: { ...before.schedule.Target, Input: undefined },
  });
  expect(after.pipe.Target).toBe(QUEUE_B);
  expect(after.parameter).toBe(QUEUE_B);
  expect(after.lambdaEnv).toEqual(before.lambdaEnv); // a deploy, not batchctl's to make
  // Re-running the cutover converges: every caller is already as promote leaves it.
  const steps: string[] = [];
  const reporter = { ...silentReporter, step: (id: string, status: string) => steps.push(`${id} ${status}`) };
  expect(await moveCallers(aws, await loadPlanFile(planPath), 'repoint', { reporter, next: [] })).toEqual(
    ['rule:jobs/nightly#reproject', 'schedule:batch/weekly', 'pipe:tiles-in', `parameter:${PARAMETER}`].map((id) => ({
      id,
      status: 'skipped',
    })),
  );
  expect(steps.filter((s) => s.endsWith(' skipped'))).toHaveLength(4);

  await rollback({ aws, planPath, timings: TIMINGS });

  expect(await snapshotCallers()).toEqual(before);
});

it('promote refuses to overwrite a caller changed since the plan', async () => {
  const planPath = join(dir, 'p.json');
  await plan({
    aws,
    specPath: spec(`${OPTED_IN}  acknowledge: [lambda:submitter]\n`),
    outPath: planPath,
    toolVersion: 't',
  });
  await ssm.send(
    new PutParameterCommand({
      Name: PARAMETER,
      Value: 'reproject-a',
      Type: 'String',
      Overwrite: true,
    }),
  );
  await expect(promote({ aws, planPath, retire: false, timings: TIMINGS })).rejects.toThrow(
    `Step repoint-caller:parameter:${PARAMETER} failed: parameter:${PARAMETER} changed since the plan was made; batchctl does not overwrite it.`,
  );
  expect((await ssm.send(new GetParameterCommand({ Name: PARAMETER }))).Parameter?.Value).toBe('reproject-a');
});
