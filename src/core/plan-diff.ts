/** Plan identity and the per-resource diff of A against B shown to reviewers. Pure. */
import { cloneComputeEnvironment, cloneJobDefinition, cloneJobQueue, cloneLaunchTemplateData } from './clone';
import { digestOf } from './digest';
import { diffValues, type FieldChange } from './diff';
import { redact, type RedactionKey } from './redact';
import type { DesiredRevision, LiveWorkload } from './workload';

/**
 * Deterministic: the same spec against the same A gives the same id, so re-planning after an interrupted promote
 * recognises the B resources that promote already created (they carry this id in their `batchctl:plan` tag).
 * State machines are left out on purpose: promote changes them.
 */
export function derivePlanId(specDigest: string, live: LiveWorkload): string {
  const identity = {
    specDigest,
    account: live.account,
    region: live.region,
    queue: live.queue.jobQueueArn,
    computeEnvironments: live.computeEnvironments.map((ce) => ce.detail.computeEnvironmentArn),
    launchTemplates: live.launchTemplates.map((lt) => `${lt.id}:${lt.version}`),
    jobDefinitions: live.jobDefinitions.map((jd) => jd.detail.jobDefinitionArn),
  };
  return `p-${digestOf(identity).slice('sha256:'.length, 'sha256:'.length + 12)}`;
}

export interface ResourceDiff {
  kind: 'launch-template' | 'compute-environment' | 'job-queue' | 'job-definition';
  from: string;
  to: string;
  /** Unchanged job definitions are shared by A and B, not copied. */
  action: 'create' | 'keep';
  changes: FieldChange[];
}

/**
 * Field changes from A's configuration to B's, secrets redacted on both sides with the same `key` (the plan run's),
 * so an unchanged secret shows no change and a changed one shows a new digest.
 */
export function resourceDiffs(live: LiveWorkload, b: DesiredRevision, key: RedactionKey): ResourceDiff[] {
  const diffs: ResourceDiff[] = [];
  live.launchTemplates.forEach((lt, i) => {
    const target = b.launchTemplates[i];
    if (!target) return;
    diffs.push({
      kind: 'launch-template',
      from: `${lt.name} v${lt.version}`,
      to: `${target.name} v1`,
      action: 'create',
      changes: diffValues(redact(cloneLaunchTemplateData(lt.data), key), redact(target.data, key)),
    });
  });
  live.computeEnvironments.forEach((ce, i) => {
    const target = b.computeEnvironments[i];
    if (!target) return;
    const before = cloneComputeEnvironment(ce.detail, ce.detail.computeEnvironmentName ?? '');
    diffs.push({
      kind: 'compute-environment',
      from: ce.detail.computeEnvironmentName ?? '',
      to: target.name,
      action: 'create',
      changes: diffValues(
        { ...before, computeEnvironmentName: undefined, updatePolicy: ce.detail.updatePolicy, state: ce.detail.state },
        {
          ...target.input,
          computeEnvironmentName: undefined,
          updatePolicy: target.updatePolicy,
          state: target.disableAfterCreate ? 'DISABLED' : 'ENABLED',
        },
      ),
    });
  });
  diffs.push({
    kind: 'job-queue',
    from: b.jobQueue.from.name,
    to: b.jobQueue.name,
    action: 'create',
    changes: diffValues(
      { ...cloneJobQueue(live.queue, ''), jobQueueName: undefined },
      { ...b.jobQueue.input, jobQueueName: undefined },
    ),
  });
  b.jobDefinitions.forEach((jd, i) => {
    const source = live.jobDefinitions[i];
    if (!source) return;
    // References pinned to another revision move to B's copy as well: each is shown against B from its own revision.
    for (const pinned of jd.input ? (source.otherPinned ?? []) : []) {
      diffs.push({
        kind: 'job-definition',
        from: `${jd.from.name}:${pinned.detail.revision ?? ''} (pinned by ${pinned.users.join(', ')})`,
        to: jd.name,
        action: 'create',
        changes: diffValues(
          redact({ ...cloneJobDefinition(pinned.detail, ''), jobDefinitionName: undefined }, key),
          redact({ ...jd.input, jobDefinitionName: undefined }, key),
        ),
      });
    }
    diffs.push({
      kind: 'job-definition',
      from: `${jd.from.name}:${jd.from.revision}`,
      to: jd.changed ? jd.name : `${jd.from.name}:${jd.from.revision}`,
      action: jd.changed ? 'create' : 'keep',
      changes: jd.input
        ? diffValues(
            redact({ ...cloneJobDefinition(source.detail, ''), jobDefinitionName: undefined }, key),
            redact({ ...jd.input, jobDefinitionName: undefined }, key),
          )
        : [],
    });
  });
  return diffs;
}
