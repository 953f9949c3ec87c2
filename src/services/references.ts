/**
 * The reference graph of revision A: which state machines name its queue or job definitions, how each reference
 * would be rewritten, which are dynamic, and which aliases still route callers to versions that reference A.
 */
import type { Aws } from '../aws/clients';
import type { DynamicReference, Finding, StateMachineReferences } from '../core/plan';
import {
  definitionNames,
  matchReferences,
  rewriteDefinition,
  type RewritePlan,
  type WorkloadTarget,
} from '../core/references';
import type { Spec } from '../core/spec';
import { mapLimit } from '../lib/parallel';
import { RateLimiter, SFN_LIMITS } from '../lib/rate-limiter';
import type { ScannedStateMachine } from './discovery';

export interface ReferenceAnalysis {
  references: StateMachineReferences[];
  warnings: Finding[];
  blockers: Finding[];
}

function acknowledged(spec: Spec, stateMachine: string, path: string[]): boolean {
  const acks = spec.references?.acknowledgeDynamic ?? [];
  return acks.includes(stateMachine) || acks.includes(`${stateMachine}/${path.join('/')}`);
}

export async function analyzeReferences(
  aws: Aws,
  spec: Spec,
  stateMachines: ScannedStateMachine[],
  target: WorkloadTarget,
  rewrite: RewritePlan,
): Promise<ReferenceAnalysis> {
  const warnings: Finding[] = [];
  const blockers: Finding[] = [];
  const found = stateMachines.flatMap((sm) => {
    const refs = matchReferences(sm.tasks, target);
    const dynamic: DynamicReference[] = refs.flatMap((r) =>
      r.kind === 'dynamic'
        ? [
            {
              path: r.task.path,
              field: r.field,
              expression: r.expression,
              acknowledged: acknowledged(spec, sm.name, r.task.path),
            },
          ]
        : [],
    );
    const changes = refs.some((r) => r.kind === 'static') ? rewriteDefinition(sm.definition, rewrite).changes : [];
    return changes.length || dynamic.length ? [{ sm, changes, dynamic }] : [];
  });

  for (const { sm, dynamic } of found) {
    for (const d of dynamic.filter((x) => !x.acknowledged)) {
      blockers.push({
        code: 'DynamicReference',
        resource: sm.name,
        message: `state machine ${sm.name}, state ${d.path.join(' › ')}: ${d.field} is computed at run time (${d.expression}); batchctl cannot repoint it. Check it and add "${sm.name}/${d.path.join('/')}" to references.acknowledgeDynamic.`,
      });
    }
  }

  // Aliases route callers to published versions, which are immutable: an alias on a version that references A keeps
  // sending work to A until promote publishes a new version and moves the alias (aws-facts §5.3).
  const aliasLimiter = new RateLimiter(
    SFN_LIMITS.listStateMachineAliases.burst,
    SFN_LIMITS.listStateMachineAliases.perSecond,
  );
  const describeLimiter = new RateLimiter(
    SFN_LIMITS.describeStateMachineAlias.burst,
    SFN_LIMITS.describeStateMachineAlias.perSecond,
  );
  const versionLimiter = new RateLimiter(
    SFN_LIMITS.describeStateMachine.burst,
    SFN_LIMITS.describeStateMachine.perSecond,
  );
  const versionRefs = new Map<string, Promise<boolean>>();
  const versionReferencesLive = (versionArn: string): Promise<boolean> => {
    let known = versionRefs.get(versionArn);
    if (!known) {
      known = versionLimiter
        .run(() => aws.sfn.describeStateMachine(versionArn))
        .then((v) => definitionNames(v.definition ?? '', target, false));
      versionRefs.set(versionArn, known);
    }
    return known;
  };

  const references = await mapLimit(found, 4, async ({ sm, changes, dynamic }): Promise<StateMachineReferences> => {
    const aliases = await aliasLimiter.run(() => aws.sfn.listStateMachineAliases(sm.arn));
    const described = await mapLimit(aliases, 4, async (alias) => {
      const detail = await describeLimiter.run(() =>
        aws.sfn.describeStateMachineAlias(alias.stateMachineAliasArn ?? ''),
      );
      const routes = await mapLimit(detail.routingConfiguration ?? [], 2, async (route) => ({
        versionArn: route.stateMachineVersionArn ?? '',
        weight: route.weight ?? 0,
        referencesLive: await versionReferencesLive(route.stateMachineVersionArn ?? ''),
      }));
      return { name: detail.name ?? '', arn: detail.stateMachineAliasArn ?? '', routes };
    });
    return {
      name: sm.name,
      arn: sm.arn,
      changes: changes.map((c) => ({ path: c.path, field: c.field, before: c.before, after: c.after })),
      dynamic,
      aliases: described,
    };
  });

  if (!references.some((r) => r.changes.length)) {
    warnings.push({
      code: 'NoReferences',
      message: `no state machine in scope references job queue ${target.queue.name}; promote will repoint nothing.`,
    });
  }
  return { references, warnings, blockers };
}
