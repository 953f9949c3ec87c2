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

  const inspector = new AliasInspector(aws, target);
  const references = await mapLimit(found, 4, async ({ sm, changes, dynamic }): Promise<StateMachineReferences> => {
    const described = await inspector.aliasesOf(sm.arn);
    return {
      name: sm.name,
      arn: sm.arn,
      ...(sm.type ? { type: sm.type } : {}),
      changes: changes.map((c) => ({ path: c.path, field: c.field, before: c.before, after: c.after })),
      dynamic,
      aliases: described,
    };
  });

  // A state machine found only for a dynamic reference is not rewritten, so its aliases are not moved either.
  for (const ref of references.filter((r) => !r.changes.length)) blockers.push(...aliasBlockers(ref.name, ref.aliases));
  const others = stateMachines.filter((sm) => !found.some((f) => f.sm.arn === sm.arn));
  const strays = await strayAliases(inspector, others, found.length);
  blockers.push(...strays.blockers);
  warnings.push(...strays.warnings);

  if (!references.some((r) => r.changes.length)) {
    warnings.push({
      code: 'NoReferences',
      message: `no state machine in scope references job queue ${target.queue.name}; promote will repoint nothing.`,
    });
  }
  return { references, warnings, blockers };
}

type AliasInfo = StateMachineReferences['aliases'][number];

/**
 * The aliases of state machines, and for each route whether its version names A. Aliases route callers to
 * published versions, which are immutable: an alias on a version that names A keeps sending work to A until a new
 * version is published and the alias moved (aws-facts §5.3). Each version is described once.
 */
export class AliasInspector {
  private readonly listLimiter = new RateLimiter(
    SFN_LIMITS.listStateMachineAliases.burst,
    SFN_LIMITS.listStateMachineAliases.perSecond,
  );
  private readonly describeLimiter = new RateLimiter(
    SFN_LIMITS.describeStateMachineAlias.burst,
    SFN_LIMITS.describeStateMachineAlias.perSecond,
  );
  private readonly versionLimiter = new RateLimiter(
    SFN_LIMITS.describeStateMachine.burst,
    SFN_LIMITS.describeStateMachine.perSecond,
  );
  private readonly versions = new Map<string, Promise<boolean>>();

  constructor(
    private readonly aws: Aws,
    private readonly target: WorkloadTarget,
  ) {}

  async aliasesOf(stateMachineArn: string): Promise<AliasInfo[]> {
    const aliases = await this.listLimiter.run(() => this.aws.sfn.listStateMachineAliases(stateMachineArn));
    return mapLimit(aliases, 4, async (alias) => {
      const detail = await this.describeLimiter.run(() =>
        this.aws.sfn.describeStateMachineAlias(alias.stateMachineAliasArn ?? ''),
      );
      const routes = await mapLimit(detail.routingConfiguration ?? [], 2, async (route) => ({
        versionArn: route.stateMachineVersionArn ?? '',
        weight: route.weight ?? 0,
        referencesLive: await this.versionNamesLive(route.stateMachineVersionArn ?? ''),
      }));
      return { name: detail.name ?? '', arn: detail.stateMachineAliasArn ?? '', routes };
    });
  }

  private versionNamesLive(versionArn: string): Promise<boolean> {
    let known = this.versions.get(versionArn);
    if (!known) {
      known = this.versionLimiter
        .run(() => this.aws.sfn.describeStateMachine(versionArn))
        .then((v) => definitionNames(v.definition ?? '', this.target, false));
      this.versions.set(versionArn, known);
    }
    return known;
  }
}

/**
 * ListStateMachineAliases allows a burst of 100 calls, then 1 per second: aliases of state machines that do not
 * reference A are checked while the whole scope fits in the burst, and a warning says so otherwise.
 */
export const ALIAS_SCAN_LIMIT = SFN_LIMITS.listStateMachineAliases.burst;

/**
 * Aliases of state machines whose current definition does not reference A but that route callers to an older
 * version that does. Promote cannot move such an alias without changing what it runs, and deleting A would break
 * those executions: a blocker. `alreadyListed` counts the state machines whose aliases are listed anyway.
 */
export async function strayAliases(
  inspector: AliasInspector,
  stateMachines: { name: string; arn: string }[],
  alreadyListed: number,
): Promise<{ blockers: Finding[]; warnings: Finding[] }> {
  if (!stateMachines.length) return { blockers: [], warnings: [] };
  if (stateMachines.length + alreadyListed > ALIAS_SCAN_LIMIT) {
    return {
      blockers: [],
      warnings: [
        {
          code: 'AliasesNotChecked',
          message: `the aliases of ${stateMachines.length} state machine(s) that do not reference A were not checked (over ${ALIAS_SCAN_LIMIT} in scope; ListStateMachineAliases allows 1 call per second after that): an alias routing to an old version that uses A would break once A is deleted. Narrow stateMachines in the spec to have them checked.`,
        },
      ],
    };
  }
  const listed = await mapLimit(stateMachines, 4, async (sm) => ({ sm, aliases: await inspector.aliasesOf(sm.arn) }));
  const blockers = listed.flatMap(({ sm, aliases }) => aliasBlockers(sm.name, aliases));
  return { blockers, warnings: [] };
}

/** Aliases that route to a version using A, of a state machine promote does not rewrite. */
function aliasBlockers(stateMachine: string, aliases: AliasInfo[]): Finding[] {
  return aliases.flatMap((alias) =>
    alias.routes
      .filter((r) => r.referencesLive)
      .map((r) => ({
        code: 'AliasOnOldVersion',
        resource: stateMachine,
        message: `state machine ${stateMachine}: alias ${alias.name} routes ${r.weight}% of executions to version ${r.versionArn.split(':').pop() ?? ''}, which uses revision A, while the current definition does not; batchctl cannot move the alias without changing what it runs. Point ${alias.name} at a version that does not use A, then plan again.`,
      })),
  );
}
