/**
 * Finds the callers of a workload besides Step Functions (issue 9) and repoints or restores them. Discovery is
 * read-only and paced by the AWS layer within each service's published rate (src/lib/rate-limiter.ts
 * CALLER_LIMITS); the kinds are searched side by side (different services, different buckets), at most 4 calls at
 * once per kind (src/lib/parallel.ts).
 */
import type { Aws } from '../aws/clients';
import type { EventRule } from '../aws/events';
import type { LambdaFunctionEnv } from '../aws/lambda';
import type { PipeRef } from '../aws/pipes';
import type { ScheduleRef } from '../aws/scheduler';
import type { SsmPathParameter } from '../aws/ssm';
import type { PlanFile } from '../core/plan';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { callerSelected, kindSearched } from '../core/callers-spec';
import { callerDigest, type CallerEntry } from '../core/callers-plan';
import {
  lambdaEnvironment,
  parameterValue,
  pipeUpdate,
  ruleTarget,
  scheduleUpdate,
  type CallerFindings,
  type PipeLike,
  type RuleTargetLike,
  type ScheduleLike,
} from '../core/references/callers';
import type { RewritePlan } from '../core/references/rewrite';
import type { Spec } from '../core/spec';
import { mapLimit } from '../lib/parallel';
import { counted } from '../lib/plural';
import { runStep, type SwapReporter } from './swap-steps';

const CONCURRENCY = 4;

function relevant(findings: CallerFindings): boolean {
  return findings.references.length > 0 || findings.unreadable.length > 0;
}

/** Schedule dates as the plan file stores them (ISO text); turned back into dates when sent. */
function jsonSafe<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** What discovery read, before matching: fetched while plan still derives B (their buckets are not Step Functions'). */
export interface CallerData {
  rules: { rule: EventRule; targets: RuleTargetLike[] }[];
  schedules: { ref: ScheduleRef; schedule: ScheduleLike }[];
  pipes: { ref: PipeRef; pipe: PipeLike }[];
  functions: LambdaFunctionEnv[];
  parameters: SsmPathParameter[];
}

async function fetchRules(aws: Aws, spec: Spec): Promise<CallerData['rules']> {
  if (!kindSearched(spec, 'rules')) return [];
  const buses = await aws.events.listEventBusNames();
  const rules = (await mapLimit(buses, CONCURRENCY, (bus) => aws.events.listRules(bus))).flat();
  // A rule managed by an AWS service (ManagedBy) is that service's: PutTargets on it fails (ManagedRuleException).
  const selected = rules.filter(
    (r) => !r.managedBy && callerSelected(spec, 'rules', r.name, `${r.eventBusName}/${r.name}`),
  );
  return mapLimit(selected, CONCURRENCY, async (rule) => ({
    rule,
    targets: (await aws.events.listTargetsByRule(rule.name, rule.eventBusName)) as RuleTargetLike[],
  }));
}

async function fetchSchedules(aws: Aws, spec: Spec): Promise<CallerData['schedules']> {
  if (!kindSearched(spec, 'schedules')) return [];
  const listed = (await aws.scheduler.listSchedules()).filter((s) =>
    callerSelected(spec, 'schedules', s.name, `${s.groupName}/${s.name}`),
  );
  return mapLimit(listed, CONCURRENCY, async (ref) => ({
    ref,
    schedule: (await aws.scheduler.getSchedule(ref.name, ref.groupName)) as ScheduleLike,
  }));
}

async function fetchPipes(aws: Aws, spec: Spec): Promise<CallerData['pipes']> {
  if (!kindSearched(spec, 'pipes')) return [];
  const listed = (await aws.pipes.listPipes()).filter((p) => callerSelected(spec, 'pipes', p.name));
  return mapLimit(listed, CONCURRENCY, async (ref) => ({
    ref,
    pipe: (await aws.pipes.describePipe(ref.name)) as PipeLike,
  }));
}

async function fetchFunctions(aws: Aws, spec: Spec): Promise<LambdaFunctionEnv[]> {
  if (!kindSearched(spec, 'lambdaFunctions')) return [];
  return (await aws.lambda.listFunctionEnvironments()).filter((f) => callerSelected(spec, 'lambdaFunctions', f.name));
}

async function fetchParameters(aws: Aws, spec: Spec): Promise<SsmPathParameter[]> {
  const paths = spec.callers?.parameters?.paths ?? [];
  const found = (await mapLimit(paths, CONCURRENCY, (path) => aws.ssm.getParametersByPath(path, true))).flat();
  const seen = new Set<string>();
  // Nested paths list a parameter twice.
  return found.filter((p) => !seen.has(p.name) && Boolean(seen.add(p.name)));
}

/** Reads every caller in the spec's scope; the kinds side by side (different services, different buckets). */
export async function fetchCallers(aws: Aws, spec: Spec): Promise<CallerData> {
  const [rules, schedules, pipes, functions, parameters] = await Promise.all([
    fetchRules(aws, spec),
    fetchSchedules(aws, spec),
    fetchPipes(aws, spec),
    fetchFunctions(aws, spec),
    fetchParameters(aws, spec),
  ]);
  return { rules, schedules, pipes, functions, parameters };
}

function ruleEntries(data: CallerData, rewrite: RewritePlan, ack: Set<string>): CallerEntry[] {
  return data.rules.flatMap(({ rule, targets }) =>
    targets.flatMap((target): CallerEntry[] => {
      const found = ruleTarget(target, rewrite);
      if (!relevant(found)) return [];
      const id = `rule:${rule.eventBusName}/${rule.name}#${target.Id ?? ''}`;
      const original = { rule: rule.name, eventBusName: rule.eventBusName, target };
      return [
        {
          kind: 'rule',
          id,
          name: `${rule.eventBusName}/${rule.name}`,
          arn: rule.arn,
          state: rule.state,
          references: found.references,
          unreadable: found.unreadable,
          repoint: true,
          acknowledged: ack.has(id),
          original,
          repointed: { ...original, target: found.repointed },
          digest: callerDigest(original),
        },
      ];
    }),
  );
}

function scheduleEntries(data: CallerData, rewrite: RewritePlan, ack: Set<string>): CallerEntry[] {
  return data.schedules.flatMap(({ ref, schedule }): CallerEntry[] => {
    const found = scheduleUpdate(schedule, rewrite);
    if (!relevant(found)) return [];
    const id = `schedule:${ref.groupName}/${ref.name}`;
    const original = jsonSafe(scheduleUpdate(schedule).input);
    return [
      {
        kind: 'schedule',
        id,
        name: `${ref.groupName}/${ref.name}`,
        ...(typeof schedule.Arn === 'string' ? { arn: schedule.Arn } : {}),
        state: schedule.State ?? ref.state,
        references: found.references,
        unreadable: found.unreadable,
        repoint: true,
        acknowledged: ack.has(id),
        original,
        repointed: jsonSafe(found.input),
        digest: callerDigest(original),
      },
    ];
  });
}

function pipeEntries(data: CallerData, rewrite: RewritePlan, ack: Set<string>): CallerEntry[] {
  return data.pipes.flatMap(({ ref, pipe }): CallerEntry[] => {
    const found = pipeUpdate(pipe, rewrite);
    if (!relevant(found)) return [];
    const id = `pipe:${ref.name}`;
    const original = jsonSafe(pipeUpdate(pipe).input);
    return [
      {
        kind: 'pipe',
        id,
        name: ref.name,
        arn: ref.arn,
        state: ref.currentState,
        references: found.references,
        unreadable: found.unreadable,
        repoint: true,
        acknowledged: ack.has(id),
        original,
        repointed: jsonSafe(found.input),
        digest: callerDigest(original),
      },
    ];
  });
}

function lambdaEntries(data: CallerData, rewrite: RewritePlan, ack: Set<string>): CallerEntry[] {
  return data.functions.flatMap((fn): CallerEntry[] => {
    const found = lambdaEnvironment(fn.variables, rewrite, fn.unreadable);
    if (!relevant(found)) return [];
    const id = `lambda:${fn.name}`;
    // Read only: nothing of the environment is stored beyond the variables that name A (the others may be secrets).
    return [
      {
        kind: 'lambda',
        id,
        name: fn.name,
        arn: fn.arn,
        references: found.references,
        unreadable: found.unreadable,
        repoint: false,
        acknowledged: ack.has(id),
      },
    ];
  });
}

function parameterEntries(data: CallerData, spec: Spec, rewrite: RewritePlan, ack: Set<string>): CallerEntry[] {
  const repoint = spec.callers?.parameters?.repoint === true;
  return data.parameters.flatMap((p): CallerEntry[] => {
    const result = parameterValue(p.value, p.type, rewrite);
    if (!relevant(result)) return [];
    const id = `parameter:${p.name}`;
    const secure = p.type === 'SecureString';
    const original = { name: p.name, value: p.value, type: p.type };
    return [
      {
        kind: 'parameter',
        id,
        name: p.name,
        references: result.references,
        unreadable: result.unreadable,
        repoint: repoint && result.after !== undefined,
        acknowledged: ack.has(id),
        // A SecureString's (encrypted) value is never written to the plan.
        ...(secure
          ? {}
          : { original, repointed: { ...original, value: result.after }, digest: callerDigest(original) }),
      },
    ];
  });
}

/** The callers that name A, or hold a value batchctl cannot read statically, in kind order. Pure. */
export function matchCallers(data: CallerData, spec: Spec, rewrite: RewritePlan): CallerEntry[] {
  const ack = new Set(spec.callers?.acknowledge ?? []);
  return [
    ...ruleEntries(data, rewrite, ack),
    ...scheduleEntries(data, rewrite, ack),
    ...pipeEntries(data, rewrite, ack),
    ...lambdaEntries(data, rewrite, ack),
    ...parameterEntries(data, spec, rewrite, ack),
  ];
}

/** Every caller in the spec's scope that names A, or holds a value batchctl cannot read statically. */
export async function discoverCallers(aws: Aws, spec: Spec, rewrite: RewritePlan): Promise<CallerEntry[]> {
  return matchCallers(await fetchCallers(aws, spec), spec, rewrite);
}

/** UpdateSchedule takes dates; the plan file holds them as ISO text. */
function withDates(input: ScheduleLike): ScheduleLike {
  const out: ScheduleLike = { ...input };
  for (const key of ['StartDate', 'EndDate'] as const) {
    const value = out[key] as unknown;
    if (typeof value === 'string') out[key] = new Date(value);
  }
  return out;
}

/** The caller as it stands now, in the form of its entry's `original`/`repointed` request; undefined when gone. */
async function currentRequest(aws: Aws, entry: CallerEntry): Promise<unknown> {
  switch (entry.kind) {
    case 'rule': {
      const stored = entry.original as { rule: string; eventBusName: string; target: { Id?: string } };
      const targets = await aws.events.listTargetsByRule(stored.rule, stored.eventBusName);
      const target = targets.find((t) => t.Id === stored.target.Id);
      return target ? jsonSafe({ rule: stored.rule, eventBusName: stored.eventBusName, target }) : undefined;
    }
    case 'schedule': {
      const stored = entry.original as ScheduleLike;
      const schedule = await aws.scheduler.getSchedule(stored.Name ?? '', stored.GroupName ?? 'default');
      return jsonSafe(scheduleUpdate(schedule as ScheduleLike).input);
    }
    case 'pipe': {
      const pipe = await aws.pipes.describePipe((entry.original as { Name: string }).Name);
      return jsonSafe(pipeUpdate(pipe as PipeLike).input);
    }
    case 'parameter': {
      const stored = entry.original as { name: string; type: string };
      const now = await aws.ssm.getParameter(stored.name);
      return now ? { name: stored.name, value: now.value, type: stored.type } : undefined;
    }
    default:
      return undefined;
  }
}

async function send(aws: Aws, entry: CallerEntry, request: unknown): Promise<void> {
  switch (entry.kind) {
    case 'rule': {
      const r = request as {
        rule: string;
        eventBusName: string;
        target: Parameters<Aws['events']['putTargets']>[2][number];
      };
      // Same target id: PutTargets replaces that target whole with this copy, every other field as it was.
      await aws.events.putTargets(r.rule, r.eventBusName, [r.target]);
      return;
    }
    case 'schedule':
      // The complete definition: UpdateSchedule resets whatever it is not sent.
      await aws.scheduler.updateSchedule(
        withDates(request as ScheduleLike) as Parameters<Aws['scheduler']['updateSchedule']>[0],
      );
      return;
    case 'pipe':
      await aws.pipes.updatePipe(request as Parameters<Aws['pipes']['updatePipe']>[0]);
      return;
    case 'parameter': {
      const p = request as { name: string; value: string };
      await aws.ssm.overwriteParameter(p.name, p.value);
      return;
    }
    default:
      return;
  }
}

export interface CallerMove {
  id: string;
  status: 'done' | 'skipped';
}

/**
 * Repoints (promote) or restores (rollback) every caller the plan marked for repointing, one step each
 * (`repoint-caller:<id>` / `restore-caller:<id>`), each in one call. A caller already in the wanted state is skipped,
 * so a re-run converges; one that is neither as plan saw it nor as promote left it was changed by someone else and
 * is not overwritten: the step fails naming it (exit code StalePlan).
 */
export async function moveCallers(
  aws: Aws,
  plan: PlanFile,
  direction: 'repoint' | 'restore',
  options: { reporter: SwapReporter; next: string[] },
): Promise<CallerMove[]> {
  const entries = (plan.callers ?? []).filter(
    (e) => e.repoint && e.original !== undefined && e.repointed !== undefined,
  );
  const prefix = direction === 'repoint' ? 'repoint-caller' : 'restore-caller';
  return mapLimit(entries, CONCURRENCY, (entry) =>
    runStep<CallerMove>(options.reporter, `${prefix}:${entry.id}`, options.next, async () => {
      const [wanted, from] =
        direction === 'repoint' ? [entry.repointed, entry.original] : [entry.original, entry.repointed];
      const current = await currentRequest(aws, entry);
      const now = current === undefined ? undefined : callerDigest(current);
      if (now === callerDigest(wanted)) {
        return {
          value: { id: entry.id, status: 'skipped' },
          status: 'skipped',
          detail: `already ${direction === 'repoint' ? 'repointed' : 'restored'}`,
        };
      }
      if (now !== callerDigest(from)) {
        throw new BatchctlError(
          'CallerChanged',
          `${entry.id} ${current === undefined ? 'no longer exists' : 'changed since the plan was made'}; batchctl does not overwrite it.`,
          {
            exitCode: ExitCode.StalePlan,
            suggestions: [
              direction === 'repoint'
                ? 'Run `batchctl plan` again and review the new plan.'
                : `Point ${entry.id} back at A yourself (the plan holds what it was), then run rollback again.`,
            ],
          },
        );
      }
      await send(aws, entry, wanted);
      const detail = entry.references
        .map((r) => (direction === 'repoint' ? `${r.before} → ${r.after}` : `${r.after} → ${r.before}`))
        .join(', ');
      return { value: { id: entry.id, status: 'done' }, detail };
    }),
  );
}

/**
 * What the drain says during its grace period. Rules, schedules and pipes submit at once when they fire (they hold
 * no long-running execution that could reach A later), so once they are repointed and the grace period is over,
 * nothing new comes from them: the drain waits only for A's jobs and the state machine executions.
 */
export function drainGraceDetail(plan: PlanFile): string {
  const moved = (plan.callers ?? []).filter((c) => c.repoint).length;
  const base = 'grace period for Step Functions consistency';
  if (!moved) return base;
  const callers = counted(moved, 'repointed caller');
  const submit = moved === 1 ? 'submits' : 'submit';
  return `${base}; the ${callers} (rules, schedules, pipes, parameters) ${submit} at once, so nothing new comes from them after it`;
}
