/**
 * Published versions and alias routing during a swap. Pure: no I/O.
 *
 * A version is an immutable snapshot; an alias routes callers to one or two versions by weight (aws-facts §5.3).
 * Promote moves an alias by publishing, for each version it routes to that names A, a version made from *that*
 * version's definition with only the references rewritten, and routing the same weights to the new versions.
 * Step Functions publishes only the state machine's current revision, so each such version is made by setting the
 * state machine to it for a moment (UpdateStateMachine with publish), and the state machine is set to its own
 * rewritten definition afterwards. The helpers here decide what to publish, in which order, what a resumed run
 * finds, and where each alias ends up.
 */
import { canonicalJson } from './digest';
import type { Finding } from './plan';

/** What a state machine runs: its definition and the role its executions assume. */
export interface Snapshot {
  definition: string;
  roleArn: string;
}

/** A version to publish: made from `source` (a version ARN), with the references rewritten. */
export interface PublishTarget extends Snapshot {
  source: string;
  /** The version description that marks it as this plan's copy of `source`. */
  description: string;
}

export interface Route {
  versionArn: string;
  weight: number;
}

export interface RoutedAlias {
  name: string;
  arn: string;
  routes: (Route & { referencesLive: boolean })[];
}

/** UpdateStateMachine's versionDescription: at most 256 characters (aws-facts §5.2). */
const DESCRIPTION_MAX = 256;

/** The version number of a version ARN (`…:stateMachine:<name>:<N>`), or undefined for any other ARN. */
export function versionNumber(arn: string): number | undefined {
  const last = arn.split(':').pop() ?? '';
  return /^[0-9]+$/.test(last) ? Number(last) : undefined;
}

/** The description of the version a plan publishes from `sourceVersionArn`; a resumed run finds it by this text. */
export function publishDescription(planId: string, sourceVersionArn: string, queue: string): string {
  const text = `batchctl ${planId}: version ${versionNumber(sourceVersionArn) ?? sourceVersionArn} with references moved to ${queue}`;
  return text.slice(0, DESCRIPTION_MAX);
}

/** The versions the aliases route to that name A, each once, in the order the aliases list them. */
export function versionsToRepublish(aliases: readonly RoutedAlias[]): string[] {
  const out: string[] = [];
  for (const alias of aliases) {
    for (const route of alias.routes) {
      if (route.referencesLive && !out.includes(route.versionArn)) out.push(route.versionArn);
    }
  }
  return out;
}

/** The aliases promote moves: those with at least one route to a version that names A. */
export function aliasesToMove<T extends RoutedAlias>(aliases: readonly T[]): T[] {
  return aliases.filter((a) => a.routes.some((r) => r.referencesLive));
}

/**
 * An alias's routing once its versions are republished: each route to a republished version goes to the new one
 * with the same weight; a route to a version that does not name A keeps its version.
 */
export function routingAfter(routes: readonly Route[], republished: ReadonlyMap<string, string>): Route[] {
  // Two versions whose copies are the same snapshot share one copy (see distinctTargets). The model describes routing
  // as shifting traffic "between two state machine versions" and does not say a version may appear twice, so the
  // weights are added up on the one copy rather than sent as two routes to it.
  const weights = new Map<string, number>();
  for (const r of routes) {
    const to = republished.get(r.versionArn) ?? r.versionArn;
    weights.set(to, (weights.get(to) ?? 0) + r.weight);
  }
  return [...weights].map(([versionArn, weight]) => ({ versionArn, weight }));
}

/**
 * Targets whose copies would be identical (a canary that differed from its base only in a job definition revision
 * B replaces by one) are one version: UpdateStateMachine with publish on an unchanged revision returns the version
 * already published for it (PublishStateMachineVersion is idempotent per revision, aws-facts §5.3). Each group is
 * published once, as its first target; `same` maps every source to the source whose copy it shares.
 */
export function distinctTargets<T extends PublishTarget>(
  targets: readonly T[],
): { distinct: T[]; same: Map<string, string> } {
  const distinct: T[] = [];
  const same = new Map<string, string>();
  for (const t of targets) {
    const first = distinct.find((d) => sameSnapshot(d, t));
    if (first) same.set(t.source, first.source);
    else {
      distinct.push(t);
      same.set(t.source, t.source);
    }
  }
  return { distinct, same };
}

/** Whether two routings send the same weights to the same versions (Step Functions does not promise an order). */
export function sameRouting(a: readonly Route[], b: readonly Route[]): boolean {
  const key = (routes: readonly Route[]): string =>
    routes
      .map((r) => `${r.versionArn}=${r.weight}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/** Definitions compared as JSON values, so a service that re-serialises whitespace does not count as a change. */
export function sameDefinition(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return canonicalJson(JSON.parse(a)) === canonicalJson(JSON.parse(b));
  } catch {
    return false;
  }
}

export function sameSnapshot(a: Snapshot, b: Snapshot): boolean {
  return a.roleArn === b.roleArn && sameDefinition(a.definition, b.definition);
}

/**
 * The order to publish in: a version identical to the state machine's final snapshot goes last, so the final
 * UpdateStateMachine is not needed and unqualified starts run an older definition for as short a time as possible.
 */
export function publishOrder<T extends Snapshot>(targets: readonly T[], final: Snapshot): T[] {
  return [...targets.filter((t) => !sameSnapshot(t, final)), ...targets.filter((t) => sameSnapshot(t, final))];
}

/**
 * What the state machine holds now, against what the plan recorded:
 * - `planned`: the definition plan saw (nothing done yet);
 * - `final`: its rewrite, with its own role (the cutover is done);
 * - `publishing`: one of the versions being published — a run stopped between the publishes left it there;
 * - `changed`: anything else, i.e. someone changed the state machine during the swap.
 */
export type HeldSnapshot = 'planned' | 'final' | 'publishing' | 'changed';

export function classifyHeld(
  now: Snapshot,
  planned: Snapshot,
  final: Snapshot,
  publishing: readonly Snapshot[],
): HeldSnapshot {
  if (sameSnapshot(now, final)) return 'final';
  if (sameSnapshot(now, planned)) return 'planned';
  if (publishing.some((t) => sameSnapshot(now, t))) return 'publishing';
  return 'changed';
}

/** A published version as DescribeStateMachine(versionArn) shows it. */
export interface PublishedVersion extends Snapshot {
  arn: string;
  description?: string;
}

/**
 * The versions this plan already published (a run stopped after some publishes): for each target, a version with
 * its description, definition and role. Newer versions win when several match.
 */
export function findPublished(
  targets: readonly PublishTarget[],
  versions: readonly PublishedVersion[],
): Map<string, string> {
  const newestFirst = [...versions].sort((x, y) => (versionNumber(y.arn) ?? 0) - (versionNumber(x.arn) ?? 0));
  const found = new Map<string, string>();
  for (const target of targets) {
    const match = newestFirst.find((v) => v.description === target.description && sameSnapshot(v, target));
    if (match) found.set(target.source, match.arn);
  }
  return found;
}

/** Published versions per state machine (aws-facts §1.3; soft, raised through Support). */
export const VERSIONS_PER_STATE_MACHINE = 1000;

/**
 * Promote publishes a copy of each version an alias routes to that names A: a state machine at its version quota
 * would refuse a publish half-way through the cutover (ServiceQuotaExceededException, aws-facts §5.2).
 */
export function versionQuotaBlocker(stateMachine: string, published: number, toPublish: number): Finding | undefined {
  if (!toPublish || published + toPublish <= VERSIONS_PER_STATE_MACHINE) return undefined;
  return {
    code: 'VersionQuota',
    resource: stateMachine,
    message: `state machine ${stateMachine} has ${published} published versions; promote must publish ${toPublish} more, over Step Functions' limit of ${VERSIONS_PER_STATE_MACHINE} per state machine. Delete versions no alias routes to (DeleteStateMachineVersion), then plan again.`,
  };
}
