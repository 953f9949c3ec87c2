import {
  batchArn,
  computeEnvironmentName,
  isArn,
  jobQueueName,
  parseArn,
  parseJobDefinitionRef,
  parseStateMachineArn,
} from '../../../src/core/arn';

const BASE = 'arn:aws:batch:us-east-1:123456789012';

describe('parseArn', () => {
  it('splits the six parts and keeps colons inside the resource', () => {
    expect(parseArn(`${BASE}:job-queue/reproject-a`)).toStrictEqual({
      partition: 'aws',
      service: 'batch',
      region: 'us-east-1',
      account: '123456789012',
      resource: 'job-queue/reproject-a',
    });
    expect(parseArn('arn:aws-cn:states:cn-north-1:123456789012:stateMachine:ingest:live')?.resource).toBe(
      'stateMachine:ingest:live',
    );
  });

  it('returns undefined for names and short strings', () => {
    expect(parseArn('reproject-a')).toBeUndefined();
    expect(parseArn('arn:aws:batch:us-east-1')).toBeUndefined();
    expect(parseArn('urn:aws:batch:us-east-1:1:job-queue/x')).toBeUndefined();
    expect(isArn('reproject-a')).toBe(false);
    expect(isArn(`${BASE}:job-queue/reproject-a`)).toBe(true);
  });
});

describe('jobQueueName / computeEnvironmentName', () => {
  it('takes the name from an ARN and passes names through', () => {
    expect(jobQueueName(`${BASE}:job-queue/reproject-a`)).toBe('reproject-a');
    expect(jobQueueName('reproject-a')).toBe('reproject-a');
    expect(computeEnvironmentName(`${BASE}:compute-environment/ce-a`)).toBe('ce-a');
    expect(computeEnvironmentName('ce-a')).toBe('ce-a');
  });

  it('returns an ARN of another resource type unchanged', () => {
    expect(jobQueueName(`${BASE}:compute-environment/ce-a`)).toBe(`${BASE}:compute-environment/ce-a`);
    expect(computeEnvironmentName(`${BASE}:job-queue/q`)).toBe(`${BASE}:job-queue/q`);
  });
});

describe('parseJobDefinitionRef', () => {
  it.each([
    ['reproject-job', { name: 'reproject-job', form: 'name' }],
    ['reproject-job:3', { name: 'reproject-job', revision: 3, form: 'name' }],
    [`${BASE}:job-definition/reproject-job`, { name: 'reproject-job', form: 'arn' }],
    [`${BASE}:job-definition/reproject-job:12`, { name: 'reproject-job', revision: 12, form: 'arn' }],
  ])('parses %s', (value, expected) => {
    expect(parseJobDefinitionRef(value)).toStrictEqual(expected);
  });

  it.each([
    `${BASE}:job-queue/reproject-job`,
    'arn:aws:states:us-east-1:123456789012:job-definition/x',
    'reproject job',
    'reproject-job:',
    'reproject-job:x',
    `${'n'.repeat(129)}`,
    '',
  ])('rejects %j', (value) => {
    expect(parseJobDefinitionRef(value)).toBeUndefined();
  });
});

describe('batchArn', () => {
  it('builds ARNs in the right partition', () => {
    expect(batchArn({ partition: 'aws-cn', region: 'cn-north-1', account: '123456789012' }, 'job-queue', 'q-b')).toBe(
      'arn:aws-cn:batch:cn-north-1:123456789012:job-queue/q-b',
    );
    expect(
      batchArn({ partition: 'aws', region: 'us-east-1', account: '123456789012' }, 'compute-environment', 'ce-b'),
    ).toBe(`${BASE}:compute-environment/ce-b`);
  });
});

describe('parseStateMachineArn', () => {
  const SM = 'arn:aws:states:us-east-1:123456789012:stateMachine:ingest';

  it('parses unqualified, version and alias ARNs', () => {
    expect(parseStateMachineArn(SM)).toStrictEqual({ base: SM, name: 'ingest' });
    expect(parseStateMachineArn(`${SM}:7`)).toStrictEqual({
      base: SM,
      name: 'ingest',
      qualifier: { kind: 'version', version: 7 },
    });
    expect(parseStateMachineArn(`${SM}:live`)).toStrictEqual({
      base: SM,
      name: 'ingest',
      qualifier: { kind: 'alias', alias: 'live' },
    });
  });

  it('rejects other ARNs', () => {
    expect(parseStateMachineArn(`${BASE}:job-queue/q`)).toBeUndefined();
    expect(parseStateMachineArn('arn:aws:states:us-east-1:123456789012:execution:ingest:run-1')).toBeUndefined();
    expect(parseStateMachineArn('ingest')).toBeUndefined();
  });
});
