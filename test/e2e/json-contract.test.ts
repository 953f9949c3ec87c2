/**
 * The --json contract as a pipeline meets it (issue 8, item 6), and the flag habits of item 9: every failure under
 * --json is one small error document on stdout that validates against docs/schemas/error.schema.json, with the
 * documented exit code, and nothing on stdout but that document. None of these cases reaches AWS.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Ajv from 'ajv';

import { BIN, cliEnv, REPO } from '../support/cli';

const dir = mkdtempSync(join(tmpdir(), 'batchctl-json-'));
const validateError = new Ajv({ strict: false, allErrors: true }).compile(
  JSON.parse(readFileSync(join(REPO, 'docs', 'schemas', 'error.schema.json'), 'utf8')),
);
const spec = join(REPO, 'plans', 'reproject.yaml');
const planFile = join(dir, 'p.json');
writeFileSync(planFile, '{}');

function run(args: string[], extraEnv: Record<string, string | undefined> = {}) {
  const modulesOut = join(dir, `modules-${Math.random().toString(36).slice(2)}.txt`);
  const result = spawnSync(process.execPath, ['-r', join(__dirname, 'track-modules.js'), BIN, ...args], {
    cwd: dir,
    env: cliEnv('http://127.0.0.1:9', { BATCHCTL_MODULES_OUT: modulesOut, ...extraEnv }),
    encoding: 'utf8',
  });
  const modules = existsSync(modulesOut) ? readFileSync(modulesOut, 'utf8').split('\n') : [];
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, modules };
}

/** The one document on stdout, checked against the published schema; its exit code is the process's. */
function errorOf(result: ReturnType<typeof run>): {
  code: string;
  message: string;
  exitCode: number;
  suggestions: string[];
} {
  const doc = JSON.parse(result.stdout) as {
    schemaVersion: string;
    error: { code: string; message: string; exitCode: number; suggestions: string[] };
  };
  expect(validateError(doc)).toBe(true);
  expect(doc.schemaVersion).toBe('batchctl/error/1');
  expect(doc.error.exitCode).toBe(result.code);
  expect(result.stdout.length).toBeLessThan(1000);
  expect(result.stderr).toBe('');
  return doc.error;
}

const sdkLoaded = (modules: string[]) => modules.filter((m) => m.includes('@aws-sdk') || m.includes('listr2'));

describe('oclif’s own command-line errors under --json', () => {
  it.each([
    ['an unknown flag', ['plan', spec, '--no-such-flag', '--json'], 'UnknownFlag', 'Nonexistent flag: --no-such-flag'],
    ['a missing argument', ['promote', '--json'], 'MissingArgument', 'Missing 1 required arg: plan'],
    ['an unexpected argument', ['status', spec, 'extra', '--json'], 'UnexpectedArgument', 'Unexpected argument: extra'],
    ['a flag without its value', ['plan', spec, '--json', '--out'], 'InvalidFlagValue', 'Flag --out expects a value'],
    ['an unknown command', ['promte', 'x', '--json'], 'UnknownCommand', '"promte" is not a batchctl command.'],
  ])('%s: one small document, exit 2, no framework internals', (_what, args, code, message) => {
    const result = run(args);
    expect(result.code).toBe(2);
    const error = errorOf(result);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(result.stdout).not.toMatch(/pjson|"parse"|"oclif"/);
    expect(sdkLoaded(result.modules)).toEqual([]);
  });

  it('a typo names the nearest command in the document, with nothing on stderr (no prompt)', () => {
    const result = run(['promte', '--json']);
    expect(result.code).toBe(2);
    expect(errorOf(result)).toMatchObject({
      code: 'UnknownCommand',
      suggestions: ['Did you mean "promote"?', 'Run batchctl help for the commands.'],
    });
  });
});

describe('bad flag values: exit 2, naming the flag, before any AWS client loads', () => {
  it.each([
    [
      '--grace',
      ['promote', planFile, '--yes', '--grace', 'soon'],
      'DurationInvalid',
      '--grace "soon" is not a duration',
    ],
    [
      '--drain-timeout',
      ['rollback', planFile, '--yes', '--drain-timeout', '2 hours'],
      'DurationInvalid',
      '--drain-timeout "2 hours"',
    ],
    ['--poll-interval', ['drain', 'q', '--poll-interval', 'often'], 'DurationInvalid', '--poll-interval "often"'],
    [
      '--express-window',
      ['promote', planFile, '--yes', '--express-window', '10m'],
      'ExpressWindowInvalid',
      '--express-window "10m"',
    ],
    [
      '--endpoint-url',
      ['status', spec, '--endpoint-url', 'localhost:4566'],
      'EndpointUrlInvalid',
      '"localhost:4566" is not an http(s) URL',
    ],
  ])('%s', (_flag, args, code, message) => {
    const human = run(args);
    expect(human.code).toBe(2);
    expect(human.stderr).toContain(message);
    expect(human.stdout).toBe('');
    const json = run([...args, '--json']);
    expect(json.code).toBe(2);
    expect(errorOf(json)).toMatchObject({ code });
    expect(sdkLoaded(json.modules)).toEqual([]);
  });

  it('AWS_ENDPOINT_URL is checked the same way', () => {
    const result = run(['status', spec, '--json'], { AWS_ENDPOINT_URL: 'ftp://example.com' });
    expect(result.code).toBe(2);
    expect(errorOf(result).message).toContain('"ftp://example.com" is not an http(s) URL');
  });
});

describe('--output is answered, not taken for a path', () => {
  it.each(['json', 'text', 'table', 'yaml'])('plan --output %s: use --json, exit 2, no file written', (format) => {
    const result = run(['plan', spec, '--output', format]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--output "${format}" is not a batchctl flag: for JSON on stdout pass --json`);
    expect(existsSync(join(dir, format))).toBe(false);
  });

  it('on any command, under --json too', () => {
    const result = run(['status', spec, '--output', 'json', '--json']);
    expect(result.code).toBe(2);
    expect(errorOf(result).code).toBe('OutputFlagUnsupported');
  });

  it('plan -o json (kubectl’s habit) is refused too; ./json is a real path', () => {
    const result = run(['plan', spec, '-o', 'json', '--json']);
    expect(result.code).toBe(2);
    expect(errorOf(result)).toMatchObject({ code: 'OutLooksLikeFormat' });
  });

  it('BATCHCTL_OUTPUT, the old variable, is refused rather than silently ignored', () => {
    const result = run(['plan', spec, '--json'], { BATCHCTL_OUTPUT: 'out/x.plan.json' });
    expect(result.code).toBe(2);
    expect(errorOf(result)).toMatchObject({ code: 'OutputVariableRenamed' });
  });
});

describe('input and AWS errors keep their own codes in the same document', () => {
  it('a spec that does not exist: exit 3', () => {
    const result = run(['plan', join(dir, 'no-such.yaml'), '--json']);
    expect(result.code).toBe(3);
    expect(errorOf(result).code).toBe('SpecNotFound');
  });

  it('an unknown --profile is named: exit 6', () => {
    // No static keys beside the profile: the SDK would warn about the pair on stderr.
    const result = run(['status', spec, '--profile', 'no-such-profile', '--json'], {
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
    });
    expect(result.code).toBe(6);
    expect(errorOf(result)).toMatchObject({
      code: 'ProfileNotFound',
      message:
        'Profile "no-such-profile" is not in /nonexistent/batchctl-test-config or /nonexistent/batchctl-test-credentials (--profile / AWS_PROFILE).',
    });
  });

  it('an unknown AWS_PROFILE with no region anywhere is still named, not "no region"', () => {
    const result = run(['status', spec, '--json'], {
      AWS_PROFILE: 'no-such-profile',
      AWS_REGION: undefined,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
    });
    expect(result.code).toBe(6);
    expect(errorOf(result).code).toBe('ProfileNotFound');
  });
});
