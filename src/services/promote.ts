/**
 * `promote`: executes a plan. Preflight (refuse stale, foreign or locked plans), build B and wait for it to be
 * VALID, repoint every reference, drain A, retire A. Every step checks what exists first, so re-running after an
 * interruption continues instead of duplicating work (DESIGN invariant 4).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';

import type { Aws } from '../aws/clients';
import { awsErrorMessage, awsErrorName } from '../aws/errors';
import { canonicalJson, digestOf } from '../core/digest';
import { deriveRevision } from '../core/derive';
import { compareObserved, observeStateMachine, observeWorkload } from '../core/fingerprint';
import { parsePlan, type PlanFile } from '../core/plan';
import { redact } from '../core/redact';
import {
  collectBatchTasks,
  matchReferences,
  rewriteDefinition,
  type RewritePlan,
  type WorkloadTarget,
} from '../core/references';
import { liveTarget, rewritePlanOf } from '../core/repoint';
import { parseSpec, type Spec } from '../core/spec';
import { TAG_PLAN, type DesiredRevision } from '../core/workload';
import { BatchctlError, invalidInput } from '../errors';
import { ExitCode } from '../exit-codes';
import { mapLimit } from '../lib/parallel';
import { pollUntil, sleep } from '../lib/poll';
import { RateLimiter, SFN_LIMITS } from '../lib/rate-limiter';
import { discover } from './discovery';
import { drainQueue, type DrainProgress } from './drain';

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

export type StepStatus = 'running' | 'done' | 'skipped';

export interface PromoteReporter {
  step(id: string, status: StepStatus, detail?: string): void;
  drain(progress: DrainProgress): void;
}

export interface PromoteOptions {
  aws: Aws;
  planPath: string;
  retire: boolean;
  timings: PromoteTimings;
  reporter?: PromoteReporter;
}

export interface PromoteResult {
  planId: string;
  workload: string;
  status: 'complete' | 'drained';
  created: { kind: string; name: string; arn: string; reused: boolean }[];
  repointed: { stateMachine: string; changes: number; publishedVersion?: string; aliases: string[] }[];
  drained: { queue: string; durationMs: number };
  deleted: { kind: string; name: string }[];
  timings: Record<string, number>;
}

const silent: PromoteReporter = { step: () => undefined, drain: () => undefined };

export async function loadPlanFile(planPath: string): Promise<PlanFile> {
  let text: string;
  try {
    text = await readFile(planPath, 'utf8');
  } catch (error) {
    throw invalidInput(
      'PlanNotFound',
      `Cannot read plan "${planPath}" (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
      ['Run `batchctl plan <spec>` first; it writes plans/<workload>.plan.json.'],
    );
  }
  return parsePlan(text, planPath);
}

async function loadPlannedSpec(plan: PlanFile, planPath: string): Promise<Spec> {
  const specPath = isAbsolute(plan.spec.path) ? plan.spec.path : join(dirname(planPath), plan.spec.path);
  const text = await readFile(specPath, 'utf8').catch(() => {
    throw invalidInput(
      'SpecNotFound',
      `The plan's spec "${specPath}" cannot be read; promote needs it to rebuild B's secrets.`,
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

function stale(plan: PlanFile, reasons: string[]): BatchctlError {
  return new BatchctlError('StalePlan', `Plan ${plan.id} is stale: ${reasons.join('; ')}.`, {
    exitCode: ExitCode.StalePlan,
    suggestions: ['Run `batchctl plan` again and review the new plan.'],
  });
}

/** Preflight: the plan must be for this account and region, unchanged since planning, and the workload unlocked. */
async function preflight(
  aws: Aws,
  plan: PlanFile,
  planPath: string,
): Promise<{ spec: Spec; b: DesiredRevision; resumed: boolean }> {
  const [account, region] = await Promise.all([aws.sts.accountId(), aws.region()]);
  if (account !== plan.account || region !== plan.region) {
    throw new BatchctlError(
      'PlanForeign',
      `Plan ${plan.id} was made for account ${plan.account} in ${plan.region}, but the credentials are for account ${account} in ${region}.`,
      { exitCode: ExitCode.StalePlan, suggestions: ['Use the profile and --region the plan was made with.'] },
    );
  }
  const spec = await loadPlannedSpec(plan, planPath);
  const discovery = await discover(aws, spec, plan.spec.path);
  const b = deriveRevision(discovery.live, spec, plan.id);
  if (canonicalJson(redact(b)) !== canonicalJson(plan.target)) {
    throw stale(plan, ['revision B derived from the account now differs from the planned one']);
  }
  // A B resource tagged by another plan means another swap of this workload is in progress: that is the lock.
  const holders = [
    ...discovery.allQueues.filter((q) => q.jobQueueName === b.jobQueue.name).map((q) => q.tags?.[TAG_PLAN]),
    ...discovery.allComputeEnvironments
      .filter((c) => b.computeEnvironments.some((ce) => ce.name === c.computeEnvironmentName))
      .map((c) => c.tags?.[TAG_PLAN]),
  ];
  const foreign = holders.find((h) => h !== plan.id);
  if (holders.length && foreign !== undefined) {
    throw new BatchctlError(
      'Locked',
      `Another swap of workload ${plan.workload} is in progress: B's resources belong to ${foreign ? `plan ${foreign}` : 'no batchctl plan'}.`,
      {
        exitCode: ExitCode.Locked,
        suggestions: ['Finish or roll back that swap first, or re-plan.'],
      },
    );
  }
  const resumed = holders.length > 0;
  const current = [...observeWorkload(discovery.live), ...discovery.stateMachines.map((sm) => observeStateMachine(sm))];
  const planned = resumed
    ? // Promote itself changes state machines and A's queue state; on a resumed run only A's configuration must match.
      plan.observed.filter((o) => o.kind !== 'state-machine' && o.kind !== 'job-queue')
    : plan.observed;
  const drifts = compareObserved(planned, current);
  if (drifts.length)
    throw stale(
      plan,
      drifts.map((d) => d.message),
    );
  return { spec, b, resumed };
}

function isNotFoundOrExists(error: unknown, pattern: RegExp): boolean {
  return pattern.test(awsErrorName(error)) || pattern.test(awsErrorMessage(error));
}

export async function promote(options: PromoteOptions): Promise<PromoteResult> {
  const { aws, timings } = options;
  const reporter = options.reporter ?? silent;
  const t0 = Date.now();
  const phase: Record<string, number> = {};
  const mark = (name: string, since: number): void => {
    phase[name] = Date.now() - since;
  };
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
  reporter.step('preflight', 'running');
  const { b } = await preflight(aws, plan, options.planPath);
  reporter.step('preflight', 'done');
  mark('preflightMs', t0);

  const result: PromoteResult = {
    planId: plan.id,
    workload: plan.workload,
    status: 'complete',
    created: [],
    repointed: [],
    drained: { queue: b.jobQueue.from.name, durationMs: 0 },
    deleted: [],
    timings: phase,
  };
  const waitOptions = {
    intervalMs: Math.min(timings.pollIntervalMs, 2000),
    maxIntervalMs: 15_000,
    timeoutMs: timings.resourceTimeoutMs,
  };

  // Build B, bottom-up.
  const tBuild = Date.now();
  for (const lt of b.launchTemplates) {
    const id = `create-launch-template:${lt.name}`;
    reporter.step(id, 'running');
    const [existing] = await aws.ec2.findLaunchTemplatesByName([lt.name]);
    if (existing) {
      result.created.push({
        kind: 'launch-template',
        name: lt.name,
        arn: existing.LaunchTemplateId ?? '',
        reused: true,
      });
      reporter.step(id, 'skipped', 'already created by this plan');
      continue;
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
    reporter.step(id, 'done');
  }

  for (const ce of b.computeEnvironments) {
    const id = `create-compute-environment:${ce.name}`;
    reporter.step(id, 'running');
    const [existing] = await aws.batch.describeComputeEnvironments([ce.name]);
    if (!existing) await aws.batch.createComputeEnvironment(ce.input);
    const valid = await pollUntil(
      async () => {
        const [now] = await aws.batch.describeComputeEnvironments([ce.name]);
        if (now?.status === 'INVALID') {
          throw new BatchctlError(
            'ComputeEnvironmentInvalid',
            `Compute environment ${ce.name} is INVALID: ${now.statusReason ?? 'no reason given'}.`,
            {
              suggestions: ['Fix the cause, delete the compute environment, and run promote again.'],
            },
          );
        }
        return now?.status === 'VALID' ? now : undefined;
      },
      { ...waitOptions, what: `compute environment ${ce.name} to become VALID` },
    );
    if (ce.updatePolicy && !existing) {
      await aws.batch.updateComputeEnvironment({ computeEnvironment: ce.name, updatePolicy: ce.updatePolicy });
    }
    if (ce.disableAfterCreate && valid.state !== 'DISABLED') {
      await aws.batch.updateComputeEnvironment({ computeEnvironment: ce.name, state: 'DISABLED' });
    }
    if (ce.updatePolicy || ce.disableAfterCreate) {
      await pollUntil(
        async () =>
          (await aws.batch.describeComputeEnvironments([ce.name]))[0]?.status === 'VALID' ? true : undefined,
        {
          ...waitOptions,
          what: `compute environment ${ce.name} to be VALID after its update`,
        },
      );
    }
    result.created.push({
      kind: 'compute-environment',
      name: ce.name,
      arn: valid.computeEnvironmentArn ?? ce.arn,
      reused: !!existing,
    });
    reporter.step(id, existing ? 'skipped' : 'done', existing ? 'already created by this plan' : undefined);
  }

  const jdRevisions = new Map<string, number>();
  for (const jd of b.jobDefinitions.filter((j) => j.changed && j.input)) {
    const id = `register-job-definition:${jd.name}`;
    reporter.step(id, 'running');
    const ours = (await aws.batch.describeJobDefinitions({ name: jd.name, status: 'ACTIVE' }))
      .filter((e) => e.tags?.[TAG_PLAN] === plan.id)
      .sort((x, y) => (y.revision ?? 0) - (x.revision ?? 0))[0];
    if (ours) {
      jdRevisions.set(jd.name, ours.revision ?? 1);
      result.created.push({ kind: 'job-definition', name: jd.name, arn: ours.jobDefinitionArn ?? '', reused: true });
      reporter.step(id, 'skipped', 'already registered by this plan');
      continue;
    }
    const registered = await aws.batch.registerJobDefinition(jd.input!);
    jdRevisions.set(jd.name, registered.revision);
    result.created.push({ kind: 'job-definition', name: jd.name, arn: registered.arn, reused: false });
    reporter.step(id, 'done', `revision ${registered.revision}`);
  }

  {
    const id = `create-job-queue:${b.jobQueue.name}`;
    reporter.step(id, 'running');
    const [existing] = await aws.batch.describeJobQueues([b.jobQueue.name]);
    if (!existing) await aws.batch.createJobQueue(b.jobQueue.input);
    await pollUntil(
      async () => {
        const [q] = await aws.batch.describeJobQueues([b.jobQueue.name]);
        return q?.status === 'VALID' && q.state === 'ENABLED' ? q : undefined;
      },
      { ...waitOptions, what: `job queue ${b.jobQueue.name} to become VALID` },
    );
    result.created.push({ kind: 'job-queue', name: b.jobQueue.name, arn: b.jobQueue.arn, reused: !!existing });
    reporter.step(id, existing ? 'skipped' : 'done');
  }
  mark('buildMs', tBuild);

  // Cut over: every reference moves to B. Independent state machines in parallel, paced to UpdateStateMachine's bucket.
  const tCutover = Date.now();
  const rewrite = rewritePlanOf(b, jdRevisions);
  const updateLimiter = new RateLimiter(SFN_LIMITS.updateStateMachine.burst, SFN_LIMITS.updateStateMachine.perSecond);
  const toRepoint = plan.references.filter((r) => r.changes.length);
  result.repointed = await mapLimit(toRepoint, 4, (ref) => repoint(aws, ref, rewrite, updateLimiter, reporter));
  mark('cutoverMs', tCutover);

  // Drain A: executions that started before the cutover keep their definition and may still submit to A.
  const tDrain = Date.now();
  reporter.step(`drain:${b.jobQueue.from.name}`, 'running', 'grace period for Step Functions consistency');
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
  result.drained = { queue: b.jobQueue.from.name, durationMs: drained.durationMs };
  reporter.step(`drain:${b.jobQueue.from.name}`, 'done');
  mark('drainMs', tDrain);

  if (!options.retire) {
    result.status = 'drained';
    mark('totalMs', t0);
    return result;
  }
  const tRetire = Date.now();
  result.deleted = await retire(aws, plan, b, { ...waitOptions }, reporter);
  mark('retireMs', tRetire);
  mark('totalMs', t0);
  return result;
}

async function repoint(
  aws: Aws,
  ref: PlanFile['references'][number],
  rewrite: RewritePlan,
  limiter: RateLimiter,
  reporter: PromoteReporter,
): Promise<PromoteResult['repointed'][number]> {
  const id = `repoint-state-machine:${ref.name}`;
  reporter.step(id, 'running');
  const current = await aws.sfn.describeStateMachine(ref.arn);
  const { definition, changes } = rewriteDefinition(current.definition ?? '', rewrite);
  const movesAliases = ref.aliases.filter((a) => a.routes.some((r) => r.referencesLive));
  let publishedVersion: string | undefined;
  if (changes.length) {
    const validation = await aws.sfn.validateStateMachineDefinition(definition);
    if (validation.result && validation.result !== 'OK') {
      const first = validation.diagnostics?.[0];
      throw new BatchctlError(
        'DefinitionInvalid',
        `The repointed definition of ${ref.name} does not validate: ${first?.message ?? validation.result}.`,
      );
    }
    const updated = await limiter.run(() =>
      aws.sfn.updateStateMachine({
        stateMachineArn: ref.arn,
        definition,
        ...(movesAliases.length
          ? { publish: true, versionDescription: `batchctl: repointed to ${rewrite.queue.to.name}` }
          : {}),
      }),
    );
    publishedVersion = updated.stateMachineVersionArn;
  }
  const movedAliases: string[] = [];
  for (const alias of movesAliases) {
    // A resumed run may find the definition already repointed but the alias not yet moved: publish now.
    publishedVersion ??= await aws.sfn.publishStateMachineVersion({
      stateMachineArn: ref.arn,
      description: `batchctl: repointed to ${rewrite.queue.to.name}`,
    });
    const detail = await aws.sfn.describeStateMachineAlias(alias.arn);
    if (
      detail.routingConfiguration?.length === 1 &&
      detail.routingConfiguration[0]?.stateMachineVersionArn === publishedVersion
    )
      continue;
    await limiter.run(() =>
      aws.sfn.updateStateMachineAlias({
        stateMachineAliasArn: alias.arn,
        routingConfiguration: [{ stateMachineVersionArn: publishedVersion, weight: 100 }],
      }),
    );
    movedAliases.push(alias.name);
  }
  reporter.step(
    id,
    changes.length || movedAliases.length ? 'done' : 'skipped',
    changes.length ? `${changes.length} reference(s)` : 'already repointed',
  );
  return {
    stateMachine: ref.name,
    changes: changes.length,
    ...(publishedVersion ? { publishedVersion } : {}),
    aliases: movedAliases,
  };
}

/** Deletes A top-down: queue, then compute environments no other queue uses, then templates, then changed job definitions. */
async function retire(
  aws: Aws,
  plan: PlanFile,
  b: DesiredRevision,
  wait: { intervalMs: number; maxIntervalMs: number; timeoutMs: number },
  reporter: PromoteReporter,
): Promise<PromoteResult['deleted']> {
  const deleted: PromoteResult['deleted'] = [];
  const queue = b.jobQueue.from;
  const queueStep = `delete-job-queue:${queue.name}`;
  reporter.step(queueStep, 'running');
  const [q] = await aws.batch.describeJobQueues([queue.arn]);
  if (q && q.status !== 'DELETED') {
    // Drained: the queue is DISABLED and empty, so deleting it kills nothing.
    if (q.status !== 'DELETING') await aws.batch.deleteJobQueue(queue.arn);
    await pollUntil(
      async () => {
        const [now] = await aws.batch.describeJobQueues([queue.arn]);
        return !now || now.status === 'DELETED' ? true : undefined;
      },
      { ...wait, what: `job queue ${queue.name} to be deleted` },
    );
    deleted.push({ kind: 'job-queue', name: queue.name });
  }
  reporter.step(queueStep, 'done');

  for (const ce of b.computeEnvironments.filter((c) => c.retireFrom)) {
    const step = `delete-compute-environment:${ce.from.name}`;
    reporter.step(step, 'running');
    const [now] = await aws.batch.describeComputeEnvironments([ce.from.arn]);
    if (now && now.status !== 'DELETED') {
      if (now.state !== 'DISABLED') {
        await aws.batch.updateComputeEnvironment({ computeEnvironment: ce.from.arn, state: 'DISABLED' });
        await pollUntil(
          async () =>
            (await aws.batch.describeComputeEnvironments([ce.from.arn]))[0]?.status === 'VALID' ? true : undefined,
          {
            ...wait,
            what: `compute environment ${ce.from.name} to be DISABLED and VALID`,
          },
        );
      }
      // Batch is eventually consistent after a queue is deleted: "found existing JobQueue relationship" clears itself.
      await pollUntil(
        async () => {
          try {
            if (now.status !== 'DELETING') await aws.batch.deleteComputeEnvironment(ce.from.arn);
            return true;
          } catch (error) {
            if (isNotFoundOrExists(error, /relationship/i)) return undefined;
            throw error;
          }
        },
        { ...wait, what: `compute environment ${ce.from.name} to be released by its queue` },
      );
      await pollUntil(
        async () => {
          const [c] = await aws.batch.describeComputeEnvironments([ce.from.arn]);
          return !c || c.status === 'DELETED' ? true : undefined;
        },
        { ...wait, what: `compute environment ${ce.from.name} to be deleted` },
      );
      deleted.push({ kind: 'compute-environment', name: ce.from.name });
    }
    reporter.step(step, 'done');
  }

  for (const step of plan.steps.filter((s) => s.action === 'delete-launch-template')) {
    reporter.step(step.id, 'running');
    const lt = plan.live.launchTemplates.find((t) => t.name === step.target);
    const [exists] = lt ? await aws.ec2.findLaunchTemplatesByName([lt.name]) : [];
    if (lt && exists) {
      await aws.ec2.deleteLaunchTemplate(lt.id);
      deleted.push({ kind: 'launch-template', name: lt.name });
    }
    reporter.step(step.id, 'done');
  }

  for (const jd of b.jobDefinitions.filter((j) => j.changed)) {
    const step = `deregister-job-definition:${jd.from.name}:${jd.from.revision}`;
    reporter.step(step, 'running');
    // Only when nothing in scope still names it: a repointed definition no longer does.
    const only: WorkloadTarget = {
      queue: { name: '', arn: '' },
      jobDefinitions: [{ name: jd.from.name, arn: jd.from.arn.replace(/:\d+$/, ''), revisions: [jd.from.revision] }],
    };
    const stillUsed = await mapLimit(plan.references, 4, async (ref) => {
      const d = await aws.sfn.describeStateMachine(ref.arn);
      return matchReferences(collectBatchTasks(d.definition ?? '{"States":{}}'), only).some((r) => r.kind === 'static');
    });
    const [current] = await aws.batch.describeJobDefinitions({ arns: [jd.from.arn] });
    if (!stillUsed.some(Boolean) && current?.status === 'ACTIVE') {
      await aws.batch.deregisterJobDefinition(jd.from.arn);
      deleted.push({ kind: 'job-definition', name: `${jd.from.name}:${jd.from.revision}` });
    }
    reporter.step(
      step,
      stillUsed.some(Boolean) ? 'skipped' : 'done',
      stillUsed.some(Boolean) ? 'still referenced' : undefined,
    );
  }
  return deleted;
}
