/**
 * What a plan changes, counted for its summary line ("Plan: 5 to create, 2 to repoint, 4 to delete."). Pure.
 *
 * The counts are of the plan's steps, the list promote executes, so they are true to what will happen:
 * - create: every resource of B that promote creates (launch templates, compute environments, the job queue, and
 *   the job definition revisions it registers); an unchanged job definition is shared by A and B and not counted;
 * - repoint: every reference promote moves from A to B (one per state machine whose definition names A, the alias
 *   versions it publishes being part of that move; one per repointed caller: rule, schedule, pipe, parameter);
 * - delete: every resource of A that promote deletes or deregisters once A is drained; a compute environment or
 *   launch template another queue still uses is kept and not counted.
 * The drain itself changes nothing and is not counted. A new kind of step is one entry in STEP_CHANGE.
 */
import type { StepAction } from './steps';

export type ChangeKind = 'create' | 'repoint' | 'delete';

/** Each step action's kind of change, and the noun for the resource it acts on (for lists and plurals). */
export const STEP_CHANGE: Record<StepAction, { change: ChangeKind | undefined; resource: string }> = {
  'create-launch-template': { change: 'create', resource: 'launch template' },
  'create-compute-environment': { change: 'create', resource: 'compute environment' },
  'register-job-definition': { change: 'create', resource: 'job definition' },
  'create-job-queue': { change: 'create', resource: 'job queue' },
  'repoint-state-machine': { change: 'repoint', resource: 'state machine' },
  // A rule, schedule, pipe or opted-in parameter (src/core/references/callers.ts).
  'repoint-caller': { change: 'repoint', resource: 'caller' },
  drain: { change: undefined, resource: 'job queue' },
  'delete-job-queue': { change: 'delete', resource: 'job queue' },
  'delete-compute-environment': { change: 'delete', resource: 'compute environment' },
  'delete-launch-template': { change: 'delete', resource: 'launch template' },
  'deregister-job-definition': { change: 'delete', resource: 'job definition' },
};

export type ChangeCounts = Record<ChangeKind, number>;

export function changeCounts(steps: readonly { action: StepAction }[]): ChangeCounts {
  const counts: ChangeCounts = { create: 0, repoint: 0, delete: 0 };
  for (const step of steps) {
    const change = STEP_CHANGE[step.action]?.change;
    if (change) counts[change] += 1;
  }
  return counts;
}

/** Terraform's form: `Plan: 5 to create, 2 to repoint, 4 to delete.` (no noun, so no plural to get wrong). */
export function summaryLine(counts: ChangeCounts): string {
  return `Plan: ${counts.create} to create, ${counts.repoint} to repoint, ${counts.delete} to delete.`;
}
