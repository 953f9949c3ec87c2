/**
 * Shared fixtures for the core unit tests: a live revision A as discovery would report it, and the spec that
 * changes it. Every builder returns a fresh object, so a test may mutate what it gets.
 */
import type { Spec } from '../../../src/core/spec';
import type { LiveWorkload } from '../../../src/core/workload';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const PLAN_ID = 'p-0123456789ab';

export type Label = 'a' | 'b';

export function batchArnOf(kind: 'job-queue' | 'compute-environment' | 'job-definition', name: string): string {
  return `arn:aws:batch:${REGION}:${ACCOUNT}:${kind}/${name}`;
}

/**
 * Live revision `label` of the "reproject" workload:
 * - queue `reproject-<l>` with two CEs, in queue order shared-ce (order 1) then reproject-ce (order 2);
 * - `reproject-ce-<l>`: DISABLED, has an updatePolicy, uses launch template lt-0abc as `$Latest` (resolved to 3);
 * - `shared-ce-<l>`: ENABLED, no launch template, also used by the queue `other-queue`;
 * - job definitions `reproject-job-<l>` (revision 4) and `tile-job-<l>` (revision 2).
 */
export function liveWorkload(label: Label = 'a'): LiveWorkload {
  const ce = `reproject-ce-${label}`;
  const shared = `shared-ce-${label}`;
  return {
    account: ACCOUNT,
    region: REGION,
    partition: 'aws',
    queue: {
      jobQueueName: `reproject-${label}`,
      jobQueueArn: batchArnOf('job-queue', `reproject-${label}`),
      state: 'ENABLED',
      status: 'VALID',
      statusReason: 'JobQueue Healthy',
      priority: 10,
      schedulingPolicyArn: `arn:aws:batch:${REGION}:${ACCOUNT}:scheduling-policy/fair`,
      computeEnvironmentOrder: [
        { order: 1, computeEnvironment: batchArnOf('compute-environment', shared) },
        { order: 2, computeEnvironment: batchArnOf('compute-environment', ce) },
      ],
      jobStateTimeLimitActions: [
        {
          reason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY',
          state: 'RUNNABLE',
          maxTimeSeconds: 3600,
          action: 'CANCEL',
        },
      ],
      tags: { team: 'geo', 'aws:cloudformation:stack-name': 'geo-stack' },
    },
    computeEnvironments: [
      {
        detail: {
          computeEnvironmentName: ce,
          computeEnvironmentArn: batchArnOf('compute-environment', ce),
          ecsClusterArn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/AWSBatch-${ce}-0f1e`,
          type: 'MANAGED',
          state: 'DISABLED',
          status: 'VALID',
          statusReason: 'ComputeEnvironment Healthy',
          uuid: '6f1b2c3d-0000-4000-8000-000000000001',
          containerOrchestrationType: 'ECS',
          updatePolicy: { terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: 30 },
          serviceRole: `arn:aws:iam::${ACCOUNT}:role/AWSBatchServiceRole`,
          tags: { team: 'geo', 'aws:cloudformation:logical-id': 'ReprojectCE' },
          computeResources: {
            type: 'EC2',
            allocationStrategy: 'BEST_FIT_PROGRESSIVE',
            minvCpus: 0,
            maxvCpus: 128,
            desiredvCpus: 16,
            instanceTypes: ['c6i.large'],
            subnets: ['subnet-1', 'subnet-2'],
            securityGroupIds: ['sg-1'],
            instanceRole: `arn:aws:iam::${ACCOUNT}:instance-profile/ecsInstanceRole`,
            launchTemplate: { launchTemplateId: 'lt-0abc', version: '$Latest' },
            ec2Configuration: [{ imageType: 'ECS_AL2023', batchImageStatus: 'LATEST' }],
          },
        },
        launchTemplateId: 'lt-0abc',
        sharedWith: [],
      },
      {
        detail: {
          computeEnvironmentName: shared,
          computeEnvironmentArn: batchArnOf('compute-environment', shared),
          type: 'MANAGED',
          state: 'ENABLED',
          status: 'VALID',
          serviceRole: `arn:aws:iam::${ACCOUNT}:role/AWSBatchServiceRole`,
          computeResources: {
            type: 'SPOT',
            allocationStrategy: 'SPOT_PRICE_CAPACITY_OPTIMIZED',
            minvCpus: 0,
            maxvCpus: 64,
            desiredvCpus: 4,
            instanceTypes: ['optimal'],
            subnets: ['subnet-1'],
            securityGroupIds: ['sg-1'],
            instanceRole: `arn:aws:iam::${ACCOUNT}:instance-profile/ecsInstanceRole`,
          },
        },
        sharedWith: [batchArnOf('job-queue', 'other-queue')],
      },
    ],
    launchTemplates: [
      {
        id: 'lt-0abc',
        name: `reproject-lt-${label}`,
        version: 3,
        referencedAs: '$Latest',
        data: {
          ImageId: 'resolve:ssm:/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
          UserData: 'TUlNRS1WZXJzaW9uOiAxLjAKc2VjcmV0PWh1bnRlcjI=',
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2, State: 'applied' },
          BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 100, VolumeType: 'gp3' } }],
        },
        tags: { team: 'geo', 'aws:cloudformation:logical-id': 'ReprojectLT' },
      },
    ],
    jobDefinitions: [
      {
        detail: {
          jobDefinitionName: `reproject-job-${label}`,
          jobDefinitionArn: batchArnOf('job-definition', `reproject-job-${label}:4`),
          revision: 4,
          status: 'ACTIVE',
          type: 'container',
          containerOrchestrationType: 'ECS',
          containerProperties: {
            image: 'example.com/reproject:v1',
            command: ['reproject', 'Ref::input'],
            resourceRequirements: [{ type: 'VCPU', value: '2' }],
            environment: [{ name: 'STAGE', value: 'prod' }],
          },
          retryStrategy: { attempts: 2 },
          tags: { team: 'geo', 'aws:cloudformation:logical-id': 'ReprojectJob' },
        },
        activeRevisions: [3, 4],
      },
      {
        detail: {
          jobDefinitionName: `tile-job-${label}`,
          jobDefinitionArn: batchArnOf('job-definition', `tile-job-${label}:2`),
          revision: 2,
          status: 'ACTIVE',
          type: 'container',
          containerProperties: { image: 'example.com/tile:v7', command: ['tile'] },
        },
        activeRevisions: [2],
      },
    ],
  };
}

/** The spec that swaps `liveWorkload(label)`: new AMI, more vCPUs, a new image for reproject-job. */
export function reprojectSpec(label: Label = 'a'): Spec {
  return {
    version: 1,
    workload: 'reproject',
    live: { jobQueue: `reproject-${label}` },
    changes: {
      launchTemplate: { data: { ImageId: 'ami-0new' } },
      computeEnvironment: { computeResources: { maxvCpus: 256 } },
      jobDefinitions: { [`reproject-job-${label}`]: { containerProperties: { image: 'example.com/reproject:v2' } } },
    },
  };
}
