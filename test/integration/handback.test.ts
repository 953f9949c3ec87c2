/**
 * The CloudFormation hand-back against the emulator: a state machine a stack manages names A; plan names its stack,
 * logical id and the new values; after promote, status repeats it until the stack's template names B; and
 * `references.stackOwned: block` blocks. Also the emulator's fix 21 (aws:cloudformation tags, DescribeStackResources
 * by physical id, DefinitionSubstitutions) and model validation of CloudFormation requests.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BatchClient, DescribeJobDefinitionsCommand, DescribeJobQueuesCommand } from '@aws-sdk/client-batch';
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  GetTemplateCommand,
  UpdateStackCommand,
  type TemplateStage,
} from '@aws-sdk/client-cloudformation';
import { DescribeStateMachineCommand, ListTagsForResourceCommand, SFNClient } from '@aws-sdk/client-sfn';

import { createAws, type Aws } from '../../src/aws/clients';
import { plan } from '../../src/services/plan';
import { promote, type PromoteTimings } from '../../src/services/promote';
import { status } from '../../src/services/status';
import { startEmulator, type Emulator } from '../emulator';
import { cliEnv, runCli } from '../support/cli';
import { clientConfig, seedDemoWorkload, type DemoWorkload } from '../support/demo-workload';
import { DEMO_SPEC } from '../support/specs';

jest.setTimeout(180_000);

const TIMINGS: PromoteTimings = {
  graceMs: 500,
  drainTimeoutMs: 60_000,
  pollIntervalMs: 500,
  resourceTimeoutMs: 30_000,
};
const ARN = 'arn:aws:batch:us-east-1:123456789012';
const A_QUEUE = `${ARN}:job-queue/reproject-a`;
const B_QUEUE = `${ARN}:job-queue/reproject-b`;
const B_JOB_DEFINITION = `${ARN}:job-definition/reproject-b:1`;
const STACK = 'reproject-flows';

let emulator: Emulator;
let workload: DemoWorkload;
let aws: Aws;
let cfn: CloudFormationClient;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator();
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(async () => {
  await emulator.reset();
  workload = await seedDemoWorkload({ endpoint: emulator.endpoint });
  aws = createAws({ endpoint: emulator.endpoint, region: 'us-east-1' });
  cfn = new CloudFormationClient(clientConfig(emulator.endpoint));
  dir = mkdtempSync(join(tmpdir(), 'batchctl-handback-'));
});

afterEach(() => {
  aws.destroy();
  cfn.destroy();
});

/** One Batch task submitting `jobDefinition` to `${Queue}`; its job is named like A's job definition on purpose. */
function definition(jobDefinition: string): string {
  return JSON.stringify({
    StartAt: 'Run',
    States: {
      Run: {
        Type: 'Task',
        Resource: 'arn:aws:states:::batch:submitJob.sync',
        Parameters: { JobName: 'reproject', JobQueue: '${Queue}', JobDefinition: jobDefinition },
        End: true,
      },
    },
  });
}

/** The stack as its owner writes it: the queue's ARN built with Fn::Sub and handed in through DefinitionSubstitutions. */
function flowsTemplate(queueName: string, jobDefinition: string): string {
  return JSON.stringify({
    Resources: {
      Flow: {
        Type: 'AWS::StepFunctions::StateMachine',
        Properties: {
          StateMachineName: 'reproject-stacked',
          RoleArn: workload.roleArns.states,
          DefinitionString: definition(jobDefinition),
          DefinitionSubstitutions: {
            Queue: {
              'Fn::Sub': `arn:\${AWS::Partition}:batch:\${AWS::Region}:\${AWS::AccountId}:job-queue/${queueName}`,
            },
          },
        },
      },
    },
  });
}

function specFile(extra = ''): string {
  const file = join(dir, 'reproject.yaml');
  writeFileSync(file, readFileSync(DEMO_SPEC, 'utf8') + extra);
  return file;
}

describe('emulator: what CloudFormation says about the resources it owns (fix 21)', () => {
  it('tags Batch and Step Functions resources, answers DescribeStackResources by physical id, substitutes', async () => {
    const template = {
      Resources: {
        Job: {
          Type: 'AWS::Batch::JobDefinition',
          Properties: {
            JobDefinitionName: 'stacked-job',
            Type: 'container',
            RetryStrategy: { Attempts: 1 },
            ContainerProperties: { Image: 'busybox', Vcpus: 1, Memory: 512 },
          },
        },
        Queue: {
          Type: 'AWS::Batch::JobQueue',
          Properties: {
            JobQueueName: 'stacked-queue',
            Priority: 1,
            ComputeEnvironmentOrder: [{ Order: 1, ComputeEnvironment: workload.computeEnvironmentArn }],
          },
        },
        Flow: JSON.parse(flowsTemplate('reproject-a', workload.jobDefinitionArn)).Resources.Flow,
      },
    };
    const { StackId } = await cfn.send(
      new CreateStackCommand({ StackName: 'owned', TemplateBody: JSON.stringify(template) }),
    );
    const tags = (logicalId: string): Record<string, string> => ({
      'aws:cloudformation:stack-name': 'owned',
      'aws:cloudformation:stack-id': StackId ?? '',
      'aws:cloudformation:logical-id': logicalId,
    });

    const batch = new BatchClient(clientConfig(emulator.endpoint));
    const sfn = new SFNClient(clientConfig(emulator.endpoint));
    try {
      const [queue] =
        (await batch.send(new DescribeJobQueuesCommand({ jobQueues: ['stacked-queue'] }))).jobQueues ?? [];
      expect(queue?.tags).toEqual(tags('Queue'));
      const [job] =
        (await batch.send(new DescribeJobDefinitionsCommand({ jobDefinitionName: 'stacked-job' }))).jobDefinitions ??
        [];
      expect(job?.tags).toEqual(tags('Job'));
      const machine = `arn:aws:states:us-east-1:123456789012:stateMachine:reproject-stacked`;
      const listed = await sfn.send(new ListTagsForResourceCommand({ resourceArn: machine }));
      expect(Object.fromEntries((listed.tags ?? []).map((t) => [t.key, t.value]))).toEqual(tags('Flow'));
      const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: machine }));
      expect(JSON.parse(described.definition ?? '{}').States.Run.Parameters.JobQueue).toBe(A_QUEUE);

      const owner = await cfn.send(new DescribeStackResourcesCommand({ PhysicalResourceId: machine }));
      expect(owner.StackResources?.map((r) => [r.StackName, r.LogicalResourceId, r.PhysicalResourceId])).toContainEqual(
        ['owned', 'Flow', machine],
      );
      await expect(
        cfn.send(new DescribeStackResourcesCommand({ PhysicalResourceId: workload.queueArn })),
      ).rejects.toMatchObject({ name: 'ValidationError', message: `Stack for ${workload.queueArn} does not exist` });
      await expect(
        cfn.send(new DescribeStackResourcesCommand({ StackName: 'owned', PhysicalResourceId: machine })),
      ).rejects.toMatchObject({ name: 'ValidationError' });

      const body = (await cfn.send(new GetTemplateCommand({ StackName: 'owned' }))).TemplateBody ?? '';
      expect(JSON.parse(body)).toEqual(template);
      // Model validation applies to CloudFormation (a query protocol) as to every other service.
      await expect(
        cfn.send(new GetTemplateCommand({ StackName: 'owned', TemplateStage: 'Draft' as TemplateStage })),
      ).rejects.toMatchObject({
        name: 'ValidationError',
        message: expect.stringContaining("Value 'Draft' at 'templateStage'"),
      });
    } finally {
      batch.destroy();
      sfn.destroy();
    }
  });
});

describe('hand-back of a stack-managed state machine', () => {
  it('plan names the stack, logical id and new values; status repeats it after promote until the template names B', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: STACK,
        TemplateBody: flowsTemplate('reproject-a', workload.jobDefinitionArn),
      }),
    );
    const spec = specFile();
    const planPath = join(dir, 'reproject.plan.json');

    const planned = await plan({ aws, specPath: spec, outPath: planPath, toolVersion: 'test' });

    expect(planned.status).toBe('ready');
    expect(planned.plan.handBack?.stacks).toEqual([
      {
        stack: STACK,
        stackId: expect.stringContaining(`:stack/${STACK}/`),
        resources: [
          {
            logicalId: 'Flow',
            kind: 'state machine',
            name: 'reproject-stacked',
            physicalId: 'arn:aws:states:us-east-1:123456789012:stateMachine:reproject-stacked',
            source: 'tags',
            retiredBySwap: false,
          },
        ],
        changes: [
          {
            logicalId: 'Flow',
            resourceType: 'AWS::StepFunctions::StateMachine',
            property: 'DefinitionString',
            before: workload.jobDefinitionArn,
            after: B_JOB_DEFINITION,
          },
          {
            logicalId: 'Flow',
            resourceType: 'AWS::StepFunctions::StateMachine',
            property: 'DefinitionSubstitutions.Queue',
            before: A_QUEUE,
            after: B_QUEUE,
          },
        ],
      },
    ]);
    expect(planned.plan.warnings.filter((w) => w.code === 'StackOwned').map((w) => w.resource)).toEqual([STACK]);
    // Only the stack's state machine: the demo's own state machines and resources belong to no stack.
    expect(planned.plan.blockers).toEqual([]);

    const before = await status(aws, { specPath: spec, planPath, noTerminal: true });
    expect(before.handBack).toBeUndefined();

    await promote({ aws, planPath, retire: false, timings: TIMINGS });
    const after = await status(aws, { specPath: spec, planPath, noTerminal: true });
    expect(after.live?.queue).toBe('reproject-b');
    expect(
      after.handBack?.map((s) => [s.stack, s.changes.map((c) => `${c.property}: ${c.before} → ${c.after}`)]),
    ).toEqual([
      [
        STACK,
        [
          `DefinitionString: ${workload.jobDefinitionArn} → ${B_JOB_DEFINITION}`,
          `DefinitionSubstitutions.Queue: ${A_QUEUE} → ${B_QUEUE}`,
        ],
      ],
    ]);

    const human = await runCli(['status', spec, '--plan', planPath], cliEnv(emulator.endpoint));
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(
      `  stack ${STACK}\n    owns state machine reproject-stacked as Flow (aws:cloudformation tags)\n` +
        `    ~ property DefinitionString of Flow (AWS::StepFunctions::StateMachine): ${workload.jobDefinitionArn} → ${B_JOB_DEFINITION}\n` +
        `    ~ property DefinitionSubstitutions.Queue of Flow (AWS::StepFunctions::StateMachine): ${A_QUEUE} → ${B_QUEUE}\n`,
    );

    // Half the hand-back done: status names only what is left.
    await cfn.send(
      new UpdateStackCommand({
        StackName: STACK,
        TemplateBody: flowsTemplate('reproject-b', workload.jobDefinitionArn),
      }),
    );
    const half = await status(aws, { specPath: spec, planPath, noTerminal: true });
    expect(half.handBack?.flatMap((s) => s.changes.map((c) => c.property))).toEqual(['DefinitionString']);

    await cfn.send(
      new UpdateStackCommand({ StackName: STACK, TemplateBody: flowsTemplate('reproject-b', B_JOB_DEFINITION) }),
    );
    const done = await status(aws, { specPath: spec, planPath, noTerminal: true });
    expect(done.handBack).toBeUndefined();
  });

  it('blocks the plan when the spec says references.stackOwned: block', async () => {
    await cfn.send(
      new CreateStackCommand({
        StackName: STACK,
        TemplateBody: flowsTemplate('reproject-a', workload.jobDefinitionArn),
      }),
    );
    const spec = specFile('references:\n  stackOwned: block\n');

    const planned = await plan({ aws, specPath: spec, outPath: join(dir, 'reproject.plan.json'), toolVersion: 'test' });

    expect(planned.status).toBe('blocked');
    expect(planned.plan.blockers.map((b) => [b.code, b.resource])).toEqual([['StackOwned', STACK]]);
    expect(planned.plan.blockers[0]?.message).toContain('owns state machine reproject-stacked (Flow)');
    expect(planned.plan.warnings.map((w) => w.code)).not.toContain('StackOwned');
  });
});

describe('hand-back of a stack that owns the workload itself', () => {
  it("names the stack's queue, compute environment, launch template and job definition, and each property naming A", async () => {
    const ec2 = new EC2Client(clientConfig(emulator.endpoint));
    const subnets = ((await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? []).slice(0, 1).map((s) => s.SubnetId);
    // moto's CloudFormation handler for compute environments requires SecurityGroupIds.
    const groups = ((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [])
      .slice(0, 1)
      .map((g) => g.GroupId);
    ec2.destroy();
    const template = [
      'Resources:',
      '  Template:',
      '    Type: AWS::EC2::LaunchTemplate',
      '    Properties: {LaunchTemplateName: geo-lt-a, LaunchTemplateData: {ImageId: ami-12c6146b}}',
      '  Compute:',
      '    Type: AWS::Batch::ComputeEnvironment',
      '    Properties:',
      '      ComputeEnvironmentName: geo-ce-a',
      '      Type: MANAGED',
      `      ServiceRole: ${workload.roleArns.service}`,
      '      ComputeResources:',
      '        Type: EC2',
      '        MinvCpus: 0',
      '        MaxvCpus: 8',
      '        InstanceTypes: [m5.large]',
      `        Subnets: [${subnets.join(', ')}]`,
      `        SecurityGroupIds: [${groups.join(', ')}]`,
      `        InstanceRole: ${workload.roleArns.instanceProfile}`,
      '        LaunchTemplate:',
      '          LaunchTemplateId: !Ref Template',
      '          Version: !GetAtt Template.LatestVersionNumber',
      '  Queue:',
      '    Type: AWS::Batch::JobQueue',
      '    Properties:',
      '      JobQueueName: geo-a',
      '      Priority: 1',
      '      ComputeEnvironmentOrder: [{Order: 1, ComputeEnvironment: !Ref Compute}]',
      '  Job:',
      '    Type: AWS::Batch::JobDefinition',
      '    Properties:',
      '      JobDefinitionName: geo-job',
      '      Type: container',
      '      RetryStrategy: {Attempts: 1}',
      '      ContainerProperties: {Image: busybox, Vcpus: 1, Memory: 512}',
      '  Flow:',
      '    Type: AWS::StepFunctions::StateMachine',
      '    Properties:',
      '      StateMachineName: geo-flow',
      `      RoleArn: ${workload.roleArns.states}`,
      '      DefinitionString: !Sub \'{"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::batch:submitJob.sync","Parameters":{"JobName":"geo","JobQueue":"${Queue}","JobDefinition":"${Job}"},"End":true}}}\'',
    ].join('\n');
    await cfn.send(new CreateStackCommand({ StackName: 'geo-stack', TemplateBody: template }));
    const spec = join(dir, 'geo.yaml');
    writeFileSync(
      spec,
      [
        'version: 1',
        'workload: geo',
        'live: {stack: {name: geo-stack, queueLogicalId: Queue}}',
        'stateMachines: {prefix: geo-}',
        'changes: {jobDefinitions: {geo-job: {timeout: {attemptDurationSeconds: 60}}}}',
        '',
      ].join('\n'),
    );

    const planned = await plan({ aws, specPath: spec, outPath: join(dir, 'geo.plan.json'), toolVersion: 'test' });

    const [stack, ...others] = planned.plan.handBack?.stacks ?? [];
    expect(others).toEqual([]);
    expect(stack?.stack).toBe('geo-stack');
    expect(stack?.resources.map((r) => [r.logicalId, r.kind, r.source, r.retiredBySwap])).toEqual([
      ['Queue', 'job queue', 'tags', true],
      ['Compute', 'compute environment', 'tags', true],
      ['Template', 'launch template', 'tags', true],
      ['Job', 'job definition', 'tags', true],
      ['Flow', 'state machine', 'tags', false],
    ]);
    const b = planned.plan.target;
    const jobB = `${ARN}:job-definition/geo-job-b:1`;
    expect(stack?.changes.map((c) => [c.logicalId, c.property, c.before, c.after])).toEqual([
      ['Template', 'LaunchTemplateName', 'geo-lt-a', 'geo-lt-b'],
      ['Compute', 'ComputeEnvironmentName', 'geo-ce-a', 'geo-ce-b'],
      [
        'Compute',
        'ComputeResources.LaunchTemplate.LaunchTemplateId',
        'Ref Template',
        '(the id of launch template geo-lt-b)',
      ],
      ['Compute', 'ComputeResources.LaunchTemplate.Version', 'GetAtt Template.LatestVersionNumber', '1'],
      ['Queue', 'JobQueueName', 'geo-a', 'geo-b'],
      ['Queue', 'ComputeEnvironmentOrder[0].ComputeEnvironment', 'Ref Compute', b.computeEnvironments[0]?.arn],
      ['Job', 'JobDefinitionName', 'geo-job', 'geo-job-b'],
      ['Flow', 'DefinitionString', '${Queue}', b.jobQueue.arn],
      ['Flow', 'DefinitionString', '${Job}', jobB],
    ]);
    expect(planned.plan.warnings.find((w) => w.code === 'StackOwned')?.message).toContain(
      "Queue, Compute, Template, Job are A's and retire deletes them",
    );
  });
});

describe('hand-back of a stack that owns a caller besides Step Functions', () => {
  it('names the stack of an EventBridge rule whose target is A, with the property to change', async () => {
    const template = {
      Resources: {
        Nightly: {
          Type: 'AWS::Events::Rule',
          Properties: {
            Name: 'reproject-nightly',
            ScheduleExpression: 'rate(1 day)',
            State: 'DISABLED',
            Targets: [
              {
                Id: 'reproject',
                Arn: {
                  'Fn::Sub': 'arn:${AWS::Partition}:batch:${AWS::Region}:${AWS::AccountId}:job-queue/reproject-a',
                },
                RoleArn: workload.roleArns.states,
                BatchParameters: { JobDefinition: 'reproject', JobName: 'nightly' },
              },
            ],
          },
        },
      },
    };
    await cfn.send(
      new CreateStackCommand({ StackName: 'reproject-schedules', TemplateBody: JSON.stringify(template) }),
    );

    const planned = await plan({ aws, specPath: specFile(), outPath: join(dir, 'p.json'), toolVersion: 'test' });
    expect(planned.plan.callers?.map((c) => c.id)).toEqual(['rule:default/reproject-nightly#reproject']);
    const stack = planned.plan.handBack?.stacks.find((s) => s.stack === 'reproject-schedules');
    expect(stack?.resources).toEqual([
      expect.objectContaining({
        logicalId: 'Nightly',
        kind: 'EventBridge rule',
        name: 'default/reproject-nightly',
        source: 'stack-resources',
        retiredBySwap: false,
      }),
    ]);
    expect(stack?.changes.map((c) => [c.logicalId, c.property, c.before, c.after])).toEqual([
      ['Nightly', 'Targets[0].Arn', A_QUEUE, B_QUEUE],
      ['Nightly', 'Targets[0].BatchParameters.JobDefinition', 'reproject', 'reproject-b'],
    ]);
  });
});
