/**
 * The swap lock: one promote or rollback per workload at a time. AWS offers batchctl no conditional write in the
 * services it already uses except one: a launch template name is unique per region and CreateLaunchTemplate fails
 * atomically with AlreadyExists for the second caller. So the lock is an empty launch template named
 * `batchctl-lock-<workload>`, its tags saying who holds it. It costs nothing (5,000 templates per region,
 * aws-facts §1.2), needs no extra service, and survives the runner that took it: a stale lock is broken only
 * explicitly, with --force-unlock <lock id>.
 */
import { hostname } from 'node:os';

import type { Aws } from '../aws/clients';
import { awsErrorMessage, awsErrorName } from '../aws/errors';
import { TAG_PLAN, TAG_WORKLOAD } from '../core/workload';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';

const TAG_OPERATION = 'batchctl:lock-operation';
const TAG_STARTED = 'batchctl:lock-started';
const TAG_HOLDER = 'batchctl:lock-holder';

export interface LockInfo {
  id: string;
  workload: string;
  planId: string;
  operation: string;
  startedAt: string;
  holder: string;
}

export function lockName(workload: string): string {
  return `batchctl-lock-${workload}`;
}

export async function readLock(aws: Aws, workload: string): Promise<LockInfo | undefined> {
  const [template] = await aws.ec2.findLaunchTemplatesByName([lockName(workload)]);
  if (!template) return undefined;
  const tag = (key: string): string => template.Tags?.find((t) => t.Key === key)?.Value ?? '';
  return {
    id: template.LaunchTemplateId ?? '',
    workload,
    planId: tag(TAG_PLAN),
    operation: tag(TAG_OPERATION),
    startedAt: tag(TAG_STARTED),
    holder: tag(TAG_HOLDER),
  };
}

function lockedError(lock: LockInfo, command: string): BatchctlError {
  return new BatchctlError(
    'Locked',
    `Workload ${lock.workload} is locked by ${lock.operation || 'a swap'} of plan ${lock.planId} since ${lock.startedAt} (${lock.holder}, lock ${lock.id}).`,
    {
      exitCode: ExitCode.Locked,
      suggestions: [`Wait for it to finish. If that run is dead, break the lock: ${command} --force-unlock ${lock.id}`],
    },
  );
}

export interface Lock {
  info: LockInfo;
  /** Never throws: the swap's own outcome matters more. A lock that outlives the swap goes to `onWarning`. */
  release(): Promise<void>;
}

/**
 * Takes the lock or refuses, naming the holder. `forceUnlock` breaks the current lock only when its id matches, so a
 * lock taken since the user looked is never broken by mistake.
 */
export async function acquireLock(
  aws: Aws,
  options: {
    workload: string;
    planId: string;
    operation: 'promote' | 'rollback';
    forceUnlock?: string;
    command: string;
    onWarning: (message: string) => void;
  },
  attempt = 1,
): Promise<Lock> {
  if (options.forceUnlock) {
    const current = await readLock(aws, options.workload);
    if (current && current.id !== options.forceUnlock) {
      throw new BatchctlError(
        'LockIdMismatch',
        `--force-unlock ${options.forceUnlock} does not name the current lock of ${options.workload} (${current.id}); nothing was unlocked.`,
        {
          exitCode: ExitCode.Locked,
          suggestions: ['Run `batchctl status <spec>` to see the current lock.'],
        },
      );
    }
    if (current) await aws.ec2.deleteLaunchTemplate(current.id);
  }
  const startedAt = new Date().toISOString();
  const holder = `${hostname()} pid ${process.pid}`;
  try {
    const created = await aws.ec2.createLaunchTemplate({
      LaunchTemplateName: lockName(options.workload),
      LaunchTemplateData: {},
      TagSpecifications: [
        {
          ResourceType: 'launch-template',
          Tags: [
            { Key: TAG_WORKLOAD, Value: options.workload },
            { Key: TAG_PLAN, Value: options.planId },
            { Key: TAG_OPERATION, Value: options.operation },
            { Key: TAG_STARTED, Value: startedAt },
            { Key: TAG_HOLDER, Value: holder },
          ],
        },
      ],
    });
    const info: LockInfo = {
      id: created.id,
      workload: options.workload,
      planId: options.planId,
      operation: options.operation,
      startedAt,
      holder,
    };
    return {
      info,
      release: async () => {
        try {
          await aws.ec2.deleteLaunchTemplate(created.id);
        } catch {
          // The swap itself is done or has failed for its own reason; a lock that outlives it is said, never hidden.
          options.onWarning(
            `could not release lock ${created.id} of ${options.workload}; the next run must pass --force-unlock ${created.id}.`,
          );
        }
      },
    };
  } catch (error) {
    if (!/AlreadyExists/i.test(awsErrorName(error)) && !/already/i.test(awsErrorMessage(error))) throw error;
    const holderNow = await readLock(aws, options.workload);
    // Released between our create and our read: try again, a bounded number of times.
    if (!holderNow && attempt < 3) return acquireLock(aws, { ...options, forceUnlock: undefined }, attempt + 1);
    if (!holderNow) throw error;
    throw lockedError(holderNow, options.command);
  }
}
