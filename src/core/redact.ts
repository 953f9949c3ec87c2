/**
 * Secrets stay secret (DESIGN invariant 7): values that may carry a secret are replaced wherever a value leaves the
 * process — human output, --json, plan files. They are, at any depth:
 * - launch template user data (`UserData`, `userData`);
 * - container environment values (`environment[].value`, `Environment[].Value`, EKS `env[].value`);
 * - log driver options (`logConfiguration.options` values: a splunk-token, a fluentd address with credentials);
 * - job definition `parameters` values (substituted into `Ref::name` placeholders, so as secret as what they fill);
 * - container command arguments (`command` after the program, EKS `args`), except bare `Ref::name` placeholders:
 *   the program stays readable, and a placeholder names a parameter, whose value is itself replaced.
 * Names and keys stay in clear so a diff still says which entry changed.
 *
 * `redact` replaces each secret by a keyed digest (HMAC-SHA256). The caller supplies the key: `plan` draws a random
 * one per run and never stores it, so within one plan equal values give equal digests (the diff still shows *that*
 * a value changed between A and B, never what it is), while nobody holding the plan file can test a guess of a value
 * offline, nor compare digests across plans. Pure: the randomness lives with the caller.
 *
 * `maskSecrets` replaces each secret, clear or redacted, by one constant, for comparisons that have no key.
 */
import { createHmac } from 'node:crypto';

import { BatchctlError } from '../errors';

export const REDACTED_PREFIX = '<redacted ';
/** What `maskSecrets` puts in place of every secret. */
export const SECRET_MASK = '<secret>';

/** The HMAC key of one redaction; must not be empty (an empty key is public, so digests could be guessed). */
export type RedactionKey = Buffer | string;

/** `<redacted hmac:XXXXXXXXXXXX>`: the first 12 hex digits of HMAC-SHA256(key, secret). */
export function redactedValue(secret: string, key: RedactionKey): string {
  assertKey(key);
  const mac = createHmac('sha256', key).update(secret, 'utf8').digest('hex').slice(0, 12);
  return `${REDACTED_PREFIX}hmac:${mac}>`;
}

function assertKey(key: RedactionKey): void {
  // An internal error: every caller passes a random key.
  if (key.length === 0) throw new BatchctlError('RedactionKeyEmpty', 'The redaction key must not be empty.');
}

export function isRedacted(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(REDACTED_PREFIX);
}

/** Keys whose string value is always secret, at any depth. */
const SECRET_KEYS = new Set(['UserData', 'userData']);
/** Keys that hold `[{name, value}]` lists whose values are secret (container environments at any depth). */
const ENVIRONMENT_KEYS = new Set(['environment', 'Environment', 'env']);
/** The keys of an environment entry that hold its (secret) value. */
const ENTRY_VALUE_KEYS = ['value', 'Value'];
/** Keys of string maps whose values are secret: job definition parameters. */
const SECRET_MAP_KEYS = new Set(['parameters']);
/** Keys of structures whose `options` string map is secret: a log driver's options (e.g. splunk-token). */
const LOG_CONFIGURATION_KEYS = new Set(['logConfiguration']);
/** Keys of argument lists: `command` keeps its first entry (the program); `args` (EKS) keeps none. */
const COMMAND_KEYS = new Map([
  ['command', 1],
  ['args', 0],
]);
/** A whole argument that only names a job definition parameter (`Ref::input`): no secret of its own. */
const PARAMETER_PLACEHOLDER = /^Ref::[A-Za-z0-9_-]+$/;

/** A deep copy of `value` with every secret replaced by its keyed digest. Idempotent: redacted values stay as they are. */
export function redact<T>(value: T, key: RedactionKey): T {
  assertKey(key);
  return walk(value, (secret) => (isRedacted(secret) ? secret : redactedValue(secret, key))) as T;
}

/**
 * A deep copy of `value` with every secret, in clear or redacted, replaced by `<secret>`: two values that differ
 * only in their secrets (or in the key they were redacted with) mask the same. Idempotent.
 */
export function maskSecrets<T>(value: T): T {
  return walk(value, () => SECRET_MASK) as T;
}

type Replace = (secret: string) => string;

function walk(value: unknown, replace: Replace): unknown {
  if (Array.isArray(value)) return value.map((child) => walk(child, replace));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const keep = COMMAND_KEYS.get(key);
    if (SECRET_KEYS.has(key) && typeof child === 'string') {
      out[key] = replace(child);
    } else if (ENVIRONMENT_KEYS.has(key) && Array.isArray(child)) {
      out[key] = child.map((entry) => replaceEnvironmentEntry(entry, replace));
    } else if (SECRET_MAP_KEYS.has(key) && isRecord(child)) {
      out[key] = replaceMapValues(child, replace);
    } else if (LOG_CONFIGURATION_KEYS.has(key) && isRecord(child)) {
      const rest = walk(child, replace) as Record<string, unknown>;
      out[key] = isRecord(child.options) ? { ...rest, options: replaceMapValues(child.options, replace) } : rest;
    } else if (keep !== undefined && Array.isArray(child)) {
      out[key] = child.map((arg: unknown, i) =>
        i < keep || typeof arg !== 'string' || PARAMETER_PLACEHOLDER.test(arg) ? walk(arg, replace) : replace(arg),
      );
    } else {
      out[key] = walk(child, replace);
    }
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every string value of a map replaced; keys kept, so a diff still names the entry that changed. */
function replaceMapValues(map: Record<string, unknown>, replace: Replace): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(map).map(([k, v]) => [k, typeof v === 'string' ? replace(v) : walk(v, replace)]),
  );
}

function replaceEnvironmentEntry(entry: unknown, replace: Replace): unknown {
  if (!entry || typeof entry !== 'object') return entry;
  const record = { ...(entry as Record<string, unknown>) };
  for (const key of ENTRY_VALUE_KEYS) {
    const v = record[key];
    if (typeof v === 'string') record[key] = replace(v);
  }
  return record;
}
