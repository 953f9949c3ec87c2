/**
 * `rollback`: before A is retired, go back to it. Re-enable A, move every reference back to A (definitions as the
 * plan recorded them, aliases back to their recorded versions and weights), drain B (executions that started on B and B's jobs), then delete B.
 * Ends with A complete and live. Once A's queue is gone there is nothing to go back to: the way back is a new plan
 * in the other direction.
 */
import type { Aws } from '../aws/clients';
import { plannedSpecPath, type PlanFile } from '../core/plan';
import type { WorkloadTarget } from '../core/references';
import { rewritePlanOf, reversePlan } from '../core/repoint';
import { stateMachineSelected } from '../core/spec';
import { TAG_PLAN, templatePlan } from '../core/workload';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { isInterruption, sleep } from '../lib/poll';
import {
  deleteComputeEnvironment,
  deleteLaunchTemplateUnlessUsed,
  deleteQueue,
  setQueueState,
  type WaitOptions,
} from './batch-ops';
import { moveCallers } from './callers';
import { drainQueue } from './drain';
import { interruptedError, rollbackState, StepLog } from './interrupted';
import { drainStateMachines, type PromoteTimings } from './promote';
import {
  startSwap,
  loadPlanFile,
  loadPlannedSpec,
  repointAll,
  runStep,
  silentReporter,
  type RepointResult,
  type SwapReporter,
} from './swap-steps';
import { definitionsInUse, whatNames } from './revision-holds';
import { checkNothingStillNames } from './unplanned';

export interface RollbackOptions {
  aws: Aws;
  planPath: string;
  timings: PromoteTimings;
  reporter?: SwapReporter;
  forceUnlock?: string;
  /** SIGINT/SIGTERM (src/lib/signals.ts): stop at the next safe point, release the lock, end in Interrupted. */
  signal?: AbortSignal;
  /** Flags the commands suggested after an interruption carry (`--yes` where no terminal is attached). */
  rerunFlags?: string[];
}

export interface RollbackResult {
  planId: string;
  workload: string;
  live: string;
  repointed: RepointResult[];
  drained: { queue: string; durationMs: number };
  deleted: { kind: string; name: string }[];
  timings: Record<string, number>;
}

/** The steps rollback reports, in order (for progress lists). */
export function rollbackSteps(plan: PlanFile): { id: string; title: string }[] {
  const t = plan.target;
  return [
    { id: 'enable-live', title: `Re-enable job queue ${plan.live.queue.name}` },
    ...plan.references
      .filter((r) => r.changes.length)
      .map((r) => ({
        id: `restore-state-machine:${r.name}`,
        title: `Point state machine ${r.name} back at ${plan.live.queue.name}`,
      })),
    ...(plan.callers ?? [])
      .filter((c) => c.repoint && c.original !== undefined)
      .map((c) => ({ id: `restore-caller:${c.id}`, title: `Point ${c.id} back at ${plan.live.queue.name}` })),
    { id: `drain:${t.jobQueue.name}`, title: `Drain job queue ${t.jobQueue.name}` },
    { id: `delete-job-queue:${t.jobQueue.name}`, title: `Delete job queue ${t.jobQueue.name}` },
    ...t.computeEnvironments.map((ce) => ({
      id: `delete-compute-environment:${ce.name}`,
      title: `Delete compute environment ${ce.name}`,
    })),
    ...t.launchTemplates.map((lt) => ({
      id: `delete-launch-template:${lt.name}`,
      title: `Delete launch template ${lt.name}`,
    })),
    ...t.jobDefinitions
      .filter((j) => j.changed)
      .map((jd) => ({ id: `deregister-job-definition:${jd.name}`, title: `Deregister job definition ${jd.name}` })),
  ];
}

export async function rollback(options: RollbackOptions): Promise<RollbackResult> {
  const { aws, timings } = options;
  const reporter = new StepLog(options.reporter ?? silentReporter, options.signal);
  const t0 = Date.now();
  const phase: Record<string, number> = {};
  const plan = await loadPlanFile(options.planPath);
  const lock = await startSwap(aws, plan, {
    operation: 'rollback',
    planPath: options.planPath,
    reporter,
    ...(options.forceUnlock ? { forceUnlock: options.forceUnlock } : {}),
  });
  reporter.step('preflight', 'done');
  let released = false;
  try {
    const again = [`Run \`batchctl rollback ${options.planPath}\` again to continue.`];
    const wait: WaitOptions = {
      intervalMs: Math.min(timings.pollIntervalMs, 2000),
      maxIntervalMs: 15_000,
      timeoutMs: timings.resourceTimeoutMs,
    };
    const result: RollbackResult = {
      planId: plan.id,
      workload: plan.workload,
      live: plan.live.queue.name,
      repointed: [],
      drained: { queue: plan.target.jobQueue.name, durationMs: 0 },
      deleted: [],
      timings: phase,
    };

    // A must take work again before anything points back at it (DESIGN invariant 1).
    await runStep(reporter, 'enable-live', again, async () => {
      const [aQueue] = await aws.batch.describeJobQueues([plan.live.queue.arn]);
      if (!aQueue || aQueue.status === 'DELETED' || aQueue.status === 'DELETING') {
        throw new BatchctlError(
          'RollbackImpossible',
          `Revision ${plan.live.label.toUpperCase()} (job queue ${plan.live.queue.name}) has already been retired; there is nothing to roll back to.`,
          {
            exitCode: ExitCode.Blocked,
            suggestions: [
              // The spec names the workload, not a revision: planning it again finds B live by its tags.
              `The way back is a new swap: \`batchctl plan ${plannedSpecPath(plan, options.planPath)}\` with the previous release's values (plan finds ${plan.target.jobQueue.name} live; add --replace if nothing differs), then \`batchctl promote\` on that plan.`,
            ],
          },
        );
      }
      const changed = await setQueueState(aws, plan.live.queue, 'ENABLED', wait);
      return { value: undefined, ...(changed ? {} : { status: 'skipped' as const, detail: 'already enabled' }) };
    });

    // B's job definition revisions as registered (tagged with this plan): the values references may now hold.
    const bRevisions = await runStep(reporter, 'enable-live', again, async () => {
      const found = new Map<string, number>();
      for (const jd of plan.target.jobDefinitions.filter((j) => j.changed)) {
        const ours = (await aws.batch.describeJobDefinitions({ name: jd.name })).filter(
          (e) => e.tags?.[TAG_PLAN] === plan.id,
        );
        const latest = ours.sort((x, y) => (y.revision ?? 0) - (x.revision ?? 0))[0];
        if (latest?.revision !== undefined) found.set(jd.name, latest.revision);
      }
      return { value: found, status: 'running' };
    });
    const forward = rewritePlanOf(plan.target, bRevisions);
    const back = reversePlan(forward, new Map(plan.live.jobDefinitions.map((jd) => [jd.name, jd.revision])));
    const tCutover = Date.now();
    // Definitions back as the plan recorded them, aliases back to the plan's versions and weights exactly.
    result.repointed = await repointAll(aws, plan, back, {
      reporter,
      stepPrefix: 'restore-state-machine',
      next: again,
      unchanged: 'already on A',
      restoreFrom: forward,
    });
    // Rules, schedules, pipes and parameters back to exactly what the plan saw.
    await moveCallers(aws, plan, 'restore', { reporter, next: again });
    // As in promote: an Express state machine moved back in this run stops reaching B once the grace period is over.
    const cutoverAt = Date.now() + timings.graceMs;
    phase.cutoverMs = Date.now() - tCutover;

    const bQueue = { name: plan.target.jobQueue.name, arn: plan.target.jobQueue.arn };
    const tDrain = Date.now();
    const drainId = `drain:${bQueue.name}`;
    result.drained = await runStep(reporter, drainId, again, async () => {
      const [q] = await aws.batch.describeJobQueues([bQueue.arn]);
      if (!q) return { value: { queue: bQueue.name, durationMs: 0 }, status: 'skipped', detail: 'B has no queue' };
      await sleep(timings.graceMs, options.signal);
      // Only what B added counts: B's queue and the job definitions it registered, at their own revisions. A
      // job definition the spec leaves unchanged is A's too.
      const target: WorkloadTarget = {
        queue: bQueue,
        jobDefinitions: forward.jobDefinitions.map((m) => ({
          name: m.to.name,
          arn: m.to.arn,
          revisions: m.to.revision === undefined ? [] : [m.to.revision],
        })),
      };
      const drained = await drainQueue({
        aws,
        ...(options.signal ? { signal: options.signal } : {}),
        target,
        stateMachines: drainStateMachines(plan, result.repointed, cutoverAt),
        ...(timings.expressWindowMs === undefined ? {} : { expressWindowMs: timings.expressWindowMs }),
        // Work may have been pointed at B during the rollback: nothing may still name it when its intake stops.
        beforeDisable: async () => {
          reporter.step(drainId, 'running', 'checking that no state machine still names B');
          await checkNothingStillNames(aws, plan, options.planPath, 'rollback');
        },
        timeoutMs: timings.drainTimeoutMs,
        pollIntervalMs: timings.pollIntervalMs,
        onProgress: (p) => reporter.drain(p),
      });
      return { value: { queue: bQueue.name, durationMs: drained.durationMs } };
    });
    phase.drainMs = Date.now() - tDrain;

    const tDelete = Date.now();
    const owned = (tags: Record<string, string> | undefined): boolean => tags?.[TAG_PLAN] === plan.id;
    await runStep(reporter, `delete-job-queue:${bQueue.name}`, again, async () => {
      const [q] = await aws.batch.describeJobQueues([bQueue.arn]);
      if (!q || !owned(q.tags)) return { value: undefined, status: 'skipped', detail: 'not there' };
      const gone = await deleteQueue(aws, bQueue, wait);
      if (gone) result.deleted.push({ kind: 'job-queue', name: bQueue.name });
      return { value: undefined };
    });
    for (const ce of plan.target.computeEnvironments) {
      await runStep(reporter, `delete-compute-environment:${ce.name}`, again, async () => {
        const [c] = await aws.batch.describeComputeEnvironments([ce.arn]);
        if (!c || !owned(c.tags)) return { value: undefined, status: 'skipped', detail: 'not there' };
        const gone = await deleteComputeEnvironment(aws, { name: ce.name, arn: ce.arn }, wait);
        if (gone) result.deleted.push({ kind: 'compute-environment', name: ce.name });
        return { value: undefined };
      });
    }
    for (const lt of plan.target.launchTemplates) {
      await runStep(reporter, `delete-launch-template:${lt.name}`, again, async () => {
        // Only B's own template, and not while any compute environment uses it (one may have been pointed at it).
        const done = await deleteLaunchTemplateUnlessUsed(aws, lt.name, (t) => templatePlan(t) === plan.id);
        if (done.outcome === 'absent') return { value: undefined, status: 'skipped', detail: 'not there' };
        if (done.outcome === 'kept') {
          return { value: undefined, status: 'skipped', detail: `kept: used by compute environment ${done.usedBy}` };
        }
        result.deleted.push({ kind: 'launch-template', name: lt.name });
        return { value: undefined };
      });
    }
    // Read once, when the first revision needs it, within the spec's scope and the plan's references.
    let inUse: ReturnType<typeof definitionsInUse> | undefined;
    const spec = await loadPlannedSpec(plan, options.planPath);
    const referenced = new Set(plan.references.map((r) => r.arn));
    const inScope = (sm: { name: string; arn: string }): boolean =>
      referenced.has(sm.arn) || stateMachineSelected(spec, sm.name);
    for (const jd of plan.target.jobDefinitions.filter((j) => j.changed)) {
      await runStep(reporter, `deregister-job-definition:${jd.name}`, again, async () => {
        const ours = (await aws.batch.describeJobDefinitions({ name: jd.name, status: 'ACTIVE' })).filter(
          (e) => e.tags?.[TAG_PLAN] === plan.id,
        );
        const kept: string[] = [];
        for (const revision of ours) {
          // As retire does for A's: a version promote published (kept after rollback), a running execution or one
          // pending redrive may still submit B's revision (revision-holds.ts).
          inUse ??= definitionsInUse(aws, inScope);
          const keeper = whatNames(await inUse, {
            name: jd.name,
            arn: revision.jobDefinitionArn ?? '',
            revision: revision.revision ?? 0,
          });
          if (keeper) {
            kept.push(`${jd.name}:${revision.revision ?? ''} (named by ${keeper})`);
            continue;
          }
          await aws.batch.deregisterJobDefinition(revision.jobDefinitionArn ?? '');
          result.deleted.push({ kind: 'job-definition', name: `${jd.name}:${revision.revision ?? ''}` });
        }
        if (!ours.length) return { value: undefined, status: 'skipped' as const, detail: 'not there' };
        if (kept.length) return { value: undefined, status: 'skipped' as const, detail: `kept: ${kept.join(', ')}` };
        return { value: undefined };
      });
    }
    phase.deleteMs = Date.now() - tDelete;
    phase.totalMs = Date.now() - t0;
    return result;
  } catch (error) {
    if (!isInterruption(error)) throw error;
    const warnings = reporter.warnings;
    await lock.release();
    released = true;
    const { state, canPromote } = rollbackState(plan, reporter);
    const flags = (options.rerunFlags ?? []).map((f) => ` ${f}`).join('');
    throw interruptedError({
      interruption: error,
      log: reporter,
      state,
      lockReleased: reporter.warnings === warnings,
      next: [
        `Run \`batchctl rollback ${options.planPath}${flags}\` to finish going back to ${plan.live.queue.name}${
          canPromote
            ? `, or \`batchctl promote ${options.planPath}${flags}\` to move forward to ${plan.target.jobQueue.name} again.`
            : '.'
        }`,
      ],
    });
  } finally {
    if (!released) await lock.release();
  }
}
