/**
 * `plan`: read-only. Discovers A, derives B, finds every reference, checks quota and names, and writes a plan file
 * that promote executes — or, when B would equal A, says there is nothing to do and writes nothing. Typed options
 * in, typed result out; no oclif.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';

import type { Aws } from '../aws/clients';
import { callerFindings } from '../core/callers-plan';
import { isServiceManaged } from '../core/clone';
import { handBackValues } from '../core/handback';
import { derivePlanId, type ResourceDiff, resourceDiffs } from '../core/plan-diff';
import { canonicalJson, digestOf } from '../core/digest';
import { deriveRevision } from '../core/derive';
import { observeStateMachine, observeWorkload } from '../core/fingerprint';
import { nameCandidates, nameProblem, nextName, type RevisionLabel, type Suffixes } from '../core/naming';
import { desiredStateIsLive } from '../core/no-changes';
import { PLAN_FORMAT, sealPlan, serializePlan, type Finding, type PlanFile } from '../core/plan';
import { checkQuota } from '../core/quota';
import { redact } from '../core/redact';
import { liveTarget, rewritePlanOf } from '../core/repoint';
import { acknowledged, quotaOf, readSpecDocument, suffixesOf, validateSpec, type Spec } from '../core/spec';
import { buildSteps } from '../core/steps';
import { usesTemplate } from '../core/template-users';
import { isStanding, TAG_PLAN, templatePlan, type DesiredRevision, type LiveWorkload } from '../core/workload';
import { substituteVariables, variableEnvName } from '../core/variables';
import { BatchctlError, invalidInput, usageError } from '../errors';
import { ExitCode } from '../exit-codes';
import { mapLimit } from '../lib/parallel';
import { fetchCallers, matchCallers } from './callers';
import { defaultPlanPath } from '../lib/plan-path';
import { discover, type Discovery } from './discovery';
import { heldNames, queuesUsing } from './held-names';
import { analyzeReferences } from './references';
import {
  callerCandidates,
  collectHandBack,
  handBackFindings,
  stateMachineCandidates,
  workloadCandidates,
} from './handback';
import { checkRoles } from './role-check';

export interface PlanOptions {
  aws: Aws;
  specPath: string;
  /** Where to write the plan; defaults to <spec dir>/<spec file name>.plan.json (lib/plan-path.ts). */
  outPath?: string;
  /** `--var NAME=VALUE` values; a variable none gives is looked up as BATCHCTL_VAR_NAME in `env`. */
  variables?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  /** Plan the swap even when the desired state is already live (fresh instances behind unchanged settings). */
  replace?: boolean;
  toolVersion: string;
  now?: () => Date;
}

export interface PlanResult {
  changes: true;
  status: 'ready' | 'blocked';
  planPath: string;
  plan: PlanFile;
  diff: ResourceDiff[];
  /** Said to the user besides the plan: e.g. why the live queue is not the one `live.jobQueue` names. */
  notes: string[];
}

/** The desired state is already live: no plan file is written (exit 11, ExitCode.NoChanges). */
export interface NoChangesResult {
  changes: false;
  status: 'no-changes';
  workload: string;
  live: { revision: RevisionLabel; queue: string };
  message: string;
  notes: string[];
}

/** A spec read from its file, variables substituted and validated; `text` is the file as read. */
export interface LoadedSpec {
  spec: Spec;
  text: string;
  /** The variables the spec references. */
  referenced: string[];
}

async function readSpecFile(specPath: string): Promise<string> {
  try {
    return await readFile(specPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalidInput('SpecNotFound', `Cannot read spec "${specPath}" (${code ?? 'error'}).`, [
      'Pass the path of a spec YAML file, e.g. plans/reproject.yaml.',
    ]);
  }
}

/**
 * Reads a spec. With `variables`, every `${var.NAME}` gets its value (the `--var`, else BATCHCTL_VAR_NAME) and one
 * without a value, or a `--var` the spec never references, is a usage error. Without, references stay as written
 * (a reader such as `status` needs no values).
 */
export async function loadSpec(
  specPath: string,
  variables?: { values: Record<string, string>; env: NodeJS.ProcessEnv },
): Promise<LoadedSpec> {
  const text = await readSpecFile(specPath);
  const document = readSpecDocument(text, specPath);
  const lookup = (name: string): string | undefined =>
    variables ? (variables.values[name] ?? variables.env[variableEnvName(name)]) : undefined;
  const { value, referenced, missing } = substituteVariables(document, lookup);
  if (variables) {
    const first = missing[0];
    if (first) {
      throw usageError(
        'VariableMissing',
        `${specPath}: variable "${first.name}" (in ${first.field}) has no value: pass --var ${first.name}=VALUE or set ${variableEnvName(first.name)}.`,
      );
    }
    const unused = Object.keys(variables.values).find((name) => !referenced.includes(name));
    if (unused !== undefined) {
      throw usageError(
        'VariableUnused',
        `--var ${unused} is not referenced by ${specPath} (it references ${referenced.length ? referenced.map((r) => `\${var.${r}}`).join(', ') : 'no variables'}); check the name.`,
      );
    }
  }
  return { spec: validateSpec(value, specPath), text, referenced };
}

/**
 * B names already in use: fine when this same plan created them (a resumed swap), a blocker otherwise. The message
 * names what still uses the holder and never suggests deleting a resource something uses.
 */
async function checkNames(aws: Aws, discovery: Discovery, b: DesiredRevision, planId: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const taken = (kind: string, name: string, owner: string | undefined, users: string[]): void => {
    if (owner === planId) return;
    let message: string;
    if (owner) {
      message = `${kind} ${name} already exists and belongs to plan ${owner}: another swap of this workload is in progress.`;
    } else if (users.length) {
      message = `${kind} ${name} already exists and is used by ${users.join(', ')}, so B cannot take its name; choose other naming.suffixes (or move ${users.join(', ')} off it first).`;
    } else {
      message = `${kind} ${name} already exists, was not created by batchctl and nothing uses it; rename it, delete it, or choose other naming.suffixes.`;
    }
    findings.push({ code: 'NameTaken', resource: name, message });
  };
  const check = (kind: Parameters<typeof nameProblem>[0], name: string): void => {
    const problem = nameProblem(kind, name);
    if (problem)
      findings.push({ code: 'NameInvalid', resource: name, message: `B's ${kind} name "${name}" ${problem}.` });
  };
  check('job-queue', b.jobQueue.name);
  // Namesakes being deleted (a previous swap's) free their names on their own; promote waits for them.
  const queue = discovery.allQueues.filter(isStanding).find((q) => q.jobQueueName === b.jobQueue.name);
  if (queue) taken('job queue', b.jobQueue.name, queue.tags?.[TAG_PLAN], []);
  for (const ce of b.computeEnvironments) {
    check('compute-environment', ce.name);
    const existing = discovery.allComputeEnvironments
      .filter(isStanding)
      .find((c) => c.computeEnvironmentName === ce.name);
    if (existing) {
      const users = queuesUsing(discovery.allQueues.filter(isStanding), {
        name: ce.name,
        arn: existing.computeEnvironmentArn ?? '',
      }).map((q) => `job queue ${q.jobQueueName ?? ''}`);
      taken('compute environment', ce.name, existing.tags?.[TAG_PLAN], users);
    }
  }
  for (const lt of b.launchTemplates) check('launch-template', lt.name);
  const templates = await aws.ec2.findLaunchTemplatesByName(b.launchTemplates.map((lt) => lt.name));
  for (const t of templates) {
    const ref = { id: t.LaunchTemplateId ?? '', name: t.LaunchTemplateName ?? '' };
    const users = discovery.allComputeEnvironments
      .filter(isStanding)
      .filter((c) => usesTemplate(c, ref))
      .map((c) => `compute environment ${c.computeEnvironmentName ?? ''}`);
    taken('launch template', ref.name, templatePlan(t), users);
  }
  for (const jd of b.jobDefinitions.filter((j) => j.changed)) check('job-definition', jd.name);
  return findings;
}

/** The revision each changed job definition of B will get: the next one under its name. */
async function expectedJobDefinitionRevisions(
  aws: Aws,
  discovery: Discovery,
  b: DesiredRevision,
  planId: string,
): Promise<{ revisions: Map<string, number>; findings: Finding[] }> {
  // A swap is in progress while a queue it built stands beside the live one. Another plan's revision without such a
  // queue is one a finished swap kept (a published version or a redrivable execution still names it): not a conflict.
  const live = discovery.live.queue.jobQueueArn;
  const inProgress = new Set(
    discovery.allQueues
      .filter((q) => q.jobQueueArn !== live && isStanding(q))
      .flatMap((q) => (q.tags?.[TAG_PLAN] ? [q.tags[TAG_PLAN]] : [])),
  );
  const findings: Finding[] = [];
  const entries = await mapLimit(
    b.jobDefinitions.filter((jd) => jd.changed),
    4,
    async (jd) => {
      const existing = await aws.batch.describeJobDefinitions({ name: jd.name });
      const ours = existing
        .filter((e) => e.status === 'ACTIVE' && e.tags?.[TAG_PLAN] === planId)
        .sort((x, y) => (y.revision ?? 0) - (x.revision ?? 0))[0];
      if (ours) return [jd.name, ours.revision ?? 1] as const;
      const foreign = existing.find(
        (e) => e.status === 'ACTIVE' && e.tags?.[TAG_PLAN] !== planId && inProgress.has(e.tags?.[TAG_PLAN] ?? ''),
      );
      if (foreign) {
        findings.push({
          code: 'NameTaken',
          resource: jd.name,
          message: `job definition ${jd.name} has an ACTIVE revision from plan ${foreign.tags?.[TAG_PLAN]}: another swap of this workload is in progress.`,
        });
      }
      return [jd.name, Math.max(0, ...existing.map((e) => e.revision ?? 0)) + 1] as const;
    },
  );
  return { revisions: new Map(entries), findings };
}

/** B resources named around a name held by a resource kept for something outside the workload (naming.ts). */
function alternativeNameWarnings(b: DesiredRevision, suffixes: Suffixes): Finding[] {
  const renamed = [
    ...b.computeEnvironments.map((ce) => ({ kind: 'compute environment', from: ce.from.name, name: ce.name })),
    ...b.launchTemplates.map((lt) => ({ kind: 'launch template', from: lt.from.name, name: lt.name })),
  ].filter((r) => nameCandidates(r.from, suffixes)[0] !== r.name);
  return renamed.map((r) => ({
    code: 'AlternativeName',
    resource: r.name,
    message: `${r.kind} ${nameCandidates(r.from, suffixes)[0] ?? ''} is kept for something outside the workload, so B's copy of ${r.from} is named ${r.name}.`,
  }));
}

function workloadFindings(live: LiveWorkload, spec: Spec): { warnings: Finding[]; blockers: Finding[] } {
  const warnings: Finding[] = [];
  const blockers: Finding[] = [];
  if (live.queue.state !== 'ENABLED') {
    warnings.push({
      code: 'LiveQueueDisabled',
      resource: live.queue.jobQueueName,
      message: `live job queue ${live.queue.jobQueueName} is ${live.queue.state}; B is created ENABLED.`,
    });
  }
  for (const ce of live.computeEnvironments) {
    const name = ce.detail.computeEnvironmentName ?? '';
    if (ce.detail.status !== 'VALID') {
      warnings.push({
        code: 'ComputeEnvironmentNotValid',
        resource: name,
        message: `compute environment ${name} is ${ce.detail.status} (${ce.detail.statusReason ?? 'no reason given'}).`,
      });
    }
    if (ce.detail.type === 'UNMANAGED') {
      // B's copy is a new, empty ECS cluster: no instance joins it until someone registers instances to it, so jobs
      // moved to B would wait RUNNABLE forever (aws-facts §4.1: unmanagedvCpus is all an UNMANAGED CE carries).
      const finding = {
        code: 'UnmanagedComputeEnvironment',
        resource: name,
        message: `compute environment ${name} is UNMANAGED: B's copy gets its own empty ECS cluster, so every job submitted after the cutover waits RUNNABLE until you register instances to that cluster. To accept that, set acknowledge: [unmanagedComputeEnvironments] in the spec and promote with --no-retire (A and the instances registered to it stay until you have moved them; then run retire).`,
      };
      if (acknowledged(spec, 'unmanagedComputeEnvironments')) warnings.push(finding);
      else blockers.push(finding);
    }
    if (ce.sharedWith.length) {
      warnings.push({
        code: 'ComputeEnvironmentShared',
        resource: name,
        message: `compute environment ${name} is also used by ${ce.sharedWith.join(', ')}; B gets its own copy and ${name} is kept at retirement.`,
      });
    }
  }
  for (const lt of live.launchTemplates) {
    if (isServiceManaged(lt.data)) {
      blockers.push({
        code: 'LaunchTemplateManaged',
        resource: lt.name,
        message: `launch template ${lt.name} is managed by a service (Operator.Managed) and cannot be cloned.`,
      });
    }
  }
  const suffixes = suffixesOf(spec);
  for (const name of Object.keys(spec.changes?.jobDefinitions ?? {})) {
    const matches = (jd: (typeof live.jobDefinitions)[number]): boolean => {
      const jdName = jd.detail.jobDefinitionName ?? '';
      return jdName === name || nextName(jdName, suffixes).base === name;
    };
    if (!live.jobDefinitions.some(matches)) {
      const known = [
        ...new Set(live.jobDefinitions.map((jd) => nextName(jd.detail.jobDefinitionName ?? '', suffixes).base)),
      ];
      blockers.push({
        code: 'JobDefinitionNotInWorkload',
        resource: name,
        message: `changes.jobDefinitions names "${name}", which is not a job definition of this workload (by base name: ${known.join(', ') || 'none'}); list it under jobDefinitions or fix the name.`,
      });
    }
  }
  // A stack that manages the live resources is reported by the hand-back (services/handback.ts, code StackOwned).
  return { warnings, blockers };
}

/** Plans a swap; a desired state that is already live is the error NoChanges (exit 11). */
export async function plan(options: PlanOptions): Promise<PlanResult> {
  const result = await planSwap(options);
  if (!result.changes) throw new BatchctlError('NoChanges', result.message, { exitCode: ExitCode.NoChanges });
  return result;
}

/** Plans a swap, or says there is nothing to do (`changes: false`) when B would equal the live revision. */
export async function planSwap(options: PlanOptions): Promise<PlanResult | NoChangesResult> {
  const { aws, specPath } = options;
  const { spec, text } = await loadSpec(specPath, { values: options.variables ?? {}, env: options.env ?? {} });
  // Callers besides Step Functions are read from the start, beside the state machine scan: other services, other
  // rate buckets. Awaited once B is known; a failure before then is the plan's own error, not an unhandled one.
  const callerData = fetchCallers(aws, spec);
  callerData.catch(() => undefined);
  const discovery = await discover(aws, spec, specPath);
  const { live } = discovery;
  const notes = discovery.note ? [discovery.note] : [];
  // The spec as this plan means it (variables substituted): its digest names the plan, and the plan embeds it.
  const specDigest = digestOf(spec);
  // One random key per plan run, for every redaction of this run (the plan file's target and the diff), so equal
  // secrets compare equal within the plan. It is never written anywhere: nobody can test a guessed secret against
  // the plan's digests, nor match digests across plans.
  const redactionKey = randomBytes(32);
  const planId = derivePlanId(specDigest, live);
  const b = deriveRevision(live, spec, planId, await heldNames(aws, discovery, suffixesOf(spec), planId));
  const diff = resourceDiffs(live, b, redactionKey);
  // A queue already standing under B's name (a swap under way, or a name taken) is for the plan's blockers to
  // report, not "no changes".
  const otherRevision = discovery.allQueues
    .filter(isStanding)
    .some((q) => q.jobQueueArn !== live.queue.jobQueueArn && q.jobQueueName === b.jobQueue.name);
  if (!options.replace && !otherRevision && desiredStateIsLive(diff, b)) {
    const revision = nextName(live.queue.jobQueueName ?? '', suffixesOf(spec)).live;
    return {
      changes: false,
      status: 'no-changes',
      workload: spec.workload,
      live: { revision, queue: live.queue.jobQueueName ?? '' },
      message: `No changes: ${spec.workload} already runs revision ${revision.toUpperCase()} (job queue ${live.queue.jobQueueName ?? ''}) as specified.`,
      notes,
    };
  }
  const target = liveTarget(
    b,
    new Map(live.jobDefinitions.map((jd) => [jd.detail.jobDefinitionName ?? '', jd.activeRevisions])),
  );
  const [names, jdRevisions] = await Promise.all([
    checkNames(aws, discovery, b, planId),
    expectedJobDefinitionRevisions(aws, discovery, b, planId),
  ]);
  const rewrite = rewritePlanOf(b, jdRevisions.revisions);
  const [refs, callers] = await Promise.all([
    analyzeReferences(aws, spec, discovery.stateMachines, target, rewrite),
    callerData.then((data) => matchCallers(data, spec, rewrite)),
  ]);
  const roles = await checkRoles(aws, {
    references: refs.references,
    roles: new Map(discovery.stateMachines.flatMap((sm) => (sm.roleArn ? [[sm.name, sm.roleArn] as const] : []))),
    rewrite,
  });
  const fromCallers = callerFindings(callers);
  const referencingMachines = discovery.stateMachines.filter((sm) =>
    refs.references.some((r) => r.name === sm.name && r.changes.length),
  );
  const handBack = await collectHandBack(
    aws,
    [
      ...workloadCandidates(live, b),
      ...(await stateMachineCandidates(aws, referencingMachines)),
      ...callerCandidates(callers),
    ],
    handBackValues(b, jdRevisions.revisions),
    { partition: live.partition, region: live.region, account: live.account },
    live.stack ? [live.stack.name] : [],
  );
  const stackOwned = handBackFindings(handBack, spec);
  const fromWorkload = workloadFindings(live, spec);
  const alternatives = alternativeNameWarnings(b, suffixesOf(spec));

  const existingB = (kind: 'ce' | 'queue', name: string): boolean =>
    kind === 'ce'
      ? discovery.allComputeEnvironments.some((c) => c.computeEnvironmentName === name)
      : discovery.allQueues.some((q) => q.jobQueueName === name);
  const quota = checkQuota({
    limits: quotaOf(spec),
    existingComputeEnvironments: discovery.allComputeEnvironments.length,
    existingJobQueues: discovery.allQueues.length,
    newComputeEnvironments: b.computeEnvironments.filter((ce) => !existingB('ce', ce.name)).length,
    newJobQueues: existingB('queue', b.jobQueue.name) ? 0 : 1,
    computeEnvironmentsInQueue: b.jobQueue.input.computeEnvironmentOrder?.length ?? 0,
  });
  const quotaBlockers: Finding[] = quota
    .filter((line) => !line.ok)
    .map((line) => ({
      code: 'QuotaExceeded',
      message: `${line.resource}: ${line.during} would exist while A and B stand side by side, over the limit of ${line.limit} (now ${line.current}).`,
    }));
  const inactive: Finding[] = discovery.inactiveReferences.map((r) => ({
    code: 'JobDefinitionInactive',
    resource: r.stateMachine,
    message: `state machine ${r.stateMachine} names job definition ${r.value}, which is not ACTIVE: its executions already fail there.`,
  }));

  const referencing = refs.references.filter((r) => r.changes.length).map((r) => r.name);
  const observed = [
    ...observeWorkload(live),
    ...discovery.stateMachines.filter((sm) => referencing.includes(sm.name)).map((sm) => observeStateMachine(sm)),
  ];
  const planPath = options.outPath ?? defaultPlanPath(specPath);
  // Embedded so the plan alone can be promoted; secrets the spec itself carries are redacted like B's, and then
  // promote needs the spec file again (swap-steps.ts loadPlannedSpec).
  const embedded = redact(spec, redactionKey);
  const sealed = sealPlan({
    format: PLAN_FORMAT,
    id: planId,
    toolVersion: options.toolVersion,
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    account: live.account,
    region: live.region,
    partition: live.partition,
    workload: spec.workload,
    spec: {
      path: relative(dirname(planPath), specPath) || specPath,
      digest: specDigest,
      fileDigest: digestOf(text),
      content: embedded as unknown as Record<string, unknown>,
      redacted: canonicalJson(embedded) !== canonicalJson(spec),
    },
    ...(live.stack ? { stack: live.stack } : {}),
    live: {
      label: b.label === 'a' ? 'b' : 'a',
      queue: b.jobQueue.from,
      computeEnvironments: b.computeEnvironments.map((ce) => ce.from),
      launchTemplates: live.launchTemplates.map((lt) => ({ id: lt.id, name: lt.name, version: lt.version })),
      jobDefinitions: b.jobDefinitions.map((jd) => jd.from),
    },
    target: redact(b, redactionKey),
    references: refs.references,
    ...(callers.length ? { callers } : {}),
    ...(handBack.stacks.length ? { handBack } : {}),
    observed,
    quota,
    warnings: [
      ...discovery.warnings,
      ...fromWorkload.warnings,
      ...alternatives,
      ...refs.warnings,
      ...roles.warnings,
      ...fromCallers.warnings,
      ...stackOwned.warnings,
    ],
    blockers: [
      ...quotaBlockers,
      ...names,
      ...jdRevisions.findings,
      ...fromWorkload.blockers,
      ...inactive,
      ...refs.blockers,
      ...roles.blockers,
      ...fromCallers.blockers,
      ...stackOwned.blockers,
    ],
    steps: buildSteps(
      live,
      b,
      referencing,
      callers.filter((c) => c.repoint).map((c) => c.id),
    ),
    diff,
  });
  await mkdir(dirname(planPath), { recursive: true });
  await writeFile(planPath, serializePlan(sealed));
  return {
    changes: true,
    status: sealed.blockers.length ? 'blocked' : 'ready',
    planPath,
    plan: sealed,
    diff,
    notes,
  };
}
