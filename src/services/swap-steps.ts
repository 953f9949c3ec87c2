/**
 * What promote and rollback have in common: loading the plan and its spec, the account/region check, running a
 * named step (so a failure names the step and the next command), and repointing state machines with their aliases.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';

import type { Aws } from '../aws/clients';
import { classifyAwsError } from '../aws/errors';
import { digestOf } from '../core/digest';
import { lockKeyOfPlan } from '../core/lock-key';
import type { Suffixes } from '../core/naming';
import { parsePlan, type PlanFile } from '../core/plan';
import type { RewritePlan } from '../core/references';
import { isRedacted } from '../core/redact';
import { parseSpec, readSpecDocument, suffixesOf, validateSpec, type Spec } from '../core/spec';
import { substituteVariables, variableEnvName } from '../core/variables';
import { BatchctlError, invalidInput } from '../errors';
import { ExitCode } from '../exit-codes';
import { mapLimit } from '../lib/parallel';
import { checkInterrupted, isInterruption } from '../lib/poll';
import type { DrainProgress } from './drain';
import { interruptedError, type StepLog } from './interrupted';
import { acquireLock, type Lock } from './lock';
import { readPlanText } from './plan-file-text';
import { repointWithVersions, restoreWithVersions } from './version-routing';
import { counted, noun } from '../lib/plural';

/** `failed` names the step that failed, so a progress list shows the failure on that step and no other. */
export type StepStatus = 'running' | 'done' | 'skipped' | 'failed';

const FINAL = new Set<number>([ExitCode.Blocked, ExitCode.StalePlan, ExitCode.InvalidInput]);

export interface SwapReporter {
  step(id: string, status: StepStatus, detail?: string): void;
  drain(progress: DrainProgress): void;
  /** Something the user must know that does not fail the swap, e.g. a lock that could not be released. */
  warn(message: string): void;
  /**
   * The run's cancellation (SIGINT/SIGTERM, src/lib/signals.ts): once it has fired no step starts, and waits inside
   * a step wake up. Carried by the reporter because every step already receives it.
   */
  readonly signal?: AbortSignal;
}

export const silentReporter: SwapReporter = { step: () => undefined, drain: () => undefined, warn: () => undefined };

export async function loadPlanFile(planPath: string): Promise<PlanFile> {
  const hint = 'Run `batchctl plan <spec>` first; it writes <spec dir>/<spec file name>.plan.json.';
  return parsePlan(await readPlanText(planPath, hint), planPath);
}

export function specPathOf(plan: PlanFile, planPath: string): string {
  return isAbsolute(plan.spec.path) ? plan.spec.path : join(dirname(planPath), plan.spec.path);
}

/**
 * The spec the plan was made from. A plan embeds it (variables substituted), so the plan file alone is enough — on
 * another runner, in another directory. When the spec itself carries secrets (an environment value, user data…),
 * the plan holds them redacted: then the spec file is read again, beside the plan as `plan` wrote it, its redacted
 * fields are taken from it (variables in them from BATCHCTL_VAR_NAME), and the result must match the planned digest.
 * Plans written before the spec was embedded read the file as they always did.
 */
export async function loadPlannedSpec(plan: PlanFile, planPath: string): Promise<Spec> {
  const { content } = plan.spec;
  if (!content) return legacyPlannedSpec(plan, planPath);
  const name = `plan ${plan.id}'s spec`;
  if (!plan.spec.redacted) return checkedSpec(plan, validateSpec(content, name), name);
  const specPath = specPathOf(plan, planPath);
  const secrets = redactedFields(content);
  const text = await readFile(specPath, 'utf8').catch(() => {
    throw invalidInput(
      'SpecNeeded',
      `Plan ${plan.id} embeds its spec with secrets redacted (${secrets.join(', ')}), so promote also needs the spec file, and "${specPath}" cannot be read: keep ${plan.spec.path} beside the plan as \`batchctl plan\` wrote it.`,
    );
  });
  if (plan.spec.fileDigest && digestOf(text) !== plan.spec.fileDigest) {
    throw new BatchctlError('StalePlan', `The spec ${specPath} changed since plan ${plan.id} was made.`, {
      exitCode: ExitCode.StalePlan,
      suggestions: [`Run \`batchctl plan ${specPath}\` again and review the new plan.`],
    });
  }
  const document = readSpecDocument(text, specPath);
  const filled = fillRedacted(content, document);
  const { value, missing } = substituteVariables(filled, (v) => process.env[variableEnvName(v)]);
  const first = missing[0];
  if (first) {
    throw invalidInput(
      'VariableMissing',
      `${specPath}: variable "${first.name}" (in ${first.field}, a secret the plan does not store) has no value: set ${variableEnvName(first.name)} as it was for \`batchctl plan\`.`,
    );
  }
  return checkedSpec(plan, validateSpec(value, specPath), specPath);
}

function checkedSpec(plan: PlanFile, spec: Spec, name: string): Spec {
  if (digestOf(spec) !== plan.spec.digest) {
    throw new BatchctlError(
      'StalePlan',
      `${name} differs from the one plan ${plan.id} was made from (its digest does not match): a variable has another value, or the spec was edited.`,
      {
        exitCode: ExitCode.StalePlan,
        suggestions: ['Run `batchctl plan` again with the values you mean and review the new plan.'],
      },
    );
  }
  return spec;
}

/** The dotted paths of the embedded spec's redacted values (names only: never the values). */
function redactedFields(value: unknown, path: string[] = []): string[] {
  if (isRedacted(value)) return [path.join('.')];
  if (Array.isArray(value)) return value.flatMap((child, i) => redactedFields(child, [...path, String(i)]));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, child]) => redactedFields(child, [...path, k]));
  }
  return [];
}

/** `embedded` with each redacted value replaced by the file's value at the same place. */
function fillRedacted(embedded: unknown, file: unknown): unknown {
  if (isRedacted(embedded)) return file;
  if (Array.isArray(embedded)) {
    return embedded.map((child, i) => fillRedacted(child, Array.isArray(file) ? file[i] : undefined));
  }
  if (embedded && typeof embedded === 'object') {
    const source = file && typeof file === 'object' ? (file as Record<string, unknown>) : {};
    return Object.fromEntries(Object.entries(embedded).map(([k, child]) => [k, fillRedacted(child, source[k])]));
  }
  return embedded;
}

/** A plan from before the spec was embedded: the file beside it, its text digest-checked. */
async function legacyPlannedSpec(plan: PlanFile, planPath: string): Promise<Spec> {
  const specPath = specPathOf(plan, planPath);
  const text = await readFile(specPath, 'utf8').catch(() => {
    throw invalidInput(
      'SpecNotFound',
      `The plan's spec "${specPath}" cannot be read; it is needed to rebuild B's secrets.`,
      [
        isAbsolute(plan.spec.path)
          ? `Restore ${plan.spec.path}, or run \`batchctl plan\` again.`
          : `The plan names its spec relative to the plan file (${plan.spec.path}): keep the two side by side as \`batchctl plan\` wrote them, or plan again.`,
      ],
    );
  });
  if (digestOf(text) !== plan.spec.digest) {
    throw new BatchctlError('StalePlan', `The spec ${specPath} changed since plan ${plan.id} was made.`, {
      exitCode: ExitCode.StalePlan,
      suggestions: [`Run \`batchctl plan ${specPath}\` again and review the new plan.`],
    });
  }
  return parseSpec(text, specPath);
}

export async function checkScope(aws: Aws, plan: PlanFile): Promise<void> {
  const [account, region] = await Promise.all([aws.sts.accountId(), aws.region()]);
  if (account !== plan.account || region !== plan.region) {
    throw new BatchctlError(
      'PlanForeign',
      `Plan ${plan.id} was made for account ${plan.account} in ${plan.region}, but the credentials are for account ${account} in ${region}.`,
      { exitCode: ExitCode.StalePlan, suggestions: ['Use the profile and --region the plan was made with.'] },
    );
  }
}

/**
 * Runs one step: reports it, and turns a failure into one message naming the step and what to run next. Errors that
 * already carry a meaning (not drained, stale, access denied) keep their exit code.
 */
export async function runStep<T>(
  reporter: SwapReporter,
  id: string,
  next: string[],
  fn: () => Promise<{ value: T; status?: StepStatus; detail?: string }>,
): Promise<T> {
  // A safe point: the previous step has finished its calls, this one has not started any.
  checkInterrupted(reporter.signal);
  reporter.step(id, 'running');
  try {
    const { value, status, detail } = await fn();
    reporter.step(id, status ?? 'done', detail);
    return value;
  } catch (error) {
    // Not a failure: the service that runs the swap says where it stopped and what to run next.
    if (isInterruption(error)) {
      reporter.step(id, 'failed', `interrupted by ${error.signalName}`);
      throw error;
    }
    const known = error instanceof BatchctlError ? error : classifyAwsError(error);
    const message = known?.message ?? (error as Error).message;
    const failure = new BatchctlError(known?.code ?? 'StepFailed', `Step ${id} failed: ${message}`, {
      exitCode: known?.exitCode ?? ExitCode.Error,
      // A refusal (blocked, stale, bad input) already says what to do; running the same command again would not help.
      suggestions: [...(known?.suggestions ?? []), ...(known && FINAL.has(known.exitCode) ? [] : next)],
      cause: error,
    });
    reporter.step(id, 'failed', failure.message);
    throw failure;
  }
}

export interface RepointResult {
  stateMachine: string;
  /** References rewritten in the state machine's own definition (0 when it already was). */
  changes: number;
  /** Versions published for the aliases: `from` the version an alias routed to, `to` its rewritten copy. */
  published: { from: string; to: string }[];
  /** The first of `published`, for scripts written before an alias could route to two versions. */
  publishedVersion?: string;
  /** Aliases moved. */
  aliases: string[];
}

/**
 * Rewrites every referencing state machine of the plan with `rewrite`, in parallel within Step Functions' buckets
 * (one limiter per API, shared by all of them); aliases that routed to A at plan time follow with their weights
 * (src/services/version-routing.ts). With `restoreFrom` (rollback: `rewrite` is B → A, `restoreFrom` A → B), each
 * definition goes back to the one the plan recorded and each moved alias to its recorded routes. One step per state
 * machine: `<stepPrefix>:<name>`.
 */
export async function repointAll(
  aws: Aws,
  plan: PlanFile,
  rewrite: RewritePlan,
  options: { reporter: SwapReporter; stepPrefix: string; next: string[]; unchanged: string; restoreFrom?: RewritePlan },
): Promise<RepointResult[]> {
  return mapLimit(
    plan.references.filter((r) => r.changes.length),
    4,
    (ref) =>
      runStep(options.reporter, `${options.stepPrefix}:${ref.name}`, options.next, async () => {
        const done = options.restoreFrom
          ? await restoreWithVersions(aws, ref, options.restoreFrom, rewrite)
          : await repointWithVersions(aws, ref, rewrite, plan.id);
        const value: RepointResult = {
          stateMachine: ref.name,
          changes: done.changes,
          published: done.published,
          ...(done.published[0] ? { publishedVersion: done.published[0].to } : {}),
          aliases: done.aliases,
        };
        const changed = value.changes > 0 || value.aliases.length > 0 || value.published.length > 0;
        const detail = [
          `${counted(value.changes, 'reference')}`,
          ...(value.published.length ? [`${counted(value.published.length, 'version')} published`] : []),
          ...(value.aliases.length
            ? [`${noun(value.aliases.length, 'alias', 'aliases')} ${value.aliases.join(', ')} moved`]
            : []),
        ].join(', ');
        return { value, status: changed ? 'done' : 'skipped', detail: changed ? detail : options.unchanged };
      }),
  );
}

/**
 * The suffixes of the plan's spec — embedded, or from its file when it can still be read (a rollback may run after
 * the spec was edited or moved): they say which part of the queue name is the revision suffix, and so which lock
 * the plan takes.
 */
async function specSuffixes(plan: PlanFile, planPath: string): Promise<Suffixes[]> {
  if (plan.spec.content) {
    try {
      return [suffixesOf(validateSpec(plan.spec.content, `plan ${plan.id}'s spec`))];
    } catch {
      return [];
    }
  }
  const path = specPathOf(plan, planPath);
  try {
    return [suffixesOf(parseSpec(await readFile(path, 'utf8'), path))];
  } catch {
    return [];
  }
}

/**
 * The start of every swap command: the plan must be for this account and region, then the workload lock is taken.
 * The lock is keyed by the plan's job queue (core/lock-key.ts), so plans of two specs that name the same queue
 * exclude each other. Reported as the running `preflight` step; nothing has changed if it fails.
 */
export async function startSwap(
  aws: Aws,
  plan: PlanFile,
  options: { operation: 'promote' | 'rollback'; planPath: string; reporter: StepLog; forceUnlock?: string },
): Promise<Lock> {
  const command = `batchctl ${options.operation} ${options.planPath}`;
  return runStep(
    options.reporter,
    'preflight',
    [`Nothing was changed; run \`${command}\` again once fixed.`],
    async () => {
      await checkScope(aws, plan);
      const key = lockKeyOfPlan(
        plan.live.queue.name,
        plan.target.jobQueue.name,
        await specSuffixes(plan, options.planPath),
      );
      const value = await acquireLock(aws, {
        key,
        workload: plan.workload,
        planId: plan.id,
        operation: options.operation,
        command,
        onWarning: (message) => options.reporter.warn(message),
        ...(options.forceUnlock ? { forceUnlock: options.forceUnlock } : {}),
      });
      return { value, status: 'running' };
    },
  ).catch((error: unknown) => {
    // Stopped before the lock was taken: nothing changed and there is no lock to release.
    if (!isInterruption(error)) throw error;
    throw interruptedError({
      interruption: error,
      log: options.reporter,
      state: 'nothing was changed',
      next: [`Run \`${command}\` again when ready.`],
    });
  });
}
