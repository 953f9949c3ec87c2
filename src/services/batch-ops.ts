/**
 * Lifecycle operations on Batch resources that promote and rollback share: create-or-reuse, wait for VALID,
 * disable, delete and wait until gone. Each one first looks at what exists, so it can be repeated safely.
 */
import type { Aws } from '../aws/clients';
import { awsErrorMessage } from '../aws/errors';
import { usesTemplate } from '../core/template-users';
import { isStanding, TAG_PLAN, type ResourceRef } from '../core/workload';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { pollUntil } from '../lib/poll';

export interface WaitOptions {
  intervalMs: number;
  maxIntervalMs: number;
  timeoutMs: number;
}

export async function waitComputeEnvironmentValid(
  aws: Aws,
  name: string,
  wait: WaitOptions,
  state?: 'ENABLED' | 'DISABLED',
): Promise<void> {
  await pollUntil(
    async () => {
      const [now] = await aws.batch.describeComputeEnvironments([name]);
      if (now?.status === 'INVALID') {
        throw new BatchctlError(
          'ComputeEnvironmentInvalid',
          `Compute environment ${name} is INVALID: ${now.statusReason ?? 'no reason given'}.`,
          {
            suggestions: ['Fix the cause (role, subnets, launch template), then run the same command again.'],
          },
        );
      }
      return now?.status === 'VALID' && (!state || now.state === state) ? true : undefined;
    },
    { ...wait, what: `compute environment ${name} to become VALID${state ? ` and ${state}` : ''}` },
  );
}

export async function waitQueueValid(
  aws: Aws,
  nameOrArn: string,
  wait: WaitOptions,
  state?: 'ENABLED' | 'DISABLED',
): Promise<void> {
  await pollUntil(
    async () => {
      const [q] = await aws.batch.describeJobQueues([nameOrArn]);
      if (q?.status === 'INVALID') {
        throw new BatchctlError(
          'JobQueueInvalid',
          `Job queue ${nameOrArn} is INVALID: ${q.statusReason ?? 'no reason given'}.`,
        );
      }
      return q?.status === 'VALID' && (!state || q.state === state) ? true : undefined;
    },
    { ...wait, what: `job queue ${nameOrArn} to become VALID${state ? ` and ${state}` : ''}` },
  );
}

export async function setQueueState(
  aws: Aws,
  queue: ResourceRef,
  state: 'ENABLED' | 'DISABLED',
  wait: WaitOptions,
): Promise<boolean> {
  const [q] = await aws.batch.describeJobQueues([queue.arn]);
  if (!q) return false;
  if (q.state !== state) await aws.batch.updateJobQueue({ jobQueue: queue.arn, state });
  await waitQueueValid(aws, queue.arn, wait, state);
  return q.state !== state;
}

export async function setComputeEnvironmentState(
  aws: Aws,
  ce: ResourceRef,
  state: 'ENABLED' | 'DISABLED',
  wait: WaitOptions,
): Promise<boolean> {
  const [c] = await aws.batch.describeComputeEnvironments([ce.arn]);
  if (!c) return false;
  if (c.state !== state) await aws.batch.updateComputeEnvironment({ computeEnvironment: ce.arn, state });
  await waitComputeEnvironmentValid(aws, ce.arn, wait, state);
  return c.state !== state;
}

/** Deletes a queue that must already be DISABLED and drained, and waits until it is gone. False when already gone. */
export async function deleteQueue(aws: Aws, queue: ResourceRef, wait: WaitOptions): Promise<boolean> {
  const [q] = await aws.batch.describeJobQueues([queue.arn]);
  if (!q || q.status === 'DELETED') return false;
  if (q.status !== 'DELETING') await aws.batch.deleteJobQueue(queue.arn);
  await pollUntil(
    async () => {
      const [now] = await aws.batch.describeJobQueues([queue.arn]);
      return !now || now.status === 'DELETED' ? true : undefined;
    },
    { ...wait, what: `job queue ${queue.name} to be deleted` },
  );
  return true;
}

/**
 * Disables, deletes and waits for a compute environment to be gone. Batch keeps a deleted queue's relationship for a
 * while ("Cannot delete, found existing JobQueue relationship"): that error is retried until the deadline.
 */
export async function deleteComputeEnvironment(aws: Aws, ce: ResourceRef, wait: WaitOptions): Promise<boolean> {
  const [c] = await aws.batch.describeComputeEnvironments([ce.arn]);
  if (!c || c.status === 'DELETED') return false;
  if (c.status !== 'DELETING') {
    await setComputeEnvironmentState(aws, ce, 'DISABLED', wait);
    await pollUntil(
      async () => {
        try {
          await aws.batch.deleteComputeEnvironment(ce.arn);
          return true;
        } catch (error) {
          if (/relationship/i.test(awsErrorMessage(error))) return undefined;
          throw error;
        }
      },
      { ...wait, what: `compute environment ${ce.name} to be released by its queue` },
    );
  }
  await pollUntil(
    async () => {
      const [now] = await aws.batch.describeComputeEnvironments([ce.arn]);
      return !now || now.status === 'DELETED' ? true : undefined;
    },
    { ...wait, what: `compute environment ${ce.name} to be deleted` },
  );
  return true;
}

export type TemplateDeletion = { outcome: 'deleted' | 'absent' } | { outcome: 'kept'; usedBy: string };

/**
 * Deletes a launch template unless a compute environment of the region still uses it — by id or name, directly or in
 * launchTemplate.overrides (aws-facts §4.1) — whoever owns that compute environment: a CE snapshots its template
 * version and scales out from it, so deleting it would break that CE's next instances.
 */
export async function deleteLaunchTemplateUnlessUsed(
  aws: Aws,
  name: string,
  accept: (template: { Tags?: { Key?: string; Value?: string }[] }) => boolean = () => true,
): Promise<TemplateDeletion> {
  const [template] = await aws.ec2.findLaunchTemplatesByName([name]);
  if (!template?.LaunchTemplateId || !accept(template)) return { outcome: 'absent' };
  const ref = { id: template.LaunchTemplateId, name };
  const user = (await aws.batch.describeComputeEnvironments()).find(
    (c) => c.status !== 'DELETED' && usesTemplate(c, ref),
  );
  if (user) return { outcome: 'kept', usedBy: user.computeEnvironmentName ?? '' };
  await aws.ec2.deleteLaunchTemplate(template.LaunchTemplateId);
  return { outcome: 'deleted' };
}

function nameTaken(what: string, owner: string | undefined): BatchctlError {
  return new BatchctlError(
    'NameTaken',
    `${what} exists and belongs to ${owner ? `plan ${owner}` : 'no batchctl plan'}; B cannot use its name.`,
    {
      exitCode: ExitCode.Locked,
      suggestions: ['Finish or roll back the swap that created it, or re-plan to see what holds the name.'],
    },
  );
}

/**
 * Creates a resource unless one of that name stands. A namesake still DELETING (the previous swap's, retired moments
 * ago) holds the name: wait until it is gone, then create; "already exists" just after it went is the same eventual
 * consistency and is retried until the deadline (anchors: name-reuse conflicts). An "already exists" for a resource
 * carrying this plan's `batchctl:plan` tag is our own create: its reply was lost and the SDK retried it (Batch Create*
 * has no client token, aws-facts §4.4), so it counts as created. Returns false when it already stood.
 */
export async function createOnceNameIsFree(
  find: () => Promise<{ status?: string; tags?: Record<string, string> } | undefined>,
  create: () => Promise<unknown>,
  what: string,
  wait: WaitOptions,
  planId: string,
): Promise<boolean> {
  const current = await pollUntil(
    async () => {
      const found = await find();
      return found?.status === 'DELETING' ? undefined : { found };
    },
    { ...wait, what: `the previous ${what} to finish deleting` },
  );
  if (current.found && current.found.status !== 'DELETED') {
    // A standing namesake is this plan's own (a re-run) or someone else's: never take another's for ours.
    if (current.found.tags?.[TAG_PLAN] !== planId) throw nameTaken(what, current.found.tags?.[TAG_PLAN]);
    return false;
  }
  await pollUntil(
    async () => {
      try {
        await create();
        return true;
      } catch (error) {
        if (!/already exists/i.test(awsErrorMessage(error))) throw error;
        const found = await find();
        const standing = found && isStanding(found);
        if (standing && found.tags?.[TAG_PLAN] !== planId) throw nameTaken(what, found.tags?.[TAG_PLAN]);
        return standing ? true : undefined;
      }
    },
    { ...wait, what: `the name of ${what} to be free` },
  );
  return true;
}
