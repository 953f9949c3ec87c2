/**
 * `promote`: executes a plan. Preflight (refuse stale, foreign or locked plans), build B and wait for it to be
 * VALID, repoint every reference, drain A, retire A. Every step first looks at what exists, so re-running after an
 * interruption at any point continues instead of duplicating work (DESIGN invariant 4); progress is read back from
 * AWS itself (B's names and `batchctl:plan` tags, where references point), not from a local file.
 */
import type { Aws } from '../aws/clients';
import type { PlanFile } from '../core/plan';
import { drainTarget, rewritePlanOf } from '../core/repoint';
import { stateMachineSelected } from '../core/spec';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { isInterruption, sleep } from '../lib/poll';
import type { WaitOptions } from './batch-ops';
import { buildRevision } from './build-revision';
import { drainQueue, type DrainStateMachine } from './drain';
import { interruptedError, promoteState, StepLog } from './interrupted';
import { preflight, readProgress, type Progress } from './promote-preflight';
import { retireLive } from './retire-live';
import {
  startSwap,
  loadPlanFile,
  loadPlannedSpec,
  repointAll,
  runStep,
  silentReporter,
  type RepointResult,
  type StepStatus,
  type SwapReporter,
} from './swap-steps';
import { drainGraceDetail, moveCallers } from './callers';
import { checkNothingStillNames } from './unplanned';
import { counted } from '../lib/plural';

export { loadPlanFile, type StepStatus };
export type PromoteReporter = SwapReporter;

export interface PromoteTimings {
  /** Step Functions' eventual consistency after UpdateStateMachine ("within a few seconds", aws-facts §5.2). */
  graceMs: number;
  drainTimeoutMs: number;
  pollIntervalMs: number;
  /** Deadline for a compute environment or queue to become VALID or to disappear. */
  resourceTimeoutMs: number;
  /** The longest an Express execution of the user's can run (MAX_EXPRESS_DURATION_MS when absent). */
  expressWindowMs?: number;
}

export const DEFAULT_TIMINGS: PromoteTimings = {
  graceMs: 10_000,
  drainTimeoutMs: 6 * 3_600_000,
  pollIntervalMs: 10_000,
  resourceTimeoutMs: 20 * 60_000,
};

export interface PromoteOptions {
  aws: Aws;
  planPath: string;
  retire: boolean;
  timings: PromoteTimings;
  reporter?: PromoteReporter;
  /** Break this lock first (its id, as a refusal names it). */
  forceUnlock?: string;
  /** SIGINT/SIGTERM (src/lib/signals.ts): stop at the next safe point, release the lock, end in Interrupted. */
  signal?: AbortSignal;
  /**
   * Flags the promote and rollback commands suggested after an interruption both carry (`--yes` where no terminal
   * is attached); the suggested promote adds `--no-retire` itself when this run keeps A.
   */
  rerunFlags?: string[];
}

export interface PromoteResult {
  planId: string;
  workload: string;
  status: 'complete' | 'drained';
  /** Where a re-run found the swap: nothing done yet, part-way, or already retiring A. */
  resumedFrom: Progress;
  created: { kind: string; name: string; arn: string; reused: boolean }[];
  repointed: RepointResult[];
  drained: { queue: string; durationMs: number };
  deleted: { kind: string; name: string }[];
  timings: Record<string, number>;
}

export async function promote(options: PromoteOptions): Promise<PromoteResult> {
  const { aws, timings } = options;
  const reporter = new StepLog(options.reporter ?? silentReporter, options.signal);
  const t0 = Date.now();
  const phase: Record<string, number> = {};
  const plan = await loadPlanFile(options.planPath);
  if (plan.blockers.length) {
    throw new BatchctlError(
      'PlanBlocked',
      `Plan ${plan.id} has ${counted(plan.blockers.length, 'blocker')}: ${plan.blockers[0]?.message ?? ''}`,
      {
        exitCode: ExitCode.Blocked,
        suggestions: ['Resolve the blockers and run `batchctl plan` again.'],
      },
    );
  }
  const again = `Run \`batchctl promote ${options.planPath}\` again to continue, or \`batchctl rollback ${options.planPath}\` to go back to ${plan.live.queue.name}.`;
  const lock = await startSwap(aws, plan, {
    operation: 'promote',
    planPath: options.planPath,
    reporter,
    ...(options.forceUnlock ? { forceUnlock: options.forceUnlock } : {}),
  });
  let released = false;
  try {
    const progress = await runStep(reporter, 'preflight', [again], async () => ({
      value: await readProgress(aws, plan),
      status: 'running',
    }));
    const b =
      progress === 'retire'
        ? undefined
        : await runStep(reporter, 'preflight', [again], async () => ({
            value: await preflight(aws, plan, options.planPath, progress),
          }));
    if (progress === 'retire') reporter.step('preflight', 'skipped', 'A is already being retired');
    phase.preflightMs = Date.now() - t0;
    const result: PromoteResult = {
      planId: plan.id,
      workload: plan.workload,
      status: 'complete',
      resumedFrom: progress,
      created: [],
      repointed: [],
      drained: { queue: plan.live.queue.name, durationMs: 0 },
      deleted: [],
      timings: phase,
    };
    const wait: WaitOptions = {
      intervalMs: Math.min(timings.pollIntervalMs, 2000),
      maxIntervalMs: 15_000,
      timeoutMs: timings.resourceTimeoutMs,
    };
    if (b) {
      const tBuild = Date.now();
      const jdRevisions = await buildRevision(aws, plan, b, wait, reporter, result, [again]);
      phase.buildMs = Date.now() - tBuild;

      const tCutover = Date.now();
      const rewrite = rewritePlanOf(b, jdRevisions);
      result.repointed = await repointAll(aws, plan, rewrite, {
        reporter,
        stepPrefix: 'repoint-state-machine',
        next: [again],
        unchanged: 'already repointed',
      });
      // Rules, schedules, pipes and opted-in parameters, in the same cutover (issue 9): one call each.
      await moveCallers(aws, plan, 'repoint', { reporter, next: [again] });
      // Executions started within the grace period after an update may still run the old definition (aws-facts
      // §5.2), so an Express state machine moved in this run stops reaching A only once the grace period is over.
      const cutoverAt = Date.now() + timings.graceMs;
      phase.cutoverMs = Date.now() - tCutover;

      const tDrain = Date.now();
      const drainId = `drain:${plan.live.queue.name}`;
      result.drained = await runStep(reporter, drainId, [again], async () => {
        reporter.step(drainId, 'running', drainGraceDetail(plan));
        // Not a wait on a state: UpdateStateMachine has no completion signal, AWS documents "a few seconds" (§5.2).
        await sleep(timings.graceMs, options.signal);
        const drained = await drainQueue({
          aws,
          ...(options.signal ? { signal: options.signal } : {}),
          target: drainTarget(b, new Map(plan.live.jobDefinitions.map((jd) => [jd.name, [jd.revision]]))),
          stateMachines: drainStateMachines(plan, result.repointed, cutoverAt),
          ...(timings.expressWindowMs === undefined ? {} : { expressWindowMs: timings.expressWindowMs }),
          // After the wait, so a state machine created or changed back to A during a drain of hours is still seen.
          beforeDisable: async () => {
            reporter.step(drainId, 'running', 'checking that no state machine still names A');
            await checkNothingStillNames(aws, plan, options.planPath, 'promote');
          },
          timeoutMs: timings.drainTimeoutMs,
          pollIntervalMs: timings.pollIntervalMs,
          onProgress: (p) => reporter.drain(p),
        });
        return { value: { queue: plan.live.queue.name, durationMs: drained.durationMs } };
      });
      phase.drainMs = Date.now() - tDrain;
    }
    if (!options.retire) {
      result.status = 'drained';
    } else {
      const tRetire = Date.now();
      const spec = await loadPlannedSpec(plan, options.planPath);
      const referenced = new Set(plan.references.map((r) => r.arn));
      result.deleted = await retireLive(
        aws,
        plan,
        wait,
        reporter,
        [`Run \`batchctl promote ${options.planPath}\` again to finish retiring A.`],
        (sm) => referenced.has(sm.arn) || stateMachineSelected(spec, sm.name),
      );
      phase.retireMs = Date.now() - tRetire;
    }
    phase.totalMs = Date.now() - t0;
    return result;
  } catch (error) {
    if (!isInterruption(error)) throw error;
    const warnings = reporter.warnings;
    await lock.release();
    released = true;
    const { state, canRollBack } = promoteState(plan, reporter);
    const flags = (options.rerunFlags ?? []).map((f) => ` ${f}`).join('');
    // Continuing keeps A when this run was to keep it (promote --no-retire).
    const keep = options.retire ? '' : ' --no-retire';
    throw interruptedError({
      interruption: error,
      log: reporter,
      state,
      lockReleased: reporter.warnings === warnings,
      next: [
        `Run \`batchctl promote ${options.planPath}${flags}${keep}\` to continue the swap${
          canRollBack
            ? `, or \`batchctl rollback ${options.planPath}${flags}\` to go back to ${plan.live.queue.name}.`
            : ` (A's deletion has started: there is no rollback, only finishing).`
        }`,
      ],
    });
  } finally {
    if (!released) await lock.release();
  }
}

/**
 * The planned state machines, for the drain: Express ones moved in this run carry the moment they stopped reaching
 * the drained queue; the others (moved by an earlier run) are counted from the drain's start.
 */
export function drainStateMachines(plan: PlanFile, repointed: RepointResult[], cutoverAt: number): DrainStateMachine[] {
  // A moved alias is a cutover too: executions started through it ran the old version until then.
  const movedNow = new Set(repointed.filter((r) => r.changes > 0 || r.aliases.length > 0).map((r) => r.stateMachine));
  return (
    plan.references
      // Only a static reference is moved; a Standard execution is likewise counted only for one (definitionNames).
      .filter((r) => r.type !== 'EXPRESS' || r.changes.length > 0)
      .map((r) => ({
        name: r.name,
        arn: r.arn,
        ...(r.type ? { type: r.type } : {}),
        ...(movedNow.has(r.name) ? { cutoverAt } : {}),
      }))
  );
}
