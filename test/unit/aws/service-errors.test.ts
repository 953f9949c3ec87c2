/**
 * The errors batchctl branches on reach it under the name AWS gives them: EC2's XML error document and Step
 * Functions' JSON 1.0 `__type`. None of these is retried (they are not throttling or transient).
 */
import { awsAtNock, ec2Error, queryCall, rejectionOf, sfnCall, useNock, XML } from './wire';

useNock();

describe('EC2 XML errors are parsed to their code', () => {
  // EC2 API reference, "Error codes for the Amazon EC2 API" (client errors; HTTP 400).
  it.each([
    [
      'InvalidLaunchTemplateName.AlreadyExistsException',
      'CreateLaunchTemplate',
      'Launch template name already in use.',
      (aws: ReturnType<typeof awsAtNock>) =>
        aws.ec2.createLaunchTemplate({
          LaunchTemplateName: 'lt-b',
          LaunchTemplateData: { ImageId: 'ami-0123456789abcdef0' },
        }),
    ],
    [
      'InvalidLaunchTemplateId.NotFound',
      'DeleteLaunchTemplate',
      'The specified launch template, with template ID lt-0abc, does not exist.',
      (aws: ReturnType<typeof awsAtNock>) => aws.ec2.deleteLaunchTemplate('lt-0abc'),
    ],
    [
      // aws-facts §8a: an empty LaunchTemplateData is dropped by the query protocol and EC2 answers this.
      'MissingParameter',
      'CreateLaunchTemplate',
      'No launch template data was provided. Launch template data is required to create a launch template.',
      (aws: ReturnType<typeof awsAtNock>) =>
        aws.ec2.createLaunchTemplate({ LaunchTemplateName: 'lt-b', LaunchTemplateData: {} }),
    ],
  ])('%s (%s)', async (code, operation, message, call) => {
    const scope = queryCall(operation).times(1).reply(400, ec2Error(code, message), XML);
    const error = await rejectionOf(call(awsAtNock()));
    expect(error.name).toBe(code);
    expect(error.message).toBe(message);
    expect((error.$metadata as { attempts?: number }).attempts).toBe(1);
    expect(scope.isDone()).toBe(true);
  });

  it('an empty LaunchTemplateData really sends no LaunchTemplateData member (why EC2 answers MissingParameter)', async () => {
    let sent: URLSearchParams | undefined;
    queryCall('CreateLaunchTemplate', (form) => {
      sent = form;
      return true;
    }).reply(400, ec2Error('MissingParameter', 'No launch template data was provided.'), XML);
    await rejectionOf(awsAtNock().ec2.createLaunchTemplate({ LaunchTemplateName: 'lt-b', LaunchTemplateData: {} }));
    expect(sent?.get('LaunchTemplateName')).toBe('lt-b');
    expect([...(sent?.keys() ?? [])].filter((k) => k.startsWith('LaunchTemplateData'))).toEqual([]);
  });
});

describe('Step Functions errors are parsed to their __type', () => {
  const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:sm';
  // botocore stepfunctions/2016-11-23 service-2.json: modeled errors of each operation (aws-facts §5.2, §5.3, §8a).
  // Step Functions qualifies __type with its model namespace; the SDK names the error by the part after '#'.
  it.each([
    [
      'StateMachineDoesNotExist',
      400,
      'DescribeStateMachine',
      (aws: ReturnType<typeof awsAtNock>) => aws.sfn.describeStateMachine(SM),
    ],
    [
      // Concurrent publishes (UpdateStateMachine with publish) conflict (aws-facts §5.2).
      'ConflictException',
      409,
      'UpdateStateMachine',
      (aws: ReturnType<typeof awsAtNock>) =>
        aws.sfn.updateStateMachine({ stateMachineArn: SM, definition: '{}', publish: true }),
    ],
    [
      // ListExecutions on an EXPRESS state machine (API_ListExecutions; aws-facts §8a).
      'StateMachineTypeNotSupported',
      400,
      'ListExecutions',
      (aws: ReturnType<typeof awsAtNock>) => aws.sfn.listExecutions(SM, 'RUNNING'),
    ],
    [
      'ValidationException',
      400,
      'UpdateStateMachine',
      (aws: ReturnType<typeof awsAtNock>) => aws.sfn.updateStateMachine({ stateMachineArn: SM, definition: '{}' }),
    ],
  ])('%s', async (type, status, operation, call) => {
    const message = `${type} from ${operation}`;
    const scope = sfnCall(operation)
      .times(1)
      .reply(
        status,
        { __type: `com.amazonaws.swf.service.v2.model#${type}`, message },
        {
          'content-type': 'application/x-amz-json-1.0',
        },
      );
    const error = await rejectionOf(call(awsAtNock()));
    expect(error.name).toBe(type);
    expect(error.message).toBe(message);
    expect((error.$metadata as { attempts?: number }).attempts).toBe(1);
    expect(scope.isDone()).toBe(true);
  });
});
