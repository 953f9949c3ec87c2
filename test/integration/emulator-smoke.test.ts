/**
 * Smoke test of the AWS emulator (test/emulator): moto 5.2.1 plus batchctl's runtime fixes. It fails loudly
 * when moto changes under the fixes or a fix stops working. Each `it` proves one behaviour the other tests
 * rely on. Tests may use @aws-sdk/* directly; src/ may not.
 */
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DeleteComputeEnvironmentCommand,
  DeleteJobQueueCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  type JobStatus,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  UpdateComputeEnvironmentCommand,
  UpdateJobQueueCommand,
} from '@aws-sdk/client-batch';
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import {
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DeleteStateMachineVersionCommand,
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  SFNClient,
  StartExecutionCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';

import { type Emulator, startEmulator } from '../emulator';

jest.setTimeout(60_000);

const SFN_ROLE = 'arn:aws:iam::123456789012:role/sfn-role';

interface Clients {
  batch: BatchClient;
  sfn: SFNClient;
  ec2: EC2Client;
  iam: IAMClient;
}

function clientsFor(endpoint: string): Clients {
  const config = {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  return {
    batch: new BatchClient(config),
    sfn: new SFNClient(config),
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
  };
}

// --- seeding (local to this file; the shared seeding code lives elsewhere) -------------------------

interface Seeded {
  ceArn: string;
  queueArn: string;
  queueName: string;
  jobDefinition: string;
}

/** IAM role + instance profile, a MANAGED EC2 CE (0 vCPUs, so no instances), an ENABLED queue and a job definition. */
async function seedBatch(c: Clients, suffix = 'blue', command: string[] = ['echo', 'hello']): Promise<Seeded> {
  const role = await c.iam.send(
    new CreateRoleCommand({ RoleName: `batch-service-role-${suffix}`, AssumeRolePolicyDocument: '{}' }),
  );
  const profile = await c.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: `ecs-instance-${suffix}` }));
  const subnets = (await c.ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  const groups = (await c.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
  const ce = await c.batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: `ce-${suffix}`,
      type: 'MANAGED',
      serviceRole: role.Role?.Arn,
      computeResources: {
        type: 'EC2',
        minvCpus: 0,
        desiredvCpus: 0,
        maxvCpus: 4,
        instanceTypes: ['m5.large'],
        subnets: subnets.slice(0, 2).map((s) => s.SubnetId ?? ''),
        securityGroupIds: groups.slice(0, 1).map((g) => g.GroupId ?? ''),
        instanceRole: profile.InstanceProfile?.Arn,
      },
    }),
  );
  const queueName = `jq-${suffix}`;
  const queue = await c.batch.send(
    new CreateJobQueueCommand({
      jobQueueName: queueName,
      state: 'ENABLED',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: `ce-${suffix}` }], // by name; described as ARN
    }),
  );
  const jd = await c.batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: `work-${suffix}`,
      type: 'container',
      containerProperties: { image: 'busybox', vcpus: 1, memory: 128, command },
    }),
  );
  return {
    ceArn: ce.computeEnvironmentArn ?? '',
    queueArn: queue.jobQueueArn ?? '',
    queueName,
    jobDefinition: jd.jobDefinitionName ?? '',
  };
}

function submitJobDefinition(jobName: string, jobQueue: string, jobDefinition: string): string {
  return JSON.stringify({
    StartAt: 'Run',
    States: {
      Run: {
        Type: 'Task',
        Resource: 'arn:aws:states:::batch:submitJob.sync',
        Parameters: {
          JobName: jobName,
          JobQueue: jobQueue,
          JobDefinition: jobDefinition,
          ContainerOverrides: { Environment: [{ Name: 'X', 'Value.$': '$.x' }] },
        },
        End: true,
      },
    },
  });
}

function passDefinition(result: Record<string, unknown>): string {
  return JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: result, End: true } } });
}

// --- polling (never a fixed sleep) -------------------------------------------------------------------

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function finishedExecution(c: Clients, executionArn: string): Promise<DescribeExecutionOutput> {
  return waitFor(`execution ${executionArn} to finish`, async () => {
    const out = await c.sfn.send(new DescribeExecutionCommand({ executionArn }));
    return out.status === 'RUNNING' ? undefined : out;
  });
}

async function jobStatus(c: Clients, jobId: string): Promise<{ status?: string; statusReason?: string }> {
  const job = (await c.batch.send(new DescribeJobsCommand({ jobs: [jobId] }))).jobs?.[0];
  return { status: job?.status, statusReason: job?.statusReason };
}

async function jobIdsIn(c: Clients, jobQueue: string, status: JobStatus): Promise<string[]> {
  const out = await c.batch.send(new ListJobsCommand({ jobQueue, jobStatus: status }));
  return (out.jobSummaryList ?? []).map((j) => j.jobId ?? '');
}

// --- the tests ---------------------------------------------------------------------------------------

describe('emulator (moto 5.2.1 + runtime fixes)', () => {
  let emu: Emulator;
  let c: Clients;

  beforeAll(async () => {
    emu = await startEmulator();
    c = clientsFor(emu.endpoint);
  });

  beforeEach(async () => {
    await emu.reset();
  });

  afterAll(async () => {
    const pid = emu?.pid;
    await emu?.stop();
    if (pid !== undefined) expect(() => process.kill(pid, 0)).toThrow();
  });

  it('runs batch:submitJob.sync by queue ARN and by queue name to SUCCEEDED, and the jobs land in the queue', async () => {
    const s = await seedBatch(c);
    const byArn = await c.sfn.send(
      new CreateStateMachineCommand({
        name: 'by-arn',
        roleArn: SFN_ROLE,
        definition: submitJobDefinition('sfn-by-arn', s.queueArn, s.jobDefinition),
      }),
    );
    const byName = await c.sfn.send(
      new CreateStateMachineCommand({
        name: 'by-name',
        roleArn: SFN_ROLE,
        definition: submitJobDefinition('sfn-by-name', s.queueName, s.jobDefinition),
      }),
    );
    // Unnamed starts, more than one per state machine (fix 2, and fix 7: moto 5.2.1 fails every start after the first).
    const starts = [];
    for (const sm of [byArn, byName, byArn]) {
      starts.push(
        await c.sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn, input: '{"x":"1"}' })),
      );
    }
    expect(new Set(starts.map((s) => s.executionArn)).size).toBe(3);
    for (const start of starts) expect(start.executionArn).not.toMatch(/:None$/);

    for (const start of starts) {
      const done = await finishedExecution(c, start.executionArn ?? '');
      expect({ status: done.status, error: done.error, cause: done.cause }).toEqual({
        status: 'SUCCEEDED',
        error: undefined,
        cause: undefined,
      });
      const output = JSON.parse(done.output ?? '{}') as Record<string, unknown>;
      expect(output).toMatchObject({ Status: 'SUCCEEDED', JobQueue: s.queueArn }); // PascalCase, like AWS
      expect(output.JobId).toEqual(expect.any(String));
    }

    const succeeded = await c.batch.send(new ListJobsCommand({ jobQueue: s.queueArn, jobStatus: 'SUCCEEDED' }));
    const names = (succeeded.jobSummaryList ?? []).map((j) => j.jobName).sort();
    expect(names).toEqual(['sfn-by-arn', 'sfn-by-arn', 'sfn-by-name']);
    const job = (await c.batch.send(new DescribeJobsCommand({ jobs: [succeeded.jobSummaryList?.[0]?.jobId ?? ''] })))
      .jobs?.[0];
    expect(job?.container?.environment).toEqual(
      expect.arrayContaining([
        { name: 'X', value: '1' },
        { name: 'MANAGED_BY_AWS', value: 'STARTED_BY_STEP_FUNCTIONS' },
      ]),
    );

    // Fix 11: the queue's CE was given by name but is described by ARN.
    const queue = (await c.batch.send(new DescribeJobQueuesCommand({ jobQueues: [s.queueName] }))).jobQueues?.[0];
    expect(queue?.computeEnvironmentOrder).toEqual([{ order: 1, computeEnvironment: s.ceArn }]);
  });

  it('starts executions through a version ARN and an alias ARN, running that version', async () => {
    const created = await c.sfn.send(
      new CreateStateMachineCommand({
        name: 'versioned',
        roleArn: SFN_ROLE,
        definition: passDefinition({ v: 1 }),
        publish: true,
      }),
    );
    const v2 = await c.sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: created.stateMachineArn,
        definition: passDefinition({ v: 2 }),
        publish: true,
      }),
    );
    const v1Arn = created.stateMachineVersionArn ?? '';
    const v2Arn = v2.stateMachineVersionArn ?? '';
    expect([v1Arn, v2Arn]).toEqual([`${created.stateMachineArn}:1`, `${created.stateMachineArn}:2`]);
    const alias = await c.sfn.send(
      new CreateStateMachineAliasCommand({
        name: 'live',
        routingConfiguration: [{ stateMachineVersionArn: v1Arn, weight: 100 }],
      }),
    );
    const aliasArn = alias.stateMachineAliasArn ?? '';

    const run = async (stateMachineArn: string): Promise<DescribeExecutionOutput> => {
      const start = await c.sfn.send(new StartExecutionCommand({ stateMachineArn }));
      return finishedExecution(c, start.executionArn ?? '');
    };

    const viaVersion = await run(v1Arn);
    expect(viaVersion).toMatchObject({ status: 'SUCCEEDED', stateMachineVersionArn: v1Arn });
    expect(JSON.parse(viaVersion.output ?? '')).toEqual({ v: 1 });
    const viaLatest = await run(created.stateMachineArn ?? '');
    expect(JSON.parse(viaLatest.output ?? '')).toEqual({ v: 2 });
    const viaAlias = await run(aliasArn);
    expect(JSON.parse(viaAlias.output ?? '')).toEqual({ v: 1 });
    expect(viaAlias).toMatchObject({
      status: 'SUCCEEDED',
      stateMachineArn: created.stateMachineArn,
      stateMachineVersionArn: v1Arn,
      stateMachineAliasArn: aliasArn,
    });

    await c.sfn.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn: aliasArn,
        routingConfiguration: [{ stateMachineVersionArn: v2Arn, weight: 100 }],
      }),
    );
    const viaMovedAlias = await run(aliasArn);
    expect(viaMovedAlias).toMatchObject({ status: 'SUCCEEDED', stateMachineVersionArn: v2Arn });
    expect(JSON.parse(viaMovedAlias.output ?? '')).toEqual({ v: 2 });
  });

  it('DescribeStateMachineForExecution returns the start-time definition; revisionId changes on update', async () => {
    const created = await c.sfn.send(
      new CreateStateMachineCommand({ name: 'drifting', roleArn: SFN_ROLE, definition: passDefinition({ v: 'old' }) }),
    );
    const smArn = created.stateMachineArn ?? '';
    const before = await c.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: smArn }));
    expect(before.revisionId).toEqual(expect.any(String));
    const start = await c.sfn.send(new StartExecutionCommand({ stateMachineArn: smArn }));

    const updated = await c.sfn.send(
      new UpdateStateMachineCommand({ stateMachineArn: smArn, definition: passDefinition({ v: 'new' }) }),
    );
    const after = await c.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: smArn }));
    expect(after.definition).toBe(passDefinition({ v: 'new' }));
    expect(after.revisionId).toEqual(expect.any(String));
    expect(after.revisionId).not.toBe(before.revisionId);
    expect(updated.revisionId).toBe(after.revisionId);

    const forExecution = await c.sfn.send(
      new DescribeStateMachineForExecutionCommand({ executionArn: start.executionArn }),
    );
    expect(forExecution).toMatchObject({
      stateMachineArn: smArn,
      definition: passDefinition({ v: 'old' }),
      revisionId: before.revisionId,
    });
  });

  it('lists published versions, publishes by revision, and refuses to delete a version an alias uses', async () => {
    const created = await c.sfn.send(
      new CreateStateMachineCommand({
        name: 'published',
        roleArn: SFN_ROLE,
        definition: passDefinition({ v: 1 }),
        publish: true,
      }),
    );
    const smArn = created.stateMachineArn ?? '';
    await c.sfn.send(
      new UpdateStateMachineCommand({ stateMachineArn: smArn, definition: passDefinition({ v: 2 }), publish: true }),
    );
    await c.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: smArn, definition: passDefinition({ v: 3 }) }));
    const { revisionId } = await c.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: smArn }));
    const v3 = await c.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: smArn, revisionId }));
    expect(v3.stateMachineVersionArn).toBe(`${smArn}:3`);
    // Publishing the same revision again is idempotent; a stale revision is a conflict.
    const again = await c.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: smArn }));
    expect(again.stateMachineVersionArn).toBe(`${smArn}:3`);
    await expect(
      c.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: smArn, revisionId: 'stale' })),
    ).rejects.toMatchObject({ name: 'ConflictException' });

    const listed = await c.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: smArn }));
    expect(listed.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([
      `${smArn}:3`,
      `${smArn}:2`,
      `${smArn}:1`,
    ]);

    await c.sfn.send(
      new CreateStateMachineAliasCommand({
        name: 'prod',
        routingConfiguration: [{ stateMachineVersionArn: `${smArn}:1`, weight: 100 }],
      }),
    );
    await expect(
      c.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${smArn}:1` })),
    ).rejects.toMatchObject({
      name: 'ConflictException',
    });
    await c.sfn.send(new DeleteStateMachineVersionCommand({ stateMachineVersionArn: `${smArn}:2` }));
    const remaining = await c.sfn.send(new ListStateMachineVersionsCommand({ stateMachineArn: smArn }));
    expect(remaining.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([`${smArn}:3`, `${smArn}:1`]);
  });

  it('keeps a `sleep N` job RUNNING for N seconds without blocking SubmitJob, then SUCCEEDED', async () => {
    const s = await seedBatch(c, 'sleepy', ['sleep', '1.5']);
    const submittedAt = Date.now();
    const job = await c.batch.send(
      new SubmitJobCommand({ jobName: 'nap', jobQueue: s.queueName, jobDefinition: s.jobDefinition }),
    );
    expect(Date.now() - submittedAt).toBeLessThan(1_000);
    const jobId = job.jobId ?? '';

    await waitFor('the job to be listed as RUNNING', async () =>
      (await jobIdsIn(c, s.queueArn, 'RUNNING')).includes(jobId) ? true : undefined,
    );
    expect(await jobStatus(c, jobId)).toMatchObject({ status: 'RUNNING' });
    await waitFor('the job to succeed', async () =>
      (await jobStatus(c, jobId)).status === 'SUCCEEDED' ? true : undefined,
    );
    expect(Date.now() - submittedAt).toBeGreaterThanOrEqual(1_400);
    expect(await jobIdsIn(c, s.queueArn, 'RUNNING')).toEqual([]);

    // ["sleep", "N", "fail"] from containerOverrides ends FAILED.
    const failing = await c.batch.send(
      new SubmitJobCommand({
        jobName: 'nap-fail',
        jobQueue: s.queueArn,
        jobDefinition: s.jobDefinition,
        containerOverrides: { command: ['sleep', '0.2', 'fail'] },
      }),
    );
    await waitFor('the failing job to fail', async () =>
      (await jobStatus(c, failing.jobId ?? '')).status === 'FAILED' ? true : undefined,
    );
  });

  it('strict mode rejects what AWS rejects, records it, and can be switched off', async () => {
    const s = await seedBatch(c);
    await c.batch.send(new UpdateJobQueueCommand({ jobQueue: s.queueName, state: 'DISABLED' }));
    const submit = () =>
      c.batch.send(new SubmitJobCommand({ jobName: 'late', jobQueue: s.queueArn, jobDefinition: s.jobDefinition }));
    await expect(submit()).rejects.toMatchObject({
      name: 'ClientException',
      message: expect.stringMatching(/not ENABLED/),
    });

    const other = await seedBatch(c, 'green');
    await expect(c.batch.send(new DeleteJobQueueCommand({ jobQueue: other.queueArn }))).rejects.toMatchObject({
      name: 'ClientException',
    });
    await expect(
      c.batch.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: other.ceArn })),
    ).rejects.toMatchObject({
      name: 'ClientException',
      message: expect.stringMatching(/must be DISABLED/),
    });
    await c.batch.send(new UpdateComputeEnvironmentCommand({ computeEnvironment: other.ceArn, state: 'DISABLED' }));
    await expect(
      c.batch.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: other.ceArn })),
    ).rejects.toMatchObject({
      name: 'ClientException',
      message: expect.stringMatching(/still used by job queue/),
    });

    const violations = await emu.violations();
    expect(violations.map((v) => v.operation)).toEqual([
      'SubmitJob',
      'DeleteJobQueue',
      'DeleteComputeEnvironment',
      'DeleteComputeEnvironment',
    ]);
    for (const v of violations) expect(Number.isNaN(Date.parse(v.time))).toBe(false);

    await emu.setStrict(false);
    const accepted = await submit();
    expect(accepted.jobId).toEqual(expect.any(String));
    expect(await emu.violations()).toHaveLength(4);
  });

  it('deleting a (disabled) queue that still has a RUNNING job ends the job FAILED', async () => {
    const s = await seedBatch(c, 'doomed', ['sleep', '30']);
    const job = await c.batch.send(
      new SubmitJobCommand({ jobName: 'victim', jobQueue: s.queueArn, jobDefinition: s.jobDefinition }),
    );
    const jobId = job.jobId ?? '';
    await waitFor('the job to run', async () => ((await jobStatus(c, jobId)).status === 'RUNNING' ? true : undefined));

    await c.batch.send(new UpdateJobQueueCommand({ jobQueue: s.queueArn, state: 'DISABLED' }));
    await c.batch.send(new DeleteJobQueueCommand({ jobQueue: s.queueArn }));

    const ended = await waitFor('the job to be ended', async () => {
      const st = await jobStatus(c, jobId);
      return st.status === 'RUNNING' ? undefined : st;
    });
    expect(ended).toMatchObject({ status: 'FAILED', statusReason: expect.stringMatching(/deleted/) });
    expect(await emu.violations()).toEqual([]);
  });

  it('a deleted queue is DELETING, then DELETED, holding its name and its CE until it is gone', async () => {
    const s = await seedBatch(c, 'fleeting');
    await emu.setTransitionSeconds(0.5, 1.5);
    const describeQueue = async () =>
      (await c.batch.send(new DescribeJobQueuesCommand({ jobQueues: [s.queueArn] }))).jobQueues?.[0];
    await c.batch.send(new UpdateJobQueueCommand({ jobQueue: s.queueArn, state: 'DISABLED' }));
    await c.batch.send(new DeleteJobQueueCommand({ jobQueue: s.queueArn }));
    expect(await describeQueue()).toMatchObject({ status: 'DELETING' });

    await expect(
      c.batch.send(
        new CreateJobQueueCommand({
          jobQueueName: 'jq-fleeting',
          state: 'ENABLED',
          priority: 1,
          computeEnvironmentOrder: [{ order: 1, computeEnvironment: 'ce-fleeting' }],
        }),
      ),
    ).rejects.toThrow(/already exists/);
    await c.batch.send(new UpdateComputeEnvironmentCommand({ computeEnvironment: 'ce-fleeting', state: 'DISABLED' }));
    await expect(
      c.batch.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: 'ce-fleeting' })),
    ).rejects.toThrow(/found existing JobQueue relationship/);

    await waitFor('the queue to be DELETED', async () =>
      (await describeQueue())?.status === 'DELETED' ? true : undefined,
    );
    await waitFor('the queue to be gone', async () => ((await describeQueue()) ? undefined : true));
    await c.batch.send(new DeleteComputeEnvironmentCommand({ computeEnvironment: 'ce-fleeting' }));
    // AWS's own answers, not strict-mode violations.
    expect(await emu.violations()).toEqual([]);
  });
});

describe('emulator lifecycle', () => {
  it('stop() ends the server process: its PID no longer exists', async () => {
    const emu = await startEmulator({ strict: false });
    const { pid } = emu;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await emu.stop();
    await emu.stop(); // idempotent
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
