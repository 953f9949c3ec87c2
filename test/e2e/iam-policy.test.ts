/**
 * `batchctl iam-policy <command>` prints the generated policy (docs/iam/<command>.json) as it is, loading no AWS SDK,
 * and knows every command that has one.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { POLICY_COMMANDS } from '../../src/commands/iam-policy';
import { BIN, cliEnv, REPO } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'batchctl-iam-policy-'));

function run(args: string[]): { code: number | null; stdout: string; stderr: string; modules: string[] } {
  const out = join(dir, `modules-${args.join('-')}.txt`);
  const result = spawnSync(process.execPath, ['-r', join(__dirname, 'track-modules.js'), BIN, ...args], {
    cwd: dir, // not the repository: the policy comes from the installed package's docs/iam
    env: { ...cliEnv(undefined), BATCHCTL_MODULES_OUT: out },
    encoding: 'utf8',
  });
  return {
    code: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    modules: readFileSync(out, 'utf8').split('\n'),
  };
}

it('has a policy for every command that has one in docs/iam', () => {
  expect([...POLICY_COMMANDS].sort()).toEqual(
    readdirSync(join(REPO, 'docs', 'iam'))
      .map((f) => f.replace(/\.json$/, ''))
      .sort(),
  );
});

it.each([...POLICY_COMMANDS])('iam-policy %s prints its policy from docs/iam, loading no AWS SDK', (command) => {
  const { code, stdout, modules } = run(['iam-policy', command]);
  expect(code).toBe(0);
  expect(stdout).toBe(readFileSync(join(REPO, 'docs', 'iam', `${command}.json`), 'utf8'));
  expect(JSON.parse(stdout)).toMatchObject({ Version: '2012-10-17' });
  expect(modules.filter((m) => m.includes('@aws-sdk') || m.includes('listr2'))).toEqual([]);
});

it('a command without a policy is a usage error (exit 2) naming the ones that have one', () => {
  const { code, stderr } = run(['iam-policy', 'show']);
  expect(code).toBe(2);
  expect(stderr).toContain('plan, promote, retire, rollback, drain');
});
