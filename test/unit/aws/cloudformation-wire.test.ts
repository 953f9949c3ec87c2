/**
 * The CloudFormation calls of the hand-back, answered as CloudFormation does on its query protocol
 * (API_DescribeStackResources, API_GetTemplate; errors as <ErrorResponse><Error><Code>): DescribeStackResources by
 * physical id answers ValidationError "Stack for <id> does not exist" for a resource no stack owns; a deleted stack is
 * ValidationError "Stack with id <name> does not exist"; throttling is `Throttling` "Rate exceeded", which the SDK
 * retries (aws-facts §2.4).
 */
import { findStackOwners } from '../../../src/services/stack-ownership';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';

import { createCfnApi } from '../../../src/aws/cloudformation';
import { RateLimiter } from '../../../src/lib/rate-limiter';
import { collectHandBack } from '../../../src/services/handback';
import { pendingHandBack } from '../../../src/services/handback-status';
import { awsAtNock, ENDPOINT, queryCall, rejectionOf, useNock, XML } from './wire';

useNock();

const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const STACK_ID = 'arn:aws:cloudformation:us-east-1:123456789012:stack/flows/0d2c6a10-0000-4000-8000-000000000000';
const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:reproject-stacked';

function cfnError(code: string, message: string): string {
  return `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>7f1e0000-0000-4000-8000-000000000000</RequestId></ErrorResponse>`;
}

function resourceXml(logical: string, physical: string, type: string): string {
  return `<member><StackName>flows</StackName><StackId>${STACK_ID}</StackId><LogicalResourceId>${logical}</LogicalResourceId><PhysicalResourceId>${physical}</PhysicalResourceId><ResourceType>${type}</ResourceType><Timestamp>2026-11-30T00:00:00Z</Timestamp><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>`;
}

function describeStackResources(...members: string[]): string {
  return `<DescribeStackResourcesResponse xmlns="${NS}"><DescribeStackResourcesResult><StackResources>${members.join('')}</StackResources></DescribeStackResourcesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeStackResourcesResponse>`;
}

describe('DescribeStackResources by physical id', () => {
  it('sends only PhysicalResourceId and picks the resource asked about among the stack’s', async () => {
    const scope = queryCall(
      'DescribeStackResources',
      (form) => form.get('PhysicalResourceId') === MACHINE && !form.has('StackName'),
    ).reply(
      200,
      describeStackResources(
        resourceXml('Role', 'flows-Role-1X2Y', 'AWS::IAM::Role'),
        resourceXml('Flow', MACHINE, 'AWS::StepFunctions::StateMachine'),
      ),
      XML,
    );
    await expect(awsAtNock().cfn.stackOwning(MACHINE)).resolves.toEqual({
      stackName: 'flows',
      stackId: STACK_ID,
      logicalId: 'Flow',
      resourceType: 'AWS::StepFunctions::StateMachine',
    });
    expect(scope.isDone()).toBe(true);
  });

  it('ValidationError "Stack for <id> does not exist": no stack owns it', async () => {
    const scope = queryCall('DescribeStackResources').reply(
      400,
      cfnError('ValidationError', `Stack for ${MACHINE} does not exist`),
      XML,
    );
    await expect(awsAtNock().cfn.stackOwning(MACHINE)).resolves.toBeUndefined();
    expect(scope.isDone()).toBe(true);
  });

  it('any other ValidationError is not taken for "no owner"', async () => {
    queryCall('DescribeStackResources').reply(
      400,
      cfnError('ValidationError', '1 validation error detected: Value at physicalResourceId failed'),
      XML,
    );
    const error = await rejectionOf(awsAtNock().cfn.stackOwning(MACHINE));
    expect(error.name).toBe('ValidationError');
  });

  it('Throttling "Rate exceeded" is retried, and the answer after it counts', async () => {
    const throttled = queryCall('DescribeStackResources').reply(400, cfnError('Throttling', 'Rate exceeded'), XML);
    const answered = queryCall('DescribeStackResources').reply(
      200,
      describeStackResources(resourceXml('Flow', MACHINE, 'AWS::StepFunctions::StateMachine')),
      XML,
    );
    await expect(awsAtNock().cfn.stackOwning(MACHINE)).resolves.toMatchObject({ logicalId: 'Flow' });
    expect(throttled.isDone() && answered.isDone()).toBe(true);
  });
});

describe('pacing', () => {
  it('every CloudFormation call, each page included, takes a token from the run’s limiter first', async () => {
    const page = (token?: string): string =>
      `<ListStackResourcesResponse xmlns="${NS}"><ListStackResourcesResult><StackResourceSummaries></StackResourceSummaries>${token ? `<NextToken>${token}</NextToken>` : ''}</ListStackResourcesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListStackResourcesResponse>`;
    queryCall('ListStackResources', (form) => !form.has('NextToken')).reply(200, page('t1'), XML);
    queryCall('ListStackResources', (form) => form.get('NextToken') === 't1').reply(200, page(), XML);
    queryCall('GetTemplate').reply(
      200,
      `<GetTemplateResponse xmlns="${NS}"><GetTemplateResult><TemplateBody>{}</TemplateBody></GetTemplateResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetTemplateResponse>`,
      XML,
    );
    queryCall('DescribeStackResources').reply(
      400,
      cfnError('ValidationError', `Stack for ${MACHINE} does not exist`),
      XML,
    );
    const limiter = new RateLimiter(100, 100);
    const take = jest.spyOn(limiter, 'take');
    const client = new CloudFormationClient({ endpoint: ENDPOINT, region: 'us-east-1' });
    try {
      const api = createCfnApi(client, limiter);
      await api.listStackResources('flows');
      await api.getTemplate('flows');
      await api.stackOwning(MACHINE);
    } finally {
      client.destroy();
    }
    expect(take).toHaveBeenCalledTimes(4);
  });
});

describe('GetTemplate', () => {
  it('asks for the processed template and returns its body as written', async () => {
    const body = 'Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n';
    const scope = queryCall(
      'GetTemplate',
      (form) => form.get('StackName') === 'flows' && form.get('TemplateStage') === 'Processed',
    ).reply(
      200,
      `<GetTemplateResponse xmlns="${NS}"><GetTemplateResult><TemplateBody>${body}</TemplateBody><StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable></GetTemplateResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetTemplateResponse>`,
      XML,
    );
    await expect(awsAtNock().cfn.getTemplate('flows')).resolves.toBe(body);
    expect(scope.isDone()).toBe(true);
  });
});

describe('ownership lookup', () => {
  it('asks CloudFormation only about resources whose tags are unknown', async () => {
    const scope = queryCall('DescribeStackResources', (form) => form.get('PhysicalResourceId') === MACHINE).reply(
      200,
      describeStackResources(resourceXml('Flow', MACHINE, 'AWS::StepFunctions::StateMachine')),
      XML,
    );
    const owners = await findStackOwners(awsAtNock(), [
      {
        physicalId: 'arn:aws:batch:us-east-1:123456789012:job-queue/reproject-a',
        tags: {
          'aws:cloudformation:stack-name': 'batch',
          'aws:cloudformation:logical-id': 'Queue',
          'aws:cloudformation:stack-id': 'arn:aws:cloudformation:us-east-1:123456789012:stack/batch/1',
        },
      },
      { physicalId: 'arn:aws:batch:us-east-1:123456789012:compute-environment/ce-a', tags: { team: 'geo' } },
      { physicalId: MACHINE },
    ]);
    expect(Object.fromEntries(owners)).toEqual({
      'arn:aws:batch:us-east-1:123456789012:job-queue/reproject-a': {
        stackName: 'batch',
        stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/batch/1',
        logicalId: 'Queue',
        source: 'tags',
      },
      [MACHINE]: { stackName: 'flows', stackId: STACK_ID, logicalId: 'Flow', source: 'stack-resources' },
    });
    expect(scope.isDone()).toBe(true);
  });
});

describe('plan hand-back', () => {
  it('tags that name a deleted stack (a resource it retained) make no hand-back', async () => {
    const gone = cfnError('ValidationError', 'Stack with id retired-stack does not exist');
    const template = queryCall('GetTemplate', (form) => form.get('StackName') === 'retired-stack').reply(
      400,
      gone,
      XML,
    );
    queryCall('ListStackResources').reply(400, gone, XML);
    const handBack = await collectHandBack(
      awsAtNock(),
      [
        {
          kind: 'job queue',
          name: 'reproject-a',
          physicalId: 'arn:aws:batch:us-east-1:123456789012:job-queue/reproject-a',
          retiredBySwap: true,
          tags: { 'aws:cloudformation:stack-name': 'retired-stack', 'aws:cloudformation:logical-id': 'Queue' },
        },
      ],
      [],
      { partition: 'aws', region: 'us-east-1', account: '123456789012' },
    );
    expect(handBack.stacks).toEqual([]);
    expect(template.isDone()).toBe(true);
  });
});

describe('status hand-back', () => {
  const plan = {
    account: '123456789012',
    region: 'us-east-1',
    partition: 'aws',
    target: { jobQueue: { name: 'reproject-b' } },
    handBack: {
      values: [{ from: 'reproject-a', to: 'reproject-b', form: 'name' as const }],
      stacks: [{ stack: 'flows', resources: [], changes: [] }],
    },
  } as unknown as Parameters<typeof pendingHandBack>[1];

  it('a stack deleted since the plan ("Stack with id <name> does not exist") has nothing left to hand back', async () => {
    const gone = cfnError('ValidationError', 'Stack with id flows does not exist');
    queryCall('GetTemplate').reply(400, gone, XML);
    queryCall('ListStackResources').reply(400, gone, XML);
    await expect(pendingHandBack(awsAtNock(), plan, 'reproject-b')).resolves.toEqual([]);
  });

  it('says nothing while A is live: the template is right to name it', async () => {
    await expect(pendingHandBack(awsAtNock(), plan, 'reproject-a')).resolves.toEqual([]);
  });
});
