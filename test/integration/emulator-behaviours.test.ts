/**
 * Documented AWS behaviours that moto 5.2.1 lacks and the emulator's fixes add (test/emulator/fixes: sfn_express,
 * batch_update_rules, sfn_validate, sfn_revisions, iam_policies, batch_races). Each test shows a request answered
 * the way AWS answers it; the fix modules cite the AWS source of each behaviour.
 */
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  UpdateComputeEnvironmentCommand,
} from '@aws-sdk/client-batch';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  DescribeStateMachineCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  SFNClient,
  StartExecutionCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
} from '@aws-sdk/client-sfn';

import { createIamApi } from '../../src/aws/iam';
import { type Emulator, startEmulator } from '../emulator';
import { waitFor } from '../support/wait';

jest.setTimeout(90_000);

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

interface Clients {
  batch: BatchClient;
  sfn: SFNClient;
  ec2: EC2Client;
  iam: IAMClient;
}

function clientsFor(endpoint: string): Clients {
  const config = {
    endpoint,
    region: REGION,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1, // a 5xx must reach the test, not be retried away
  };
  return {
    batch: new BatchClient(config),
    sfn: new SFNClient(config),
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
  };
}

/** The error a call fails with (the test fails if it succeeds). */
async function failureOf(call: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

interface Seeded {
  ceName: string;
  queueName: string;
  queueArn: string;
  jobDefinitionName: string;
  jobDefinitionArn: string;
}

/** An UNMANAGED CE (no EC2 needed), an ENABLED queue on it and a job definition. */
async function seedBatch(c: Clients, suffix: string, command = ['echo', 'hi']): Promise<Seeded> {
  const role = await c.iam.send(
    new CreateRoleCommand({ RoleName: `batch-service-${suffix}`, AssumeRolePolicyDocument: '{}' }),
  );
  const ceName = `ce-${suffix}`;
  await c.batch.send(
    new CreateComputeEnvironmentCommand({
      computeEnvironmentName: ceName,
      type: 'UNMANAGED',
      serviceRole: role.Role?.Arn,
      unmanagedvCpus: 4,
    }),
  );
  const queueName = `jq-${suffix}`;
  const queue = await c.batch.send(
    new CreateJobQueueCommand({
      jobQueueName: queueName,
      state: 'ENABLED',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: ceName }],
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
    ceName,
    queueName,
    queueArn: queue.jobQueueArn ?? '',
    jobDefinitionName: jd.jobDefinitionName ?? '',
    jobDefinitionArn: jd.jobDefinitionArn ?? '',
  };
}

function submitDefinition(jobQueue: string, jobDefinition: string, sync = false): string {
  return JSON.stringify({
    StartAt: 'Run',
    States: {
      Run: {
        Type: 'Task',
        Resource: `arn:aws:states:::batch:submitJob${sync ? '.sync' : ''}`,
        Parameters: { JobName: 'work', JobQueue: jobQueue, JobDefinition: jobDefinition },
        End: true,
      },
    },
  });
}

const policy = (...statements: unknown[]): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: statements.length === 1 ? statements[0] : statements });

async function roleWithPolicy(c: Clients, name: string, document?: string): Promise<string> {
  const role = await c.iam.send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: policy({
        Effect: 'Allow',
        Principal: { Service: 'states.amazonaws.com' },
        Action: 'sts:AssumeRole',
      }),
    }),
  );
  if (document) {
    await c.iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: 'batch', PolicyDocument: document }));
  }
  return role.Role?.Arn ?? '';
}

async function finished(c: Clients, executionArn: string): Promise<DescribeExecutionOutput> {
  return waitFor(
    async () => {
      const out = await c.sfn.send(new DescribeExecutionCommand({ executionArn }));
      return out.status === 'RUNNING' ? undefined : out;
    },
    { what: `execution ${executionArn} to finish`, timeoutMs: 30_000 },
  );
}

async function runOnce(
  c: Clients,
  name: string,
  roleArn: string,
  definition: string,
): Promise<DescribeExecutionOutput> {
  const sm = await c.sfn.send(new CreateStateMachineCommand({ name, roleArn, definition }));
  const started = await c.sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn }));
  return finished(c, started.executionArn ?? '');
}

describe('emulator behaviours AWS documents and moto lacks', () => {
  let emu: Emulator;
  let c: Clients;

  beforeAll(async () => {
    emu = await startEmulator();
    c = clientsFor(emu.endpoint);
  });
  afterAll(async () => {
    await emu?.stop();
  });
  beforeEach(async () => {
    await emu.reset();
  });

  describe('EXPRESS state machines', () => {
    it('refuses ListExecutions (StateMachineTypeNotSupported) and DescribeExecution, but still runs them', async () => {
      const seeded = await seedBatch(c, 'express');
      const roleArn = await roleWithPolicy(
        c,
        'express-role',
        policy({ Effect: 'Allow', Action: 'batch:SubmitJob', Resource: '*' }),
      );
      const sm = await c.sfn.send(
        new CreateStateMachineCommand({
          name: 'express-flow',
          type: 'EXPRESS',
          roleArn,
          definition: submitDefinition(seeded.queueName, seeded.jobDefinitionName),
          publish: true,
        }),
      );
      const described = await c.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: sm.stateMachineArn }));
      expect(described.type).toBe('EXPRESS');
      // ListStateMachines names each one's type (required in StateMachineListItem), as callers rely on.
      const listed = (await c.sfn.send(new ListStateMachinesCommand({}))).stateMachines ?? [];
      expect(listed.find((m) => m.stateMachineArn === sm.stateMachineArn)?.type).toBe('EXPRESS');

      for (const arn of [sm.stateMachineArn, sm.stateMachineVersionArn]) {
        expect(await failureOf(c.sfn.send(new ListExecutionsCommand({ stateMachineArn: arn })))).toEqual({
          name: 'StateMachineTypeNotSupported',
          message: 'This API action is not supported by EXPRESS state machines.',
          status: 400,
        });
      }

      const started = await c.sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn }));
      // It ran: its Task submitted the job.
      await waitFor(
        async () => {
          const listed = await c.batch.send(
            new ListJobsCommand({ jobQueue: seeded.queueName, filters: [{ name: 'JOB_NAME', values: ['work'] }] }),
          );
          return (listed.jobSummaryList ?? []).length === 1;
        },
        { what: 'the Express execution to submit its job' },
      );
      const describe = await failureOf(
        c.sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn })),
      );
      expect(describe).toMatchObject({ name: 'InvalidArn', status: 400 });
      expect(describe.message).toContain('Resource type not valid in this context: express');
    });

    it('STANDARD stays the default, and its executions are listed', async () => {
      const sm = await c.sfn.send(
        new CreateStateMachineCommand({
          name: 'standard-flow',
          roleArn: `arn:aws:iam::${ACCOUNT}:role/not-in-iam`,
          definition: JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }),
        }),
      );
      expect((await c.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: sm.stateMachineArn }))).type).toBe(
        'STANDARD',
      );
      const started = await c.sfn.send(new StartExecutionCommand({ stateMachineArn: sm.stateMachineArn }));
      await finished(c, started.executionArn ?? '');
      const listed = await c.sfn.send(new ListExecutionsCommand({ stateMachineArn: sm.stateMachineArn }));
      expect(listed.executions?.map((e) => e.executionArn)).toEqual([started.executionArn]);
    });

    it('refuses a .sync Task in an EXPRESS definition, at create and in validation', async () => {
      const definition = submitDefinition('q', 'jd', true);
      const create = await failureOf(
        c.sfn.send(
          new CreateStateMachineCommand({
            name: 'express-sync',
            type: 'EXPRESS',
            roleArn: `arn:aws:iam::${ACCOUNT}:role/not-in-iam`,
            definition,
          }),
        ),
      );
      expect(create).toMatchObject({ name: 'InvalidDefinition', status: 400 });
      expect(create.message).toContain("'.sync'");

      const express = await c.sfn.send(new ValidateStateMachineDefinitionCommand({ definition, type: 'EXPRESS' }));
      expect(express.result).toBe('FAIL');
      expect(express.diagnostics).toEqual([
        expect.objectContaining({
          severity: 'ERROR',
          code: 'SCHEMA_VALIDATION_FAILED',
          location: '/States/Run/Resource',
        }),
      ]);
      expect(express.truncated).toBe(false);
      const standard = await c.sfn.send(new ValidateStateMachineDefinitionCommand({ definition, type: 'STANDARD' }));
      expect(standard).toMatchObject({ result: 'OK', diagnostics: [] });
    });
  });

  it('ListStateMachineVersions pages newest first with maxResults and nextToken', async () => {
    const pass = (v: number): string =>
      JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { v }, End: true } } });
    const sm = await c.sfn.send(
      new CreateStateMachineCommand({
        name: 'versioned',
        roleArn: `arn:aws:iam::${ACCOUNT}:role/not-in-iam`,
        definition: pass(1),
      }),
    );
    const published: string[] = [];
    for (const v of [1, 2, 3]) {
      if (v > 1)
        await c.sfn.send(new UpdateStateMachineCommand({ stateMachineArn: sm.stateMachineArn, definition: pass(v) }));
      const out = await c.sfn.send(new PublishStateMachineVersionCommand({ stateMachineArn: sm.stateMachineArn }));
      published.push(out.stateMachineVersionArn ?? '');
    }
    const first = await c.sfn.send(
      new ListStateMachineVersionsCommand({ stateMachineArn: sm.stateMachineArn, maxResults: 2 }),
    );
    expect(first.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([published[2], published[1]]);
    expect(first.nextToken).toBeDefined();
    const second = await c.sfn.send(
      new ListStateMachineVersionsCommand({
        stateMachineArn: sm.stateMachineArn,
        maxResults: 2,
        nextToken: first.nextToken,
      }),
    );
    expect(second.stateMachineVersions?.map((v) => v.stateMachineVersionArn)).toEqual([published[0]]);
    expect(second.nextToken).toBeUndefined();
  });

  describe('compute environments', () => {
    it('UpdateComputeEnvironment with updatePolicy alone is a ClientException; with state it is accepted', async () => {
      const seeded = await seedBatch(c, 'update');
      expect(
        await failureOf(
          c.batch.send(
            new UpdateComputeEnvironmentCommand({
              computeEnvironment: seeded.ceName,
              updatePolicy: { terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: 30 },
            }),
          ),
        ),
      ).toEqual({
        name: 'ClientException',
        message: 'One of [state | compute-resources | service-role | unmanaged-vcpus] is required.',
        status: 400,
      });
      const accepted = await c.batch.send(
        new UpdateComputeEnvironmentCommand({
          computeEnvironment: seeded.ceName,
          state: 'ENABLED',
          updatePolicy: { terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: 30 },
        }),
      );
      expect(accepted.computeEnvironmentName).toBe(seeded.ceName);
    });

    it('an UNMANAGED compute environment launches no instances and echoes unmanagedvCpus', async () => {
      const before = (await c.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? [];
      const seeded = await seedBatch(c, 'unmanaged');
      const after = (await c.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? [];
      expect(after.length).toBe(before.length);

      const describe = async () =>
        (await c.batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: [seeded.ceName] })))
          .computeEnvironments?.[0];
      const ce = await describe();
      expect(ce).toMatchObject({ type: 'UNMANAGED', unmanagedvCpus: 4 });
      expect(ce?.computeResources).toBeUndefined();

      await c.batch.send(new UpdateComputeEnvironmentCommand({ computeEnvironment: seeded.ceName, unmanagedvCpus: 8 }));
      expect((await describe())?.unmanagedvCpus).toBe(8);
    });
  });

  describe('IAM: an execution role must allow batch:SubmitJob on the queue and the job definition', () => {
    it('a role with no policy fails the Task with Batch.AccessDeniedException, naming the resource', async () => {
      const seeded = await seedBatch(c, 'nopolicy');
      const roleArn = await roleWithPolicy(c, 'bare-role');
      const out = await runOnce(c, 'bare', roleArn, submitDefinition(seeded.queueName, seeded.jobDefinitionName));
      expect(out.status).toBe('FAILED');
      expect(out.error).toBe('Batch.AccessDeniedException');
      expect(out.cause).toMatch(
        new RegExp(
          `User: arn:aws:sts::${ACCOUNT}:assumed-role/bare-role/\\S+ is not authorized to perform: batch:SubmitJob ` +
            `on resource: ${seeded.queueArn} because no identity-based policy allows the batch:SubmitJob action`,
        ),
      );
      const jobs = await c.batch.send(
        new ListJobsCommand({ jobQueue: seeded.queueName, filters: [{ name: 'JOB_NAME', values: ['*'] }] }),
      );
      expect(jobs.jobSummaryList).toEqual([]);
    });

    it('the aws-sdk:batch:submitJob integration is held to the same policy', async () => {
      const seeded = await seedBatch(c, 'sdk');
      const roleArn = await roleWithPolicy(c, 'sdk-role');
      const definition = JSON.stringify({
        StartAt: 'Run',
        States: {
          Run: {
            Type: 'Task',
            Resource: 'arn:aws:states:::aws-sdk:batch:submitJob',
            Parameters: { JobName: 'work', JobQueue: seeded.queueName, JobDefinition: seeded.jobDefinitionName },
            End: true,
          },
        },
      });
      const out = await runOnce(c, 'sdk', roleArn, definition);
      // The error name is the interpreter's aws-sdk naming (LocalStack parity); the cause is AWS's message.
      expect(out.status).toBe('FAILED');
      expect(out.error).toMatch(/^Batch\./);
      expect(out.cause).toContain(`is not authorized to perform: batch:SubmitJob on resource: ${seeded.queueArn}`);
    });

    it('a role scoped to one queue by ARN wildcard may submit there and not to another queue', async () => {
      const a = await seedBatch(c, 'a');
      const b = await seedBatch(c, 'b');
      const roleArn = await roleWithPolicy(
        c,
        'scoped-role',
        policy({
          Effect: 'Allow',
          Action: ['batch:Submit*'],
          Resource: [`arn:aws:batch:*:*:job-queue/jq-a*`, `arn:aws:batch:${REGION}:${ACCOUNT}:job-definition/work-?:*`],
        }),
      );
      const onA = await runOnce(c, 'on-a', roleArn, submitDefinition(a.queueArn, a.jobDefinitionName, true));
      expect(onA.status).toBe('SUCCEEDED');
      const onB = await runOnce(c, 'on-b', roleArn, submitDefinition(b.queueName, b.jobDefinitionName, true));
      expect(onB).toMatchObject({ status: 'FAILED', error: 'Batch.AccessDeniedException' });
      expect(onB.cause).toContain(`on resource: ${b.queueArn} because`);
    });

    it('a bare job definition name is checked as its latest ACTIVE revision ARN', async () => {
      const seeded = await seedBatch(c, 'rev');
      await c.batch.send(
        new RegisterJobDefinitionCommand({
          jobDefinitionName: seeded.jobDefinitionName,
          type: 'container',
          containerProperties: { image: 'busybox', vcpus: 1, memory: 128, command: ['echo', 'two'] },
        }),
      );
      const roleArn = await roleWithPolicy(
        c,
        'rev1-role',
        policy({ Effect: 'Allow', Action: 'batch:SubmitJob', Resource: [seeded.queueArn, seeded.jobDefinitionArn] }),
      );
      const out = await runOnce(c, 'rev', roleArn, submitDefinition(seeded.queueName, seeded.jobDefinitionName));
      expect(out).toMatchObject({ status: 'FAILED', error: 'Batch.AccessDeniedException' });
      expect(out.cause).toContain(`on resource: ${seeded.jobDefinitionArn.replace(/:1$/, ':2')} because`);
    });

    it('an explicit Deny wins over an Allow; NotAction and an attached managed policy are evaluated', async () => {
      const seeded = await seedBatch(c, 'deny');
      const roleArn = await roleWithPolicy(
        c,
        'deny-role',
        policy(
          { Effect: 'Allow', Action: '*', Resource: '*' },
          {
            Effect: 'Deny',
            NotAction: ['batch:describe*'],
            Resource: `arn:aws:batch:*:*:job-queue/${seeded.queueName}`,
          },
        ),
      );
      const out = await runOnce(c, 'denied', roleArn, submitDefinition(seeded.queueName, seeded.jobDefinitionName));
      expect(out).toMatchObject({ status: 'FAILED', error: 'Batch.AccessDeniedException' });
      expect(out.cause).toContain('with an explicit deny in an identity-based policy');

      const managed = await c.iam.send(
        new CreatePolicyCommand({
          PolicyName: 'submit-anywhere',
          PolicyDocument: policy({ Effect: 'Allow', Action: 'BATCH:SUBMITJOB', Resource: '*' }),
        }),
      );
      const managedRole = await roleWithPolicy(c, 'managed-role');
      await c.iam.send(new AttachRolePolicyCommand({ RoleName: 'managed-role', PolicyArn: managed.Policy?.Arn }));
      const allowed = await runOnce(
        c,
        'managed',
        managedRole,
        submitDefinition(seeded.queueName, seeded.jobDefinitionName),
      );
      expect(allowed.status).toBe('SUCCEEDED');
    });

    it('a role ARN that IAM does not know is not evaluated (AWS would refuse it at CreateStateMachine)', async () => {
      const seeded = await seedBatch(c, 'unknown');
      const out = await runOnce(
        c,
        'unknown',
        `arn:aws:iam::${ACCOUNT}:role/not-in-iam`,
        submitDefinition(seeded.queueName, seeded.jobDefinitionName),
      );
      expect(out.status).toBe('SUCCEEDED');
    });

    it('SimulatePrincipalPolicy answers per action and resource, pages, and serves src/aws/iam.ts', async () => {
      const a = await seedBatch(c, 'sima');
      const b = await seedBatch(c, 'simb');
      const roleArn = await roleWithPolicy(
        c,
        'sim-role',
        policy(
          {
            Effect: 'Allow',
            Action: 'batch:*',
            Resource: ['arn:aws:batch:*:*:job-queue/jq-sim*', 'arn:aws:batch:*:*:job-definition/*'],
          },
          {
            Effect: 'Deny',
            Action: 'batch:SubmitJob',
            NotResource: ['arn:aws:batch:*:*:job-queue/jq-sima', 'arn:aws:batch:*:*:job-definition/*'],
          },
        ),
      );
      const page = await c.iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: roleArn,
          ActionNames: ['batch:SubmitJob', 'ec2:RunInstances'],
          ResourceArns: [a.queueArn, b.queueArn],
          MaxItems: 3,
        }),
      );
      expect(page.IsTruncated).toBe(true);
      expect(page.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalResourceName, r.EvalDecision])).toEqual([
        ['batch:SubmitJob', a.queueArn, 'allowed'],
        ['batch:SubmitJob', b.queueArn, 'explicitDeny'],
        ['ec2:RunInstances', a.queueArn, 'implicitDeny'],
      ]);
      expect(page.EvaluationResults?.[0]?.MatchedStatements).toEqual([
        expect.objectContaining({ SourcePolicyId: 'batch', SourcePolicyType: 'role' }),
      ]);
      const rest = await c.iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: roleArn,
          ActionNames: ['batch:SubmitJob', 'ec2:RunInstances'],
          ResourceArns: [a.queueArn, b.queueArn],
          MaxItems: 3,
          Marker: page.Marker,
        }),
      );
      expect(rest.IsTruncated).toBe(false);
      expect(rest.EvaluationResults?.map((r) => r.EvalDecision)).toEqual(['implicitDeny']);

      const viaProduct = await createIamApi(c.iam).simulatePrincipalPolicy({
        principalArn: roleArn,
        actions: ['batch:SubmitJob'],
        resources: [a.queueArn, a.jobDefinitionArn, b.queueArn],
      });
      expect(viaProduct.map((d) => d.decision)).toEqual(['allowed', 'allowed', 'explicitDeny']);

      const missing = await failureOf(
        c.iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: `arn:aws:iam::${ACCOUNT}:role/no-such-role`,
            ActionNames: ['batch:SubmitJob'],
          }),
        ),
      );
      expect(missing).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    });
  });

  it('DescribeJobs and ListJobs never answer 5xx while jobs are submitted concurrently', async () => {
    // Sleeping array children keep moto's job table growing while readers iterate it: before the fix some
    // DescribeJobs calls failed with HTTP 500 "dictionary changed size during iteration".
    const seeded = await seedBatch(c, 'race', ['sleep', '0.5']);
    const submitters = 3;
    const arraysEach = 4;
    const failures: string[] = [];
    let reads = 0;
    let submitted = 0;
    let lastJobId = 'none';
    const clients = Array.from({ length: 8 }, () => clientsFor(emu.endpoint).batch);
    const submitting = clients.slice(0, submitters).map(async (batch) => {
      for (let i = 0; i < arraysEach; i += 1) {
        const out = await batch.send(
          new SubmitJobCommand({
            jobName: 'burst',
            jobQueue: seeded.queueName,
            jobDefinition: seeded.jobDefinitionName,
            arrayProperties: { size: 200 },
          }),
        );
        lastJobId = out.jobId ?? lastJobId;
        submitted += 1;
      }
    });
    let submittersDone = false;
    const reading = clients.slice(submitters).map(async (batch, index) => {
      while (!submittersDone) {
        try {
          if (index % 2 === 0) await batch.send(new DescribeJobsCommand({ jobs: [lastJobId] }));
          else await batch.send(new ListJobsCommand({ jobQueue: seeded.queueName, jobStatus: 'RUNNING' }));
          reads += 1;
        } catch (error) {
          const e = error as { name: string; $metadata?: { httpStatusCode?: number } };
          failures.push(`${e.$metadata?.httpStatusCode ?? '?'} ${e.name}`);
        }
      }
    });
    await Promise.all(submitting).finally(() => {
      submittersDone = true;
    });
    await Promise.all(reading);
    expect(submitted).toBe(submitters * arraysEach);
    expect(reads).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  });
});
