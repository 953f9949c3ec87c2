/**
 * docs/commands/ is generated from the commands (scripts/command-reference.ts) and must not drift from them: this
 * fails while a page differs from what `npm run docs:commands` would write, or a command has no page.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { commandReferenceFiles, REFERENCE_DIR } from '../../../scripts/command-reference';

describe('docs/commands', () => {
  const files = commandReferenceFiles();

  it('holds a page for every command and nothing else (run `npm run docs:commands` after changing a command)', () => {
    expect(readdirSync(REFERENCE_DIR).sort()).toEqual(Object.keys(files).sort());
  });

  it('every page is the command’s --help, as generated', () => {
    for (const [file, text] of Object.entries(files)) {
      expect(`${file}:\n${readFileSync(join(REFERENCE_DIR, file), 'utf8')}`).toBe(`${file}:\n${text}`);
    }
  });

  it('covers what --help shows: usage, every visible flag, the examples and the exit codes', () => {
    const promote = files['promote.md'] ?? '';
    expect(promote).toContain('batchctl promote <plan> [flags]');
    for (const flag of [
      '--drain-timeout',
      '--express-window',
      '--force-unlock',
      '--grace',
      '--[no-]retire',
      '-y, --yes',
    ]) {
      expect(promote).toContain(`\`${flag}`);
    }
    expect(promote).not.toContain('--output');
    expect(promote).toContain('batchctl promote plans/reproject.plan.json --yes --no-retire');
    expect(promote).toContain('- `8`: locked: another swap is in progress on this workload');
    expect(files['status.md']).toContain(
      'cutting-over  some references (definitions or alias routes) point at A, some at B',
    );
  });
});
