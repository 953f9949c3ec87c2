import { colourEnabled, painter, stripColour } from '../../../src/ui/colour';

describe('colourEnabled', () => {
  const tty = { env: {}, isTTY: true, json: false };

  it('colours a terminal and nothing else by default', () => {
    expect(colourEnabled(tty)).toBe(true);
    expect(colourEnabled({ ...tty, isTTY: false })).toBe(false);
    expect(colourEnabled({ ...tty, isTTY: undefined })).toBe(false);
  });

  it('never colours --json, whatever the environment says', () => {
    expect(colourEnabled({ ...tty, json: true })).toBe(false);
    expect(colourEnabled({ env: { FORCE_COLOR: '1' }, isTTY: true, json: true })).toBe(false);
  });

  it('turns colour off for any non-empty NO_COLOR, even with FORCE_COLOR set', () => {
    expect(colourEnabled({ ...tty, env: { NO_COLOR: '1' } })).toBe(false);
    expect(colourEnabled({ ...tty, env: { NO_COLOR: 'yes', FORCE_COLOR: '1' } })).toBe(false);
    // An empty NO_COLOR is "not set" (no-color.org).
    expect(colourEnabled({ ...tty, env: { NO_COLOR: '' } })).toBe(true);
  });

  it('FORCE_COLOR turns colour on without a terminal, and 0/false turn it off on one', () => {
    expect(colourEnabled({ env: { FORCE_COLOR: '1' }, isTTY: false, json: false })).toBe(true);
    expect(colourEnabled({ ...tty, env: { FORCE_COLOR: '0' } })).toBe(false);
    expect(colourEnabled({ ...tty, env: { FORCE_COLOR: 'false' } })).toBe(false);
  });

  it('does not colour a dumb terminal', () => {
    expect(colourEnabled({ ...tty, env: { TERM: 'dumb' } })).toBe(false);
  });
});

describe('painter', () => {
  it('wraps text in the style’s ANSI codes when enabled, and strips back to the text', () => {
    const paint = painter(true);
    expect(paint('green', '+ x')).toBe('\u001b[32m+ x\u001b[39m');
    expect(paint('red', '- x')).toBe('\u001b[31m- x\u001b[39m');
    expect(paint('dim', '= x')).toBe('\u001b[2m= x\u001b[22m');
    expect(stripColour(paint('yellow', '~ x'))).toBe('~ x');
  });

  it('leaves text untouched when disabled', () => {
    expect(painter(false)('green', '+ x')).toBe('+ x');
  });
});
