/**
 * Repointing a state machine together with the published versions its aliases route to, and putting both back.
 *
 * Promote: for each version an alias routes to that names A, a version made from *that* version's definition and
 * role with only the references rewritten; the aliases keep their weights ([{v1, 90}, {v2, 10}] → [{v1', 90},
 * {v2', 10}]). Step Functions publishes only the current revision (PublishStateMachineVersion has no definition
 * input, aws-facts §5.3), so each such version is UpdateStateMachine(definition, role, publish) — then the state
 * machine is set to its own definition, rewritten. Every read, lookup and validation happens before the first
 * update, so the updates run back to back; a resumed run finds the versions already published (by description,
 * definition and role) instead of publishing them again.
 *
 * Rollback: the definition back as the plan recorded it, each moved alias back to the plan's routes exactly.
 */
import type { Aws } from '../aws/clients';
import type { StateMachineReferences } from '../core/plan';
import { rewriteDefinition, type RewritePlan } from '../core/references';
import {
  aliasesToMove,
  classifyHeld,
  distinctTargets,
  findPublished,
  publishDescription,
  publishOrder,
  routingAfter,
  sameRouting,
  sameSnapshot,
  versionsToRepublish,
  type PublishTarget,
  type PublishedVersion,
  type Route,
  type Snapshot,
} from '../core/versions';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { mapLimit } from '../lib/parallel';

export interface VersionRepointResult {
  /** References rewritten in the state machine's own definition by this run (0 when it already was). */
  changes: number;
  /** Versions this run published: `from` the version an alias routed to, `to` its rewritten copy. */
  published: { from: string; to: string }[];
  /** Aliases this run moved. */
  aliases: string[];
}

type Ref = Pick<StateMachineReferences, 'name' | 'arn' | 'aliases' | 'versions' | 'current' | 'type'>;

async function snapshotOf(aws: Aws, arn: string): Promise<PublishedVersion> {
  const d = await aws.sfn.describeStateMachine(arn);
  return {
    arn,
    definition: d.definition ?? '',
    roleArn: d.roleArn ?? '',
    ...(d.description ? { description: d.description } : {}),
  };
}

async function validate(aws: Aws, ref: Ref, definition: string): Promise<void> {
  const validation = await aws.sfn.validateStateMachineDefinition(
    definition,
    ref.type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
  );
  const name = ref.name;
  if (validation.result && validation.result !== 'OK') {
    throw new BatchctlError(
      'DefinitionInvalid',
      `The rewritten definition of ${name} does not validate: ${validation.diagnostics?.[0]?.message ?? validation.result}.`,
    );
  }
}

/**
 * The versions this plan already published for `targets`. Only versions published since the plan was made are
 * described (those not in its `versions` list); all of them when the plan did not list versions.
 */
async function alreadyPublished(aws: Aws, ref: Ref, targets: PublishTarget[]): Promise<Map<string, string>> {
  if (!targets.length) return new Map();
  const known = new Set((ref.versions ?? []).map((v) => v.arn));
  const listed = await aws.sfn.listStateMachineVersions(ref.arn);
  const fresh = listed.map((v) => v.stateMachineVersionArn ?? '').filter((arn) => arn && !known.has(arn));
  const described = await mapLimit(fresh, 4, (arn) => snapshotOf(aws, arn));
  return findPublished(targets, described);
}

/** Moves each alias to `desired` unless it is there already; returns the names of those moved. */
async function routeAliases(aws: Aws, aliases: { name: string; arn: string; desired: Route[] }[]): Promise<string[]> {
  const moved: string[] = [];
  for (const alias of aliases) {
    const detail = await aws.sfn.describeStateMachineAlias(alias.arn);
    const live = (detail.routingConfiguration ?? []).map((r) => ({
      versionArn: r.stateMachineVersionArn ?? '',
      weight: r.weight ?? 0,
    }));
    if (sameRouting(live, alias.desired)) continue;
    await aws.sfn.updateStateMachineAlias({
      stateMachineAliasArn: alias.arn,
      routingConfiguration: alias.desired.map((r) => ({ stateMachineVersionArn: r.versionArn, weight: r.weight })),
    });
    moved.push(alias.name);
  }
  return moved;
}

/** UpdateStateMachine to `to`, sending the role only when it changes (passing a role needs iam:PassRole). */
function updateTo(
  aws: Aws,
  arn: string,
  held: Snapshot,
  to: Snapshot,
  publish?: { description: string },
): Promise<{ stateMachineVersionArn?: string }> {
  return aws.sfn.updateStateMachine({
    stateMachineArn: arn,
    definition: to.definition,
    ...(to.roleArn && to.roleArn !== held.roleArn ? { roleArn: to.roleArn } : {}),
    ...(publish ? { publish: true, versionDescription: publish.description } : {}),
  });
}

/**
 * Promote's cutover of one state machine: publish a rewritten copy of each version its aliases route to that names
 * A, set the state machine to its own definition rewritten, then move the aliases with their weights.
 */
export async function repointWithVersions(
  aws: Aws,
  ref: Ref,
  rewrite: RewritePlan,
  planId: string,
): Promise<VersionRepointResult> {
  const now = await snapshotOf(aws, ref.arn);
  const sources = versionsToRepublish(ref.aliases);
  const targets: PublishTarget[] = await mapLimit(sources, 4, async (source) => {
    const version = await snapshotOf(aws, source);
    return {
      source,
      definition: rewriteDefinition(version.definition, rewrite).definition,
      roleArn: version.roleArn,
      description: publishDescription(planId, source, rewrite.queue.to.name),
    };
  });
  // What the state machine must end with: the definition plan saw (recorded when aliases move), rewritten, and its
  // own role — not whatever it holds now, which after a stopped run may be one of the versions being published.
  const planned: Snapshot = ref.current ?? now;
  const ownRewrite = rewriteDefinition(planned.definition, rewrite);
  let final: Snapshot = { definition: ownRewrite.definition, roleArn: planned.roleArn };
  let finalChanges = ownRewrite.changes.length;
  const held = targets.length ? classifyHeld(now, planned, final, targets) : 'planned';
  if (held === 'changed' && !ref.current) {
    // A plan without a recorded definition: the state machine's own definition is the only one there is.
    const rewritten = rewriteDefinition(now.definition, rewrite);
    final = { definition: rewritten.definition, roleArn: now.roleArn };
    finalChanges = rewritten.changes.length;
  } else if (held === 'changed') {
    throw new BatchctlError(
      'StateMachineChanged',
      `State machine ${ref.name} was changed during the swap: its definition is neither the one plan saw, nor its rewrite, nor one of the versions being published, so publishing its aliases' versions would overwrite that change.`,
      {
        exitCode: ExitCode.Blocked,
        suggestions: [
          `Put back the definition the plan recorded for ${ref.name} (references[].current in the plan file) and run the command again, or roll back.`,
        ],
      },
    );
  }

  const { distinct, same } = distinctTargets(targets);
  const published = await alreadyPublished(aws, ref, distinct);
  const toPublish = publishOrder(
    distinct.filter((t) => !published.has(t.source)),
    final,
  );
  const willHold = toPublish.at(-1) ?? now;
  const finalUpdate = !sameSnapshot(willHold, final);
  for (const t of toPublish) await validate(aws, ref, t.definition);
  if (finalUpdate) await validate(aws, ref, final.definition);

  // The window: from the first publish to the final update, unqualified starts run a version's definition.
  const result: VersionRepointResult = { changes: 0, published: [], aliases: [] };
  let holding: Snapshot = now;
  for (const t of toPublish) {
    const out = await updateTo(aws, ref.arn, holding, t, { description: t.description });
    if (!out.stateMachineVersionArn) {
      throw new BatchctlError('PublishFailed', `UpdateStateMachine published no version of ${ref.name}.`);
    }
    published.set(t.source, out.stateMachineVersionArn);
    result.published.push({ from: t.source, to: out.stateMachineVersionArn });
    holding = t;
  }
  if (finalUpdate) await updateTo(aws, ref.arn, holding, final);
  if (!sameSnapshot(now, final)) result.changes = finalChanges;
  for (const [source, shared] of same) {
    const copy = published.get(shared);
    if (copy) published.set(source, copy);
  }

  result.aliases = await routeAliases(
    aws,
    aliasesToMove(ref.aliases).map((a) => ({ name: a.name, arn: a.arn, desired: routingAfter(a.routes, published) })),
  );
  return result;
}

/**
 * Rollback of one state machine: its definition back to the one the plan recorded (or, without one, the rewrite
 * reversed), and every alias promote moved back to the versions and weights the plan recorded. The versions
 * promote published are left in place (see docs/guides/rollback.md).
 */
export async function restoreWithVersions(
  aws: Aws,
  ref: Ref,
  forward: RewritePlan,
  back: RewritePlan,
): Promise<VersionRepointResult> {
  const now = await snapshotOf(aws, ref.arn);
  let target: Snapshot;
  let changes: number;
  const reversed = rewriteDefinition(now.definition, back);
  if (ref.current) {
    const planned = ref.current;
    const final = { definition: rewriteDefinition(planned.definition, forward).definition, roleArn: planned.roleArn };
    const publishing = await mapLimit(versionsToRepublish(ref.aliases), 4, async (source) => {
      const version = await snapshotOf(aws, source);
      return { definition: rewriteDefinition(version.definition, forward).definition, roleArn: version.roleArn };
    });
    const held = classifyHeld(now, planned, final, publishing);
    // Anything promote may have left goes back to exactly what the plan saw; a change made since is kept, with
    // only the references moved back.
    target = held === 'changed' ? { definition: reversed.definition, roleArn: now.roleArn } : planned;
    changes = reversed.changes.length;
  } else {
    target = { definition: reversed.definition, roleArn: now.roleArn };
    changes = reversed.changes.length;
  }
  const result: VersionRepointResult = { changes: 0, published: [], aliases: [] };
  if (!sameSnapshot(now, target)) {
    await validate(aws, ref, target.definition);
    await updateTo(aws, ref.arn, now, target);
    result.changes = Math.max(changes, 1);
  }
  result.aliases = await routeAliases(
    aws,
    aliasesToMove(ref.aliases).map((a) => ({
      name: a.name,
      arn: a.arn,
      desired: a.routes.map((r) => ({ versionArn: r.versionArn, weight: r.weight })),
    })),
  );
  return result;
}
