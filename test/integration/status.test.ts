/**
 * `status` from the account alone, in every phase of a swap, built honestly: a promote stopped by a failing AWS call
 * (building, built, an alias still on A), a drain held open by an in-flight execution (draining, with the promote's
 * lock held), `promote --no-retire` (drained), and a second swap B → A read with the first spec. The lock cases
 * use real lock records: a live holder (this process), a dead one (a process that has exited), one from another
 * host. Every suggested command is run as printed and must work.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';

import Ajv from 'ajv';
import { BatchClient, ListJobsCommand, TerminateJobCommand } from '@aws-sdk/client-batch';
import { SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';

import { createAws, type Aws } from '../../src/aws/clients';
import { LOCK_FORMAT, lockParameterName, serializeLock, type LockRecord } from '../../src/core/lock-key';
import { TAG_PLAN } from '../../src/core/workload';
import { Interruption } from '../../src/lib/poll';
import { acquireLock } from '../../src/services/lock';
import { plan } from '../../src/services/plan';
import { promote } from '../../src/services/promote';
import { status, type StatusResult } from '../../src/services/status';
import { startEmulator, type Emulator } from '../emulator';
import { BIN, cliEnv, REPO, runCli } from '../support/cli';
import { clientConfig, seedDemoWorkload, type DemoWorkload } from '../support/demo-workload';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { makeAdhocRunnable } from '../support/runnable-adhoc';
import { writeBackToASpec } from '../support/specs';
import { waitFor } from '../support/wait';

jest.setTimeout(240_000);

const FAST = ['--yes', '--grace', '0.2s', '--poll-interval', '0.2s'];
const TIMINGS = { graceMs: 200, drainTimeoutMs: 120_000, pollIntervalMs: 200, resourceTimeoutMs: 60_000 };

let emulator: Emulator;
let workload: DemoWorkload;
let aws: Aws;
let dir: string;
let spec: string;

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
  dir = mkdtempSync(join(tmpdir(), 'batchctl-status-'));
  spec = join(dir, 'reproject.yaml');
  writeFileSync(spec, readFileSync(join(REPO, 'plans', 'reproject.yaml'), 'utf8'));
});
afterEach(() => aws.destroy());

/** Where `plan <spec>` writes by default, and what status re-plans to. */
const planPathOf = (): string => join(dir, 'reproject.plan.json');
const ci = (): NodeJS.ProcessEnv => cliEnv(emulator.endpoint, { CI: 'true' });

function read(options: { planPath?: string } = {}): Promise<StatusResult> {
  return status(aws, { specPath: spec, noTerminal: true, ...options });
}

/** `replace`: the back-to-A spec changes nothing that is not already live, so its swap is forced (plan --replace). */
async function planned(specPath = spec, outPath = planPathOf(), replace = false): Promise<string> {
  const made = await plan({ aws, specPath, outPath, toolVersion: 'test', replace });
  expect(made.plan.blockers).toEqual([]);
  return made.planPath;
}

/** Runs promote through a proxy that fails the `occurrence`th call of `call` for good, and expects it to stop there. */
async function promoteStoppedAt(planPath: string, call: string, occurrence = 1): Promise<void> {
  const proxy: FaultProxy = await startFaultProxy(emulator.endpoint);
  const viaProxy = createAws({ endpoint: proxy.endpoint, region: 'us-east-1' });
  try {
    proxy.arm({ call, occurrence }, 'fatal');
    await expect(promote({ aws: viaProxy, planPath, retire: true, timings: TIMINGS })).rejects.toThrow();
    expect(proxy.fired).toBe(true);
  } finally {
    viaProxy.destroy();
    await proxy.close();
  }
}

/**
 * Runs promote and stops it the way SIGTERM does (src/lib/signals.ts), at the safe point after the first step whose
 * id starts with `stepPrefix` is done: the next step never starts.
 */
async function promoteInterruptedAfter(planPath: string, stepPrefix: string): Promise<void> {
  const controller = new AbortController();
  const reporter = {
    step: (id: string, state: string) => {
      if (id.startsWith(stepPrefix) && state === 'done') controller.abort(new Interruption('SIGTERM'));
    },
    drain: () => undefined,
    warn: () => undefined,
  };
  await expect(
    promote({ aws, planPath, retire: true, timings: TIMINGS, reporter, signal: controller.signal }),
  ).rejects.toThrow();
  expect(controller.signal.aborted).toBe(true);
}

const statusSchema = new Ajv({ strict: false, allErrors: true }).compile(
  JSON.parse(readFileSync(join(REPO, 'docs', 'schemas', 'status-result.schema.json'), 'utf8')),
);

/** `status --json` as printed, checked against the published schema (docs/schemas/status-result.schema.json). */
async function statusJson(extra: string[] = []): Promise<StatusResult & { schemaVersion: string }> {
  const result = await runCli(['status', spec, '--json', ...extra], ci());
  expect(result.code).toBe(0);
  const doc = JSON.parse(result.stdout) as StatusResult & { schemaVersion: string };
  statusSchema(doc);
  expect(statusSchema.errors ?? []).toEqual([]);
  expect(doc.schemaVersion).toBe('batchctl/status/1');
  return doc;
}

/** Runs a suggested command line (`a && b`) as printed, each part through the built CLI. */
async function runSuggested(line: string, env: NodeJS.ProcessEnv): Promise<void> {
  const command = line.split('   #')[0]?.split('  #')[0]?.trim() ?? '';
  for (const part of command.split(' && ')) {
    const words = part.trim().split(/\s+/);
    expect(words[0]).toBe('batchctl');
    const result = await runCli(words.slice(1), env);
    expect({ part, code: result.code, stderr: result.stderr }).toMatchObject({ part, code: 0 });
  }
}

it('none: the adopted revision A is live and nothing else of the workload stands', async () => {
  const seen = await read();
  expect(seen.live).toEqual({ revision: 'a', queue: 'reproject-a' });
  expect(seen.revisions).toEqual([
    {
      revision: 'a',
      queue: 'reproject-a',
      computeEnvironments: ['reproject-spot-a'],
      launchTemplates: ['reproject-500gb-a'],
    },
  ]);
  expect(seen.swap).toEqual({ phase: 'none', description: 'no swap in progress', next: [] });
  expect(seen.lock).toBeUndefined();
});

it("building: a promote stopped at CreateJobQueue left B's launch template and compute environment; the suggested re-plan finishes it", async () => {
  const planPath = await planned();
  const planId = (JSON.parse(readFileSync(planPath, 'utf8')) as { id: string }).id;
  await promoteStoppedAt(planPath, 'batch:createjobqueue');

  const seen = await read();
  expect(seen.swap).toMatchObject({ phase: 'building', incoming: 'b', orderedBy: 'adopted', planId });
  expect(seen.live).toEqual({ revision: 'a', queue: 'reproject-a' });
  expect(seen.revisions.find((r) => r.revision === 'b')).toEqual({
    revision: 'b',
    planId,
    computeEnvironments: ['reproject-spot-b'],
    launchTemplates: ['reproject-500gb-b'],
  });
  expect(seen.swap.next).toEqual([
    `batchctl plan ${spec} --out ${planPathOf()} && batchctl promote ${planPathOf()} --yes   # finish the swap`,
    `batchctl plan ${spec} --out ${planPathOf()} && batchctl rollback ${planPathOf()} --yes  # go back to the previous revision`,
  ]);

  expect((await statusJson()).swap).toEqual(seen.swap);
  const human = await runCli(['status', spec], ci());
  expect(human.code).toBe(0);
  expect(human.stdout).toContain(
    'Swap: B is being built: some of its launch templates or compute environments exist, its queue does not yet; references point at A (plan ',
  );
  expect(human.stdout).toContain('  B (no queue), plan ');
  expect(human.stdout).not.toContain('.plan.json  #');

  // Written somewhere else first, so the re-plan really writes the file the suggestion promotes.
  writeFileSync(planPathOf(), '{}');
  await runSuggested(seen.swap.next[0] ?? '', ci());
  const after = await read();
  expect(after.swap.phase).toBe('none');
  expect(after.live).toEqual({ revision: 'b', queue: 'reproject-b' });
});

it("built: a promote stopped right after creating B's queue has B complete and every reference on A", async () => {
  const planPath = await planned();
  await promoteInterruptedAfter(planPath, 'create-job-queue:');

  const seen = await read();
  expect(seen.swap).toMatchObject({ phase: 'built', incoming: 'b' });
  expect(seen.live).toEqual({ revision: 'a', queue: 'reproject-a' });
  const [a, b] = [seen.queues.find((q) => q.revision === 'a'), seen.queues.find((q) => q.revision === 'b')];
  expect(a?.referencedBy.length).toBeGreaterThan(0);
  expect(b).toMatchObject({ name: 'reproject-b', referencedBy: [], routedBy: [] });
});

it('an alias still routing to a version that names A while the definitions name B is a reference to A (cutting-over)', async () => {
  const planPath = await planned();
  await promoteStoppedAt(planPath, 'sfn:UpdateStateMachineAlias');

  const seen = await statusJson();
  const a = seen.queues.find((q) => q.revision === 'a');
  expect(a?.routedBy).toEqual([
    expect.objectContaining({ stateMachine: 'reproject-workflow', alias: 'live', weight: 100 }),
  ]);
  expect(a?.referencedBy).not.toContain('reproject-workflow');
  expect(seen.swap.phase).toBe('cutting-over');

  const human = await runCli(['status', spec], ci());
  expect(human.stdout).toMatch(
    /^ {2}A reproject-a: ENABLED\/VALID; referenced by (.*, )?alias reproject-workflow:live \(100% to version \d+\)/m,
  );
  // With the plan file, the commands name it; promote as printed finishes the swap.
  const withPlan = await read({ planPath });
  expect(withPlan.swap.next).toEqual([
    `batchctl promote ${planPath} --yes   # finish the swap`,
    `batchctl rollback ${planPath} --yes  # go back to the previous revision`,
  ]);
  await runSuggested(withPlan.swap.next[0] ?? '', ci());
  expect((await read()).swap.phase).toBe('none');
});

it('draining: a promote waiting for an in-flight execution holds the lock; status says so, never suggests promote, and --watch follows it to the end', async () => {
  await makeAdhocRunnable(emulator.endpoint, workload.stateMachines.byName, ['sleep', '120']);
  const sfn = new SFNClient(clientConfig(emulator.endpoint));
  const batch = new BatchClient(clientConfig(emulator.endpoint));
  try {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: workload.stateMachines.byName, input: '{"url":"s3://x"}' }),
    );
    const runningJob = (): Promise<string | undefined> =>
      batch
        .send(new ListJobsCommand({ jobQueue: 'reproject-a', jobStatus: 'RUNNING' }))
        .then((out) => out.jobSummaryList?.[0]?.jobId);
    const jobId = await waitFor(runningJob, { what: "the execution's job to be RUNNING on reproject-a" });
    const planPath = await planned();
    const promoting = runCli(['promote', planPath, ...FAST], ci());

    const draining = await waitFor(
      async () => {
        const seen = await read();
        return seen.swap.phase === 'draining' && seen.lock ? seen : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, what: 'status to say draining with the lock held' },
    );
    expect(draining.live).toEqual({ revision: 'b', queue: 'reproject-b' });
    expect(draining.queues.find((q) => q.revision === 'a')).toMatchObject({ state: 'ENABLED', executions: 1 });
    expect(draining.lock).toMatchObject({ operation: 'promote', holderState: 'running' });
    expect(draining.lock?.summary).toBe(
      `a promote is in progress (lock held by ${hostname()} pid ${draining.lock?.holder.split(' pid ')[1] ?? ''} since ${draining.lock?.startedAt ?? ''})`,
    );
    expect(draining.swap.next).toEqual([`batchctl status ${spec} --watch   # follow the promote until it ends`]);

    const human = await runCli(['status', spec, '--plan', planPath], ci());
    expect(human.stdout).toContain(`Lock: ${draining.lock?.summary ?? ''}`);
    expect((await statusJson(['--plan', planPath])).lock).toMatchObject({ holderState: 'running' });
    expect(human.stdout).not.toMatch(/batchctl promote/);

    // Followed from "another terminal": the watch must have shown the drain before the execution is stopped.
    const watch = spawn(process.execPath, [BIN, 'status', spec, '--watch', '--interval', '5s'], {
      env: ci(),
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let watchOut = '';
    let watchErr = '';
    watch.stdout.on('data', (d: Buffer) => (watchOut += d.toString()));
    watch.stderr.on('data', (d: Buffer) => (watchErr += d.toString()));
    const watching = new Promise<number | null>((resolve) => watch.on('close', resolve));
    await waitFor(() => watchOut.includes('Swap: references point at B; A is still enabled and not yet drained'), {
      timeoutMs: 60_000,
      what: '--watch to show the drain',
    });
    await sfn.send(new StopExecutionCommand({ executionArn }));
    // A is disabled once the execution is gone, then the drain waits for A's job: the watch shows it, then end it.
    await waitFor(() => watchOut.includes('Swap: references point at B; A is drained and disabled'), {
      timeoutMs: 60_000,
      what: '--watch to show A drained and disabled',
    });
    await batch.send(new TerminateJobCommand({ jobId, reason: 'status test' }));
    const [promoted, watched] = await Promise.all([promoting, watching]);
    expect({ code: promoted.code, stderr: promoted.stderr }).toMatchObject({ code: 0 });
    expect({ code: watched, stderr: watchErr }).toEqual({
      code: 0,
      stderr: 'No run holds the lock: the swap has ended or stopped.\n',
    });
    expect(watchOut).toMatch(/Swap: no swap in progress\n$/);
    // Each reading is printed only when it differs from the one before.
    const readings = watchOut.split(/^\[\d{4}-[^\]]+\]$/m).filter((r) => r.trim());
    expect(new Set(readings).size).toBe(readings.length);
  } finally {
    sfn.destroy();
    batch.destroy();
  }
});

it('drained after promote --no-retire, named plan or not; then the second swap B → A read with the same spec', async () => {
  const planPath = await planned();
  expect((await runCli(['promote', planPath, ...FAST, '--no-retire'], ci())).code).toBe(0);

  const drained = await read();
  expect(drained.swap).toMatchObject({ phase: 'drained', incoming: 'b', orderedBy: 'adopted' });
  expect(drained.live).toEqual({ revision: 'b', queue: 'reproject-b' });
  expect(drained.swap.next).toEqual([
    `references have moved, so only the plan file of plan ${drained.swap.planId ?? ''} finishes or reverses it; run \`batchctl status ${spec}\` again with --plan and that file to check it and print the exact commands`,
  ]);
  const named = await runCli(['status', spec, '--plan', planPath], ci());
  expect(named.stdout).toContain(`  batchctl promote ${planPath} --yes   # finish the swap\n`);
  expect(named.stdout).toContain(`  batchctl rollback ${planPath} --yes  # go back to the previous revision\n`);
  await runSuggested(`batchctl promote ${planPath} --yes`, ci());
  expect((await read()).swap.phase).toBe('none');

  // The second swap, B → A: both revisions now carry plan tags; the first spec (live: reproject-a) still finds them.
  const back = await planned(writeBackToASpec(dir), join(dir, 'back.plan.json'), true);
  const backId = (JSON.parse(readFileSync(back, 'utf8')) as { id: string }).id;
  await promoteInterruptedAfter(back, 'create-job-queue:');
  const built = await read();
  expect(built.swap).toMatchObject({ phase: 'built', incoming: 'a', planId: backId, orderedBy: 'created' });
  expect(built.live).toEqual({ revision: 'b', queue: 'reproject-b' });
  expect(built.queues.find((q) => q.revision === 'a')?.planId).toBe(backId);

  expect((await runCli(['promote', back, ...FAST, '--no-retire'], ci())).code).toBe(0);
  const drainedBack = await read({ planPath: back });
  expect(drainedBack.swap).toMatchObject({ phase: 'drained', incoming: 'a', planId: backId });
  expect(drainedBack.live).toEqual({ revision: 'a', queue: 'reproject-a' });
  expect(drainedBack.swap.next[0]).toBe(`batchctl promote ${back} --yes   # finish the swap`);
  // The first swap's plan file is not this swap's: it is not offered.
  expect((await read({ planPath })).swap.next[0]).toContain(`(${planPath} is plan `);

  await runSuggested(drainedBack.swap.next[0] ?? '', ci());
  const done = await read();
  expect(done.swap.phase).toBe('none');
  expect(done.live).toEqual({ revision: 'a', queue: 'reproject-a' });
  expect(done.revisions.map((r) => r.revision)).toEqual(['a']);
});

it("retiring: a promote stopped at DeleteComputeEnvironment left A's compute environment and template without its queue", async () => {
  const planPath = await planned();
  await promoteStoppedAt(planPath, 'batch:deletecomputeenvironment');

  const seen = await read();
  expect(seen.swap).toMatchObject({ phase: 'retiring', incoming: 'b', orderedBy: 'adopted' });
  expect(seen.live).toEqual({ revision: 'b', queue: 'reproject-b' });
  // A predates batchctl (no tags): found by the names of B's copies.
  expect(seen.revisions.find((r) => r.revision === 'a')).toEqual({
    revision: 'a',
    computeEnvironments: ['reproject-spot-a'],
    launchTemplates: ['reproject-500gb-a'],
  });
  // Nothing to roll back to once A's queue is gone: only promote, which finishes the retirement.
  const named = await read({ planPath });
  expect(named.swap.next).toEqual([`batchctl promote ${planPath} --yes   # finish the swap`]);
  await runSuggested(named.swap.next[0] ?? '', ci());
  const done = await read();
  expect(done.swap.phase).toBe('none');
  expect(done.revisions.map((r) => r.revision)).toEqual(['b']);
});

describe('the lock', () => {
  it('held by a live run (this process): "a promote is in progress", and only --watch is suggested', async () => {
    const planPath = await planned();
    await promoteInterruptedAfter(planPath, 'create-job-queue:');
    const planId = (JSON.parse(readFileSync(planPath, 'utf8')) as { id: string }).id;
    const lock = await acquireLock(aws, {
      key: 'reproject',
      workload: 'reproject',
      planId,
      operation: 'promote',
      command: `batchctl promote ${planPath}`,
      onWarning: () => undefined,
    });
    try {
      const seen = await read({ planPath });
      expect(seen.lock).toMatchObject({
        id: lock.info.id,
        holderState: 'running',
        summary: `a promote is in progress (lock held by ${hostname()} pid ${process.pid} since ${lock.info.startedAt})`,
      });
      expect(seen.swap.next).toEqual([`batchctl status ${spec} --watch   # follow the promote until it ends`]);

      // --watch keeps following while the holder lives; Ctrl-C stops the watch alone, exit 0.
      const watch = spawn(process.execPath, [BIN, 'status', spec, '--watch', '--interval', '5s'], {
        env: ci(),
        cwd: REPO,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      watch.stdout.on('data', (d: Buffer) => (out += d.toString()));
      watch.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const closed = new Promise<number | null>((resolve) => watch.on('close', resolve));
      await waitFor(() => out.includes(`Lock: ${seen.lock?.summary ?? ''}`), { what: 'the first reading' });
      watch.kill('SIGINT');
      expect({ code: await closed, err }).toEqual({
        code: 0,
        err: 'Stopped watching; the swap itself was not touched.\n',
      });
      expect((await read()).lock?.id).toBe(lock.info.id);
    } finally {
      await lock.release();
    }
  });

  it('held by a dead run on this host: the printed command breaks the lock and finishes, with --yes (no terminal)', async () => {
    const planPath = await planned();
    const planId = (JSON.parse(readFileSync(planPath, 'utf8')) as { id: string }).id;
    await promoteInterruptedAfter(planPath, 'create-job-queue:');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(gone.stdout.toString());
    await aws.ssm.createParameter({
      name: lockParameterName('reproject'),
      value: serializeLock({
        format: LOCK_FORMAT,
        id: 'lk-00000000deadbeef',
        workload: 'reproject',
        planId,
        operation: 'promote',
        startedAt: new Date().toISOString(),
        host: hostname(),
        pid: deadPid,
        queueBase: 'reproject',
      }),
      tags: { [TAG_PLAN]: planId },
    });

    const human = await runCli(['status', spec], ci());
    expect(human.stdout).toContain(
      `  that run is dead: process ${deadPid} no longer runs on this host (${hostname()})\n`,
    );
    const line = `batchctl plan ${spec} --out ${planPathOf()} && batchctl promote ${planPathOf()} --force-unlock lk-00000000deadbeef --yes   # break the dead run's lock and finish its promote`;
    expect(human.stdout).toContain(`  ${line}\n`);
    await runSuggested(line, ci());
    const after = await read();
    expect(after.lock).toBeUndefined();
    expect(after.swap.phase).toBe('none');
    expect(after.live).toEqual({ revision: 'b', queue: 'reproject-b' });
  });

  it('taken on another host two days ago: presumed dead, with the command; a recent one from there is followed', async () => {
    const planPath = await planned();
    const planId = (JSON.parse(readFileSync(planPath, 'utf8')) as { id: string }).id;
    await promoteInterruptedAfter(planPath, 'create-job-queue:');
    const record: LockRecord = {
      format: LOCK_FORMAT,
      id: 'lk-0000000000000abc',
      workload: 'reproject',
      planId,
      operation: 'promote',
      startedAt: new Date(Date.now() - 2 * 24 * 3_600_000).toISOString(),
      host: 'ci-runner-elsewhere',
      pid: 4242,
      queueBase: 'reproject',
    };
    await aws.ssm.createParameter({ name: lockParameterName('reproject'), value: serializeLock(record) });
    const old = await read({ planPath });
    expect(old.lock).toMatchObject({ holderState: 'presumed-dead' });
    expect(old.swap.next).toEqual([
      `batchctl promote ${planPath} --force-unlock lk-0000000000000abc --yes   # break the dead run's lock and finish its promote`,
    ]);

    await aws.ssm.deleteParameter(lockParameterName('reproject'));
    await aws.ssm.createParameter({
      name: lockParameterName('reproject'),
      value: serializeLock({ ...record, startedAt: new Date().toISOString() }),
    });
    const recent = await read({ planPath });
    expect(recent.lock).toMatchObject({ holderState: 'unknown' });
    expect(recent.swap.next).toEqual([`batchctl status ${spec} --watch   # follow the promote until it ends`]);
  });
});
