/**
 * `promote`: executes a plan. Preflight (refuse stale, foreign or locked plans), build B and wait for it to be
 * VALID, repoint every reference, drain A, retire A. Every step first looks at what exists, so re-running after an
 * interruption at any point continues instead of duplicating work (DESIGN invariant 4); progress is read back from
 * AWS itself (B's names and `batchctl:plan` tags, where references point), not from a local file.
 */
import type { Aws } from '../aws/clients';
import { canonicalJson } from '../core/digest';
import { deriveRevision } from '../core/derive';
import { compareObserved, observeStateMachine, observeWorkload } from '../core/fingerprint';
import type { PlanFile } from '../core/plan';
import { maskSecrets } from '../core/redact';
import { collectBatchTasks, matchReferences, type WorkloadTarget } from '../core/references';
import { liveTarget, rewritePlanOf, unplannedReferences, type UnplannedReference } from '../core/repoint';
import { TAG_PLAN, type DesiredRevision } from '../core/workload';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { mapLimit } from '../lib/parallel';
import { sleep } from '../lib/poll';
import {
  createOnceNameIsFree,
  deleteComputeEnvironment,
  deleteLaunchTemplateByName,
  deleteQueue,
  setComputeEnvironmentState,
  waitComputeEnvironmentValid,
  waitQueueValid,
  type WaitOptions,
} from './batch-ops';
import { discover, scanStateMachines } from './discovery';
import { drainQueue } from './drain';
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

export { loadPlanFile, type StepStatus };
export type PromoteReporter = SwapReporter;

export interface PromoteTimings {
  /** Step Functions' eventual consistency after UpdateStateMachine ("within a few seconds", aws-facts §5.2). */
  graceMs: number;
  drainTimeoutMs: number;
  pollIntervalMs: number;
  /** Deadline for a compute environment or queue to become VALID or to disappear. */
  resourceTimeoutMs: number;
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
}

export interface PromoteResult {
  planId: string;
  workload: string;
  status: 'complete' | 'drained';
  /** Where a re-run found the swap: nothing done yet, part-way, or already retiring A. */
  resumedFrom: 'start' | 'build' | 'retire';
  created: { kind: string; name: string; arn: string; reused: boolean }[];
  repointed: RepointResult[];
  drained: { queue: string; durationMs: number };
  deleted: { kind: string; name: string }[];
  timings: Record<string, number>;
}

type Progress = 'start' | 'build' | 'retire';

const plannedStateMachines = (plan: PlanFile): Set<string> => new Set(plan.references.map((r) => r.name));

function describeUnplanned(plan: PlanFile, found: UnplannedReference[]): string {
  return found
    .map((u) =>
      u.kind === 'static'
        ? `state machine ${u.stateMachine} names job queue ${plan.live.queue.name}`
        : `state machine ${u.stateMachine} computes its job queue at run time`,
    )
    .join('; ');
}

/** Mid-swap, a re-plan is no way out: the user moves the reference (or rolls back), then runs promote again. */
function unplannedError(plan: PlanFile, planPath: string, found: UnplannedReference[]): BatchctlError {
  return new BatchctlError(
    'UnplannedReference',
    `${describeUnplanned(plan, found)}, but plan ${plan.id} does not move it; ${plan.live.queue.name} is kept enabled so its executions keep working.`,
    {
      exitCode: ExitCode.Blocked,
      suggestions: [
        `Point it at ${plan.target.jobQueue.name} (or remove the reference), then run \`batchctl promote ${planPath}\` again; or run \`batchctl rollback ${planPath}\`.`,
      ],
    },
  );
}

function stale(plan: PlanFile, reasons: string[]): BatchctlError {
  return new BatchctlError('StalePlan', `Plan ${plan.id} is stale: ${reasons.join('; ')}.`, {
    exitCode: ExitCode.StalePlan,
    suggestions: ['Run `batchctl plan` again and review the new plan.'],
  });
}

/**
 * Where the swap stands, read from AWS: B's queue or compute environments tagged with this plan mean a build is under
 * way; A's queue gone while B's stands means retirement has begun. A B resource tagged by another plan is refused.
 */
async function readProgress(aws: Aws, plan: PlanFile): Promise<Progress> {
  const target = plan.target;
  const [queues, ces] = await Promise.all([
    aws.batch.describeJobQueues([target.jobQueue.name, plan.live.queue.arn]),
    aws.batch.describeComputeEnvironments(target.computeEnvironments.map((ce) => ce.name)),
  ]);
  // A namesake on its way out (the previous swap's, being deleted) is not B: promote waits for it to go.
  const standing = <T extends { status?: string }>(r: T): boolean => r.status !== 'DELETING' && r.status !== 'DELETED';
  const bQueue = queues.filter(standing).find((q) => q.jobQueueName === target.jobQueue.name);
  const owners = [...(bQueue ? [bQueue.tags?.[TAG_PLAN]] : []), ...ces.filter(standing).map((c) => c.tags?.[TAG_PLAN])];
  const foreign = owners.find((o) => o !== plan.id);
  if (owners.some((o) => o !== plan.id)) {
    throw new BatchctlError(
      'Locked',
      `B's resources of workload ${plan.workload} belong to ${foreign ? `plan ${foreign}` : 'no batchctl plan'}: another swap is in progress or a name is taken.`,
      { exitCode: ExitCode.Locked, suggestions: ['Finish or roll back that swap first, or re-plan.'] },
    );
  }
  // A's queue already DELETING counts as gone: retirement has begun and only has to be finished.
  const aQueue = queues.filter(standing).find((q) => q.jobQueueArn === plan.live.queue.arn);
  if (bQueue && !aQueue) return 'retire';
  return owners.length ? 'build' : 'start';
}

/** A fresh start must match the plan exactly; a resumed one only in what promote itself does not change. */
async function preflight(aws: Aws, plan: PlanFile, planPath: string, progress: Progress): Promise<DesiredRevision> {
  const spec = await loadPlannedSpec(plan, planPath);
  // Once references point at B, A's job definitions are no longer found through them: take the plan's.
  const known =
    progress === 'start'
      ? {}
      : { jobDefinitions: plan.live.jobDefinitions.map((jd) => ({ name: jd.name, revision: jd.revision })) };
  const discovery = await discover(aws, spec, plan.spec.path, known);
  // Named differences first ("job-queue reproject-a: priority 10 → 20"); the derived-B comparison catches the rest.
  const current = [...observeWorkload(discovery.live), ...discovery.stateMachines.map((sm) => observeStateMachine(sm))];
  const planned =
    progress === 'start'
      ? plan.observed
      : plan.observed.filter((o) => o.kind !== 'state-machine' && o.kind !== 'job-queue');
  const drifts = compareObserved(planned, current);
  if (drifts.length)
    throw stale(
      plan,
      drifts.map((d) => d.message),
    );
  // A state machine created (or changed to use A) since the plan would still submit to A once it is deleted.
  const unplanned = unplannedReferences(discovery.stateMachines, plan.live.queue, plannedStateMachines(plan), false);
  if (unplanned.length) {
    if (progress !== 'start') throw unplannedError(plan, planPath, unplanned);
    throw stale(plan, [`${describeUnplanned(plan, unplanned)}, and the plan does not cover it`]);
  }
  const b = deriveRevision(discovery.live, spec, plan.id);
  if (canonicalJson(maskSecrets(b)) !== canonicalJson(maskSecrets(plan.target))) {
    throw stale(plan, ['revision B derived from the account now differs from the planned one']);
  }
  return b;
}

export async function promote(options: PromoteOptions): Promise<PromoteResult> {
  const { aws, timings } = options;
  const reporter = options.reporter ?? silentReporter;
  const t0 = Date.now();
  const phase: Record<string, number> = {};
  const plan = await loadPlanFile(options.planPath);
  if (plan.blockers.length) {
    throw new BatchctlError(
      'PlanBlocked',
      `Plan ${plan.id} has ${plan.blockers.length} blocker(s): ${plan.blockers[0]?.message ?? ''}`,
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
      phase.cutoverMs = Date.now() - tCutover;

      const tDrain = Date.now();
      const drainId = `drain:${plan.live.queue.name}`;
      result.drained = await runStep(reporter, drainId, [again], async () => {
        // The last look before A stops taking work: nothing in scope may still name A's queue.
        reporter.step(drainId, 'running', 'checking that no state machine still names A');
        const { scanned } = await scanStateMachines(aws, await loadPlannedSpec(plan, options.planPath));
        const left = unplannedReferences(scanned, plan.live.queue, plannedStateMachines(plan), true);
        if (left.length) throw unplannedError(plan, options.planPath, left);
        reporter.step(drainId, 'running', 'grace period for Step Functions consistency');
        // Not a wait on a state: UpdateStateMachine has no completion signal, AWS documents "a few seconds" (§5.2).
        await sleep(timings.graceMs);
        const target = liveTarget(b, new Map(plan.live.jobDefinitions.map((jd) => [jd.name, [jd.revision]])));
        const drained = await drainQueue({
          aws,
          target,
          stateMachines: plan.references.map((r) => ({ name: r.name, arn: r.arn })),
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
      result.deleted = await retireLive(aws, plan, wait, reporter, [
        `Run \`batchctl promote ${options.planPath}\` again to finish retiring A.`,
      ]);
      phase.retireMs = Date.now() - tRetire;
    }
    phase.totalMs = Date.now() - t0;
    return result;
  } finally {
    await lock.release();
  }
}

/** Builds B bottom-up; returns the revision each changed job definition got. */
async function buildRevision(
  aws: Aws,
  plan: PlanFile,
  b: DesiredRevision,
  wait: WaitOptions,
  reporter: SwapReporter,
  result: PromoteResult,
  next: string[],
): Promise<Map<string, number>> {
  for (const lt of b.launchTemplates) {
    await runStep(reporter, `create-launch-template:${lt.name}`, next, async () => {
      const [existing] = await aws.ec2.findLaunchTemplatesByName([lt.name]);
      const owner = existing?.Tags?.find((t) => t.Key === TAG_PLAN)?.Value;
      if (existing && owner !== plan.id) {
        throw new BatchctlError(
          'NameTaken',
          `Launch template ${lt.name} exists and belongs to ${owner ? `plan ${owner}` : 'no batchctl plan'}; B cannot use its name.`,
          {
            exitCode: ExitCode.Locked,
            suggestions: ['Finish or roll back the swap that created it, or delete it, then re-plan.'],
          },
        );
      }
      if (existing) {
        result.created.push({
          kind: 'launch-template',
          name: lt.name,
          arn: existing.LaunchTemplateId ?? '',
          reused: true,
        });
        return { value: undefined, status: 'skipped', detail: 'already created by this plan' };
      }
      const created = await aws.ec2.createLaunchTemplate({
        LaunchTemplateName: lt.name,
        LaunchTemplateData: lt.data,
        TagSpecifications: [
          { ResourceType: 'launch-template', Tags: Object.entries(lt.tags).map(([Key, Value]) => ({ Key, Value })) },
        ],
        // Idempotent across retries of the same plan (aws-facts §4.4).
        ClientToken: `${plan.id}-${lt.name}`.slice(0, 128),
      });
      result.created.push({ kind: 'launch-template', name: lt.name, arn: created.id, reused: false });
      return { value: undefined };
    });
  }
  for (const ce of b.computeEnvironments) {
    await runStep(reporter, `create-compute-environment:${ce.name}`, next, async () => {
      // Batch Create* has no client token: the name is the idempotency key (aws-facts §4.4).
      const created = await createOnceNameIsFree(
        async () => (await aws.batch.describeComputeEnvironments([ce.name]))[0],
        () => aws.batch.createComputeEnvironment(ce.input),
        `compute environment ${ce.name}`,
        wait,
      );
      const existing = !created;
      await waitComputeEnvironmentValid(aws, ce.name, wait);
      if (ce.updatePolicy)
        await aws.batch.updateComputeEnvironment({ computeEnvironment: ce.name, updatePolicy: ce.updatePolicy });
      if (ce.updatePolicy) await waitComputeEnvironmentValid(aws, ce.name, wait);
      if (ce.disableAfterCreate)
        await setComputeEnvironmentState(aws, { name: ce.name, arn: ce.arn }, 'DISABLED', wait);
      result.created.push({ kind: 'compute-environment', name: ce.name, arn: ce.arn, reused: !!existing });
      return {
        value: undefined,
        ...(existing ? { status: 'skipped' as const, detail: 'already created by this plan' } : {}),
      };
    });
  }
  const revisions = new Map<string, number>();
  for (const jd of b.jobDefinitions.filter((j) => j.changed && j.input)) {
    await runStep(reporter, `register-job-definition:${jd.name}`, next, async () => {
      const ours = (await aws.batch.describeJobDefinitions({ name: jd.name, status: 'ACTIVE' }))
        .filter((e) => e.tags?.[TAG_PLAN] === plan.id)
        .sort((x, y) => (y.revision ?? 0) - (x.revision ?? 0))[0];
      if (ours) {
        revisions.set(jd.name, ours.revision ?? 1);
        result.created.push({ kind: 'job-definition', name: jd.name, arn: ours.jobDefinitionArn ?? '', reused: true });
        return { value: undefined, status: 'skipped', detail: 'already registered by this plan' };
      }
      const registered = await aws.batch.registerJobDefinition(jd.input!);
      revisions.set(jd.name, registered.revision);
      result.created.push({ kind: 'job-definition', name: jd.name, arn: registered.arn, reused: false });
      return { value: undefined, detail: `revision ${registered.revision}` };
    });
  }
  await runStep(reporter, `create-job-queue:${b.jobQueue.name}`, next, async () => {
    const existing = !(await createOnceNameIsFree(
      async () => (await aws.batch.describeJobQueues([b.jobQueue.name]))[0],
      () => aws.batch.createJobQueue(b.jobQueue.input),
      `job queue ${b.jobQueue.name}`,
      wait,
    ));
    await waitQueueValid(aws, b.jobQueue.name, wait, 'ENABLED');
    result.created.push({ kind: 'job-queue', name: b.jobQueue.name, arn: b.jobQueue.arn, reused: !!existing });
    return {
      value: undefined,
      ...(existing ? { status: 'skipped' as const, detail: 'already created by this plan' } : {}),
    };
  });
  return revisions;
}

/** True when a state machine in the plan's scope still names this job definition revision (directly or as latest). */
async function stillReferenced(
  aws: Aws,
  plan: PlanFile,
  jd: { name: string; arn: string; revision: number },
): Promise<boolean> {
  const only: WorkloadTarget = {
    queue: { name: '', arn: '' },
    jobDefinitions: [{ name: jd.name, arn: jd.arn.replace(/:\d+$/, ''), revisions: [jd.revision] }],
  };
  const uses = await mapLimit(plan.references, 4, async (ref) => {
    const d = await aws.sfn.describeStateMachine(ref.arn);
    try {
      return matchReferences(collectBatchTasks(d.definition ?? ''), only).some((r) => r.kind === 'static');
    } catch {
      return true;
    }
  });
  return uses.some(Boolean);
}

/** Deletes A top-down: queue, compute environments no other queue uses, templates, replaced job definition revisions. */
async function retireLive(
  aws: Aws,
  plan: PlanFile,
  wait: WaitOptions,
  reporter: SwapReporter,
  next: string[],
): Promise<PromoteResult['deleted']> {
  const deleted: PromoteResult['deleted'] = [];
  const queue = plan.live.queue;
  await runStep(reporter, `delete-job-queue:${queue.name}`, next, async () => {
    const [q] = await aws.batch.describeJobQueues([queue.arn]);
    if (q && q.state !== 'DISABLED') {
      // Never delete a queue that could still take work: only a drained (DISABLED) one gets here.
      throw new BatchctlError(
        'QueueNotDrained',
        `Job queue ${queue.name} is ${q.state}; it must be drained before it is deleted.`,
        { exitCode: ExitCode.NotDrained },
      );
    }
    const gone = await deleteQueue(aws, queue, wait);
    if (gone) deleted.push({ kind: 'job-queue', name: queue.name });
    return { value: undefined, ...(gone ? {} : { status: 'skipped' as const, detail: 'already deleted' }) };
  });
  for (const ce of plan.target.computeEnvironments.filter((c) => c.retireFrom)) {
    await runStep(reporter, `delete-compute-environment:${ce.from.name}`, next, async () => {
      const gone = await deleteComputeEnvironment(aws, ce.from, wait);
      if (gone) deleted.push({ kind: 'compute-environment', name: ce.from.name });
      return { value: undefined, ...(gone ? {} : { status: 'skipped' as const, detail: 'already deleted' }) };
    });
  }
  for (const step of plan.steps.filter((s) => s.action === 'delete-launch-template')) {
    await runStep(reporter, step.id, next, async () => {
      const gone = await deleteLaunchTemplateByName(aws, step.target);
      if (gone) deleted.push({ kind: 'launch-template', name: step.target });
      return { value: undefined, ...(gone ? {} : { status: 'skipped' as const, detail: 'already deleted' }) };
    });
  }
  for (const jd of plan.target.jobDefinitions.filter((j) => j.changed)) {
    await runStep(reporter, `deregister-job-definition:${jd.from.name}:${jd.from.revision}`, next, async () => {
      const [current] = await aws.batch.describeJobDefinitions({ arns: [jd.from.arn] });
      if (current?.status !== 'ACTIVE') return { value: undefined, status: 'skipped', detail: 'already inactive' };
      if (await stillReferenced(aws, plan, jd.from))
        return { value: undefined, status: 'skipped', detail: 'still referenced' };
      await aws.batch.deregisterJobDefinition(jd.from.arn);
      deleted.push({ kind: 'job-definition', name: `${jd.from.name}:${jd.from.revision}` });
      return { value: undefined };
    });
  }
  return deleted;
}
