/**
 * Rewrites a state machine definition so its static references to workload A point at B. Pure: no I/O.
 *
 * Only static JobQueue / JobDefinition values of classified Batch tasks that match A (same rules as
 * matchReferences, see match.ts) change, and each keeps the form it was written in:
 *   queue name → B's name;             queue ARN → B's ARN;
 *   `name`     → B's name;             `name:N`  → `B:<to.revision>` (no revision when to.revision is absent);
 *   ARN        → B's ARN (no revision); `ARN:N`  → B's ARN `:<to.revision>` (idem).
 * When B reuses A's job-definition name, an unpinned `name` stays as it is and pinned refs move to
 * `to.revision`. Dynamic values, non-Batch states, unknown Batch integrations and every other field are left
 * alone. The output is re-serialized with the input's indentation (2/4 spaces, tab, or minified; 2 spaces
 * when it cannot be told), line endings and surrounding whitespace; when nothing changes the input is
 * returned as is. The rewrite is idempotent as long as no mapping's `to` is another mapping's `from`.
 */
import { parseJobDefinitionRef } from '../arn';
import { matchJobDefinition, matchQueue, revisionMatches, type ResourceId } from './match';
import { collectBatchTaskStates, parseDefinition } from './walk';

export interface JobDefinitionMapping {
  /** `arn` without revision. `revisions` (A's ACTIVE revisions), when given and not empty, limits which pins move. */
  from: ResourceId & { revisions?: number[] };
  /** `arn` without revision; `revision` is the one pinned refs move to. */
  to: ResourceId & { revision?: number };
}

export interface RewritePlan {
  queue: { from: ResourceId; to: ResourceId };
  jobDefinitions: JobDefinitionMapping[];
}

export interface Change {
  /** The task's state path (see walk.ts). */
  path: string[];
  field: 'JobQueue' | 'JobDefinition';
  before: string;
  after: string;
}

export interface RewriteResult {
  definition: string;
  changes: Change[];
}

export function rewriteQueue(value: string, queue: RewritePlan['queue']): string | undefined {
  const form = matchQueue(value, queue.from);
  if (form === 'name') return queue.to.name;
  if (form === 'arn') return queue.to.arn;
  return undefined;
}

/** A job-definition ARN without its `:revision` suffix. */
function withoutRevision(arn: string): string {
  const ref = parseJobDefinitionRef(arn);
  if (!ref || ref.form !== 'arn' || ref.revision === undefined) return arn;
  return arn.slice(0, arn.length - `:${ref.revision}`.length);
}

export function rewriteJobDefinition(value: string, mappings: readonly JobDefinitionMapping[]): string | undefined {
  for (const { from, to } of mappings) {
    const ref = matchJobDefinition(value, from);
    if (!ref || !revisionMatches(ref.revision, from.revisions)) continue;
    const base = ref.form === 'name' ? to.name : withoutRevision(to.arn);
    const pinned = ref.revision !== undefined && to.revision !== undefined;
    return pinned ? `${base}:${to.revision}` : base;
  }
  return undefined;
}

function setAt(target: Record<string, unknown>, pointer: readonly (string | number)[], value: string): void {
  let node: unknown = target;
  for (const key of pointer.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  const last = pointer[pointer.length - 1];
  if (last === undefined) return;
  (node as Record<string | number, unknown>)[last] = value;
}

/**
 * The indentation of a JSON text for JSON.stringify: `'\t'`, a number of spaces (the smallest indentation
 * found, at most 10), 0 for a one-line (minified) text, and 2 when it cannot be told.
 */
export function detectIndentation(text: string): string | number {
  const body = text.trim();
  if (body === '') return 2;
  const lines = body.split(/\r?\n/).slice(1);
  if (lines.length === 0) return 0;
  let smallest = Number.POSITIVE_INFINITY;
  for (const line of lines) {
    const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
    if (indent === '' || indent.length === line.length) continue;
    if (indent.startsWith('\t')) return '\t';
    smallest = Math.min(smallest, indent.length);
  }
  return smallest === Number.POSITIVE_INFINITY ? 2 : Math.min(smallest, 10);
}

export function serializeLike(original: string, value: unknown): string {
  let text = JSON.stringify(value, null, detectIndentation(original));
  if (original.includes('\r\n')) text = text.replace(/\n/g, '\r\n');
  const leading = /^\s*/.exec(original)?.[0] ?? '';
  const trailing = /\s*$/.exec(original)?.[0] ?? '';
  return `${leading}${text}${trailing}`;
}

/**
 * Rewrites `definition` per `plan`. Throws DefinitionParseError when it is not JSON or has no `States`.
 * `changes` lists each edited value in task order; it is empty (and the text unchanged) when nothing matched.
 */
export function rewriteDefinition(definition: string, plan: RewritePlan): RewriteResult {
  const root = parseDefinition(definition);
  const changes: Change[] = [];
  for (const { task, state } of collectBatchTaskStates(root)) {
    if (task.integration === 'unknown') continue;
    for (const field of task.fields) {
      const name = field.name;
      if (field.kind !== 'static' || (name !== 'JobQueue' && name !== 'JobDefinition')) continue;
      const after =
        name === 'JobQueue'
          ? rewriteQueue(field.value, plan.queue)
          : rewriteJobDefinition(field.value, plan.jobDefinitions);
      if (after === undefined || after === field.value) continue;
      setAt(state, field.pointer, after);
      changes.push({ path: [...task.path], field: name, before: field.value, after });
    }
  }
  if (changes.length === 0) return { definition, changes };
  return { definition: serializeLike(definition, root), changes };
}
