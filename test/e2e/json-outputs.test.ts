/**
 * The documents `plan`, `status` and `drain` really print under --json, against the emulator with the demo workload,
 * validated against the published schemas in docs/schemas/ (issue 8, item 6). One emulator, read-only commands.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Ajv from 'ajv';

import { startEmulator, type Emulator } from '../emulator';
import { cliEnv, REPO, runCli } from '../support/cli';
import { seedDemoWorkload } from '../support/demo-workload';

jest.setTimeout(120_000);

const SPEC = join(REPO, 'plans', 'reproject.yaml');
const ajv = new Ajv({ strict: false, allErrors: true });
const validator = (name: string) =>
  ajv.compile(JSON.parse(readFileSync(join(REPO, 'docs', 'schemas', `${name}.schema.json`), 'utf8')));

let emulator: Emulator;
const dir = mkdtempSync(join(tmpdir(), 'batchctl-json-outputs-'));

beforeAll(async () => {
  emulator = await startEmulator();
  await seedDemoWorkload({ endpoint: emulator.endpoint });
});

afterAll(async () => {
  await emulator?.stop();
});

/** stdout parsed as one document and checked against `schema`; the errors ajv found are shown on failure. */
function expectValid(schema: string, stdout: string): Record<string, unknown> {
  const doc = JSON.parse(stdout) as Record<string, unknown>;
  const validate = validator(schema);
  validate(doc);
  expect(validate.errors ?? []).toEqual([]);
  return doc;
}

it('plan --json: a plan result that validates, the plan file inside it too', async () => {
  const out = join(dir, 'reproject.plan.json');
  const result = await runCli(['plan', SPEC, '--out', out, '--json'], cliEnv(emulator.endpoint));
  expect(result.code).toBe(0);
  const doc = expectValid('plan-result', result.stdout);
  expect(doc).toMatchObject({ schemaVersion: 'batchctl/plan/1', status: 'ready', planPath: out });
  expect((doc.plan as { format: string }).format).toBe('batchctl-plan/1');
  // The file written is the plan in the document, and it validates against the published plan-file schema.
  const written = readFileSync(out, 'utf8');
  expectValid('plan-file', written);
  expect(JSON.parse(written)).toEqual(doc.plan);
});

it('status --json validates', async () => {
  const result = await runCli(['status', SPEC, '--json'], cliEnv(emulator.endpoint));
  expect(result.code).toBe(0);
  expect(expectValid('status-result', result.stdout)).toMatchObject({
    schemaVersion: 'batchctl/status/1',
    workload: 'reproject',
  });
});

it('drain --json (a report, no --wait) validates, with the exit code its `drained` says', async () => {
  const result = await runCli(['drain', 'reproject-a', '--json'], cliEnv(emulator.endpoint));
  const doc = expectValid('drain-result', result.stdout);
  expect(doc.schemaVersion).toBe('batchctl/drain/1');
  expect(result.code).toBe(doc.drained ? 0 : 7);
});

it('an error from the service side is the error document too', async () => {
  const result = await runCli(['drain', 'no-such-queue', '--json'], cliEnv(emulator.endpoint));
  const doc = expectValid('error', result.stdout) as { error: { exitCode: number } };
  expect(result.code).toBe(doc.error.exitCode);
  expect(result.code).not.toBe(0);
});
