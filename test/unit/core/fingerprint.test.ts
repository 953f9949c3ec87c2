import { compareObserved, observeStateMachine, observeWorkload } from '../../../src/core/fingerprint';
import type { ObservedResource } from '../../../src/core/plan';
import { batchArnOf, liveWorkload } from './fixtures';

const SM_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:ingest';
const DEFINITION = JSON.stringify({ StartAt: 'Submit', States: { Submit: { Type: 'Task', End: true } } });

function observed(kind: ObservedResource['kind'], name: string, list: ObservedResource[]): ObservedResource {
  const found = list.find((r) => r.kind === kind && r.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

describe('observeWorkload', () => {
  it('records every resource of the workload with its ARN and the details promote compares', () => {
    const list = observeWorkload(liveWorkload('a'));
    expect(list.map((r) => ({ kind: r.kind, name: r.name, arn: r.arn, detail: r.detail }))).toStrictEqual([
      {
        kind: 'job-queue',
        name: 'reproject-a',
        arn: batchArnOf('job-queue', 'reproject-a'),
        detail: { state: 'ENABLED', status: 'VALID', priority: 10 },
      },
      {
        kind: 'compute-environment',
        name: 'reproject-ce-a',
        arn: batchArnOf('compute-environment', 'reproject-ce-a'),
        detail: { state: 'DISABLED', status: 'VALID' },
      },
      {
        kind: 'compute-environment',
        name: 'shared-ce-a',
        arn: batchArnOf('compute-environment', 'shared-ce-a'),
        detail: { state: 'ENABLED', status: 'VALID' },
      },
      {
        kind: 'launch-template',
        name: 'reproject-lt-a',
        arn: 'arn:aws:ec2:us-east-1:123456789012:launch-template/lt-0abc',
        detail: { version: 3, referencedAs: '$Latest' },
      },
      {
        kind: 'job-definition',
        name: 'reproject-job-a',
        arn: batchArnOf('job-definition', 'reproject-job-a:4'),
        detail: { revision: 4, status: 'ACTIVE' },
      },
      {
        kind: 'job-definition',
        name: 'tile-job-a',
        arn: batchArnOf('job-definition', 'tile-job-a:2'),
        detail: { revision: 2, status: 'ACTIVE' },
      },
    ]);
    for (const r of list) expect(r.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('is deterministic', () => {
    expect(observeWorkload(liveWorkload('a'))).toStrictEqual(observeWorkload(liveWorkload('a')));
  });

  it('ignores desiredvCpus changes (scaling is not configuration)', () => {
    const before = observeWorkload(liveWorkload('a'));
    const live = liveWorkload('a');
    live.computeEnvironments[0]!.detail.computeResources!.desiredvCpus = 96;
    const after = observeWorkload(live);
    expect(after).toStrictEqual(before);
    expect(compareObserved(before, after)).toStrictEqual([]);
  });

  it('ignores read-only fields (queue statusReason, CE ecsClusterArn)', () => {
    const before = observeWorkload(liveWorkload('a'));
    const live = liveWorkload('a');
    live.queue.statusReason = 'something else';
    live.computeEnvironments[0]!.detail.ecsClusterArn = 'arn:aws:ecs:us-east-1:123456789012:cluster/other';
    expect(compareObserved(before, observeWorkload(live))).toStrictEqual([]);
  });

  it('changes the CE digest when its configuration changes', () => {
    const live = liveWorkload('a');
    live.computeEnvironments[1]!.detail.computeResources!.maxvCpus = 65;
    const before = observed('compute-environment', 'shared-ce-a', observeWorkload(liveWorkload('a')));
    const after = observed('compute-environment', 'shared-ce-a', observeWorkload(live));
    expect(after.digest).not.toBe(before.digest);
    expect(after.detail).toStrictEqual(before.detail);
  });

  it('changes the launch template digest when its data changes', () => {
    const live = liveWorkload('a');
    live.launchTemplates[0]!.data.ImageId = 'ami-other';
    const before = observed('launch-template', 'reproject-lt-a', observeWorkload(liveWorkload('a')));
    const after = observed('launch-template', 'reproject-lt-a', observeWorkload(live));
    expect(after.digest).not.toBe(before.digest);
  });

  // The job definition and launch template digests are taken over maskSecrets(...), so the plan file holds no hash of
  // a secret (a full sha256 of a short value can be brute-forced offline). Nothing is lost: a job definition revision
  // is immutable (another value means another revision, so another ARN and `revision`), and so is a launch template
  // version (another user data means another version, which `detail.version` records).
  it('gives the same job definition digest when only an environment value differs (the revision pins it)', () => {
    const live = liveWorkload('a');
    live.jobDefinitions[0]!.detail.containerProperties!.environment = [{ name: 'STAGE', value: 'hunter2-password' }];
    const before = observed('job-definition', 'reproject-job-a', observeWorkload(liveWorkload('a')));
    const after = observed('job-definition', 'reproject-job-a', observeWorkload(live));
    expect(after.digest).toBe(before.digest);
    expect(JSON.stringify(observeWorkload(live))).not.toContain('hunter2-password');
  });

  it('still changes the job definition digest when an environment variable name changes', () => {
    const live = liveWorkload('a');
    live.jobDefinitions[0]!.detail.containerProperties!.environment = [{ name: 'STAGE2', value: 'prod' }];
    const before = observed('job-definition', 'reproject-job-a', observeWorkload(liveWorkload('a')));
    const after = observed('job-definition', 'reproject-job-a', observeWorkload(live));
    expect(after.digest).not.toBe(before.digest);
  });

  it('gives the same launch template digest when only the user data differs (the version pins it)', () => {
    const live = liveWorkload('a');
    live.launchTemplates[0]!.data.UserData = 'IyEvYmluL3NoCmVjaG8gc2VjcmV0Cg==';
    const before = observed('launch-template', 'reproject-lt-a', observeWorkload(liveWorkload('a')));
    const after = observed('launch-template', 'reproject-lt-a', observeWorkload(live));
    expect(after.digest).toBe(before.digest);
  });
});

describe('observeStateMachine', () => {
  it('records the definition digest and the revision id', () => {
    const r = observeStateMachine({ name: 'ingest', arn: SM_ARN, definition: DEFINITION, revisionId: 'rev-1' });
    expect(r).toStrictEqual({
      kind: 'state-machine',
      name: 'ingest',
      arn: SM_ARN,
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      detail: { revisionId: 'rev-1' },
    });
  });

  it('records a missing revision id as null', () => {
    expect(observeStateMachine({ name: 'ingest', arn: SM_ARN, definition: DEFINITION }).detail).toStrictEqual({
      revisionId: null,
    });
  });
});

describe('compareObserved', () => {
  it('reports nothing for identical observations', () => {
    const list = [
      ...observeWorkload(liveWorkload('a')),
      observeStateMachine({ name: 'ingest', arn: SM_ARN, definition: DEFINITION }),
    ];
    expect(compareObserved(list, structuredClone(list))).toStrictEqual([]);
  });

  it('reports a state change with both values', () => {
    const live = liveWorkload('a');
    live.queue.state = 'DISABLED';
    expect(compareObserved(observeWorkload(liveWorkload('a')), observeWorkload(live))).toStrictEqual([
      { kind: 'job-queue', name: 'reproject-a', message: 'job-queue reproject-a: state ENABLED → DISABLED' },
    ]);
  });

  it('reports several detail changes of one resource in one sentence', () => {
    const live = liveWorkload('a');
    live.queue.state = 'DISABLED';
    live.queue.status = 'UPDATING';
    expect(compareObserved(observeWorkload(liveWorkload('a')), observeWorkload(live))).toStrictEqual([
      {
        kind: 'job-queue',
        name: 'reproject-a',
        message: 'job-queue reproject-a: state ENABLED → DISABLED, status VALID → UPDATING',
      },
    ]);
  });

  it('reports a launch template whose $Latest moved to another version', () => {
    const live = liveWorkload('a');
    live.launchTemplates[0]!.version = 4;
    expect(compareObserved(observeWorkload(liveWorkload('a')), observeWorkload(live))).toStrictEqual([
      { kind: 'launch-template', name: 'reproject-lt-a', message: 'launch-template reproject-lt-a: version 3 → 4' },
    ]);
  });

  it('reports a configuration change that no detail shows', () => {
    const live = liveWorkload('a');
    live.computeEnvironments[1]!.detail.computeResources!.maxvCpus = 65;
    expect(compareObserved(observeWorkload(liveWorkload('a')), observeWorkload(live))).toStrictEqual([
      {
        kind: 'compute-environment',
        name: 'shared-ce-a',
        message: 'compute-environment shared-ce-a: configuration changed',
      },
    ]);
  });

  it('reports a changed state machine definition', () => {
    const before = [observeStateMachine({ name: 'ingest', arn: SM_ARN, definition: DEFINITION, revisionId: 'rev-1' })];
    const after = [
      observeStateMachine({ name: 'ingest', arn: SM_ARN, definition: `${DEFINITION} `, revisionId: 'rev-1' }),
    ];
    expect(compareObserved(before, after)).toStrictEqual([
      { kind: 'state-machine', name: 'ingest', message: 'state-machine ingest: definition changed' },
    ]);
  });

  it('says "definition changed" for a new definition, not two revision ids', () => {
    const before = [observeStateMachine({ name: 'ingest', arn: SM_ARN, definition: DEFINITION, revisionId: 'rev-1' })];
    const after = [
      observeStateMachine({ name: 'ingest', arn: SM_ARN, definition: `${DEFINITION} `, revisionId: 'rev-2' }),
    ];
    expect(compareObserved(before, after)).toStrictEqual([
      { kind: 'state-machine', name: 'ingest', message: 'state-machine ingest: definition changed' },
    ]);
  });

  it('names an update that kept the definition (role, logging or tracing) without revision ids', () => {
    const before = [observeStateMachine({ name: 'ingest', arn: SM_ARN, definition: DEFINITION, revisionId: 'rev-1' })];
    const after = [observeStateMachine({ name: 'ingest', arn: SM_ARN, definition: DEFINITION, revisionId: 'rev-2' })];
    expect(compareObserved(before, after)).toStrictEqual([
      {
        kind: 'state-machine',
        name: 'ingest',
        message: 'state-machine ingest: updated since the plan (its role, logging or tracing changed)',
      },
    ]);
  });

  it('shows a detail that appeared or vanished as (none)', () => {
    const live = liveWorkload('a');
    delete live.queue.state;
    expect(compareObserved(observeWorkload(liveWorkload('a')), observeWorkload(live))).toStrictEqual([
      {
        kind: 'job-queue',
        name: live.queue.jobQueueName,
        message: `job-queue ${live.queue.jobQueueName}: state ENABLED → (none)`,
      },
    ]);
  });

  it('reports a vanished resource', () => {
    const live = liveWorkload('a');
    live.computeEnvironments.splice(1, 1);
    expect(compareObserved(observeWorkload(liveWorkload('a')), observeWorkload(live))).toStrictEqual([
      { kind: 'compute-environment', name: 'shared-ce-a', message: 'compute-environment shared-ce-a no longer exists' },
    ]);
  });

  it('names a job definition that moved to a new revision by its revisions, not as vanished', () => {
    const live = liveWorkload('a');
    const before = live.jobDefinitions[1]!.detail.revision;
    live.jobDefinitions[1]!.detail.jobDefinitionArn = batchArnOf('job-definition', 'tile-job-a:3');
    live.jobDefinitions[1]!.detail.revision = 3;
    expect(compareObserved(observeWorkload(liveWorkload('a')), observeWorkload(live))).toStrictEqual([
      { kind: 'job-definition', name: 'tile-job-a', message: `job-definition tile-job-a: revision ${before} → 3` },
    ]);
  });

  it('still reports a job definition whose every revision is gone', () => {
    const live = liveWorkload('a');
    live.jobDefinitions[1]!.detail.jobDefinitionArn = batchArnOf('job-definition', 'other-job:1');
    expect(compareObserved(observeWorkload(liveWorkload('a')), observeWorkload(live))).toStrictEqual([
      { kind: 'job-definition', name: 'tile-job-a', message: 'job-definition tile-job-a no longer exists' },
    ]);
  });

  it('ignores resources that exist now but were not planned', () => {
    const planned = observeWorkload(liveWorkload('a'));
    const current = [...planned, observeStateMachine({ name: 'new', arn: `${SM_ARN}2`, definition: DEFINITION })];
    expect(compareObserved(planned, current)).toStrictEqual([]);
  });

  // Regression (src/core/fingerprint.ts observeWorkload): the CE digest is taken over cloneComputeEnvironment(), which
  // drops updatePolicy, and `detail` holds only state/status. deriveRevision copies A's updatePolicy to B, so a
  // change to A's updatePolicy after `plan` is stale input that promote does not see (DESIGN invariant 3).
  it('reports a change to a CE updatePolicy (B inherits it)', () => {
    const live = liveWorkload('a');
    live.computeEnvironments[0]!.detail.updatePolicy = { terminateJobsOnUpdate: true, jobExecutionTimeoutMinutes: 5 };
    expect(compareObserved(observeWorkload(liveWorkload('a')), observeWorkload(live))).toHaveLength(1);
  });

  // Regression (src/core/fingerprint.ts observeWorkload): the launch template digest covers `lt.data` only, not `lt.tags`,
  // which deriveRevision copies to B's template; a tag change after `plan` goes unnoticed.
  it('reports a change to the launch template tags (B inherits them)', () => {
    const live = liveWorkload('a');
    live.launchTemplates[0]!.tags = { team: 'other' };
    expect(compareObserved(observeWorkload(liveWorkload('a')), observeWorkload(live))).toHaveLength(1);
  });
});
