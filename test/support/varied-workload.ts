/**
 * The shapes real accounts have and the plain demo workload lacks, seeded on top of it (seedDemoWorkload first):
 * - a job definition the spec leaves unchanged (`thumbnail`), submitted to A's queue by its own state machine, so B
 *   shares it with A;
 * - that state machine's role scoped by ARN to the workload's names (`job-queue/reproject-*`,
 *   `job-definition/thumbnail:*`, `job-definition/reproject*`), as careful teams write them;
 * - an EXPRESS state machine submitting to A's queue (no execution history API, aws-facts §8a);
 * - a canary: the alias `live` of reproject-workflow routing 90/10 over two published versions with different
 *   definitions;
 * - A's compute environment shared with the `reports` queue (second in its order), so it is kept at retirement.
 * Each of these hid a defect while the demo had only the happy shape. Test tooling: it may use the SDK directly.
 */
import {
  BatchClient,
  DescribeJobQueuesCommand,
  RegisterJobDefinitionCommand,
  UpdateJobQueueCommand,
} from '@aws-sdk/client-batch';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateStateMachineCommand,
  DescribeStateMachineCommand,
  SFNClient,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';

import { ACCOUNT, REGION, batchStateMachineDefinition, clientConfig, type DemoWorkload } from './demo-workload';

export interface VariedShapes {
  /** The unchanged job definition and the state machine that submits it. */
  thumbnail: { jobDefinitionArn: string; stateMachineArn: string; roleArn: string };
  expressArn: string;
  /** The two versions the alias `live` routes to, and their weights. */
  canary: { routes: { stateMachineVersionArn: string; weight: number }[] };
}

const BATCH = `arn:aws:batch:${REGION}:${ACCOUNT}`;

/** The resources a team scopes its workflow role to: the workload's names, either revision. */
export function scopedSubmitPolicy(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: 'batch:SubmitJob',
        Resource: [
          `${BATCH}:job-queue/reproject-*`,
          `${BATCH}:job-definition/thumbnail:*`,
          `${BATCH}:job-definition/reproject*`,
        ],
      },
      { Effect: 'Allow', Action: ['batch:DescribeJobs', 'batch:TerminateJob'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        Resource: `arn:aws:events:${REGION}:${ACCOUNT}:rule/StepFunctionsGetEventsForBatchJobsRule`,
      },
    ],
  });
}

export async function seedVariedShapes(
  endpoint: string,
  demo: DemoWorkload,
  command?: string[],
): Promise<VariedShapes> {
  const config = clientConfig(endpoint);
  const iam = new IAMClient(config);
  const batch = new BatchClient(config);
  const sfn = new SFNClient(config);
  try {
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'thumbnails-role',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'thumbnails-role',
        PolicyName: 'submit-reproject',
        PolicyDocument: scopedSubmitPolicy(),
      }),
    );
    const thumbnail = await batch.send(
      new RegisterJobDefinitionCommand({
        jobDefinitionName: 'thumbnail',
        type: 'container',
        containerProperties: {
          image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/thumbnail:2.0',
          command: command ?? ['make-thumbnail', 'Ref::url'],
          resourceRequirements: [
            { type: 'VCPU', value: '1' },
            { type: 'MEMORY', value: '2048' },
          ],
        },
      }),
    );
    const thumbnails = await sfn.send(
      new CreateStateMachineCommand({
        name: 'reproject-thumbnails',
        roleArn: role.Role?.Arn ?? '',
        definition: batchStateMachineDefinition(demo.queueArn, thumbnail.jobDefinitionArn ?? ''),
      }),
    );
    const express = await sfn.send(
      new CreateStateMachineCommand({
        name: 'reproject-express',
        type: 'EXPRESS',
        roleArn: demo.roleArns.states,
        // Express workflows support only the request-response integration: no .sync (AWS: service integration
        // patterns), so this one submits and ends.
        definition: batchStateMachineDefinition(demo.queueArn, 'reproject').replace(
          'batch:submitJob.sync',
          'batch:submitJob',
        ),
      }),
    );

    // v2 of reproject-workflow differs from v1 (its comment), and the alias sends it 10 % as a canary.
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: demo.stateMachines.byArn }));
    const v1 = `${demo.stateMachines.byArn}:1`;
    const definition = JSON.parse(described.definition ?? '{}') as Record<string, unknown>;
    const v2 = await sfn.send(
      new UpdateStateMachineCommand({
        stateMachineArn: demo.stateMachines.byArn,
        definition: JSON.stringify(
          { ...definition, Comment: 'Reproject every item of the payload (v2 canary)' },
          null,
          2,
        ),
        publish: true,
        versionDescription: 'v2 canary',
      }),
    );
    const routes = [
      { stateMachineVersionArn: v1, weight: 90 },
      { stateMachineVersionArn: v2.stateMachineVersionArn ?? '', weight: 10 },
    ];
    await sfn.send(
      new UpdateStateMachineAliasCommand({ stateMachineAliasArn: demo.aliasArn, routingConfiguration: routes }),
    );

    // reports falls back on A's compute environment: it must survive every swap of reproject.
    const [reportsCe] = await describeOrder(batch, demo.otherQueueArn);
    await batch.send(
      new UpdateJobQueueCommand({
        jobQueue: demo.otherQueueArn,
        computeEnvironmentOrder: [
          { order: 1, computeEnvironment: reportsCe },
          { order: 2, computeEnvironment: demo.computeEnvironmentArn },
        ],
      }),
    );
    return {
      thumbnail: {
        jobDefinitionArn: thumbnail.jobDefinitionArn ?? '',
        stateMachineArn: thumbnails.stateMachineArn ?? '',
        roleArn: role.Role?.Arn ?? '',
      },
      expressArn: express.stateMachineArn ?? '',
      canary: { routes },
    };
  } finally {
    for (const c of [iam, batch, sfn]) c.destroy();
  }
}

async function describeOrder(batch: BatchClient, queueArn: string): Promise<string[]> {
  const out = await batch.send(new DescribeJobQueuesCommand({ jobQueues: [queueArn] }));
  return (out.jobQueues?.[0]?.computeEnvironmentOrder ?? []).map((o) => o.computeEnvironment ?? '');
}
