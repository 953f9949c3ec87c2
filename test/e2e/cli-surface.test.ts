/**
 * The command surface as a user meets it: every command's --help documents the exit codes and loads neither the AWS
 * SDK nor listr2 (--help stays fast), bad flags end in oclif's usage exit code, and input is validated before any
 * AWS call.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BIN, cliEnv, REPO } from '../support/cli';

const COMMANDS = ['plan', 'show', 'promote', 'drain', 'retire', 'rollback', 'status'];
const dir = mkdtempSync(join(tmpdir(), 'batchctl-e2e-'));

function run(
  args: string[],
  extraEnv: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string; modules: string[] } {
  const out = join(dir, `modules-${args.join('-').replace(/[^a-z-]/gi, '')}.txt`);
  const result = spawnSync(process.execPath, ['-r', join(__dirname, 'track-modules.js'), BIN, ...args], {
    cwd: REPO,
    env: { ...cliEnv('http://127.0.0.1:9'), BATCHCTL_MODULES_OUT: out, ...extraEnv },
    encoding: 'utf8',
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    modules: readFileSync(out, 'utf8').split('\n'),
  };
}

describe.each(COMMANDS)('batchctl %s --help', (command) => {
  it('documents the exit codes and loads neither the AWS SDK nor listr2', () => {
    const { code, stdout, modules } = run([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('EXIT CODES');
    expect(stdout).toContain('8  locked: another swap is in progress on this workload');
    expect(modules.filter((m) => m.includes('@aws-sdk') || m.includes('listr2'))).toEqual([]);
  });
});

it('an unknown flag ends with the usage exit code 2', () => {
  expect(run(['plan', 'plans/reproject.yaml', '--no-such-flag']).code).toBe(2);
});

it('a bad duration is a usage error (exit 2), refused before any AWS call', () => {
  const plan = join(dir, 'p.json');
  writeFileSync(plan, '{}');
  const { code, stderr, modules } = run(['promote', plan, '--yes', '--grace', 'soon']);
  expect(code).toBe(2);
  expect(stderr.trim()).toBe('Error: --grace "soon" is not a duration; use e.g. 30s, 5m or 2h.');
  expect(modules.filter((m) => m.includes('@aws-sdk'))).toEqual([]);
});

it('promote with a plan file that does not exist fails with exit 3, naming the file', () => {
  const { code, stderr } = run(['promote', join(REPO, 'test', 'fixtures', 'no-such.plan.json')]);
  expect(code).toBe(3);
  expect(stderr).toContain('Cannot read plan');
});
