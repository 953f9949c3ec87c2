/**
 * Which job queue is the workload's live revision, found from the account rather than written in the spec, so one
 * spec serves release after release (A → B → A → B). Pure: discovery hands in every queue and what the state
 * machines in scope name.
 *
 * - `live.jobQueue` naming a standing queue: that queue (the first adoption of a queue not named after the workload).
 * - Otherwise the workload's queues: those tagged `batchctl:workload=<workload>` (every revision batchctl built), and
 *   for the first adoption those named `<workload>`, `<workload><a suffix>` or `<workload><b suffix>`. When
 *   `live.jobQueue` names a queue that no longer stands (a swap retired it), only the tagged ones count: the hint
 *   only says where the workload started.
 * - One standing candidate: it. Several (a swap between its build and its retirement): the one the state machines in
 *   scope name, when exactly one is named; otherwise an error that says what was found and to look at `status`.
 */
import { jobQueueName } from './arn';
import { nextName, type Suffixes } from './naming';
import type { Spec } from './spec';
import { isStanding, TAG_PLAN, TAG_WORKLOAD } from './workload';
import { invalidInput } from '../errors';

export interface QueueCandidate {
  jobQueueName?: string;
  jobQueueArn?: string;
  status?: string;
  state?: string;
  tags?: Record<string, string>;
}

export interface LiveQueueChoice<Q extends QueueCandidate> {
  queue: Q;
  /** Said to the user when the spec's hint was not used: why this queue. */
  note?: string;
}

export interface LiveQueueInput<Q extends QueueCandidate> {
  spec: Spec;
  specFile: string;
  suffixes: Suffixes;
  queues: Q[];
  /** The state machines in scope whose definitions name the queue statically. */
  referencedBy: (queue: Q) => string[];
  account: string;
  region: string;
}

/** The names a first adoption is recognised by: the workload's name, bare and with each revision suffix. */
export function adoptionNames(workload: string, suffixes: Suffixes): string[] {
  return [workload, workload + suffixes.a, workload + suffixes.b];
}

const describe = <Q extends QueueCandidate>(q: Q, refs: string[]): string => {
  const plan = q.tags?.[TAG_PLAN];
  const by = refs.length ? `named by ${refs.join(', ')}` : 'named by no state machine';
  return `${q.jobQueueName ?? ''} (${[q.state, plan ? `plan ${plan}` : 'not built by batchctl', by].filter(Boolean).join(', ')})`;
};

export function chooseLiveQueue<Q extends QueueCandidate>(input: LiveQueueInput<Q>): LiveQueueChoice<Q> {
  const { spec, specFile, suffixes, queues } = input;
  const standing = queues.filter(isStanding);
  const hint = spec.live?.jobQueue;
  const status = `\`batchctl status ${specFile}\``;
  const where = `account ${input.account}, region ${input.region}`;
  const tagged = standing.filter((q) => q.tags?.[TAG_WORKLOAD] === spec.workload);
  if (hint) {
    const name = jobQueueName(hint);
    const named = standing.find((q) => q.jobQueueArn === hint || q.jobQueueName === name);
    if (named) return { queue: named };
    if (tagged.length === 0) {
      throw invalidInput(
        'QueueNotFound',
        `${specFile}: job queue "${hint}" (live.jobQueue) does not exist in ${where}, and no queue is tagged ${TAG_WORKLOAD}=${spec.workload}.`,
        [`Check the queue name, --region and --profile; ${status} lists the workload's queues.`],
      );
    }
  }
  const names = adoptionNames(spec.workload, suffixes);
  const candidates = hint
    ? tagged
    : [...new Set([...tagged, ...standing.filter((q) => names.includes(q.jobQueueName ?? ''))])];
  if (candidates.length === 0) {
    const leaving = queues
      .filter((q) => !isStanding(q) && q.tags?.[TAG_WORKLOAD] === spec.workload)
      .map((q) => `${q.jobQueueName ?? ''} (${q.status ?? ''})`);
    throw invalidInput(
      'LiveRevisionNotFound',
      `${specFile}: no live job queue of workload "${spec.workload}" in ${where}: none is tagged ${TAG_WORKLOAD}=${spec.workload} and none is named ${names.join(', ')}${leaving.length ? `; only ${leaving.join(', ')}, on its way out` : ''}.`,
      [
        `For the first adoption of a queue named otherwise, set live.jobQueue in the spec; ${status} shows the same queues.`,
      ],
    );
  }
  const chosen =
    candidates.length === 1 ? candidates[0] : onlyOne(candidates.filter((q) => input.referencedBy(q).length > 0));
  if (!chosen) {
    const found = candidates.map((q) => describe(q, input.referencedBy(q))).join('; ');
    throw invalidInput(
      'LiveRevisionAmbiguous',
      `${specFile}: workload "${spec.workload}" has ${candidates.length} job queues and the state machines do not tell which is live — a swap is between its build and its retirement: ${found}.`,
      [
        `${status} shows the swap's phase; finish it with \`batchctl promote <plan>\` or reverse it with \`batchctl rollback <plan>\`.`,
      ],
    );
  }
  if (hint) {
    return {
      queue: chosen,
      note: `live.jobQueue names ${jobQueueName(hint)}, which no longer exists; the workload's live queue is ${chosen.jobQueueName ?? ''} (tagged ${TAG_WORKLOAD}=${spec.workload}).`,
    };
  }
  return { queue: chosen };
}

function onlyOne<T>(list: T[]): T | undefined {
  return list.length === 1 ? list[0] : undefined;
}

/** The base name of the workload's queue (what the lock is keyed by), from whichever revision is found. */
export function queueBase(queue: QueueCandidate, suffixes: Suffixes): string {
  return nextName(queue.jobQueueName ?? '', suffixes).base;
}

/**
 * The base name of the workload's queues, for a reader that must not fail when no revision is live (`status`): the
 * spec's `live.jobQueue`, else a queue tagged with the workload, else one named for a first adoption.
 */
export function workloadQueueBase(spec: Spec, suffixes: Suffixes, queues: QueueCandidate[]): string | undefined {
  if (spec.live?.jobQueue) return nextName(jobQueueName(spec.live.jobQueue), suffixes).base;
  const names = adoptionNames(spec.workload, suffixes);
  const ordered = [...queues.filter(isStanding), ...queues];
  const found =
    ordered.find((q) => q.tags?.[TAG_WORKLOAD] === spec.workload) ??
    ordered.find((q) => names.includes(q.jobQueueName ?? ''));
  return found ? queueBase(found, suffixes) : undefined;
}
