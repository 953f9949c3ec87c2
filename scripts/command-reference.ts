/**
 * Writes docs/commands/<command>.md, the command reference, from the commands themselves (src/commands/*.ts):
 * summary, usage, arguments, flags, description, examples and exit codes are what `batchctl <command> --help`
 * says, so the reference cannot drift from the CLI. Run after changing a command: `npm run docs:commands`.
 * test/unit/docs/command-reference.test.ts fails while the files differ from the code. The guides that explain
 * (docs/guides/*.md, getting-started…) stay hand-written; each page links its guide.
 */
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

import type { Command } from '@oclif/core';

import { EXIT_CODE_HELP } from '../src/exit-codes';
import { isResultCommand } from '../src/core/json-output';

const REPO = join(__dirname, '..');
export const COMMANDS_DIR = join(REPO, 'src', 'commands');
export const REFERENCE_DIR = join(REPO, 'docs', 'commands');
const BIN = 'batchctl';

/** The hand-written guide that explains each command beyond its reference, where there is one. */
const GUIDES: Record<string, { path: string; title: string }> = {
  plan: { path: '../guides/plan.md', title: 'How plan works: what it discovers and checks, its output' },
  promote: {
    path: '../guides/promote.md',
    title: 'How promote works: the steps, aliases and versions, the lock, signals, failures',
  },
  retire: { path: '../guides/promote.md', title: 'How promote works (retire is its last steps)' },
  rollback: { path: '../guides/rollback.md', title: 'How rollback works, step by step' },
  show: { path: '../guides/show.md', title: 'Reviewing a saved plan: the fingerprint status, the output, --json' },
  'iam-policy': { path: '../guides/iam-policy.md', title: 'The IAM policy of each command, and how it is generated' },
};

type FlagDefinition = {
  char?: string;
  summary?: string;
  description?: string;
  env?: string;
  default?: unknown;
  hidden?: boolean;
  allowNo?: boolean;
  type: 'boolean' | 'option';
  multiple?: boolean;
  delimiter?: string;
  options?: readonly string[];
  required?: boolean;
};

type ArgDefinition = { description?: string; required?: boolean };

type CommandClass = Command.Class & {
  baseFlags?: Record<string, FlagDefinition>;
  flags?: Record<string, FlagDefinition>;
  args?: Record<string, ArgDefinition>;
  examples?: (string | { description: string; command: string })[];
};

/** oclif's --json flag (enableJsonFlag), as its help shows it. */
const JSON_FLAG: FlagDefinition = {
  type: 'boolean',
  summary: 'Format output as json.',
  description: 'One document on stdout, errors included; see the `--json` section below.',
};

function template(text: string, id: string): string {
  return text
    .replace(/<%= config\.bin %>/g, BIN)
    .replace(/<%= command\.id %>/g, id)
    .replace(/<%= '\$\{' %>/g, '${');
}

function defaultText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function flagName(name: string, flag: FlagDefinition): string {
  const long = flag.allowNo ? `--[no-]${name}` : `--${name}`;
  const value = flag.type === 'option' ? `=<value>` : '';
  return `${flag.char ? `-${flag.char}, ` : ''}${long}${value}`;
}

/** Prose for markdown: `<plan>` and the like would be taken for HTML; code spans are left as they are. */
function prose(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.startsWith('`') ? part : part.replace(/</g, '\\<')))
    .join('');
}

/**
 * One list item per visible flag: its spellings, variable and default, then its summary and description. Laid out
 * as prettier would: an item with a description paragraph is followed by a blank line.
 */
function flagList(flags: Record<string, FlagDefinition>): string {
  const items = Object.entries(flags)
    .filter(([, flag]) => !flag.hidden)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, flag]) => {
      const notes = [
        flag.env ? `env \`${flag.env}\`` : '',
        flag.default !== undefined && flag.type === 'option' ? `default \`${defaultText(flag.default)}\`` : '',
        flag.multiple ? `repeatable${flag.delimiter ? ` or \`${flag.delimiter}\`-separated` : ''}` : '',
        flag.options ? `one of ${flag.options.map((o) => `\`${o}\``).join(', ')}` : '',
      ].filter(Boolean);
      const head = `- \`${flagName(name, flag)}\`${notes.length ? ` (${notes.join(', ')})` : ''}: ${prose(flag.summary ?? '')}`;
      return { text: flag.description ? `${head}\n\n  ${prose(flag.description)}` : head, loose: !!flag.description };
    });
  return items
    .map((item, i) => (i === items.length - 1 ? item.text : `${item.text}\n${item.loose ? '\n' : ''}`))
    .join('');
}

/**
 * The description as markdown: paragraphs as they are; indented lines (a table in --help) as a code block. The
 * EXIT CODES section is rendered from the exit-code table itself, below.
 */
function descriptionMarkdown(description: string, id: string): string {
  const body = description.split(/\nEXIT CODES\n/)[0]!.trim();
  const out: string[] = [];
  let block: string[] = [];
  const flush = (): void => {
    if (!block.length) return;
    if (out.length && out[out.length - 1] !== '') out.push('');
    out.push('```', ...block.map((line) => line.replace(/^ {2}/, '')), '```');
    block = [];
  };
  for (const line of template(body, id).split('\n')) {
    if (/^ {2}\S/.test(line)) {
      block.push(line);
      continue;
    }
    if (block.length && line !== '') {
      flush();
      out.push('');
    } else flush();
    out.push(prose(line));
  }
  flush();
  return out.join('\n');
}

function usage(id: string, command: CommandClass): string {
  const args = Object.entries(command.args ?? {}).map(([name, arg]) => (arg.required ? `<${name}>` : `[<${name}>]`));
  return [BIN, id, ...args, '[flags]'].join(' ');
}

/** One command's reference page, before formatting. */
export function commandPage(id: string, command: CommandClass): string {
  const flags: Record<string, FlagDefinition> = {
    ...(command.enableJsonFlag ? { json: JSON_FLAG } : {}),
    ...command.flags,
  };
  const base = command.baseFlags ?? {};
  const args = Object.entries(command.args ?? {});
  const examples = (command.examples ?? []).map((example) =>
    typeof example === 'string'
      ? template(example, id)
      : `# ${template(example.description, id)}\n${template(example.command, id)}`,
  );
  const guide = GUIDES[id];
  const lines = [
    `<!-- Generated from src/commands/${id}.ts by \`npm run docs:commands\`: edit the command, not this file. -->`,
    '',
    `# \`${BIN} ${id}\``,
    '',
    prose(template(command.summary ?? '', id)),
    '',
    '```',
    usage(id, command),
    '```',
    '',
    ...(args.length
      ? [
          '## Arguments',
          '',
          ...args.map(
            ([name, arg]) => `- \`${name}\`${arg.required ? '' : ' (optional)'}: ${prose(arg.description ?? '')}`,
          ),
          '',
        ]
      : []),
    ...(Object.keys(flags).length ? ['## Flags', '', flagList(flags), ''] : []),
    ...(Object.keys(base).length ? ['AWS flags, on every command:', '', flagList(base), ''] : []),
    '## Description',
    '',
    descriptionMarkdown(String(command.description ?? ''), id),
    '',
    ...(examples.length ? ['## Examples', '', '```sh', examples.join('\n\n'), '```', ''] : []),
    '## Exit codes',
    '',
    ...Object.entries(EXIT_CODE_HELP).map(([code, text]) => `- \`${code}\`: ${prose(text)}`),
    '',
    'All codes: [exit codes](../exit-codes.md).',
    '',
    ...(isResultCommand(id)
      ? [
          '## `--json`',
          '',
          `One document on stdout, \`schemaVersion: "${BIN}/${id}/1"\`: [schema](../schemas/${id}-result.schema.json); errors are the [error document](../json-output.md).`,
          '',
        ]
      : []),
    ...(guide ? ['## See also', '', `- [${guide.title}](${guide.path})`, ''] : []),
  ];
  return lines.join('\n');
}

function loadCommands(): [string, CommandClass][] {
  return readdirSync(COMMANDS_DIR)
    .filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))
    .sort()
    .map((file) => {
      const id = basename(file, '.ts');
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- every command file, whatever its name
      const loaded = require(join(COMMANDS_DIR, file)) as { default: CommandClass };
      return [id, loaded.default];
    });
}

/**
 * Every reference page, by file name. Written as prettier would format it (no tables, no wrapping), so
 * `npm run lint` passes on the generated files as they are.
 */
export function commandReferenceFiles(): Record<string, string> {
  return Object.fromEntries(loadCommands().map(([id, command]) => [`${id}.md`, commandPage(id, command)]));
}

function main(): void {
  const files = commandReferenceFiles();
  for (const stale of readdirSync(REFERENCE_DIR).filter((f) => f.endsWith('.md') && !(f in files))) {
    rmSync(join(REFERENCE_DIR, stale));
  }
  for (const [file, text] of Object.entries(files)) writeFileSync(join(REFERENCE_DIR, file), text);
  process.stdout.write(`${Object.keys(files).length} command pages written to docs/commands/\n`);
}

if (require.main === module) main();
