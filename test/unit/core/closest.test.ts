/** The suggestion for a mistyped command when there is no terminal to ask. */
import { closestCommand, editDistance } from '../../../src/core/closest';

const COMMANDS = [
  'autocomplete',
  'commands',
  'drain',
  'help',
  'plan',
  'promote',
  'retire',
  'rollback',
  'status',
  'version',
];

describe('editDistance', () => {
  it.each([
    ['promte', 'promote', 1],
    ['plan', 'plan', 0],
    ['', 'drain', 5],
    ['rollbakc', 'rollback', 2],
    ['kitten', 'sitting', 3],
  ])('%s → %s: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestCommand', () => {
  it.each([
    ['promte', 'promote'],
    ['satus', 'status'],
    ['rollbakc', 'rollback'],
    ['PLAN', 'plan'],
    ['retir', 'retire'],
    ['comands', 'commands'],
  ])('%s → %s', (typo, command) => {
    expect(closestCommand(typo, COMMANDS)).toBe(command);
  });

  it('offers nothing for a word that is not a typo of any command', () => {
    expect(closestCommand('kubernetes', COMMANDS)).toBeUndefined();
    expect(closestCommand('deploy', COMMANDS)).toBeUndefined();
  });

  it('offers nothing when there are no commands', () => {
    expect(closestCommand('plan', [])).toBeUndefined();
  });
});
