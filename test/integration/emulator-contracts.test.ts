/**
 * Model validation in the AWS emulator (test/emulator/fixes/model_validation.py): every request is checked against
 * the service's botocore model, and a violation is answered with the code and HTTP status the service really uses
 *. One test per contract kind; each also shows the rejection recorded as a violation. Valid, realistic
 * requests must still pass: a false rejection would hide real behaviour from every other test.
 */
import {
  BatchClient,
  CreateComputeEnvironmentCommand,
  type CreateComputeEnvironmentCommandInput,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateComputeEnvironmentCommand,
} from '@aws-sdk/client-batch';
import {
  CreateLaunchTemplateCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
  type VolumeType,
} from '@aws-sdk/client-ec2';
import { CreateInstanceProfileCommand, CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { type ParameterType, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { type Emulator, startEmulator } from '../emulator';

jest.setTimeout(60_000);

const ROLE_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});
const DEFINITION = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });

let emu: Emulator;
let ec2: EC2Client;
let batch: BatchClient;
let sfn: SFNClient;
let ssm: SSMClient;
let iam: IAMClient;

beforeAll(async () => {
  emu = await startEmulator();
  const config = {
    endpoint: emu.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  };
  ec2 = new EC2Client(config);
  batch = new BatchClient(config);
  sfn = new SFNClient(config);
  ssm = new SSMClient(config);
  iam = new IAMClient(config);
});

afterEach(async () => {
  await emu.reset();
});

afterAll(async () => {
  await emu?.stop();
});

interface Rejection {
  name: string;
  message: string;
  status: number | undefined;
}

async function rejection(call: Promise<unknown>): Promise<Rejection> {
  try {
    await call;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('The request was accepted; it should have been rejected.');
}

/** A raw EC2 query-protocol POST, signed only with a credential scope (moto, like our validator, reads the service from it). */
async function ec2Post(params: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(`${emu.endpoint}/`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
      Authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({ Version: '2016-11-15', ...params }).toString(),
  });
  return { status: res.status, text: await res.text() };
}

function xmlCode(text: string): string | undefined {
  return /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
}

describe('EC2 (ec2 query protocol, XML errors)', () => {
  it('an empty LaunchTemplateData (dropped by the wire) is MissingParameter with the text AWS documents', async () => {
    const err = await rejection(
      ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'lock-like', LaunchTemplateData: {} })),
    );
    expect(err).toEqual({
      name: 'MissingParameter',
      message: 'No launch template data was provided. Launch template data is required to create a launch template.',
      status: 400,
    });
    expect(await emu.violations()).toEqual([
      expect.objectContaining({
        operation: 'CreateLaunchTemplate',
        message: expect.stringMatching(/^ec2 MissingParameter: No launch template data was provided/),
      }),
    ]);
  });

  it('a parameter the operation does not have is UnknownParameter', async () => {
    const res = await ec2Post({ Action: 'DescribeLaunchTemplates', LaunchTemplateNames: 'lt-a' });
    expect(res.status).toBe(400);
    expect(xmlCode(res.text)).toBe('UnknownParameter');
    expect(res.text).toMatch(
      /<Response><Errors><Error><Code>UnknownParameter<\/Code><Message>The parameter LaunchTemplateNames is not recognized<\/Message>/,
    );
    expect(res.text).toMatch(/<RequestID>[^<]+<\/RequestID><\/Response>$/);
    // The same request with the name the model gives the list (LaunchTemplateName.N) reaches EC2, which finds nothing.
    const known = await ec2Post({ Action: 'DescribeLaunchTemplates', 'LaunchTemplateName.1': 'lt-a' });
    expect(xmlCode(known.text)).toBe('InvalidLaunchTemplateName.NotFoundException');
    expect((await emu.violations()).map((v) => v.message)).toEqual([
      'ec2 UnknownParameter: The parameter LaunchTemplateNames is not recognized',
    ]);
  });

  it('a value outside the enum, or of the wrong type, is InvalidParameterValue', async () => {
    const badEnum = await rejection(
      ec2.send(
        new CreateLaunchTemplateCommand({
          LaunchTemplateName: 'bad-enum',
          LaunchTemplateData: {
            BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeType: 'gp9' as VolumeType } }],
          },
        }),
      ),
    );
    expect(badEnum).toMatchObject({ name: 'InvalidParameterValue', status: 400 });
    expect(badEnum.message).toContain('LaunchTemplateData.BlockDeviceMapping.1.Ebs.VolumeType');

    const badType = await ec2Post({ Action: 'DescribeLaunchTemplates', MaxResults: 'ten' });
    expect(badType.status).toBe(400);
    expect(xmlCode(badType.text)).toBe('InvalidParameterValue');
    expect((await emu.violations()).map((v) => v.operation)).toEqual([
      'CreateLaunchTemplate',
      'DescribeLaunchTemplates',
    ]);
  });

  it('a realistic CreateLaunchTemplate with nested block devices and tag specifications is accepted', async () => {
    const res = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: 'batch-nodes',
        VersionDescription: 'v1',
        LaunchTemplateData: {
          ImageId: 'ami-12345678',
          InstanceType: 'm5.large',
          UserData: Buffer.from('#!/bin/bash\necho hi\n').toString('base64'),
          BlockDeviceMappings: [
            { DeviceName: '/dev/xvda', Ebs: { VolumeSize: 30, VolumeType: 'gp3', Encrypted: true, Iops: 3000 } },
            { DeviceName: '/dev/xvdb', Ebs: { VolumeSize: 100, DeleteOnTermination: true } },
          ],
          MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 2 },
          TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'team', Value: 'data' }] }],
        },
        TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'owner', Value: 'batchctl' }] }],
      }),
    );
    expect(res.LaunchTemplate?.LaunchTemplateName).toBe('batch-nodes');
    expect(await emu.violations()).toEqual([]);
  });
});

describe('Batch (rest-json, ClientException)', () => {
  it('a missing required member, an enum value that does not exist, and a number out of range are ClientException 400', async () => {
    const missing = await rejection(
      batch.send(
        new CreateComputeEnvironmentCommand({ computeEnvironmentName: 'ce-x' } as CreateComputeEnvironmentCommandInput),
      ),
    );
    expect(missing).toEqual({
      name: 'ClientException',
      message:
        "1 validation error detected: Value null at 'type' failed to satisfy constraint: Member must not be null",
      status: 400,
    });
    const badEnum = await rejection(
      batch.send(
        new CreateComputeEnvironmentCommand({
          computeEnvironmentName: 'ce-x',
          type: 'SERVERLESS' as CreateComputeEnvironmentCommandInput['type'],
        }),
      ),
    );
    expect(badEnum).toMatchObject({ name: 'ClientException', status: 400 });
    expect(badEnum.message).toContain(
      "Value 'SERVERLESS' at 'type' failed to satisfy constraint: Member must satisfy enum value set",
    );
    // updatePolicy.jobExecutionTimeoutMinutes is 1..360 in the model.
    const range = await rejection(
      batch.send(
        new UpdateComputeEnvironmentCommand({
          computeEnvironment: 'ce-x',
          state: 'ENABLED',
          updatePolicy: { jobExecutionTimeoutMinutes: 0 },
        }),
      ),
    );
    expect(range).toMatchObject({ name: 'ClientException', status: 400 });
    expect(range.message).toContain(
      "at 'updatePolicy.jobExecutionTimeoutMinutes' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect((await emu.violations()).map((v) => v.operation)).toEqual([
      'CreateComputeEnvironment',
      'CreateComputeEnvironment',
      'UpdateComputeEnvironment',
    ]);
  });

  it('a realistic MANAGED CreateComputeEnvironment is accepted', async () => {
    const role = await iam.send(
      new CreateRoleCommand({
        RoleName: 'batch-service',
        Path: '/service-role/',
        AssumeRolePolicyDocument: ROLE_POLICY,
        Tags: [{ Key: 'owner', Value: 'batchctl' }], // a query-protocol list of structures: Tags.member.1.Key
      }),
    );
    const profile = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'ecs-instance' }));
    const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
    const groups = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
    await ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: 'nodes', LaunchTemplateData: { ImageId: 'ami-12345678' } }),
    );
    const res = await batch.send(
      new CreateComputeEnvironmentCommand({
        computeEnvironmentName: 'ce-full',
        type: 'MANAGED',
        state: 'ENABLED',
        serviceRole: role.Role?.Arn,
        computeResources: {
          type: 'EC2',
          allocationStrategy: 'BEST_FIT_PROGRESSIVE',
          minvCpus: 0,
          desiredvCpus: 0,
          maxvCpus: 16,
          instanceTypes: ['m5.large', 'c5'],
          subnets: subnets.slice(0, 2).map((s) => s.SubnetId ?? ''),
          securityGroupIds: groups.slice(0, 1).map((g) => g.GroupId ?? ''),
          instanceRole: profile.InstanceProfile?.Arn,
          launchTemplate: { launchTemplateName: 'nodes', version: '$Latest' },
          tags: { team: 'data' },
          ec2Configuration: [{ imageType: 'ECS_AL2023' }],
        },
        tags: { owner: 'batchctl' },
      }),
    );
    expect(res.computeEnvironmentName).toBe('ce-full');
    // An ARN in a URI label (/v1/tags/{resourceArn}, its / encoded) is read whole: the operation is found and checked.
    const tags = await batch.send(new ListTagsForResourceCommand({ resourceArn: res.computeEnvironmentArn }));
    expect(tags.tags).toEqual({ owner: 'batchctl' });
    expect(await emu.violations()).toEqual([]);
    const noTags = await rejection(
      batch.send(new TagResourceCommand({ resourceArn: res.computeEnvironmentArn, tags: {} })),
    );
    expect(noTags).toMatchObject({ name: 'ClientException', status: 400 });
    expect(noTags.message).toContain(
      "at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect((await emu.violations()).map((v) => v.operation)).toEqual(['TagResource']);
  });
});

describe('Step Functions (json 1.0, ValidationException)', () => {
  it('a name longer than the model allows is ValidationException in AWS words', async () => {
    const err = await rejection(
      sfn.send(
        new CreateStateMachineCommand({
          name: 'n'.repeat(81),
          definition: DEFINITION,
          roleArn: 'arn:aws:iam::123456789012:role/sfn',
        }),
      ),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(
      /^1 validation error detected: Value 'n+\.\.\.' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80$/,
    );
    const range = await rejection(sfn.send(new ListExecutionsCommand({ maxResults: 1001 })));
    expect(range).toMatchObject({ name: 'ValidationException', status: 400 });
    expect((await emu.violations()).map((v) => v.operation)).toEqual(['CreateStateMachine', 'ListExecutions']);
  });

  it('a realistic CreateStateMachine is accepted', async () => {
    const res = await sfn.send(
      new CreateStateMachineCommand({
        name: 'flow',
        type: 'STANDARD',
        definition: DEFINITION,
        roleArn: 'arn:aws:iam::123456789012:role/sfn',
        loggingConfiguration: { level: 'OFF', includeExecutionData: false },
        tracingConfiguration: { enabled: false },
        tags: [{ key: 'owner', value: 'batchctl' }],
        publish: true,
        versionDescription: 'first',
      }),
    );
    expect(res.stateMachineArn).toMatch(/:stateMachine:flow$/);
    expect(await emu.violations()).toEqual([]);
  });
});

describe('SSM (json 1.1) and IAM (query)', () => {
  it('SSM answers ValidationException for a value outside the enum', async () => {
    const err = await rejection(
      ssm.send(new PutParameterCommand({ Name: '/batchctl/x', Value: 'v', Type: 'Text' as ParameterType })),
    );
    expect(err).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(err.message).toContain(
      "Value 'Text' at 'type' failed to satisfy constraint: Member must satisfy enum value set",
    );
    await ssm.send(new PutParameterCommand({ Name: '/batchctl/x', Value: 'v', Type: 'String', Overwrite: false }));
    expect((await emu.violations()).map((v) => v.operation)).toEqual(['PutParameter']);
  });

  it('IAM answers ValidationError (Sender) for a role name too long or outside its pattern', async () => {
    const err = await rejection(
      iam.send(new CreateRoleCommand({ RoleName: 'r'.repeat(65), AssumeRolePolicyDocument: ROLE_POLICY })),
    );
    expect(err).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(err.message).toContain('Member must have length less than or equal to 64');
    const pattern = await rejection(
      iam.send(new CreateRoleCommand({ RoleName: 'two words', AssumeRolePolicyDocument: ROLE_POLICY })),
    );
    expect(pattern).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(pattern.message).toContain(
      "Value 'two words' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern",
    );
    expect((await emu.violations()).map((v) => v.message)).toEqual([
      expect.stringMatching(/^iam ValidationError: /),
      expect.stringMatching(/^iam ValidationError: /),
    ]);
  });
});

describe('switching', () => {
  it('validation can be switched off, and a reset switches it back on', async () => {
    const empty = () =>
      ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'lock-like', LaunchTemplateData: {} }));
    await emu.setValidation(false);
    await expect(empty()).resolves.toMatchObject({ LaunchTemplate: { LaunchTemplateName: 'lock-like' } }); // moto forgives it
    expect(await emu.violations()).toEqual([]);
    await emu.reset();
    expect((await rejection(empty())).name).toBe('MissingParameter');
    expect(await emu.violations()).toHaveLength(1);
  });
});
