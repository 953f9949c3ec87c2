/**
 * `npm run demo`: batchctl end to end against a local AWS emulator, on a fresh clone, with nothing set up by hand.
 *
 * Starts moto server (strict mode) through the test harness, seeds the demo workload ("reproject", revision A),
 * then runs the real CLI (`node bin/run.js ...`) once per phase with its output shown as it is. The plan file goes
 * to a temporary directory, so the working tree stays clean. The emulator is always stopped: on success, on a
 * failed phase (the demo exits with that phase's exit code), and on Ctrl-C or SIGTERM.
 *
 * Phases: seed, plan release 1.5, start two workflow executions on A, promote (live progress), status, then release
 * 1.6 with the same spec file back from B to A: plan, promote, status; then 1.6 again, which plans "no changes"
 * (exit 11). A new phase is one more entry in PHASES.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { MOTO_VERSION, startEmulator, type Emulator } from '../test/emulator';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

import { clientConfig, seedDemoWorkload, type DemoWorkload } from '../test/support/demo-workload';
import { seedCallers } from '../test/support/callers-workload';
import { seedVariedShapes } from '../test/support/varied-workload';

const REPO = resolve(__dirname, '..');
const BIN = join(REPO, 'bin', 'run.js');
/** One spec for every release: the image tag comes in as a variable (docs/spec.md). */
const SPEC = 'plans/reproject-release.yaml';

interface DemoContext {
  /** The emulator's endpoint, given to the CLI as AWS_ENDPOINT_URL. */
  endpoint: string;
  /** A temporary directory outside the repository for everything the demo writes. */
  workDir: string;
  planPath: string;
}

interface Phase {
  /** One short line, printed to stderr when the phase starts. */
  title: string;
  /** Resolves to an exit code: 0 goes on to the next phase, anything else ends the demo with that code. */
  run(ctx: DemoContext): Promise<number>;
}

/**
 * The demo's Express workflow starts no execution (and the emulator's end at once), so its drain waits 3 s for them
 * rather than AWS's 5-minute maximum; a real account keeps the default.
 */
const PROMOTE_FLAGS = ['--yes', '--grace', '2s', '--poll-interval', '1s', '--express-window', '3s'];

const PHASES: Phase[] = [
  {
    title:
      'seeding the demo workload: launch template, compute environment (shared with queue reports), job queue reproject-a, ' +
      'two job definitions (one the spec leaves unchanged), 5 state machines (one Express, one with a role scoped by ARN), ' +
      'an alias routing 90/10 over two versions; callers: an EventBridge rule, a Scheduler schedule, a pipe, a Lambda ' +
      'function and an SSM parameter that name reproject-a, and a rule on reproject-a-old that must be left alone',
    run: async (ctx) => {
      // Jobs sleep for a few seconds in the emulator, so the drain has real work to wait for.
      workload = await seedDemoWorkload({ endpoint: ctx.endpoint, command: ['sleep', '4'] });
      await seedVariedShapes(ctx.endpoint, workload, ['sleep', '4']);
      await seedCallers(ctx.endpoint, workload);
      return 0;
    },
  },
  {
    title: `release 1.5: batchctl plan ${SPEC} --var image_tag=1.5 (read-only: find A, derive B, find every caller)`,
    run: (ctx) => runCli(['plan', SPEC, '--var', 'image_tag=1.5', '--out', ctx.planPath], ctx),
  },
  {
    title: 'starting two workflow executions on revision A (their jobs run for 4 s): promote must wait for them',
    run: async (ctx) => {
      await startWorkflows(ctx.endpoint);
      return 0;
    },
  },
  {
    title: 'batchctl promote: build B, repoint the state machines, the alias and the callers, drain A, retire A',
    run: (ctx) => runCli(['promote', ctx.planPath, ...PROMOTE_FLAGS], ctx),
  },
  {
    title: `batchctl status ${SPEC}: which revision is live now`,
    run: (ctx) => runCli(['status', SPEC], ctx),
  },
  {
    title: `release 1.6, the same unedited spec: batchctl plan ${SPEC} --var image_tag=1.6 goes back from B to A`,
    run: (ctx) => runCli(['plan', SPEC, '--var', 'image_tag=1.6', '--out', nextPlan(ctx)], ctx),
  },
  {
    title: 'batchctl promote: B → A; the canary weights, the shared compute environment and its template are kept',
    run: (ctx) => runCli(['promote', nextPlan(ctx), ...PROMOTE_FLAGS], ctx),
  },
  {
    title: 'batchctl status: revision A is live again',
    run: (ctx) => runCli(['status', SPEC], ctx),
  },
  {
    title: 'release 1.6 again: nothing to change, so plan says "No changes" and exits 11 (a pipeline skips promote)',
    run: async (ctx) => {
      const code = await runCli(['plan', SPEC, '--var', 'image_tag=1.6', '--out', join(ctx.workDir, 'none.json')], ctx);
      return code === 11 ? 0 : code === 0 ? 1 : code;
    },
  },
];

const nextPlan = (ctx: DemoContext): string => join(ctx.workDir, 'reproject-1.6.plan.json');

let workload: DemoWorkload | undefined;

/** One execution through the state machine, one through its alias: both submit to reproject-a. */
async function startWorkflows(endpoint: string): Promise<void> {
  const sfn = new SFNClient(clientConfig(endpoint));
  try {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: workload?.stateMachines.byName,
        input: JSON.stringify({ url: 's3://demo/item-1' }),
      }),
    );
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: workload?.aliasArn,
        input: JSON.stringify({ items: [{ parameters: { url: 's3://demo/item-2' } }] }),
      }),
    );
  } finally {
    sfn.destroy();
  }
}

// The SDK's notice about future Node versions is for the project's maintainers (see CHANGELOG), not for the demo.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let emulator: Emulator | undefined;
let cli: ChildProcess | undefined;
const started = Date.now();
const workDir = mkdtempSync(join(tmpdir(), 'batchctl-demo-'));
const planPath = join(workDir, 'reproject.plan.json');

function say(message: string): void {
  process.stderr.write(`demo ▸ ${message}\n`);
}

function seconds(sinceMs: number): string {
  return `${((Date.now() - sinceMs) / 1000).toFixed(1)} s`;
}

/** The CLI's environment: the emulator as endpoint, fake credentials, and no shared config or instance metadata. */
function cliEnv(ctx: DemoContext): NodeJS.ProcessEnv {
  // Every AWS_* setting of the caller's shell (a profile, a session token, a role) is left out, so nothing the demo
  // does can reach a real account.
  const inherited = Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_'));
  return {
    ...Object.fromEntries(inherited),
    AWS_ENDPOINT_URL: ctx.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(ctx.workDir, 'nonexistent', 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(ctx.workDir, 'nonexistent', 'aws-credentials'),
  };
}

/** Runs `node bin/run.js <args>` in the repository with stdio inherited; resolves to its exit code. */
function runCli(args: string[], ctx: DemoContext): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, env: cliEnv(ctx), stdio: 'inherit' });
    cli = child;
    child.once('error', fail);
    child.once('exit', (code, signal) => {
      cli = undefined;
      done(code ?? 128 + (signal ? constants.signals[signal] : 1));
    });
  });
}

async function stopEmulator(): Promise<void> {
  const running = emulator;
  emulator = undefined;
  if (running) await running.stop();
}

/** The plan file is kept for reading after a run that wrote one; an empty temporary directory is not. */
function removeWorkDirUnlessPlanned(): void {
  if (!existsSync(planPath)) rmSync(workDir, { recursive: true, force: true });
}

async function main(): Promise<number> {
  try {
    say(`starting the AWS emulator (moto server ${MOTO_VERSION}, strict mode)`);
    const emulatorStart = Date.now();
    emulator = await startEmulator({ strict: true });
    say(`emulator ready at ${emulator.endpoint} (${seconds(emulatorStart)})`);
    const ctx: DemoContext = { endpoint: emulator.endpoint, workDir, planPath };
    for (const [index, phase] of PHASES.entries()) {
      say(`[${index + 1}/${PHASES.length}] ${phase.title}`);
      const code = await phase.run(ctx);
      if (code !== 0) {
        say(`phase ${index + 1} failed with exit code ${code} (see docs/exit-codes.md)`);
        return code;
      }
    }
    say(`plan file kept at ${ctx.planPath} for reading (it cannot be promoted once the emulator stops)`);
    return 0;
  } finally {
    await stopEmulator();
    removeWorkDirUnlessPlanned();
  }
}

function onSignal(signal: NodeJS.Signals): void {
  say(`${signal}: stopping the emulator`);
  cli?.kill(signal);
  void stopEmulator().finally(() => {
    rmSync(workDir, { recursive: true, force: true });
    process.exit(128 + constants.signals[signal]);
  });
}
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

void main()
  .catch((error: unknown) => {
    say(`failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  })
  .then((code) => {
    say(`${code === 0 ? 'done' : `exit code ${code}`} in ${seconds(started)}`);
    process.exit(code);
  });
