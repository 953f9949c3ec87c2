/**
 * What a state machine's role must allow once its references point at B, and the blocker when it does not. Pure.
 *
 * A Batch task calls SubmitJob with the state machine's role; SubmitJob is authorised on both the job queue ARN and
 * the job definition ARN with its revision (aws-facts §5.1, §8a). Teams often scope these by name
 * (`job-queue/reproject-a`, `job-definition/reproject:*`): such a role lets every execution on A run and makes every
 * Task on B fail with an access error — the drain then sees nothing on A and A is deleted with all work failing.
 */
import { parseJobDefinitionRef } from './arn';
import type { Finding, StaticChange } from './plan';
import type { RewritePlan } from './references';

export const SUBMIT_ACTION = 'batch:SubmitJob';

/** The ARNs a rewritten state machine will submit to that it did not before: B's queue, B's job definition revisions. */
export function resourcesAfterRewrite(changes: readonly StaticChange[], rewrite: RewritePlan): string[] {
  const out = new Set<string>();
  for (const change of changes) {
    if (change.field === 'JobQueue') {
      out.add(rewrite.queue.to.arn);
      continue;
    }
    const name = parseJobDefinitionRef(change.after)?.name;
    const mapping = rewrite.jobDefinitions.find((m) => m.to.name === name);
    // Without a known revision the statement must cover any: `name:*` is what IAM matches then.
    if (mapping) out.add(`${mapping.to.arn}:${mapping.to.revision ?? '*'}`);
  }
  return [...out].sort();
}

export interface RoleDecision {
  resource: string;
  decision: string;
}

/** The IAM statement that lets the role submit to B, with any job definition revision. */
export function statementFor(resources: readonly string[]): string {
  const arns = [...new Set(resources.map((r) => r.replace(/(job-definition\/[^:]+):[^:]+$/, '$1:*')))];
  return JSON.stringify({ Effect: 'Allow', Action: SUBMIT_ACTION, Resource: arns });
}

/** One blocker per state machine whose role is not allowed to submit to every resource of B it will use. */
export function roleBlocker(
  stateMachine: string,
  roleArn: string,
  decisions: readonly RoleDecision[],
): Finding | undefined {
  const denied = decisions.filter((d) => d.decision !== 'allowed');
  if (!denied.length) return undefined;
  const role = roleArn.split('/').pop() ?? roleArn;
  const what = denied.map((d) => `${d.resource} (${d.decision})`).join(', ');
  return {
    code: 'RoleCannotSubmit',
    resource: stateMachine,
    message: `state machine ${stateMachine}: its role ${role} may not ${SUBMIT_ACTION} on ${what}; its executions would fail on B with an access error. Add this statement to the role's policy, then plan again: ${statementFor(denied.map((d) => d.resource))}`,
  };
}
