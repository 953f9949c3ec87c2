/**
 * "No changes": whether the revision a plan would build is the live one again. Pure.
 *
 * The desired state is already live when B, derived from A and the spec's changes, equals A for every resource — the
 * launch templates' data, the compute environments, the job queue and the job definitions — compared in the form
 * the plan's diff shows (core/plan-diff.ts: each B input against the same input cloned from A, secrets redacted with
 * one key, so an unchanged secret compares equal). What every swap changes by construction is not a change:
 * - B's names (the diff already leaves them out) and the `batchctl:*` ownership tags (plan, revision, workload);
 * - a compute environment's `computeResources.launchTemplate`: B names its own copy of A's template, pinned to
 *   version 1; the copy's data is compared in the launch template's own entry (the spec cannot change the reference);
 * - a queue's `computeEnvironmentOrder[].computeEnvironment`, when it names B's copy of the compute environment A's
 *   queue names at that place.
 * Anything else counts, including a job definition revision that references pin and that moves to B's copy, and a
 * disabled A (B is created ENABLED).
 */
import { canonicalJson } from './digest';
import type { FieldChange } from './diff';
import type { ResourceDiff } from './plan-diff';
import type { DesiredRevision } from './workload';

const OWNERSHIP_TAG = /(^|\.)tags\.batchctl:/;
const TAGS = /(^|\.)tags$/;
const TEMPLATE_REFERENCE = /^computeResources\.launchTemplate(\.|$)/;
const ORDER_ENTRY = /^computeEnvironmentOrder\[\d+\]\.computeEnvironment$/;

/** The changes of `diff` that a swap would really make; empty for every resource when the desired state is live. */
export function effectiveChanges(diff: ResourceDiff, b: DesiredRevision): FieldChange[] {
  const copies = new Map(b.computeEnvironments.map((ce) => [ce.from.arn, ce.arn]));
  return diff.changes.filter((change) => {
    if (OWNERSHIP_TAG.test(change.path)) return false;
    // A whole tag map added or removed (A had none): only the ownership tags may differ.
    if (TAGS.test(change.path))
      return canonicalJson(userTagsOf(change.before)) !== canonicalJson(userTagsOf(change.after));
    if (diff.kind === 'compute-environment' && TEMPLATE_REFERENCE.test(change.path)) return false;
    if (diff.kind === 'job-queue' && ORDER_ENTRY.test(change.path) && change.kind === 'changed') {
      return copies.get(String(change.before)) !== change.after;
    }
    return true;
  });
}

function userTagsOf(tags: unknown): Record<string, unknown> {
  if (!tags || typeof tags !== 'object') return {};
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith('batchctl:')));
}

/** True when no resource of B differs from A in anything but what every swap changes (see above). */
export function desiredStateIsLive(diffs: ResourceDiff[], b: DesiredRevision): boolean {
  return diffs.every((d) => effectiveChanges(d, b).length === 0);
}
