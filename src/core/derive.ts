/**
 * Derives revision B from live revision A and the spec's changes. Pure: the same A, spec and plan id always give
 * the same B, which is what lets promote re-derive B and check it against the plan instead of storing secrets.
 */
import { cloneComputeEnvironment, cloneJobDefinition, cloneJobQueue, cloneLaunchTemplateData, userTags } from './clone';
import { batchArn } from './arn';
import { applyChanges } from './merge';
import { freeName, nextName } from './naming';
import { jobDefinitionChanges, suffixesOf, type Spec } from './spec';
import {
  TAG_PLAN,
  TAG_REVISION,
  TAG_WORKLOAD,
  type DesiredComputeEnvironment,
  type DesiredJobDefinition,
  type DesiredLaunchTemplate,
  type DesiredRevision,
  type LiveWorkload,
} from './workload';

/**
 * Names B must not take: held by a resource that something outside the workload still uses (a compute environment in
 * another queue's order, a launch template such a compute environment uses). B takes an alternative instead
 * (naming.ts nameCandidates), so the A ↔ B cycle goes on around a shared compute environment kept at retirement.
 */
export interface HeldNames {
  computeEnvironments: ReadonlySet<string>;
  launchTemplates: ReadonlySet<string>;
}

const NONE_HELD: HeldNames = { computeEnvironments: new Set(), launchTemplates: new Set() };

export function deriveRevision(
  live: LiveWorkload,
  spec: Spec,
  planId: string,
  held: HeldNames = NONE_HELD,
): DesiredRevision {
  const suffixes = suffixesOf(spec);
  const queueName = nextName(live.queue.jobQueueName ?? '', suffixes);
  const label = queueName.live === 'a' ? 'b' : 'a';
  const ownership = { [TAG_WORKLOAD]: spec.workload, [TAG_REVISION]: label, [TAG_PLAN]: planId };
  const withOwnership = (tags: Record<string, string> | undefined): Record<string, string> => ({
    ...userTags(tags),
    ...ownership,
  });
  const changes = spec.changes ?? {};

  const launchTemplates: DesiredLaunchTemplate[] = live.launchTemplates.map((lt) => ({
    from: { id: lt.id, name: lt.name, version: lt.version },
    name: freeName(lt.name, suffixes, held.launchTemplates),
    data: applyChanges(cloneLaunchTemplateData(lt.data), changes.launchTemplate?.data),
    tags: withOwnership(lt.tags),
  }));
  const ltNameById = new Map(live.launchTemplates.map((lt, i) => [lt.id, launchTemplates[i]?.name ?? '']));
  const ltNameByName = new Map(live.launchTemplates.map((lt, i) => [lt.name, launchTemplates[i]?.name ?? '']));

  const computeEnvironments: DesiredComputeEnvironment[] = live.computeEnvironments.map((ce) => {
    const name = freeName(ce.detail.computeEnvironmentName ?? '', suffixes, held.computeEnvironments);
    const input = cloneComputeEnvironment(ce.detail, name);
    if (input.computeResources?.launchTemplate && ce.launchTemplateId) {
      // B's own template, pinned by number: a CE snapshots $Latest/$Default at creation (aws-facts §4.4).
      const { launchTemplateId: _aTemplate, overrides, ...rest } = input.computeResources.launchTemplate;
      // Overrides whose templates discovery cloned (launchTemplateOverrides: clone) name B's copies, pinned the
      // same way; with `share` none was cloned and they keep naming A's templates.
      const cloned = overrides?.map((o) => {
        const bName = o.launchTemplateId
          ? ltNameById.get(o.launchTemplateId)
          : ltNameByName.get(o.launchTemplateName ?? '');
        if (!bName) return o;
        const { launchTemplateId: _aId, launchTemplateName: _aName, ...keep } = o;
        return { ...keep, launchTemplateName: bName, version: '1' };
      });
      input.computeResources.launchTemplate = {
        ...rest,
        launchTemplateName: ltNameById.get(ce.launchTemplateId),
        version: '1',
        ...(cloned ? { overrides: cloned } : {}),
      };
    }
    const ceChanges = changes.computeEnvironment;
    if (ceChanges?.computeResources && input.computeResources) {
      input.computeResources = applyChanges(input.computeResources, ceChanges.computeResources);
    }
    if (ceChanges?.serviceRole) input.serviceRole = ceChanges.serviceRole;
    input.tags = withOwnership({ ...input.tags, ...ceChanges?.tags });
    const updatePolicy =
      ce.detail.updatePolicy || ceChanges?.updatePolicy
        ? { ...ce.detail.updatePolicy, ...ceChanges?.updatePolicy }
        : undefined;
    return {
      from: { name: ce.detail.computeEnvironmentName ?? '', arn: ce.detail.computeEnvironmentArn ?? '' },
      name,
      arn: batchArn(live, 'compute-environment', name),
      input,
      ...(updatePolicy ? { updatePolicy } : {}),
      disableAfterCreate: ce.detail.state === 'DISABLED',
      retireFrom: ce.sharedWith.length === 0,
    };
  });
  const ceArnByFrom = new Map(computeEnvironments.map((ce) => [ce.from.arn, ce.arn]));

  const queueInput = cloneJobQueue(live.queue, queueName.next);
  queueInput.state = 'ENABLED';
  // Absent on a queue of service environments: it can't have both orders (API model).
  queueInput.computeEnvironmentOrder &&= queueInput.computeEnvironmentOrder.map((o) => ({
    order: o.order,
    computeEnvironment: ceArnByFrom.get(o.computeEnvironment ?? '') ?? o.computeEnvironment,
  }));
  const q = changes.jobQueue;
  if (q?.priority !== undefined) queueInput.priority = q.priority;
  if (q?.schedulingPolicyArn) queueInput.schedulingPolicyArn = q.schedulingPolicyArn;
  if (q?.jobStateTimeLimitActions) {
    queueInput.jobStateTimeLimitActions =
      q.jobStateTimeLimitActions as unknown as typeof queueInput.jobStateTimeLimitActions;
  }
  queueInput.tags = withOwnership({ ...queueInput.tags, ...q?.tags });

  const jobDefinitions: DesiredJobDefinition[] = live.jobDefinitions.map((jd) => {
    const fromName = jd.detail.jobDefinitionName ?? '';
    const from = {
      name: fromName,
      arn: jd.detail.jobDefinitionArn ?? '',
      revision: jd.detail.revision ?? 0,
    };
    const jdChanges = jobDefinitionChanges(spec, fromName);
    if (!jdChanges) return { from, changed: false, name: fromName };
    const name = nextName(fromName, suffixes).next;
    const input = applyChanges(cloneJobDefinition(jd.detail, name), jdChanges);
    input.tags = withOwnership(input.tags);
    return { from, changed: true, name, input };
  });

  return {
    label,
    launchTemplates,
    computeEnvironments,
    jobQueue: {
      from: { name: live.queue.jobQueueName ?? '', arn: live.queue.jobQueueArn ?? '' },
      name: queueName.next,
      arn: batchArn(live, 'job-queue', queueName.next),
      input: queueInput,
    },
    jobDefinitions,
  };
}
