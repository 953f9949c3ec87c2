import { counted, noun, verb } from '../../../src/lib/plural';

describe('counted / noun / verb', () => {
  it.each([
    [0, '0 state machines'],
    [1, '1 state machine'],
    [2, '2 state machines'],
  ])('%i → %s', (n, text) => {
    expect(counted(n, 'state machine')).toBe(text);
  });

  it('takes an irregular plural', () => {
    expect(counted(1, 'alias', 'aliases')).toBe('1 alias');
    expect(counted(3, 'alias', 'aliases')).toBe('3 aliases');
    expect(noun(0, 'alias', 'aliases')).toBe('aliases');
  });

  it('makes a verb agree with its count', () => {
    expect(verb(1, 'names', 'name')).toBe('names');
    expect(verb(2, 'names', 'name')).toBe('name');
    expect(verb(0, 'names', 'name')).toBe('name');
  });
});
