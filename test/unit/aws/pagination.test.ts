/**
 * Every paginated call in src/aws follows the token AWS returns until there is none, requests each page with the
 * previous page's token, and concatenates the results. Paginators: botocore paginators-1.json of each service
 * (aws-facts [S1][S3]); IAM's Marker/IsTruncated: IAM API reference, SimulatePrincipalPolicy.
 */
import nock from 'nock';

import { awsAtNock, batchCall, queryCall, useNock, XML } from './wire';

useNock();

/** Two pages through a JSON API: the first request has no token, the second carries `t-2`. */
function jsonPages(
  call: (body: (b: Record<string, unknown>) => boolean) => nock.Interceptor,
  tokenKey: string,
  page1: Record<string, unknown>,
  page2: Record<string, unknown>,
): nock.Scope[] {
  return [
    call((b) => b[tokenKey] === undefined).reply(200, { ...page1, [tokenKey]: 't-2' }),
    call((b) => b[tokenKey] === 't-2').reply(200, page2),
  ];
}

const batch = (operation: string) => (where: (b: Record<string, unknown>) => boolean) =>
  batchCall(operation, (b: Record<string, unknown>) => where(b));
const sfn = (operation: string) => (where: (b: Record<string, unknown>) => boolean) =>
  nock('http://aws.test')
    .matchHeader('x-amz-target', `AWSStepFunctions.${operation}`)
    .post('/', (b: Record<string, unknown>) => where(b));

function allDone(scopes: nock.Scope[]): void {
  expect(scopes.every((s) => s.isDone())).toBe(true);
  expect(nock.pendingMocks()).toEqual([]);
}

describe('Batch', () => {
  it('DescribeJobQueues', async () => {
    const scopes = jsonPages(
      batch('DescribeJobQueues'),
      'nextToken',
      { jobQueues: [{ jobQueueName: 'a' }] },
      {
        jobQueues: [{ jobQueueName: 'b' }],
      },
    );
    const queues = await awsAtNock().batch.describeJobQueues();
    expect(queues.map((q) => q.jobQueueName)).toEqual(['a', 'b']);
    allDone(scopes);
  });

  it('DescribeComputeEnvironments', async () => {
    const scopes = jsonPages(
      batch('DescribeComputeEnvironments'),
      'nextToken',
      { computeEnvironments: [{ computeEnvironmentName: 'a', computeEnvironmentArn: 'arn:a', ecsClusterArn: 'c' }] },
      { computeEnvironments: [{ computeEnvironmentName: 'b', computeEnvironmentArn: 'arn:b', ecsClusterArn: 'c' }] },
    );
    const ces = await awsAtNock().batch.describeComputeEnvironments();
    expect(ces.map((c) => c.computeEnvironmentName)).toEqual(['a', 'b']);
    allDone(scopes);
  });

  it('DescribeJobDefinitions', async () => {
    const def = (revision: number) => ({
      jobDefinitionName: 'jd',
      jobDefinitionArn: `arn:aws:batch:us-east-1:123456789012:job-definition/jd:${revision}`,
      revision,
      type: 'container',
    });
    const scopes = jsonPages(
      batch('DescribeJobDefinitions'),
      'nextToken',
      { jobDefinitions: [def(1)] },
      {
        jobDefinitions: [def(2)],
      },
    );
    const defs = await awsAtNock().batch.describeJobDefinitions({ name: 'jd', status: 'ACTIVE' });
    expect(defs.map((d) => d.revision)).toEqual([1, 2]);
    allDone(scopes);
  });

  it('ListJobs, and with a limit it stops at the first page that reaches it', async () => {
    const job = (id: string) => ({ jobId: id, jobName: id });
    const scopes = jsonPages(
      batch('ListJobs'),
      'nextToken',
      { jobSummaryList: [job('1'), job('2')] },
      {
        jobSummaryList: [job('3')],
      },
    );
    const aws = awsAtNock();
    const jobs = await aws.batch.listJobs('q', 'RUNNING');
    expect(jobs.map((j) => j.jobId)).toEqual(['1', '2', '3']);
    allDone(scopes);

    const first = batchCall('ListJobs').reply(200, { jobSummaryList: [job('1'), job('2')], nextToken: 't-2' });
    const limited = await aws.batch.listJobs('q', 'RUNNING', 2);
    expect(limited.map((j) => j.jobId)).toEqual(['1', '2']);
    allDone([first]);
  });
});

describe('Step Functions', () => {
  const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:sm';

  it('ListStateMachines', async () => {
    const item = (name: string) => ({ name, stateMachineArn: `${SM}-${name}`, type: 'STANDARD', creationDate: 1 });
    const scopes = jsonPages(
      sfn('ListStateMachines'),
      'nextToken',
      { stateMachines: [item('a')] },
      {
        stateMachines: [item('b')],
      },
    );
    const machines = await awsAtNock().sfn.listStateMachines();
    expect(machines.map((m) => m.name)).toEqual(['a', 'b']);
    allDone(scopes);
  });

  it('ListExecutions', async () => {
    const item = (name: string) => ({
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:sm:${name}`,
      stateMachineArn: SM,
      name,
      status: 'RUNNING',
      startDate: 1,
    });
    const scopes = jsonPages(
      sfn('ListExecutions'),
      'nextToken',
      { executions: [item('a')] },
      {
        executions: [item('b')],
      },
    );
    const executions = await awsAtNock().sfn.listExecutions(SM, 'RUNNING');
    expect(executions.map((e) => e.name)).toEqual(['a', 'b']);
    allDone(scopes);
  });

  it('ListStateMachineAliases', async () => {
    const item = (name: string) => ({ stateMachineAliasArn: `${SM}:${name}`, creationDate: 1 });
    const scopes = jsonPages(
      sfn('ListStateMachineAliases'),
      'nextToken',
      { stateMachineAliases: [item('live')] },
      {
        stateMachineAliases: [item('canary')],
      },
    );
    const aliases = await awsAtNock().sfn.listStateMachineAliases(SM);
    expect(aliases.map((a) => a.stateMachineAliasArn)).toEqual([`${SM}:live`, `${SM}:canary`]);
    allDone(scopes);
  });
});

describe('query protocols', () => {
  it('EC2 DescribeLaunchTemplates (NextToken)', async () => {
    const page = (id: string, next?: string) =>
      `<DescribeLaunchTemplatesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><launchTemplates><item><launchTemplateId>${id}</launchTemplateId><launchTemplateName>${id}</launchTemplateName></item></launchTemplates>${next ? `<nextToken>${next}</nextToken>` : ''}</DescribeLaunchTemplatesResponse>`;
    const scopes = [
      queryCall('DescribeLaunchTemplates', (f) => !f.has('NextToken')).reply(200, page('lt-1', 't-2'), XML),
      queryCall('DescribeLaunchTemplates', (f) => f.get('NextToken') === 't-2').reply(200, page('lt-2'), XML),
    ];
    const templates = await awsAtNock().ec2.describeLaunchTemplatesById(['lt-1', 'lt-2']);
    expect(templates.map((t) => t.LaunchTemplateId)).toEqual(['lt-1', 'lt-2']);
    allDone(scopes);
  });

  it('EC2 DescribeLaunchTemplates by tag (the tag:<key> filter, NextToken)', async () => {
    const page = (id: string, next?: string) =>
      `<DescribeLaunchTemplatesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><launchTemplates><item><launchTemplateId>${id}</launchTemplateId><launchTemplateName>${id}</launchTemplateName><createTime>2026-11-30T10:00:00.000Z</createTime></item></launchTemplates>${next ? `<nextToken>${next}</nextToken>` : ''}</DescribeLaunchTemplatesResponse>`;
    const tagged = (f: URLSearchParams): boolean =>
      f.get('Filter.1.Name') === 'tag:batchctl:workload' && f.get('Filter.1.Value.1') === 'reproject';
    const scopes = [
      queryCall('DescribeLaunchTemplates', (f) => tagged(f) && !f.has('NextToken')).reply(
        200,
        page('lt-1', 't-2'),
        XML,
      ),
      queryCall('DescribeLaunchTemplates', (f) => tagged(f) && f.get('NextToken') === 't-2').reply(
        200,
        page('lt-2'),
        XML,
      ),
    ];
    const templates = await awsAtNock().ec2.findLaunchTemplatesByTag('batchctl:workload', 'reproject');
    expect(templates.map((t) => [t.LaunchTemplateId, t.CreateTime?.toISOString()])).toEqual([
      ['lt-1', '2026-11-30T10:00:00.000Z'],
      ['lt-2', '2026-11-30T10:00:00.000Z'],
    ]);
    allDone(scopes);
  });

  it('CloudFormation ListStackResources (NextToken)', async () => {
    const page = (logical: string, next?: string) =>
      `<ListStackResourcesResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><ListStackResourcesResult><StackResourceSummaries><member><LogicalResourceId>${logical}</LogicalResourceId><PhysicalResourceId>${logical}-id</PhysicalResourceId><ResourceType>AWS::Batch::JobQueue</ResourceType><LastUpdatedTimestamp>2026-11-30T00:00:00Z</LastUpdatedTimestamp><ResourceStatus>CREATE_COMPLETE</ResourceStatus></member></StackResourceSummaries>${next ? `<NextToken>${next}</NextToken>` : ''}</ListStackResourcesResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListStackResourcesResponse>`;
    const scopes = [
      queryCall('ListStackResources', (f) => f.get('StackName') === 'st' && !f.has('NextToken')).reply(
        200,
        page('QueueA', 't-2'),
        XML,
      ),
      queryCall('ListStackResources', (f) => f.get('NextToken') === 't-2').reply(200, page('QueueB'), XML),
    ];
    const resources = await awsAtNock().cfn.listStackResources('st');
    expect(resources.map((r) => r.LogicalResourceId)).toEqual(['QueueA', 'QueueB']);
    allDone(scopes);
  });

  it('IAM SimulatePrincipalPolicy (Marker while IsTruncated)', async () => {
    const page = (resource: string, decision: string, marker?: string) =>
      `<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult><IsTruncated>${marker ? 'true' : 'false'}</IsTruncated>${marker ? `<Marker>${marker}</Marker>` : ''}<EvaluationResults><member><EvalActionName>batch:SubmitJob</EvalActionName><EvalResourceName>${resource}</EvalResourceName><EvalDecision>${decision}</EvalDecision><MatchedStatements/><MissingContextValues/></member></EvaluationResults></SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>`;
    const queue = 'arn:aws:batch:us-east-1:123456789012:job-queue/q-b';
    const jd = 'arn:aws:batch:us-east-1:123456789012:job-definition/jd-b:1';
    const scopes = [
      queryCall(
        'SimulatePrincipalPolicy',
        (f) =>
          f.get('PolicySourceArn') === 'arn:aws:iam::123456789012:role/sm' &&
          f.get('ActionNames.member.1') === 'batch:SubmitJob' &&
          f.get('ResourceArns.member.2') === jd &&
          !f.has('Marker'),
      ).reply(200, page(queue, 'allowed', 'm-2'), XML),
      queryCall('SimulatePrincipalPolicy', (f) => f.get('Marker') === 'm-2').reply(200, page(jd, 'implicitDeny'), XML),
    ];
    const decisions = await awsAtNock().iam.simulatePrincipalPolicy({
      principalArn: 'arn:aws:iam::123456789012:role/sm',
      actions: ['batch:SubmitJob'],
      resources: [queue, jd],
    });
    expect(decisions).toEqual([
      { action: 'batch:SubmitJob', resource: queue, decision: 'allowed' },
      { action: 'batch:SubmitJob', resource: jd, decision: 'implicitDeny' },
    ]);
    allDone(scopes);
  });
});
