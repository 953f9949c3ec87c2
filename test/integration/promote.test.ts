/**
 * `batchctl promote` against the emulator (strict mode on) with the demo workload seeded: A → B and back,
 * the cutover under a continuous load of executions, the refusals, and re-running after a partial promote.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  BatchClient,
  type ComputeEnvironmentDetail,
  DescribeComputeEnvironmentsCommand,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  type JobDefinition,
  type JobQueueDetail,
  ListJobsCommand,
  UpdateJobQueueCommand,
} from '@aws-sdk/client-batch';
import {
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  EC2Client,
  type LaunchTemplate,
  type LaunchTemplateVersion,
  type Tag,
} from '@aws-sdk/client-ec2';
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  SFNClient,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';

import { createAws, type Aws } from '../../src/aws/clients';
import { digestOf } from '../../src/core/digest';
import { parsePlan, sealPlan, serializePlan } from '../../src/core/plan';
import { plan } from '../../src/services/plan';
import { promote, type PromoteResult, type PromoteTimings } from '../../src/services/promote';
import { startEmulator, type Emulator } from '../emulator';
import { snapshotAccount } from '../support/account-snapshot';
import { cliEnv, type CliResult, REPO, runCli } from '../support/cli';
import {
  batchStateMachineDefinition,
  clientConfig,
  type DemoWorkload,
  jsonataStateMachineDefinition,
  seedDemoWorkload,
} from '../support/demo-workload';
import {
  describeJobs,
  type EndedExecution,
  ExecutionLoad,
  type StartedExecution,
  waitForExecutionsToEnd,
} from '../support/load';
import { makeAdhocRunnable } from '../support/runnable-adhoc';
import { writeBackToASpec } from '../support/specs';
import { waitFor } from '../support/wait';

jest.setTimeout(120_000);

const SPEC = join(REPO, 'plans', 'reproject.yaml');
const TIMINGS: PromoteTimings = {
  graceMs: 1000,
  drainTimeoutMs: 60_000,
  pollIntervalMs: 500,
  resourceTimeoutMs: 30_000,
};
const FAST = ['--grace', '1s', '--poll-interval', '0.5s'];
const ARN = 'arn:aws:batch:us-east-1:123456789012';
const SUMMARY =
  /^Promoted reproject to B \(reproject-b\): 4 resources created, 2 state machines repointed, 3 resources \(1 job queue, 1 compute environment, 1 launch template\) of A deleted in \d+s\.\n$/;

let emulator: Emulator;
let aws: Aws;
let batch: BatchClient;
let ec2: EC2Client;
let sfn: SFNClient;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await emulator.reset();
  aws = createAws({ endpoint: emulator.endpoint, region: 'us-east-1' });
  batch = new BatchClient(clientConfig(emulator.endpoint));
  ec2 = new EC2Client(clientConfig(emulator.endpoint));
  sfn = new SFNClient(clientConfig(emulator.endpoint));
  dir = mkdtempSync(join(tmpdir(), 'batchctl-promote-'));
});

afterEach(() => {
  for (const c of [aws, batch, ec2, sfn]) c.destroy();
});

// --- reading the account -------------------------------------------------------------------------------

async function queue(name: string): Promise<JobQueueDetail | undefined> {
  const found = (await batch.send(new DescribeJobQueuesCommand({ jobQueues: [name] }))).jobQueues ?? [];
  return found.find((q) => q.jobQueueName === name && q.status !== 'DELETED');
}

async function computeEnvironment(name: string): Promise<ComputeEnvironmentDetail | undefined> {
  const found =
    (await batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: [name] }))).computeEnvironments ??
    [];
  return found.find((c) => c.computeEnvironmentName === name && c.status !== 'DELETED');
}

async function allQueues(): Promise<JobQueueDetail[]> {
  return ((await batch.send(new DescribeJobQueuesCommand({}))).jobQueues ?? []).filter((q) => q.status !== 'DELETED');
}

async function allComputeEnvironments(): Promise<ComputeEnvironmentDetail[]> {
  const all = (await batch.send(new DescribeComputeEnvironmentsCommand({}))).computeEnvironments ?? [];
  return all.filter((c) => c.status !== 'DELETED');
}

async function allLaunchTemplates(): Promise<LaunchTemplate[]> {
  return (await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? [];
}

async function launchTemplate(
  name: string,
): Promise<{ template: LaunchTemplate; version: LaunchTemplateVersion } | undefined> {
  const template = (await allLaunchTemplates()).find((t) => t.LaunchTemplateName === name);
  if (!template) return undefined;
  const versions = await ec2.send(
    new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.LaunchTemplateId, Versions: ['1'] }),
  );
  return { template, version: versions.LaunchTemplateVersions?.[0] as LaunchTemplateVersion };
}

async function jobDefinition(arn: string): Promise<JobDefinition | undefined> {
  return (await batch.send(new DescribeJobDefinitionsCommand({ jobDefinitions: [arn] }))).jobDefinitions?.[0];
}

async function definitionOf(stateMachineArn: string): Promise<{ definition: string; revisionId?: string }> {
  const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
  return { definition: d.definition ?? '', ...(d.revisionId ? { revisionId: d.revisionId } : {}) };
}

async function aliasRoutes(aliasArn: string): Promise<{ stateMachineVersionArn?: string; weight?: number }[]> {
  return (
    (await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: aliasArn }))).routingConfiguration ??
    []
  );
}

// --- comparing a clone with its source ---------------------------------------------------------------------

type Tags = Record<string, string> | undefined;

function omit<T extends object>(value: T | undefined, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([k]) => !keys.includes(k)));
}

const tagMap = (tags: Tag[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
const batchctlTags = (tags: Tags): Record<string, string> =>
  Object.fromEntries(Object.entries(tags ?? {}).filter(([k]) => k.startsWith('batchctl:')));
const withoutBatchctlTags = (tags: Tags): Record<string, string> =>
  Object.fromEntries(Object.entries(tags ?? {}).filter(([k]) => !k.startsWith('batchctl:')));
/** `aws:` tags are AWS's own and cannot be set by a user, so a clone drops them (DESIGN invariant 6). */
const userSettableTags = (tags: Tags): Record<string, string> =>
  Object.fromEntries(Object.entries(tags ?? {}).filter(([k]) => !k.toLowerCase().startsWith('aws:')));
const ownedBy = (revision: string, planId: string): Record<string, string> => ({
  'batchctl:workload': 'reproject',
  'batchctl:revision': revision,
  'batchctl:plan': planId,
});

/** Launch template data with the root volume size and the batchctl tags (the emulator echoes the template's tags into the data) left out. */
function launchTemplateDataShape(data: LaunchTemplateVersion['LaunchTemplateData']): unknown {
  const copy = structuredClone(data ?? {});
  for (const mapping of copy.BlockDeviceMappings ?? []) delete mapping.Ebs?.VolumeSize;
  for (const spec of copy.TagSpecifications ?? [])
    spec.Tags = (spec.Tags ?? []).filter((t) => !t.Key?.startsWith('batchctl:'));
  return copy;
}

interface RevisionSnapshot {
  queue: JobQueueDetail;
  ce: ComputeEnvironmentDetail;
  lt: { template: LaunchTemplate; version: LaunchTemplateVersion };
  jd: JobDefinition;
}

async function snapshotRevision(names: {
  queue: string;
  ce: string;
  lt: string;
  jdArn: string;
}): Promise<RevisionSnapshot> {
  const [q, ce, lt, jd] = await Promise.all([
    queue(names.queue),
    computeEnvironment(names.ce),
    launchTemplate(names.lt),
    jobDefinition(names.jdArn),
  ]);
  if (!q || !ce || !lt || !jd) throw new Error(`revision ${JSON.stringify(names)} is incomplete`);
  return { queue: q, ce, lt, jd };
}

// --- plans ---------------------------------------------------------------------------------------------------

async function planFile(
  specPath: string,
  name = 'reproject.plan.json',
  replace = false,
): Promise<{ path: string; id: string }> {
  const result = await plan({ aws, specPath, outPath: join(dir, name), replace, toolVersion: 'test' });
  expect(result.plan.blockers).toEqual([]);
  return { path: result.planPath, id: result.plan.id };
}

// =============================================================================================================

describe('promote A → B, then B → A, on the demo workload', () => {
  it('builds a faithful B, moves every reference and the alias to it, retires A; then swaps back to A leaving no orphan', async () => {
    const workload = await seedDemoWorkload({ endpoint: emulator.endpoint });
    const a = await snapshotRevision({
      queue: 'reproject-a',
      ce: 'reproject-spot-a',
      lt: 'reproject-500gb-a',
      jdArn: workload.jobDefinitionArn,
    });
    const nightlyBefore = await definitionOf(workload.stateMachines.unrelated);
    const planAB = await planFile(SPEC);

    const result = await promote({ aws, planPath: planAB.path, retire: true, timings: TIMINGS });

    expect(result.status).toBe('complete');
    const b = await snapshotRevision({
      queue: 'reproject-b',
      ce: 'reproject-spot-b',
      lt: 'reproject-500gb-b',
      jdArn: `${ARN}:job-definition/reproject-b:1`,
    });

    // Queue: same configuration, B's compute environment in A's place.
    expect(b.queue.jobQueueArn).toBe(`${ARN}:job-queue/reproject-b`);
    expect(omit(b.queue, ['jobQueueName', 'jobQueueArn', 'tags', 'computeEnvironmentOrder'])).toEqual(
      omit(a.queue, ['jobQueueName', 'jobQueueArn', 'tags', 'computeEnvironmentOrder']),
    );
    expect(b.queue.computeEnvironmentOrder).toEqual(
      a.queue.computeEnvironmentOrder?.map((o) => ({ ...o, computeEnvironment: b.ce.computeEnvironmentArn })),
    );
    expect(withoutBatchctlTags(b.queue.tags)).toEqual(userSettableTags(a.queue.tags));
    expect(batchctlTags(b.queue.tags)).toEqual(ownedBy('b', planAB.id));

    // Compute environment: same, except the spec's maxvCpus, B's own template pinned at version 1, and read-only fields.
    const ceReadOnly = [
      'computeEnvironmentName',
      'computeEnvironmentArn',
      'ecsClusterArn',
      'uuid',
      'tags',
      'computeResources',
    ];
    expect(omit(b.ce, ceReadOnly)).toEqual(omit(a.ce, ceReadOnly));
    const crDiffers = ['launchTemplate', 'maxvCpus', 'desiredvCpus'];
    expect(omit(b.ce.computeResources, crDiffers)).toEqual(omit(a.ce.computeResources, crDiffers));
    expect([a.ce.computeResources?.maxvCpus, b.ce.computeResources?.maxvCpus]).toEqual([256, 512]);
    expect(b.ce.computeResources?.launchTemplate).toEqual({ launchTemplateName: 'reproject-500gb-b', version: '1' });
    // desiredvCpus is A's current scale, not configuration: B starts at its minimum (aws-facts §4.1).
    expect(b.ce.computeResources?.desiredvCpus ?? b.ce.computeResources?.minvCpus).toBe(
      b.ce.computeResources?.minvCpus,
    );
    expect(withoutBatchctlTags(b.ce.tags)).toEqual(userSettableTags(a.ce.tags));
    expect(batchctlTags(b.ce.tags)).toEqual(ownedBy('b', planAB.id));

    // Launch template: same data except the spec's volume size, same tags.
    const ltIdentity = ['LaunchTemplateId', 'LaunchTemplateName', 'CreateTime', 'Tags'];
    expect(omit(b.lt.template, ltIdentity)).toEqual(omit(a.lt.template, ltIdentity));
    expect(omit(b.lt.version, [...ltIdentity, 'LaunchTemplateData'])).toEqual(
      omit(a.lt.version, [...ltIdentity, 'LaunchTemplateData']),
    );
    const volume = (lt: RevisionSnapshot['lt']): number | undefined =>
      lt.version.LaunchTemplateData?.BlockDeviceMappings?.[0]?.Ebs?.VolumeSize;
    expect([volume(a.lt), volume(b.lt)]).toEqual([500, 1000]);
    expect(launchTemplateDataShape(b.lt.version.LaunchTemplateData)).toEqual(
      launchTemplateDataShape(a.lt.version.LaunchTemplateData),
    );
    expect(withoutBatchctlTags(tagMap(b.lt.template.Tags))).toEqual(tagMap(a.lt.template.Tags));
    expect(batchctlTags(tagMap(b.lt.template.Tags))).toEqual(ownedBy('b', planAB.id));

    // Job definition: same (secrets included, rebuilt from the account) except the spec's image.
    const jdIdentity = ['jobDefinitionName', 'jobDefinitionArn', 'tags', 'containerProperties'];
    expect(omit(b.jd, jdIdentity)).toEqual(omit(a.jd, jdIdentity));
    expect(omit(b.jd.containerProperties, ['image'])).toEqual(omit(a.jd.containerProperties, ['image']));
    expect([a.jd.containerProperties?.image, b.jd.containerProperties?.image]).toEqual([
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/reproject:1.4',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com/reproject:1.5',
    ]);
    expect(withoutBatchctlTags(b.jd.tags)).toEqual(userSettableTags(a.jd.tags));

    // References: by ARN and by name, the alias through a new version; the unrelated machine untouched.
    const onB = batchStateMachineDefinition(`${ARN}:job-queue/reproject-b`, `${ARN}:job-definition/reproject-b:1`);
    expect(JSON.parse((await definitionOf(workload.stateMachines.byArn)).definition)).toEqual(JSON.parse(onB));
    expect(JSON.parse((await definitionOf(workload.stateMachines.byName)).definition)).toEqual(
      JSON.parse(jsonataStateMachineDefinition('reproject-b', 'reproject-b')),
    );
    expect(await definitionOf(workload.stateMachines.unrelated)).toEqual(nightlyBefore);
    const routes = await aliasRoutes(workload.aliasArn);
    const published = result.repointed.find((r) => r.stateMachine === 'reproject-workflow')?.publishedVersion;
    expect(published).toBeDefined();
    expect(published).not.toBe(`${workload.stateMachines.byArn}:1`);
    expect(routes).toEqual([{ stateMachineVersionArn: published, weight: 100 }]);
    expect(JSON.parse((await definitionOf(published as string)).definition)).toEqual(JSON.parse(onB));

    // A is gone; its job definition revision stays ACTIVE: version 1 of reproject-workflow still names it, and a
    // published version can be started by its ARN (docs/commands/promote.md, retire).
    expect(await queue('reproject-a')).toBeUndefined();
    expect(await computeEnvironment('reproject-spot-a')).toBeUndefined();
    expect((await allLaunchTemplates()).map((t) => t.LaunchTemplateName)).not.toContain('reproject-500gb-a');
    expect((await jobDefinition(workload.jobDefinitionArn))?.status).toBe('ACTIVE');
    expect(await emulator.violations()).toEqual([]);

    // ---- and back: B → A -------------------------------------------------------------------------------------
    // The same changes, already live on B: a forced swap (plan --replace).
    const planBA = await planFile(writeBackToASpec(dir), 'back.plan.json', true);
    const back = await promote({ aws, planPath: planBA.path, retire: true, timings: TIMINGS });

    expect(back.status).toBe('complete');
    expect(back.created.map((c) => `${c.kind}:${c.name}`)).toEqual([
      'launch-template:reproject-500gb-a',
      'compute-environment:reproject-spot-a',
      'job-definition:reproject-a',
      'job-queue:reproject-a',
    ]);
    const again = await snapshotRevision({
      queue: 'reproject-a',
      ce: 'reproject-spot-a',
      lt: 'reproject-500gb-a',
      jdArn: `${ARN}:job-definition/reproject-a:1`,
    });
    expect(again.queue).toMatchObject({ state: 'ENABLED', status: 'VALID', priority: 10 });
    expect(again.ce.computeResources?.launchTemplate).toEqual({
      launchTemplateName: 'reproject-500gb-a',
      version: '1',
    });
    expect(again.jd.status).toBe('ACTIVE');
    const onA = batchStateMachineDefinition(`${ARN}:job-queue/reproject-a`, `${ARN}:job-definition/reproject-a:1`);
    expect(JSON.parse((await definitionOf(workload.stateMachines.byArn)).definition)).toEqual(JSON.parse(onA));
    expect(JSON.parse((await definitionOf(workload.stateMachines.byName)).definition)).toEqual(
      JSON.parse(jsonataStateMachineDefinition('reproject-a', 'reproject-a')),
    );
    expect(await definitionOf(workload.stateMachines.unrelated)).toEqual(nightlyBefore);
    const backRoutes = await aliasRoutes(workload.aliasArn);
    expect(backRoutes).toHaveLength(1);
    expect(backRoutes[0]?.weight).toBe(100);
    expect(backRoutes[0]?.stateMachineVersionArn).not.toBe(published);
    expect(JSON.parse((await definitionOf(backRoutes[0]?.stateMachineVersionArn as string)).definition)).toEqual(
      JSON.parse(onA),
    );

    expect(await queue('reproject-b')).toBeUndefined();
    expect(await computeEnvironment('reproject-spot-b')).toBeUndefined();
    expect((await allLaunchTemplates()).map((t) => t.LaunchTemplateName)).not.toContain('reproject-500gb-b');
    // Kept: the version the first swap published (the one the alias routed to) names it.
    expect((await jobDefinition(`${ARN}:job-definition/reproject-b:1`))?.status).toBe('ACTIVE');

    // Nothing batchctl made survives outside the live revision.
    const activeJds = (await batch.send(new DescribeJobDefinitionsCommand({ status: 'ACTIVE' }))).jobDefinitions ?? [];
    const owned = [
      ...(await allComputeEnvironments()).map((c) => ({
        what: `compute-environment ${c.computeEnvironmentName}`,
        tags: c.tags,
      })),
      ...(await allQueues()).map((q) => ({ what: `job-queue ${q.jobQueueName}`, tags: q.tags })),
      ...(await allLaunchTemplates()).map((t) => ({
        what: `launch-template ${t.LaunchTemplateName}`,
        tags: tagMap(t.Tags),
      })),
      ...activeJds.map((j) => ({ what: `job-definition ${j.jobDefinitionName}:${j.revision}`, tags: j.tags })),
    ]
      .filter((r) => r.tags?.['batchctl:plan'])
      .map((r) => `${r.what} (${r.tags?.['batchctl:revision']}, ${r.tags?.['batchctl:plan']})`);
    expect(owned.sort()).toEqual(
      [
        `compute-environment reproject-spot-a (a, ${planBA.id})`,
        `job-definition reproject-a:1 (a, ${planBA.id})`,
        `job-definition reproject-b:1 (b, ${planAB.id})`,
        `job-queue reproject-a (a, ${planBA.id})`,
        `launch-template reproject-500gb-a (a, ${planBA.id})`,
      ].sort(),
    );
    expect(await emulator.violations()).toEqual([]);
  });
});

// =============================================================================================================

describe('the cutover under a continuous load of executions', () => {
  const ADHOC_INPUT = JSON.stringify({ url: 's3://x' });
  const WORKFLOW_INPUT = JSON.stringify({ items: [{ parameters: { url: 's3://x' } }] });

  /** The demo workload with 1-second jobs, reproject-adhoc made runnable in the emulator (see runnable-adhoc.ts). */
  async function seedForLoad(): Promise<DemoWorkload> {
    const workload = await seedDemoWorkload({ endpoint: emulator.endpoint, command: ['sleep', '1'] });
    await makeAdhocRunnable(emulator.endpoint, workload.stateMachines.byName);
    return workload;
  }

  /** Alternately: reproject-adhoc by its state machine ARN, reproject-workflow through its `live` alias. */
  function startLoad(workload: DemoWorkload): ExecutionLoad {
    return ExecutionLoad.start({
      endpoint: emulator.endpoint,
      targets: [
        { arn: workload.stateMachines.byName, input: ADHOC_INPUT },
        { arn: workload.aliasArn, input: WORKFLOW_INPUT },
      ],
      intervalMs: 150,
      maxExecutions: 400,
      maxDurationMs: 90_000,
    });
  }

  async function waitForMoreStarts(load: ExecutionLoad, count: number): Promise<void> {
    const target = load.started.length + count;
    await waitFor(() => load.started.length >= target, {
      timeoutMs: 20_000,
      what: `${count} more executions to start`,
    });
  }

  /**
   * The shared assertion of both orders: waits until none of the load's executions is RUNNING any more and returns
   * every one that did not SUCCEED. A correct cutover has no casualties.
   */
  async function cutoverCasualties(
    started: StartedExecution[],
  ): Promise<{ executionArn: string; status: string; cause?: string }[]> {
    const ended = await waitForExecutionsToEnd(emulator.endpoint, started);
    return ended
      .filter((e) => e.status !== 'SUCCEEDED')
      .map((e) => ({ executionArn: e.executionArn, status: e.status, ...(e.cause ? { cause: e.cause } : {}) }));
  }

  const ranOn = (e: EndedExecution): 'A' | 'B' | '?' =>
    e.definition.includes('reproject-b') ? 'B' : e.definition.includes('reproject-a') ? 'A' : '?';

  it('in the right order: every execution started before, during and after the promote SUCCEEDS and no job fails', async () => {
    const workload = await seedForLoad();
    const { path } = await planFile(SPEC);
    const load = startLoad(workload);
    let promoteWindow: [number, number] = [0, 0];
    let cli: CliResult | undefined;
    try {
      await waitForMoreStarts(load, 6);
      const from = Date.now();
      cli = await runCli(['promote', path, '--yes', ...FAST], cliEnv(emulator.endpoint, { CI: 'true' }));
      promoteWindow = [from, Date.now()];
      await waitForMoreStarts(load, 6);
    } finally {
      await load.stop();
    }

    expect(cli).toMatchObject({ code: 0 });
    expect(cli?.stdout).toMatch(SUMMARY);
    expect(load.startErrors).toEqual([]);
    const casualties = await cutoverCasualties(load.started);
    expect(casualties).toEqual([]);

    const during = load.startedBetween(...promoteWindow);
    const failedDuring = casualties.filter((c) => during.some((d) => d.executionArn === c.executionArn));
    const figure = `${during.length} executions started during the promote, ${failedDuring.length ? `${failedDuring.length} FAILED` : 'all SUCCEEDED'}`;
    expect(figure).toBe(`${during.length} executions started during the promote, all SUCCEEDED`);
    expect(during.length).toBeGreaterThan(0);

    // Both sides of the cutover were exercised, by both callers.
    const ended = await waitForExecutionsToEnd(emulator.endpoint, load.started);
    const sides = new Set(ended.map((e) => `${ranOn(e)} via ${e.target === workload.aliasArn ? 'alias' : 'adhoc'}`));
    expect([...sides].sort()).toEqual(['A via adhoc', 'A via alias', 'B via adhoc', 'B via alias']);

    // Every job those executions submitted SUCCEEDED, on the queue their definition named.
    const jobIds = ended.flatMap((e) => e.jobIds);
    expect(jobIds).toHaveLength(ended.length);
    const jobs = await describeJobs(emulator.endpoint, jobIds);
    expect(
      jobs.filter((j) => j.status !== 'SUCCEEDED').map((j) => `${j.jobId} ${j.status} ${j.statusReason ?? ''}`),
    ).toEqual([]);
    const queueOf = new Map(jobs.map((j) => [j.jobId, j.jobQueue]));
    for (const e of ended) {
      expect({ execution: e.executionArn, queue: queueOf.get(e.jobIds[0]) }).toEqual({
        execution: e.executionArn,
        queue: `${ARN}:job-queue/reproject-${ranOn(e).toLowerCase()}`,
      });
    }
    const failedOnB = await batch.send(
      new ListJobsCommand({ jobQueue: `${ARN}:job-queue/reproject-b`, jobStatus: 'FAILED' }),
    );
    expect(failedOnB.jobSummaryList).toEqual([]);
    expect(await emulator.violations()).toEqual([]);
  });

  it('in the wrong order (queue A disabled before the cutover): executions FAIL, and cutoverCasualties() reports them', async () => {
    const workload = await seedForLoad();
    const load = startLoad(workload);
    let cli: CliResult | undefined;
    try {
      await waitForMoreStarts(load, 4);
      // The wrong thing: stop A's intake while every reference still points at A.
      await batch.send(new UpdateJobQueueCommand({ jobQueue: 'reproject-a', state: 'DISABLED' }));
      await waitFor(async () => (await emulator.violations()).some((v) => v.operation === 'SubmitJob'), {
        what: 'a caller to be refused by the disabled queue',
      });
      // A plan made before the disable would now be refused as stale (A's state changed), so plan from here.
      const { path } = await planFile(SPEC);
      cli = await runCli(['promote', path, '--yes', ...FAST], cliEnv(emulator.endpoint, { CI: 'true' }));
      await waitForMoreStarts(load, 4);
    } finally {
      await load.stop();
    }

    // promote itself reports success: only the callers can tell.
    expect(cli).toMatchObject({ code: 0 });
    const casualties = await cutoverCasualties(load.started);
    expect(casualties.length).toBeGreaterThan(0);
    for (const c of casualties)
      expect(c).toMatchObject({ status: 'FAILED', cause: expect.stringContaining('is not ENABLED') });
    expect(await emulator.violations()).toContainEqual(
      expect.objectContaining({
        operation: 'SubmitJob',
        message: expect.stringMatching(/job-queue\/reproject-a is not ENABLED \(state DISABLED\)/),
      }),
    );
    // The executions started after the cutover ran on B and were fine.
    const ended = await waitForExecutionsToEnd(emulator.endpoint, load.started);
    expect(ended.filter((e) => ranOn(e) === 'B').every((e) => e.status === 'SUCCEEDED')).toBe(true);
    expect(ended.some((e) => ranOn(e) === 'B')).toBe(true);
  });
});

// =============================================================================================================

describe('promote refuses', () => {
  let seeded: DemoWorkload;
  beforeEach(async () => {
    seeded = await seedDemoWorkload({ endpoint: emulator.endpoint });
  });

  it('a plan that a state machine created since does not cover (it names queue A): exit 5, changes nothing', async () => {
    const { path } = await planFile(SPEC);
    await sfn.send(
      new CreateStateMachineCommand({
        name: 'reproject-nightly',
        roleArn: seeded.roleArns.states,
        definition: batchStateMachineDefinition('reproject-a', 'reproject'),
      }),
    );
    const before = await snapshotAccount(emulator.endpoint);

    const result = await runCli(['promote', path, '--yes', ...FAST], cliEnv(emulator.endpoint, { CI: 'true' }));

    expect(result.code).toBe(5);
    expect(result.stderr.trim().split('\n').pop()).toMatch(
      /^Error: Step preflight failed: Plan p-[0-9a-f]{12} is stale: state machine reproject-nightly names job queue reproject-a, and the plan does not cover it\. Run `batchctl plan` again/,
    );
    expect(await snapshotAccount(emulator.endpoint)).toEqual(before);
  });

  it('a plan whose alias routing changed since (a canary on a new version): exit 5, changes nothing', async () => {
    // Version 2 exists before the plan; only the alias moves after it (the definition's revision stays the same).
    const v2 = await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: seeded.stateMachines.byArn,
        definition: batchStateMachineDefinition('reproject-a', 'reproject'),
        publish: true,
      }),
    );
    const { path } = await planFile(SPEC);
    const v1 = (await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: seeded.aliasArn })))
      .routingConfiguration?.[0]?.stateMachineVersionArn;
    await sfn.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn: seeded.aliasArn,
        routingConfiguration: [
          { stateMachineVersionArn: v1, weight: 90 },
          { stateMachineVersionArn: v2.stateMachineVersionArn, weight: 10 },
        ],
      }),
    );
    const before = await snapshotAccount(emulator.endpoint);

    const result = await runCli(['promote', path, '--yes', ...FAST], cliEnv(emulator.endpoint, { CI: 'true' }));

    expect(result.code).toBe(5);
    expect(result.stderr).toContain(
      'state machine reproject-workflow: its aliases or their routing changed since the plan',
    );
    expect(await snapshotAccount(emulator.endpoint)).toEqual(before);
  });

  it("a plan after which another state machine's alias was pointed at a version that uses A: exit 5, naming it", async () => {
    const { path } = await planFile(SPEC);
    const onA = await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: seeded.stateMachines.unrelated,
        definition: batchStateMachineDefinition('reproject-a', 'reproject'),
        publish: true,
      }),
    );
    await sfn.send(
      new CreateStateMachineAliasCommand({
        name: 'stable',
        routingConfiguration: [{ stateMachineVersionArn: onA.stateMachineVersionArn, weight: 100 }],
      }),
    );
    await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: seeded.stateMachines.unrelated,
        definition: batchStateMachineDefinition(seeded.otherQueueArn, 'nightly-report'),
      }),
    );

    const result = await runCli(['promote', path, '--yes', ...FAST], cliEnv(emulator.endpoint, { CI: 'true' }));

    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(
      /state machine nightly-report: alias stable routes 100% of executions to version \d+, which uses revision A/,
    );
    expect(await queue('reproject-b')).toBeUndefined();
  });

  it('to disable A while a state machine that appeared during the swap names it: exit 4, A kept ENABLED; once it is moved, promote finishes', async () => {
    const { path } = await planFile(SPEC);
    // B's compute environment and queue stay CREATING for 2 s each: time to add a state machine mid-swap.
    await emulator.setTransitionSeconds(2, 0);
    const env = cliEnv(emulator.endpoint, { CI: 'true' });
    const running = runCli(['promote', path, '--yes', ...FAST], env);
    await waitFor(
      async () => (await allComputeEnvironments()).some((c) => c.computeEnvironmentName === 'reproject-spot-b'),
      {
        what: "B's compute environment to be created",
      },
    );
    const late = await sfn.send(
      new CreateStateMachineCommand({
        name: 'reproject-nightly',
        roleArn: seeded.roleArns.states,
        definition: batchStateMachineDefinition('reproject-a', 'reproject'),
      }),
    );

    const stopped = await running;

    expect(stopped.code).toBe(4);
    expect(stopped.stderr.trim().split('\n').pop()).toMatch(
      /^Error: Step drain:reproject-a failed: state machine reproject-nightly names job queue reproject-a, but plan p-[0-9a-f]{12} does not move it; reproject-a is kept enabled so its executions keep working\. Point it at reproject-b .*batchctl promote .*batchctl rollback /,
    );
    expect(await queue('reproject-a')).toMatchObject({ state: 'ENABLED', status: 'VALID' });
    expect(await queue('reproject-b')).toMatchObject({ state: 'ENABLED', status: 'VALID' });

    await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: late.stateMachineArn,
        definition: batchStateMachineDefinition('reproject-b', 'reproject'),
      }),
    );
    const finished = await runCli(['promote', path, '--yes', ...FAST], env);
    expect(finished.code).toBe(0);
    expect(await queue('reproject-a')).toBeUndefined();
    expect(await emulator.violations()).toEqual([]);
  });

  it('a stale plan (A changed since planning) with exit 5, and changes nothing', async () => {
    const { path } = await planFile(SPEC);
    await batch.send(new UpdateJobQueueCommand({ jobQueue: 'reproject-a', priority: 20 }));
    const before = await snapshotAccount(emulator.endpoint);

    const result = await runCli(['promote', path, '--yes', ...FAST], cliEnv(emulator.endpoint, { CI: 'true' }));

    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/Plan p-[0-9a-f]{12} is stale: /);
    expect(result.stdout).toBe('');
    expect(await snapshotAccount(emulator.endpoint)).toEqual(before);
  });

  // DESIGN invariant 3: promote "refuses on any difference, naming it", not only "B now derives differently".
  it('a stale plan, naming the difference: "job-queue reproject-a: priority 10 → 20"', async () => {
    const { path } = await planFile(SPEC);
    await batch.send(new UpdateJobQueueCommand({ jobQueue: 'reproject-a', priority: 20 }));

    const result = await runCli(['promote', path, '--yes', ...FAST], cliEnv(emulator.endpoint, { CI: 'true' }));

    expect(result.code).toBe(5);
    expect(result.stderr).toContain('job-queue reproject-a: priority 10 → 20');
  });

  it('a plan from before the spec was embedded, moved away from its spec: exit 3, saying how the two are found', async () => {
    const { path } = await planFile(SPEC);
    // Such a plan records the spec file's text digest and nothing else of it (sealed again, as plan wrote them).
    const current = parsePlan(readFileSync(path, 'utf8'), path);
    const legacy = sealPlan({
      ...current,
      spec: { path: current.spec.path, digest: digestOf(readFileSync(SPEC, 'utf8')) },
    });
    // One level deeper than where plan wrote it: the relative spec path no longer leads to the spec.
    const movedDir = join(mkdtempSync(join(tmpdir(), 'batchctl-moved-')), 'nested');
    mkdirSync(movedDir);
    const moved = join(movedDir, 'reproject.plan.json');
    writeFileSync(moved, serializePlan(legacy));

    const result = await runCli(['promote', moved, '--yes', ...FAST], cliEnv(emulator.endpoint, { CI: 'true' }));

    expect(result.code).toBe(3);
    expect(result.stderr.trim().split('\n').pop()).toMatch(
      /^Error: Step preflight failed: The plan's spec ".+reproject\.yaml" cannot be read; it is needed to rebuild B's secrets\. The plan names its spec relative to the plan file \(.+\): keep the two side by side as `batchctl plan` wrote them, or plan again\.$/,
    );
  });

  it('a tampered plan (one character of a value edited) with exit 3 PlanTampered', async () => {
    const { path } = await planFile(SPEC);
    const text = readFileSync(path, 'utf8');
    const edited = text.replace('"maxvCpus": 512', '"maxvCpus": 612');
    expect(edited).not.toBe(text);
    writeFileSync(path, edited);
    const before = await snapshotAccount(emulator.endpoint);

    const result = await runCli(
      ['promote', path, '--yes', '--json', ...FAST],
      cliEnv(emulator.endpoint, { CI: 'true' }),
    );

    expect(result.code).toBe(3);
    const doc = JSON.parse(result.stdout) as { error: { code: string; message: string } };
    expect(doc.error.code).toBe('PlanTampered');
    expect(doc.error.message).toBe(
      `${path}: the plan's digest does not match its content; it was edited after it was written.`,
    );
    expect(await snapshotAccount(emulator.endpoint)).toEqual(before);
  });

  it('to start without --yes when stdin is not a terminal: exit 9, nothing created', async () => {
    const { path } = await planFile(SPEC);
    const before = await snapshotAccount(emulator.endpoint);

    // runCli gives the child no stdin (stdio "ignore"), and CI is not set.
    const result = await runCli(['promote', path, ...FAST], cliEnv(emulator.endpoint));

    expect(result.code).toBe(9);
    expect(result.stderr).toContain('--yes');
    expect(result.stdout).toBe('');
    expect(await snapshotAccount(emulator.endpoint)).toEqual(before);
  });

  it('nothing under --json: one JSON document on stdout, no progress on stderr', async () => {
    const { path, id } = await planFile(SPEC);

    const result = await runCli(
      ['promote', path, '--yes', '--json', ...FAST],
      cliEnv(emulator.endpoint, { CI: 'true' }),
    );

    expect(result).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(result.stdout) as PromoteResult;
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['created', 'repointed', 'drained', 'deleted', 'timings']));
    expect(doc).toMatchObject({ planId: id, status: 'complete', drained: { queue: 'reproject-a' } });
    expect(doc.created).toHaveLength(4);
    expect(doc.repointed.map((r) => r.stateMachine).sort()).toEqual(['reproject-adhoc', 'reproject-workflow']);
    expect(doc.deleted).toHaveLength(3); // A's job definition revision is kept: version 1 names it
    expect(doc.timings.totalMs).toBeGreaterThan(0);
  });
});

// =============================================================================================================

describe('re-running promote converges', () => {
  beforeEach(async () => {
    await seedDemoWorkload({ endpoint: emulator.endpoint });
  });

  it('after --no-retire: the second run reuses every build step, creates nothing new and retires A', async () => {
    const { path } = await planFile(SPEC);
    const env = cliEnv(emulator.endpoint, { CI: 'true' });

    const first = await runCli(['promote', path, '--yes', '--no-retire', '--json', ...FAST], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(first.stdout) as PromoteResult).status).toBe('drained');
    expect(await queue('reproject-a')).toMatchObject({ state: 'DISABLED', status: 'VALID' });
    const ces = (await allComputeEnvironments()).map((c) => c.computeEnvironmentName).sort();
    const queues = (await allQueues()).map((q) => q.jobQueueName).sort();
    const templates = (await allLaunchTemplates()).map((t) => t.LaunchTemplateName).sort();

    const second = await runCli(['promote', path, '--yes', '--json', ...FAST], env);

    expect(second).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(second.stdout) as PromoteResult;
    expect(doc.status).toBe('complete');
    expect(doc.created.map((c) => `${c.kind}:${c.name}:${c.reused}`)).toEqual([
      'launch-template:reproject-500gb-b:true',
      'compute-environment:reproject-spot-b:true',
      'job-definition:reproject-b:true',
      'job-queue:reproject-b:true',
    ]);
    expect(doc.deleted.map((d) => `${d.kind}:${d.name}`)).toEqual([
      'job-queue:reproject-a',
      'compute-environment:reproject-spot-a',
      'launch-template:reproject-500gb-a',
    ]);
    // Nothing new: what is left is what the first run left, minus A.
    expect((await allComputeEnvironments()).map((c) => c.computeEnvironmentName).sort()).toEqual(
      ces.filter((n) => n !== 'reproject-spot-a'),
    );
    expect((await allQueues()).map((q) => q.jobQueueName).sort()).toEqual(queues.filter((n) => n !== 'reproject-a'));
    expect((await allLaunchTemplates()).map((t) => t.LaunchTemplateName).sort()).toEqual(
      templates.filter((n) => n !== 'reproject-500gb-a'),
    );
    expect(await emulator.violations()).toEqual([]);
  });
});
