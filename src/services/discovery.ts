/**
 * Discovery: from a spec to live revision A and the state machines that may reference it, read-only.
 * queue → its compute environments in order → their launch templates (versions resolved) → the job definitions
 * the referencing state machines name. Describes are batched (one call lists every queue, one every compute
 * environment) and state machine reads run with bounded concurrency inside Step Functions' published buckets.
 */
import type { Aws } from '../aws/clients';
import type { ComputeEnvironmentDetail, JobDefinition, JobQueueDetail, LaunchTemplate } from '../aws/types';
import { computeEnvironmentName, jobQueueName, parseJobDefinitionRef } from '../core/arn';
import type { Finding } from '../core/plan';
import { chooseLiveQueue } from '../core/live-queue';
import { nextName, otherRevision } from '../core/naming';
import {
  collectBatchTasks,
  DefinitionParseError,
  jobDefinitionsUsedWithQueue,
  matchReferences,
  type BatchTask,
} from '../core/references';
import { stateMachineSelected, suffixesOf, type Spec } from '../core/spec';
import type {
  LiveComputeEnvironment,
  LiveJobDefinition,
  LiveLaunchTemplate,
  LiveWorkload,
  StackInfo,
} from '../core/workload';
import { invalidInput } from '../errors';
import { mapLimit } from '../lib/parallel';

export interface ScannedStateMachine {
  name: string;
  arn: string;
  /** `STANDARD` or `EXPRESS` (ListStateMachines): Express ones have no execution history (aws-facts §8a). */
  type?: string;
  definition: string;
  /** Changes on every update; DescribeStateMachine has no update date, so this is the update marker. */
  revisionId?: string;
  /** The role its executions run as: it must be allowed to submit to B (services/role-check.ts). */
  roleArn?: string;
  tasks: BatchTask[];
}

export interface Discovery {
  live: LiveWorkload;
  allQueues: JobQueueDetail[];
  allComputeEnvironments: ComputeEnvironmentDetail[];
  stateMachines: ScannedStateMachine[];
  /** Job definition revisions that references name but that are not ACTIVE (the revision guard). */
  inactiveReferences: { stateMachine: string; value: string }[];
  warnings: Finding[];
  /** Why the live queue is not the one the spec's `live.jobQueue` names (it no longer exists). */
  note?: string;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** A stack's queue, when the spec names one: `live.stack` pins the live revision to what the stack manages. */
async function resolveStackQueue(
  aws: Aws,
  spec: Spec,
  specFile: string,
): Promise<{ id: string; stack: StackInfo } | undefined> {
  const stack = spec.live?.stack;
  if (!stack) return undefined;
  const resources = await aws.cfn.listStackResources(stack.name).catch((error: unknown) => {
    if ((error as { name?: string }).name === 'ValidationError') {
      throw invalidInput(
        'StackNotFound',
        `${specFile}: stack "${stack.name}" (live.stack.name) does not exist in this account and region.`,
        ['Check the stack name, --region and --profile.'],
      );
    }
    throw error;
  });
  const queue = resources.find((r) => r.LogicalResourceId === stack.queueLogicalId);
  if (!queue?.PhysicalResourceId) {
    throw invalidInput(
      'StackQueueNotFound',
      `${specFile}: stack "${stack.name}" has no resource "${stack.queueLogicalId}" (live.stack.queueLogicalId).`,
      [`Logical ids in the stack: ${resources.map((r) => r.LogicalResourceId).join(', ')}.`],
    );
  }
  const managed = Object.fromEntries(
    resources
      .filter((r) => r.PhysicalResourceId)
      .map((r) => [r.PhysicalResourceId as string, r.LogicalResourceId ?? '']),
  );
  return { id: queue.PhysicalResourceId, stack: { name: stack.name, managed } };
}

/** The state machines in scope whose definitions name `queue` statically (what tells the live revision apart). */
export function namingStateMachines(stateMachines: ScannedStateMachine[], queue: JobQueueDetail): string[] {
  const target = { queue: { name: queue.jobQueueName ?? '', arn: queue.jobQueueArn ?? '' }, jobDefinitions: [] };
  return stateMachines
    .filter((sm) => matchReferences(sm.tasks, target).some((r) => r.kind === 'static'))
    .map((sm) => sm.name);
}

/**
 * The live queue: the one a stack or the caller pins (promote passes its plan's), else the one the account shows
 * (core/live-queue.ts). `note` says why, when the spec's `live.jobQueue` was not used.
 */
export async function findLiveQueue(
  aws: Aws,
  spec: Spec,
  specFile: string,
  context: {
    allQueues: JobQueueDetail[];
    stateMachines: ScannedStateMachine[];
    account: string;
    region: string;
    pinned?: string;
  },
): Promise<{ queue: JobQueueDetail; stack?: StackInfo; note?: string }> {
  const stackQueue = await resolveStackQueue(aws, spec, specFile);
  const id = context.pinned ?? stackQueue?.id;
  if (id === undefined) {
    return chooseLiveQueue({
      spec,
      specFile,
      suffixes: suffixesOf(spec),
      queues: context.allQueues,
      referencedBy: (q) => namingStateMachines(context.stateMachines, q),
      account: context.account,
      region: context.region,
    });
  }
  const name = jobQueueName(id);
  const queue = context.allQueues.find((q) => q.jobQueueArn === id || q.jobQueueName === name);
  if (!queue) {
    const field = context.pinned ? "the plan's live queue" : 'live.stack';
    throw invalidInput(
      'QueueNotFound',
      `${specFile}: job queue "${id}" (${field}) does not exist in account ${context.account}, region ${context.region}.`,
      ['Check the queue name, --region and --profile.'],
    );
  }
  return { queue, ...(stackQueue ? { stack: stackQueue.stack } : {}) };
}

function resolveVersion(template: LaunchTemplate, requested: string | undefined): number {
  if (requested === '$Latest') return template.LatestVersionNumber ?? 1;
  if (requested === undefined || requested === '$Default') return template.DefaultVersionNumber ?? 1;
  return Number(requested);
}

/**
 * The launch templates of the workload's compute environments, each at the one version they use. With
 * `cloneOverrides` the templates `launchTemplate.overrides[]` name are part of the workload too (B gets its own copies);
 * otherwise B shares them with A and a warning says so.
 */
async function discoverLaunchTemplates(
  aws: Aws,
  ces: ComputeEnvironmentDetail[],
  cloneOverrides: boolean,
): Promise<{ templates: LiveLaunchTemplate[]; idByCe: Map<string, string>; warnings: Finding[] }> {
  const warnings: Finding[] = [];
  const specs = ces.flatMap((ce) => {
    const main = ce.computeResources?.launchTemplate;
    if (!main) return [];
    const overrides = cloneOverrides ? (main.overrides ?? []) : [];
    return [{ ce, lt: main, override: false }, ...overrides.map((lt) => ({ ce, lt, override: true }))];
  });
  const ids = [...new Set(specs.flatMap(({ lt }) => (lt.launchTemplateId ? [lt.launchTemplateId] : [])))];
  const names = [
    ...new Set(
      specs.flatMap(({ lt }) => (!lt.launchTemplateId && lt.launchTemplateName ? [lt.launchTemplateName] : [])),
    ),
  ];
  const [byId, byName] = await Promise.all([
    aws.ec2.describeLaunchTemplatesById(ids),
    aws.ec2.findLaunchTemplatesByName(names),
  ]);
  const all = [...byId, ...byName];
  const idByCe = new Map<string, string>();
  const wanted = new Map<string, { template: LaunchTemplate; version: number; referencedAs: string }>();
  for (const { ce, lt, override } of specs) {
    const template = all.find(
      (t) =>
        t.LaunchTemplateId === lt.launchTemplateId ||
        (!lt.launchTemplateId && t.LaunchTemplateName === lt.launchTemplateName),
    );
    const ceName = ce.computeEnvironmentName ?? '';
    if (!template?.LaunchTemplateId) {
      throw invalidInput(
        'LaunchTemplateNotFound',
        `Compute environment "${ceName}" uses launch template "${lt.launchTemplateId ?? lt.launchTemplateName}", which does not exist.`,
      );
    }
    const referencedAs = lt.version ?? '$Default';
    const version = resolveVersion(template, lt.version);
    if (referencedAs.startsWith('$')) {
      warnings.push({
        code: 'LaunchTemplateVersionFloating',
        resource: ceName,
        message: `compute environment ${ceName} names launch template ${template.LaunchTemplateName} as ${referencedAs} (now version ${version}); Batch snapshots the version at creation, so the version in use may be older. B pins version 1 of its own template.`,
      });
    }
    if (!cloneOverrides && 'overrides' in lt && lt.overrides?.length) {
      warnings.push({
        code: 'LaunchTemplateOverridesShared',
        resource: ceName,
        message: `compute environment ${ceName} has launch template overrides; B keeps them as they are, shared with A (changes.computeEnvironment.launchTemplateOverrides: share).`,
      });
    }
    if (!override) idByCe.set(ceName, template.LaunchTemplateId);
    const key = `${template.LaunchTemplateId}:${version}`;
    const seen = [...wanted.values()].find((w) => w.template.LaunchTemplateId === template.LaunchTemplateId);
    if (seen && seen.version !== version) {
      throw invalidInput(
        'LaunchTemplateVersionsDiffer',
        `Compute environments of the workload use versions ${seen.version} and ${version} of launch template ${template.LaunchTemplateName}; batchctl needs one version per template.`,
      );
    }
    wanted.set(key, { template, version, referencedAs });
  }
  const templates = await mapLimit([...wanted.values()], 4, async ({ template, version, referencedAs }) => {
    const [found] = await aws.ec2.describeLaunchTemplateVersions(template.LaunchTemplateId ?? '', [String(version)]);
    return {
      id: template.LaunchTemplateId ?? '',
      name: template.LaunchTemplateName ?? '',
      version,
      referencedAs,
      data: found?.LaunchTemplateData ?? {},
      tags: Object.fromEntries((template.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    };
  });
  return { templates, idByCe, warnings };
}

/** Every state machine in the spec's scope, described (batched, within DescribeStateMachine's bucket) and parsed. */
export async function scanStateMachines(
  aws: Aws,
  spec: Spec,
): Promise<{ scanned: ScannedStateMachine[]; warnings: Finding[] }> {
  const listed = (await aws.sfn.listStateMachines()).filter((sm) => stateMachineSelected(spec, sm.name ?? ''));
  const warnings: Finding[] = [];
  const scanned = await mapLimit(listed, 8, async (sm) => {
    const described = await aws.sfn.describeStateMachine(sm.stateMachineArn ?? '');
    const definition = described.definition ?? '';
    let tasks: BatchTask[] = [];
    try {
      tasks = collectBatchTasks(definition);
    } catch (error) {
      if (!(error instanceof DefinitionParseError)) throw error;
      warnings.push({
        code: 'DefinitionUnreadable',
        resource: sm.name,
        message: `state machine ${sm.name ?? ''}: definition could not be read (${error.message}); it was not searched.`,
      });
    }
    return {
      name: sm.name ?? '',
      arn: sm.stateMachineArn ?? '',
      ...(sm.type ? { type: sm.type } : {}),
      definition,
      ...(described.revisionId ? { revisionId: described.revisionId } : {}),
      ...(described.roleArn ? { roleArn: described.roleArn } : {}),
      tasks,
    };
  });
  return { scanned, warnings };
}

type JobDefinitionUses = Map<
  string,
  { revisions: Set<number>; unpinned: boolean; users: { stateMachine: string; value: string }[] }
>;

/** Job definitions the tasks that submit to `queue` name statically, with the revisions they pin. */
function jobDefinitionsForQueue(
  stateMachines: ScannedStateMachine[],
  queue: { name: string; arn: string },
): JobDefinitionUses {
  const out: JobDefinitionUses = new Map();
  for (const sm of stateMachines) {
    for (const use of jobDefinitionsUsedWithQueue(sm.tasks, queue)) {
      const entry = out.get(use.name) ?? { revisions: new Set<number>(), unpinned: false, users: [] };
      if (use.revision === 'latest') entry.unpinned = true;
      else entry.revisions.add(use.revision);
      entry.users.push({ stateMachine: sm.name, value: use.value });
      out.set(use.name, entry);
    }
  }
  return out;
}

/**
 * The live revision's name of a job definition the spec lists under `jobDefinitions`, which may name any revision of
 * it (`ingest-cleanup`, `ingest-cleanup-a` or `-b`): one the references already name, else the first with an ACTIVE
 * revision of — the live queue's revision suffix, the name as written, the base name, the other suffix.
 */
async function liveJobDefinitionName(
  aws: Aws,
  spec: Spec,
  queue: JobQueueDetail,
  listed: string,
  used: ReadonlyMap<string, unknown>,
): Promise<string> {
  const suffixes = suffixesOf(spec);
  const label = nextName(queue.jobQueueName ?? '', suffixes).live;
  const { base } = nextName(listed, suffixes);
  const candidates = [...new Set([base + suffixes[label], listed, base, base + suffixes[otherRevision(label)]])];
  const named = candidates.find((c) => used.has(c));
  if (named) return named;
  for (const candidate of candidates) {
    if ((await aws.batch.describeJobDefinitions({ name: candidate, status: 'ACTIVE' })).length) return candidate;
  }
  return listed;
}

/**
 * `known.queue`: the live queue, when the caller knows it (promote: the plan's A, which the account alone no longer
 * tells apart once references point at B). `known.jobDefinitions`: revisions that belong to the workload whatever the state machines say now — a resumed
 * promote passes the plan's, because by then the references point at B.
 */
export async function discover(
  aws: Aws,
  spec: Spec,
  specFile: string,
  known: { jobDefinitions?: { name: string; revision: number }[]; queue?: string } = {},
): Promise<Discovery> {
  const [account, region, allQueues, allComputeEnvironments, scan] = await Promise.all([
    aws.sts.accountId(),
    aws.region(),
    aws.batch.describeJobQueues(),
    aws.batch.describeComputeEnvironments(),
    scanStateMachines(aws, spec),
  ]);
  const partition = partitionOf(region);
  const { queue, stack, note } = await findLiveQueue(aws, spec, specFile, {
    allQueues,
    stateMachines: scan.scanned,
    account,
    region,
    ...(known.queue ? { pinned: known.queue } : {}),
  });
  const warnings = [...scan.warnings];
  const order = [...(queue.computeEnvironmentOrder ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const ceDetails = order.map((o) => {
    const wanted = o.computeEnvironment ?? '';
    const ce = allComputeEnvironments.find(
      (c) => c.computeEnvironmentArn === wanted || c.computeEnvironmentName === computeEnvironmentName(wanted),
    );
    if (!ce)
      throw invalidInput(
        'ComputeEnvironmentNotFound',
        `Job queue "${queue.jobQueueName}" names compute environment "${wanted}", which does not exist.`,
      );
    return ce;
  });
  const cloneOverrides = spec.changes?.computeEnvironment?.launchTemplateOverrides !== 'share';
  const { templates, idByCe, warnings: ltWarnings } = await discoverLaunchTemplates(aws, ceDetails, cloneOverrides);
  warnings.push(...ltWarnings);
  const computeEnvironments: LiveComputeEnvironment[] = ceDetails.map((detail) => {
    const sharedWith = allQueues
      .filter((q) => q.jobQueueArn !== queue.jobQueueArn)
      .filter((q) =>
        (q.computeEnvironmentOrder ?? []).some(
          (o) =>
            o.computeEnvironment === detail.computeEnvironmentArn ||
            computeEnvironmentName(o.computeEnvironment ?? '') === detail.computeEnvironmentName,
        ),
      )
      .map((q) => q.jobQueueName ?? '');
    const launchTemplateId = idByCe.get(detail.computeEnvironmentName ?? '');
    return { detail, sharedWith, ...(launchTemplateId ? { launchTemplateId } : {}) };
  });

  const queueRef = { name: queue.jobQueueName ?? '', arn: queue.jobQueueArn ?? '' };
  const used: JobDefinitionUses = new Map(
    (known.jobDefinitions ?? []).map((jd) => [
      jd.name,
      { revisions: new Set([jd.revision]), unpinned: false, users: [] },
    ]),
  );
  for (const [name, use] of jobDefinitionsForQueue(scan.scanned, queueRef)) {
    const entry = used.get(name);
    if (!entry) used.set(name, use);
    else entry.users.push(...use.users);
  }
  const extras = await mapLimit(spec.jobDefinitions ?? [], 4, (extra) =>
    liveJobDefinitionName(aws, spec, queue, extra, used),
  );
  for (const extra of extras) {
    if (!used.has(extra)) used.set(extra, { revisions: new Set(), unpinned: true, users: [] });
  }
  const inactiveReferences: { stateMachine: string; value: string }[] = [];
  const jobDefinitions = await mapLimit([...used.entries()], 4, async ([name, use]): Promise<LiveJobDefinition> => {
    const active = (await aws.batch.describeJobDefinitions({ name, status: 'ACTIVE' })).sort(
      (a, b) => (a.revision ?? 0) - (b.revision ?? 0),
    );
    const activeRevisions = active.map((jd) => jd.revision ?? 0);
    for (const user of use.users) {
      const ref = parseJobDefinitionRef(user.value);
      if (ref?.revision !== undefined && !activeRevisions.includes(ref.revision)) inactiveReferences.push(user);
    }
    const pinned = [...use.revisions].filter((r) => activeRevisions.includes(r));
    const latest = active.at(-1);
    const wantedRevision = use.unpinned || pinned.length === 0 ? latest?.revision : Math.max(...pinned);
    const detail: JobDefinition | undefined = active.find((jd) => jd.revision === wantedRevision);
    if (!detail) {
      throw invalidInput(
        'JobDefinitionNotFound',
        `Job definition "${name}" has no ACTIVE revision; the workload's state machines cannot submit it.`,
        ["Register a revision, or remove it from the spec's jobDefinitions."],
      );
    }
    const otherPinned = [...use.revisions]
      .filter((r) => r !== detail.revision && activeRevisions.includes(r))
      .sort((a, b) => a - b)
      .map((r) => ({
        detail: active.find((jd) => jd.revision === r) as JobDefinition,
        users: [
          ...new Set(
            use.users.filter((u) => parseJobDefinitionRef(u.value)?.revision === r).map((u) => u.stateMachine),
          ),
        ],
      }));
    if (otherPinned.length) {
      warnings.push({
        code: 'JobDefinitionRevisionsDiffer',
        resource: name,
        message: `references name different revisions of job definition ${name}; B is cloned from revision ${detail.revision}, and references pinned to ${otherPinned.map((p) => `revision ${p.detail.revision}`).join(', ')} move to that copy too: the plan shows each against B.`,
      });
    }
    return { detail, activeRevisions, ...(otherPinned.length ? { otherPinned } : {}) };
  });

  return {
    live: {
      account,
      region,
      partition,
      queue,
      computeEnvironments,
      launchTemplates: templates,
      jobDefinitions,
      ...(stack ? { stack } : {}),
    },
    allQueues,
    allComputeEnvironments,
    stateMachines: scan.scanned,
    inactiveReferences,
    warnings,
    ...(note ? { note } : {}),
  };
}
