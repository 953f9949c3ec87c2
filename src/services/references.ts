/**
 * The reference graph of revision A: which state machines name its queue or job definitions, how each reference
 * would be rewritten, which are dynamic, and which aliases still route callers to versions that reference A.
 */
import type { Aws } from '../aws/clients';
import type { DynamicReference, Finding, StateMachineReferences, VersionReference } from '../core/plan';
import {
  definitionNames,
  matchReferences,
  rewriteDefinition,
  type RewritePlan,
  type WorkloadTarget,
} from '../core/references';
import type { Spec } from '../core/spec';
import { aliasesToMove, versionNumber, versionQuotaBlocker, versionsToRepublish } from '../core/versions';
import { mapLimit } from '../lib/parallel';
import { SFN_LIMITS } from '../lib/rate-limiter';
import type { ScannedStateMachine } from './discovery';
import { counted } from '../lib/plural';

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

  const versions = await listVersions(inspector, references, strays.withAliases);
  references.push(...versions.added);
  warnings.push(...versions.warnings);
  blockers.push(...versions.blockers);
  await recordCurrent(aws, references, stateMachines);

  if (!references.some((r) => r.changes.length)) {
    warnings.push({
      code: 'NoReferences',
      message: `no state machine in scope references job queue ${target.queue.name}; promote will repoint nothing.`,
    });
  }
  return { references, warnings, blockers };
}

/**
 * For each state machine whose aliases promote moves, the definition and role plan saw: promote publishes from
 * other definitions before restoring this one (rewritten), and a run stopped in between must know it.
 */
async function recordCurrent(
  aws: Aws,
  references: StateMachineReferences[],
  stateMachines: ScannedStateMachine[],
): Promise<void> {
  const moving = references.filter((r) => r.changes.length && aliasesToMove(r.aliases).length);
  await mapLimit(moving, 4, async (ref) => {
    // The scanned definition is the one the plan's changes and fingerprint were made from; discovery kept its role.
    const scanned = stateMachines.find((sm) => sm.arn === ref.arn);
    const described = scanned?.roleArn ? undefined : await aws.sfn.describeStateMachine(ref.arn);
    ref.current = {
      definition: scanned?.definition ?? described?.definition ?? '',
      roleArn: scanned?.roleArn ?? described?.roleArn ?? '',
    };
  });
}

/**
 * ListStateMachineVersions allows a burst of 100 calls, then 1 per second (aws-facts §2.2): versions are listed for
 * as many state machines as fit in the burst — those that reference A first, then those with aliases — and a
 * warning names the rest.
 */
export const VERSION_SCAN_LIMIT = SFN_LIMITS.listStateMachineVersions.burst;

/**
 * Published versions are references: a caller can start one by its ARN, without any alias, and it runs the
 * definition it was published with (aws-facts §5.3, §8a). Each state machine that references A, or has aliases,
 * gets its versions listed (`versions`); a state machine that does not reference A but has a version that does is
 * added to the references (nothing to rewrite). Versions that name A are a warning, not a blocker: every swap
 * leaves the old versions naming the retired revision.
 */
async function listVersions(
  inspector: AliasInspector,
  references: StateMachineReferences[],
  withAliases: { name: string; arn: string; aliases: AliasInfo[] }[],
): Promise<{ added: StateMachineReferences[]; warnings: Finding[]; blockers: Finding[] }> {
  const candidates = [
    ...references.map((ref) => ({ ref, sm: { name: ref.name, arn: ref.arn, aliases: ref.aliases } })),
    ...withAliases.map((sm) => ({ ref: undefined, sm })),
  ];
  const listed = candidates.slice(0, VERSION_SCAN_LIMIT);
  const skipped = candidates.slice(VERSION_SCAN_LIMIT);
  const warnings: Finding[] = [];
  const blockers: Finding[] = [];
  const added: StateMachineReferences[] = [];
  const results = await mapLimit(listed, 4, async (c) => ({ ...c, versions: await inspector.versionsOf(c.sm.arn) }));
  for (const { ref, sm, versions } of results) {
    if (ref) ref.versions = versions;
    else if (versions.some((v) => v.namesLive)) {
      added.push({ name: sm.name, arn: sm.arn, changes: [], dynamic: [], aliases: sm.aliases, versions });
    }
    // Promote publishes a copy of each version an alias routes to that names A: a state machine at its version quota
    // would refuse the publish half-way through the cutover (ServiceQuotaExceededException, aws-facts §1.3, §5.2).
    const toPublish = ref?.changes.length ? versionsToRepublish(ref.aliases).length : 0;
    const quota = versionQuotaBlocker(sm.name, versions.length, toPublish);
    if (quota) blockers.push(quota);
    const naming = versions
      .filter((v) => v.namesLive)
      .map((v) => v.version)
      .sort((x, y) => x - y);
    if (naming.length) {
      warnings.push({
        code: 'VersionsNameLive',
        resource: sm.name,
        message: `state machine ${sm.name}: published version${naming.length === 1 ? '' : 's'} ${naming.join(', ')} ${naming.length === 1 ? 'names' : 'name'} ${inspector.target.queue.name}; an execution started with such a version ARN (not through an alias) once ${inspector.target.queue.name} is retired fails. Start the state machine or an alias instead.`,
      });
    }
  }
  if (skipped.length) {
    warnings.push({
      code: 'VersionsNotChecked',
      message: `the published versions of ${counted(skipped.length, 'state machine')} were not listed (over ${VERSION_SCAN_LIMIT} in scope; ListStateMachineVersions allows 1 call per second after that): a version that names ${inspector.target.queue.name}, started by its ARN, fails once it is retired. Narrow stateMachines in the spec to have them listed.`,
    });
  }
  return { added, warnings, blockers };
}

type AliasInfo = StateMachineReferences['aliases'][number];

/**
 * The aliases of state machines, and for each route whether its version names A. Aliases route callers to
 * published versions, which are immutable: an alias on a version that names A keeps sending work to A until a new
 * version is published and the alias moved (aws-facts §5.3). Each version is described once.
 */
export class AliasInspector {
  private readonly versions = new Map<string, Promise<boolean>>();

  constructor(
    private readonly aws: Aws,
    readonly target: WorkloadTarget,
  ) {}

  /** The published versions of a state machine, newest first; each is described once, with the aliases' routes. */
  async versionsOf(stateMachineArn: string): Promise<VersionReference[]> {
    const listed = await this.aws.sfn.listStateMachineVersions(stateMachineArn);
    const versions = await mapLimit(listed, 4, async (v) => {
      const arn = v.stateMachineVersionArn ?? '';
      return { arn, version: versionNumber(arn) ?? 0, namesLive: await this.versionNamesLive(arn) };
    });
    return versions.sort((x, y) => y.version - x.version);
  }

  async aliasesOf(stateMachineArn: string): Promise<AliasInfo[]> {
    const aliases = await this.aws.sfn.listStateMachineAliases(stateMachineArn);
    return mapLimit(aliases, 4, async (alias) => {
      const detail = await this.aws.sfn.describeStateMachineAlias(alias.stateMachineAliasArn ?? '');
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
      known = this.aws.sfn
        .describeStateMachine(versionArn)
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
): Promise<{
  blockers: Finding[];
  warnings: Finding[];
  withAliases: { name: string; arn: string; aliases: AliasInfo[] }[];
}> {
  if (!stateMachines.length) return { blockers: [], warnings: [], withAliases: [] };
  if (stateMachines.length + alreadyListed > ALIAS_SCAN_LIMIT) {
    return {
      blockers: [],
      withAliases: [],
      warnings: [
        {
          code: 'AliasesNotChecked',
          message: `the aliases of ${counted(stateMachines.length, 'state machine')} that do not reference A were not checked (over ${ALIAS_SCAN_LIMIT} in scope; ListStateMachineAliases allows 1 call per second after that): an alias routing to an old version that uses A would break once A is deleted. Narrow stateMachines in the spec to have them checked.`,
        },
      ],
    };
  }
  const listed = await mapLimit(stateMachines, 4, async (sm) => ({ sm, aliases: await inspector.aliasesOf(sm.arn) }));
  const blockers = listed.flatMap(({ sm, aliases }) => aliasBlockers(sm.name, aliases));
  const withAliases = listed
    .filter((l) => l.aliases.length)
    .map(({ sm, aliases }) => ({ name: sm.name, arn: sm.arn, aliases }));
  return { blockers, warnings: [], withAliases };
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
