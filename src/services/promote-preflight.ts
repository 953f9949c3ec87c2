/**
 * Promote's preflight: where the swap stands (read from AWS), and whether the plan still describes the account —
 * nothing it fingerprinted changed, no state machine outside it names A, B derives as planned.
 */
import type { Aws } from '../aws/clients';
import { canonicalJson } from '../core/digest';
import { deriveRevision } from '../core/derive';
import { compareObserved, observeStateMachine, observeWorkload } from '../core/fingerprint';
import type { PlanFile } from '../core/plan';
import { maskSecrets } from '../core/redact';
import type { WorkloadTarget } from '../core/references';
import { liveTarget, unplannedReferences } from '../core/repoint';
import { suffixesOf } from '../core/spec';
import { isStanding, TAG_PLAN, type DesiredRevision } from '../core/workload';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { mapLimit } from '../lib/parallel';
import { discover, type Discovery } from './discovery';
import { heldNames } from './held-names';
import { AliasInspector, strayAliases } from './references';
import { loadPlannedSpec } from './swap-steps';
import { describeUnplanned, plannedStateMachines, unplannedError } from './unplanned';

/** Where a run finds the swap: nothing done yet, part-way (B being built or cut over to), or retiring A. */
export type Progress = 'start' | 'build' | 'retire';

function stale(plan: PlanFile, reasons: string[]): BatchctlError {
  return new BatchctlError('StalePlan', `Plan ${plan.id} is stale: ${reasons.join('; ')}.`, {
    exitCode: ExitCode.StalePlan,
    suggestions: ['Run `batchctl plan` again and review the new plan.'],
  });
}

/**
 * Where the swap stands, read from AWS: B's queue or compute environments tagged with this plan mean a build is under
 * way; A's queue gone while B's stands means retirement has begun. A B resource tagged by another plan is refused.
 */
export async function readProgress(aws: Aws, plan: PlanFile): Promise<Progress> {
  const target = plan.target;
  const [queues, ces] = await Promise.all([
    aws.batch.describeJobQueues([target.jobQueue.name, plan.live.queue.arn]),
    aws.batch.describeComputeEnvironments(target.computeEnvironments.map((ce) => ce.name)),
  ]);
  // A namesake on its way out (the previous swap's, being deleted) is not B: promote waits for it to go.
  const bQueue = queues.filter(isStanding).find((q) => q.jobQueueName === target.jobQueue.name);
  const owners = [
    ...(bQueue ? [bQueue.tags?.[TAG_PLAN]] : []),
    ...ces.filter(isStanding).map((c) => c.tags?.[TAG_PLAN]),
  ];
  const foreign = owners.find((o) => o !== plan.id);
  if (owners.some((o) => o !== plan.id)) {
    throw new BatchctlError(
      'Locked',
      `B's resources of workload ${plan.workload} belong to ${foreign ? `plan ${foreign}` : 'no batchctl plan'}: another swap is in progress or a name is taken.`,
      { exitCode: ExitCode.Locked, suggestions: ['Finish or roll back that swap first, or re-plan.'] },
    );
  }
  // A's queue already DELETING counts as gone: retirement has begun and only has to be finished.
  const aQueue = queues.filter(isStanding).find((q) => q.jobQueueArn === plan.live.queue.arn);
  if (bQueue && !aQueue) return 'retire';
  return owners.length ? 'build' : 'start';
}

/** A fresh start must match the plan exactly; a resumed one only in what promote itself does not change. */
export async function preflight(
  aws: Aws,
  plan: PlanFile,
  planPath: string,
  progress: Progress,
): Promise<DesiredRevision> {
  const spec = await loadPlannedSpec(plan, planPath);
  // Once references point at B, A's job definitions are no longer found through them: take the plan's.
  // A is the plan's live queue, whatever the account would now say is live (references may point at B already).
  const known =
    progress === 'start'
      ? { queue: plan.live.queue.arn }
      : {
          queue: plan.live.queue.arn,
          jobDefinitions: plan.live.jobDefinitions.map((jd) => ({ name: jd.name, revision: jd.revision })),
        };
  const discovery = await discover(aws, spec, plan.spec.path, known);
  // Named differences first ("job-queue reproject-a: priority 10 → 20"); the derived-B comparison catches the rest.
  const current = [...observeWorkload(discovery.live), ...discovery.stateMachines.map((sm) => observeStateMachine(sm))];
  const planned =
    progress === 'start'
      ? plan.observed
      : plan.observed.filter((o) => o.kind !== 'state-machine' && o.kind !== 'job-queue');
  const drifts = compareObserved(planned, current);
  if (drifts.length)
    throw stale(
      plan,
      drifts.map((d) => d.message),
    );
  // A state machine created (or changed to use A) since the plan would still submit to A once it is deleted.
  const unplanned = unplannedReferences(discovery.stateMachines, plan.live.queue, plannedStateMachines(plan), false);
  if (unplanned.length) {
    if (progress !== 'start') throw unplannedError(plan, planPath, unplanned, 'promote');
    throw stale(plan, [`${describeUnplanned(plan.live.queue.name, unplanned)}, and the plan does not cover it`]);
  }
  const held = await heldNames(aws, discovery, suffixesOf(spec), plan.id);
  const b = deriveRevision(discovery.live, spec, plan.id, held);
  if (canonicalJson(maskSecrets(b)) !== canonicalJson(maskSecrets(plan.target))) {
    throw stale(plan, ['revision B derived from the account now differs from the planned one']);
  }
  if (progress === 'start') {
    const aliasChanges = await aliasDrifts(
      aws,
      plan,
      discovery.stateMachines,
      liveTarget(b, activeRevisions(discovery)),
    );
    if (aliasChanges.length) throw stale(plan, aliasChanges);
  }
  return b;
}

const activeRevisions = (discovery: Discovery): Map<string, number[]> =>
  new Map(discovery.live.jobDefinitions.map((jd) => [jd.detail.jobDefinitionName ?? '', jd.activeRevisions]));

/**
 * Alias routing is not in a state machine's definition, so the definition digests do not see it: an alias of a
 * planned state machine moved since, or one of another state machine now routing to a version that uses A.
 */
async function aliasDrifts(
  aws: Aws,
  plan: PlanFile,
  stateMachines: { name: string; arn: string }[],
  target: WorkloadTarget,
): Promise<string[]> {
  const inspector = new AliasInspector(aws, target);
  const byName = <T extends { name: string }>(list: T[]): T[] => [...list].sort((x, y) => x.name.localeCompare(y.name));
  const changed = await mapLimit(plan.references, 4, async (ref) => {
    const now = await inspector.aliasesOf(ref.arn);
    return canonicalJson(byName(now)) === canonicalJson(byName(ref.aliases))
      ? []
      : [`state machine ${ref.name}: its aliases or their routing changed since the plan`];
  });
  const planned = new Set(plan.references.map((r) => r.arn));
  const strays = await strayAliases(
    inspector,
    stateMachines.filter((sm) => !planned.has(sm.arn)),
    plan.references.length,
  );
  return [...changed.flat(), ...strays.blockers.map((f) => f.message)];
}
