/**
 * Fault injection against the emulator (strict mode on): throttling, 5xx, a non-retryable error and SIGKILL at
 * AWS call positions spread over a whole promote and a whole rollback. After each case the invariants must hold:
 * one complete live revision, every reference resolving to an ENABLED, VALID queue and an ACTIVE job definition,
 * nothing tagged by batchctl outside it, no lock left, no AWS rule broken. `npm run faults` runs every position.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEmulator, type Emulator } from '../emulator';
import type { StatusResult } from '../../src/services/status';
import { cliEnv, REPO, runCli } from '../support/cli';
import {
  cleanRunCalls,
  prepare,
  runCase,
  sampleEvenly,
  stablePositions,
  type MatrixContext,
  type Operation,
} from '../support/fault-matrix';
import { FAULT_KINDS, startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { checkInvariants } from '../support/invariants';

jest.setTimeout(600_000);

let emulator: Emulator;
let proxy: FaultProxy;
let ctx: MatrixContext;

beforeAll(async () => {
  emulator = await startEmulator();
  proxy = await startFaultProxy(emulator.endpoint);
  ctx = { emulator, proxy, dir: mkdtempSync(join(tmpdir(), 'batchctl-faults-')) };
});

afterAll(async () => {
  await proxy.close();
  await emulator.stop();
});

describe.each<[Operation, number]>([
  ['promote', 6],
  ['rollback', 4],
])('%s under injected faults', (operation, samples) => {
  it(`absorbs throttling and 5xx, stops cleanly on a fatal error, converges after SIGKILL (${samples} positions × 4 kinds)`, async () => {
    const calls = await cleanRunCalls(ctx, operation);
    expect(calls.length).toBeGreaterThan(20);
    // How many drain polls a run makes depends on the machine's speed: sample only calls both clean runs made
    // equally often, so every sampled call is reached however loaded the machine is.
    const stable = stablePositions(calls, await cleanRunCalls(ctx, operation));
    expect(stable.length).toBeGreaterThan(20);
    const failed: string[] = [];
    for (const at of sampleEvenly(stable, samples)) {
      for (const kind of FAULT_KINDS) {
        const result = await runCase(ctx, operation, at, kind);
        if (!result.passed || !result.reached) failed.push(`#${at.position} ${at.call} ${kind}: ${result.detail}`);
      }
    }
    expect(failed).toEqual([]);
  });
});

it('two promotes started at the same moment: exactly one proceeds, the other is refused naming the holder', async () => {
  const planPath = await prepare(ctx, 'promote');
  // A longer grace keeps the first run inside its lock while the second one asks for it.
  const args = ['promote', planPath, '--yes', '--grace', '3s', '--poll-interval', '0.2s', '--no-retire'];
  const env = cliEnv(emulator.endpoint, { CI: 'true' });
  const [first, second] = await Promise.all([runCli(args, env), runCli(args, env)]);
  const codes = [first.code, second.code].sort();
  expect(codes).toEqual([0, 8]);
  const refused = first.code === 8 ? first : second;
  expect(refused.stderr.trim().split('\n').pop()).toMatch(
    /^Error: Step preflight failed: Workload reproject is locked by promote of plan p-[0-9a-f]{12} since \d{4}-\d\d-\d\dT[\d:.]+Z \(.+ pid \d+, lock lk-[0-9a-f]{16}\)\./,
  );
  expect(await emulator.violations()).toEqual([]);
  // The one that proceeded finished its part: B is live, A drained and kept.
  const problems = await checkInvariants({
    endpoint: emulator.endpoint,
    live: 'reproject-b',
    revisionQueues: ['reproject-b'],
  });
  expect(problems).toEqual([]);
});

it('a stale lock is never broken silently, and --force-unlock must name it', async () => {
  const planPath = await prepare(ctx, 'promote');
  const env = cliEnv(emulator.endpoint, { CI: 'true' });
  const killed = await runCli(['promote', planPath, '--yes', '--grace', '30s'], env, { timeoutMs: 6_000 });
  expect(killed.code).toBeNull();
  const refused = await runCli(['promote', planPath, '--yes', '--grace', '0.1s', '--poll-interval', '0.1s'], env);
  expect(refused.code).toBe(8);
  const lockId = /lock (lk-[0-9a-f]{16})\)/.exec(refused.stderr)?.[1] ?? '';
  // The lock is keyed by the job queue: a spec that names the same queue under another workload name sees it.
  const otherSpec = join(ctx.dir, 'nightly.yaml');
  writeFileSync(
    otherSpec,
    readFileSync(join(REPO, 'plans', 'reproject.yaml'), 'utf8').replace(/^workload: reproject$/m, 'workload: nightly'),
  );
  const status = await runCli(['status', otherSpec, '--json'], env);
  expect(status.code).toBe(0);
  expect((JSON.parse(status.stdout) as StatusResult).lock).toMatchObject({
    id: lockId,
    workload: 'reproject',
    operation: 'promote',
  });
  const wrong = await runCli(['promote', planPath, '--yes', '--force-unlock', 'lk-0000000000000000'], env);
  expect(wrong.code).toBe(8);
  expect(wrong.stderr).toContain(`does not name the current lock of reproject (${lockId}); nothing was unlocked.`);
  const done = await runCli(
    ['promote', planPath, '--yes', '--grace', '0.1s', '--poll-interval', '0.1s', '--force-unlock', lockId],
    env,
  );
  expect(done.code).toBe(0);
  expect(
    await checkInvariants({
      endpoint: emulator.endpoint,
      live: 'reproject-b',
      revisionQueues: ['reproject-a', 'reproject-b'],
    }),
  ).toEqual([]);
});
