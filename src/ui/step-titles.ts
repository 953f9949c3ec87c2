/** Human titles for plan steps, shared by the promote progress list and the plan report. */
import type { PlanStep } from '../core/steps';

const VERB: Record<PlanStep['action'], string> = {
  'create-launch-template': 'Create launch template',
  'create-compute-environment': 'Create compute environment',
  'register-job-definition': 'Register job definition',
  'create-job-queue': 'Create job queue',
  'repoint-state-machine': 'Repoint state machine',
  'repoint-caller': 'Repoint caller',
  drain: 'Drain job queue',
  'delete-job-queue': 'Delete job queue',
  'delete-compute-environment': 'Delete compute environment',
  'delete-launch-template': 'Delete launch template',
  'deregister-job-definition': 'Deregister job definition',
};

export const RETIRE_ACTIONS = new Set<PlanStep['action']>([
  'delete-job-queue',
  'delete-compute-environment',
  'delete-launch-template',
  'deregister-job-definition',
]);

export function stepTitle(step: PlanStep): string {
  return `${VERB[step.action]} ${step.target}`;
}
