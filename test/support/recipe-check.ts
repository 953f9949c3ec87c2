/**
 * Checks every `batchctl …` command line in a CI recipe (docs/ci/*.yml) against the real CLI: the command exists,
 * every flag exists on it (its own, the shared AWS flags, --json, --help), a flag that takes a value has one, a
 * boolean's `--no-` form only where the flag allows it, and the positional arguments fit. The flags come from the
 * oclif command classes in src/commands (what `--help` prints).
 *
 * Command lines are found in every string of the YAML document (a `run:`, `script:` or `commands:` entry), split
 * into shell words the way sh would (quotes, backslash-newline); `batchctl` must be a word of its own at the start
 * of a command, so `npm install batchctl@1` or an echoed sentence mentioning batchctl are not taken for one.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { parseDocument } from 'yaml';

export type FlagType = 'boolean' | 'option';

export interface CliFlag {
  type: FlagType;
  char?: string;
  allowNo?: boolean;
}

export interface CliCommand {
  args: { name: string; required: boolean }[];
  flags: Record<string, CliFlag>;
}

interface OclifFlag {
  type: 'boolean' | 'option';
  char?: string;
  allowNo?: boolean;
  hidden?: boolean;
}

interface OclifCommandClass {
  args?: Record<string, { required?: boolean }>;
  flags?: Record<string, OclifFlag>;
  baseFlags?: Record<string, OclifFlag>;
  enableJsonFlag?: boolean;
}

/** The real CLI, read from the command classes (importing one loads no AWS SDK: commands require it in run()). */
export function loadCli(repo: string): Record<string, CliCommand> {
  const cli: Record<string, CliCommand> = {};
  for (const file of readdirSync(join(repo, 'src', 'commands')).filter((f) => f.endsWith('.ts'))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the command classes, as oclif loads them
    const cls = (require(join(repo, 'src', 'commands', file)) as { default: OclifCommandClass }).default;
    const flags: Record<string, CliFlag> = { help: { type: 'boolean' } };
    if (cls.enableJsonFlag) flags.json = { type: 'boolean' };
    for (const [name, f] of Object.entries({ ...cls.baseFlags, ...cls.flags })) {
      // Hidden flags are not for use: `--output` exists only to answer with a usage error.
      if (f.hidden) continue;
      flags[name] = { type: f.type, ...(f.char ? { char: f.char } : {}), ...(f.allowNo ? { allowNo: true } : {}) };
    }
    cli[file.replace(/\.ts$/, '')] = {
      args: Object.entries(cls.args ?? {}).map(([name, a]) => ({ name, required: !!a.required })),
      flags,
    };
  }
  return cli;
}

const OPERATORS = new Set([';', '&&', '||', '|', '&', '(', ')', '{', '}', 'then', 'do', 'else', '!']);

/** sh words of a script: quotes removed, `$VAR` kept as text; operators and newlines as their own tokens. */
export function shellWords(script: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  const end = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === '\\' && script[i + 1] === '\n') {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const close = script.indexOf(c, i + 1);
      word += script.slice(i + 1, close < 0 ? undefined : close);
      inWord = true;
      i = close < 0 ? script.length : close;
      continue;
    }
    if (c === '#' && !inWord) {
      const nl = script.indexOf('\n', i);
      i = (nl < 0 ? script.length : nl) - 1;
      continue;
    }
    if (c === '\n' || c === ';' || c === '(' || c === ')') {
      end();
      words.push(c === '\n' ? ';' : c);
      continue;
    }
    if (c === '&' || c === '|') {
      end();
      const double = script[i + 1] === c;
      words.push(double ? c + c : c);
      if (double) i++;
      continue;
    }
    if (/\s/.test(c)) {
      end();
      continue;
    }
    word += c;
    inWord = true;
  }
  end();
  return words;
}

/** Each `batchctl <args…>` command line in a script, as its words after `batchctl`. */
export function batchctlInvocations(script: string): string[][] {
  const words = shellWords(script);
  const out: string[][] = [];
  for (let i = 0; i < words.length; i++) {
    const atStart = i === 0 || OPERATORS.has(words[i - 1]!) || words[i - 1] === 'npx';
    if (words[i] !== 'batchctl' || !atStart) continue;
    const args: string[] = [];
    for (let j = i + 1; j < words.length && !OPERATORS.has(words[j]!) && !/^\d*[<>]/.test(words[j]!); j++) {
      args.push(words[j]!);
    }
    out.push(args);
  }
  return out;
}

/** What is wrong with one command line (empty when it would parse). */
export function checkInvocation(cli: Record<string, CliCommand>, args: string[]): string[] {
  const line = `batchctl ${args.join(' ')}`;
  const [name, ...rest] = args;
  const command = name ? cli[name] : undefined;
  if (!command) return [`${line}: no command "${name ?? ''}"`];
  const problems: string[] = [];
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (!word.startsWith('-') || word === '-') {
      positional.push(word);
      continue;
    }
    const long = /^--([^=]+)(=.*)?$/.exec(word);
    const short = /^-([A-Za-z])$/.exec(word);
    let flag: CliFlag | undefined;
    let flagName = '';
    let negated = false;
    if (long) {
      flagName = long[1]!;
      flag = command.flags[flagName];
      if (!flag && flagName.startsWith('no-')) {
        const base = command.flags[flagName.slice(3)];
        if (base?.allowNo) {
          flag = base;
          negated = true;
        }
      }
    } else if (short) {
      [flagName, flag] = Object.entries(command.flags).find(([, f]) => f.char === short[1]) ?? ['', undefined];
    }
    if (!flag) {
      problems.push(`${line}: ${name} has no flag ${word.replace(/=.*$/, '')}`);
      continue;
    }
    if (flag.type === 'boolean') {
      if (long?.[2]) problems.push(`${line}: --${flagName} is a switch and takes no value`);
      continue;
    }
    if (negated) continue;
    if (long?.[2]) continue;
    const value = rest[i + 1];
    if (value === undefined || value.startsWith('-')) problems.push(`${line}: --${flagName} needs a value`);
    else i++;
  }
  const required = command.args.filter((a) => a.required).length;
  if (positional.length < required)
    problems.push(`${line}: ${name} needs ${command.args.map((a) => `<${a.name}>`).join(' ')}`);
  if (positional.length > command.args.length)
    problems.push(`${line}: ${name} takes ${command.args.length} argument(s), got ${positional.join(' ')}`);
  return problems;
}

/** Every string in a YAML document (keys' values, list items, block scalars). */
export function yamlStrings(text: string): { strings: string[]; errors: string[] } {
  const doc = parseDocument(text);
  const strings: string[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(doc.toJS());
  return { strings, errors: doc.errors.map((e) => e.message) };
}
