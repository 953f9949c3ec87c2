import { createHmac } from 'node:crypto';

import { sha256 } from '../../../src/core/digest';
import { isRedacted, maskSecrets, redact, redactedValue, REDACTED_PREFIX, SECRET_MASK } from '../../../src/core/redact';

const SECRET = 'hunter2-db-password';
const OTHER_SECRET = 'correct-horse-battery-staple';
const USER_DATA = 'TUlNRS1WZXJzaW9uOiAxLjAKcGFzc3dvcmQ9aHVudGVyMg==';
const SPLUNK_TOKEN = '7c0d9a1e-splunk-hec-token';
const PARAMETER_SECRET = 'sk-live-parameter-secret';
const ARGUMENT_SECRET = 'argument-password-42';
const ALL_SECRETS = [SECRET, OTHER_SECRET, USER_DATA, 'hunter2', SPLUNK_TOKEN, PARAMETER_SECRET, ARGUMENT_SECRET];
const REDACTED = /^<redacted hmac:[0-9a-f]{12}>$/;
const KEY = Buffer.from('0f'.repeat(32), 'hex');
const OTHER_KEY = Buffer.from('a5'.repeat(32), 'hex');

/**
 * Every place a secret lives: JD container, multi-node, EKS and ECS environments, log driver options, parameters and
 * command arguments, and launch template user data.
 */
function secretBearing() {
  return {
    jobDefinition: {
      jobDefinitionName: 'reproject-job-a',
      parameters: { input: 's3://bucket/in', apiKey: PARAMETER_SECRET },
      containerProperties: {
        image: 'example.com/reproject:v1',
        command: ['python', 'run.py', '--password', ARGUMENT_SECRET, 'Ref::input'],
        logConfiguration: {
          logDriver: 'splunk',
          options: { 'splunk-token': SPLUNK_TOKEN, 'splunk-url': 'https://splunk.example.com:8088' },
          secretOptions: [{ name: 'splunk-cert', valueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/cert' }],
        },
        environment: [
          { name: 'DB_PASSWORD', value: SECRET },
          { name: 'STAGE', value: 'prod' },
        ],
        secrets: [{ name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:api' }],
      },
      nodeProperties: {
        numNodes: 2,
        mainNode: 0,
        nodeRangeProperties: [
          {
            targetNodes: '0:1',
            container: {
              image: 'mnp',
              command: ['mpirun', `--token=${ARGUMENT_SECRET}`],
              environment: [{ name: 'TOKEN', value: OTHER_SECRET }],
            },
          },
        ],
      },
      eksProperties: {
        podProperties: {
          containers: [
            {
              name: 'main',
              image: 'eks',
              command: ['/bin/sh', '-c'],
              args: [`run --token ${ARGUMENT_SECRET}`],
              env: [{ name: 'DB_PASSWORD', value: SECRET }],
            },
          ],
          initContainers: [
            {
              name: 'init',
              image: 'eks-init',
              args: ['Ref::input', ARGUMENT_SECRET],
              env: [{ name: 'INIT_TOKEN', value: OTHER_SECRET }],
            },
          ],
        },
      },
      ecsProperties: {
        taskProperties: [
          {
            containers: [
              {
                name: 'c',
                image: 'ecs',
                command: ['./task', ARGUMENT_SECRET],
                logConfiguration: { logDriver: 'splunk', options: { 'splunk-token': SPLUNK_TOKEN } },
                environment: [{ name: 'K', value: SECRET }],
              },
            ],
          },
        ],
      },
    },
    launchTemplate: { ImageId: 'ami-0123', InstanceType: 'c6i.large', UserData: USER_DATA },
  };
}

describe('redactedValue', () => {
  it('is the prefix, the first 12 hex digits of HMAC-SHA256(key, value) and a closing bracket', () => {
    const mac = createHmac('sha256', KEY).update(SECRET).digest('hex').slice(0, 12);
    expect(redactedValue(SECRET, KEY)).toBe(`<redacted hmac:${mac}>`);
    expect(redactedValue(SECRET, KEY)).toMatch(REDACTED);
    expect(REDACTED_PREFIX).toBe('<redacted ');
  });

  it('is not the plain (unkeyed) sha256 of the value, so a guess cannot be checked without the key', () => {
    expect(redactedValue(SECRET, KEY)).not.toContain(sha256(SECRET).slice(0, 12));
  });

  it('is equal for the same key and value', () => {
    expect(redactedValue(SECRET, KEY)).toBe(redactedValue(`${'hunter2'}-db-password`, Buffer.from(KEY)));
    expect(redactedValue(SECRET, 'a string key')).toBe(redactedValue(SECRET, 'a string key'));
  });

  it('differs for different values under one key', () => {
    expect(redactedValue(SECRET, KEY)).not.toBe(redactedValue(OTHER_SECRET, KEY));
    expect(redactedValue('a', KEY)).not.toBe(redactedValue('b', KEY));
  });

  it('differs for the same value under different keys', () => {
    expect(redactedValue(SECRET, KEY)).not.toBe(redactedValue(SECRET, OTHER_KEY));
    expect(redactedValue('prod', 'key-1')).not.toBe(redactedValue('prod', 'key-2'));
  });

  it('refuses an empty key', () => {
    expect(() => redactedValue(SECRET, '')).toThrow(/key/);
    expect(() => redactedValue(SECRET, Buffer.alloc(0))).toThrow(/key/);
  });
});

describe('isRedacted', () => {
  it('recognises redacted values only', () => {
    expect(isRedacted(redactedValue(SECRET, KEY))).toBe(true);
    expect(isRedacted(SECRET)).toBe(false);
    expect(isRedacted(undefined)).toBe(false);
    expect(isRedacted(42)).toBe(false);
  });
});

describe('redact', () => {
  it('replaces container environment values and keeps their names', () => {
    const out = redact(secretBearing(), KEY);
    expect(out.jobDefinition.containerProperties.environment).toStrictEqual([
      { name: 'DB_PASSWORD', value: redactedValue(SECRET, KEY) },
      { name: 'STAGE', value: redactedValue('prod', KEY) },
    ]);
  });

  it('replaces environment values nested in nodeProperties', () => {
    const out = redact(secretBearing(), KEY);
    expect(out.jobDefinition.nodeProperties.nodeRangeProperties[0]?.container.environment).toStrictEqual([
      { name: 'TOKEN', value: redactedValue(OTHER_SECRET, KEY) },
    ]);
  });

  it('replaces EKS container and init container env values', () => {
    const out = redact(secretBearing(), KEY);
    expect(out.jobDefinition.eksProperties.podProperties.containers[0]?.env).toStrictEqual([
      { name: 'DB_PASSWORD', value: redactedValue(SECRET, KEY) },
    ]);
    expect(out.jobDefinition.eksProperties.podProperties.initContainers[0]?.env).toStrictEqual([
      { name: 'INIT_TOKEN', value: redactedValue(OTHER_SECRET, KEY) },
    ]);
  });

  it('replaces ECS task container environment values', () => {
    const out = redact(secretBearing(), KEY);
    expect(out.jobDefinition.ecsProperties.taskProperties[0]?.containers[0]?.environment).toStrictEqual([
      { name: 'K', value: redactedValue(SECRET, KEY) },
    ]);
  });

  it('replaces launch template UserData', () => {
    expect(redact(secretBearing(), KEY).launchTemplate).toStrictEqual({
      ImageId: 'ami-0123',
      InstanceType: 'c6i.large',
      UserData: redactedValue(USER_DATA, KEY),
    });
  });

  it('replaces job definition parameter values and keeps their names', () => {
    expect(redact(secretBearing(), KEY).jobDefinition.parameters).toStrictEqual({
      input: redactedValue('s3://bucket/in', KEY),
      apiKey: redactedValue(PARAMETER_SECRET, KEY),
    });
  });

  it('replaces log driver option values (a splunk-token) and keeps the driver, option names and secretOptions', () => {
    const input = secretBearing();
    const out = redact(input, KEY);
    expect(out.jobDefinition.containerProperties.logConfiguration).toStrictEqual({
      logDriver: 'splunk',
      options: {
        'splunk-token': redactedValue(SPLUNK_TOKEN, KEY),
        'splunk-url': redactedValue('https://splunk.example.com:8088', KEY),
      },
      secretOptions: input.jobDefinition.containerProperties.logConfiguration.secretOptions,
    });
    expect(out.jobDefinition.ecsProperties.taskProperties[0]?.containers[0]?.logConfiguration).toStrictEqual({
      logDriver: 'splunk',
      options: { 'splunk-token': redactedValue(SPLUNK_TOKEN, KEY) },
    });
  });

  it('replaces command arguments, keeping the program and bare Ref:: placeholders', () => {
    const out = redact(secretBearing(), KEY).jobDefinition;
    const r = (v: string) => redactedValue(v, KEY);
    expect(out.containerProperties.command).toStrictEqual([
      'python',
      r('run.py'),
      r('--password'),
      r(ARGUMENT_SECRET),
      'Ref::input',
    ]);
    expect(out.nodeProperties.nodeRangeProperties[0]?.container.command).toStrictEqual([
      'mpirun',
      r(`--token=${ARGUMENT_SECRET}`),
    ]);
    expect(out.ecsProperties.taskProperties[0]?.containers[0]?.command).toStrictEqual(['./task', r(ARGUMENT_SECRET)]);
    const [main] = out.eksProperties.podProperties.containers;
    expect(main?.command).toStrictEqual(['/bin/sh', r('-c')]);
    expect(main?.args).toStrictEqual([r(`run --token ${ARGUMENT_SECRET}`)]);
    expect(out.eksProperties.podProperties.initContainers[0]?.args).toStrictEqual(['Ref::input', r(ARGUMENT_SECRET)]);
  });

  it('replaces PascalCase Environment[].Value too', () => {
    expect(redact({ Environment: [{ Name: 'K', Value: SECRET }] }, KEY)).toStrictEqual({
      Environment: [{ Name: 'K', Value: redactedValue(SECRET, KEY) }],
    });
  });

  it('leaves every other value untouched', () => {
    const input = secretBearing();
    const out = redact(input, KEY);
    expect(out.jobDefinition.jobDefinitionName).toBe('reproject-job-a');
    expect(out.jobDefinition.containerProperties.image).toBe('example.com/reproject:v1');
    expect(out.jobDefinition.containerProperties.secrets).toStrictEqual(
      input.jobDefinition.containerProperties.secrets,
    );
    expect(out.jobDefinition.nodeProperties.numNodes).toBe(2);
    expect(out.jobDefinition.eksProperties.podProperties.containers[0]?.image).toBe('eks');
  });

  it('changes nothing in a value without secrets', () => {
    const plain = { a: 1, b: ['x', { c: null, d: true }], e: { value: 'not an environment' } };
    expect(redact(plain, KEY)).toStrictEqual(plain);
  });

  it('is idempotent', () => {
    const once = redact(secretBearing(), KEY);
    expect(redact(once, KEY)).toStrictEqual(once);
    expect(redact(redact(once, KEY), KEY)).toStrictEqual(once);
    // An already-redacted value stays as it is, whatever the key.
    expect(redact(once, OTHER_KEY)).toStrictEqual(once);
  });

  it('does not mutate its input', () => {
    const input = secretBearing();
    const before = structuredClone(input);
    redact(input, KEY);
    maskSecrets(input);
    expect(input).toStrictEqual(before);
  });

  it('gives equal digests for equal secrets and different ones for different secrets', () => {
    const out = redact(secretBearing(), KEY);
    const containerSecret = out.jobDefinition.containerProperties.environment[0]?.value;
    const eksSecret = out.jobDefinition.eksProperties.podProperties.containers[0]?.env[0]?.value;
    const nodeSecret = out.jobDefinition.nodeProperties.nodeRangeProperties[0]?.container.environment[0]?.value;
    expect(containerSecret).toMatch(REDACTED);
    expect(containerSecret).toBe(eksSecret);
    expect(containerSecret).not.toBe(nodeSecret);
  });

  it('leaves no secret anywhere in the JSON of the output', () => {
    const json = JSON.stringify(redact(secretBearing(), KEY));
    for (const secret of ALL_SECRETS) expect(json).not.toContain(secret);
    expect(json).toContain('DB_PASSWORD');
  });

  it('passes scalars, null and arrays through', () => {
    expect(redact('text', KEY)).toBe('text');
    expect(redact(null, KEY)).toBeNull();
    expect(redact([1, { UserData: 'x' }], KEY)).toStrictEqual([1, { UserData: redactedValue('x', KEY) }]);
  });

  it('gives other digests under another key, and the same digests under the same key', () => {
    const a = JSON.stringify(redact(secretBearing(), KEY));
    expect(JSON.stringify(redact(secretBearing(), Buffer.from(KEY)))).toBe(a);
    expect(JSON.stringify(redact(secretBearing(), OTHER_KEY))).not.toBe(a);
  });

  it('refuses an empty key', () => {
    expect(() => redact(secretBearing(), '')).toThrow(/key/);
  });
});

describe('maskSecrets', () => {
  it('replaces every clear secret by the constant mask, at any depth, and keeps the names', () => {
    const out = maskSecrets(secretBearing());
    expect(SECRET_MASK).toBe('<secret>');
    expect(out.jobDefinition.containerProperties.environment).toStrictEqual([
      { name: 'DB_PASSWORD', value: '<secret>' },
      { name: 'STAGE', value: '<secret>' },
    ]);
    expect(out.jobDefinition.nodeProperties.nodeRangeProperties[0]?.container.environment).toStrictEqual([
      { name: 'TOKEN', value: '<secret>' },
    ]);
    expect(out.jobDefinition.eksProperties.podProperties.containers[0]?.env).toStrictEqual([
      { name: 'DB_PASSWORD', value: '<secret>' },
    ]);
    expect(out.jobDefinition.eksProperties.podProperties.initContainers[0]?.env).toStrictEqual([
      { name: 'INIT_TOKEN', value: '<secret>' },
    ]);
    expect(out.jobDefinition.ecsProperties.taskProperties[0]?.containers[0]?.environment).toStrictEqual([
      { name: 'K', value: '<secret>' },
    ]);
    expect(out.launchTemplate.UserData).toBe('<secret>');
    expect(maskSecrets({ Environment: [{ Name: 'K', Value: SECRET }] })).toStrictEqual({
      Environment: [{ Name: 'K', Value: '<secret>' }],
    });
    const json = JSON.stringify(out);
    for (const secret of ALL_SECRETS) expect(json).not.toContain(secret);
  });

  it('masks parameters, log driver options and command arguments the same way', () => {
    const out = maskSecrets(secretBearing()).jobDefinition;
    expect(out.parameters).toStrictEqual({ input: '<secret>', apiKey: '<secret>' });
    expect(out.containerProperties.logConfiguration.options).toStrictEqual({
      'splunk-token': '<secret>',
      'splunk-url': '<secret>',
    });
    expect(out.containerProperties.command).toStrictEqual(['python', '<secret>', '<secret>', '<secret>', 'Ref::input']);
    expect(out.eksProperties.podProperties.containers[0]?.args).toStrictEqual(['<secret>']);
  });

  it('masks redacted values too, so clear and redacted (under any key) mask the same', () => {
    const masked = maskSecrets(secretBearing());
    expect(maskSecrets(redact(secretBearing(), KEY))).toStrictEqual(masked);
    expect(maskSecrets(redact(secretBearing(), OTHER_KEY))).toStrictEqual(masked);
    expect(maskSecrets({ deep: [{ UserData: '<redacted sha256:0123456789ab>' }] })).toStrictEqual({
      deep: [{ UserData: '<secret>' }],
    });
  });

  it('makes values that differ only in their secrets equal, and keeps other differences', () => {
    const other = secretBearing();
    other.jobDefinition.containerProperties.environment[0]!.value = 'another-password';
    other.launchTemplate.UserData = 'IyEvYmluL3NoCg==';
    expect(maskSecrets(other)).toStrictEqual(maskSecrets(secretBearing()));
    other.jobDefinition.containerProperties.image = 'example.com/reproject:v2';
    expect(maskSecrets(other)).not.toStrictEqual(maskSecrets(secretBearing()));
  });

  it('leaves every other value untouched', () => {
    const input = secretBearing();
    const out = maskSecrets(input);
    expect(out.jobDefinition.containerProperties.secrets).toStrictEqual(
      input.jobDefinition.containerProperties.secrets,
    );
    expect(out.launchTemplate.ImageId).toBe('ami-0123');
    const plain = { a: 1, b: ['x', { c: null, d: true }], e: { value: 'not an environment' } };
    expect(maskSecrets(plain)).toStrictEqual(plain);
    expect(maskSecrets('text')).toBe('text');
    expect(maskSecrets(null)).toBeNull();
  });

  it('is idempotent', () => {
    const once = maskSecrets(secretBearing());
    expect(maskSecrets(once)).toStrictEqual(once);
  });
});
