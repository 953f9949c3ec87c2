/**
 * The CI recipes in docs/ci/ run as written: every `batchctl …` line in them parses against the real CLI's commands
 * and flags, and each recipe handles the exit codes a release pipeline must tell apart.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import {
  batchctlInvocations,
  checkInvocation,
  loadCli,
  yamlStrings,
  type CliCommand,
} from '../../support/recipe-check';

const REPO = join(__dirname, '..', '..', '..');
const CI = join(REPO, 'docs', 'ci');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const real = loadCli(REPO);
const cli: Record<string, CliCommand> = real;

/** Per recipe file, its scripts (the YAML strings that run batchctl) and the command lines in them. */
const recipes = yamlFiles(CI).map((path) => {
  const { strings, errors } = yamlStrings(readFileSync(path, 'utf8'));
  const scripts = strings.filter((s) => batchctlInvocations(s).length);
  return { file: relative(REPO, path), errors, scripts, invocations: scripts.flatMap(batchctlInvocations) };
});

it('finds the recipes and the command lines in them', () => {
  expect(recipes.map((r) => r.file).sort()).toEqual([
    'docs/ci/codebuild/buildspec-plan.yml',
    'docs/ci/codebuild/buildspec-promote.yml',
    'docs/ci/codebuild/pipeline.yml',
    'docs/ci/github-actions.yml',
    'docs/ci/gitlab-ci.yml',
  ]);
  for (const r of recipes) expect({ file: r.file, errors: r.errors }).toEqual({ file: r.file, errors: [] });
  const used = (file: string): string[] =>
    [
      ...new Set(recipes.filter((r) => r.file.includes(file)).flatMap((r) => r.invocations.map((a) => a[0] ?? ''))),
    ].sort();
  expect(used('github-actions')).toEqual(['plan', 'promote', 'show', 'status']);
  expect(used('gitlab-ci')).toEqual(['plan', 'promote', 'rollback', 'show', 'status']);
  expect(used('codebuild/buildspec')).toEqual(['plan', 'promote', 'show', 'status']);
});

it.each(recipes.filter((r) => r.invocations.length).map((r) => [r.file, r] as const))(
  '%s: every batchctl command line parses against the CLI',
  (_file, recipe) => {
    expect(recipe.invocations.flatMap((args) => checkInvocation(cli, args))).toEqual([]);
  },
);

it.each(recipes.filter((r) => r.invocations.length).map((r) => [r.file, r] as const))(
  '%s: tells the exit codes apart (plan: 11 no changes, 4 blocked; promote: 4, 5, 7, 8, 10)',
  (_file, recipe) => {
    for (const script of recipe.scripts) {
      const commands = batchctlInvocations(script).map((a) => a[0]);
      if (commands.includes('plan')) expect(script).toMatch(/\b11\)[\s\S]*\b4\)/);
      if (commands.includes('promote')) for (const code of [4, 5, 7, 8, 10]) expect(script).toContain(`${code})`);
    }
  },
);

describe('the checker', () => {
  const problems = (line: string): string[] => batchctlInvocations(line).flatMap((args) => checkInvocation(cli, args));

  it('refuses an unknown flag, a missing value, a missing argument, an unknown command', () => {
    // --output exists only as a hidden flag that answers with a usage error: not for use.
    expect(problems('batchctl plan plans/x.yaml --output plan.json')).toEqual([
      'batchctl plan plans/x.yaml --output plan.json: plan has no flag --output',
      'batchctl plan plans/x.yaml --output plan.json: plan takes 1 argument(s), got plans/x.yaml plan.json',
    ]);
    expect(problems('batchctl promote p.json --drain-timeout')).toEqual([
      'batchctl promote p.json --drain-timeout: --drain-timeout needs a value',
    ]);
    expect(problems('batchctl promote --yes')).toEqual(['batchctl promote --yes: promote needs <plan>']);
    expect(problems('batchctl promte p.json')).toEqual(['batchctl promte p.json: no command "promte"']);
    expect(problems('batchctl status a.yaml b.yaml')).toHaveLength(1);
    expect(problems('batchctl promote p.json --no-yes')).toEqual([
      'batchctl promote p.json --no-yes: promote has no flag --no-yes',
    ]);
    expect(problems('batchctl promote p.json --yes=true')).toEqual([
      'batchctl promote p.json --yes=true: --yes is a switch and takes no value',
    ]);
  });

  it('accepts what oclif accepts: short flags, --flag=value, --no- forms, quoted values', () => {
    expect(problems('batchctl plan "plans/x y.yaml" -o "out.json" --json')).toEqual([]);
    expect(problems('batchctl promote p.json --no-retire --drain-timeout=2h --region eu-west-1')).toEqual([]);
    expect(problems('batchctl drain q --wait \\\n  --yes --timeout 1h 2>&1 | tee log')).toEqual([]);
  });

  it('takes only batchctl at the start of a command as an invocation', () => {
    expect(batchctlInvocations('npm install --global batchctl@0.1.0')).toEqual([]);
    expect(batchctlInvocations('echo "run batchctl rollback later"')).toEqual([]);
    expect(batchctlInvocations('x=1; batchctl status s.yaml || true')).toEqual([['status', 's.yaml']]);
    expect(batchctlInvocations('if true; then batchctl show p.json; fi')).toEqual([['show', 'p.json']]);
  });
});
