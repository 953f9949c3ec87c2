/**
 * `npm run bench:help [-- --runs N]`: how long `batchctl --help` takes to start, beside what it cannot beat.
 *
 * Four programs, each started N times (default 40) in interleaved rounds, in a shuffled order each round, so load
 * on the machine falls on all of them alike:
 * - `node -e 0`: Node.js itself, the floor;
 * - a bare oclif CLI with one command, `--help`, generated here from the installed @oclif/core, with its manifest;
 * - `batchctl --help` without the oclif manifest or the oclif bundle (copies of bin/ and dist/), as before both;
 * - `batchctl --help` with the manifest, @oclif/core loaded from node_modules;
 * - `batchctl --help` as built and shipped: the manifest and dist/oclif-bundle.js (`npm run build` writes both).
 * Each program's help must be the same on every run, and batchctl's three must match, so the figures compare the
 * same output. Prints a markdown table on stdout (median and p90, in ms, and the ratios).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const REPO = resolve(__dirname, '..');

interface Program {
  label: string;
  args: string[];
  cwd: string;
}

/** A one-command oclif CLI as `oclif generate` would shape it, on the same @oclif/core batchctl uses. */
function bareOclifCli(dir: string): string {
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'commands'), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'bare', version: '1.0.0', files: ['/bin', '/commands'], oclif: { bin: 'bare', commands: './commands' } }, null, 2)}\n`,
  );
  writeFileSync(
    join(dir, 'bin', 'run.js'),
    "#!/usr/bin/env node\nrequire('@oclif/core').execute({ dir: __dirname });\n",
  );
  writeFileSync(
    join(dir, 'commands', 'hello.js'),
    [
      "const { Command, Flags } = require('@oclif/core');",
      'class Hello extends Command {',
      "  static summary = 'Say hello.';",
      "  static flags = { name: Flags.string({ summary: 'Who to greet.' }) };",
      '  async run() {',
      '    const { flags } = await this.parse(Hello);',
      "    this.log(`hello ${flags.name ?? 'world'}`);",
      '  }',
      '}',
      'module.exports = Hello;',
      '',
    ].join('\n'),
  );
  writeManifest(dir);
  return join(dir, 'bin', 'run.js');
}

function writeManifest(dir: string): void {
  const result = spawnSync(process.execPath, [join(REPO, 'node_modules', 'oclif', 'bin', 'run.js'), 'manifest'], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (result.status !== 0 || !existsSync(join(dir, 'oclif.manifest.json'))) {
    throw new Error(`oclif manifest failed in ${dir}: ${result.stderr}`);
  }
}

/**
 * batchctl's bin/, dist/ and package.json in `dir`, with or without the built manifest and the built oclif bundle
 * (dist/oclif-bundle.js, which bin/run.js takes for --help when present).
 */
function batchctlCopy(dir: string, built: { manifest: boolean; bundle: boolean }): string {
  mkdirSync(dir, { recursive: true });
  cpSync(join(REPO, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(REPO, 'dist'), join(dir, 'dist'), { recursive: true });
  copyFileSync(join(REPO, 'package.json'), join(dir, 'package.json'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [wanted, file] of [
    [built.manifest, 'oclif.manifest.json'],
    [built.bundle, join('dist', 'oclif-bundle.js')],
  ] as const) {
    if (!wanted) {
      rmSync(join(dir, file), { force: true });
      continue;
    }
    if (!existsSync(join(REPO, file))) throw new Error(`No ${file}: run \`npm run build\` first.`);
    copyFileSync(join(REPO, file), join(dir, file));
  }
  return join(dir, 'bin', 'run.js');
}

function runOnce(program: Program): { ms: number; stdout: string } {
  const start = performance.now();
  const result = spawnSync(process.execPath, program.args, { cwd: program.cwd, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${program.label} exited ${result.status}: ${result.stderr}`);
  if (result.stderr) throw new Error(`${program.label} wrote to stderr: ${result.stderr}`);
  return { ms, stdout: result.stdout };
}

function quantile(sorted: number[], q: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

function percent(fraction: number): string {
  const rounded = Math.round(fraction * 100);
  return `${rounded > 0 ? '+' : ''}${rounded} %`;
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function main(): void {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '40' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 5) throw new Error('--runs must be an integer of at least 5.');
  const dir = mkdtempSync(join(tmpdir(), 'batchctl-bench-help-'));
  try {
    const bare = bareOclifCli(join(dir, 'bare'));
    const programs: Program[] = [
      { label: '`node -e 0`', args: ['-e', '0'], cwd: dir },
      { label: 'bare one-command oclif CLI `--help` (manifest)', args: [bare, '--help'], cwd: dir },
      {
        label: '`batchctl --help`, no manifest, no bundle',
        args: [batchctlCopy(join(dir, 'before'), { manifest: false, bundle: false }), '--help'],
        cwd: dir,
      },
      {
        label: '`batchctl --help`, manifest, @oclif/core as installed',
        args: [batchctlCopy(join(dir, 'manifest'), { manifest: true, bundle: false }), '--help'],
        cwd: dir,
      },
      {
        label: '`batchctl --help` as built: manifest and oclif bundle',
        args: [batchctlCopy(join(dir, 'built'), { manifest: true, bundle: true }), '--help'],
        cwd: dir,
      },
    ];
    const outputs = new Map<Program, string>();
    for (const program of programs) outputs.set(program, runOnce(program).stdout); // warm-up, and the reference output
    for (const variant of programs.slice(3)) {
      if (outputs.get(programs[2]!) !== outputs.get(variant)) {
        throw new Error(`batchctl --help differs: ${programs[2]!.label} and ${variant.label}.`);
      }
    }
    const times = new Map<Program, number[]>(programs.map((p) => [p, []]));
    for (let round = 0; round < runs; round++) {
      for (const program of shuffled(programs)) {
        const { ms, stdout } = runOnce(program);
        if (stdout !== outputs.get(program))
          throw new Error(`${program.label} printed something else on run ${round}.`);
        times.get(program)!.push(ms);
      }
      process.stderr.write(`\rround ${round + 1}/${runs}`);
    }
    process.stderr.write('\n');
    const stats = programs.map((program) => {
      const sorted = [...times.get(program)!].sort((a, b) => a - b);
      return { program, median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
    });
    const node = stats[0]!.median;
    const oclif = stats[1]!.median;
    const lines = [
      `\`batchctl --help\` start-up: ${runs} interleaved runs each, Node ${process.versions.node}, ${new Date().toISOString()}`,
      '',
      '| program | median (ms) | p90 (ms) | × `node -e 0` | vs bare oclif |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...stats.map(
        ({ program, median, p90 }) =>
          `| ${program.label} | ${median.toFixed(1)} | ${p90.toFixed(1)} | ${(median / node).toFixed(2)} | ${
            program === programs[0] ? '' : percent(median / oclif - 1)
          } |`,
      ),
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
