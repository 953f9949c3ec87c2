import { shortDigest } from '../../../src/core/digest';
import { isRedacted, redact, redactedValue, REDACTED_PREFIX } from '../../../src/core/redact';

const SECRET = 'hunter2-db-password';
const OTHER_SECRET = 'correct-horse-battery-staple';
const USER_DATA = 'TUlNRS1WZXJzaW9uOiAxLjAKcGFzc3dvcmQ9aHVudGVyMg==';
const REDACTED = /^<redacted sha256:[0-9a-f]{12}>$/;

/** Every place a secret lives: JD container, multi-node, EKS and ECS environments, and launch template user data. */
function secretBearing() {
  return {
    jobDefinition: {
      jobDefinitionName: 'reproject-job-a',
      containerProperties: {
        image: 'example.com/reproject:v1',
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
          { targetNodes: '0:1', container: { image: 'mnp', environment: [{ name: 'TOKEN', value: OTHER_SECRET }] } },
        ],
      },
      eksProperties: {
        podProperties: {
          containers: [{ name: 'main', image: 'eks', env: [{ name: 'DB_PASSWORD', value: SECRET }] }],
          initContainers: [{ name: 'init', image: 'eks-init', env: [{ name: 'INIT_TOKEN', value: OTHER_SECRET }] }],
        },
      },
      ecsProperties: {
        taskProperties: [{ containers: [{ name: 'c', image: 'ecs', environment: [{ name: 'K', value: SECRET }] }] }],
      },
    },
    launchTemplate: { ImageId: 'ami-0123', InstanceType: 'c6i.large', UserData: USER_DATA },
  };
}

describe('redactedValue', () => {
  it('is the prefix, the short sha256 digest and a closing bracket', () => {
    expect(redactedValue(SECRET)).toBe(`<redacted ${shortDigest(SECRET)}>`);
    expect(redactedValue(SECRET)).toMatch(REDACTED);
    expect(REDACTED_PREFIX).toBe('<redacted ');
  });

  it('is equal for equal secrets and different for different secrets', () => {
    expect(redactedValue(SECRET)).toBe(redactedValue(`${'hunter2'}-db-password`));
    expect(redactedValue(SECRET)).not.toBe(redactedValue(OTHER_SECRET));
    expect(redactedValue('a')).not.toBe(redactedValue('b'));
  });
});

describe('isRedacted', () => {
  it('recognises redacted values only', () => {
    expect(isRedacted(redactedValue(SECRET))).toBe(true);
    expect(isRedacted(SECRET)).toBe(false);
    expect(isRedacted(undefined)).toBe(false);
    expect(isRedacted(42)).toBe(false);
  });
});

describe('redact', () => {
  it('replaces container environment values and keeps their names', () => {
    const out = redact(secretBearing());
    expect(out.jobDefinition.containerProperties.environment).toStrictEqual([
      { name: 'DB_PASSWORD', value: redactedValue(SECRET) },
      { name: 'STAGE', value: redactedValue('prod') },
    ]);
  });

  it('replaces environment values nested in nodeProperties', () => {
    const out = redact(secretBearing());
    expect(out.jobDefinition.nodeProperties.nodeRangeProperties[0]?.container.environment).toStrictEqual([
      { name: 'TOKEN', value: redactedValue(OTHER_SECRET) },
    ]);
  });

  it('replaces EKS container and init container env values', () => {
    const out = redact(secretBearing());
    expect(out.jobDefinition.eksProperties.podProperties.containers[0]?.env).toStrictEqual([
      { name: 'DB_PASSWORD', value: redactedValue(SECRET) },
    ]);
    expect(out.jobDefinition.eksProperties.podProperties.initContainers[0]?.env).toStrictEqual([
      { name: 'INIT_TOKEN', value: redactedValue(OTHER_SECRET) },
    ]);
  });

  it('replaces ECS task container environment values', () => {
    const out = redact(secretBearing());
    expect(out.jobDefinition.ecsProperties.taskProperties[0]?.containers[0]?.environment).toStrictEqual([
      { name: 'K', value: redactedValue(SECRET) },
    ]);
  });

  it('replaces launch template UserData', () => {
    expect(redact(secretBearing()).launchTemplate).toStrictEqual({
      ImageId: 'ami-0123',
      InstanceType: 'c6i.large',
      UserData: redactedValue(USER_DATA),
    });
  });

  it('replaces PascalCase Environment[].Value too', () => {
    expect(redact({ Environment: [{ Name: 'K', Value: SECRET }] })).toStrictEqual({
      Environment: [{ Name: 'K', Value: redactedValue(SECRET) }],
    });
  });

  it('leaves every other value untouched', () => {
    const input = secretBearing();
    const out = redact(input);
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
    expect(redact(plain)).toStrictEqual(plain);
  });

  it('is idempotent', () => {
    const once = redact(secretBearing());
    expect(redact(once)).toStrictEqual(once);
    expect(redact(redact(once))).toStrictEqual(once);
  });

  it('does not mutate its input', () => {
    const input = secretBearing();
    const before = structuredClone(input);
    redact(input);
    expect(input).toStrictEqual(before);
  });

  it('gives equal digests for equal secrets and different ones for different secrets', () => {
    const out = redact(secretBearing());
    const containerSecret = out.jobDefinition.containerProperties.environment[0]?.value;
    const eksSecret = out.jobDefinition.eksProperties.podProperties.containers[0]?.env[0]?.value;
    const nodeSecret = out.jobDefinition.nodeProperties.nodeRangeProperties[0]?.container.environment[0]?.value;
    expect(containerSecret).toMatch(REDACTED);
    expect(containerSecret).toBe(eksSecret);
    expect(containerSecret).not.toBe(nodeSecret);
  });

  it('leaves no secret anywhere in the JSON of the output', () => {
    const json = JSON.stringify(redact(secretBearing()));
    for (const secret of [SECRET, OTHER_SECRET, USER_DATA, 'hunter2']) expect(json).not.toContain(secret);
    expect(json).toContain('DB_PASSWORD');
  });

  it('passes scalars, null and arrays through', () => {
    expect(redact('text')).toBe('text');
    expect(redact(null)).toBeNull();
    expect(redact([1, { UserData: 'x' }])).toStrictEqual([1, { UserData: redactedValue('x') }]);
  });
});
