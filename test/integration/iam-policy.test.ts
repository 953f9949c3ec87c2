/**
 * The generated IAM policies (docs/iam/<command>.json, `npm run iam`) against what the commands really send: each
 * command runs through a recording proxy in front of the emulator, and every AWS call it makes must be allowed by
 * its policy. The static analysis that writes the policies over-approximates; this is the check that it never
 * under-approximates on the paths a swap really takes (plan, promote --no-retire, drain with and without --wait,
 * status mid-swap, retire, then a swap back and its rollback).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEmulator, type Emulator } from '../emulator';
import { cliEnv, REPO, runCli } from '../support/cli';
import { seedDemoWorkload } from '../support/demo-workload';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { writeBackToASpec } from '../support/specs';

jest.setTimeout(300_000);

const FAST = ['--yes', '--grace', '0.2s', '--poll-interval', '0.2s'];
/** The recording proxy names services by their endpoint's signing name; IAM names Step Functions `states`. */
const IAM_PREFIX: Record<string, string> = { sfn: 'states' };

let emulator: Emulator;
let proxy: FaultProxy;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator();
  await seedDemoWorkload({ endpoint: emulator.endpoint });
  proxy = await startFaultProxy(emulator.endpoint);
  dir = mkdtempSync(join(tmpdir(), 'batchctl-iam-'));
});

afterAll(async () => {
  await proxy.close();
  await emulator.stop();
});

/** The actions a generated policy allows, lower-cased (the proxy sees Batch's REST paths in lower case). */
function allowed(command: string): Set<string> {
  const policy = JSON.parse(readFileSync(join(REPO, 'docs', 'iam', `${command}.json`), 'utf8')) as {
    Statement: { Action: string[] }[];
  };
  return new Set(policy.Statement.flatMap((s) => s.Action.map((a) => a.toLowerCase())));
}

/** Runs one command through the proxy; returns the IAM actions of the calls it made that its policy lacks. */
async function run(command: string, args: string[], expectedCode = 0): Promise<{ made: string[]; missing: string[] }> {
  proxy.resetCount();
  const result = await runCli([command, ...args], cliEnv(proxy.endpoint, { CI: 'true' }));
  expect({ command, code: result.code, stderr: result.stderr }).toMatchObject({ code: expectedCode });
  const made = [
    ...new Set(
      proxy.operations.map((call) => {
        const [service = '', op = ''] = call.split(':');
        return `${IAM_PREFIX[service] ?? service}:${op}`.toLowerCase();
      }),
    ),
  ].sort();
  const policy = allowed(command);
  return { made, missing: made.filter((action) => !policy.has(action)) };
}

it('every call each command makes in a swap, a swap back and a rollback is allowed by its generated policy', async () => {
  const spec = join(dir, 'reproject.yaml');
  writeFileSync(spec, readFileSync(join(REPO, 'plans', 'reproject.yaml'), 'utf8'));
  const forth = join(dir, 'forth.plan.json');
  const back = join(dir, 'back.plan.json');
  const missing: Record<string, string[]> = {};
  const record = (label: string, r: { made: string[]; missing: string[] }): string[] => {
    if (r.missing.length) missing[label] = r.missing;
    return r.made;
  };

  record('status (before)', await run('status', [spec]));
  const planned = record('plan', await run('plan', [spec, '--out', forth]));
  expect(planned).toEqual(
    expect.arrayContaining([
      'batch:describejobqueues',
      'states:liststatemachines',
      'events:listrules',
      'lambda:listfunctions',
    ]),
  );
  const promoted = record('promote --no-retire', await run('promote', [forth, ...FAST, '--no-retire']));
  // The recording is real: promote created B through the proxy.
  expect(promoted).toEqual(expect.arrayContaining(['batch:createjobqueue', 'ssm:putparameter']));
  record('drain', await run('drain', ['reproject-a']));
  record('drain --wait', await run('drain', ['reproject-a', '--wait', '--yes', '--poll-interval', '0.2s']));
  record('status (drained)', await run('status', [spec]));
  record('retire', await run('retire', [forth, ...FAST]));
  record('plan (back)', await run('plan', [writeBackToASpec(dir), '--replace', '--out', back]));
  record('promote (back) --no-retire', await run('promote', [back, ...FAST, '--no-retire']));
  const rolledBack = record('rollback', await run('rollback', [back, ...FAST]));
  expect(rolledBack).toEqual(expect.arrayContaining(['batch:deletejobqueue']));

  expect(missing).toEqual({});
});
