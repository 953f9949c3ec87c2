/**
 * Output people can review (issue 8, item 8), through the built CLI against the emulator with the demo workload:
 * `show` re-renders a plan file a real `plan` run wrote — offline (no AWS SDK loaded, no endpoint reachable), the
 * same report, --json valid against its published schema, an edited file still shown with its fingerprint status —
 * and the closing lines of `promote --no-retire` and `retire` say what those runs did.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Ajv from 'ajv';

import { startEmulator, type Emulator } from '../emulator';
import { BIN, cliEnv, REPO, runCli } from '../support/cli';
import { seedDemoWorkload } from '../support/demo-workload';

jest.setTimeout(180_000);

const SPEC = join(REPO, 'plans', 'reproject.yaml');
const FAST = ['--yes', '--grace', '0.2s', '--poll-interval', '0.2s'];
const dir = mkdtempSync(join(tmpdir(), 'batchctl-review-output-'));
const planPath = join(dir, 'reproject.plan.json');

let emulator: Emulator;
let planned: { code: number | null; stdout: string };

beforeAll(async () => {
  emulator = await startEmulator();
  await seedDemoWorkload({ endpoint: emulator.endpoint });
  planned = await runCli(['plan', SPEC, '--out', planPath], cliEnv(emulator.endpoint));
});

afterAll(async () => {
  await emulator?.stop();
});

/**
 * `batchctl show` with nothing to talk to: the endpoint is a closed port, and every module the process loaded is
 * recorded (test/e2e/track-modules.js).
 */
function showOffline(
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; stdout: string; modules: string[] } {
  const out = join(dir, `modules-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  const result = spawnSync(process.execPath, ['-r', join(__dirname, 'track-modules.js'), BIN, 'show', ...args], {
    cwd: REPO,
    env: { ...cliEnv('http://127.0.0.1:9'), BATCHCTL_MODULES_OUT: out, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, modules: readFileSync(out, 'utf8').split('\n') };
}

describe('batchctl show <plan>', () => {
  it('prints the report plan printed, offline, with the fingerprint status first', () => {
    expect(planned.code).toBe(0);
    const shown = showOffline([planPath]);
    expect(shown.code).toBe(0);
    expect(shown.modules.filter((m) => m.includes('@aws-sdk') || m.includes('listr2'))).toEqual([]);
    const [first, blank, ...rest] = shown.stdout.split('\n');
    expect(first).toMatch(new RegExp(`^Plan file ${planPath}: fingerprint intact \\(written .+ by batchctl .+\\)\\.`));
    expect(blank).toBe('');
    // Everything up to the summary line is what plan printed, byte for byte; only the closing lines differ.
    const body = planned.stdout.split('\nPlan written to ')[0] as string;
    expect(rest.join('\n')).toBe(`${body}\nPlan ${planPath}: ready.\nNext: batchctl promote ${planPath}\n`);
    expect(body).toMatch(/\nPlan: \d+ to create, \d+ to repoint, \d+ to delete\.$/);
    expect(body).toContain('  + job queue reproject-b  (copy of reproject-a)');
  });

  it('--json: the plan document with its fingerprint status, valid against docs/schemas/show-result.schema.json', () => {
    const shown = showOffline([planPath, '--json']);
    expect(shown.code).toBe(0);
    const doc = JSON.parse(shown.stdout) as Record<string, unknown>;
    const schema = JSON.parse(readFileSync(join(REPO, 'docs', 'schemas', 'show-result.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    const file = JSON.parse(readFileSync(planPath, 'utf8')) as { digest: string; diff: unknown };
    expect(doc).toMatchObject({
      schemaVersion: 'batchctl/show/1',
      planPath,
      status: 'ready',
      fingerprint: { status: 'intact', digest: file.digest },
    });
    expect(doc.plan).toEqual(file);
    expect(doc.diff).toEqual(file.diff);
    expect(shown.stdout).not.toContain('\u001b[');
  });

  it('colours on request (FORCE_COLOR), never under --json, and not with NO_COLOR', () => {
    const forced = showOffline([planPath], { FORCE_COLOR: '1', NO_COLOR: '' });
    expect(forced.stdout).toContain('\u001b[32m  + job queue reproject-b  (copy of reproject-a)\u001b[39m');
    expect(showOffline([planPath, '--json'], { FORCE_COLOR: '1', NO_COLOR: '' }).stdout).not.toContain('\u001b[');
    expect(showOffline([planPath], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toContain('\u001b[');
  });

  it('shows an edited plan with its fingerprint status, and exits 3 as promote would refuse it', () => {
    const edited = join(dir, 'edited.plan.json');
    const plan = JSON.parse(readFileSync(planPath, 'utf8')) as { target: { jobQueue: { name: string } } };
    plan.target.jobQueue.name = 'reproject-evil';
    writeFileSync(edited, JSON.stringify(plan, null, 2));
    const shown = showOffline([edited]);
    expect(shown.code).toBe(3);
    expect(shown.stdout.split('\n')[0]).toContain(`Plan file ${edited}: EDITED after it was written`);
    expect(shown.stdout).toContain('new revision B: job queue reproject-evil');
    const json = showOffline([edited, '--json']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ fingerprint: { status: 'edited' } });
  });

  it('a file that is not a plan is an error naming it (exit 3)', () => {
    const broken = join(dir, 'broken.plan.json');
    writeFileSync(broken, '{"format": "batchctl-plan/1", "id": ');
    const shown = showOffline([broken, '--json']);
    expect(shown.code).toBe(3);
    expect(JSON.parse(shown.stdout)).toMatchObject({ error: { code: 'PlanMalformed' } });
  });
});

describe('closing lines of promote --no-retire and retire', () => {
  it('promote names the real plan path for retire; retire says what it deleted, not "Promoted … repointed"', async () => {
    const env = cliEnv(emulator.endpoint);
    const promoted = await runCli(['promote', planPath, ...FAST, '--no-retire'], env);
    expect(promoted.code).toBe(0);
    expect(promoted.stdout).toMatch(
      /^Promoted reproject to B \(reproject-b\): \d+ resources created, 2 state machines repointed in \d+s; A \(reproject-a\) is kept, drained and disabled\. /,
    );
    expect(promoted.stdout).toContain(`Delete it later with: batchctl retire ${planPath}\n`);

    const retired = await runCli(['retire', planPath, ...FAST], env);
    expect(retired.code).toBe(0);
    expect(retired.stdout).toMatch(
      /^Retired A \(reproject-a\) of reproject: \d+ resources \(1 job queue, [^)]*\) deleted in \d+s\.\n$/,
    );
    expect(retired.stdout).not.toContain('Promoted');
    expect(retired.stdout).not.toContain('repointed');
  });
});
