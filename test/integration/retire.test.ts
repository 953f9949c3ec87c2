/**
 * Retirement keeps whatever something outside the workload still uses, and the A ↔ B cycle goes on around it —
 * against the emulator in strict mode with the demo workload seeded:
 * A's compute environment shared with another queue (kept with its launch template; B → A takes alternative names),
 * a launch template another compute environment uses, a queue that took up A's compute environment after the plan,
 * a published version naming A's job definition revision, and UNMANAGED compute environments.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  UpdateJobQueueCommand,
} from '@aws-sdk/client-batch';
import { CreateLaunchTemplateCommand, DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';

import { createAws, type Aws } from '../../src/aws/clients';
import { plan } from '../../src/services/plan';
import { promote, type PromoteTimings } from '../../src/services/promote';
import { retireLive } from '../../src/services/retire-live';
import { rollback } from '../../src/services/rollback';
import { loadPlanFile } from '../../src/services/swap-steps';
import { startEmulator, type Emulator } from '../emulator';
import { REPO } from '../support/cli';
import { clientConfig, seedDemoWorkload, type DemoWorkload } from '../support/demo-workload';
import { checkInvariants } from '../support/invariants';
import { writeBackToASpec } from '../support/specs';
import { stepRecorder as recorder } from '../support/step-recorder';

jest.setTimeout(180_000);

const TIMINGS: PromoteTimings = {
  graceMs: 200,
  drainTimeoutMs: 60_000,
  pollIntervalMs: 200,
  resourceTimeoutMs: 60_000,
};
const WAIT = { intervalMs: 200, maxIntervalMs: 200, timeoutMs: 60_000 };
let emulator: Emulator;
let workload: DemoWorkload;
let aws: Aws;
let batch: BatchClient;
let ec2: EC2Client;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.stop();
});
beforeEach(async () => {
  await emulator.reset();
  workload = await seedDemoWorkload({ endpoint: emulator.endpoint });
  aws = createAws({ endpoint: emulator.endpoint, region: 'us-east-1' });
  batch = new BatchClient(clientConfig(emulator.endpoint));
  ec2 = new EC2Client(clientConfig(emulator.endpoint));
  dir = mkdtempSync(join(tmpdir(), 'batchctl-retire-'));
});
afterEach(() => {
  aws.destroy();
  batch.destroy();
  ec2.destroy();
});

function demoSpec(extra = ''): string {
  const spec = join(dir, 'reproject.yaml');
  writeFileSync(spec, readFileSync(join(REPO, 'plans', 'reproject.yaml'), 'utf8') + extra);
  return spec;
}

const describeCe = async (name: string) =>
  (await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: [name] }))).computeEnvironments?.[0];
const templateNames = async () =>
  ((await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? []).map((t) => t.LaunchTemplateName);

/** Queue `reports` also takes A's compute environment (after its own). */
async function shareComputeEnvironmentWithReports(): Promise<void> {
  const [reports] = await aws.batch.describeJobQueues(['reports']);
  await batch.send(
    new UpdateJobQueueCommand({
      jobQueue: 'reports',
      computeEnvironmentOrder: [
        ...(reports?.computeEnvironmentOrder ?? []),
        { order: 2, computeEnvironment: workload.computeEnvironmentArn },
      ],
    }),
  );
}

it('keeps the shared compute environment and its template, and the way back takes alternative names instead of being blocked', async () => {
  await shareComputeEnvironmentWithReports();
  const there = await plan({ aws, specPath: demoSpec(), outPath: join(dir, 'ab.plan.json'), toolVersion: 'test' });
  expect(there.plan.blockers).toEqual([]);
  const forth = recorder();
  expect(
    (await promote({ aws, planPath: there.planPath, retire: true, timings: TIMINGS, reporter: forth })).status,
  ).toBe('complete');
  expect(await describeCe('reproject-spot-a')).toMatchObject({ state: 'ENABLED', status: 'VALID' });
  expect(await templateNames()).toContain('reproject-500gb-a');

  const back = await plan({
    aws,
    specPath: writeBackToASpec(dir),
    outPath: join(dir, 'ba.plan.json'),
    // The same changes, already live on B: a forced swap.
    replace: true,
    toolVersion: 'test',
  });
  expect(back.plan.blockers).toEqual([]);
  expect(back.plan.target.computeEnvironments.map((c) => c.name)).toEqual(['reproject-spot-alt2-a']);
  expect(back.plan.target.launchTemplates.map((t) => t.name)).toEqual(['reproject-500gb-alt2-a']);
  expect(back.plan.target.jobQueue.name).toBe('reproject-a');
  expect(back.plan.warnings.filter((w) => w.code === 'AlternativeName').map((w) => w.message)).toEqual([
    "compute environment reproject-spot-a is kept for something outside the workload, so B's copy of reproject-spot-b is named reproject-spot-alt2-a.",
    "launch template reproject-500gb-a is kept for something outside the workload, so B's copy of reproject-500gb-b is named reproject-500gb-alt2-a.",
  ]);
  expect((await promote({ aws, planPath: back.planPath, retire: true, timings: TIMINGS })).status).toBe('complete');

  // `reports` keeps its compute environment, enabled, and that one keeps its template.
  const [reports] = await aws.batch.describeJobQueues(['reports']);
  expect(reports?.computeEnvironmentOrder?.map((o) => o.computeEnvironment)).toContain(workload.computeEnvironmentArn);
  const shared = await describeCe('reproject-spot-a');
  expect(shared).toMatchObject({ state: 'ENABLED', status: 'VALID' });
  expect(shared?.computeResources?.launchTemplate?.launchTemplateId).toBe(workload.launchTemplateId);
  const names = await templateNames();
  expect(names).toContain('reproject-500gb-a');
  expect(names).not.toContain('reproject-500gb-b');
  expect(await emulator.violations()).toEqual([]);
  expect(
    await checkInvariants({
      endpoint: emulator.endpoint,
      live: 'reproject-a',
      revisionQueues: ['reproject-a', 'reproject-b'],
    }),
  ).toEqual([]);

  // The next swap goes back to the plain names, free again: the cycle converges and names do not grow.
  const again = join(dir, 'again.yaml');
  writeFileSync(again, readFileSync(demoSpec(), 'utf8').replace(/^ {4}reproject:$/m, '    reproject-a:'));
  const third = await plan({
    aws,
    specPath: again,
    outPath: join(dir, 'again.plan.json'),
    replace: true,
    toolVersion: 'test',
  });
  expect(third.plan.blockers).toEqual([]);
  expect(third.plan.target.computeEnvironments.map((c) => c.name)).toEqual(['reproject-spot-b']);
  expect(third.plan.target.launchTemplates.map((t) => t.name)).toEqual(['reproject-500gb-b']);
  expect(third.plan.warnings.map((w) => w.code)).not.toContain('AlternativeName');
  expect((await promote({ aws, planPath: third.planPath, retire: true, timings: TIMINGS })).status).toBe('complete');
  expect(await describeCe('reproject-spot-a')).toMatchObject({ state: 'ENABLED', status: 'VALID' });
  expect(await templateNames()).toContain('reproject-500gb-a');
  expect(await emulator.violations()).toEqual([]);
  expect(
    await checkInvariants({
      endpoint: emulator.endpoint,
      live: 'reproject-b',
      revisionQueues: ['reproject-a', 'reproject-b'],
    }),
  ).toEqual([]);
});

it('keeps a launch template another compute environment uses, naming it', async () => {
  const [a] = await aws.batch.describeComputeEnvironments(['reproject-spot-a']);
  await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: 'reports-spot',
      type: 'MANAGED',
      state: 'ENABLED',
      serviceRole: a?.serviceRole,
      computeResources: {
        type: 'SPOT',
        minvCpus: 0,
        maxvCpus: 8,
        instanceTypes: ['optimal'],
        subnets: a?.computeResources?.subnets,
        securityGroupIds: a?.computeResources?.securityGroupIds,
        instanceRole: a?.computeResources?.instanceRole,
        launchTemplate: { launchTemplateName: 'reproject-500gb-a', version: '1' },
      },
    }),
  );
  const there = await plan({ aws, specPath: demoSpec(), outPath: join(dir, 'ab.plan.json'), toolVersion: 'test' });
  const steps = recorder();
  expect(
    (await promote({ aws, planPath: there.planPath, retire: true, timings: TIMINGS, reporter: steps })).status,
  ).toBe('complete');
  expect(steps.steps.get('delete-launch-template:reproject-500gb-a')).toBe(
    'skipped: kept: used by compute environment reports-spot',
  );
  expect(await templateNames()).toContain('reproject-500gb-a');
  expect(await describeCe('reproject-spot-a')).toBeUndefined(); // A's own compute environment went
});

it("rollback keeps B's launch template while a compute environment outside the workload uses it", async () => {
  const there = await plan({ aws, specPath: demoSpec(), outPath: join(dir, 'ab.plan.json'), toolVersion: 'test' });
  expect((await promote({ aws, planPath: there.planPath, retire: false, timings: TIMINGS })).status).toBe('drained');
  const [b] = await aws.batch.describeComputeEnvironments(['reproject-spot-b']);
  // Someone points a compute environment of their own at B's template before the rollback.
  await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: 'reports-spot',
      type: 'MANAGED',
      state: 'ENABLED',
      serviceRole: b?.serviceRole,
      computeResources: {
        type: 'SPOT',
        minvCpus: 0,
        maxvCpus: 8,
        instanceTypes: ['optimal'],
        subnets: b?.computeResources?.subnets,
        securityGroupIds: b?.computeResources?.securityGroupIds,
        instanceRole: b?.computeResources?.instanceRole,
        launchTemplate: { launchTemplateName: 'reproject-500gb-b', version: '1' },
      },
    }),
  );
  const steps = recorder();
  await rollback({ aws, planPath: there.planPath, timings: TIMINGS, reporter: steps });
  expect(steps.steps.get('delete-launch-template:reproject-500gb-b')).toBe(
    'skipped: kept: used by compute environment reports-spot',
  );
  expect(await templateNames()).toContain('reproject-500gb-b');
  expect(await describeCe('reproject-spot-b')).toBeUndefined(); // B's own compute environment went
});

it('re-reads the queues before disabling a compute environment: one that another queue took up since the plan is kept', async () => {
  const there = await plan({ aws, specPath: demoSpec(), outPath: join(dir, 'ab.plan.json'), toolVersion: 'test' });
  expect(there.plan.target.computeEnvironments[0]?.retireFrom).toBe(true);
  expect((await promote({ aws, planPath: there.planPath, retire: false, timings: TIMINGS })).status).toBe('drained');
  // During the rollback window, `reports` starts using A's compute environment.
  await shareComputeEnvironmentWithReports();

  const steps = recorder();
  await retireLive(aws, await loadPlanFile(there.planPath), WAIT, steps, [], () => true);

  expect(steps.steps.get('delete-compute-environment:reproject-spot-a')).toBe(
    'skipped: kept: used by job queue reports',
  );
  expect(await describeCe('reproject-spot-a')).toMatchObject({ state: 'ENABLED', status: 'VALID' });
  // …and its template with it.
  expect(steps.steps.get('delete-launch-template:reproject-500gb-a')).toBe(
    'skipped: kept: used by compute environment reproject-spot-a',
  );
  expect(await emulator.violations()).toEqual([]);
});

it("keeps A's job definition revision while a published version names it", async () => {
  const there = await plan({ aws, specPath: demoSpec(), outPath: join(dir, 'ab.plan.json'), toolVersion: 'test' });
  const steps = recorder();
  expect(
    (await promote({ aws, planPath: there.planPath, retire: true, timings: TIMINGS, reporter: steps })).status,
  ).toBe('complete');
  // Version 1 of reproject-workflow (published at seeding) still names reproject:1; anyone may start it by ARN.
  expect(steps.steps.get('deregister-job-definition:reproject:1')).toBe(
    'skipped: kept: named by version 1 of state machine reproject-workflow',
  );
  const [jd] = await aws.batch.describeJobDefinitions({ arns: [workload.jobDefinitionArn] });
  expect(jd?.status).toBe('ACTIVE');
});

describe('UNMANAGED compute environments', () => {
  async function seedUnmanaged(): Promise<string> {
    const [a] = await aws.batch.describeComputeEnvironments(['reproject-spot-a']);
    const ce = await batch.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'etl-own-a',
        type: 'UNMANAGED',
        state: 'ENABLED',
        unmanagedvCpus: 16,
        serviceRole: a?.serviceRole,
      }),
    );
    await batch.send(
      new CreateJobQueueCommand({
        jobQueueName: 'etl-a',
        priority: 1,
        state: 'ENABLED',
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce.computeEnvironmentArn }],
      }),
    );
    return 'version: 1\nworkload: etl\nlive:\n  jobQueue: etl-a\nstateMachines:\n  prefix: etl-\n';
  }

  it('block the plan, saying why and what to do', async () => {
    const spec = join(dir, 'etl.yaml');
    writeFileSync(spec, await seedUnmanaged());
    const result = await plan({
      aws,
      specPath: spec,
      outPath: join(dir, 'etl.plan.json'),
      // A spec without changes: the desired state is live, a copy as it is is a forced swap.
      replace: true,
      toolVersion: 'test',
    });
    expect(result.status).toBe('blocked');
    expect(result.plan.blockers).toEqual([
      {
        code: 'UnmanagedComputeEnvironment',
        resource: 'etl-own-a',
        message:
          "compute environment etl-own-a is UNMANAGED: B's copy gets its own empty ECS cluster, so every job submitted after the cutover waits RUNNABLE until you register instances to that cluster. To accept that, set acknowledge: [unmanagedComputeEnvironments] in the spec and promote with --no-retire (A and the instances registered to it stay until you have moved them; then run retire).",
      },
    ]);
  });

  it('are a warning once the spec acknowledges them', async () => {
    const spec = join(dir, 'etl.yaml');
    writeFileSync(spec, `${await seedUnmanaged()}acknowledge: [unmanagedComputeEnvironments]\n`);
    const result = await plan({
      aws,
      specPath: spec,
      outPath: join(dir, 'etl.plan.json'),
      // A spec without changes: the desired state is live, a copy as it is is a forced swap.
      replace: true,
      toolVersion: 'test',
    });
    expect(result.plan.blockers).toEqual([]);
    expect(result.plan.warnings.map((w) => w.code)).toContain('UnmanagedComputeEnvironment');
  });
});

it("gives B its own copies of the templates launchTemplate.overrides name, and retires A's", async () => {
  const [a] = await aws.batch.describeComputeEnvironments(['reproject-spot-a']);
  const template = (name: string) =>
    ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { ImageId: 'ami-12c6146b' } }),
    );
  await template('ovr-main-a');
  await template('ovr-gpu-a');
  const ce = await batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: 'ovr-spot-a',
      type: 'MANAGED',
      state: 'ENABLED',
      serviceRole: a?.serviceRole,
      computeResources: {
        type: 'EC2',
        minvCpus: 0,
        maxvCpus: 8,
        instanceTypes: ['m5.large', 'g5.xlarge'],
        subnets: a?.computeResources?.subnets,
        securityGroupIds: a?.computeResources?.securityGroupIds,
        instanceRole: a?.computeResources?.instanceRole,
        launchTemplate: {
          launchTemplateName: 'ovr-main-a',
          version: '1',
          overrides: [{ launchTemplateName: 'ovr-gpu-a', version: '1', targetInstanceTypes: ['g5.xlarge'] }],
        },
      },
    }),
  );
  await batch.send(
    new CreateJobQueueCommand({
      jobQueueName: 'ovr-a',
      priority: 1,
      state: 'ENABLED',
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce.computeEnvironmentArn }],
    }),
  );
  const spec = join(dir, 'ovr.yaml');
  writeFileSync(spec, 'version: 1\nworkload: ovr\nlive:\n  jobQueue: ovr-a\nstateMachines:\n  prefix: ovr-\n');
  const planned = await plan({
    aws,
    specPath: spec,
    outPath: join(dir, 'ovr.plan.json'),
    // A spec without changes: the desired state is live, a copy as it is is a forced swap.
    replace: true,
    toolVersion: 'test',
  });
  expect(planned.plan.warnings.map((w) => w.code)).not.toContain('LaunchTemplateOverridesShared');
  expect(planned.plan.target.launchTemplates.map((t) => t.name)).toEqual(['ovr-main-b', 'ovr-gpu-b']);
  expect((await promote({ aws, planPath: planned.planPath, retire: true, timings: TIMINGS })).status).toBe('complete');

  expect((await describeCe('ovr-spot-b'))?.computeResources?.launchTemplate).toEqual({
    launchTemplateName: 'ovr-main-b',
    version: '1',
    overrides: [{ launchTemplateName: 'ovr-gpu-b', version: '1', targetInstanceTypes: ['g5.xlarge'] }],
  });
  const names = await templateNames();
  expect(names).toEqual(expect.arrayContaining(['ovr-main-b', 'ovr-gpu-b']));
  expect(names).not.toContain('ovr-gpu-a');
  expect(names).not.toContain('ovr-main-a');
  expect(await emulator.violations()).toEqual([]);
});
