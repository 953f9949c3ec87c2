/**
 * Lifecycle details the emulator does not show by default, and the commands around a swap: waiting on real
 * CREATING → VALID transitions and DELETING → DELETED → gone (names and queue-to-CE holds released late), a
 * CloudFormation-managed workload, `status` through a half-done swap, and a plan
 * for another account.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateStateMachineCommand, SFNClient, UpdateStateMachineCommand } from '@aws-sdk/client-sfn';

import { createAws, type Aws } from '../../src/aws/clients';
import { parsePlan, sealPlan, serializePlan } from '../../src/core/plan';
import { plan } from '../../src/services/plan';
import { promote } from '../../src/services/promote';
import { startEmulator, type Emulator } from '../emulator';
import { cliEnv, REPO, runCli } from '../support/cli';
import {
  batchStateMachineDefinition,
  clientConfig,
  seedDemoWorkload,
  type DemoWorkload,
} from '../support/demo-workload';
import { startFaultProxy } from '../support/fault-proxy';
import { checkInvariants } from '../support/invariants';
import { writeBackToASpec } from '../support/specs';

jest.setTimeout(180_000);

const FAST = ['--yes', '--grace', '0.2s', '--poll-interval', '0.2s'];
let emulator: Emulator;
let workload: DemoWorkload;
let aws: Aws;
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
  dir = mkdtempSync(join(tmpdir(), 'batchctl-lifecycle-'));
});
afterEach(() => aws.destroy());

function copySpec(): string {
  const spec = join(dir, 'reproject.yaml');
  writeFileSync(spec, readFileSync(join(REPO, 'plans', 'reproject.yaml'), 'utf8'));
  return spec;
}

it('waits for B to become VALID: with CREATING/UPDATING transitions on, strict mode sees no early use', async () => {
  await emulator.setTransitionSeconds(1);
  const spec = copySpec();
  expect((await runCli(['plan', spec], cliEnv(emulator.endpoint))).code).toBe(0);
  const promoted = await runCli(
    ['promote', join(dir, 'reproject.plan.json'), ...FAST],
    cliEnv(emulator.endpoint, { CI: 'true' }),
  );
  expect(promoted.code).toBe(0);
  expect(await emulator.violations()).toEqual([]);
  expect(
    await checkInvariants({
      endpoint: emulator.endpoint,
      live: 'reproject-b',
      revisionQueues: ['reproject-a', 'reproject-b'],
    }),
  ).toEqual([]);
});

it("waits out DELETING: retirement retries the deleted queue's hold on its compute environment, and B → A reuses A's names once they are free", async () => {
  // A deleted queue or CE stays DELETING for 1 s, then DELETED for 4 s, holding its name and (a queue) its CEs:
  // longer than disabling A's CE takes, and than the way back takes to reach its CE.
  await emulator.setTransitionSeconds(1, 4);
  const proxy = await startFaultProxy(emulator.endpoint);
  const viaProxy = createAws({ endpoint: proxy.endpoint, region: 'us-east-1' });
  const timings = { graceMs: 200, drainTimeoutMs: 60_000, pollIntervalMs: 200, resourceTimeoutMs: 60_000 };
  const calls = (operation: string) => proxy.operations.filter((c) => c === `batch:${operation}`).length;
  try {
    const there = await plan({
      aws: viaProxy,
      specPath: copySpec(),
      outPath: join(dir, 'ab.plan.json'),
      toolVersion: 'test',
    });
    proxy.resetCount();
    const forth = await promote({ aws: viaProxy, planPath: there.planPath, retire: true, timings });
    expect(forth.status).toBe('complete');
    // Queue A was deleted, then CE A refused ("found existing JobQueue relationship") until the queue was gone.
    expect(calls('deletejobqueue')).toBe(1);
    expect(calls('deletecomputeenvironment')).toBeGreaterThan(1);
    const [ceA] = await aws.batch.describeComputeEnvironments(['reproject-spot-a']);
    expect(ceA?.status).toBe('DELETED'); // its name is still taken when the way back starts

    const back = await plan({
      aws: viaProxy,
      specPath: writeBackToASpec(dir),
      outPath: join(dir, 'ba.plan.json'),
      // The same changes, already live on B: a forced swap.
      replace: true,
      toolVersion: 'test',
    });
    expect(back.plan.blockers).toEqual([]);
    proxy.resetCount();
    const returned = await promote({ aws: viaProxy, planPath: back.planPath, retire: true, timings });
    expect(returned.status).toBe('complete');
    // "already exists" while the DELETED namesake held the name, then created once it was gone.
    expect(calls('createcomputeenvironment')).toBeGreaterThan(1);
    expect(returned.created.map((c) => `${c.kind}:${c.name}:${String(c.reused)}`)).toContain(
      'compute-environment:reproject-spot-a:false',
    );
  } finally {
    viaProxy.destroy();
    await proxy.close();
  }
  expect(await emulator.violations()).toEqual([]);
  expect(
    await checkInvariants({
      endpoint: emulator.endpoint,
      live: 'reproject-a',
      revisionQueues: ['reproject-a', 'reproject-b'],
    }),
  ).toEqual([]);
});

it('status follows a swap: nothing in progress, drained and not retired (with the commands that finish or reverse it), done', async () => {
  const spec = copySpec();
  const env = cliEnv(emulator.endpoint, { CI: 'true' });
  const before = JSON.parse((await runCli(['status', spec, '--json'], env)).stdout) as {
    live: unknown;
    swap: { phase: string; next: string[] };
  };
  expect(before.live).toEqual({ revision: 'a', queue: 'reproject-a' });
  expect(before.swap).toMatchObject({ phase: 'none', next: [] });

  await runCli(['plan', spec], env);
  const planPath = join(dir, 'reproject.plan.json');
  expect((await runCli(['promote', planPath, ...FAST, '--no-retire'], env)).code).toBe(0);
  const half = await runCli(['status', spec, '--plan', planPath], env);
  expect(half.code).toBe(0);
  expect(half.stdout).toContain('Workload reproject: revision B (reproject-b) is live');
  expect(half.stdout).toContain('Swap: references point at B; A is drained and disabled, not yet retired');
  expect(half.stdout).toContain(`batchctl promote ${planPath} --yes   # finish the swap`);
  expect(half.stdout).toContain(`batchctl rollback ${planPath} --yes  # go back to the previous revision`);

  expect((await runCli(['rollback', planPath, ...FAST], env)).code).toBe(0);
  const after = JSON.parse((await runCli(['status', spec, '--json'], env)).stdout) as {
    live: unknown;
    swap: { phase: string };
  };
  expect(after.live).toEqual({ revision: 'a', queue: 'reproject-a' });
  expect(after.swap.phase).toBe('none');
  expect(
    await checkInvariants({
      endpoint: emulator.endpoint,
      live: 'reproject-a',
      revisionQueues: ['reproject-a', 'reproject-b'],
    }),
  ).toEqual([]);
});

it('rollback stops before draining B while a state machine made in the rollback window names B; once moved, it finishes', async () => {
  const spec = copySpec();
  const env = cliEnv(emulator.endpoint, { CI: 'true' });
  expect((await runCli(['plan', spec], env)).code).toBe(0);
  const planPath = join(dir, 'reproject.plan.json');
  expect((await runCli(['promote', planPath, ...FAST, '--no-retire'], env)).code).toBe(0);
  // B is live: a team adds a workflow on it before anyone decides to roll back.
  const sfn = new SFNClient(clientConfig(emulator.endpoint));
  try {
    const late = await sfn.send(
      new CreateStateMachineCommand({
        name: 'reproject-backfill',
        roleArn: workload.roleArns.states,
        definition: batchStateMachineDefinition('reproject-b', 'reproject'),
      }),
    );

    const stopped = await runCli(['rollback', planPath, ...FAST], env);

    expect(stopped.code).toBe(4);
    expect(stopped.stderr.trim().split('\n').pop()).toMatch(
      /^Error: Step drain:reproject-b failed: state machine reproject-backfill names job queue reproject-b, but plan p-[0-9a-f]{12} does not move it; reproject-b is kept enabled so its executions keep working\. Point it at reproject-a .*batchctl rollback .*batchctl promote /,
    );
    const [b] = await aws.batch.describeJobQueues(['reproject-b']);
    expect(b).toMatchObject({ state: 'ENABLED', status: 'VALID' });

    await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: late.stateMachineArn,
        definition: batchStateMachineDefinition('reproject-a', 'reproject'),
      }),
    );
  } finally {
    sfn.destroy();
  }
  expect((await runCli(['rollback', planPath, ...FAST], env)).code).toBe(0);
  expect(await aws.batch.describeJobQueues(['reproject-b'])).toEqual([]);
  expect(await emulator.violations()).toEqual([]);
});

it('rollback after A is retired changes nothing and says the way back is a new plan', async () => {
  const spec = copySpec();
  const env = cliEnv(emulator.endpoint, { CI: 'true' });
  await runCli(['plan', spec], env);
  const planPath = join(dir, 'reproject.plan.json');
  expect((await runCli(['promote', planPath, ...FAST], env)).code).toBe(0);
  const result = await runCli(['rollback', planPath, ...FAST], env);
  expect(result.code).toBe(4);
  expect(result.stderr.trim().split('\n').pop()).toBe(
    `Error: Step enable-live failed: Revision A (job queue reproject-a) has already been retired; there is nothing to roll back to. The way back is a new swap: \`batchctl plan ${spec}\` with the previous release's values (plan finds reproject-b live; add --replace if nothing differs), then \`batchctl promote\` on that plan.`,
  );
  // The suggestion works as printed: the same spec plans B → A (its changes are already live in B, hence --replace).
  const back = await runCli(['plan', spec, '--replace', '--out', join(dir, 'back.plan.json')], env);
  expect({ code: back.code, stderr: back.stderr }).toEqual({ code: 0, stderr: '' });
  expect(back.stdout).toContain('Live revision B: job queue reproject-b  →  new revision A: job queue reproject-a');
  expect(
    await checkInvariants({
      endpoint: emulator.endpoint,
      live: 'reproject-b',
      revisionQueues: ['reproject-a', 'reproject-b'],
    }),
  ).toEqual([]);
});

it('refuses a plan made for another account, changing nothing', async () => {
  const planPath = join(dir, 'p.json');
  await plan({ aws, specPath: copySpec(), outPath: planPath, toolVersion: 'test' });
  const { digest: _old, ...body } = parsePlan(readFileSync(planPath, 'utf8'), planPath);
  writeFileSync(planPath, serializePlan(sealPlan({ ...body, account: '210987654321' })));
  const result = await runCli(['promote', planPath, ...FAST], cliEnv(emulator.endpoint, { CI: 'true' }));
  expect(result.code).toBe(5);
  expect(result.stderr).toContain(
    `Plan ${body.id} was made for account 210987654321 in us-east-1, but the credentials are for account 123456789012 in us-east-1.`,
  );
  expect(
    await checkInvariants({
      endpoint: emulator.endpoint,
      live: 'reproject-a',
      revisionQueues: ['reproject-a', 'reproject-b'],
    }),
  ).toEqual([]);
});

it('plans a CloudFormation-managed workload from its stack and logical id, and says it is stack-managed', async () => {
  const ec2 = new EC2Client(clientConfig(emulator.endpoint));
  const subnets = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).slice(0, 1).map((s) => s.SubnetId);
  // moto's CloudFormation handler for compute environments requires SecurityGroupIds.
  const groups = ((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [])
    .slice(0, 1)
    .map((g) => g.GroupId);
  ec2.destroy();
  const template = {
    Resources: {
      Template: {
        Type: 'AWS::EC2::LaunchTemplate',
        Properties: { LaunchTemplateName: 'geo-lt-a', LaunchTemplateData: { ImageId: 'ami-12c6146b' } },
      },
      Compute: {
        Type: 'AWS::Batch::ComputeEnvironment',
        Properties: {
          ComputeEnvironmentName: 'geo-ce-a',
          Type: 'MANAGED',
          ServiceRole: workload.roleArns.service,
          ComputeResources: {
            Type: 'EC2',
            MinvCpus: 0,
            MaxvCpus: 8,
            InstanceTypes: ['m5.large'],
            Subnets: subnets,
            SecurityGroupIds: groups,
            InstanceRole: workload.roleArns.instanceProfile,
            LaunchTemplate: {
              LaunchTemplateId: { Ref: 'Template' },
              Version: { 'Fn::GetAtt': ['Template', 'LatestVersionNumber'] },
            },
          },
        },
      },
      Queue: {
        Type: 'AWS::Batch::JobQueue',
        Properties: {
          JobQueueName: 'geo-a',
          Priority: 1,
          ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: { Ref: 'Compute' } }],
        },
      },
      Job: {
        Type: 'AWS::Batch::JobDefinition',
        Properties: {
          JobDefinitionName: 'geo-job',
          Type: 'container',
          RetryStrategy: { Attempts: 1 },
          ContainerProperties: { Image: 'busybox', Vcpus: 1, Memory: 512 },
        },
      },
      Flow: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineName: 'geo-flow',
          RoleArn: workload.roleArns.states,
          DefinitionString: {
            'Fn::Sub':
              '{"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","Parameters":{"JobName":"geo","JobQueue":"${Queue}","JobDefinition":"${Job}"},"End":true}}}',
          },
        },
      },
    },
  };
  const cfn = new CloudFormationClient(clientConfig(emulator.endpoint));
  await cfn.send(new CreateStackCommand({ StackName: 'geo-stack', TemplateBody: JSON.stringify(template) }));
  cfn.destroy();
  const spec = join(dir, 'geo.yaml');
  writeFileSync(
    spec,
    'version: 1\nworkload: geo\nlive:\n  stack:\n    name: geo-stack\n    queueLogicalId: Queue\nstateMachines:\n  prefix: geo-\n',
  );

  const result = await plan({
    aws,
    specPath: spec,
    outPath: join(dir, 'geo.plan.json'),
    // A spec without changes: the desired state is live, a copy as it is is a forced swap.
    replace: true,
    toolVersion: 'test',
  });
  expect(result.status).toBe('ready');
  expect(result.plan.live.queue.name).toBe('geo-a');
  expect(result.plan.target.jobQueue.name).toBe('geo-b');
  expect(result.plan.target.computeEnvironments.map((c) => c.name)).toEqual(['geo-ce-b']);
  expect(result.plan.stack?.name).toBe('geo-stack');
  expect(Object.values(result.plan.stack?.managed ?? {}).sort()).toEqual([
    'Compute',
    'Flow',
    'Job',
    'Queue',
    'Template',
  ]);
  expect(result.plan.warnings.map((w) => w.code)).toContain('StackOwned');
  expect(result.plan.references.map((r) => r.name)).toEqual(['geo-flow']);

  const missing = join(dir, 'missing.yaml');
  writeFileSync(
    missing,
    'version: 1\nworkload: geo\nlive:\n  stack:\n    name: geo-stack\n    queueLogicalId: NoSuchQueue\n',
  );
  const bad = await runCli(['plan', missing], cliEnv(emulator.endpoint));
  expect(bad.code).toBe(3);
  expect(bad.stderr).toContain(
    `${missing}: stack "geo-stack" has no resource "NoSuchQueue" (live.stack.queueLogicalId).`,
  );
});
