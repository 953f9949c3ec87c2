/**
 * Every command `status` suggests exists, with the flags and the number of arguments it is printed with: checked
 * against the oclif command classes themselves, for every phase, lock state and terminal case.
 */
import type { Command } from '@oclif/core';

import { BaseCommand } from '../../../src/base-command';
import Plan from '../../../src/commands/plan';
import Promote from '../../../src/commands/promote';
import Retire from '../../../src/commands/retire';
import Rollback from '../../../src/commands/rollback';
import Status from '../../../src/commands/status';
import { nextCommands, type HintInput, type HolderState } from '../../../src/core/status-hints';
import { SWAP_PHASES } from '../../../src/core/swap-phase';

const COMMANDS: Record<string, typeof Command> = {
  plan: Plan,
  promote: Promote,
  retire: Retire,
  rollback: Rollback,
  status: Status,
};

/** The command lines in a suggestion: `a && b   # why` gives a and b; prose gives the backquoted commands in it. */
function commandLines(suggestion: string): string[] {
  const quoted = [...suggestion.matchAll(/`(batchctl [^`]+)`/g)].map((m) => m[1] ?? '');
  if (!suggestion.startsWith('batchctl ')) return quoted;
  return (suggestion.split(/ {2,}#/)[0] ?? '').split(' && ').map((part) => part.trim());
}

function problems(line: string): string[] {
  const [bin, id, ...rest] = line.split(/\s+/);
  const command = COMMANDS[id ?? ''];
  if (bin !== 'batchctl' || !command) return [`${line}: no command "${id ?? ''}"`];
  const flags = { ...BaseCommand.baseFlags, ...command.flags } as Record<string, { type: string }>;
  const out: string[] = [];
  let args = 0;
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] ?? '';
    if (!word.startsWith('--')) {
      args++;
      continue;
    }
    const flag = flags[word.slice(2)];
    if (!flag) out.push(`${line}: ${id ?? ''} has no flag ${word}`);
    else if (flag.type === 'option') i++;
  }
  if (args !== Object.keys(command.args ?? {}).length) out.push(`${line}: ${args} argument(s) given`);
  return out;
}

const STATES: (HolderState | undefined)[] = [undefined, 'running', 'dead', 'presumed-dead', 'unknown'];

it('every suggested command exists with the flags it is printed with', () => {
  const seen: string[] = [];
  for (const phase of SWAP_PHASES) {
    for (const holder of STATES) {
      for (const noTerminal of [false, true]) {
        for (const planFile of [undefined, { path: 'plans/r.plan.json', id: 'p-1' }]) {
          for (const operation of ['promote', 'rollback'] as const) {
            const input: HintInput = {
              phase,
              specPath: 'plans/r.yaml',
              replanPath: 'plans/r.plan.json',
              swapPlanId: 'p-1',
              noTerminal,
              ...(planFile ? { planFile } : {}),
              ...(holder
                ? { lock: { id: 'lk-1', planId: 'p-1', operation, holder: { state: holder, reason: '' } } }
                : {}),
            };
            for (const suggestion of nextCommands(input)) seen.push(...commandLines(suggestion));
          }
        }
      }
    }
  }
  expect(seen.length).toBeGreaterThan(50);
  expect(seen.flatMap(problems)).toEqual([]);
  // Every kind of suggestion was among them.
  expect(new Set(seen.map((l) => l.split(' ').slice(0, 2).join(' ')))).toEqual(
    new Set(['batchctl plan', 'batchctl promote', 'batchctl rollback', 'batchctl status']),
  );
});
