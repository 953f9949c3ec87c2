/**
 * The command surface as a user meets it: every command's --help documents the exit codes and loads neither the AWS
 * SDK nor listr2 (--help stays fast), bad flags end in oclif's usage exit code, and input is validated before any
 * AWS call. oclif's conventions through its official plugins (issue 8, item 7): `help`, `-h`, a typo's
 * suggestion, `autocomplete`, `commands`, `version`; with the build's manifest, help loads no command module.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

const heavy = (modules: string[]) => modules.filter((m) => m.includes('@aws-sdk') || m.includes('listr2'));
/** batchctl's own command modules (dist/commands/*.js): the manifest describes them, so help needs none of them. */
const commandModules = (modules: string[]) => modules.filter((m) => m.startsWith(join(REPO, 'dist', 'commands')));

describe.each(COMMANDS)('batchctl %s --help', (command) => {
  it('documents the exit codes and loads no command module, nor the AWS SDK, nor listr2', () => {
    const { code, stdout, modules } = run([command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('EXIT CODES');
    expect(stdout).toContain('8  locked: another swap is in progress on this workload');
    expect(heavy(modules)).toEqual([]);
    expect(commandModules(modules)).toEqual([]);
  });

  it('-h and `batchctl help <command>` print the same help', () => {
    const long = run([command, '--help']).stdout;
    const short = run([command, '-h']);
    expect(short.code).toBe(0);
    expect(short.stdout).toBe(long);
    const viaHelp = run(['help', command]);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(long);
    expect(viaHelp.stderr).toBe('');
    expect(heavy(viaHelp.modules)).toEqual([]);
    expect(commandModules(viaHelp.modules)).toEqual([]);
  });
});

describe('oclif conventions', () => {
  it.each([[['--help']], [['-h']], [['help']]])('%j lists every command, loading none of them', (args) => {
    const { code, stdout, stderr, modules } = run(args);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const command of [...COMMANDS, 'autocomplete', 'commands', 'help', 'version']) {
      expect(stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
    }
    expect(heavy(modules)).toEqual([]);
    expect(commandModules(modules)).toEqual([]);
  });

  it.each([[['version']], [['--version']]])('%j prints the version and loads no command module', (args) => {
    const { code, stdout, stderr, modules } = run(args);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(stdout).toMatch(new RegExp(`^batchctl/${version.replace(/\./g, '\\.')} \\S+ node-v`));
    expect(heavy(modules)).toEqual([]);
    expect(commandModules(modules)).toEqual([]);
  });

  it('--help and --version take oclif bundled into one file, as the build made it', () => {
    for (const args of [['--help'], ['promote', '--help'], ['--version']]) {
      const { code, modules } = run(args);
      expect(code).toBe(0);
      expect(modules).toContain(join(REPO, 'dist', 'oclif-bundle.js'));
      expect(modules.filter((m) => m.includes(join('node_modules', '@oclif', 'core')))).toEqual([]);
    }
  });

  it('the bundle prints exactly what @oclif/core as installed prints', () => {
    // The same package without dist/oclif-bundle.js: bin/run.js then loads @oclif/core from node_modules.
    const copy = mkdtempSync(join(tmpdir(), 'batchctl-unbundled-'));
    cpSync(join(REPO, 'bin'), join(copy, 'bin'), { recursive: true });
    cpSync(join(REPO, 'dist'), join(copy, 'dist'), { recursive: true });
    rmSync(join(copy, 'dist', 'oclif-bundle.js'));
    for (const file of ['package.json', 'oclif.manifest.json']) copyFileSync(join(REPO, file), join(copy, file));
    symlinkSync(join(REPO, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const cases = [[], ['--help'], ['-h'], ['--version'], ...COMMANDS.map((c) => [c, '--help']), ['status', '-h']];
    for (const args of cases) {
      const bundled = run(args);
      const installed = spawnSync(process.execPath, [join(copy, 'bin', 'run.js'), ...args], {
        cwd: REPO,
        env: cliEnv('http://127.0.0.1:9'),
        encoding: 'utf8',
      });
      expect({ args, code: bundled.code, stdout: bundled.stdout, stderr: bundled.stderr }).toEqual({
        args,
        code: installed.status,
        stdout: installed.stdout,
        stderr: installed.stderr,
      });
    }
  });

  it('commands lists every command without the AWS SDK or listr2', () => {
    // @oclif/plugin-commands loads each command class to build its result (lib/commands/commands.js), so command
    // modules do load here; what they import at the top must stay light.
    const { code, stdout, modules } = run(['commands', '--json']);
    expect(code).toBe(0);
    const ids = (JSON.parse(stdout) as { id: string }[]).map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining([...COMMANDS, 'autocomplete', 'commands', 'help', 'version']));
    expect(heavy(modules)).toEqual([]);
  });

  it('autocomplete prints the setup for a named shell', () => {
    const home = mkdtempSync(join(tmpdir(), 'batchctl-home-'));
    const { code, stdout } = run(['autocomplete', 'bash'], { HOME: home, XDG_CACHE_HOME: join(home, '.cache') });
    expect(code).toBe(0);
    expect(stdout).toContain('batchctl autocomplete script bash');
  });

  it('a typo without a terminal names the nearest command and exits 2 at once, asking nothing', () => {
    // spawnSync gives the child a pipe, not a TTY, on stdin: @oclif/plugin-not-found would otherwise prompt.
    const { code, stdout, stderr, modules } = run(['promte', 'plans/reproject.plan.json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(
      'Error: "promte" is not a batchctl command. Did you mean "promote"? Run batchctl help for the commands.',
    );
    expect(heavy(modules)).toEqual([]);
    expect(commandModules(modules)).toEqual([]);
  });

  it('help for a mistyped command names the nearest one too', () => {
    const { code, stderr } = run(['help', 'promte']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(
      'Error: "promte" is not a batchctl command. Did you mean "promote"? Run batchctl help for the commands.',
    );
  });

  it('a word that is no typo of a command gets no suggestion', () => {
    const { code, stderr } = run(['deploy']);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('Error: "deploy" is not a batchctl command. Run batchctl help for the commands.');
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
