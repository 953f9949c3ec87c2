/**
 * `batchctl drain` against the emulator (strict mode on) with the demo workload seeded with `sleep 4` jobs:
 * reporting what is in flight, waiting for it, giving up at the deadline, and seeing executions that can still
 * submit to the queue.
 */
import { join } from 'node:path';

import {
  BatchClient,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  type JobDetail,
  ListJobsCommand,
  SubmitJobCommand,
} from '@aws-sdk/client-batch';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

import { createAws, type Aws } from '../../src/aws/clients';
import { lockKeyOf } from '../../src/core/lock-key';
import type { DrainProgress } from '../../src/services/drain';
import { drainCommand, type DrainCommandResult } from '../../src/services/drain-queue';
import { acquireLock } from '../../src/services/lock';
import type { StatusResult } from '../../src/services/status';
import { startEmulator, type Emulator } from '../emulator';
import { cliEnv, REPO, runCli } from '../support/cli';
import { clientConfig, type DemoWorkload, seedDemoWorkload } from '../support/demo-workload';
import { makeAdhocRunnable } from '../support/runnable-adhoc';
import { waitFor } from '../support/wait';

jest.setTimeout(60_000);

const SLEEP_SECONDS = 4;
/** For the tests that only look: jobs that outlive two CLI runs on a busy machine (the reset ends them). */
const LONG_SLEEP = ['sleep', '15'];
const NOTHING = { SUBMITTED: 0, PENDING: 0, RUNNABLE: 0, STARTING: 0, RUNNING: 0 };

let emulator: Emulator;
let workload: DemoWorkload;
let aws: Aws;
let batch: BatchClient;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await emulator.reset();
  workload = await seedDemoWorkload({ endpoint: emulator.endpoint, command: ['sleep', String(SLEEP_SECONDS)] });
  aws = createAws({ endpoint: emulator.endpoint, region: 'us-east-1' });
  batch = new BatchClient(clientConfig(emulator.endpoint));
});

afterEach(() => {
  aws.destroy();
  batch.destroy();
});

async function describeJobs(ids: string[]): Promise<JobDetail[]> {
  return (await batch.send(new DescribeJobsCommand({ jobs: ids }))).jobs ?? [];
}

/** Submits `count` jobs straight to reproject-a and waits until every one is RUNNING. */
async function submitRunning(count: number, command?: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const out = await batch.send(
      new SubmitJobCommand({
        jobName: `direct-${i}`,
        jobQueue: 'reproject-a',
        jobDefinition: 'reproject',
        ...(command ? { containerOverrides: { command } } : {}),
      }),
    );
    ids.push(out.jobId ?? '');
  }
  await waitFor(async () => (await describeJobs(ids)).filter((j) => j.status === 'RUNNING').length === count, {
    what: `${count} jobs to be RUNNING`,
  });
  return ids;
}

async function queueA(): Promise<{ state?: string; status?: string } | undefined> {
  return (await batch.send(new DescribeJobQueuesCommand({ jobQueues: ['reproject-a'] }))).jobQueues?.[0];
}

const FAST = ['--poll-interval', '0.5s'];

describe('drain reproject-a', () => {
  it('without --wait: reports the RUNNING jobs, exits 7, and leaves the queue ENABLED', async () => {
    await submitRunning(3, LONG_SLEEP);

    // Read-only, so both forms run at once, while the jobs still sleep.
    const [human, json] = await Promise.all([
      runCli(['drain', 'reproject-a'], cliEnv(emulator.endpoint)),
      runCli(['drain', 'reproject-a', '--json'], cliEnv(emulator.endpoint)),
    ]);

    expect(human.code).toBe(7);
    expect(human.stdout).toBe(
      'reproject-a (ENABLED): not drained — 0 executions still on it — jobs: SUBMITTED 0 · PENDING 0 · RUNNABLE 0 · STARTING 0 · RUNNING 3\n',
    );
    expect(human.stderr).toContain(
      'Job queue reproject-a is not drained: 0 executions still on it, jobs: 0 SUBMITTED, 0 PENDING, 0 RUNNABLE, 0 STARTING, 3 RUNNING.',
    );
    expect(json.code).toBe(7);
    const doc = JSON.parse(json.stdout) as DrainCommandResult;
    expect(doc).toMatchObject({
      queue: { name: 'reproject-a', arn: workload.queueArn, state: 'ENABLED' },
      drained: false,
      inFlight: { executions: [], jobs: { ...NOTHING, RUNNING: 3 } },
    });
    const listed = await batch.send(new ListJobsCommand({ jobQueue: 'reproject-a', jobStatus: 'RUNNING' }));
    expect(listed.jobSummaryList?.length).toBe(doc.inFlight.jobs.RUNNING);
    expect(await queueA()).toMatchObject({ state: 'ENABLED', status: 'VALID' });
  });

  it('--wait: disables the queue, waits until the jobs have finished (none killed), exits 0', async () => {
    const ids = await submitRunning(3);

    // Watch the queue while the CLI drains it: the moment intake stops is an upper bound of when the drain began.
    const [disabledSeenAt, cli] = await Promise.all([
      waitFor(async () => ((await queueA())?.state === 'DISABLED' ? Date.now() : undefined), {
        intervalMs: 100,
        what: 'reproject-a to be DISABLED',
      }),
      runCli(
        // The demo's state machines name reproject-a: --force takes that on (the guard has its own tests below).
        ['drain', 'reproject-a', '--wait', '--yes', '--force', '--timeout', '60s', ...FAST, '--json'],
        cliEnv(emulator.endpoint, { CI: 'true' }),
      ),
    ]);

    expect(cli).toMatchObject({ code: 0, stderr: '' });
    const doc = JSON.parse(cli.stdout) as DrainCommandResult;
    expect(doc).toMatchObject({
      queue: { name: 'reproject-a', state: 'DISABLED' },
      drained: true,
      inFlight: { executions: [], jobs: NOTHING },
      reenable: 'aws batch update-job-queue --job-queue reproject-a --state ENABLED',
    });
    const jobs = await describeJobs(ids);
    expect(jobs.map((j) => j.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(await queueA()).toMatchObject({ state: 'DISABLED', status: 'VALID' });
    // It really waited: the jobs still had this long to sleep when intake stopped, and the drain lasted at least that.
    const lastStop = Math.max(...jobs.map((j) => j.stoppedAt ?? 0));
    const remainingMs = lastStop - disabledSeenAt;
    expect(remainingMs).toBeGreaterThan(500);
    expect(doc.durationMs).toBeGreaterThanOrEqual(remainingMs);
  });

  it('--wait past the deadline: exits 7 naming the queue and the RUNNING count, deletes nothing, kills nothing', async () => {
    const ids = await submitRunning(3, ['sleep', '20']);

    const cli = await runCli(
      ['drain', 'reproject-a', '--wait', '--yes', '--force', '--timeout', '2s', ...FAST],
      cliEnv(emulator.endpoint, { CI: 'true' }),
    );

    expect(cli.code).toBe(7);
    expect(cli.stderr).toContain(
      'Error: Job queue reproject-a is not drained after 2s: 0 executions still on it, jobs: 0 SUBMITTED, 0 PENDING, 0 RUNNABLE, 0 STARTING, 3 RUNNING.',
    );
    expect(cli.stderr).toContain(
      'The queue is left DISABLED; to let it take jobs again: aws batch update-job-queue --job-queue reproject-a --state ENABLED',
    );
    expect(await queueA()).toMatchObject({ state: 'DISABLED', status: 'VALID' });
    expect((await describeJobs(ids)).map((j) => j.status)).toEqual(['RUNNING', 'RUNNING', 'RUNNING']);
  });

  it('counts a running execution whose definition names the queue', async () => {
    await makeAdhocRunnable(emulator.endpoint, workload.stateMachines.byName, LONG_SLEEP);
    const sfn = new SFNClient(clientConfig(emulator.endpoint));
    let executionArn: string;
    try {
      executionArn = (
        await sfn.send(
          new StartExecutionCommand({ stateMachineArn: workload.stateMachines.byName, input: '{"url":"s3://x"}' }),
        )
      ).executionArn as string;
    } finally {
      sfn.destroy();
    }
    await waitFor(
      async () =>
        ((await batch.send(new ListJobsCommand({ jobQueue: 'reproject-a', jobStatus: 'RUNNING' }))).jobSummaryList
          ?.length ?? 0) === 1,
      { what: "the execution's job to be RUNNING" },
    );

    const [human, json] = await Promise.all([
      runCli(['drain', 'reproject-a'], cliEnv(emulator.endpoint)),
      runCli(['drain', 'reproject-a', '--json'], cliEnv(emulator.endpoint)),
    ]);

    expect(human.code).toBe(7);
    expect(human.stdout).toContain(' — 1 execution still on it — ');
    expect(json.code).toBe(7);
    const doc = JSON.parse(json.stdout) as DrainCommandResult;
    expect(doc.inFlight).toEqual({ executions: [executionArn], jobs: { ...NOTHING, RUNNING: 1 } });

    // `status` counts the same execution and job against the queue it can reach.
    const status = await runCli(['status', join(REPO, 'plans', 'reproject.yaml'), '--json'], cliEnv(emulator.endpoint));
    expect(status.code).toBe(0);
    const queues = (JSON.parse(status.stdout) as StatusResult).queues;
    expect(queues.map((q) => [q.name, q.executions, q.jobs.RUNNING])).toEqual([['reproject-a', 1, 1]]);
    expect(await emulator.violations()).toEqual([]);
  });

  it('reports progress: the first "jobs" event counts the RUNNING jobs, the last is "drained" with all zeros', async () => {
    await submitRunning(2);
    const events: DrainProgress[] = [];

    const result = await drainCommand({
      aws,
      queue: 'reproject-a',
      wait: true,
      force: true,
      timeoutMs: 60_000,
      pollIntervalMs: 500,
      onProgress: (p) => events.push(structuredClone(p)),
    });

    expect(result.drained).toBe(true);
    // Every event carries the drain's start and deadline (the CI heartbeat's elapsed and remaining time).
    const startedAt = events[0]?.startedAt ?? 0;
    const window = { startedAt, deadline: startedAt + 60_000 };
    expect(events.find((e) => e.phase === 'jobs')).toEqual({
      phase: 'jobs',
      executions: [],
      jobs: { ...NOTHING, RUNNING: 2 },
      ...window,
    });
    expect(events.at(-1)).toEqual({ phase: 'drained', executions: [], jobs: NOTHING, ...window });
    expect(events.map((e) => e.phase).filter((p, i, all) => p !== all[i - 1])).toEqual([
      'executions',
      'disabling',
      'jobs',
      'drained',
    ]);
  });
});

describe('drain --wait is guarded: disabling a queue is a change', () => {
  const WAIT = ['drain', 'reproject-a', '--wait', '--timeout', '30s', ...FAST];

  it('without a terminal and without --yes (CI set): exit 9 naming --yes, the queue still ENABLED', async () => {
    const cli = await runCli([...WAIT, '--force'], cliEnv(emulator.endpoint, { CI: 'true' }));

    expect(cli.code).toBe(9);
    expect(cli.stderr).toMatch(/^Error: drain changes the account and needs confirmation.*--yes/m);
    expect(await queueA()).toMatchObject({ state: 'ENABLED', status: 'VALID' });
  });

  it('while a state machine in scope names the queue: exit 4 naming them, the queue still ENABLED', async () => {
    const cli = await runCli([...WAIT, '--yes'], cliEnv(emulator.endpoint, { CI: 'true' }));

    expect(cli.code).toBe(4);
    const last = cli.stderr.trim().split('\n').pop() ?? '';
    expect(last).toMatch(
      /^Error: Job queue reproject-a is named by state machines (reproject-workflow, reproject-adhoc|reproject-adhoc, reproject-workflow): once it is disabled, their executions fail to submit to it\. .*batchctl promote.*--force drains anyway\.$/,
    );
    expect(await queueA()).toMatchObject({ state: 'ENABLED', status: 'VALID' });

    // Out of scope, they do not hold the drain: only the state machine named by --state-machines is looked at.
    const scoped = await runCli(
      [...WAIT, '--yes', '--state-machines', 'nightly-report', '--json'],
      cliEnv(emulator.endpoint, { CI: 'true' }),
    );
    expect(scoped.code).toBe(0);
    expect(await queueA()).toMatchObject({ state: 'DISABLED', status: 'VALID' });
  });

  it("while a swap holds the lock of the queue's workload: exit 8 naming the lock; --force goes through", async () => {
    const lock = await acquireLock(aws, {
      key: lockKeyOf('reproject-a'),
      workload: 'reproject',
      planId: 'p-0123456789ab',
      operation: 'promote',
      command: 'batchctl promote plans/reproject.plan.json',
      onWarning: () => undefined,
    });
    try {
      const refused = await runCli(
        [...WAIT, '--yes', '--state-machines', 'nightly-report'],
        cliEnv(emulator.endpoint, { CI: 'true' }),
      );
      expect(refused.code).toBe(8);
      expect(refused.stderr.trim().split('\n').pop()).toBe(
        `Error: Job queue reproject-a belongs to a swap in progress: promote of plan p-0123456789ab holds lock ${lock.info.id} since ${lock.info.startedAt} (${lock.info.holder}). Let that swap drain the queue; \`batchctl status <spec>\` follows it. --force drains anyway.`,
      );
      expect(await queueA()).toMatchObject({ state: 'ENABLED', status: 'VALID' });

      const forced = await runCli([...WAIT, '--yes', '--force'], cliEnv(emulator.endpoint, { CI: 'true' }));
      expect(forced.code).toBe(0);
      expect(forced.stdout).toContain(
        'reproject-a takes no new jobs until re-enabled: aws batch update-job-queue --job-queue reproject-a --state ENABLED\n',
      );
      expect(await queueA()).toMatchObject({ state: 'DISABLED', status: 'VALID' });
    } finally {
      await lock.release();
    }
  });
});
