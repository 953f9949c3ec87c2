/**
 * `npm run iam`: regenerates docs/iam/<command>.json and the permissions table in docs/permissions.md from the code
 * (scripts/iam/call-graph.ts). `npm run iam -- --check` changes nothing and exits 1 naming the stale files.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { generate } from './iam/generate';

const repo = join(__dirname, '..');

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const files = generate(repo);
  const stale = Object.entries(files).filter(
    ([path, text]) => !existsSync(join(repo, path)) || readFileSync(join(repo, path), 'utf8') !== text,
  );
  if (check) {
    for (const [path] of stale) process.stderr.write(`stale: ${path} (run npm run iam)\n`);
    return stale.length ? 1 : 0;
  }
  for (const [path, text] of stale) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
    process.stderr.write(`wrote ${path}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
