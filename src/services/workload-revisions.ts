/**
 * The workload's revisions as the account shows them, from any machine and on any swap (A → B → A → B…): every
 * standing job queue, compute environment and launch template that belongs to the workload, grouped by revision.
 *
 * A resource belongs to the workload when it carries `batchctl:workload` = the spec's workload (every resource a
 * plan creates does, core/derive.ts), or, for resources batchctl did not create (the revision a first swap adopted),
 * by name: a queue named `<base>`, `<base><suffix a>` or `<base><suffix b>` (the base from the spec's optional
 * `live` hint and from the workload name), the compute environments in such a queue's order, the launch templates
 * those use, and the other revision's names of those (core/naming.ts nameCandidates) — so an adopted A whose queue
 * is already deleted is still found by its compute environments and templates. A resource that something outside
 * the workload still uses (a compute environment in another queue's order, a template such a compute environment
 * uses) is kept by retirement on purpose and is not part of a revision.
 */
import type { Aws } from '../aws/clients';
import type { ComputeEnvironmentDetail, JobQueueDetail, LaunchTemplate } from '../aws/types';
import { computeEnvironmentName, jobQueueName } from '../core/arn';
import { lockKeyOf } from '../core/lock-key';
import { nameCandidates, nextName, type RevisionLabel, type Suffixes } from '../core/naming';
import { templatesUsedBy, usesTemplate } from '../core/template-users';
import { isStanding, TAG_PLAN, TAG_REVISION, TAG_WORKLOAD, templatePlan } from '../core/workload';

export interface FoundRevision {
  label: RevisionLabel;
  planId?: string;
  /** When EC2 created its earliest launch template (ms since the epoch). */
  createdAt?: number;
  queue?: JobQueueDetail;
  computeEnvironments: ComputeEnvironmentDetail[];
  launchTemplates: LaunchTemplate[];
}

export interface FoundWorkload {
  revisions: FoundRevision[];
  /** Every lock key the workload's queues give (core/lock-key.ts): one, unless names were changed by hand. */
  lockKeys: string[];
}

type Tags = Record<string, string> | undefined;

function templateTags(t: LaunchTemplate): Record<string, string> {
  return Object.fromEntries((t.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
}

/** The queue names a workload may go by: each base, bare and with either suffix. */
function queueNames(bases: Iterable<string>, suffixes: Suffixes): Set<string> {
  return new Set([...bases].flatMap((b) => [b, b + suffixes.a, b + suffixes.b]));
}

/** The names the other revision's copy of `name` may have, and the unsuffixed name an adopted original had. */
function counterpartNames(name: string, suffixes: Suffixes): string[] {
  return [...nameCandidates(name, suffixes), nextName(name, suffixes).base];
}

export async function findRevisions(
  aws: Aws,
  workload: string,
  suffixes: Suffixes,
  hintQueue: string | undefined,
): Promise<FoundWorkload> {
  const [allQueues, allCes, taggedTemplates] = await Promise.all([
    aws.batch.describeJobQueues(),
    aws.batch.describeComputeEnvironments(),
    aws.ec2.findLaunchTemplatesByTag(TAG_WORKLOAD, workload),
  ]);
  const tagged = (tags: Tags): boolean => tags?.[TAG_WORKLOAD] === workload;
  // A resource tagged for another workload is never ours, whatever its name.
  const mayBeOurs = (tags: Tags): boolean => !tags?.[TAG_WORKLOAD] || tagged(tags);
  const labelOf = (name: string, tags: Tags): RevisionLabel => {
    const tag = tags?.[TAG_REVISION];
    return tag === 'a' || tag === 'b' ? tag : nextName(name, suffixes).live;
  };

  const bases = new Set([workload, ...(hintQueue ? [lockKeyOf(jobQueueName(hintQueue), suffixes)] : [])]);
  const names = queueNames(bases, suffixes);
  const queues = allQueues
    .filter(isStanding)
    .filter((q) => tagged(q.tags) || (names.has(q.jobQueueName ?? '') && mayBeOurs(q.tags)));
  const ourQueueArns = new Set(queues.map((q) => q.jobQueueArn));
  const otherQueues = allQueues.filter(isStanding).filter((q) => !ourQueueArns.has(q.jobQueueArn));
  const inOrderOf = (q: JobQueueDetail, ce: ComputeEnvironmentDetail): boolean =>
    (q.computeEnvironmentOrder ?? []).some(
      (o) =>
        o.computeEnvironment === ce.computeEnvironmentArn ||
        computeEnvironmentName(o.computeEnvironment ?? '') === ce.computeEnvironmentName,
    );
  const usedOutside = (ce: ComputeEnvironmentDetail): boolean => otherQueues.some((q) => inOrderOf(q, ce));

  // Compute environments: in a workload queue's order (that queue's revision), tagged, or named as a counterpart.
  const standingCes = allCes.filter(isStanding);
  const ceLabels = new Map<ComputeEnvironmentDetail, RevisionLabel>();
  for (const q of queues) {
    const label = labelOf(q.jobQueueName ?? '', q.tags);
    for (const ce of standingCes.filter((c) => inOrderOf(q, c))) if (!ceLabels.has(ce)) ceLabels.set(ce, label);
  }
  const counterpartCes = new Set(
    [...ceLabels.keys()].flatMap((ce) => counterpartNames(ce.computeEnvironmentName ?? '', suffixes)),
  );
  for (const ce of standingCes) {
    if (ceLabels.has(ce) || usedOutside(ce)) continue;
    const byName = counterpartCes.has(ce.computeEnvironmentName ?? '') && mayBeOurs(ce.tags);
    if (tagged(ce.tags) || byName) ceLabels.set(ce, labelOf(ce.computeEnvironmentName ?? '', ce.tags));
  }

  // Launch templates: tagged, used by a workload compute environment, or named as a counterpart of one of those.
  const used = [...ceLabels.keys()].flatMap((ce) => templatesUsedBy(ce).map((ref) => ({ ref, ce })));
  const ids = [...new Set(used.flatMap(({ ref }) => (ref.id ? [ref.id] : [])))];
  const byRef = [...new Set(used.flatMap(({ ref }) => (!ref.id && ref.name ? [ref.name] : [])))];
  const [byId, byName] = await Promise.all([
    aws.ec2.describeLaunchTemplatesById(ids),
    aws.ec2.findLaunchTemplatesByName(byRef),
  ]);
  const known = new Map<string, LaunchTemplate>();
  for (const t of [...taggedTemplates, ...byId, ...byName]) known.set(t.LaunchTemplateId ?? '', t);
  const counterpartTemplates = [...known.values()].flatMap((t) =>
    counterpartNames(t.LaunchTemplateName ?? '', suffixes),
  );
  const missing = counterpartTemplates.filter((n) => ![...known.values()].some((t) => t.LaunchTemplateName === n));
  for (const t of await aws.ec2.findLaunchTemplatesByName([...new Set(missing)])) {
    if (mayBeOurs(templateTags(t))) known.set(t.LaunchTemplateId ?? '', t);
  }
  const outsideCes = standingCes.filter((ce) => !ceLabels.has(ce));
  const templateLabels = new Map<LaunchTemplate, RevisionLabel>();
  for (const t of known.values()) {
    const ref = { id: t.LaunchTemplateId ?? '', name: t.LaunchTemplateName ?? '' };
    const user = [...ceLabels.entries()].find(([ce]) => usesTemplate(ce, ref));
    if (!user && outsideCes.some((ce) => usesTemplate(ce, ref))) continue;
    const tags = templateTags(t);
    // Its own tag first; an untagged template takes the revision of the compute environment that uses it.
    templateLabels.set(t, user && !tags[TAG_REVISION] ? user[1] : labelOf(ref.name, tags));
  }

  const revisions = (['a', 'b'] as const).map((label): FoundRevision => {
    const queue = queues.find((q) => labelOf(q.jobQueueName ?? '', q.tags) === label);
    const computeEnvironments = [...ceLabels].filter(([, l]) => l === label).map(([ce]) => ce);
    const launchTemplates = [...templateLabels].filter(([, l]) => l === label).map(([t]) => t);
    const planId =
      queue?.tags?.[TAG_PLAN] ??
      computeEnvironments.map((ce) => ce.tags?.[TAG_PLAN]).find(Boolean) ??
      launchTemplates.map(templatePlan).find(Boolean);
    const times = launchTemplates.flatMap((t) => (t.CreateTime ? [new Date(t.CreateTime).getTime()] : []));
    return {
      label,
      ...(planId ? { planId } : {}),
      ...(times.length ? { createdAt: Math.min(...times) } : {}),
      ...(queue ? { queue } : {}),
      computeEnvironments,
      launchTemplates,
    };
  });
  const lockKeys = [...new Set([...queues.map((q) => lockKeyOf(q.jobQueueName ?? '', suffixes)), ...bases])];
  return {
    revisions: revisions.filter((r) => r.queue || r.computeEnvironments.length || r.launchTemplates.length),
    lockKeys,
  };
}
