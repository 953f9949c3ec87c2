import type {
  ComputeEnvironmentDetail,
  ComputeResource,
  JobDefinition,
  JobQueueDetail,
  ResponseLaunchTemplateData,
} from '../../../src/aws/types';
import {
  cloneComputeEnvironment,
  cloneComputeResources,
  cloneJobDefinition,
  cloneJobQueue,
  cloneLaunchTemplateData,
  isServiceManaged,
  pick,
  userTags,
} from '../../../src/core/clone';

const ACCOUNT = '123456789012';
const CE_ARN = `arn:aws:batch:us-east-1:${ACCOUNT}:compute-environment/reproject-ce-a`;
const SERVICE_ROLE = `arn:aws:iam::${ACCOUNT}:role/AWSBatchServiceRole`;

type LaunchTemplateSpec = NonNullable<ComputeResource['launchTemplate']>;

/** Adds a field no SDK models today, as a future Describe output might carry. */
function withFutureField<T extends object>(value: T): T {
  return Object.assign({}, value, { newReadOnlyThing: 'surprise' });
}

/** A managed EC2 CE as DescribeComputeEnvironments returns it: every Create field plus every read-only one. */
function describedEc2Ce(): ComputeEnvironmentDetail {
  return withFutureField<ComputeEnvironmentDetail>({
    computeEnvironmentName: 'reproject-ce-a',
    computeEnvironmentArn: CE_ARN,
    ecsClusterArn: `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/AWSBatch-reproject-ce-a-0f1e`,
    type: 'MANAGED',
    state: 'DISABLED',
    status: 'VALID',
    statusReason: 'ComputeEnvironment Healthy',
    uuid: '6f1b2c3d-0000-4000-8000-000000000001',
    containerOrchestrationType: 'ECS',
    updatePolicy: { terminateJobsOnUpdate: true, jobExecutionTimeoutMinutes: 15 },
    context: 'reserved',
    serviceRole: SERVICE_ROLE,
    tags: {
      team: 'geo',
      'aws:cloudformation:stack-name': 'geo-stack',
      'aws:cloudformation:logical-id': 'ReprojectCE',
      'AWS:Mixed-Case': 'dropped too',
    },
    computeResources: withFutureField<ComputeResource>({
      type: 'SPOT',
      allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
      minvCpus: 2,
      maxvCpus: 128,
      desiredvCpus: 48,
      instanceTypes: ['c6i.large', 'c6i.xlarge'],
      imageId: 'ami-0123',
      subnets: ['subnet-1', 'subnet-2'],
      securityGroupIds: ['sg-1'],
      ec2KeyPair: 'ops-key',
      instanceRole: `arn:aws:iam::${ACCOUNT}:instance-profile/ecsInstanceRole`,
      tags: { Name: 'reproject-worker' },
      placementGroup: 'reproject-pg',
      bidPercentage: 60,
      spotIamFleetRole: `arn:aws:iam::${ACCOUNT}:role/AmazonEC2SpotFleetRole`,
      launchTemplate: withFutureField<LaunchTemplateSpec>({
        launchTemplateId: 'lt-0abc',
        version: '$Latest',
        overrides: [{ launchTemplateId: 'lt-0def', version: '2', targetInstanceTypes: ['c6i.xlarge'] }],
      }),
      ec2Configuration: [
        withFutureField({ imageType: 'ECS_AL2023', imageIdOverride: 'ami-0456', batchImageStatus: 'LATEST' }),
        { imageType: 'ECS_AL2_NVIDIA', batchImageStatus: 'UPDATE_AVAILABLE' },
      ],
      scalingPolicy: { minScaleDownDelayMinutes: 20 },
    }),
  });
}

const EXPECTED_EC2_CREATE = {
  computeEnvironmentName: 'reproject-ce-b',
  type: 'MANAGED',
  state: 'ENABLED',
  serviceRole: SERVICE_ROLE,
  tags: { team: 'geo' },
  computeResources: {
    type: 'SPOT',
    allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
    minvCpus: 2,
    maxvCpus: 128,
    instanceTypes: ['c6i.large', 'c6i.xlarge'],
    imageId: 'ami-0123',
    subnets: ['subnet-1', 'subnet-2'],
    securityGroupIds: ['sg-1'],
    ec2KeyPair: 'ops-key',
    instanceRole: `arn:aws:iam::${ACCOUNT}:instance-profile/ecsInstanceRole`,
    tags: { Name: 'reproject-worker' },
    placementGroup: 'reproject-pg',
    bidPercentage: 60,
    spotIamFleetRole: `arn:aws:iam::${ACCOUNT}:role/AmazonEC2SpotFleetRole`,
    launchTemplate: {
      launchTemplateId: 'lt-0abc',
      version: '$Latest',
      overrides: [{ launchTemplateId: 'lt-0def', version: '2', targetInstanceTypes: ['c6i.xlarge'] }],
    },
    ec2Configuration: [{ imageType: 'ECS_AL2023', imageIdOverride: 'ami-0456' }, { imageType: 'ECS_AL2_NVIDIA' }],
    scalingPolicy: { minScaleDownDelayMinutes: 20 },
  },
};

describe('pick', () => {
  it('copies only the chosen keys and skips undefined values', () => {
    const source = { a: 1, b: undefined as number | undefined, c: 3 };
    const out = pick(source, ['a', 'b'] as const);
    expect(out).toStrictEqual({ a: 1 });
    expect(Object.keys(out)).toEqual(['a']);
  });
});

describe('userTags', () => {
  it('drops aws: keys whatever their case and keeps the rest', () => {
    expect(
      userTags({ team: 'geo', 'aws:cloudformation:stack-name': 's', 'AWS:x': 'y', 'awsome:ok': 'kept' }),
    ).toStrictEqual({
      team: 'geo',
      'awsome:ok': 'kept',
    });
  });

  it('is undefined when nothing is left or nothing was given', () => {
    expect(userTags({ 'aws:cloudformation:stack-name': 's' })).toBeUndefined();
    expect(userTags({})).toBeUndefined();
    expect(userTags(undefined)).toBeUndefined();
  });
});

describe('cloneComputeEnvironment', () => {
  it('builds the Create input from the allow-list: every allowed field, no read-only one', () => {
    expect(cloneComputeEnvironment(describedEc2Ce(), 'reproject-ce-b')).toStrictEqual(EXPECTED_EC2_CREATE);
  });

  it.each([
    'computeEnvironmentArn',
    'ecsClusterArn',
    'status',
    'statusReason',
    'uuid',
    'containerOrchestrationType',
    'updatePolicy',
    'context',
    'newReadOnlyThing',
  ])('drops the top-level field %s', (field) => {
    expect(cloneComputeEnvironment(describedEc2Ce(), 'reproject-ce-b')).not.toHaveProperty(field);
  });

  it('drops desiredvCpus, batchImageStatus and unknown nested fields', () => {
    const resources = cloneComputeEnvironment(describedEc2Ce(), 'reproject-ce-b').computeResources;
    expect(resources).not.toHaveProperty('desiredvCpus');
    expect(resources).not.toHaveProperty('newReadOnlyThing');
    expect(resources?.launchTemplate).not.toHaveProperty('newReadOnlyThing');
    for (const config of resources?.ec2Configuration ?? []) {
      expect(config).not.toHaveProperty('batchImageStatus');
      expect(config).not.toHaveProperty('newReadOnlyThing');
    }
    expect(JSON.stringify(resources)).not.toContain('LATEST');
  });

  it('always creates the CE ENABLED, whatever the source state', () => {
    for (const state of ['ENABLED', 'DISABLED'] as const) {
      expect(cloneComputeEnvironment({ ...describedEc2Ce(), state }, 'x').state).toBe('ENABLED');
    }
  });

  it('omits tags when only aws: tags were present', () => {
    const source = { ...describedEc2Ce(), tags: { 'aws:cloudformation:stack-name': 'geo-stack' } };
    expect(cloneComputeEnvironment(source, 'x')).not.toHaveProperty('tags');
  });

  it('omits tags when the source has none', () => {
    const { tags: _tags, ...source } = describedEc2Ce();
    expect(cloneComputeEnvironment(source, 'x')).not.toHaveProperty('tags');
  });

  it.each(['FARGATE', 'FARGATE_SPOT'] as const)('drops every EC2-only field from a %s CE', (type) => {
    const source: ComputeEnvironmentDetail = {
      computeEnvironmentName: 'fargate-ce-a',
      computeEnvironmentArn: CE_ARN,
      type: 'MANAGED',
      state: 'ENABLED',
      status: 'VALID',
      serviceRole: SERVICE_ROLE,
      computeResources: {
        type,
        maxvCpus: 32,
        minvCpus: 0,
        desiredvCpus: 0,
        subnets: ['subnet-1'],
        securityGroupIds: ['sg-1'],
        allocationStrategy: 'BEST_FIT',
        instanceTypes: ['c6i.large'],
        imageId: 'ami-1',
        ec2KeyPair: 'k',
        instanceRole: 'r',
        tags: { Name: 'n' },
        placementGroup: 'pg',
        bidPercentage: 50,
        spotIamFleetRole: 'role',
        launchTemplate: { launchTemplateName: 'lt', version: '1' },
        ec2Configuration: [{ imageType: 'ECS_AL2023' }],
      },
    };
    expect(cloneComputeEnvironment(source, 'fargate-ce-b')).toStrictEqual({
      computeEnvironmentName: 'fargate-ce-b',
      type: 'MANAGED',
      state: 'ENABLED',
      serviceRole: SERVICE_ROLE,
      computeResources: { type, maxvCpus: 32, subnets: ['subnet-1'], securityGroupIds: ['sg-1'] },
    });
  });

  // Regression (src/core/clone.ts EC2_ONLY_FIELDS): the model says of ComputeResource.scalingPolicy "This parameter isn't
  // applicable to jobs that are running on Fargate resources. Don't specify it.", yet it is not in EC2_ONLY_FIELDS,
  // so a Fargate CE's scalingPolicy is carried into the Create input.
  it('drops scalingPolicy from a Fargate CE (the model says "Don\'t specify it" for Fargate)', () => {
    const source: ComputeEnvironmentDetail = {
      computeEnvironmentName: 'fargate-ce-a',
      computeEnvironmentArn: CE_ARN,
      type: 'MANAGED',
      computeResources: {
        type: 'FARGATE',
        maxvCpus: 32,
        subnets: ['subnet-1'],
        securityGroupIds: ['sg-1'],
        scalingPolicy: { minScaleDownDelayMinutes: 20 },
      },
    };
    expect(cloneComputeEnvironment(source, 'fargate-ce-b').computeResources).not.toHaveProperty('scalingPolicy');
  });

  it('keeps unmanagedvCpus for an UNMANAGED CE', () => {
    const source: ComputeEnvironmentDetail = {
      computeEnvironmentName: 'byo-a',
      computeEnvironmentArn: CE_ARN,
      ecsClusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/byo',
      type: 'UNMANAGED',
      state: 'ENABLED',
      status: 'VALID',
      unmanagedvCpus: 24,
      serviceRole: SERVICE_ROLE,
    };
    expect(cloneComputeEnvironment(source, 'byo-b')).toStrictEqual({
      computeEnvironmentName: 'byo-b',
      type: 'UNMANAGED',
      state: 'ENABLED',
      unmanagedvCpus: 24,
      serviceRole: SERVICE_ROLE,
    });
  });

  it('does not carry unmanagedvCpus for a MANAGED CE', () => {
    const source = { ...describedEc2Ce(), unmanagedvCpus: 8 };
    expect(cloneComputeEnvironment(source, 'x')).not.toHaveProperty('unmanagedvCpus');
  });

  it('keeps an EKS configuration with only its two Create members', () => {
    const source: ComputeEnvironmentDetail = {
      computeEnvironmentName: 'eks-a',
      computeEnvironmentArn: CE_ARN,
      type: 'MANAGED',
      containerOrchestrationType: 'EKS',
      eksConfiguration: withFutureField({
        eksClusterArn: `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/geo`,
        kubernetesNamespace: 'batch',
      }),
      computeResources: {
        type: 'EC2',
        maxvCpus: 16,
        subnets: ['subnet-1'],
        launchTemplate: { launchTemplateName: 'eks-lt-a', version: '4', userdataType: 'EKS_NODEADM' },
        ec2Configuration: [{ imageType: 'EKS_AL2023', imageKubernetesVersion: '1.31', batchImageStatus: 'LATEST' }],
      },
    };
    expect(cloneComputeEnvironment(source, 'eks-b')).toStrictEqual({
      computeEnvironmentName: 'eks-b',
      type: 'MANAGED',
      state: 'ENABLED',
      eksConfiguration: { eksClusterArn: `arn:aws:eks:us-east-1:${ACCOUNT}:cluster/geo`, kubernetesNamespace: 'batch' },
      computeResources: {
        type: 'EC2',
        maxvCpus: 16,
        subnets: ['subnet-1'],
        launchTemplate: { launchTemplateName: 'eks-lt-a', version: '4', userdataType: 'EKS_NODEADM' },
        ec2Configuration: [{ imageType: 'EKS_AL2023', imageKubernetesVersion: '1.31' }],
      },
    });
  });

  // Regression (src/core/clone.ts cloneComputeEnvironment): the installed @aws-sdk/client-batch (3.1138.0) models
  // `ecsSettings` on both ComputeEnvironmentDetail and CreateComputeEnvironmentRequest, but the clone never copies
  // it, so B silently loses A's Container Insights setting.
  it('carries ecsSettings, which CreateComputeEnvironment accepts', () => {
    const source = { ...describedEc2Ce(), ecsSettings: { containerInsights: 'ENABLED' as const } };
    expect(cloneComputeEnvironment(source, 'x').ecsSettings).toStrictEqual({ containerInsights: 'ENABLED' });
  });

  it('does not mutate its input', () => {
    const source = describedEc2Ce();
    const before = structuredClone(source);
    cloneComputeEnvironment(source, 'reproject-ce-b');
    expect(source).toStrictEqual(before);
    expect(source.computeResources?.ec2Configuration?.[0]).toHaveProperty('batchImageStatus', 'LATEST');
    expect(source.computeResources).toHaveProperty('desiredvCpus', 48);
  });
});

describe('cloneComputeResources', () => {
  it('keeps only the launch template fields Create accepts', () => {
    const out = cloneComputeResources({
      type: 'EC2',
      maxvCpus: 4,
      launchTemplate: withFutureField<LaunchTemplateSpec>({
        launchTemplateName: 'lt-a',
        version: '7',
        userdataType: 'EKS_BOOTSTRAP_SH',
      }),
    });
    expect(out).toStrictEqual({
      type: 'EC2',
      maxvCpus: 4,
      launchTemplate: { launchTemplateName: 'lt-a', version: '7', userdataType: 'EKS_BOOTSTRAP_SH' },
    });
  });
});

function describedQueue(): JobQueueDetail {
  return withFutureField<JobQueueDetail>({
    jobQueueName: 'reproject-a',
    jobQueueArn: `arn:aws:batch:us-east-1:${ACCOUNT}:job-queue/reproject-a`,
    state: 'ENABLED',
    status: 'VALID',
    statusReason: 'JobQueue Healthy',
    priority: 10,
    schedulingPolicyArn: `arn:aws:batch:us-east-1:${ACCOUNT}:scheduling-policy/fair`,
    jobQueueType: 'ECS',
    computeEnvironmentOrder: [
      withFutureField({ order: 1, computeEnvironment: CE_ARN }),
      { order: 2, computeEnvironment: `arn:aws:batch:us-east-1:${ACCOUNT}:compute-environment/shared-ce-a` },
    ],
    jobStateTimeLimitActions: [
      withFutureField({
        reason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY',
        state: 'RUNNABLE' as const,
        maxTimeSeconds: 3600,
        action: 'CANCEL' as const,
      }),
    ],
    tags: { team: 'geo', 'aws:cloudformation:stack-name': 'geo-stack' },
  });
}

describe('cloneJobQueue', () => {
  it('builds the Create input from the allow-list', () => {
    expect(cloneJobQueue(describedQueue(), 'reproject-b')).toStrictEqual({
      jobQueueName: 'reproject-b',
      priority: 10,
      state: 'ENABLED',
      schedulingPolicyArn: `arn:aws:batch:us-east-1:${ACCOUNT}:scheduling-policy/fair`,
      jobQueueType: 'ECS',
      computeEnvironmentOrder: [
        { order: 1, computeEnvironment: CE_ARN },
        { order: 2, computeEnvironment: `arn:aws:batch:us-east-1:${ACCOUNT}:compute-environment/shared-ce-a` },
      ],
      jobStateTimeLimitActions: [
        {
          reason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY',
          state: 'RUNNABLE',
          maxTimeSeconds: 3600,
          action: 'CANCEL',
        },
      ],
      tags: { team: 'geo' },
    });
  });

  it.each(['jobQueueArn', 'status', 'statusReason', 'newReadOnlyThing'])('drops %s', (field) => {
    expect(cloneJobQueue(describedQueue(), 'reproject-b')).not.toHaveProperty(field);
  });

  it('omits optional fields the source does not have, and empty tags', () => {
    const source: JobQueueDetail = {
      jobQueueName: 'q-a',
      jobQueueArn: 'arn:aws:batch:us-east-1:123456789012:job-queue/q-a',
      state: 'DISABLED',
      priority: 1,
      computeEnvironmentOrder: [],
      jobStateTimeLimitActions: [],
      tags: { 'aws:cloudformation:logical-id': 'Q' },
    };
    expect(cloneJobQueue(source, 'q-b')).toStrictEqual({
      jobQueueName: 'q-b',
      priority: 1,
      state: 'DISABLED',
    });
  });

  it('copies a serviceEnvironmentOrder, and then sets no computeEnvironmentOrder (a queue cannot have both)', () => {
    const serviceEnvironment = 'arn:aws:batch:us-east-1:123456789012:service-environment/training';
    const source: JobQueueDetail = {
      jobQueueName: 'train-a',
      jobQueueArn: 'arn:aws:batch:us-east-1:123456789012:job-queue/train-a',
      state: 'ENABLED',
      priority: 5,
      jobQueueType: 'SAGEMAKER_TRAINING',
      computeEnvironmentOrder: [],
      serviceEnvironmentOrder: [{ order: 1, serviceEnvironment, newReadOnlyThing: 'x' } as never],
    };
    expect(cloneJobQueue(source, 'train-b')).toStrictEqual({
      jobQueueName: 'train-b',
      priority: 5,
      state: 'ENABLED',
      jobQueueType: 'SAGEMAKER_TRAINING',
      serviceEnvironmentOrder: [{ order: 1, serviceEnvironment }],
    });
  });

  it('does not mutate its input', () => {
    const source = describedQueue();
    const before = structuredClone(source);
    const out = cloneJobQueue(source, 'reproject-b');
    expect(source).toStrictEqual(before);
    // The order entries are fresh objects: rewriting B's CE ARNs cannot touch A's detail.
    const first = out.computeEnvironmentOrder?.[0];
    if (first) first.computeEnvironment = 'changed';
    expect(source.computeEnvironmentOrder?.[0]?.computeEnvironment).toBe(CE_ARN);
  });
});

function describedJobDefinition(): JobDefinition {
  return withFutureField<JobDefinition>({
    jobDefinitionName: 'reproject-job-a',
    jobDefinitionArn: `arn:aws:batch:us-east-1:${ACCOUNT}:job-definition/reproject-job-a:4`,
    revision: 4,
    status: 'ACTIVE',
    containerOrchestrationType: 'ECS',
    type: 'container',
    parameters: { input: 's3://in' },
    schedulingPriority: 5,
    containerProperties: { image: 'example.com/reproject:v1', command: ['run', 'Ref::input'] },
    retryStrategy: { attempts: 3 },
    propagateTags: true,
    timeout: { attemptDurationSeconds: 3600 },
    platformCapabilities: ['EC2'],
    consumableResourceProperties: { consumableResourceList: [{ consumableResource: 'licence', quantity: 1 }] },
    tags: { team: 'geo', 'aws:cloudformation:logical-id': 'Job' },
  });
}

describe('cloneJobDefinition', () => {
  it('builds the Register input from the allow-list', () => {
    expect(cloneJobDefinition(describedJobDefinition(), 'reproject-job-b')).toStrictEqual({
      jobDefinitionName: 'reproject-job-b',
      type: 'container',
      parameters: { input: 's3://in' },
      schedulingPriority: 5,
      containerProperties: { image: 'example.com/reproject:v1', command: ['run', 'Ref::input'] },
      retryStrategy: { attempts: 3 },
      propagateTags: true,
      timeout: { attemptDurationSeconds: 3600 },
      platformCapabilities: ['EC2'],
      consumableResourceProperties: { consumableResourceList: [{ consumableResource: 'licence', quantity: 1 }] },
      tags: { team: 'geo' },
    });
  });

  it.each(['jobDefinitionArn', 'revision', 'status', 'containerOrchestrationType', 'newReadOnlyThing'])(
    'drops %s',
    (field) => {
      expect(cloneJobDefinition(describedJobDefinition(), 'reproject-job-b')).not.toHaveProperty(field);
    },
  );

  it('keeps nodeProperties, eksProperties and ecsProperties', () => {
    const source: JobDefinition = {
      jobDefinitionName: 'mnp-a',
      jobDefinitionArn: 'arn',
      revision: 1,
      type: 'multinode',
      nodeProperties: {
        numNodes: 2,
        mainNode: 0,
        nodeRangeProperties: [{ targetNodes: '0:1', container: { image: 'i' } }],
      },
      eksProperties: { podProperties: { containers: [{ image: 'e' }] } },
      ecsProperties: { taskProperties: [{ containers: [{ image: 'c' }] }] },
    };
    expect(cloneJobDefinition(source, 'mnp-b')).toStrictEqual({
      jobDefinitionName: 'mnp-b',
      type: 'multinode',
      nodeProperties: {
        numNodes: 2,
        mainNode: 0,
        nodeRangeProperties: [{ targetNodes: '0:1', container: { image: 'i' } }],
      },
      eksProperties: { podProperties: { containers: [{ image: 'e' }] } },
      ecsProperties: { taskProperties: [{ containers: [{ image: 'c' }] }] },
    });
  });

  it('omits tags when only aws: tags remain', () => {
    const source = { ...describedJobDefinition(), tags: { 'aws:cloudformation:stack-name': 's' } };
    expect(cloneJobDefinition(source, 'x')).not.toHaveProperty('tags');
  });

  it('does not mutate its input', () => {
    const source = describedJobDefinition();
    const before = structuredClone(source);
    cloneJobDefinition(source, 'reproject-job-b');
    expect(source).toStrictEqual(before);
  });
});

function describedLaunchTemplateData(): ResponseLaunchTemplateData {
  return {
    ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
    InstanceType: 'c6i.large',
    UserData: 'TUlNRS1WZXJzaW9uOiAxLjA=',
    MetadataOptions: { State: 'applied', HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' },
    NetworkInterfaces: [
      {
        DeviceIndex: 0,
        Groups: ['sg-1'],
        Ipv6Addresses: [
          { Ipv6Address: '2001:db8::1', IsPrimaryIpv6: true },
          { Ipv6Address: '2001:db8::2', IsPrimaryIpv6: false },
        ],
      },
    ],
    Operator: { Managed: false, HiddenByDefault: false, Principal: 'batch.amazonaws.com' },
    TagSpecifications: [
      { ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'geo' }] },
      {
        ResourceType: 'instance',
        Tags: [
          { Key: 'Name', Value: 'reproject' },
          { Key: 'aws:cloudformation:stack-name', Value: 'geo-stack' },
        ],
      },
      { ResourceType: 'volume', Tags: [{ Key: 'aws:ec2launchtemplate:id', Value: 'lt-0abc' }] },
    ],
    BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 100, VolumeType: 'gp3' } }],
  };
}

describe('cloneLaunchTemplateData', () => {
  it('removes the response-only members and launch-template / aws: tags, keeping everything else', () => {
    expect(cloneLaunchTemplateData(describedLaunchTemplateData())).toStrictEqual({
      ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
      InstanceType: 'c6i.large',
      UserData: 'TUlNRS1WZXJzaW9uOiAxLjA=',
      MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2, HttpEndpoint: 'enabled' },
      NetworkInterfaces: [
        {
          DeviceIndex: 0,
          Groups: ['sg-1'],
          Ipv6Addresses: [{ Ipv6Address: '2001:db8::1' }, { Ipv6Address: '2001:db8::2' }],
        },
      ],
      Operator: { Principal: 'batch.amazonaws.com' },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'reproject' }] }],
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 100, VolumeType: 'gp3' } }],
    });
  });

  it('keeps SecondaryInterfaces, a RequestLaunchTemplateData member the field list once lacked', () => {
    const SecondaryInterfaces = [
      {
        DeviceIndex: 1,
        NetworkCardIndex: 1,
        SecondarySubnetId: 'subnet-2',
        PrivateIpAddressCount: 2,
        DeleteOnTermination: true,
      },
    ];
    const source: ResponseLaunchTemplateData = { ...describedLaunchTemplateData(), SecondaryInterfaces };
    expect(cloneLaunchTemplateData(source)).toHaveProperty('SecondaryInterfaces', SecondaryInterfaces);
  });

  it('removes Operator entirely when it has no Principal', () => {
    const source = { ...describedLaunchTemplateData(), Operator: { Managed: false, HiddenByDefault: true } };
    expect(cloneLaunchTemplateData(source)).not.toHaveProperty('Operator');
  });

  it('removes TagSpecifications when no tag survives the filtering', () => {
    const source: ResponseLaunchTemplateData = {
      ImageId: 'ami-1',
      TagSpecifications: [
        { ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'geo' }] },
        { ResourceType: 'instance', Tags: [{ Key: 'aws:cloudformation:stack-name', Value: 's' }] },
        { ResourceType: 'volume' },
      ],
    };
    expect(cloneLaunchTemplateData(source)).toStrictEqual({ ImageId: 'ami-1' });
  });

  it('does not mutate its input', () => {
    const source = describedLaunchTemplateData();
    const before = structuredClone(source);
    cloneLaunchTemplateData(source);
    expect(source).toStrictEqual(before);
  });

  // Regression (src/core/clone.ts cloneLaunchTemplateData): the data is copied with structuredClone and only known
  // response-only members are deleted, so any field a future EC2 API adds to ResponseLaunchTemplateData is sent
  // back to CreateLaunchTemplate. DESIGN invariant 6 requires an explicit allow-list here as for the Batch shapes.
  it('does not carry an unknown future field over', () => {
    const source = withFutureField(describedLaunchTemplateData());
    expect(cloneLaunchTemplateData(source)).not.toHaveProperty('newReadOnlyThing');
  });
});

describe('isServiceManaged', () => {
  it('is true only for Operator.Managed === true', () => {
    expect(isServiceManaged({ Operator: { Managed: true, Principal: 'eks.amazonaws.com' } })).toBe(true);
    expect(isServiceManaged({ Operator: { Managed: false } })).toBe(false);
    expect(isServiceManaged({ ImageId: 'ami-1' })).toBe(false);
  });
});
