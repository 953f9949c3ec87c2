/**
 * Secrets stay secret (DESIGN invariant 7): job definition environment values and launch template user data are
 * replaced by a digest wherever a value leaves the process — human output, --json, plan files. The digest still
 * shows *that* a value changed between A and B, never what it is.
 */
import { shortDigest } from './digest';

export const REDACTED_PREFIX = '<redacted ';

export function redactedValue(secret: string): string {
  return `${REDACTED_PREFIX}${shortDigest(secret)}>`;
}

export function isRedacted(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(REDACTED_PREFIX);
}

/** Keys whose string value is always secret, at any depth. */
const SECRET_KEYS = new Set(['UserData', 'userData']);
/** Keys that hold `[{name, value}]` lists whose values are secret (container environments at any depth). */
const ENVIRONMENT_KEYS = new Set(['environment', 'Environment', 'env']);

/** A deep copy of `value` with every secret replaced. Idempotent. */
export function redact<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(walk);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (SECRET_KEYS.has(key) && typeof child === 'string') {
      out[key] = isRedacted(child) ? child : redactedValue(child);
    } else if (ENVIRONMENT_KEYS.has(key) && Array.isArray(child)) {
      out[key] = child.map((entry) => redactEnvironmentEntry(entry));
    } else {
      out[key] = walk(child);
    }
  }
  return out;
}

function redactEnvironmentEntry(entry: unknown): unknown {
  if (!entry || typeof entry !== 'object') return entry;
  const record = { ...(entry as Record<string, unknown>) };
  for (const key of ['value', 'Value']) {
    const v = record[key];
    if (typeof v === 'string' && !isRedacted(v)) record[key] = redactedValue(v);
  }
  return record;
}
