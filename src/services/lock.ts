/**
 * The swap lock: one promote or rollback per job queue at a time. The lock is an SSM parameter created without
 * overwrite: PutParameter with `Overwrite: false` fails with ParameterAlreadyExists when the name exists, atomically,
 * so of two runners exactly one creates it (SSM API reference, PutParameter, "Overwrite" and "Errors":
 * https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html). Its name comes from the
 * workload's job queue (core/lock-key.ts), its value names the holder. It needs no resource of the workload, costs
 * nothing (standard tier, 10,000 parameters per region), and survives the runner that took it: a stale lock is
 * broken only explicitly, with --force-unlock <lock id>.
 *
 * Not an empty EC2 launch template, although its name is as unique: EC2's query protocol sends an empty
 * LaunchTemplateData as no parameter at all and CreateLaunchTemplate answers MissingParameter (aws-facts §8a).
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import type { Aws } from '../aws/clients';
import {
  holderOf,
  LOCK_FORMAT,
  lockIdOf,
  lockParameterName,
  parseLock,
  serializeLock,
  type LockOperation,
  type LockRecord,
} from '../core/lock-key';
import { TAG_PLAN, TAG_WORKLOAD } from '../core/workload';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';

/** How many times a lock whose holder vanished between our put and our read is asked for again. */
const ACQUIRE_ATTEMPTS = 3;

export interface LockInfo {
  id: string;
  workload: string;
  planId: string;
  operation: string;
  startedAt: string;
  holder: string;
}

function infoOf(record: LockRecord): LockInfo {
  return {
    id: record.id,
    workload: record.workload,
    planId: record.planId,
    operation: record.operation,
    startedAt: record.startedAt,
    holder: holderOf(record),
  };
}

/**
 * The current lock of the queue whose base name is `key` (core/lock-key.ts lockKeyOf), or undefined. A parameter
 * at the lock's name that batchctl did not write still counts as held: its id is its SSM version, so it can be
 * broken like any other.
 */
export async function readLock(aws: Aws, key: string): Promise<LockInfo | undefined> {
  const held = await readHeldLock(aws, key);
  if (!held) return undefined;
  return {
    id: held.id,
    workload: held.workload,
    planId: held.planId,
    operation: held.operation,
    startedAt: held.startedAt,
    holder: held.holder,
  };
}

/** A lock with the host and process that hold it ('' and 0 for a value batchctl did not write): for `status`. */
export interface HeldLock extends LockInfo {
  host: string;
  pid: number;
}

/** readLock, with the holder's host and pid, which `status` checks to tell a live holder from a dead one. */
export async function readHeldLock(aws: Aws, key: string): Promise<HeldLock | undefined> {
  const parameter = await aws.ssm.getParameter(lockParameterName(key));
  if (!parameter) return undefined;
  const record = parseLock(parameter.value);
  if (record) return { ...infoOf(record), host: record.host, pid: record.pid };
  return {
    id: `v${parameter.version}`,
    workload: key,
    planId: 'unknown',
    operation: '',
    startedAt: 'unknown',
    holder: `a value batchctl did not write at ${lockParameterName(key)}`,
    host: '',
    pid: 0,
  };
}

function lockedError(lock: LockInfo, key: string, command: string): BatchctlError {
  return new BatchctlError(
    'Locked',
    `Workload ${lock.workload} is locked by ${lock.operation || 'a swap'} of plan ${lock.planId} since ${lock.startedAt} (${lock.holder}, lock ${lock.id}).`,
    {
      exitCode: ExitCode.Locked,
      suggestions: [
        `Wait for it to finish. If that run is dead, break the lock: ${command} --force-unlock ${lock.id}`,
        `The lock is the SSM parameter ${lockParameterName(key)}.`,
      ],
    },
  );
}

export interface Lock {
  info: LockInfo;
  /** Never throws: the swap's own outcome matters more. A lock that outlives the swap goes to `onWarning`. */
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** The workload's queue base name (core/lock-key.ts): what the lock is keyed by. */
  key: string;
  /** The spec's workload name, for messages. */
  workload: string;
  planId: string;
  operation: LockOperation;
  forceUnlock?: string;
  /** The command to repeat with --force-unlock, e.g. `batchctl promote plans/x.plan.json`. */
  command: string;
  onWarning: (message: string) => void;
}

/** Deletes the lock only while it is still ours: a lock broken with --force-unlock and taken by another run stays. */
function releaser(aws: Aws, options: AcquireOptions, info: LockInfo): () => Promise<void> {
  const name = lockParameterName(options.key);
  return async () => {
    try {
      const current = await readLock(aws, options.key);
      if (!current) return;
      if (current.id !== info.id) {
        options.onWarning(
          `lock ${info.id} of ${options.workload} was broken while this run held it; the lock now there (${current.id}, ${current.operation || 'a swap'} of plan ${current.planId}) was left in place.`,
        );
        return;
      }
      await aws.ssm.deleteParameter(name);
    } catch {
      // The swap itself is done or has failed for its own reason; a lock that outlives it is said, never hidden.
      options.onWarning(
        `could not release lock ${info.id} of ${options.workload} (SSM parameter ${name}); the next run must pass --force-unlock ${info.id}.`,
      );
    }
  };
}

async function breakLock(aws: Aws, options: AcquireOptions & { forceUnlock: string }): Promise<void> {
  const current = await readLock(aws, options.key);
  if (!current) return;
  if (current.id !== options.forceUnlock) {
    throw new BatchctlError(
      'LockIdMismatch',
      `--force-unlock ${options.forceUnlock} does not name the current lock of ${options.workload} (${current.id}); nothing was unlocked.`,
      {
        exitCode: ExitCode.Locked,
        suggestions: ['Run `batchctl status <spec>` to see the current lock.'],
      },
    );
  }
  await aws.ssm.deleteParameter(lockParameterName(options.key));
}

/**
 * Takes the lock or refuses, naming the holder. `forceUnlock` breaks the current lock only when its id matches, so a
 * lock taken since the user looked is never broken by mistake.
 */
export async function acquireLock(aws: Aws, options: AcquireOptions): Promise<Lock> {
  if (options.forceUnlock) await breakLock(aws, { ...options, forceUnlock: options.forceUnlock });
  const name = lockParameterName(options.key);
  for (let attempt = 1; ; attempt++) {
    const record: LockRecord = {
      format: LOCK_FORMAT,
      id: lockIdOf(randomBytes(8)),
      workload: options.workload,
      planId: options.planId,
      operation: options.operation,
      startedAt: new Date().toISOString(),
      host: hostname(),
      pid: process.pid,
      queueBase: options.key,
    };
    const created = await aws.ssm.createParameter({
      name,
      value: serializeLock(record),
      description: `batchctl lock: ${options.operation} of plan ${options.planId}`,
      tags: { [TAG_WORKLOAD]: options.workload, [TAG_PLAN]: options.planId },
    });
    if (created) {
      const info = infoOf(record);
      return { info, release: releaser(aws, options, info) };
    }
    const holder = await readLock(aws, options.key);
    // Our own put, whose reply was lost and which the SDK retried: the lock is ours.
    if (holder?.id === record.id) {
      const info = infoOf(record);
      return { info, release: releaser(aws, options, info) };
    }
    if (holder) throw lockedError(holder, options.key, options.command);
    // Released between our put and our read: ask again, a bounded number of times.
    if (attempt >= ACQUIRE_ATTEMPTS) {
      throw new BatchctlError(
        'Locked',
        `The lock of ${options.workload} (SSM parameter ${name}) changed hands ${ACQUIRE_ATTEMPTS} times while this run asked for it.`,
        {
          exitCode: ExitCode.Locked,
          suggestions: [`Another run is taking and releasing it; run \`${options.command}\` again once it is done.`],
        },
      );
    }
  }
}
