/** The mapping from A to B that every reference rewrite uses, built once from the derived revision. Pure. */
import { matchReferences, type BatchTask, type ResourceId, type RewritePlan, type WorkloadTarget } from './references';
import type { DesiredRevision } from './workload';

/**
 * What to look for when finding the workload's references: A's queue and every job definition of the workload
 * (changed or not). Not what the drain waits for: see drainTarget.
 */
export function liveTarget(b: DesiredRevision, activeRevisions: Map<string, number[]>): WorkloadTarget {
  return {
    queue: b.jobQueue.from,
    jobDefinitions: b.jobDefinitions.map((jd) => ({
      name: jd.from.name,
      arn: jd.from.arn.replace(/:\d+$/, ''),
      revisions: activeRevisions.get(jd.from.name) ?? [],
    })),
  };
}

/**
 * What counts as still reaching A while draining it: A's queue and only the job definitions B replaces, at A's own
 * revisions. A job definition the spec leaves unchanged is shared by both revisions, so an execution that names it
 * (and B's queue) runs on B and must not hold the drain. `liveRevisions` gives A's revisions
 * (none known: every revision of that name counts).
 */
export function drainTarget(b: DesiredRevision, liveRevisions: Map<string, number[]>): WorkloadTarget {
  return {
    queue: b.jobQueue.from,
    jobDefinitions: b.jobDefinitions
      .filter((jd) => jd.changed)
      .map((jd) => ({
        name: jd.from.name,
        arn: jd.from.arn.replace(/:\d+$/, ''),
        revisions: liveRevisions.get(jd.from.name) ?? [],
      })),
  };
}

/**
 * A → B: the queue always moves; a job definition moves only when B changes it (unchanged ones are shared).
 * `jobDefinitionRevisions` gives the revision B's job definitions have (registered, or expected at plan time).
 */
export function rewritePlanOf(b: DesiredRevision, jobDefinitionRevisions: Map<string, number>): RewritePlan {
  return {
    queue: { from: b.jobQueue.from, to: { name: b.jobQueue.name, arn: b.jobQueue.arn } },
    jobDefinitions: b.jobDefinitions
      .filter((jd) => jd.changed)
      .map((jd) => {
        const revision = jobDefinitionRevisions.get(jd.name);
        const fromArn = jd.from.arn.replace(/:\d+$/, '');
        const toArn = fromArn.replace(/job-definition\/.*$/, `job-definition/${jd.name}`);
        return {
          from: { name: jd.from.name, arn: fromArn },
          to: { name: jd.name, arn: toArn, ...(revision === undefined ? {} : { revision }) },
        };
      }),
  };
}

/** The reverse mapping, for rollback: B → A. */
export function reversePlan(plan: RewritePlan, liveRevisions: Map<string, number>): RewritePlan {
  return {
    queue: { from: plan.queue.to, to: plan.queue.from },
    jobDefinitions: plan.jobDefinitions.map((m) => {
      const revision = liveRevisions.get(m.from.name);
      return {
        from: { name: m.to.name, arn: m.to.arn },
        to: { name: m.from.name, arn: m.from.arn, ...(revision === undefined ? {} : { revision }) },
      };
    }),
  };
}

export interface UnplannedReference {
  stateMachine: string;
  /** `static`: its definition names A's queue; `dynamic`: it computes a queue at run time (could be A's). */
  kind: 'static' | 'dynamic';
}

/**
 * State machines in scope that can still send work to A's queue although the plan does not move them: created or
 * changed since the plan was made, or — once the cutover is done (`cutOver`) — any definition that still names A's
 * queue. Disabling and deleting A would break their executions, so promote stops before that (DESIGN invariant 1).
 */
export function unplannedReferences(
  stateMachines: readonly { name: string; tasks: readonly BatchTask[] }[],
  queue: ResourceId,
  planned: ReadonlySet<string>,
  cutOver: boolean,
): UnplannedReference[] {
  const found: UnplannedReference[] = [];
  for (const sm of stateMachines) {
    const refs = matchReferences(sm.tasks, { queue, jobDefinitions: [] });
    const inPlan = planned.has(sm.name);
    if (refs.some((r) => r.kind === 'static' && r.field === 'JobQueue') && (!inPlan || cutOver)) {
      found.push({ stateMachine: sm.name, kind: 'static' });
    } else if (refs.some((r) => r.kind === 'dynamic' && r.field === 'JobQueue') && !inPlan) {
      found.push({ stateMachine: sm.name, kind: 'dynamic' });
    }
  }
  return found;
}
