import { deriveRevision } from '../../../src/core/derive';
import type { Spec } from '../../../src/core/spec';
import { TAG_PLAN, TAG_REVISION, TAG_WORKLOAD } from '../../../src/core/workload';
import { batchArnOf, liveWorkload, PLAN_ID, reprojectSpec } from './fixtures';

const ownership = (label: 'a' | 'b') => ({
  [TAG_WORKLOAD]: 'reproject',
  [TAG_REVISION]: label,
  [TAG_PLAN]: PLAN_ID,
});

function derived() {
  return deriveRevision(liveWorkload('a'), reprojectSpec('a'), PLAN_ID);
}

function ceNamed(name: string) {
  const ce = derived().computeEnvironments.find((c) => c.name === name);
  if (!ce) throw new Error(`no compute environment ${name}`);
  return ce;
}

describe('deriveRevision: names', () => {
  it('labels the new revision b and names every changed resource with -b', () => {
    const b = derived();
    expect(b.label).toBe('b');
    expect(b.jobQueue.name).toBe('reproject-b');
    expect(b.jobQueue.arn).toBe(batchArnOf('job-queue', 'reproject-b'));
    expect(b.computeEnvironments.map((ce) => [ce.name, ce.arn])).toStrictEqual([
      ['reproject-ce-b', batchArnOf('compute-environment', 'reproject-ce-b')],
      ['shared-ce-b', batchArnOf('compute-environment', 'shared-ce-b')],
    ]);
    expect(b.launchTemplates.map((lt) => lt.name)).toStrictEqual(['reproject-lt-b']);
    expect(b.jobDefinitions.map((jd) => jd.name)).toStrictEqual(['reproject-job-b', 'tile-job-a']);
  });

  it('records where each B resource comes from', () => {
    const b = derived();
    expect(b.jobQueue.from).toStrictEqual({ name: 'reproject-a', arn: batchArnOf('job-queue', 'reproject-a') });
    expect(b.computeEnvironments.map((ce) => ce.from)).toStrictEqual([
      { name: 'reproject-ce-a', arn: batchArnOf('compute-environment', 'reproject-ce-a') },
      { name: 'shared-ce-a', arn: batchArnOf('compute-environment', 'shared-ce-a') },
    ]);
    expect(b.launchTemplates[0]?.from).toStrictEqual({ id: 'lt-0abc', name: 'reproject-lt-a', version: 3 });
    expect(b.jobDefinitions.map((jd) => jd.from)).toStrictEqual([
      { name: 'reproject-job-a', arn: batchArnOf('job-definition', 'reproject-job-a:4'), revision: 4 },
      { name: 'tile-job-a', arn: batchArnOf('job-definition', 'tile-job-a:2'), revision: 2 },
    ]);
  });

  it('names revision a with -a when the live revision is -b', () => {
    const a = deriveRevision(liveWorkload('b'), reprojectSpec('b'), PLAN_ID);
    expect(a.label).toBe('a');
    expect(a.jobQueue.name).toBe('reproject-a');
    expect(a.computeEnvironments.map((ce) => ce.name)).toStrictEqual(['reproject-ce-a', 'shared-ce-a']);
    expect(a.launchTemplates.map((lt) => lt.name)).toStrictEqual(['reproject-lt-a']);
    expect(a.jobDefinitions.map((jd) => [jd.name, jd.changed])).toStrictEqual([
      ['reproject-job-a', true],
      ['tile-job-b', false],
    ]);
    expect(a.jobQueue.input.tags).toStrictEqual({ team: 'geo', ...ownership('a') });
    expect(a.computeEnvironments[0]?.input.computeResources?.launchTemplate).toStrictEqual({
      launchTemplateName: 'reproject-lt-a',
      version: '1',
    });
  });

  it('uses the spec suffixes', () => {
    const live = liveWorkload('a');
    live.queue.jobQueueName = 'reprojectBlue';
    const spec: Spec = { ...reprojectSpec('a'), naming: { suffixes: { a: 'Blue', b: 'Green' } } };
    expect(deriveRevision(live, spec, PLAN_ID).jobQueue.name).toBe('reprojectGreen');
  });
});

describe('deriveRevision: compute environments', () => {
  it('builds the full Create input of the DISABLED CE', () => {
    expect(ceNamed('reproject-ce-b')).toStrictEqual({
      from: { name: 'reproject-ce-a', arn: batchArnOf('compute-environment', 'reproject-ce-a') },
      name: 'reproject-ce-b',
      arn: batchArnOf('compute-environment', 'reproject-ce-b'),
      input: {
        computeEnvironmentName: 'reproject-ce-b',
        type: 'MANAGED',
        state: 'ENABLED',
        serviceRole: 'arn:aws:iam::123456789012:role/AWSBatchServiceRole',
        tags: { team: 'geo', ...ownership('b') },
        computeResources: {
          type: 'EC2',
          allocationStrategy: 'BEST_FIT_PROGRESSIVE',
          minvCpus: 0,
          maxvCpus: 256,
          instanceTypes: ['c6i.large'],
          subnets: ['subnet-1', 'subnet-2'],
          securityGroupIds: ['sg-1'],
          instanceRole: 'arn:aws:iam::123456789012:instance-profile/ecsInstanceRole',
          launchTemplate: { launchTemplateName: 'reproject-lt-b', version: '1' },
          ec2Configuration: [{ imageType: 'ECS_AL2023' }],
        },
      },
      updatePolicy: { terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: 30 },
      disableAfterCreate: true,
      retireFrom: true,
    });
  });

  it('pins B\'s CE to B\'s launch template by name, version "1", without launchTemplateId', () => {
    const template = ceNamed('reproject-ce-b').input.computeResources?.launchTemplate;
    expect(template).toStrictEqual({ launchTemplateName: 'reproject-lt-b', version: '1' });
    expect(template).not.toHaveProperty('launchTemplateId');
  });

  it('creates every CE ENABLED, leaves desiredvCpus out and carries updatePolicy beside the input', () => {
    for (const ce of derived().computeEnvironments) {
      expect(ce.input.state).toBe('ENABLED');
      expect(ce.input.computeResources).not.toHaveProperty('desiredvCpus');
      expect(ce.input).not.toHaveProperty('updatePolicy');
    }
    expect(ceNamed('reproject-ce-b').updatePolicy).toStrictEqual({
      terminateJobsOnUpdate: false,
      jobExecutionTimeoutMinutes: 30,
    });
    expect(ceNamed('shared-ce-b')).not.toHaveProperty('updatePolicy');
  });

  it('disables after create only the CE whose source was DISABLED', () => {
    expect(ceNamed('reproject-ce-b').disableAfterCreate).toBe(true);
    expect(ceNamed('shared-ce-b').disableAfterCreate).toBe(false);
  });

  it('never retires a CE that another queue shares', () => {
    expect(ceNamed('shared-ce-b').retireFrom).toBe(false);
    expect(ceNamed('reproject-ce-b').retireFrom).toBe(true);
  });

  it('applies the spec computeResources change to every CE', () => {
    expect(derived().computeEnvironments.map((ce) => ce.input.computeResources?.maxvCpus)).toStrictEqual([256, 256]);
  });

  it('tags every CE with ownership tags and no aws: tag', () => {
    expect(ceNamed('reproject-ce-b').input.tags).toStrictEqual({ team: 'geo', ...ownership('b') });
    expect(ceNamed('shared-ce-b').input.tags).toStrictEqual(ownership('b'));
  });

  it('applies serviceRole, tags and updatePolicy changes from the spec', () => {
    const spec = reprojectSpec('a');
    spec.changes = {
      ...spec.changes,
      computeEnvironment: {
        serviceRole: 'arn:aws:iam::123456789012:role/NewRole',
        tags: { cost: 'c1', 'aws:sneaky': 'x' },
        updatePolicy: { jobExecutionTimeoutMinutes: 60 },
      },
    };
    const ce = deriveRevision(liveWorkload('a'), spec, PLAN_ID).computeEnvironments[0];
    expect(ce?.input.serviceRole).toBe('arn:aws:iam::123456789012:role/NewRole');
    expect(ce?.input.tags).toStrictEqual({ team: 'geo', cost: 'c1', ...ownership('b') });
    expect(ce?.updatePolicy).toStrictEqual({ terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: 60 });
    expect(ce?.input.computeResources?.maxvCpus).toBe(128);
  });

  it('does not let spec tags override the ownership tags', () => {
    const spec = reprojectSpec('a');
    spec.changes = {
      ...spec.changes,
      computeEnvironment: { tags: { [TAG_REVISION]: 'a', [TAG_PLAN]: 'p-ffffffffffff' } },
    };
    expect(deriveRevision(liveWorkload('a'), spec, PLAN_ID).computeEnvironments[0]?.input.tags).toStrictEqual({
      team: 'geo',
      ...ownership('b'),
    });
  });
});

describe('deriveRevision: job queue', () => {
  it('builds the full Create input', () => {
    expect(derived().jobQueue.input).toStrictEqual({
      jobQueueName: 'reproject-b',
      priority: 10,
      state: 'ENABLED',
      schedulingPolicyArn: 'arn:aws:batch:us-east-1:123456789012:scheduling-policy/fair',
      computeEnvironmentOrder: [
        { order: 1, computeEnvironment: batchArnOf('compute-environment', 'shared-ce-b') },
        { order: 2, computeEnvironment: batchArnOf('compute-environment', 'reproject-ce-b') },
      ],
      jobStateTimeLimitActions: [
        {
          reason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY',
          state: 'RUNNABLE',
          maxTimeSeconds: 3600,
          action: 'CANCEL',
        },
      ],
      tags: { team: 'geo', ...ownership('b') },
    });
  });

  it("maps computeEnvironmentOrder to B's CE ARNs by ARN, keeping order and integers", () => {
    const live = liveWorkload('a');
    live.queue.computeEnvironmentOrder = [
      { order: 5, computeEnvironment: batchArnOf('compute-environment', 'reproject-ce-a') },
      { order: 9, computeEnvironment: batchArnOf('compute-environment', 'shared-ce-a') },
    ];
    expect(deriveRevision(live, reprojectSpec('a'), PLAN_ID).jobQueue.input.computeEnvironmentOrder).toStrictEqual([
      { order: 5, computeEnvironment: batchArnOf('compute-environment', 'reproject-ce-b') },
      { order: 9, computeEnvironment: batchArnOf('compute-environment', 'shared-ce-b') },
    ]);
  });

  it('creates the queue ENABLED even when A is DISABLED', () => {
    const live = liveWorkload('a');
    live.queue.state = 'DISABLED';
    expect(deriveRevision(live, reprojectSpec('a'), PLAN_ID).jobQueue.input.state).toBe('ENABLED');
  });

  it('applies the spec jobQueue changes', () => {
    const spec = reprojectSpec('a');
    const actions = [
      {
        reason: 'MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT',
        state: 'RUNNABLE',
        maxTimeSeconds: 600,
        action: 'TERMINATE',
      },
    ];
    spec.changes = {
      ...spec.changes,
      jobQueue: {
        priority: 0,
        schedulingPolicyArn: 'arn:aws:batch:us-east-1:123456789012:scheduling-policy/new',
        jobStateTimeLimitActions: actions,
        tags: { owner: 'data' },
      },
    };
    const input = deriveRevision(liveWorkload('a'), spec, PLAN_ID).jobQueue.input;
    expect(input.priority).toBe(0);
    expect(input.schedulingPolicyArn).toBe('arn:aws:batch:us-east-1:123456789012:scheduling-policy/new');
    expect(input.jobStateTimeLimitActions).toStrictEqual(actions);
    expect(input.tags).toStrictEqual({ team: 'geo', owner: 'data', ...ownership('b') });
  });
});

describe('deriveRevision: launch templates', () => {
  it('clones the data, applies the spec change and tags with ownership', () => {
    expect(derived().launchTemplates).toStrictEqual([
      {
        from: { id: 'lt-0abc', name: 'reproject-lt-a', version: 3 },
        name: 'reproject-lt-b',
        data: {
          ImageId: 'ami-0new',
          UserData: 'TUlNRS1WZXJzaW9uOiAxLjAKc2VjcmV0PWh1bnRlcjI=',
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 100, VolumeType: 'gp3' } }],
        },
        tags: { team: 'geo', ...ownership('b') },
      },
    ]);
  });
});

describe('deriveRevision: job definitions', () => {
  it('keeps an unchanged job definition as it is: changed=false, same name, no input', () => {
    const tile = derived().jobDefinitions[1];
    expect(tile).toStrictEqual({
      from: { name: 'tile-job-a', arn: batchArnOf('job-definition', 'tile-job-a:2'), revision: 2 },
      changed: false,
      name: 'tile-job-a',
    });
    expect(tile).not.toHaveProperty('input');
  });

  it("registers a changed job definition under the B name with the spec's changes merged in", () => {
    expect(derived().jobDefinitions[0]).toStrictEqual({
      from: { name: 'reproject-job-a', arn: batchArnOf('job-definition', 'reproject-job-a:4'), revision: 4 },
      changed: true,
      name: 'reproject-job-b',
      input: {
        jobDefinitionName: 'reproject-job-b',
        type: 'container',
        containerProperties: {
          image: 'example.com/reproject:v2',
          command: ['reproject', 'Ref::input'],
          resourceRequirements: [{ type: 'VCPU', value: '2' }],
          environment: [{ name: 'STAGE', value: 'prod' }],
        },
        retryStrategy: { attempts: 2 },
        tags: { team: 'geo', ...ownership('b') },
      },
    });
  });
});

describe('deriveRevision: purity', () => {
  it('gives deep-equal results for the same inputs', () => {
    expect(deriveRevision(liveWorkload('a'), reprojectSpec('a'), PLAN_ID)).toStrictEqual(
      deriveRevision(liveWorkload('a'), reprojectSpec('a'), PLAN_ID),
    );
  });

  it('gives the same result when called twice on the same objects', () => {
    const live = liveWorkload('a');
    const spec = reprojectSpec('a');
    expect(deriveRevision(live, spec, PLAN_ID)).toStrictEqual(deriveRevision(live, spec, PLAN_ID));
  });

  it('mutates neither the live workload nor the spec', () => {
    const live = liveWorkload('a');
    const spec = reprojectSpec('a');
    deriveRevision(live, spec, PLAN_ID);
    expect(live).toStrictEqual(liveWorkload('a'));
    expect(spec).toStrictEqual(reprojectSpec('a'));
  });

  it('records the plan id in every ownership tag', () => {
    const b = deriveRevision(liveWorkload('a'), reprojectSpec('a'), 'p-ffffffffffff');
    const tagSets = [
      ...b.launchTemplates.map((lt) => lt.tags),
      ...b.computeEnvironments.map((ce) => ce.input.tags),
      b.jobQueue.input.tags,
      ...b.jobDefinitions.flatMap((jd) => (jd.input ? [jd.input.tags] : [])),
    ];
    expect(tagSets).toHaveLength(5);
    for (const tags of tagSets) expect(tags?.[TAG_PLAN]).toBe('p-ffffffffffff');
  });
});

describe('deriveRevision: launch template overrides', () => {
  /** A with an override naming a second template (by id) for GPU instances, as discovery reports it with `clone`. */
  function withOverride() {
    const live = liveWorkload('a');
    const ce = live.computeEnvironments[0]!;
    ce.detail.computeResources!.launchTemplate = {
      launchTemplateId: 'lt-0abc',
      version: '$Latest',
      overrides: [{ launchTemplateId: 'lt-0gpu', version: '2', targetInstanceTypes: ['g5.xlarge'] }],
    };
    live.launchTemplates.push({
      id: 'lt-0gpu',
      name: 'reproject-gpu-a',
      version: 2,
      referencedAs: '2',
      data: { ImageId: 'ami-0gpu' },
      tags: {},
    });
    return live;
  }

  it("points each override at B's copy of its template, pinned to version 1, keeping its instance types", () => {
    const b = deriveRevision(withOverride(), reprojectSpec('a'), PLAN_ID);
    expect(b.launchTemplates.map((t) => t.name)).toStrictEqual(['reproject-lt-b', 'reproject-gpu-b']);
    expect(b.computeEnvironments[0]?.input.computeResources?.launchTemplate).toStrictEqual({
      launchTemplateName: 'reproject-lt-b',
      version: '1',
      overrides: [{ launchTemplateName: 'reproject-gpu-b', version: '1', targetInstanceTypes: ['g5.xlarge'] }],
    });
  });

  it("keeps an override on A's template when discovery did not clone it (launchTemplateOverrides: share)", () => {
    const live = withOverride();
    live.launchTemplates.pop();
    const b = deriveRevision(live, reprojectSpec('a'), PLAN_ID);
    expect(b.computeEnvironments[0]?.input.computeResources?.launchTemplate?.overrides).toStrictEqual([
      { launchTemplateId: 'lt-0gpu', version: '2', targetInstanceTypes: ['g5.xlarge'] },
    ]);
  });
});

describe('deriveRevision: names held outside the workload', () => {
  it('takes an alternative name for a compute environment or template whose derived name something still uses', () => {
    const b = deriveRevision(liveWorkload('b'), reprojectSpec('b'), PLAN_ID, {
      computeEnvironments: new Set(['shared-ce-a']),
      launchTemplates: new Set(['reproject-lt-a']),
    });
    expect(b.computeEnvironments.map((c) => c.name)).toStrictEqual(['reproject-ce-a', 'shared-ce-alt2-a']);
    expect(b.launchTemplates.map((t) => t.name)).toStrictEqual(['reproject-lt-alt2-a']);
    expect(b.computeEnvironments[0]?.input.computeResources?.launchTemplate?.launchTemplateName).toBe(
      'reproject-lt-alt2-a',
    );
    expect(b.jobQueue.input.computeEnvironmentOrder?.map((o) => o.computeEnvironment)).toContain(
      batchArnOf('compute-environment', 'shared-ce-alt2-a'),
    );
  });
});
