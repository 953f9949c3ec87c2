/**
 * docs/troubleshooting.md covers every error code batchctl can print: each code raised in src/ (found by the
 * compiler, test/support/error-codes.ts) has its section, with the exit code the code is raised with.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { errorCodesInSrc, type ErrorCodes } from '../../support/error-codes';

jest.setTimeout(120_000);

const REPO = join(__dirname, '..', '..', '..');
const page = readFileSync(join(REPO, 'docs', 'troubleshooting.md'), 'utf8');
/** `### \`Code\` (exit 8)` → Code → the exit codes the heading gives. */
const documented = new Map(
  [...page.matchAll(/^### `(\w+)` \(exit ([^)]*)\)$/gm)].map((m) => [
    m[1]!,
    new Set([...m[2]!.matchAll(/\d+/g)].map((n) => Number(n[0]))),
  ]),
);
let found: ErrorCodes;

beforeAll(() => {
  found = errorCodesInSrc(REPO);
});

it('finds the codes in src/, every one of them resolved', () => {
  expect(found.unresolved).toEqual([]);
  // The extraction is real: codes raised through each path are found.
  expect([...found.codes.keys()]).toEqual(
    expect.arrayContaining(['PlanTampered', 'UsageError', 'UnknownFlag', 'WaitTimedOut', 'StepFailed', 'Locked']),
  );
  expect(found.codes.size).toBeGreaterThan(50);
});

it('documents every error code raised in src/', () => {
  expect([...found.codes.keys()].filter((code) => !documented.has(code)).sort()).toEqual([]);
});

it('gives each code the exit code src/ raises it with', () => {
  const wrong = [...found.codes]
    .filter(([code, exits]) => [...exits].some((e) => !documented.get(code)?.has(e)))
    .map(
      ([code, exits]) =>
        `${code}: raised with exit ${[...exits].join(', ')}, documented ${[...(documented.get(code) ?? [])].join(', ')}`,
    );
  expect(wrong).toEqual([]);
});

it('documents no code that src/ no longer raises', () => {
  expect([...documented.keys()].filter((code) => !found.codes.has(code)).sort()).toEqual([]);
});
