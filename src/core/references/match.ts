/**
 * Decides which Batch task fields name a workload's job queue or job definitions. Pure: no I/O.
 *
 * Matching rules (shared with rewrite.ts):
 * - Queue: a name matches when equal to the target's name; an ARN matches when it is a `job-queue/` ARN
 *   with the target's name AND the same partition, region and account as the target's ARN.
 * - Job definition: `name`, `name:rev`, ARN and `ARN:rev` are parsed with parseJobDefinitionRef; the name must
 *   be the target's, and an ARN must have the target ARN's partition, region and account. A reference pinned to
 *   a revision matches only when that revision is one of the target's `revisions` (A's ACTIVE revisions), so a
 *   pin to a revision registered for B under the same name is not taken for A. An empty `revisions` list means
 *   "unknown": every revision matches.
 */
import { jobQueueName, parseArn, parseJobDefinitionRef, type JobDefinitionRef } from '../arn';
import { collectBatchTasks, taskLocation, type BatchTask, type BatchTaskLocation, type FieldContainer } from './walk';

export interface ResourceId {
  name: string;
  arn: string;
}

export interface WorkloadTarget {
  queue: ResourceId;
  jobDefinitions: {
    name: string;
    /** Without revision. */
    arn: string;
    /** ACTIVE revisions of A; empty = unknown, every revision matches. */
    revisions: number[];
  }[];
}

export type ReferenceField = 'JobQueue' | 'JobDefinition';

interface ReferenceBase {
  field: ReferenceField;
  task: BatchTaskLocation;
  container: FieldContainer;
  /** Keys from the state object down to the value (see BatchTaskField.pointer). */
  pointer: (string | number)[];
}

export interface StaticReference extends ReferenceBase {
  kind: 'static';
  /** The value as written. */
  value: string;
  form: 'name' | 'arn';
  /** The queue or job-definition name the value resolves to. */
  name: string;
  /** Job definitions only: the revision named, or `latest` when none. */
  revision?: number | 'latest';
}

export interface DynamicReference extends ReferenceBase {
  kind: 'dynamic';
  /** The key as written (`JobQueue.$`, `JobQueue`, or the container name for a whole-container expression). */
  key: string;
  expression: string;
}

export type Reference = StaticReference | DynamicReference;

function sameScope(arn: string, targetArn: string): boolean {
  const value = parseArn(arn);
  const target = parseArn(targetArn);
  if (!value || !target) return false;
  return value.partition === target.partition && value.region === target.region && value.account === target.account;
}

/** How `value` names the queue (`name` or `arn`), or undefined when it does not. */
export function matchQueue(value: string, queue: ResourceId): 'name' | 'arn' | undefined {
  const arn = parseArn(value);
  if (!arn) return value === queue.name ? 'name' : undefined;
  const isQueueArn =
    arn.service === 'batch' && arn.resource.startsWith('job-queue/') && jobQueueName(value) === queue.name;
  return isQueueArn && sameScope(value, queue.arn) ? 'arn' : undefined;
}

/**
 * The parsed reference when `value` names the job definition (any revision), else undefined.
 * Revision filtering is left to the caller.
 */
export function matchJobDefinition(value: string, jobDefinition: ResourceId): JobDefinitionRef | undefined {
  const ref = parseJobDefinitionRef(value);
  if (!ref || ref.name !== jobDefinition.name) return undefined;
  if (ref.form === 'arn' && !sameScope(value, jobDefinition.arn)) return undefined;
  return ref;
}

/** Whether a pinned revision belongs to A: no pin, an empty (unknown) list, or a listed revision. */
export function revisionMatches(revision: number | undefined, revisions: readonly number[] | undefined): boolean {
  return revision === undefined || revisions === undefined || revisions.length === 0 || revisions.includes(revision);
}

/**
 * The references of `tasks` to the target's queue and job definitions: static values that match, plus
 * every dynamic JobQueue / JobDefinition value of every classified Batch task (the caller decides whether
 * those block a swap). Tasks with an `unknown` integration are skipped. Order: task order, then field order.
 */
export function matchReferences(tasks: readonly BatchTask[], target: WorkloadTarget): Reference[] {
  const references: Reference[] = [];
  for (const task of tasks) {
    if (task.integration === 'unknown') continue;
    for (const field of task.fields) {
      if (field.name !== 'JobQueue' && field.name !== 'JobDefinition') continue;
      const base = {
        field: field.name,
        task: taskLocation(task),
        container: field.container,
        pointer: [...field.pointer],
      };
      if (field.kind === 'dynamic') {
        references.push({ ...base, kind: 'dynamic', key: field.key, expression: field.expression });
        continue;
      }
      if (field.name === 'JobQueue') {
        const form = matchQueue(field.value, target.queue);
        if (form) references.push({ ...base, kind: 'static', value: field.value, form, name: target.queue.name });
        continue;
      }
      for (const jobDefinition of target.jobDefinitions) {
        const ref = matchJobDefinition(field.value, jobDefinition);
        if (!ref || !revisionMatches(ref.revision, jobDefinition.revisions)) continue;
        references.push({
          ...base,
          kind: 'static',
          value: field.value,
          form: ref.form,
          name: ref.name,
          revision: ref.revision ?? 'latest',
        });
        break;
      }
    }
  }
  return references;
}

/** A static job-definition reference of a task that submits to a given queue. */
export interface JobDefinitionUse {
  task: BatchTaskLocation;
  /** The value as written. */
  value: string;
  name: string;
  revision: number | 'latest';
  form: 'name' | 'arn';
  /** Present when written as an ARN: where the job definition lives. */
  arn?: { partition: string; region: string; account: string };
}

/**
 * The static job-definition references of the tasks that statically submit (`submitJob`, optimized or
 * aws-sdk) to `queue`, in task order and without de-duplication. Discovery uses it to learn which job
 * definitions belong to a workload. Dynamic or unparseable job definitions are left out (matchReferences
 * reports the dynamic ones).
 */
export function jobDefinitionsUsedWithQueue(tasks: readonly BatchTask[], queue: ResourceId): JobDefinitionUse[] {
  const uses: JobDefinitionUse[] = [];
  for (const task of tasks) {
    if (task.integration === 'unknown' || task.action !== 'submitJob') continue;
    const submitsToQueue = task.fields.some(
      (field) => field.name === 'JobQueue' && field.kind === 'static' && matchQueue(field.value, queue) !== undefined,
    );
    if (!submitsToQueue) continue;
    for (const field of task.fields) {
      if (field.name !== 'JobDefinition' || field.kind !== 'static') continue;
      const ref = parseJobDefinitionRef(field.value);
      if (!ref) continue;
      const use: JobDefinitionUse = {
        task: taskLocation(task),
        value: field.value,
        name: ref.name,
        revision: ref.revision ?? 'latest',
        form: ref.form,
      };
      const arn = ref.form === 'arn' ? parseArn(field.value) : undefined;
      if (arn) use.arn = { partition: arn.partition, region: arn.region, account: arn.account };
      uses.push(use);
    }
  }
  return uses;
}

/**
 * Whether a state machine definition statically names the target's queue or one of its job definitions.
 * `unreadable` answers for a definition that cannot be parsed: `true` where a wrong "no" could break work (an
 * execution that may still submit to A, a revision about to be deregistered), `false` where the definition is
 * reported as unreadable elsewhere (plan's DefinitionUnreadable warning).
 */
export function definitionNames(definition: string, target: WorkloadTarget, unreadable: boolean): boolean {
  let tasks: BatchTask[];
  try {
    tasks = collectBatchTasks(definition);
  } catch {
    return unreadable;
  }
  return matchReferences(tasks, target).some((r) => r.kind === 'static');
}
