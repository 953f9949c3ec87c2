/**
 * The ordered steps of a swap, with their dependencies (aws-facts §9): build B bottom-up, repoint references,
 * drain A, retire A top-down. promote executes them in this order; the plan shows them for review.
 */
import { usesTemplate } from './template-users';
import type { DesiredRevision, LiveWorkload } from './workload';

export type StepAction =
  | 'create-launch-template'
  | 'create-compute-environment'
  | 'register-job-definition'
  | 'create-job-queue'
  | 'repoint-state-machine'
  | 'repoint-caller'
  | 'drain'
  | 'delete-job-queue'
  | 'delete-compute-environment'
  | 'delete-launch-template'
  | 'deregister-job-definition';

export interface PlanStep {
  id: string;
  action: StepAction;
  target: string;
  dependsOn: string[];
}

/** `callers`: ids of the callers besides Step Functions that promote repoints in the same cutover (issue 9). */
export function buildSteps(
  live: LiveWorkload,
  b: DesiredRevision,
  stateMachines: string[],
  callers: string[] = [],
): PlanStep[] {
  const steps: PlanStep[] = [];
  const add = (action: StepAction, target: string, dependsOn: string[]): string => {
    const id = `${action}:${target}`;
    steps.push({ id, action, target, dependsOn });
    return id;
  };
  const lts = new Map(b.launchTemplates.map((lt) => [lt.name, add('create-launch-template', lt.name, [])]));
  const ces = b.computeEnvironments.map((ce) => {
    const lt = ce.input.computeResources?.launchTemplate;
    // Its own template and those its overrides name, when B has copies of them.
    const names = [lt?.launchTemplateName, ...(lt?.overrides ?? []).map((o) => o.launchTemplateName)];
    const deps = [...new Set(names.flatMap((n) => (n && lts.has(n) ? [lts.get(n) as string] : [])))];
    return add('create-compute-environment', ce.name, deps);
  });
  const jds = b.jobDefinitions.filter((jd) => jd.changed).map((jd) => add('register-job-definition', jd.name, []));
  const queue = add('create-job-queue', b.jobQueue.name, ces);
  const repoints = [
    ...stateMachines.map((sm) => add('repoint-state-machine', sm, [queue, ...jds])),
    ...callers.map((id) => add('repoint-caller', id, [queue, ...jds])),
  ];
  const drain = add('drain', b.jobQueue.from.name, repoints.length ? repoints : [queue]);
  const deleteQueue = add('delete-job-queue', b.jobQueue.from.name, [drain]);
  const deletedCes = b.computeEnvironments
    .filter((ce) => ce.retireFrom)
    .map((ce) => add('delete-compute-environment', ce.from.name, [deleteQueue]));
  for (const lt of live.launchTemplates) {
    const users = live.computeEnvironments.filter((ce) => usesTemplate(ce.detail, lt));
    // A template still used by a kept (shared) compute environment stays.
    if (users.every((ce) => ce.sharedWith.length === 0)) {
      add('delete-launch-template', lt.name, deletedCes.length ? deletedCes : [deleteQueue]);
    }
  }
  for (const jd of b.jobDefinitions.filter((j) => j.changed)) {
    add('deregister-job-definition', `${jd.from.name}:${jd.from.revision}`, [drain]);
  }
  return steps;
}
