/**
 * Callers of a workload besides Step Functions (issue 9): EventBridge rule targets, Scheduler schedules, Pipes,
 * Lambda environment variables and SSM parameter values. Pure: no I/O. Each function answers two questions about one
 * caller — which of its values name A's job queue or job definitions, and which values batchctl cannot read
 * statically — and, for the kinds batchctl repoints, builds the one request that moves it to B.
 *
 * Matching is exact and shared with the state machines (match.ts via rewrite.ts): a queue by name or ARN, a job
 * definition by name, `name:rev`, ARN or `ARN:rev` (a pinned revision only when it is one of A's). Only a whole value
 * matches: `reproject-a-old` or `job-queue/reproject-a2` never name `reproject-a`. A value whose B counterpart is the
 * same text (B reuses A's job-definition name, unpinned) needs no change and is not reported.
 *
 * Values that cannot be read statically (the caller decides them when it runs) are reported as unreadable:
 * - an EventBridge input transformer placeholder (`<name>`) where a job queue or job definition goes
 *   (EventBridge user guide, "Transforming target input");
 * - a Scheduler context attribute (`<aws.scheduler.…>`) there (Scheduler user guide, "Adding context attributes");
 * - a Pipes dynamic path parameter (`$.…`) as the job definition (Pipes user guide, "Dynamic path parameters");
 * - a Lambda environment Lambda could not return (Environment.Error) and an SSM SecureString (never decrypted);
 * - an input that is not JSON but mentions A's queue or job definition name.
 */
import { rewriteJobDefinition, rewriteQueue, serializeLike, type RewritePlan } from './rewrite';

export type CallerKind = 'rule' | 'schedule' | 'pipe' | 'lambda' | 'parameter';

export interface CallerReference {
  /** Where the value sits in the caller, e.g. `Arn`, `BatchParameters.JobDefinition`, `Input.JobQueue`. */
  field: string;
  refersTo: 'queue' | 'jobDefinition';
  before: string;
  after: string;
}

export interface UnreadableValue {
  field: string;
  reason: string;
}

export interface CallerFindings {
  references: CallerReference[];
  unreadable: UnreadableValue[];
}

/** A's value → B's value in the same form, or undefined when `value` does not name A (or needs no change). */
export function repointValue(
  value: string,
  plan: RewritePlan,
): { refersTo: CallerReference['refersTo']; after: string } | undefined {
  const queue = rewriteQueue(value, plan.queue);
  if (queue !== undefined && queue !== value) return { refersTo: 'queue', after: queue };
  const jobDefinition = rewriteJobDefinition(value, plan.jobDefinitions);
  if (jobDefinition !== undefined && jobDefinition !== value)
    return { refersTo: 'jobDefinition', after: jobDefinition };
  return undefined;
}

const QUEUE_OR_JD_KEY = /^(jobqueue|jobdefinition)$/i;
const SCHEDULER_CONTEXT = /<aws\.scheduler\.[^>]*>/;
const TRANSFORMER_PLACEHOLDER = /<[^<>"]+>/;

function addValue(findings: CallerFindings, field: string, value: string, plan: RewritePlan): void {
  const hit = repointValue(value, plan);
  if (hit) findings.references.push({ field, refersTo: hit.refersTo, before: value, after: hit.after });
}

/** Whether a text mentions A's queue or a job definition name at all (for inputs batchctl cannot parse). */
function mentionsWorkload(text: string, plan: RewritePlan): boolean {
  return [plan.queue.from.name, ...plan.jobDefinitions.map((m) => m.from.name)].some((name) => text.includes(name));
}

/**
 * Walks a JSON value: every string leaf that names A is a reference (and is replaced by B's value in the copy
 * returned); a JobQueue/JobDefinition key (either casing: Step Functions-style PascalCase or the Batch API's
 * camelCase) whose value is not a plain string, or is `templated`, is unreadable.
 */
function walkJson(
  node: unknown,
  field: string,
  plan: RewritePlan,
  findings: CallerFindings,
  templated: (value: string) => string | undefined,
): unknown {
  if (typeof node === 'string') {
    const hit = repointValue(node, plan);
    if (!hit) return node;
    findings.references.push({ field, refersTo: hit.refersTo, before: node, after: hit.after });
    return hit.after;
  }
  if (Array.isArray(node)) return node.map((item, i) => walkJson(item, `${field}.${i}`, plan, findings, templated));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const path = `${field}.${key}`;
      if (QUEUE_OR_JD_KEY.test(key)) {
        const reason = typeof value !== 'string' ? 'not a plain string' : templated(value);
        if (reason) findings.unreadable.push({ field: path, reason });
      }
      out[key] = walkJson(value, path, plan, findings, templated);
    }
    return out;
  }
  return node;
}

/** A JSON input: references and unreadable values, and the input with A's values replaced (same layout). */
function jsonInput(
  input: string,
  field: string,
  plan: RewritePlan,
  findings: CallerFindings,
  templated: (value: string) => string | undefined,
): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    if (mentionsWorkload(input, plan)) {
      findings.unreadable.push({ field, reason: 'not JSON, and it mentions the workload: batchctl cannot read it' });
    }
    return input;
  }
  const before = findings.references.length;
  const rewritten = walkJson(parsed, field, plan, findings, templated);
  return findings.references.length === before ? input : serializeLike(input, rewritten);
}

/**
 * An EventBridge input transformer template is JSON with `<placeholder>`s, which is not JSON: quoted values are
 * matched and replaced as they stand, and a placeholder where a job queue or job definition goes is unreadable.
 */
function transformerTemplate(template: string, field: string, plan: RewritePlan, findings: CallerFindings): string {
  const keyed = /"(JobQueue|jobQueue|JobDefinition|jobDefinition)"\s*:\s*("(?:[^"\\]|\\.)*"|<[^<>"]+>)/g;
  for (const match of template.matchAll(keyed)) {
    const value = match[2] ?? '';
    if (TRANSFORMER_PLACEHOLDER.test(value)) {
      findings.unreadable.push({
        field: `${field}.${match[1]}`,
        reason: `input transformer placeholder ${value} decides it when the rule runs`,
      });
    }
  }
  return template.replace(/"((?:[^"\\]|\\.)*)"/g, (quoted, inner: string) => {
    const hit = repointValue(inner, plan);
    if (!hit) return quoted;
    findings.references.push({ field, refersTo: hit.refersTo, before: inner, after: hit.after });
    return JSON.stringify(hit.after);
  });
}

function newFindings(): CallerFindings {
  return { references: [], unreadable: [] };
}

// ---------------------------------------------------------------------------------------------------------------
// EventBridge rule targets

/** The members of an EventBridge Target batchctl reads (the SDK's Target has these and more, all kept). */
export interface RuleTargetLike {
  Id?: string;
  Arn?: string;
  Input?: string;
  InputTransformer?: { InputTemplate?: string; InputPathsMap?: Record<string, string> };
  BatchParameters?: { JobDefinition?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/**
 * A rule target's references and the same target pointed at B, every other field kept as it is (PutTargets with the
 * same Id replaces the target whole, so the copy must carry every field ListTargetsByRule returned). The Batch target
 * names the queue in `Arn` and the job definition in `BatchParameters.JobDefinition` (EventBridge API reference,
 * Target, BatchParameters); any other target may carry A's names in its input.
 */
export function ruleTarget<T extends RuleTargetLike>(target: T, plan: RewritePlan): CallerFindings & { repointed: T } {
  const findings = newFindings();
  const repointed: T = structuredClone(target);
  if (typeof target.Arn === 'string') {
    const hit = repointValue(target.Arn, plan);
    if (hit) {
      findings.references.push({ field: 'Arn', refersTo: hit.refersTo, before: target.Arn, after: hit.after });
      repointed.Arn = hit.after;
    }
  }
  const jd = target.BatchParameters?.JobDefinition;
  if (typeof jd === 'string' && repointed.BatchParameters) {
    const hit = repointValue(jd, plan);
    if (hit) {
      findings.references.push({
        field: 'BatchParameters.JobDefinition',
        refersTo: hit.refersTo,
        before: jd,
        after: hit.after,
      });
      repointed.BatchParameters.JobDefinition = hit.after;
    }
  }
  if (typeof target.Input === 'string') {
    repointed.Input = jsonInput(target.Input, 'Input', plan, findings, () => undefined);
  }
  const template = target.InputTransformer?.InputTemplate;
  if (typeof template === 'string' && repointed.InputTransformer) {
    repointed.InputTransformer.InputTemplate = transformerTemplate(
      template,
      'InputTransformer.InputTemplate',
      plan,
      findings,
    );
  }
  return { ...findings, repointed };
}

// ---------------------------------------------------------------------------------------------------------------
// Scheduler schedules

/** GetSchedule's output as batchctl reads it (the SDK's GetScheduleOutput fits). */
export interface ScheduleLike {
  Name?: string;
  GroupName?: string;
  ScheduleExpression?: string;
  ScheduleExpressionTimezone?: string;
  StartDate?: Date;
  EndDate?: Date;
  Description?: string;
  State?: string;
  KmsKeyArn?: string;
  FlexibleTimeWindow?: { Mode?: string; MaximumWindowInMinutes?: number };
  ActionAfterCompletion?: string;
  Target?: { Arn?: string; Input?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** UpdateSchedule's members (scheduler 2021-06-30 model) other than ClientToken: the complete definition. */
const UPDATE_SCHEDULE_MEMBERS = [
  'Name',
  'GroupName',
  'ScheduleExpression',
  'ScheduleExpressionTimezone',
  'StartDate',
  'EndDate',
  'Description',
  'State',
  'KmsKeyArn',
  'FlexibleTimeWindow',
  'ActionAfterCompletion',
  'Target',
] as const;

/**
 * UpdateSchedule replaces the whole schedule: a member left out is reset (an omitted State becomes ENABLED, an
 * omitted Description is dropped — API_UpdateSchedule: "you must provide all of the required parameters, and any
 * optional parameters you want to keep"). So the input is the complete definition GetSchedule returned, taken by an
 * allow-list (read-only Arn and dates dropped), with only the target changed. Without a plan it is the original,
 * which is how rollback restores a schedule exactly.
 */
export function scheduleUpdate(schedule: ScheduleLike, plan?: RewritePlan): CallerFindings & { input: ScheduleLike } {
  const findings = newFindings();
  const input: ScheduleLike = {};
  for (const member of UPDATE_SCHEDULE_MEMBERS) {
    if (schedule[member] !== undefined) (input as Record<string, unknown>)[member] = structuredClone(schedule[member]);
  }
  if (!plan || !input.Target) return { ...findings, input };
  const target = input.Target;
  if (typeof target.Arn === 'string') {
    const hit = repointValue(target.Arn, plan);
    if (hit) {
      findings.references.push({ field: 'Target.Arn', refersTo: hit.refersTo, before: target.Arn, after: hit.after });
      target.Arn = hit.after;
    }
  }
  if (typeof target.Input === 'string') {
    target.Input = jsonInput(target.Input, 'Target.Input', plan, findings, (value) =>
      SCHEDULER_CONTEXT.test(value) ? `templated with a Scheduler context attribute (${value})` : undefined,
    );
  }
  return { ...findings, input };
}

// ---------------------------------------------------------------------------------------------------------------
// Pipes

/** DescribePipe's output as batchctl reads it (the SDK's DescribePipeResponse fits). */
export interface PipeLike {
  Name?: string;
  RoleArn?: string;
  Target?: string;
  TargetParameters?: {
    InputTemplate?: string;
    BatchJobParameters?: { JobDefinition?: string; [key: string]: unknown };
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface PipeUpdateLike {
  Name: string;
  RoleArn: string;
  Target?: string;
  TargetParameters?: PipeLike['TargetParameters'];
}

/**
 * UpdatePipe keeps what it is not sent, but replaces each service object inside TargetParameters whole
 * (API_UpdatePipe): so the input names the pipe, its role (required), the target and the complete TargetParameters.
 * Without a plan it is the original, for rollback. A job definition given as a dynamic path (`$.…`) is unreadable.
 */
export function pipeUpdate(pipe: PipeLike, plan?: RewritePlan): CallerFindings & { input: PipeUpdateLike } {
  const findings = newFindings();
  const input: PipeUpdateLike = { Name: pipe.Name ?? '', RoleArn: pipe.RoleArn ?? '' };
  if (pipe.Target !== undefined) input.Target = pipe.Target;
  if (pipe.TargetParameters !== undefined) input.TargetParameters = structuredClone(pipe.TargetParameters);
  if (!plan) return { ...findings, input };
  if (typeof pipe.Target === 'string') {
    const hit = repointValue(pipe.Target, plan);
    if (hit) {
      findings.references.push({ field: 'Target', refersTo: hit.refersTo, before: pipe.Target, after: hit.after });
      input.Target = hit.after;
    }
  }
  const batch = input.TargetParameters?.BatchJobParameters;
  const jd = batch?.JobDefinition;
  if (batch && typeof jd === 'string') {
    if (jd.startsWith('$.')) {
      findings.unreadable.push({
        field: 'TargetParameters.BatchJobParameters.JobDefinition',
        reason: `dynamic path parameter ${jd} decides it per event`,
      });
    } else {
      const hit = repointValue(jd, plan);
      if (hit) {
        findings.references.push({
          field: 'TargetParameters.BatchJobParameters.JobDefinition',
          refersTo: hit.refersTo,
          before: jd,
          after: hit.after,
        });
        batch.JobDefinition = hit.after;
      }
    }
  }
  const template = input.TargetParameters?.InputTemplate;
  if (typeof template === 'string' && input.TargetParameters) {
    input.TargetParameters.InputTemplate = transformerTemplate(
      template,
      'TargetParameters.InputTemplate',
      plan,
      findings,
    );
  }
  return { ...findings, input };
}

// ---------------------------------------------------------------------------------------------------------------
// Lambda environments and SSM parameters

/**
 * A function's environment variables that name A. Only the matching variables are reported (their values are A's
 * names); the others may hold secrets and are never copied out. batchctl does not change a function's configuration
 * (that is a deploy): the caller reports these as a blocker unless acknowledged.
 */
export function lambdaEnvironment(
  variables: Record<string, string>,
  plan: RewritePlan,
  unreadable?: string,
): CallerFindings {
  const findings = newFindings();
  if (unreadable) findings.unreadable.push({ field: 'Environment', reason: unreadable });
  for (const [name, value] of Object.entries(variables)) addValue(findings, `Environment.${name}`, value, plan);
  return findings;
}

/**
 * A parameter's value: a String is one value; a StringList is comma-separated values, each matched and replaced on
 * its own (SSM API reference, Parameter.Type). A SecureString is never decrypted, so it is unreadable. `after` is the
 * new value, or undefined when nothing changes.
 */
export function parameterValue(
  value: string,
  type: string,
  plan: RewritePlan,
): CallerFindings & { after: string | undefined } {
  const findings = newFindings();
  if (type === 'SecureString') {
    findings.unreadable.push({ field: 'Value', reason: 'a SecureString, which batchctl never decrypts' });
    return { ...findings, after: undefined };
  }
  if (type === 'StringList') {
    const items = value.split(',');
    const after = items.map((item, i) => {
      const hit = repointValue(item, plan);
      if (!hit) return item;
      findings.references.push({ field: `Value.${i}`, refersTo: hit.refersTo, before: item, after: hit.after });
      return hit.after;
    });
    return { ...findings, after: findings.references.length ? after.join(',') : undefined };
  }
  addValue(findings, 'Value', value, plan);
  return { ...findings, after: findings.references[0]?.after };
}
