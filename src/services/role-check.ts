/**
 * Plan's check that every state machine it repoints may submit to B (iam:SimulatePrincipalPolicy on each role,
 * one call per role with every resource it needs). A role scoped to A's names is a blocker naming the statement to
 * add; a planner not allowed to simulate gets a warning that says which permission would let it check.
 */
import type { Aws } from '../aws/clients';
import { awsErrorName } from '../aws/errors';
import type { Finding, StateMachineReferences } from '../core/plan';
import type { RewritePlan } from '../core/references';
import { resourcesAfterRewrite, roleBlocker, SUBMIT_ACTION } from '../core/role-scope';
import { mapLimit } from '../lib/parallel';

export interface RoleCheckInput {
  references: readonly StateMachineReferences[];
  /** Role of each state machine by name, as DescribeStateMachine returned it. */
  roles: ReadonlyMap<string, string>;
  rewrite: RewritePlan;
}

const NOT_PERMITTED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

export async function checkRoles(
  aws: Aws,
  input: RoleCheckInput,
): Promise<{ blockers: Finding[]; warnings: Finding[] }> {
  const wanted = input.references
    .filter((r) => r.changes.length)
    .map((r) => ({
      name: r.name,
      role: input.roles.get(r.name),
      resources: resourcesAfterRewrite(r.changes, input.rewrite),
    }))
    .filter((r): r is { name: string; role: string; resources: string[] } => !!r.role && r.resources.length > 0);
  const blockers: Finding[] = [];
  const warnings: Finding[] = [];
  let unchecked: string[] = [];
  // IAM publishes no per-API rate; two at a time keeps a large plan well away from throttling.
  await mapLimit(wanted, 2, async (sm) => {
    try {
      const decisions = await aws.iam.simulatePrincipalPolicy({
        principalArn: sm.role,
        actions: [SUBMIT_ACTION],
        resources: sm.resources,
      });
      const byResource = sm.resources.map((resource) => ({
        resource,
        decision: decisions.find((d) => d.resource === resource)?.decision ?? 'implicitDeny',
      }));
      const blocker = roleBlocker(sm.name, sm.role, byResource);
      if (blocker) blockers.push(blocker);
    } catch (error) {
      if (!NOT_PERMITTED.has(awsErrorName(error))) throw error;
      unchecked = [...unchecked, sm.name];
    }
  });
  if (unchecked.length) {
    warnings.push({
      code: 'RolesNotChecked',
      message: `the roles of ${unchecked.sort().join(', ')} were not checked: batchctl may not call iam:SimulatePrincipalPolicy. A role scoped to A's names would make every execution fail on B; grant iam:SimulatePrincipalPolicy (docs/permissions.md) to have plan check it.`,
    });
  }
  return { blockers: blockers.sort((a, b) => (a.resource ?? '').localeCompare(b.resource ?? '')), warnings };
}
