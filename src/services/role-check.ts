/**
 * Plan's check that every state machine it repoints may submit to B (iam:SimulatePrincipalPolicy on each role, one
 * call per role with every resource it needs). An alias keeps running its versions, and a version runs with the role
 * it was published with (promote's copies keep it), so the roles of the versions an alias routes to that name A are
 * checked as well. A role scoped to A's names is a blocker naming the statement to add; a planner not allowed to
 * simulate gets a warning that says which permission would let it check.
 */
import type { Aws } from '../aws/clients';
import { awsErrorName } from '../aws/errors';
import type { Finding, StateMachineReferences } from '../core/plan';
import { rewriteDefinition, type RewritePlan } from '../core/references';
import { resourcesAfterRewrite, roleBlocker, SUBMIT_ACTION } from '../core/role-scope';
import { aliasesToMove, versionNumber } from '../core/versions';
import { mapLimit } from '../lib/parallel';

export interface RoleCheckInput {
  references: readonly StateMachineReferences[];
  /** Role of each state machine by name, as DescribeStateMachine returned it. */
  roles: ReadonlyMap<string, string>;
  rewrite: RewritePlan;
}

/** One role that will run a rewritten definition, and the B resources that definition submits to. */
interface Principal {
  /** What runs as it: "reproject-workflow", or "reproject-workflow version 2" for an alias-routed version. */
  label: string;
  role: string;
  resources: string[];
}

const NOT_PERMITTED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);

/** The current definition's role, then the role of each version an alias routes to that promote will republish. */
async function principalsOf(aws: Aws, ref: StateMachineReferences, input: RoleCheckInput): Promise<Principal[]> {
  const out: Principal[] = [];
  const role = input.roles.get(ref.name);
  const resources = resourcesAfterRewrite(ref.changes, input.rewrite);
  if (role && resources.length) out.push({ label: ref.name, role, resources });
  const routed = new Set(
    aliasesToMove(ref.aliases).flatMap((a) => a.routes.filter((r) => r.referencesLive).map((r) => r.versionArn)),
  );
  for (const versionArn of routed) {
    const version = await aws.sfn.describeStateMachine(versionArn);
    const changes = rewriteDefinition(version.definition ?? '', input.rewrite).changes;
    const needed = resourcesAfterRewrite(changes, input.rewrite);
    if (!version.roleArn || !needed.length) continue;
    // The same role as the state machine's, asked for the same resources, is already covered.
    if (version.roleArn === role && needed.every((r) => resources.includes(r))) continue;
    out.push({
      label: `${ref.name} version ${versionNumber(versionArn) ?? versionArn}`,
      role: version.roleArn,
      resources: needed,
    });
  }
  return out;
}

export async function checkRoles(
  aws: Aws,
  input: RoleCheckInput,
): Promise<{ blockers: Finding[]; warnings: Finding[] }> {
  const principals = (
    await mapLimit(
      input.references.filter((r) => r.changes.length),
      4,
      (ref) => principalsOf(aws, ref, input),
    )
  ).flat();
  const blockers: Finding[] = [];
  let unchecked: string[] = [];
  // IAM publishes no per-API rate; two at a time keeps a large plan well away from throttling.
  await mapLimit(principals, 2, async (p) => {
    try {
      const decisions = await aws.iam.simulatePrincipalPolicy({
        principalArn: p.role,
        actions: [SUBMIT_ACTION],
        resources: p.resources,
      });
      const byResource = p.resources.map((resource) => ({
        resource,
        decision: decisions.find((d) => d.resource === resource)?.decision ?? 'implicitDeny',
      }));
      const blocker = roleBlocker(p.label, p.role, byResource);
      if (blocker) blockers.push(blocker);
    } catch (error) {
      if (!NOT_PERMITTED.has(awsErrorName(error))) throw error;
      unchecked = [...unchecked, p.label];
    }
  });
  const warnings: Finding[] = unchecked.length
    ? [
        {
          code: 'RolesNotChecked',
          message: `the roles of ${unchecked.sort().join(', ')} were not checked: batchctl may not call iam:SimulatePrincipalPolicy. A role scoped to A's names would make every execution fail on B; grant iam:SimulatePrincipalPolicy (docs/permissions.md) to have plan check it.`,
        },
      ]
    : [];
  return { blockers: blockers.sort((a, b) => (a.resource ?? '').localeCompare(b.resource ?? '')), warnings };
}
