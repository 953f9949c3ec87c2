/**
 * Model coverage of every clone: each member of a Create/Register input shape in the INSTALLED SDK is
 * either copied or on a named drop-list with its reason, each Describe member likewise, and a maximal Describe output
 * (every member populated) clones into an input that passes model validation. A member a future SDK adds fails here
 * until someone decides what the clone does with it.
 */
import * as batchSdk from '@aws-sdk/client-batch';
import {
  ComputeEnvironmentDetail$,
  CreateComputeEnvironmentRequest$,
  CreateJobQueueRequest$,
  JobDefinition$,
  JobQueueDetail$,
  RegisterJobDefinitionRequest$,
} from '@aws-sdk/client-batch';
import * as ec2Sdk from '@aws-sdk/client-ec2';
import { RequestLaunchTemplateData$, ResponseLaunchTemplateData$ } from '@aws-sdk/client-ec2';

import type {
  ComputeEnvironmentDetail,
  JobDefinition,
  JobQueueDetail,
  ResponseLaunchTemplateData,
} from '../../../src/aws/types';
import {
  CLONE_DROPS,
  cloneComputeEnvironment,
  cloneJobDefinition,
  cloneJobQueue,
  cloneLaunchTemplateData,
  type DropList,
} from '../../../src/core/clone';
import { deriveRevision } from '../../../src/core/derive';
import type { Spec } from '../../../src/core/spec';
import type { LiveWorkload } from '../../../src/core/workload';
import {
  loadBotocoreModel,
  maximal,
  memberPaths,
  modelShape,
  presentPaths,
  validate,
  type Choose,
  type ModelNode,
  type ModelShape,
  type Path,
} from '../../support/model-shapes';

const batchModel = loadBotocoreModel('batch');
const ec2Model = loadBotocoreModel('ec2');

interface Case {
  name: keyof typeof CLONE_DROPS;
  input: ModelShape;
  output: ModelShape;
  clone: (described: never) => unknown;
  choose: Choose;
  emptyStructureIsMissing: boolean;
}

/** Values the generator would otherwise pick that describe a resource batchctl clones another way. */
const chooseFor =
  (choices: Record<Path, unknown>): Choose =>
  (path) =>
    choices[path];

const cases: Case[] = [
  {
    name: 'launchTemplateData',
    input: modelShape(RequestLaunchTemplateData$, ec2Model, ec2Sdk),
    output: modelShape(ResponseLaunchTemplateData$, ec2Model, ec2Sdk),
    clone: (d: ResponseLaunchTemplateData) => cloneLaunchTemplateData(d),
    choose: chooseFor({ 'Operator.Managed': false }),
    emptyStructureIsMissing: true,
  },
  {
    name: 'computeEnvironment',
    input: modelShape(CreateComputeEnvironmentRequest$, batchModel, batchSdk),
    output: modelShape(ComputeEnvironmentDetail$, batchModel, batchSdk),
    clone: (d: ComputeEnvironmentDetail) => cloneComputeEnvironment(d, 'work-ce-b'),
    // EC2 keeps every ComputeResource member (Fargate drops the EC2-only ones: its own test below).
    choose: chooseFor({ type: 'MANAGED', 'computeResources.type': 'EC2' }),
    emptyStructureIsMissing: false,
  },
  {
    name: 'jobQueue',
    input: modelShape(CreateJobQueueRequest$, batchModel, batchSdk),
    output: modelShape(JobQueueDetail$, batchModel, batchSdk),
    clone: (d: JobQueueDetail) => cloneJobQueue(d, 'work-b'),
    choose: () => undefined,
    emptyStructureIsMissing: false,
  },
  {
    name: 'jobDefinition',
    input: modelShape(RegisterJobDefinitionRequest$, batchModel, batchSdk),
    output: modelShape(JobDefinition$, batchModel, batchSdk),
    clone: (d: JobDefinition) => cloneJobDefinition(d, 'work-job-b'),
    // The output's `type` is a plain string; Describe returns one of the input's enum values.
    choose: chooseFor({ type: 'container' }),
    emptyStructureIsMissing: false,
  },
];

/** True when `path` or one of its ancestors is on the drop-list. */
function dropped(path: Path, drops: DropList): boolean {
  return Object.keys(drops).some((d) => path === d || path.startsWith(`${d}.`) || path.startsWith(`${d}[]`));
}

describe.each(cases)('clone model coverage: $name', (c) => {
  const drops = CLONE_DROPS[c.name];
  const described = () => maximal(c.output.root, c.choose) as never;
  const cloned = () => c.clone(described());

  it('copies or names with a reason every member of the installed SDK input shape', () => {
    const copied = presentPaths(c.input.root, cloned());
    const undecided = memberPaths(c.input.root).filter((p) => !copied.has(p) && !dropped(p, drops));
    expect(undecided).toStrictEqual([]);
  });

  it('copies or names with a reason every member of the Describe output shape', () => {
    const copied = presentPaths(c.input.root, cloned());
    const undecided = memberPaths(c.output.root).filter((p) => !copied.has(p) && !dropped(p, drops));
    expect(undecided).toStrictEqual([]);
  });

  it('lists no drop that is copied anyway or that no shape has', () => {
    const copied = presentPaths(c.input.root, cloned());
    const known = new Set([...memberPaths(c.input.root), ...memberPaths(c.output.root)]);
    const stale = Object.keys(drops).filter((d) => copied.has(d) || !known.has(d));
    expect(stale).toStrictEqual([]);
    for (const reason of Object.values(drops)) expect(reason.length).toBeGreaterThan(10);
  });

  it('clones a maximal Describe output into an input the model accepts', () => {
    expect(validate(c.input.root, cloned(), { emptyStructureIsMissing: c.emptyStructureIsMissing })).toStrictEqual([]);
  });
});

describe('clone model coverage: constraints source', () => {
  it('reads enums, lengths and ranges from the botocore models beside the emulator', () => {
    expect(batchModel.file).toMatch(/botocore\/data\/batch\/2016-08-10\/service-2\.json(\.gz)?$/);
    expect(ec2Model.file).toMatch(/botocore\/data\/ec2\/2016-11-15\/service-2\.json(\.gz)?$/);
  });

  it('names every SDK member botocore does not model (checked for type only, never skipped silently)', () => {
    for (const c of cases) {
      memberPaths(c.input.root);
      memberPaths(c.output.root);
    }
    const gaps = Object.fromEntries(cases.map((c) => [c.name, [...new Set([...c.input.gaps, ...c.output.gaps])]]));
    // The installed SDK is newer than the emulator's botocore: members botocore lacks are checked for type only, and
    // where the enums differ the SDK's values are used. Each such place is named here, none is skipped silently.
    expect(gaps).toStrictEqual({
      launchTemplateData: [
        "InstanceMarketOptions.MarketType (enum MarketType: SDK adds on-demand; the SDK's values are used)",
        "InstanceType (the SDK exports no enum InstanceType; botocore's values are used)",
        'Monitoring.MetricCategoryIds (botocore shape LaunchTemplatesMonitoringRequest has no member MetricCategoryIds)',
        "TagSpecifications[].ResourceType (enum ResourceType: SDK adds application-status-check,capacity-reservation-cancellation-quote,capacity-reservation-modification-quote,fca-policy,ipam-internet-registry-association,metric-category; the SDK's values are used)",
        'Monitoring.MetricCategoryIds (botocore shape LaunchTemplatesMonitoring has no member MetricCategoryIds)',
      ],
      computeEnvironment: [
        "computeResources.allocationStrategy (enum CRAllocationStrategy: SDK adds BEST_FIT_PROGRESSIVE_ORDERED,SPOT_CAPACITY_OPTIMIZED_PRIORITIZED; the SDK's values are used)",
        'computeResources.capacityTags (botocore shape ComputeResource has no member capacityTags)',
        'computeResources.managedInstancesProvider (botocore shape ComputeResource has no member managedInstancesProvider)',
        "computeResources.type (enum CRType: SDK adds ECS_MANAGED_INSTANCES; the SDK's values are used)",
        'ecsSettings (botocore shape CreateComputeEnvironmentRequest has no member ecsSettings)',
        'ecsSettings (botocore shape ComputeEnvironmentDetail has no member ecsSettings)',
      ],
      jobQueue: ["jobQueueType (enum JobQueueType: SDK adds ECS_MANAGED_INSTANCES; the SDK's values are used)"],
      jobDefinition: [
        'ecsProperties.taskProperties[].networkMode (botocore shape EcsTaskProperties has no member networkMode)',
        'nodeProperties.nodeRangeProperties[].ecsProperties.taskProperties[].networkMode (botocore shape EcsTaskProperties has no member networkMode)',
        "platformCapabilities[] (enum PlatformCapability: SDK adds MANAGED_INSTANCES; the SDK's values are used)",
      ],
    });
  });
});

const [ltCase, ceCase, queueCase, jdCase] = cases as [Case, Case, Case, Case];

describe('clone model coverage: the other compute environment types', () => {
  const described = (choices: Record<Path, unknown>) =>
    maximal(ceCase.output.root, chooseFor(choices)) as ComputeEnvironmentDetail;

  it.each(['FARGATE', 'FARGATE_SPOT'])(
    'clones a maximal %s compute environment into a valid input without EC2-only members',
    (type) => {
      const input = cloneComputeEnvironment(described({ type: 'MANAGED', 'computeResources.type': type }), 'f-b');
      expect(validate(ceCase.input.root, input)).toStrictEqual([]);
      expect(Object.keys(input.computeResources ?? {}).sort()).toStrictEqual(
        ['maxvCpus', 'securityGroupIds', 'subnets', 'type'].sort(),
      );
    },
  );

  it('keeps managedInstancesProvider and capacityTags for an ECS_MANAGED_INSTANCES compute environment', () => {
    const source = described({ type: 'MANAGED', 'computeResources.type': 'ECS_MANAGED_INSTANCES' });
    const input = cloneComputeEnvironment(source, 'm-b');
    expect(validate(ceCase.input.root, input)).toStrictEqual([]);
    expect(input.computeResources?.managedInstancesProvider).toStrictEqual(
      source.computeResources?.managedInstancesProvider,
    );
    expect(input.computeResources?.capacityTags).toStrictEqual(source.computeResources?.capacityTags);
  });

  it('keeps unmanagedvCpus for an UNMANAGED compute environment', () => {
    const input = cloneComputeEnvironment(described({ type: 'UNMANAGED', 'computeResources.type': 'EC2' }), 'u-b');
    expect(validate(ceCase.input.root, input)).toStrictEqual([]);
    expect(input.unmanagedvCpus).toBe(1);
  });
});

describe('clone model coverage: deriveRevision', () => {
  const ACCOUNT = '123456789012';
  const ceArn = `arn:aws:batch:us-east-1:${ACCOUNT}:compute-environment/work-ce-a`;
  const live = (): LiveWorkload => ({
    account: ACCOUNT,
    region: 'us-east-1',
    partition: 'aws',
    queue: {
      ...(maximal(queueCase.output.root, queueCase.choose) as JobQueueDetail),
      jobQueueName: 'work-a',
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: ceArn }],
    },
    computeEnvironments: [
      {
        detail: {
          ...(maximal(ceCase.output.root, ceCase.choose) as ComputeEnvironmentDetail),
          computeEnvironmentName: 'work-ce-a',
          computeEnvironmentArn: ceArn,
        },
        launchTemplateId: 'lt-0a',
        sharedWith: [],
      },
    ],
    launchTemplates: [
      {
        id: 'lt-0a',
        name: 'work-lt-a',
        version: 1,
        referencedAs: '1',
        data: maximal(ltCase.output.root, ltCase.choose) as ResponseLaunchTemplateData,
        tags: {},
      },
    ],
    jobDefinitions: [
      {
        detail: { ...(maximal(jdCase.output.root, jdCase.choose) as JobDefinition), jobDefinitionName: 'work-job-a' },
        activeRevisions: [1],
      },
    ],
  });
  const spec: Spec = {
    version: 1,
    workload: 'work',
    live: { jobQueue: 'work-a' },
    changes: { jobDefinitions: { 'work-job-a': { retryStrategy: { attempts: 2 } } } },
  };
  const b = () => deriveRevision(live(), spec, 'plan-0001');

  it('derives a queue of service environments with their order and no computeEnvironmentOrder', () => {
    const serviceEnvironmentOrder = [
      { order: 1, serviceEnvironment: `arn:aws:batch:us-east-1:${ACCOUNT}:service-environment/training` },
    ];
    const source = live();
    source.queue = { ...source.queue, jobQueueType: 'SAGEMAKER_TRAINING', serviceEnvironmentOrder };
    delete source.queue.computeEnvironmentOrder;
    const input = deriveRevision({ ...source, computeEnvironments: [], launchTemplates: [] }, spec, 'plan-0001')
      .jobQueue.input;
    expect(input.serviceEnvironmentOrder).toStrictEqual(serviceEnvironmentOrder);
    expect(input).not.toHaveProperty('computeEnvironmentOrder');
    expect(validate(queueCase.input.root, input)).toStrictEqual([]);
  });

  it('derives from maximal Describe outputs inputs the model accepts', () => {
    const revision = b();
    const changed = revision.jobDefinitions[0];
    expect({
      launchTemplate: validate(ltCase.input.root, revision.launchTemplates[0]?.data, { emptyStructureIsMissing: true }),
      computeEnvironment: validate(ceCase.input.root, revision.computeEnvironments[0]?.input),
      jobQueue: validate(queueCase.input.root, revision.jobQueue.input),
      jobDefinition: validate(jdCase.input.root, changed?.changed ? changed.input : undefined),
    }).toStrictEqual({ launchTemplate: [], computeEnvironment: [], jobQueue: [], jobDefinition: [] });
  });
});

describe('model walker: validate', () => {
  const queue = () => maximal(queueCase.input.root) as Record<string, unknown>;

  it('accepts a maximal input as generated', () => {
    expect(validate(queueCase.input.root, queue())).toStrictEqual([]);
  });

  it('rejects missing required members, unknown members, types, enums, lengths and ranges', () => {
    const bad = {
      ...queue(),
      priority: undefined,
      surprise: 1,
      state: 'PAUSED',
      jobQueueType: 7,
      tags: {},
    };
    expect(validate(queueCase.input.root, bad)).toStrictEqual([
      '(root): unknown member surprise',
      'priority: required member missing',
      'state: "PAUSED" is not one of ENABLED|DISABLED',
      'jobQueueType: expected a string, got number',
      'tags: map size 0 is below 1',
    ]);
    expect(validate(queueCase.input.root, { ...queue(), tags: { ['k'.repeat(129)]: 'v' } })).toStrictEqual([
      'tags{key}: length 129 is above 128',
    ]);
    const ce = maximal(ceCase.output.root, ceCase.choose) as Record<string, unknown>;
    expect(validate(ceCase.output.root, { ...ce, updatePolicy: { jobExecutionTimeoutMinutes: 361.5 } })).toStrictEqual([
      'updatePolicy.jobExecutionTimeoutMinutes: 361.5 is not an integer',
      'updatePolicy.jobExecutionTimeoutMinutes: 361.5 is above 360',
    ]);
  });

  it('counts an empty required structure as missing where the wire drops it (EC2 query protocol)', () => {
    const request: ModelNode = {
      kind: 'structure',
      name: 'CreateLaunchTemplateRequest',
      members: [{ name: 'LaunchTemplateData', required: true, node: () => ltCase.input.root }],
    };
    expect(validate(request, { LaunchTemplateData: {} }, { emptyStructureIsMissing: true })).toStrictEqual([
      'LaunchTemplateData: required member missing',
    ]);
    expect(validate(request, { LaunchTemplateData: {} })).toStrictEqual([]);
    expect(validate(ltCase.input.root, { SecondaryInterfaces: [{ Bogus: true }] })).toStrictEqual([
      'SecondaryInterfaces[]: unknown member Bogus',
    ]);
  });
});
