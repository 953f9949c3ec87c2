/**
 * A release pipeline against the emulator, driven through the built CLI (issue 8, "What must be shown"): one spec
 * file, never edited, with `${var.image}`; three swaps A → B → A → B, each with another `--var image=…`, and
 * `status --json` before, during (the drain holding on an execution in flight; `drained` after `--no-retire`) and
 * after each; then a fourth plan with the last round's value exits 11 "no changes" and writes no plan, and
 * `plan --replace` plans a swap that promotes. Also: a plan copied alone to another directory, spec deleted,
 * promotes; a spec carrying a secret makes promote need the spec file again, and says so in one line.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  BatchClient,
  DescribeJobDefinitionsCommand,
  DescribeJobQueuesCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
} from '@aws-sdk/client-batch';
import Ajv from 'ajv';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

import { ExitCode } from '../../src/exit-codes';
import type { StatusResult } from '../../src/services/status';
import { startEmulator, type Emulator } from '../emulator';
import { cliEnv, REPO, runCli, type CliResult } from '../support/cli';
import { clientConfig, type DemoWorkload, seedDemoWorkload } from '../support/demo-workload';
import { makeAdhocRunnable } from '../support/runnable-adhoc';
import { waitFor } from '../support/wait';

jest.setTimeout(600_000);

/** Long enough that the drain still waits for the execution when status looks; the execution's job sleeps this long. */
const JOB_SLEEP = ['sleep', '30'];
const FAST = ['--yes', '--grace', '1s', '--poll-interval', '0.5s'];
const IMAGE = (n: number): string => `123456789012.dkr.ecr.us-east-1.amazonaws.com/reproject:1.${n}`;

/** The pipeline's spec: the workload, its scope and what each release sets. No `live`, no revision name. */
const SPEC = `version: 1
workload: reproject
changes:
  computeEnvironment:
    computeResources:
      maxvCpus: 512
  jobDefinitions:
    reproject:
      containerProperties:
        image: \${var.image}
stateMachines:
  all: true
`;

let emulator: Emulator;
let workload: DemoWorkload;
let batch: BatchClient;
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
  workload = await seedDemoWorkload({ endpoint: emulator.endpoint });
  batch = new BatchClient(clientConfig(emulator.endpoint));
  sfn = new SFNClient(clientConfig(emulator.endpoint));
  dir = mkdtempSync(join(tmpdir(), 'batchctl-release-'));
});
afterEach(() => {
  batch.destroy();
  sfn.destroy();
});

const env = (): NodeJS.ProcessEnv => cliEnv(emulator.endpoint, { CI: 'true' });

async function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { ...env(), ...extraEnv }, { timeoutMs: 240_000 });
}

async function status(spec: string): Promise<StatusResult> {
  const result = await cli(['status', spec, '--json']);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as StatusResult;
}

/** The live queue's standing namesakes and the image its job definition (named by the state machines) runs. */
async function standingQueues(): Promise<string[]> {
  const queues = (await batch.send(new DescribeJobQueuesCommand({}))).jobQueues ?? [];
  return queues
    .filter((q) => q.status !== 'DELETED' && q.status !== 'DELETING')
    .map((q) => q.jobQueueName ?? '')
    .sort();
}

async function latestImage(jobDefinitionName: string): Promise<string | undefined> {
  const found =
    (await batch.send(new DescribeJobDefinitionsCommand({ jobDefinitionName, status: 'ACTIVE' }))).jobDefinitions ?? [];
  return found.sort((x, y) => (y.revision ?? 0) - (x.revision ?? 0))[0]?.containerProperties?.image;
}

/** Starts reproject-adhoc (it submits to the live queue) and waits until its job runs there. */
async function executionInFlight(queue: string): Promise<void> {
  await sfn.send(
    new StartExecutionCommand({ stateMachineArn: workload.stateMachines.byName, input: '{"url":"s3://x"}' }),
  );
  await waitFor(
    async () =>
      ((await batch.send(new ListJobsCommand({ jobQueue: queue, jobStatus: 'RUNNING' }))).jobSummaryList?.length ?? 0) >
      0,
    { timeoutMs: 60_000, what: `the execution's job to run on ${queue}` },
  );
}

/**
 * One release: plan with this round's image, status before, promote while an execution holds the drain (status must
 * show `draining` with that execution counted on the old queue), status after.
 */
async function release(
  spec: string,
  round: number,
  from: { revision: 'a' | 'b'; queue: string },
  to: { revision: 'a' | 'b'; queue: string },
  options: { noRetire?: boolean } = {},
): Promise<void> {
  const planned = await cli(['plan', spec, '--var', `image=${IMAGE(round)}`]);
  expect({ round, code: planned.code, stderr: planned.stderr }).toEqual({ round, code: 0, stderr: '' });
  const planPath = join(dir, 'release.plan.json');
  expect(planned.stdout).toContain(
    `job queue ${from.queue}  →  new revision ${to.revision.toUpperCase()}: job queue ${to.queue}`,
  );

  const before = await status(spec);
  expect(before.live).toEqual(from);
  expect(before.swap.phase).toBe('none');

  await executionInFlight(from.queue);
  const promoting = cli(['promote', planPath, ...FAST, ...(options.noRetire ? ['--no-retire'] : [])]);
  const during = await waitFor(
    async () => {
      const now = await status(spec);
      return now.swap.phase === 'draining' ? now : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 500, what: `status to show round ${round}'s drain` },
  );
  expect(during.live).toEqual(to);
  const old = during.queues.find((q) => q.name === from.queue);
  expect(old).toMatchObject({ state: 'ENABLED', referencedBy: [] });
  expect(old?.executions).toBeGreaterThan(0);
  expect(during.queues.find((q) => q.name === to.queue)?.referencedBy.length).toBeGreaterThan(0);

  const promoted = await promoting;
  expect({ round, code: promoted.code, stderr: promoted.stderr.split('\n').slice(-3) }).toMatchObject({
    round,
    code: 0,
  });
  if (options.noRetire) {
    const drained = await status(spec);
    expect(drained.swap.phase).toBe('drained');
    expect(drained.live).toEqual(to);
    expect(drained.queues.find((q) => q.name === from.queue)).toMatchObject({ state: 'DISABLED' });
    const retired = await cli(['retire', planPath, ...FAST]);
    expect(retired.code).toBe(0);
  }

  const after = await status(spec);
  expect(after.live).toEqual(to);
  expect(after.swap.phase).toBe('none');
  expect(after.queues.map((q) => q.name)).toEqual([to.queue]);
  expect(await standingQueues()).toEqual([to.queue, 'reports'].sort());
  expect(await latestImage(to.revision === 'a' ? 'reproject-a' : 'reproject-b')).toBe(IMAGE(round));
}

it('one unedited spec, three swaps A → B → A → B by variable, status right before, during and after each; then no changes (exit 11) and a forced swap', async () => {
  const spec = join(dir, 'release.yaml');
  writeFileSync(spec, SPEC);
  await makeAdhocRunnable(emulator.endpoint, workload.stateMachines.byName, JOB_SLEEP);
  const A = { revision: 'a' as const, queue: 'reproject-a' };
  const B = { revision: 'b' as const, queue: 'reproject-b' };

  await release(spec, 1, A, B);
  await release(spec, 2, B, A);
  await release(spec, 3, A, B, { noRetire: true });
  expect(readFileSync(spec, 'utf8')).toBe(SPEC);

  // The fourth plan, with the third round's value: nothing to do, no plan file written.
  const planPath = join(dir, 'release.plan.json');
  rmSync(planPath);
  const same = await cli(['plan', spec, '--var', `image=${IMAGE(3)}`]);
  expect(same.code).toBe(ExitCode.NoChanges);
  expect(same.stdout.split('\n')[0]).toBe(
    'No changes: reproject already runs revision B (job queue reproject-b) as specified.',
  );
  expect(existsSync(planPath)).toBe(false);
  // The variable from the environment, and the JSON document.
  const json = await cli(['plan', spec, '--json'], { BATCHCTL_VAR_image: IMAGE(3) });
  expect(json.code).toBe(ExitCode.NoChanges);
  const document = JSON.parse(json.stdout) as unknown;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(
    JSON.parse(readFileSync(join(REPO, 'docs', 'schemas', 'plan-result.schema.json'), 'utf8')) as object,
  );
  validate(document);
  expect(validate.errors ?? []).toEqual([]);
  expect(document).toMatchObject({
    schemaVersion: 'batchctl/plan/1',
    changes: false,
    status: 'no-changes',
    live: B,
  });
  expect(existsSync(planPath)).toBe(false);

  // A forced swap: fresh instances behind unchanged settings.
  const forced = await cli(['plan', spec, '--var', `image=${IMAGE(3)}`, '--replace']);
  expect(forced.code).toBe(0);
  expect(existsSync(planPath)).toBe(true);
  expect((await cli(['promote', planPath, ...FAST])).code).toBe(0);
  const after = await status(spec);
  expect(after.live).toEqual(A);
  expect(after.swap.phase).toBe('none');
  expect(await latestImage('reproject-a')).toBe(IMAGE(3));
  expect(await emulator.violations()).toEqual([]);
});

it('a plan copied alone to another directory, its spec deleted, promotes', async () => {
  const spec = join(dir, 'release.yaml');
  writeFileSync(spec, SPEC);
  expect((await cli(['plan', spec, '--var', `image=${IMAGE(1)}`])).code).toBe(0);
  const elsewhere = mkdtempSync(join(tmpdir(), 'batchctl-artefact-'));
  const copied = join(elsewhere, 'release.plan.json');
  copyFileSync(join(dir, 'release.plan.json'), copied);
  rmSync(dir, { recursive: true });

  const promoted = await cli(['promote', copied, ...FAST]);
  expect({ code: promoted.code, stderr: promoted.stderr.split('\n').slice(-3) }).toMatchObject({ code: 0 });
  expect(await standingQueues()).toEqual(['reports', 'reproject-b']);
  expect(await latestImage('reproject-b')).toBe(IMAGE(1));
});

it('a spec carrying a secret: the plan holds it redacted, and promote needs the spec file again, digest-checked', async () => {
  const token = 'tok-0a1b2c3d4e5f-release';
  const spec = join(dir, 'secret.yaml');
  const withSecret = SPEC.replace(
    '        image: ${var.image}\n',
    '        image: ${var.image}\n        environment:\n          - name: API_TOKEN\n            value: ${var.token}\n',
  );
  expect(withSecret).toContain('${var.token}');
  writeFileSync(spec, withSecret);
  const planned = await cli(['plan', spec, '--var', `image=${IMAGE(1)}`, '--var', `token=${token}`]);
  expect(planned.code).toBe(0);
  const planPath = join(dir, 'secret.plan.json');
  expect(readFileSync(planPath, 'utf8')).not.toContain(token);
  expect(planned.stdout).not.toContain(token);

  // Alone, it cannot be promoted, and one line says why.
  const elsewhere = mkdtempSync(join(tmpdir(), 'batchctl-artefact-'));
  copyFileSync(planPath, join(elsewhere, 'secret.plan.json'));
  const alone = await cli(['promote', join(elsewhere, 'secret.plan.json'), ...FAST]);
  expect(alone.code).toBe(ExitCode.InvalidInput);
  expect(alone.stderr.trim().split('\n').pop()).toMatch(
    /^Error: Step preflight failed: Plan p-[0-9a-f]{12} embeds its spec with secrets redacted \(changes\.jobDefinitions\.reproject\.containerProperties\.environment\.0\.value\), so promote also needs the spec file, and ".*secret\.yaml" cannot be read: keep secret\.yaml beside the plan as `batchctl plan` wrote it\.$/,
  );
  // Beside its spec, the secret's variable must be given again, with the value planned.
  const wrong = await cli(['promote', planPath, ...FAST], { BATCHCTL_VAR_token: 'another' });
  expect(wrong.code).toBe(ExitCode.StalePlan);
  expect(wrong.stderr).toContain('differs from the one plan');
  const right = await cli(['promote', planPath, ...FAST], { BATCHCTL_VAR_token: token });
  expect({ code: right.code, stderr: right.stderr.split('\n').slice(-3) }).toMatchObject({ code: 0 });
  expect(await standingQueues()).toEqual(['reports', 'reproject-b']);
});

it('a job definition the spec lists under jobDefinitions by its first name is found on every revision', async () => {
  // Submitted from outside the state machines, so only the spec's list makes it part of the workload.
  await batch.send(
    new RegisterJobDefinitionCommand({
      jobDefinitionName: 'reproject-report',
      type: 'container',
      containerProperties: {
        image: IMAGE(0),
        command: ['report'],
        resourceRequirements: [
          { type: 'VCPU', value: '1' },
          { type: 'MEMORY', value: '512' },
        ],
      },
    }),
  );
  const spec = join(dir, 'release.yaml');
  writeFileSync(
    spec,
    `${SPEC}jobDefinitions:\n  - reproject-report\n`.replace(
      '  jobDefinitions:\n',
      '  jobDefinitions:\n    reproject-report:\n      containerProperties:\n        image: ${var.image}\n',
    ),
  );
  const planPath = join(dir, 'release.plan.json');
  for (const [round, label] of [
    [1, 'b'],
    [2, 'a'],
  ] as const) {
    const planned = await cli(['plan', spec, '--var', `image=${IMAGE(round)}`]);
    expect({ round, code: planned.code, stderr: planned.stderr }).toEqual({ round, code: 0, stderr: '' });
    expect(planned.stdout).toContain(`+ job definition reproject-report-${label}`);
    expect((await cli(['promote', planPath, ...FAST])).code).toBe(0);
    expect(await latestImage(`reproject-report-${label}`)).toBe(IMAGE(round));
  }
});

it('live.jobQueue naming a queue a swap deleted: plan says so in a note and uses the tagged live queue', async () => {
  // The demo spec pins live.jobQueue: reproject-a, the first adoption's queue.
  const spec = join(dir, 'reproject.yaml');
  writeFileSync(spec, readFileSync(join(REPO, 'plans', 'reproject.yaml'), 'utf8'));
  expect((await cli(['plan', spec])).code).toBe(0);
  expect((await cli(['promote', join(dir, 'reproject.plan.json'), ...FAST])).code).toBe(0);

  const again = await cli(['plan', spec]);
  const note =
    "Note: live.jobQueue names reproject-a, which no longer exists; the workload's live queue is reproject-b (tagged batchctl:workload=reproject).";
  expect(again.stdout.split('\n').slice(0, 2)).toEqual([
    note,
    'No changes: reproject already runs revision B (job queue reproject-b) as specified.',
  ]);
  expect(again.code).toBe(ExitCode.NoChanges);
  const forced = await cli(['plan', spec, '--replace', '--json']);
  expect(forced.code).toBe(0);
  expect(JSON.parse(forced.stdout)).toMatchObject({
    changes: true,
    status: 'ready',
    notes: [note.slice('Note: '.length)],
    plan: { live: { queue: { name: 'reproject-b' } }, target: { jobQueue: { name: 'reproject-a' } } },
  });
});
