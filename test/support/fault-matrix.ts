/**
 * The fault-injection matrix: for each AWS call position of a promote (or a rollback) and each fault kind, run the
 * real CLI through the fault proxy, recover the way a user would (run the command again, breaking the lock of a
 * killed run explicitly), and check the invariants. Shared by the integration test (a sample of positions) and
 * scripts/fault-matrix.ts (every position).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { BatchClient, DescribeJobsCommand, SubmitJobCommand } from '@aws-sdk/client-batch';

import { createAws } from '../../src/aws/clients';
import { promote } from '../../src/services/promote';
import { plan } from '../../src/services/plan';
import { lockKeyOf } from '../../src/core/lock-key';
import { readLock } from '../../src/services/lock';
import type { Emulator } from '../emulator';
import { BIN, cliEnv, REPO, runCli, type CliResult } from './cli';
import { clientConfig, seedDemoWorkload } from './demo-workload';
import type { FaultKind, FaultProxy, FaultTarget } from './fault-proxy';
import { checkInvariants } from './invariants';

export type Operation = 'promote' | 'rollback';

export interface MatrixContext {
  emulator: Emulator;
  proxy: FaultProxy;
  dir: string;
  /** Jobs running on the queue being drained when the case starts: none may be killed. */
  jobs?: string[];
}

/** A call of a clean run: its place in the run, and which call of its operation it is (what the proxy targets). */
export interface MatrixPosition extends FaultTarget {
  position: number;
}

export interface CaseResult {
  operation: Operation;
  position: number;
  /** The AWS call the fault hit, e.g. `batch:createcomputeenvironment`. */
  call: string;
  kind: FaultKind;
  passed: boolean;
  /** False when this run called the operation fewer times than the clean one (drain polls vary with timing): the
   * case is then checked as a clean run. */
  reached: boolean;
  detail: string;
}

const FAST = ['--yes', '--grace', '0.1s', '--poll-interval', '0.1s'];
const SPEC = join(REPO, 'plans', 'reproject.yaml');
const QUEUES = ['reproject-a', 'reproject-b'];

/** Fresh account with the demo workload and a plan; for rollback, promoted with --no-retire (A kept). */
export async function prepare(ctx: MatrixContext, operation: Operation): Promise<string> {
  await ctx.emulator.reset();
  await seedDemoWorkload({ endpoint: ctx.emulator.endpoint });
  const planPath = join(ctx.dir, 'reproject.plan.json');
  const aws = createAws({ endpoint: ctx.emulator.endpoint, region: 'us-east-1' });
  try {
    await plan({ aws, specPath: SPEC, outPath: planPath, toolVersion: 'test' });
    if (operation === 'rollback') {
      await promote({
        aws,
        planPath,
        retire: false,
        timings: { graceMs: 100, drainTimeoutMs: 30_000, pollIntervalMs: 100, resourceTimeoutMs: 30_000 },
      });
    }
  } finally {
    aws.destroy();
  }
  ctx.jobs = await startJobs(ctx.emulator.endpoint, operation === 'promote' ? 'reproject-a' : 'reproject-b');
  return planPath;
}

/** Two jobs that run for a while on the queue about to be drained, so a case can show that none is killed. */
async function startJobs(endpoint: string, queue: string): Promise<string[]> {
  const batch = new BatchClient(clientConfig(endpoint));
  try {
    const submit = (name: string) =>
      batch.send(
        new SubmitJobCommand({
          jobName: name,
          jobQueue: queue,
          jobDefinition: queue === 'reproject-a' ? 'reproject' : 'reproject-b',
          containerOverrides: { command: ['sleep', '1.5'] },
        }),
      );
    return (await Promise.all([submit('fault-case-1'), submit('fault-case-2')])).map((r) => r.jobId ?? '');
  } finally {
    batch.destroy();
  }
}

async function killedJobs(endpoint: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const batch = new BatchClient(clientConfig(endpoint));
  try {
    const jobs = (await batch.send(new DescribeJobsCommand({ jobs: ids }))).jobs ?? [];
    return jobs
      .filter((j) => j.status !== 'SUCCEEDED')
      .map((j) => `job ${j.jobName ?? ''} ${j.status ?? ''}${j.statusReason ? ` (${j.statusReason})` : ''}`);
  } finally {
    batch.destroy();
  }
}

/** Runs the CLI through the proxy; a `kill` fault SIGKILLs it at the armed call. */
function runThroughProxy(
  ctx: MatrixContext,
  args: string[],
  target: FaultTarget | undefined,
  kind: FaultKind | undefined,
): Promise<CliResult & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: cliEnv(ctx.proxy.endpoint, { CI: 'true' }),
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let killed = false;
    if (target && kind) {
      ctx.proxy.arm(target, kind, () => {
        killed = true;
        child.kill('SIGKILL');
      });
    } else {
      ctx.proxy.disarm();
      ctx.proxy.resetCount();
    }
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      ctx.proxy.disarm();
      resolve({ code, stdout, stderr, killed });
    });
  });
}

/** The calls a clean run makes, in order: the positions of the matrix. */
export async function cleanRunCalls(ctx: MatrixContext, operation: Operation): Promise<string[]> {
  const planPath = await prepare(ctx, operation);
  const result = await runThroughProxy(ctx, [operation, planPath, ...FAST], undefined, undefined);
  if (result.code !== 0) throw new Error(`clean ${operation} failed (${String(result.code)}): ${result.stderr}`);
  return [...ctx.proxy.operations];
}

/** Every call of a clean run as a target: the 1st `sts:GetCallerIdentity`, the 3rd `batch:describejobqueues`… */
export function positionsOf(calls: string[]): MatrixPosition[] {
  const seen = new Map<string, number>();
  return calls.map((call, i) => {
    const occurrence = (seen.get(call) ?? 0) + 1;
    seen.set(call, occurrence);
    return { position: i + 1, call, occurrence };
  });
}

/**
 * The positions of `first` whose operation both clean runs called equally often: the steps themselves, not the
 * polls whose number depends on how fast jobs finish. A sample drawn from these is reached on any machine.
 */
export function stablePositions(first: string[], second: string[]): MatrixPosition[] {
  const count = (calls: string[], call: string) => calls.filter((c) => c === call).length;
  return positionsOf(first).filter((p) => count(first, p.call) === count(second, p.call));
}

async function recover(ctx: MatrixContext, operation: Operation, planPath: string): Promise<CliResult> {
  const aws = createAws({ endpoint: ctx.emulator.endpoint, region: 'us-east-1' });
  try {
    // A killed run leaves its lock; the user breaks it explicitly, naming it (`batchctl status` shows it).
    // The lock is keyed by the queue's base name: reproject-a and reproject-b share `reproject`.
    const lock = await readLock(aws, lockKeyOf('reproject-a'));
    const unlock = lock ? ['--force-unlock', lock.id] : [];
    return await runCli([operation, planPath, ...FAST, ...unlock], cliEnv(ctx.emulator.endpoint, { CI: 'true' }));
  } finally {
    aws.destroy();
  }
}

export async function runCase(
  ctx: MatrixContext,
  operation: Operation,
  at: MatrixPosition,
  kind: FaultKind,
): Promise<CaseResult> {
  const planPath = await prepare(ctx, operation);
  const live = operation === 'promote' ? 'reproject-b' : 'reproject-a';
  const first = await runThroughProxy(ctx, [operation, planPath, ...FAST], at, kind);
  const reached = ctx.proxy.fired;
  const { position, call } = at;
  const fail = (detail: string): CaseResult => ({ operation, position, call, kind, passed: false, reached, detail });
  if (!reached) {
    // The number of drain polls depends on timing, so a run can call a polled operation fewer times than the
    // clean run did: a clean run then, held to a clean run's standard.
    if (first.code !== 0) return fail(`unfaulted run exit ${String(first.code)}`);
    const problems = await checkInvariants({ endpoint: ctx.emulator.endpoint, live, revisionQueues: QUEUES });
    problems.push(...(await killedJobs(ctx.emulator.endpoint, ctx.jobs ?? [])));
    return problems.length
      ? fail(problems.join('; '))
      : { operation, position, call, kind, passed: true, reached, detail: 'not reached' };
  }
  const lines = first.stderr.trim().split('\n');
  const errorLine = lines.find((l) => l.startsWith('Error: ')) ?? '';

  if (kind === 'throttle' || kind === 'server-error') {
    if (first.code !== 0) return fail(`exit ${String(first.code)}: ${errorLine}`);
  } else if (kind === 'fatal') {
    if (first.code === 0) {
      // Only the lock release may fail without failing the swap; it must then be said.
      if (!/could not release lock/.test(first.stderr)) return fail('a non-retryable error was swallowed');
    } else {
      if (!errorLine) return fail(`exit ${String(first.code)} without an error line`);
      if (
        !errorLine.includes(`batchctl ${operation}`) &&
        !errorLine.includes('batchctl rollback') &&
        !errorLine.includes('batchctl promote')
      ) {
        return fail(`error names no next command: ${errorLine}`);
      }
      // Consistent even when stopped: every reference still resolves.
      const broken = (await checkInvariants({ endpoint: ctx.emulator.endpoint, live, revisionQueues: QUEUES })).filter(
        (p) => / names (queue|job definition) /.test(p),
      );
      if (broken.length) return fail(`after the error: ${broken.join('; ')}`);
    }
  } else if (!first.killed) {
    return fail('the kill position was never reached');
  }

  if (kind === 'fatal' || kind === 'kill' || first.code !== 0) {
    const again = await recover(ctx, operation, planPath);
    if (again.code !== 0)
      return fail(`re-run exit ${String(again.code)}: ${again.stderr.trim().split('\n').pop() ?? ''}`);
  }
  const problems = await checkInvariants({ endpoint: ctx.emulator.endpoint, live, revisionQueues: QUEUES });
  problems.push(...(await killedJobs(ctx.emulator.endpoint, ctx.jobs ?? [])));
  const violations = await ctx.emulator.violations();
  if (violations.length) problems.push(...violations.map((v) => `AWS rule broken: ${v.operation}: ${v.message}`));
  return problems.length
    ? fail(problems.join('; '))
    : { operation, position, call, kind, passed: true, reached, detail: 'ok' };
}

/** `count` items spread evenly over `items`, always including the first and the last. */
export function sampleEvenly<T>(items: T[], count: number): T[] {
  if (count >= items.length) return [...items];
  const step = (items.length - 1) / (count - 1);
  return [...new Set(Array.from({ length: count }, (_, i) => Math.round(i * step)))].map((i) => items[i] as T);
}

export function renderMatrix(results: CaseResult[], kinds: FaultKind[]): string {
  const rows = new Map<string, Map<FaultKind, CaseResult>>();
  for (const r of results) {
    const key = `${r.operation} #${r.position} ${r.call}`;
    if (!rows.has(key)) rows.set(key, new Map());
    rows.get(key)?.set(r.kind, r);
  }
  const header = `| call | ${kinds.join(' | ')} |\n|---|${kinds.map(() => '---').join('|')}|`;
  const cell = (r: CaseResult | undefined): string => (!r ? '' : !r.passed ? 'FAIL' : r.reached ? 'pass' : 'n/r');
  const body = [...rows.entries()].map(
    ([key, byKind]) => `| ${key} | ${kinds.map((k) => cell(byKind.get(k))).join(' | ')} |`,
  );
  const passed = results.filter((r) => r.passed && r.reached).length;
  const unreached = results.filter((r) => r.passed && !r.reached).length;
  const failed = results.filter((r) => !r.passed).length;
  return `${header}\n${body.join('\n')}\n\n${passed} passed, ${failed} failed, ${unreached} not reached (n/r: that run ended before the position and passed as a clean run)`;
}
