/**
 * The drain against the emulator (strict mode on), where AWS and moto part ways or where timing matters:
 * - an Express state machine (shown as AWS shows it by test/support/express-proxy.ts, since moto makes every machine
 *   STANDARD): its executions are never listed, and A is disabled only once the Express window has passed since
 *   its cutover; `status` and `drain` work beside it;
 * - a job definition the spec leaves unchanged is shared by A and B: an execution on B naming it does not hold A;
 * - a state machine that starts naming A while the drain waits for executions stops the swap before A is disabled.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  BatchClient,
  DescribeJobQueuesCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  UpdateJobQueueCommand,
} from '@aws-sdk/client-batch';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineForExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  UpdateStateMachineAliasCommand,
} from '@aws-sdk/client-sfn';

import { createAws, type Aws } from '../../src/aws/clients';
import type { PlanFile } from '../../src/core/plan';
import { BatchctlError } from '../../src/errors';
import { ExitCode } from '../../src/exit-codes';
import { drainCommand } from '../../src/services/drain-queue';
import { plan } from '../../src/services/plan';
import { promote, type PromoteTimings } from '../../src/services/promote';
import { rollback } from '../../src/services/rollback';
import { status } from '../../src/services/status';
import { silentReporter, type SwapReporter } from '../../src/services/swap-steps';
import { startEmulator, type Emulator } from '../emulator';
import { cliEnv, REPO, runCli } from '../support/cli';
import {
  batchStateMachineDefinition,
  clientConfig,
  type DemoWorkload,
  seedDemoWorkload,
} from '../support/demo-workload';
import { startExpressProxy, type ExpressProxy } from '../support/express-proxy';
import { makeAdhocRunnable } from '../support/runnable-adhoc';
import { waitFor } from '../support/wait';

jest.setTimeout(120_000);

const SPEC = join(REPO, 'plans', 'reproject.yaml');
const EXPRESS_WINDOW_MS = 3000;
const TIMINGS: PromoteTimings = {
  graceMs: 1000,
  drainTimeoutMs: 20_000,
  pollIntervalMs: 500,
  resourceTimeoutMs: 30_000,
  expressWindowMs: EXPRESS_WINDOW_MS,
};

let emulator: Emulator;
let workload: DemoWorkload;
let batch: BatchClient;
let sfn: SFNClient;
let dir: string;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await emulator.reset();
  workload = await seedDemoWorkload({ endpoint: emulator.endpoint });
  batch = new BatchClient(clientConfig(emulator.endpoint));
  sfn = new SFNClient(clientConfig(emulator.endpoint));
  dir = mkdtempSync(join(tmpdir(), 'batchctl-drain-express-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  batch.destroy();
  sfn.destroy();
});

function awsAt(endpoint: string): Aws {
  const aws = createAws({ endpoint, region: 'us-east-1' });
  cleanups.push(() => aws.destroy());
  return aws;
}

async function proxyMaking(express: string[]): Promise<ExpressProxy> {
  const proxy = await startExpressProxy(emulator.endpoint, new Set(express));
  cleanups.push(() => proxy.close());
  return proxy;
}

async function queueState(name: string): Promise<string | undefined> {
  const found = (await batch.send(new DescribeJobQueuesCommand({ jobQueues: [name] }))).jobQueues ?? [];
  return found.find((q) => q.status !== 'DELETED')?.state;
}

async function planFile(aws: Aws): Promise<{ path: string; plan: PlanFile }> {
  const result = await plan({ aws, specPath: SPEC, outPath: join(dir, 'reproject.plan.json'), toolVersion: 'test' });
  expect(result.plan.blockers).toEqual([]);
  return { path: result.planPath, plan: result.plan };
}

/** An Express workflow submits without waiting: Express supports only the request-response pattern for Batch. */
function expressDefinition(queue: string, jobDefinition: string): string {
  return JSON.stringify({
    StartAt: 'Submit',
    States: {
      Submit: {
        Type: 'Task',
        Resource: 'arn:aws:states:::batch:submitJob',
        Parameters: { JobName: 'reproject-express', JobQueue: queue, JobDefinition: jobDefinition },
        End: true,
      },
    },
  });
}

async function createStateMachine(name: string, definition: string): Promise<string> {
  const out = await sfn.send(new CreateStateMachineCommand({ name, roleArn: workload.roleArns.states, definition }));
  return out.stateMachineArn ?? '';
}

async function startExecution(stateMachineArn: string): Promise<string> {
  const out = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"items":[]}' }));
  return out.executionArn ?? '';
}

async function executionStatus(executionArn: string): Promise<string | undefined> {
  return (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
}

async function runningJobs(queue: string): Promise<number> {
  const out = await batch.send(new ListJobsCommand({ jobQueue: queue, jobStatus: 'RUNNING' }));
  return out.jobSummaryList?.length ?? 0;
}

/** The swap's error, for asserting on its code and exit code. */
async function failureOf(work: Promise<unknown>): Promise<BatchctlError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BatchctlError)) throw new Error(`expected a BatchctlError, got ${String(error)}`);
  return error;
}

describe('an Express state machine naming A', () => {
  let expressArn: string;
  let proxy: ExpressProxy;
  beforeEach(async () => {
    expressArn = await createStateMachine('reproject-express', expressDefinition(workload.queueArn, 'reproject'));
    proxy = await proxyMaking([expressArn]);
  });

  it('promote never lists its executions and disables A only once the Express window has passed since its cutover', async () => {
    const aws = awsAt(proxy.endpoint);
    const { path, plan: written } = await planFile(aws);
    expect(written.references.map((r) => [r.name, r.type])).toEqual(
      expect.arrayContaining([
        ['reproject-express', 'EXPRESS'],
        ['reproject-adhoc', 'STANDARD'],
      ]),
    );

    const result = await promote({ aws, planPath: path, retire: false, timings: TIMINGS });

    expect(result.status).toBe('drained');
    expect(result.repointed.map((r) => r.stateMachine)).toContain('reproject-express');
    // Standard state machines were listed (so the recording sees ListExecutions at all); the Express one never.
    expect(aws.stats.byOperation()['SFN.ListExecutions']).toBeGreaterThan(0);
    expect(proxy.callsOf('sfn:ListExecutions').length).toBeGreaterThan(0);
    expect(proxy.callsOf('sfn:ListExecutions', 'stateMachineArn', expressArn)).toEqual([]);
    expect(proxy.calls.filter((c) => c.status === 400 && c.call.startsWith('sfn:'))).toEqual([]);

    const [cutover] = proxy.callsOf('sfn:UpdateStateMachine', 'stateMachineArn', expressArn);
    const [disable] = proxy
      .callsOf('batch:updatejobqueue', 'jobQueue', workload.queueArn)
      .filter((c) => c.input?.state === 'DISABLED');
    expect(cutover?.answeredAt).toBeDefined();
    expect(disable).toBeDefined();
    // Executions started in the grace period may run the old definition (aws-facts §5.2), for up to the window.
    expect((disable?.receivedAt ?? 0) - (cutover?.answeredAt ?? 0)).toBeGreaterThanOrEqual(
      TIMINGS.graceMs + EXPRESS_WINDOW_MS,
    );
    expect(await queueState('reproject-a')).toBe('DISABLED');
    expect(await emulator.violations()).toEqual([]);
  });

  it('status and drain work beside it, never list its executions, and say they are not listed', async () => {
    const aws = awsAt(proxy.endpoint);
    await makeAdhocRunnable(emulator.endpoint, workload.stateMachines.byName, ['sleep', '15']);
    await startExecution(workload.stateMachines.byName);
    await waitFor(async () => (await runningJobs('reproject-a')) === 1, { what: "reproject-adhoc's job to run" });

    const seen = await status(aws, { specPath: SPEC, noTerminal: true });
    expect(seen.queues.map((q) => [q.name, q.executions, q.express])).toEqual([
      ['reproject-a', 1, ['reproject-express']],
    ]);
    const report = await drainCommand({
      aws,
      queue: 'reproject-a',
      wait: false,
      timeoutMs: 10_000,
      pollIntervalMs: 500,
    });
    expect(report).toMatchObject({ drained: false, express: ['reproject-express'] });
    expect(report.inFlight.executions).toHaveLength(1);

    const human = await runCli(['status', SPEC], cliEnv(proxy.endpoint));
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('    executions of Express state machines are not listed (reproject-express)\n');
    const drainHuman = await runCli(['drain', 'reproject-a'], cliEnv(proxy.endpoint));
    expect(drainHuman.stdout).toContain(
      'executions of Express state machines are not listed; reproject-express names this queue\n',
    );
    expect(proxy.callsOf('sfn:ListExecutions').length).toBeGreaterThan(0);
    expect(proxy.callsOf('sfn:ListExecutions', 'stateMachineArn', expressArn)).toEqual([]);
  });

  it('drain --wait disables the queue only once the Express window has passed since it started', async () => {
    const aws = awsAt(proxy.endpoint);
    const started = Date.now();

    const result = await drainCommand({
      aws,
      queue: 'reproject-a',
      wait: true,
      // reproject-express names the queue: the guard would refuse (drain.test.ts tests it).
      force: true,
      expressWindowMs: EXPRESS_WINDOW_MS,
      timeoutMs: 30_000,
      pollIntervalMs: 500,
    });

    expect(result).toMatchObject({ drained: true, express: ['reproject-express'] });
    const [disable] = proxy.callsOf('batch:updatejobqueue').filter((c) => c.input?.state === 'DISABLED');
    expect((disable?.receivedAt ?? 0) - started).toBeGreaterThanOrEqual(EXPRESS_WINDOW_MS);
    expect(proxy.callsOf('sfn:ListExecutions', 'stateMachineArn', expressArn)).toEqual([]);
  });

  it('drain --wait does not wait the Express window for a queue already DISABLED (nothing left to protect)', async () => {
    const aws = awsAt(proxy.endpoint);
    await batch.send(new UpdateJobQueueCommand({ jobQueue: 'reproject-a', state: 'DISABLED' }));
    await waitFor(async () => (await queueState('reproject-a')) === 'DISABLED', { what: 'reproject-a to be DISABLED' });

    // A window longer than the deadline: waiting it out would end in NotDrained.
    const result = await drainCommand({
      aws,
      queue: 'reproject-a',
      wait: true,
      // reproject-express names the queue: the guard would refuse (drain.test.ts tests it).
      force: true,
      expressWindowMs: 60_000,
      timeoutMs: 20_000,
      pollIntervalMs: 500,
    });

    expect(result).toMatchObject({ drained: true, express: ['reproject-express'] });
  });
});

describe('a job definition the spec leaves unchanged (shared by A and B)', () => {
  it('an execution running on B that names it does not hold the drain of A', async () => {
    const tiles = await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'reproject-tiles',
        type: 'container',
        containerProperties: {
          image: 'busybox',
          command: ['sleep', '1'],
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '512' },
          ],
        },
      }),
    );
    const tilesWorkflow = await createStateMachine(
      'reproject-tiles',
      JSON.stringify({
        StartAt: 'Tiles',
        States: {
          Tiles: {
            Type: 'Task',
            Resource: 'arn:aws:states:::batch:submitJob.sync',
            Parameters: {
              JobName: 'tiles',
              JobQueue: 'reproject-a',
              JobDefinition: tiles.jobDefinitionName,
              ContainerOverrides: { Command: ['sleep', '60'] },
            },
            End: true,
          },
        },
      }),
    );
    const aws = awsAt(emulator.endpoint);
    const { path, plan: written } = await planFile(aws);
    expect(written.target.jobDefinitions.map((jd) => [jd.name, jd.changed])).toEqual(
      expect.arrayContaining([['reproject-tiles', false]]),
    );

    // Started on B's definition once the cutover is done (the drain step begins), still running when A is drained.
    let onB: Promise<string> | undefined;
    const reporter: SwapReporter = {
      ...silentReporter,
      step(id, stepStatus) {
        if (id === 'drain:reproject-a' && stepStatus === 'running') onB ??= startExecution(tilesWorkflow);
      },
    };
    const result = await promote({ aws, planPath: path, retire: false, timings: TIMINGS, reporter });

    expect(result.status).toBe('drained');
    const executionArn = await (onB ?? Promise.reject(new Error('the drain step never started')));
    const { definition } = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
    expect(definition).toContain('reproject-b');
    expect(definition).not.toContain('reproject-a');
    expect(await executionStatus(executionArn)).toBe('RUNNING');
    expect(await queueState('reproject-a')).toBe('DISABLED');
  });
});

describe('a state machine that starts naming the drained queue while the drain waits for executions', () => {
  const NIGHTLY = 'reproject-nightly';

  it('promote stops with UnplannedReference (exit 4) and A stays ENABLED', async () => {
    const aws = awsAt(emulator.endpoint);
    await makeAdhocRunnable(emulator.endpoint, workload.stateMachines.byName, ['sleep', '8']);
    const { path } = await planFile(aws);
    const onA = await startExecution(workload.stateMachines.byName);
    await waitFor(async () => (await runningJobs('reproject-a')) === 1, { what: "reproject-adhoc's job to run on A" });

    let created: Promise<string> | undefined;
    const reporter: SwapReporter = {
      ...silentReporter,
      drain(p) {
        if (p.phase === 'executions' && p.executions.includes(onA))
          created ??= createStateMachine(NIGHTLY, batchStateMachineDefinition('reproject-a', 'reproject'));
      },
    };
    const error = await failureOf(promote({ aws, planPath: path, retire: false, timings: TIMINGS, reporter }));

    expect(await created).toMatch(/:stateMachine:reproject-nightly$/);
    expect({ code: error.code, exitCode: error.exitCode }).toEqual({
      code: 'UnplannedReference',
      exitCode: ExitCode.Blocked,
    });
    expect(error.message).toContain(`state machine ${NIGHTLY} names job queue reproject-a`);
    // It waited for the execution first: the check is the last thing before intake stops.
    expect(await executionStatus(onA)).toBe('SUCCEEDED');
    expect(await queueState('reproject-a')).toBe('ENABLED');
  });

  it('promote stops the same way when an alias is moved back to a version that names A during the drain', async () => {
    const aws = awsAt(emulator.endpoint);
    await makeAdhocRunnable(emulator.endpoint, workload.stateMachines.byName, ['sleep', '8']);
    const { path } = await planFile(aws);
    const onA = await startExecution(workload.stateMachines.byName);
    await waitFor(async () => (await runningJobs('reproject-a')) === 1, { what: "reproject-adhoc's job to run on A" });

    // Someone puts the alias back on version 1 (which names A) by hand while promote waits for the execution.
    let movedBack: Promise<unknown> | undefined;
    const reporter: SwapReporter = {
      ...silentReporter,
      drain(p) {
        if (p.phase === 'executions' && p.executions.includes(onA))
          movedBack ??= sfn.send(
            new UpdateStateMachineAliasCommand({
              stateMachineAliasArn: workload.aliasArn,
              routingConfiguration: [{ stateMachineVersionArn: `${workload.stateMachines.byArn}:1`, weight: 100 }],
            }),
          );
      },
    };
    const error = await failureOf(promote({ aws, planPath: path, retire: false, timings: TIMINGS, reporter }));

    await movedBack;
    expect({ code: error.code, exitCode: error.exitCode }).toEqual({
      code: 'UnplannedReference',
      exitCode: ExitCode.Blocked,
    });
    expect(error.message).toContain(
      'reproject-workflow (alias live routes 100% to version 1) names job queue reproject-a',
    );
    expect(await queueState('reproject-a')).toBe('ENABLED');
  });

  it('rollback stops the same way and B stays ENABLED', async () => {
    const aws = awsAt(emulator.endpoint);
    await makeAdhocRunnable(emulator.endpoint, workload.stateMachines.byName, ['sleep', '8']);
    const { path } = await planFile(aws);
    await promote({ aws, planPath: path, retire: false, timings: TIMINGS });
    const onB = await startExecution(workload.stateMachines.byName);
    await waitFor(async () => (await runningJobs('reproject-b')) === 1, { what: "reproject-adhoc's job to run on B" });

    let created: Promise<string> | undefined;
    const reporter: SwapReporter = {
      ...silentReporter,
      drain(p) {
        if (p.phase === 'executions' && p.executions.includes(onB))
          created ??= createStateMachine(NIGHTLY, batchStateMachineDefinition('reproject-b', 'reproject'));
      },
    };
    const error = await failureOf(rollback({ aws, planPath: path, timings: TIMINGS, reporter }));

    expect(await created).toMatch(/:stateMachine:reproject-nightly$/);
    expect({ code: error.code, exitCode: error.exitCode }).toEqual({
      code: 'UnplannedReference',
      exitCode: ExitCode.Blocked,
    });
    expect(error.message).toContain(`state machine ${NIGHTLY} names job queue reproject-b`);
    expect(await executionStatus(onB)).toBe('SUCCEEDED');
    expect(await queueState('reproject-b')).toBe('ENABLED');
  });
});
