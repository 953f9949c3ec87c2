/**
 * The workload lock's name and value, pure. The lock is an SSM parameter (see services/lock.ts); this module decides
 * what it is called and what it holds.
 *
 * Name: `/batchctl/lock/job-queue/<base>`, where `<base>` is the workload's job queue name without its revision
 * suffix (`reproject-a`, `reproject-b` and an adopted `reproject` all give `reproject`). The lock is therefore keyed
 * by the live resources, not by the spec's workload name: two specs that name the same queue under different
 * workload names take the same lock, and a swap A → B excludes the B → A swap that follows it. SSM parameters are
 * per account and region, like queue names, so the name needs neither.
 *
 * SSM's rules for the name (API_PutParameter, "Name"): letters, digits and `_ . - /`, at most 1011 characters, at
 * most 15 hierarchy levels, and the first level may not begin with `aws` or `ssm`. A queue name is at most 128
 * letters, digits, `-` and `_` (aws-facts §4.2), so every base fits; `lockParameterName` checks anyway.
 *
 * Value: one JSON object (a standard parameter holds at most 4 KB, API_PutParameter "Value") naming the lock id that
 * `--force-unlock` must quote, the plan, the operation, the host and process, and the start time.
 */
import { BatchctlError } from '../errors';
import { DEFAULT_SUFFIXES, nextName, type Suffixes } from './naming';

/** Every lock batchctl takes lives under this path (the IAM resource `parameter/batchctl/lock/*`). */
export const LOCK_PARAMETER_PREFIX = '/batchctl/lock';
export const LOCK_FORMAT = 'batchctl-lock/1';
/** A standard SSM parameter's value limit (API_PutParameter, "Value": 4 KB). */
export const LOCK_VALUE_MAX_BYTES = 4096;

const NAME_MAX = 1011;
const LEVELS_MAX = 15;
const NAME_PATTERN = /^[A-Za-z0-9_.\-/]+$/;

export type LockOperation = 'promote' | 'rollback';

export interface LockRecord {
  format: typeof LOCK_FORMAT;
  /** What a refusal shows and `--force-unlock` must name: random, so a lock taken later never has the same id. */
  id: string;
  workload: string;
  planId: string;
  operation: LockOperation;
  /** ISO 8601. */
  startedAt: string;
  host: string;
  pid: number;
  /** The queue base name the lock is keyed by (the last level of the parameter name). */
  queueBase: string;
}

/** The lock key of a job queue: its name without the revision suffix, the same for revision a and b. */
export function lockKeyOf(queueName: string, suffixes: Suffixes = DEFAULT_SUFFIXES): string {
  return nextName(queueName, suffixes).base;
}

/**
 * The lock key of a plan, from its live queue and the queue it creates. The plan does not record its suffixes, so
 * the caller offers candidates (the spec's, then the defaults); the right ones are those that turn the live queue's
 * name into the target's, exactly as plan derived it. When none does (the spec is gone and used other suffixes),
 * the key still comes from the two names: an adopted queue's copy starts with its name; otherwise the common
 * prefix of both names minus one trailing separator, which is what any `-x`/`_x` style suffix pair leaves.
 */
export function lockKeyOfPlan(liveQueue: string, targetQueue: string, candidates: Suffixes[]): string {
  for (const suffixes of [...candidates, DEFAULT_SUFFIXES]) {
    const name = nextName(liveQueue, suffixes);
    if (name.next === targetQueue) return name.base;
  }
  if (targetQueue.startsWith(liveQueue)) return liveQueue;
  let common = 0;
  while (common < liveQueue.length && liveQueue[common] === targetQueue[common]) common++;
  const prefix = liveQueue.slice(0, common).replace(/[-_.]$/, '');
  return prefix || liveQueue;
}

/** Undefined when `name` is a valid SSM parameter name, otherwise why not. */
export function parameterNameProblem(name: string): string | undefined {
  if (name.length > NAME_MAX) return `is ${name.length} characters long; SSM allows ${NAME_MAX}`;
  if (!NAME_PATTERN.test(name)) return 'may contain only letters, digits and _ . - /';
  const levels = name.split('/').filter(Boolean);
  if (levels.length > LEVELS_MAX) return `has ${levels.length} levels; SSM allows ${LEVELS_MAX}`;
  if (/^(aws|ssm)/i.test(levels[0] ?? '')) return 'may not begin with "aws" or "ssm"';
  return undefined;
}

/** The SSM parameter that is the lock for this key. */
export function lockParameterName(key: string): string {
  const name = `${LOCK_PARAMETER_PREFIX}/job-queue/${key}`;
  const problem = parameterNameProblem(name);
  // A key comes from a job queue name, which AWS has already validated; this is a programming error, not input.
  if (!key || key.includes('/') || problem) {
    throw new BatchctlError(
      'LockKeyInvalid',
      `The lock key "${key}" (the job queue's base name) gives no valid SSM parameter name: ${problem ?? 'it must be one non-empty level'}.`,
    );
  }
  return name;
}

/** `lk-` and 16 hex digits from 8 random bytes. */
export function lockIdOf(random: Uint8Array): string {
  return `lk-${Buffer.from(random).toString('hex').slice(0, 16)}`;
}

/** The parameter's value. Within the 4 KB limit whatever the host name: an over-long host name is shortened. */
export function serializeLock(record: LockRecord): string {
  const text = JSON.stringify(record);
  const over = Buffer.byteLength(text, 'utf8') - LOCK_VALUE_MAX_BYTES;
  if (over <= 0) return text;
  // Every character is at least one byte, so dropping `over` characters plus the marker's three is enough.
  const host = record.host.slice(0, Math.max(0, record.host.length - over - 3));
  const shortened = JSON.stringify({ ...record, host: `${host}...` });
  if (Buffer.byteLength(shortened, 'utf8') > LOCK_VALUE_MAX_BYTES) {
    throw new BatchctlError(
      'LockValueTooLong',
      `The lock value for ${record.queueBase} exceeds the ${LOCK_VALUE_MAX_BYTES} bytes of a standard SSM parameter.`,
    );
  }
  return shortened;
}

/** The lock a parameter value describes; undefined when it was not written by this version of batchctl. */
export function parseLock(value: string): LockRecord | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const r = parsed as Record<string, unknown>;
  const str = (k: string): boolean => typeof r[k] === 'string';
  if (r.format !== LOCK_FORMAT || !str('id') || !str('workload') || !str('planId') || !str('startedAt')) {
    return undefined;
  }
  if (r.operation !== 'promote' && r.operation !== 'rollback') return undefined;
  return {
    format: LOCK_FORMAT,
    id: r.id as string,
    workload: r.workload as string,
    planId: r.planId as string,
    operation: r.operation,
    startedAt: r.startedAt as string,
    host: str('host') ? (r.host as string) : '',
    pid: typeof r.pid === 'number' ? r.pid : 0,
    queueBase: str('queueBase') ? (r.queueBase as string) : '',
  };
}

/** How a refusal and `status` name the holder: `runner-7 pid 4242`. */
export function holderOf(record: Pick<LockRecord, 'host' | 'pid'>): string {
  return `${record.host || 'unknown host'} pid ${record.pid}`;
}
