/**
 * State machines that can still send work to the queue a swap is about to drain although the plan does not move
 * them (created or changed since the plan, or changed back after the cutover). Draining and deleting that queue
 * would break their executions, so promote and rollback stop first and keep it enabled (DESIGN invariant 1).
 */
import type { Aws } from '../aws/clients';
import type { PlanFile } from '../core/plan';
import { unplannedReferences, type UnplannedReference } from '../core/repoint';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { mapLimit } from '../lib/parallel';
import { scanStateMachines } from './discovery';
import { ALIAS_SCAN_LIMIT, AliasInspector } from './references';
import { loadPlannedSpec } from './swap-steps';

export const plannedStateMachines = (plan: PlanFile): Set<string> => new Set(plan.references.map((r) => r.name));

export function describeUnplanned(queue: string, found: UnplannedReference[]): string {
  return found
    .map((u) =>
      u.kind === 'static'
        ? `state machine ${u.stateMachine} names job queue ${queue}`
        : `state machine ${u.stateMachine} computes its job queue at run time`,
    )
    .join('; ');
}

/** The queue a swap drains, and the one its references move to. */
function direction(plan: PlanFile, operation: 'promote' | 'rollback'): { drained: string; kept: string } {
  return operation === 'promote'
    ? { drained: plan.live.queue.name, kept: plan.target.jobQueue.name }
    : { drained: plan.target.jobQueue.name, kept: plan.live.queue.name };
}

/** Mid-swap, a re-plan is no way out: the user moves the reference, then runs the same command again. */
export function unplannedError(
  plan: PlanFile,
  planPath: string,
  found: UnplannedReference[],
  operation: 'promote' | 'rollback',
): BatchctlError {
  const { drained, kept } = direction(plan, operation);
  const other = operation === 'promote' ? 'rollback' : 'promote';
  return new BatchctlError(
    'UnplannedReference',
    `${describeUnplanned(drained, found)}, but plan ${plan.id} does not move it; ${drained} is kept enabled so its executions keep working.`,
    {
      exitCode: ExitCode.Blocked,
      suggestions: [
        `Point it at ${kept} (or remove the reference), then run \`batchctl ${operation} ${planPath}\` again; or run \`batchctl ${other} ${planPath}\`.`,
      ],
    },
  );
}

/**
 * The last look before the drained queue stops taking work: every state machine in scope is read again, and none
 * may still name that queue (one that appeared during the swap, or a moved one changed back); nor may an alias route
 * callers to a version that names it (an alias created, or moved back to an old version, during a long drain).
 * Aliases are read for the plan's state machines always, and for the others while the whole scope fits in
 * ListStateMachineAliases' burst (plan warns `AliasesNotChecked` otherwise).
 */
export async function checkNothingStillNames(
  aws: Aws,
  plan: PlanFile,
  planPath: string,
  operation: 'promote' | 'rollback',
): Promise<void> {
  const queue = operation === 'promote' ? plan.live.queue : plan.target.jobQueue;
  const { scanned } = await scanStateMachines(aws, await loadPlannedSpec(plan, planPath));
  const left = unplannedReferences(scanned, queue, plannedStateMachines(plan), true);
  if (left.length) throw unplannedError(plan, planPath, left, operation);
  const planned = plannedStateMachines(plan);
  const withAliases = scanned.length <= ALIAS_SCAN_LIMIT ? scanned : scanned.filter((sm) => planned.has(sm.name));
  const inspector = new AliasInspector(aws, { queue, jobDefinitions: [] });
  const routed = await mapLimit(withAliases, 4, async (sm) =>
    (await inspector.aliasesOf(sm.arn)).flatMap((alias) =>
      alias.routes
        .filter((r) => r.referencesLive)
        .map((r) => ({
          stateMachine: `${sm.name} (alias ${alias.name} routes ${r.weight}% to version ${r.versionArn.split(':').pop() ?? ''})`,
          kind: 'static' as const,
        })),
    ),
  );
  if (routed.flat().length) throw unplannedError(plan, planPath, routed.flat(), operation);
}
