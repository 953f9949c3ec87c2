/**
 * Names B must not take because a resource that something outside the workload still uses holds them: A's compute
 * environment shared with another queue, kept at retirement, and the launch templates such a compute environment
 * uses. Deleting those would break the other queue, so B takes an alternative name (naming.ts nameCandidates) and
 * the A ↔ B cycle keeps working. Resources of this same plan (a resumed swap) never count as holders.
 */
import type { Aws } from '../aws/clients';
import type { ComputeEnvironmentDetail, JobQueueDetail } from '../aws/types';
import { computeEnvironmentName } from '../core/arn';
import type { HeldNames } from '../core/derive';
import { nameCandidates, type Suffixes } from '../core/naming';
import { usesTemplate } from '../core/template-users';
import { isStanding, TAG_PLAN, templatePlan } from '../core/workload';
import type { Discovery } from './discovery';

/** The queues (other than `except`) whose computeEnvironmentOrder names this compute environment. */
export function queuesUsing(
  queues: JobQueueDetail[],
  ce: { name: string; arn: string },
  except: string[] = [],
): JobQueueDetail[] {
  return queues
    .filter((q) => q.status !== 'DELETED' && !except.includes(q.jobQueueArn ?? ''))
    .filter((q) =>
      (q.computeEnvironmentOrder ?? []).some(
        (o) => o.computeEnvironment === ce.arn || computeEnvironmentName(o.computeEnvironment ?? '') === ce.name,
      ),
    );
}

export async function heldNames(
  aws: Aws,
  discovery: Discovery,
  suffixes: Suffixes,
  planId: string,
): Promise<HeldNames> {
  const { live } = discovery;
  const notOurs = (r: { tags?: Record<string, string> }): boolean => r.tags?.[TAG_PLAN] !== planId;
  const liveArns = new Set(live.computeEnvironments.map((c) => c.detail.computeEnvironmentArn));
  const outside: ComputeEnvironmentDetail[] = discovery.allComputeEnvironments
    .filter(isStanding)
    .filter(notOurs)
    .filter((c) => !liveArns.has(c.computeEnvironmentArn));
  const otherQueues = discovery.allQueues
    .filter(isStanding)
    .filter(notOurs)
    .filter((q) => q.jobQueueArn !== live.queue.jobQueueArn);
  const computeEnvironments = new Set(
    outside
      .filter(
        (c) =>
          queuesUsing(otherQueues, { name: c.computeEnvironmentName ?? '', arn: c.computeEnvironmentArn ?? '' })
            .length > 0,
      )
      .map((c) => c.computeEnvironmentName ?? ''),
  );
  const candidates = [...new Set(live.launchTemplates.flatMap((lt) => nameCandidates(lt.name, suffixes)))];
  const found = await aws.ec2.findLaunchTemplatesByName(candidates);
  const launchTemplates = new Set(
    found
      .filter((t) => templatePlan(t) !== planId)
      .filter((t) =>
        outside.some((ce) => usesTemplate(ce, { id: t.LaunchTemplateId ?? '', name: t.LaunchTemplateName ?? '' })),
      )
      .map((t) => t.LaunchTemplateName ?? ''),
  );
  return { computeEnvironments, launchTemplates };
}
