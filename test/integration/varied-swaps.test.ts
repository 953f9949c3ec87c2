/**
 * The demo workload with the shapes real accounts have (test/support/varied-workload.ts): an unchanged shared job
 * definition, a role scoped by ARN, an Express workflow, a 90/10 canary alias over two versions, a compute
 * environment shared with another queue — swapped A → B, then B → A with the same spec turned around, through the
 * built CLI as a pipeline runs it. After each swap every invariant holds and strict mode saw no AWS rule broken.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BatchClient, DescribeJobDefinitionsCommand, DescribeJobQueuesCommand } from '@aws-sdk/client-batch';
import { DescribeLaunchTemplatesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeStateMachineAliasCommand, DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';

import { startEmulator, type Emulator } from '../emulator';
import { cliEnv, REPO, runCli } from '../support/cli';
import { clientConfig, seedDemoWorkload, type DemoWorkload } from '../support/demo-workload';
import { checkInvariants } from '../support/invariants';
import { writeBackToASpec } from '../support/specs';
import { seedVariedShapes, type VariedShapes } from '../support/varied-workload';

jest.setTimeout(300_000);

/**
 * Fast timings for the emulator. The Express workflow's executions (none are started here; in the emulator they end
 * at once) are waited out for 1 s instead of AWS's 5-minute maximum.
 */
const FAST = ['--yes', '--grace', '0.2s', '--poll-interval', '0.2s', '--express-window', '1s'];
let emulator: Emulator;
let demo: DemoWorkload;
let varied: VariedShapes;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator();
  demo = await seedDemoWorkload({ endpoint: emulator.endpoint });
  varied = await seedVariedShapes(emulator.endpoint, demo);
  dir = mkdtempSync(join(tmpdir(), 'batchctl-varied-'));
});
afterAll(async () => {
  await emulator.stop();
});

async function aliasRoutes(): Promise<{ version: string; weight: number; definition: string }[]> {
  const sfn = new SFNClient(clientConfig(emulator.endpoint));
  try {
    const alias = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: demo.aliasArn }));
    return Promise.all(
      (alias.routingConfiguration ?? []).map(async (r) => ({
        version: r.stateMachineVersionArn ?? '',
        weight: r.weight ?? 0,
        definition:
          (await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: r.stateMachineVersionArn }))).definition ??
          '',
      })),
    );
  } finally {
    sfn.destroy();
  }
}

async function definitionOf(arn: string): Promise<string> {
  const sfn = new SFNClient(clientConfig(emulator.endpoint));
  try {
    return (await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).definition ?? '';
  } finally {
    sfn.destroy();
  }
}

/** The reports queue still falls back on A's original compute environment, which still stands with its template. */
async function expectReportsIntact(): Promise<void> {
  const batch = new BatchClient(clientConfig(emulator.endpoint));
  const ec2 = new EC2Client(clientConfig(emulator.endpoint));
  try {
    const [reports] =
      (await batch.send(new DescribeJobQueuesCommand({ jobQueues: [demo.otherQueueArn] }))).jobQueues ?? [];
    expect(reports?.computeEnvironmentOrder?.map((o) => o.computeEnvironment)).toContain(demo.computeEnvironmentArn);
    const templates = (
      await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [demo.launchTemplateId] }))
    ).LaunchTemplates;
    expect(templates?.map((t) => t.LaunchTemplateId)).toStrictEqual([demo.launchTemplateId]);
    const thumbnail = (
      await batch.send(new DescribeJobDefinitionsCommand({ jobDefinitions: [varied.thumbnail.jobDefinitionArn] }))
    ).jobDefinitions;
    expect(thumbnail?.map((j) => j.status)).toStrictEqual(['ACTIVE']);
  } finally {
    batch.destroy();
    ec2.destroy();
  }
}

it('swaps A → B and back B → A with one spec, keeping canary weights, the shared CE and the unchanged job definition', async () => {
  const env = cliEnv(emulator.endpoint, { CI: 'true' });
  const spec = join(dir, 'reproject.yaml');
  writeFileSync(spec, readFileSync(join(REPO, 'plans', 'reproject.yaml'), 'utf8'));
  const before = await aliasRoutes();

  // A → B
  const planned = await runCli(['plan', spec, '--json'], env);
  expect(planned.stderr).toBe('');
  const forth = JSON.parse(planned.stdout) as { status: string; plan: { blockers: unknown[] } };
  expect(forth.plan.blockers).toStrictEqual([]);
  expect(forth.status).toBe('ready');
  const promoted = await runCli(['promote', join(dir, 'reproject.plan.json'), ...FAST], env);
  expect({ code: promoted.code, stderr: promoted.stderr }).toMatchObject({ code: 0 });

  const afterForth = await aliasRoutes();
  expect(afterForth.map((r) => r.weight)).toStrictEqual(before.map((r) => r.weight));
  afterForth.forEach((route, i) => {
    expect(route.version).not.toBe(before[i]?.version);
    // Each new version is the old one with only its references moved: v2's canary comment stays on the 10 % route.
    expect(route.definition).toBe(
      before[i]?.definition
        .replaceAll('job-queue/reproject-a', 'job-queue/reproject-b')
        .replace(/job-definition\/reproject:\d+/g, 'job-definition/reproject-b:1'),
    );
  });
  expect(await definitionOf(varied.expressArn)).toContain('job-queue/reproject-b');
  expect(await definitionOf(varied.thumbnail.stateMachineArn)).toContain(varied.thumbnail.jobDefinitionArn);
  await expectReportsIntact();
  expect(await emulator.violations()).toStrictEqual([]);
  expect(
    await checkInvariants({
      endpoint: emulator.endpoint,
      live: 'reproject-b',
      revisionQueues: ['reproject-a', 'reproject-b'],
    }),
  ).toStrictEqual([]);

  // B → A, the same spec turned around
  const backSpec = writeBackToASpec(dir);
  const backPlanned = await runCli(
    ['plan', backSpec, '--json', '--replace', '--out', join(dir, 'back.plan.json')],
    env,
  );
  const back = JSON.parse(backPlanned.stdout) as { status: string; plan: { blockers: unknown[] } };
  expect(back.plan.blockers).toStrictEqual([]);
  const returned = await runCli(['promote', join(dir, 'back.plan.json'), ...FAST], env);
  expect({ code: returned.code, stderr: returned.stderr }).toMatchObject({ code: 0 });

  expect((await aliasRoutes()).map((r) => r.weight)).toStrictEqual(before.map((r) => r.weight));
  expect(await definitionOf(varied.expressArn)).toContain('job-queue/reproject-a');
  await expectReportsIntact();
  expect(await emulator.violations()).toStrictEqual([]);
  expect(
    await checkInvariants({
      endpoint: emulator.endpoint,
      live: 'reproject-a',
      revisionQueues: ['reproject-a', 'reproject-b'],
    }),
  ).toStrictEqual([]);
});
