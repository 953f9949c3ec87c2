/**
 * Where a swap stands, derived from what the account shows of the workload's two revisions. Pure: no I/O.
 *
 * Each revision is what its resources say of it (names and `batchctl:*` tags): its queue, if one stands, whether
 * anything references that queue (a state machine definition, or an alias routing to a version that names it), and
 * how many of its compute environments and launch templates stand. The phase follows from which revision is the
 * incoming one (B, being built or moved to) and which the outgoing one (A):
 *
 *   building      B's launch templates and/or compute environments stand, its queue does not yet
 *   built         both queues stand; references name A only
 *   cutting-over  references name both (an alias still routing to a version that names A counts for A)
 *   draining      references name B only; A's queue is still ENABLED
 *   drained       references name B only; A's queue is DISABLED
 *   retiring      A's queue is gone; some of A's compute environments or launch templates remain
 *
 * Which revision is incoming cannot be read from the references alone ("built" and "draining" both have every
 * reference on one queue), so it is decided by the first of these that answers, and the answer says which:
 *   1. `lock`:    the lock is held for the plan whose resources one revision carries (a lock is always current);
 *   2. `adopted`: one revision carries no `batchctl:plan` tag (it predates batchctl: the outgoing one);
 *   3. `created`: both have launch templates: the one whose templates EC2 created later is incoming;
 *   4. `plan`:    the plan file given to status names the plan whose resources one revision carries — last of the
 *      signals from the account's side, because an old plan file names the revision that is now outgoing;
 *   5. `assumed`: none of these: a revision without a queue is taken as being built unless all its compute
 *      environments are DISABLED (retirement disables them first); two queues with every reference on one are taken as
 *      "drained" when the other is DISABLED and as "built" otherwise.
 */
import type { RevisionLabel } from './naming';

export type SwapPhase = 'none' | 'building' | 'built' | 'cutting-over' | 'draining' | 'drained' | 'retiring';

export const SWAP_PHASES: readonly SwapPhase[] = [
  'none',
  'building',
  'built',
  'cutting-over',
  'draining',
  'drained',
  'retiring',
];

export interface RevisionObservation {
  label: RevisionLabel;
  /** The `batchctl:plan` tag of its resources (the queue's first); absent on resources batchctl did not create. */
  planId?: string;
  /** When EC2 created its earliest launch template (ms since the epoch); absent without launch templates. */
  createdAt?: number;
  /** Its standing queue (not DELETING/DELETED), if any. */
  queue?: { state: string; referenced: boolean };
  /** States of its standing compute environments. */
  computeEnvironments: string[];
  launchTemplates: number;
}

export type OrderSource = 'lock' | 'adopted' | 'created' | 'plan' | 'assumed';

export interface SwapState {
  phase: SwapPhase;
  /** The revision references are on (the outgoing one until the cutover starts). */
  live?: RevisionLabel;
  incoming?: RevisionLabel;
  outgoing?: RevisionLabel;
  /** How incoming and outgoing were told apart; absent with fewer than two revisions. */
  orderedBy?: OrderSource;
}

export interface SwapInput {
  revisions: RevisionObservation[];
  /** The plan of the held lock. */
  lockPlanId?: string;
  /** The id of the plan file given to status. */
  planId?: string;
}

/** A revision with nothing standing is not a revision at all (a finished retirement). */
function present(r: RevisionObservation): boolean {
  return !!r.queue || r.computeEnvironments.length > 0 || r.launchTemplates > 0;
}

function byPlan(revisions: RevisionObservation[], planId: string | undefined): RevisionObservation | undefined {
  if (!planId) return undefined;
  const carrying = revisions.filter((r) => r.planId === planId);
  return carrying.length === 1 ? carrying[0] : undefined;
}

/** The incoming revision of two, and how it was told. */
export function incomingOf(
  pair: [RevisionObservation, RevisionObservation],
  input: Pick<SwapInput, 'lockPlanId' | 'planId'>,
): { incoming: RevisionObservation; orderedBy: OrderSource } {
  const [x, y] = pair;
  const fromLock = byPlan(pair, input.lockPlanId);
  if (fromLock) return { incoming: fromLock, orderedBy: 'lock' };
  if (!x.planId !== !y.planId) return { incoming: x.planId ? x : y, orderedBy: 'adopted' };
  if (x.createdAt !== undefined && y.createdAt !== undefined && x.createdAt !== y.createdAt) {
    return { incoming: x.createdAt > y.createdAt ? x : y, orderedBy: 'created' };
  }
  const fromPlan = byPlan(pair, input.planId);
  if (fromPlan) return { incoming: fromPlan, orderedBy: 'plan' };
  return { incoming: assumeIncoming(x, y), orderedBy: 'assumed' };
}

function assumeIncoming(x: RevisionObservation, y: RevisionObservation): RevisionObservation {
  const retiring = (r: RevisionObservation): boolean =>
    r.computeEnvironments.length > 0 && r.computeEnvironments.every((s) => s === 'DISABLED');
  if (!x.queue !== !y.queue) {
    const queueless = x.queue ? y : x;
    const other = x.queue ? x : y;
    return retiring(queueless) ? other : queueless;
  }
  // Both queues stand: an unreferenced DISABLED queue is a drained A; any other unreferenced queue a built B.
  const unreferenced = [x, y].filter((r) => !r.queue?.referenced);
  if (unreferenced.length === 1) {
    const [lone] = unreferenced as [RevisionObservation];
    const other = lone === x ? y : x;
    return lone.queue?.state === 'DISABLED' ? other : lone;
  }
  return y.queue?.state === 'DISABLED' ? x : y;
}

export function deriveSwap(input: SwapInput): SwapState {
  const revisions = input.revisions.filter(present);
  if (revisions.length === 0) return { phase: 'none' };
  if (revisions.length === 1) {
    const [only] = revisions as [RevisionObservation];
    return only.queue ? { phase: 'none', live: only.label } : { phase: 'none' };
  }
  const pair = revisions.slice(0, 2) as [RevisionObservation, RevisionObservation];
  const { incoming, orderedBy } = incomingOf(pair, input);
  const outgoing = incoming === pair[0] ? pair[1] : pair[0];
  const base = { incoming: incoming.label, outgoing: outgoing.label, orderedBy };
  if (!incoming.queue) {
    return { phase: 'building', ...(outgoing.queue ? { live: outgoing.label } : {}), ...base };
  }
  if (!outgoing.queue) return { phase: 'retiring', live: incoming.label, ...base };
  const inRef = incoming.queue.referenced;
  const outRef = outgoing.queue.referenced;
  if (outRef && inRef) return { phase: 'cutting-over', live: outgoing.label, ...base };
  if (outRef || (!inRef && outgoing.queue.state !== 'DISABLED')) {
    // Nothing references either queue: before the cutover and after it look the same; A still enabled reads as built.
    return { phase: 'built', live: outgoing.label, ...base };
  }
  return { phase: outgoing.queue.state === 'DISABLED' ? 'drained' : 'draining', live: incoming.label, ...base };
}

export const PHASE_TEXT: Record<SwapPhase, string> = {
  none: 'no swap in progress',
  building:
    'B is being built: some of its launch templates or compute environments exist, its queue does not yet; references point at A',
  built: 'B is built; references still point at A (promote stopped before the cutover)',
  'cutting-over': 'references are being moved: some point at A, some at B',
  draining: 'references point at B; A is still enabled and not yet drained',
  drained: 'references point at B; A is drained and disabled, not yet retired (promote --no-retire, or interrupted)',
  retiring:
    "A's queue is gone but some of its compute environments or launch templates remain (retirement interrupted)",
};
