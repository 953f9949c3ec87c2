/**
 * Colour for human output, in plain ANSI (no dependency). Whether to colour is decided once per stream from the
 * conventions users set: NO_COLOR (https://no-color.org: any non-empty value turns colour off, and wins), FORCE_COLOR
 * (`0`/`false` off; any other value on even without a terminal, for CI logs that render ANSI), TERM=dumb (off), and
 * otherwise only when the stream is a terminal. --json output is never coloured: it is data.
 */

export type Style = 'green' | 'yellow' | 'cyan' | 'red' | 'dim' | 'bold';

const CODES: Record<Style, [open: number, close: number]> = {
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  red: [31, 39],
  dim: [2, 22],
  bold: [1, 22],
};

export interface ColourContext {
  env: NodeJS.ProcessEnv;
  isTTY: boolean | undefined;
  json: boolean;
}

export function colourEnabled({ env, isTTY, json }: ColourContext): boolean {
  if (json) return false;
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTTY === true;
}

export type Paint = (style: Style, text: string) => string;

/** Wraps text in the style's codes when `enabled`; the text unchanged otherwise. */
export function painter(enabled: boolean): Paint {
  if (!enabled) return (_style, text) => text;
  return (style, text) => {
    const [open, close] = CODES[style];
    return text === '' ? text : `\u001b[${open}m${text}\u001b[${close}m`;
  };
}

/** The painter for stdout under the current environment. */
export function stdoutPainter(json: boolean): Paint {
  return painter(colourEnabled({ env: process.env, isTTY: process.stdout.isTTY, json }));
}

// eslint-disable-next-line no-control-regex -- ESC is exactly what an ANSI colour code starts with
const ANSI = /\u001b\[[0-9;]*m/g;

/** The text as it reads without colour (tests, width checks). */
export function stripColour(text: string): string {
  return text.replace(ANSI, '');
}
