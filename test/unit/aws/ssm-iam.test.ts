/**
 * The SSM calls the lock stands on and the IAM simulation the role checks read, answered as the services document
 * them: SSM JSON 1.1 errors (botocore ssm/2014-11-06: PutParameter → ParameterAlreadyExists, GetParameter and
 * DeleteParameter → ParameterNotFound; API_PutParameter: without Overwrite the create is refused when the name is
 * taken) and IAM's query-protocol XML (API_SimulatePrincipalPolicy).
 */
import { awsAtNock, jsonError, queryCall, rejectionOf, ssmCall, useNock, XML } from './wire';

useNock();

const NAME = '/batchctl/locks/reproject';

describe('SSM parameters', () => {
  it('createParameter sends PutParameter without overwrite and answers true when created', async () => {
    let sent: Record<string, unknown> | undefined;
    const scope = ssmCall('PutParameter').reply(200, (_uri, body) => {
      // JSON 1.1 is not application/json, so nock hands the body over as text.
      sent = (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown>;
      return { Version: 1, Tier: 'Standard' };
    });
    await expect(
      awsAtNock().ssm.createParameter({
        name: NAME,
        value: '{"plan":"p-1"}',
        tags: { 'batchctl:workload': 'reproject' },
      }),
    ).resolves.toBe(true);
    expect(sent).toEqual({
      Name: NAME,
      Value: '{"plan":"p-1"}',
      Type: 'String',
      // Standard tier: free, and an explicit tier keeps an account's default (Advanced, Intelligent) from applying.
      Tier: 'Standard',
      Overwrite: false,
      Tags: [{ Key: 'batchctl:workload', Value: 'reproject' }],
    });
    expect(scope.isDone()).toBe(true);
  });

  it('PutParameter → ParameterAlreadyExists: createParameter answers false (someone holds the name)', async () => {
    const scope = ssmCall('PutParameter').reply(
      400,
      ...jsonError(
        'ParameterAlreadyExists',
        'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
      ),
    );
    await expect(awsAtNock().ssm.createParameter({ name: NAME, value: 'x' })).resolves.toBe(false);
    expect(scope.isDone()).toBe(true);
  });

  it('GetParameter → ParameterNotFound: getParameter answers undefined', async () => {
    const scope = ssmCall('GetParameter').reply(400, ...jsonError('ParameterNotFound', ''));
    await expect(awsAtNock().ssm.getParameter(NAME)).resolves.toBeUndefined();
    expect(scope.isDone()).toBe(true);
  });

  it('DeleteParameter → ParameterNotFound: deleteParameter answers false', async () => {
    const scope = ssmCall('DeleteParameter').reply(400, ...jsonError('ParameterNotFound', ''));
    await expect(awsAtNock().ssm.deleteParameter(NAME)).resolves.toBe(false);
    expect(scope.isDone()).toBe(true);
  });

  it('any other SSM error is thrown, not taken for "exists" or "missing"', async () => {
    ssmCall('PutParameter').reply(
      400,
      ...jsonError('ParameterLimitExceeded', 'You have exceeded the number of parameters for this AWS account.'),
    );
    const error = await rejectionOf(awsAtNock().ssm.createParameter({ name: NAME, value: 'x' }));
    expect(error.name).toBe('ParameterLimitExceeded');
  });
});

describe('IAM SimulatePrincipalPolicy', () => {
  it('reads each EvaluationResult of the XML answer', async () => {
    const queue = 'arn:aws:batch:us-east-1:123456789012:job-queue/q-b';
    queryCall('SimulatePrincipalPolicy', (f) => f.get('ResourceArns.member.1') === queue).reply(
      200,
      `<SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><SimulatePrincipalPolicyResult><IsTruncated>false</IsTruncated><EvaluationResults><member><EvalActionName>batch:SubmitJob</EvalActionName><EvalResourceName>${queue}</EvalResourceName><EvalDecision>explicitDeny</EvalDecision><MatchedStatements><member><SourcePolicyId>scoped</SourcePolicyId></member></MatchedStatements><MissingContextValues/></member></EvaluationResults></SimulatePrincipalPolicyResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SimulatePrincipalPolicyResponse>`,
      XML,
    );
    await expect(
      awsAtNock().iam.simulatePrincipalPolicy({
        principalArn: 'arn:aws:iam::123456789012:role/sm',
        actions: ['batch:SubmitJob'],
        resources: [queue],
      }),
    ).resolves.toEqual([{ action: 'batch:SubmitJob', resource: queue, decision: 'explicitDeny' }]);
  });

  it('NoSuchEntity (an unknown role) in the query-protocol error document surfaces by name', async () => {
    queryCall('SimulatePrincipalPolicy').reply(
      404,
      `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name gone cannot be found.</Message></Error><RequestId>r</RequestId></ErrorResponse>`,
      XML,
    );
    const error = await rejectionOf(
      awsAtNock().iam.simulatePrincipalPolicy({
        principalArn: 'arn:aws:iam::123456789012:role/gone',
        actions: ['batch:SubmitJob'],
        resources: ['*'],
      }),
    );
    expect(error.name).toBe('NoSuchEntityException');
    expect(error.message).toBe('The role with name gone cannot be found.');
  });
});
