/** Durations on the command line: `500ms`, `30s`, `5m`, `2h`, or a bare number of seconds. */
import { usageError } from '../errors';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) {
    // A flag value, so a usage error (exit 2) like any other bad command line.
    throw usageError('DurationInvalid', `--${flag} "${text}" is not a duration; use e.g. 30s, 5m or 2h.`);
  }
  return Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1000));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}
