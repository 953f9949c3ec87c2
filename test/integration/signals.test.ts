/**
 * SIGTERM and SIGINT during a promote's drain (issue 8, item 4), against the emulator with the built CLI: the run
 * stops at a safe point within seconds, exits 10 (Interrupted), says what state the account is in and which command
 * continues, releases the workload lock; the command it prints then finishes the swap.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  BatchClient,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  type JobQueueDetail,
  SubmitJobCommand,
} from '@aws-sdk/client-batch';
import { DescribeStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';

import { createAws, type Aws } from '../../src/aws/clients';
import { LOCK_PARAMETER_PREFIX } from '../../src/core/lock-key';
import { ExitCode } from '../../src/exit-codes';
import { plan } from '../../src/services/plan';
import { startEmulator, type Emulator } from '../emulator';
import { BIN, cliEnv, REPO, runCli } from '../support/cli';
import { clientConfig, type DemoWorkload, seedDemoWorkload } from '../support/demo-workload';
import { waitFor } from '../support/wait';

jest.setTimeout(180_000);

const SPEC = join(REPO, 'plans', 'reproject.yaml');
/** Long enough that the drain is still waiting when the signal comes, short enough for the next run to finish. */
const JOB_SECONDS = 20;

let emulator: Emulator;
let aws: Aws;
let batch: BatchClient;
let ssm: SSMClient;
let sfn: SFNClient;
let workload: DemoWorkload;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await emulator.reset();
  workload = await seedDemoWorkload({ endpoint: emulator.endpoint, command: ['sleep', String(JOB_SECONDS)] });
  aws = createAws({ endpoint: emulator.endpoint, region: 'us-east-1' });
  batch = new BatchClient(clientConfig(emulator.endpoint));
  ssm = new SSMClient(clientConfig(emulator.endpoint));
  sfn = new SFNClient(clientConfig(emulator.endpoint));
});

afterEach(() => {
  for (const c of [aws, batch, ssm, sfn]) c.destroy();
});

async function queue(name: string): Promise<JobQueueDetail | undefined> {
  const found = (await batch.send(new DescribeJobQueuesCommand({ jobQueues: [name] }))).jobQueues ?? [];
  return found.find((q) => q.jobQueueName === name && q.status !== 'DELETED');
}

async function locks(): Promise<string[]> {
  const out = await ssm.send(new GetParametersByPathCommand({ Path: LOCK_PARAMETER_PREFIX, Recursive: true }));
  return (out.Parameters ?? []).map((p) => p.Name ?? '');
}

async function runningJobsOnA(count: number, jobQueue = 'reproject-a'): Promise<void> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const out = await batch.send(new SubmitJobCommand({ jobName: `long-${i}`, jobQueue, jobDefinition: 'reproject' }));
    ids.push(out.jobId ?? '');
  }
  await waitFor(
    async () =>
      ((await batch.send(new DescribeJobsCommand({ jobs: ids }))).jobs ?? []).every((j) => j.status === 'RUNNING'),
    { what: `the jobs on ${jobQueue} to be RUNNING` },
  );
}

/** The built CLI, spawned so the test can signal it while watching its progress on stderr. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on('close', (code) => resolve({ code, at: Date.now() })),
  );
  return { child, out, exited };
}

// Fast polls through the environment, so the printed command runs exactly as printed.
const ENV = {
  CI: 'true',
  BATCHCTL_POLL_INTERVAL: '0.5s',
  BATCHCTL_EXPRESS_WINDOW: '1s',
};

describe.each([
  {
    signal: 'SIGTERM' as const,
    grace: '1s',
    // Stopped while waiting for A's jobs: A is already disabled.
    reached: /waiting for jobs — .*RUNNING 2/,
    state:
      'B (reproject-b) is built and references point at B; A: reproject-a is disabled (it takes no new jobs) and still has jobs to wait for',
    aState: 'DISABLED',
  },
  {
    signal: 'SIGINT' as const,
    // Stopped in the grace period before the drain looks at anything: A is still enabled.
    grace: '60s',
    reached: /grace period for Step Functions consistency/,
    state: 'B (reproject-b) is built and references point at B; A: reproject-a is still enabled, not drained',
    aState: 'ENABLED',
  },
])('$signal during the drain of a promote', ({ signal, grace, reached, state, aState }) => {
  it('stops within seconds with exit 10, says the state and the next command, releases the lock; that command finishes the swap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchctl-signals-'));
    const planned = await plan({ aws, specPath: SPEC, outPath: join(dir, 'reproject.plan.json'), toolVersion: 'test' });
    expect(planned.plan.blockers).toEqual([]);
    await runningJobsOnA(2);
    const env = cliEnv(emulator.endpoint, { ...ENV, BATCHCTL_GRACE: grace });

    const run = spawnCli(['promote', planned.planPath, '--yes'], env);
    await waitFor(() => reached.test(run.out.stderr), { timeoutMs: 90_000, what: `the drain to reach ${reached}` });
    expect(await locks()).toHaveLength(1);
    const signalledAt = Date.now();
    run.child.kill(signal);
    const { code, at } = await run.exited;

    expect(code).toBe(ExitCode.Interrupted);
    expect(at - signalledAt).toBeLessThan(5_000);
    const last = run.out.stderr.trim().split('\n').pop() ?? '';
    expect(last).toBe(
      `Error: Stopped by ${signal} during step drain:reproject-a, at a safe point: ${state}. The workload lock was released. Run \`batchctl promote ${planned.planPath} --yes\` to continue the swap, or \`batchctl rollback ${planned.planPath} --yes\` to go back to reproject-a.`,
    );
    expect(run.out.stderr).toContain(`${signal} received: stopping at the next safe point`);
    expect(await locks()).toEqual([]);
    expect(await queue('reproject-a')).toMatchObject({ state: aState });
    expect(await queue('reproject-b')).toMatchObject({ state: 'ENABLED', status: 'VALID' });

    // The printed command, as printed.
    const printed = /`batchctl (promote [^`]+)`/.exec(last)?.[1]?.split(' ') ?? [];
    const finished = await runCli(printed, cliEnv(emulator.endpoint, ENV), { timeoutMs: 120_000 });
    expect(finished.code).toBe(0);
    expect(finished.stdout).toMatch(/^Promoted reproject to B \(reproject-b\): /);
    expect(await queue('reproject-a')).toBeUndefined();
    expect(await locks()).toEqual([]);
    expect(await emulator.violations()).toEqual([]);
  });
});

describe('--json', () => {
  it('the interruption is the error document on stdout (code Interrupted, exit 10)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchctl-signals-'));
    const planned = await plan({ aws, specPath: SPEC, outPath: join(dir, 'reproject.plan.json'), toolVersion: 'test' });
    const env = cliEnv(emulator.endpoint, { ...ENV, BATCHCTL_GRACE: '60s' });

    const run = spawnCli(['promote', planned.planPath, '--yes', '--json'], env);
    // Under --json there is no progress: a state machine naming B's queue is the observable point (the grace period follows).
    await waitFor(
      async () =>
        (
          await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: workload.stateMachines.byName }))
        ).definition?.includes('reproject-b'),
      { timeoutMs: 90_000, what: 'the state machine to name reproject-b' },
    );
    run.child.kill('SIGTERM');
    const { code } = await run.exited;

    expect(code).toBe(ExitCode.Interrupted);
    const doc = JSON.parse(run.out.stdout) as { error: { code: string; exitCode: number; message: string } };
    expect(doc.error).toMatchObject({ code: 'Interrupted', exitCode: ExitCode.Interrupted });
    expect(doc.error.message).toMatch(/^Stopped by SIGTERM/);
    expect(await locks()).toEqual([]);
  });
});

describe('drain --wait', () => {
  it('SIGTERM while waiting for the jobs: exit 10, the queue named as disabled, the commands to keep waiting or re-enable', async () => {
    await runningJobsOnA(2);
    const run = spawnCli(
      ['drain', 'reproject-a', '--wait', '--yes', '--force', '--poll-interval', '0.5s'],
      cliEnv(emulator.endpoint, { CI: 'true' }),
    );
    await waitFor(() => /waiting for jobs — .*RUNNING 2/.test(run.out.stderr), {
      timeoutMs: 60_000,
      what: 'the drain to wait for the jobs',
    });
    const signalledAt = Date.now();
    run.child.kill('SIGTERM');
    const { code, at } = await run.exited;

    expect(code).toBe(ExitCode.Interrupted);
    expect(at - signalledAt).toBeLessThan(5_000);
    expect(run.out.stderr.trim().split('\n').pop()).toBe(
      'Error: Stopped by SIGTERM at a safe point: job queue reproject-a is disabled (it takes no new jobs) and not drained yet. Run `batchctl drain reproject-a --wait --yes --force` to keep waiting, or `aws batch update-job-queue --job-queue reproject-a --state ENABLED` to let it take jobs again.',
    );
    expect(await queue('reproject-a')).toMatchObject({ state: 'DISABLED' });
  });
});

describe('SIGTERM during the drain of a rollback', () => {
  it('exit 10, B named as disabled with jobs left, the lock released; the printed rollback finishes going back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'batchctl-signals-'));
    const planned = await plan({ aws, specPath: SPEC, outPath: join(dir, 'reproject.plan.json'), toolVersion: 'test' });
    const env = cliEnv(emulator.endpoint, { ...ENV, BATCHCTL_GRACE: '1s' });
    const promoted = await runCli(['promote', planned.planPath, '--yes', '--no-retire'], env);
    expect(promoted.code).toBe(0);
    await runningJobsOnA(2, 'reproject-b');

    const run = spawnCli(['rollback', planned.planPath, '--yes'], env);
    await waitFor(() => /waiting for jobs — .*RUNNING 2/.test(run.out.stderr), {
      timeoutMs: 90_000,
      what: "the rollback's drain of B to wait for its jobs",
    });
    run.child.kill('SIGTERM');
    const { code } = await run.exited;

    expect(code).toBe(ExitCode.Interrupted);
    expect(run.out.stderr.trim().split('\n').pop()).toBe(
      `Error: Stopped by SIGTERM during step drain:reproject-b, at a safe point: A (reproject-a) is live and every reference points at it again; B: reproject-b is disabled (it takes no new jobs) and still has jobs to wait for. The workload lock was released. Run \`batchctl rollback ${planned.planPath} --yes\` to finish going back to reproject-a, or \`batchctl promote ${planned.planPath} --yes\` to move forward to reproject-b again.`,
    );
    expect(await locks()).toEqual([]);
    expect(await queue('reproject-a')).toMatchObject({ state: 'ENABLED', status: 'VALID' });

    const finished = await runCli(['rollback', planned.planPath, '--yes'], cliEnv(emulator.endpoint, ENV), {
      timeoutMs: 120_000,
    });
    expect(finished.code).toBe(0);
    expect(await queue('reproject-b')).toBeUndefined();
    expect(await locks()).toEqual([]);
  });
});
