/**
 * Seeds the demo workload into an emulator (or any account): the "reproject" task of seed 002 as revision A —
 * a launch template with a 500 GB encrypted gp3 root volume, a SPOT compute environment (BEST_FIT_PROGRESSIVE)
 * using it, a job queue, a job definition with parameters, environment (one secret-looking value) and
 * GPU/vCPU/memory requirements; a state machine submitting by queue ARN inside a Map (published, with an alias),
 * one submitting by queue name (JSONata), and an unrelated one on another queue.
 * Test tooling: it may use the SDK directly.
 */
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  CreateJobQueueCommand,
  RegisterJobDefinitionCommand,
} from '@aws-sdk/client-batch';
import {
  CreateLaunchTemplateCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateStateMachineAliasCommand, CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const SECRET_VALUE = 'hunter2-db-password-s3cr3t';
export const USER_DATA_SECRET = 'export API_TOKEN=tok-9f8e7d6c5b4a';

export interface DemoWorkload {
  queueArn: string;
  computeEnvironmentArn: string;
  launchTemplateId: string;
  jobDefinitionArn: string;
  otherQueueArn: string;
  stateMachines: { byArn: string; byName: string; unrelated: string };
  aliasArn: string;
  roleArns: { service: string; instanceProfile: string; states: string };
}

export interface SeedOptions {
  endpoint: string;
  /** Container command of the workload's job definition (e.g. ["sleep", "2"] for drain tests). */
  command?: string[];
}

export function clientConfig(endpoint: string) {
  return { endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
}

const assumeRole = (service: string): string =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });

/**
 * The role policy AWS recommends for a state machine that runs Batch jobs with `.sync` (aws-facts §5.1 [S25]):
 * submit, describe and terminate jobs anywhere, plus the EventBridge rule Step Functions manages for `.sync`.
 * The emulator evaluates it (test/emulator/fixes/iam_policies.py): without it every execution's Batch task fails.
 */
export function workflowRolePolicy(region = REGION, account = ACCOUNT): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['batch:SubmitJob', 'batch:DescribeJobs', 'batch:TerminateJob'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        Resource: [`arn:aws:events:${region}:${account}:rule/StepFunctionsGetEventsForBatchJobsRule`],
      },
    ],
  });
}

export function userDataMime(): string {
  const mime = [
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="==BOUNDARY=="',
    '',
    '--==BOUNDARY==',
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    '',
    '#!/bin/bash',
    USER_DATA_SECRET,
    'echo ECS_IMAGE_PULL_BEHAVIOR=prefer-cached >> /etc/ecs/ecs.config',
    '--==BOUNDARY==--',
  ].join('\n');
  return Buffer.from(mime).toString('base64');
}

export function batchStateMachineDefinition(queue: string, jobDefinition: string): string {
  return JSON.stringify(
    {
      Comment: 'Reproject every item of the payload',
      StartAt: 'Fan out',
      States: {
        'Fan out': {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Reproject',
            States: {
              Reproject: {
                Type: 'Task',
                Resource: 'arn:aws:states:::batch:submitJob.sync',
                Parameters: {
                  JobName: 'reproject',
                  JobQueue: queue,
                  JobDefinition: jobDefinition,
                  'Parameters.$': '$.parameters',
                },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    },
    null,
    2,
  );
}

export function jsonataStateMachineDefinition(queue: string, jobDefinition: string): string {
  return JSON.stringify(
    {
      QueryLanguage: 'JSONata',
      StartAt: 'Reproject one',
      States: {
        'Reproject one': {
          Type: 'Task',
          Resource: 'arn:aws:states:::batch:submitJob.sync',
          Arguments: {
            JobName: 'reproject-adhoc',
            JobQueue: queue,
            JobDefinition: jobDefinition,
            // A literal: the emulator cannot evaluate JSONata expressions (it needs a JVM), so executions would fail.
            Parameters: { url: 's3://demo/adhoc' },
          },
          End: true,
        },
      },
    },
    null,
    2,
  );
}

export async function seedDemoWorkload(options: SeedOptions): Promise<DemoWorkload> {
  const config = clientConfig(options.endpoint);
  const iam = new IAMClient(config);
  const ec2 = new EC2Client(config);
  const batch = new BatchClient(config);
  const sfn = new SFNClient(config);
  try {
    const service = await iam.send(
      new CreateRoleCommand({
        RoleName: 'batch-service-role',
        AssumeRolePolicyDocument: assumeRole('batch.amazonaws.com'),
      }),
    );
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'reproject-instance-role',
        AssumeRolePolicyDocument: assumeRole('ec2.amazonaws.com'),
      }),
    );
    const profile = await iam.send(
      new CreateInstanceProfileCommand({ InstanceProfileName: 'reproject-instance-profile' }),
    );
    await iam.send(
      new AddRoleToInstanceProfileCommand({
        InstanceProfileName: 'reproject-instance-profile',
        RoleName: 'reproject-instance-role',
      }),
    );
    const states = await iam.send(
      new CreateRoleCommand({
        RoleName: 'workflow-role',
        AssumeRolePolicyDocument: assumeRole('states.amazonaws.com'),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'workflow-role',
        PolicyName: 'run-batch-jobs',
        PolicyDocument: workflowRolePolicy(),
      }),
    );
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
    const subnetIds = subnets.slice(0, 2).map((s) => s.SubnetId ?? '');
    const securityGroupIds = groups.slice(0, 1).map((g) => g.GroupId ?? '');

    const lt = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'reproject-500gb-a',
        LaunchTemplateData: {
          BlockDeviceMappings: [
            {
              DeviceName: '/dev/xvda',
              Ebs: { VolumeSize: 500, VolumeType: 'gp3', DeleteOnTermination: true, Encrypted: true },
            },
          ],
          UserData: userDataMime(),
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
        },
        TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'geo' }] }],
      }),
    );
    const launchTemplateId = lt.LaunchTemplate?.LaunchTemplateId ?? '';
    const serviceRole = service.Role?.Arn ?? '';
    const instanceProfile = profile.InstanceProfile?.Arn ?? '';
    const ce = await batch.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'reproject-spot-a',
        type: 'MANAGED',
        state: 'ENABLED',
        serviceRole,
        computeResources: {
          type: 'SPOT',
          allocationStrategy: 'BEST_FIT_PROGRESSIVE',
          bidPercentage: 60,
          minvCpus: 0,
          maxvCpus: 256,
          desiredvCpus: 0,
          instanceTypes: ['optimal'],
          subnets: subnetIds,
          securityGroupIds,
          instanceRole: instanceProfile,
          launchTemplate: { launchTemplateId, version: '$Latest' },
          tags: { Name: 'Batch Instance - reproject' },
        },
        tags: { team: 'geo', 'aws:cloudformation:stack-name': 'cirrus-prod' },
      }),
    );
    const queue = await batch.send(
      new CreateJobQueueCommand({
        jobQueueName: 'reproject-a',
        state: 'ENABLED',
        priority: 10,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: ce.computeEnvironmentArn ?? '' }],
        tags: { team: 'geo' },
      }),
    );
    const jd = await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'reproject',
        type: 'container',
        parameters: { url: '' },
        retryStrategy: { attempts: 2 },
        containerProperties: {
          image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/reproject:1.4',
          command: options.command ?? ['cirrus-batch.py', 'process', 'Ref::url'],
          environment: [
            { name: 'BATCH_VAR_1', value: 'some value' },
            { name: 'DB_PASSWORD', value: SECRET_VALUE },
          ],
          resourceRequirements: [
            { type: 'VCPU', value: '32' },
            { type: 'MEMORY', value: '240000' },
            { type: 'GPU', value: '4' },
          ],
        },
        tags: { team: 'geo' },
      }),
    );

    const otherCe = await batch.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'reports-ondemand',
        type: 'MANAGED',
        state: 'ENABLED',
        serviceRole,
        computeResources: {
          type: 'EC2',
          allocationStrategy: 'BEST_FIT_PROGRESSIVE',
          minvCpus: 0,
          maxvCpus: 16,
          instanceTypes: ['m5.large'],
          subnets: subnetIds,
          securityGroupIds,
          instanceRole: instanceProfile,
        },
      }),
    );
    const otherQueue = await batch.send(
      new CreateJobQueueCommand({
        jobQueueName: 'reports',
        state: 'ENABLED',
        priority: 1,
        computeEnvironmentOrder: [{ order: 1, computeEnvironment: otherCe.computeEnvironmentArn ?? '' }],
      }),
    );
    const report = await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'nightly-report',
        type: 'container',
        containerProperties: {
          image: 'busybox',
          command: ['echo', 'report'],
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '512' },
          ],
        },
      }),
    );

    const roleArn = states.Role?.Arn ?? '';
    const byArn = await sfn.send(
      new CreateStateMachineCommand({
        name: 'reproject-workflow',
        roleArn,
        definition: batchStateMachineDefinition(queue.jobQueueArn ?? '', jd.jobDefinitionArn ?? ''),
        publish: true,
        versionDescription: 'v1',
      }),
    );
    const alias = await sfn.send(
      new CreateStateMachineAliasCommand({
        name: 'live',
        routingConfiguration: [{ stateMachineVersionArn: byArn.stateMachineVersionArn ?? '', weight: 100 }],
      }),
    );
    const byName = await sfn.send(
      new CreateStateMachineCommand({
        name: 'reproject-adhoc',
        roleArn,
        definition: jsonataStateMachineDefinition('reproject-a', 'reproject'),
      }),
    );
    const unrelated = await sfn.send(
      new CreateStateMachineCommand({
        name: 'nightly-report',
        roleArn,
        definition: batchStateMachineDefinition(otherQueue.jobQueueArn ?? '', report.jobDefinitionArn ?? ''),
      }),
    );
    return {
      queueArn: queue.jobQueueArn ?? '',
      computeEnvironmentArn: ce.computeEnvironmentArn ?? '',
      launchTemplateId,
      jobDefinitionArn: jd.jobDefinitionArn ?? '',
      otherQueueArn: otherQueue.jobQueueArn ?? '',
      stateMachines: {
        byArn: byArn.stateMachineArn ?? '',
        byName: byName.stateMachineArn ?? '',
        unrelated: unrelated.stateMachineArn ?? '',
      },
      aliasArn: alias.stateMachineAliasArn ?? '',
      roleArns: { service: serviceRole, instanceProfile, states: roleArn },
    };
  } finally {
    for (const c of [iam, ec2, batch, sfn]) c.destroy();
  }
}
