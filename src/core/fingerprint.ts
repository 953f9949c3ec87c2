/**
 * What plan records of the account so promote can refuse a stale plan (DESIGN invariant 3), and the comparison
 * that names each difference. Pure.
 *
 * Job definition and launch template digests are taken over `maskSecrets(...)`, so the plan file holds no hash of
 * a secret value (DESIGN invariant 7) — a full unsalted SHA-256 would let anyone test guesses offline. That loses
 * no staleness check: the secrets come only from immutable sources. A job definition revision never changes (a new
 * value means a new revision, a new ARN with another `revision`), a launch template version never changes (a new
 * value means a new version, recorded in `detail.version`), and the spec's own values are covered by its full digest.
 */
import { cloneComputeEnvironment, cloneJobDefinition, cloneJobQueue } from './clone';
import { digestOf } from './digest';
import { maskSecrets } from './redact';
import type { ObservedResource } from './plan';
import type { LiveWorkload } from './workload';

export interface ObservedStateMachine {
  name: string;
  arn: string;
  definition: string;
  revisionId?: string;
}

export function observeWorkload(live: LiveWorkload): ObservedResource[] {
  const out: ObservedResource[] = [];
  const q = live.queue;
  out.push({
    kind: 'job-queue',
    name: q.jobQueueName ?? '',
    arn: q.jobQueueArn ?? '',
    digest: digestOf(cloneJobQueue(q, q.jobQueueName ?? '')),
    detail: { state: q.state ?? null, status: q.status ?? null, priority: q.priority ?? null },
  });
  for (const { detail: ce } of live.computeEnvironments) {
    out.push({
      kind: 'compute-environment',
      name: ce.computeEnvironmentName ?? '',
      arn: ce.computeEnvironmentArn ?? '',
      // desiredvCpus is left out by the clone: it moves with scaling and is not a change to the configuration.
      // updatePolicy is not a Create field but B inherits it, so a change to it makes the plan stale too.
      digest: digestOf({
        config: cloneComputeEnvironment(ce, ce.computeEnvironmentName ?? ''),
        updatePolicy: ce.updatePolicy,
      }),
      detail: { state: ce.state ?? null, status: ce.status ?? null },
    });
  }
  for (const lt of live.launchTemplates) {
    out.push({
      kind: 'launch-template',
      name: lt.name,
      arn: `arn:${live.partition}:ec2:${live.region}:${live.account}:launch-template/${lt.id}`,
      // B's template inherits the tags as well as the data. User data is masked: the version pins it (see above).
      digest: digestOf(maskSecrets({ data: lt.data, tags: lt.tags })),
      detail: { version: lt.version, referencedAs: lt.referencedAs },
    });
  }
  for (const { detail: jd } of live.jobDefinitions) {
    out.push({
      kind: 'job-definition',
      name: jd.jobDefinitionName ?? '',
      arn: jd.jobDefinitionArn ?? '',
      // Environment values are masked: the revision in the ARN pins them (see above).
      digest: digestOf(maskSecrets(cloneJobDefinition(jd, jd.jobDefinitionName ?? ''))),
      detail: { revision: jd.revision ?? null, status: jd.status ?? null },
    });
  }
  return out;
}

export function observeStateMachine(sm: ObservedStateMachine): ObservedResource {
  return {
    kind: 'state-machine',
    name: sm.name,
    arn: sm.arn,
    digest: digestOf(sm.definition),
    detail: { revisionId: sm.revisionId ?? null },
  };
}

export interface Drift {
  kind: ObservedResource['kind'];
  name: string;
  message: string;
}

/**
 * Job definitions are matched by their ARN without the revision: a new ACTIVE revision registered since the plan is
 * the same job definition moved on ("revision 1 → 2"), not a vanished one.
 */
function identity(r: ObservedResource): string {
  const arn = r.kind === 'job-definition' ? r.arn.replace(/:\d+$/, '') : r.arn;
  return `${r.kind}:${arn}`;
}

const show = (value: string | number | boolean | null | undefined): string => String(value ?? '(none)');

/**
 * A state machine's revisionId changes on every update, so two ids say nothing a reader can use: a different
 * definition is "definition changed"; the same definition under a new revision means its role, logging or tracing
 * changed.
 */
function stateMachineDrift(before: ObservedResource, after: ObservedResource): string | undefined {
  if (before.digest !== after.digest) return 'definition changed';
  if ((before.detail.revisionId ?? null) !== (after.detail.revisionId ?? null)) {
    return 'updated since the plan (its role, logging or tracing changed)';
  }
  return undefined;
}

/**
 * Every difference between what plan saw and what is there now, one sentence each:
 * "job-queue reproject-a: state ENABLED → DISABLED", "state-machine ingest: definition changed",
 * "job-definition reproject: revision 1 → 2", "… no longer exists".
 */
export function compareObserved(planned: ObservedResource[], current: ObservedResource[]): Drift[] {
  const now = new Map(current.map((r) => [identity(r), r]));
  const drifts: Drift[] = [];
  const drift = (r: ObservedResource, what: string): void => {
    drifts.push({ kind: r.kind, name: r.name, message: `${r.kind} ${r.name}${what}` });
  };
  for (const before of planned) {
    const after = now.get(identity(before));
    if (!after) {
      drift(before, ' no longer exists');
      continue;
    }
    if (before.kind === 'state-machine') {
      const what = stateMachineDrift(before, after);
      if (what) drift(before, `: ${what}`);
      continue;
    }
    const changedDetails = Object.keys({ ...before.detail, ...after.detail })
      .filter((key) => (before.detail[key] ?? null) !== (after.detail[key] ?? null))
      .map((key) => `${key} ${show(before.detail[key])} → ${show(after.detail[key])}`);
    if (changedDetails.length) drift(before, `: ${changedDetails.join(', ')}`);
    else if (before.digest !== after.digest) drift(before, ': configuration changed');
  }
  return drifts;
}
