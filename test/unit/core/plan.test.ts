import { BatchctlError } from '../../../src/errors';
import { ExitCode } from '../../../src/exit-codes';
import { parsePlan, PLAN_FORMAT, planDigest, sealPlan, serializePlan, type PlanFile } from '../../../src/core/plan';

const FILE = 'plans/reproject.plan.json';
const ACCOUNT = '123456789012';
const arn = (kind: string, name: string) => `arn:aws:batch:us-east-1:${ACCOUNT}:${kind}/${name}`;

/** A small but complete plan, as `batchctl plan` would write it before sealing. */
function unsealedPlan(): Omit<PlanFile, 'digest'> {
  return {
    format: PLAN_FORMAT,
    id: 'p-0123456789ab',
    toolVersion: '0.1.0',
    createdAt: '2026-08-30T12:00:00.000Z',
    account: ACCOUNT,
    region: 'us-east-1',
    partition: 'aws',
    workload: 'reproject',
    spec: { path: 'plans/reproject.yaml', digest: `sha256:${'a'.repeat(64)}` },
    live: {
      label: 'a',
      queue: { name: 'reproject-a', arn: arn('job-queue', 'reproject-a') },
      computeEnvironments: [{ name: 'reproject-ce-a', arn: arn('compute-environment', 'reproject-ce-a') }],
      launchTemplates: [{ id: 'lt-0abc', name: 'reproject-lt-a', version: 3 }],
      jobDefinitions: [{ name: 'reproject-job-a', arn: arn('job-definition', 'reproject-job-a:4'), revision: 4 }],
    },
    target: {
      label: 'b',
      launchTemplates: [
        {
          from: { id: 'lt-0abc', name: 'reproject-lt-a', version: 3 },
          name: 'reproject-lt-b',
          data: { ImageId: 'ami-0new', UserData: '<redacted hmac:0123456789ab>' },
          tags: { 'batchctl:workload': 'reproject', 'batchctl:revision': 'b', 'batchctl:plan': 'p-0123456789ab' },
        },
      ],
      computeEnvironments: [
        {
          from: { name: 'reproject-ce-a', arn: arn('compute-environment', 'reproject-ce-a') },
          name: 'reproject-ce-b',
          arn: arn('compute-environment', 'reproject-ce-b'),
          input: {
            computeEnvironmentName: 'reproject-ce-b',
            type: 'MANAGED',
            state: 'ENABLED',
            computeResources: {
              type: 'EC2',
              maxvCpus: 256,
              launchTemplate: { launchTemplateName: 'reproject-lt-b', version: '1' },
            },
          },
          disableAfterCreate: false,
          retireFrom: true,
        },
      ],
      jobQueue: {
        from: { name: 'reproject-a', arn: arn('job-queue', 'reproject-a') },
        name: 'reproject-b',
        arn: arn('job-queue', 'reproject-b'),
        input: {
          jobQueueName: 'reproject-b',
          priority: 10,
          state: 'ENABLED',
          computeEnvironmentOrder: [{ order: 1, computeEnvironment: arn('compute-environment', 'reproject-ce-b') }],
        },
      },
      jobDefinitions: [
        {
          from: { name: 'reproject-job-a', arn: arn('job-definition', 'reproject-job-a:4'), revision: 4 },
          changed: false,
          name: 'reproject-job-a',
        },
      ],
    },
    references: [
      {
        name: 'ingest',
        arn: `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:ingest`,
        changes: [{ path: ['States', 'Submit'], field: 'JobQueue', before: 'reproject-a', after: 'reproject-b' }],
        dynamic: [],
        aliases: [],
      },
    ],
    observed: [
      {
        kind: 'job-queue',
        name: 'reproject-a',
        arn: arn('job-queue', 'reproject-a'),
        digest: `sha256:${'b'.repeat(64)}`,
        detail: { state: 'ENABLED', status: 'VALID', priority: 10 },
      },
    ],
    quota: [{ resource: 'compute-environments', limit: 50, current: 10, during: 11, ok: true }],
    warnings: [],
    blockers: [],
    steps: [
      {
        id: 'create-launch-template:reproject-lt-b',
        action: 'create-launch-template',
        target: 'reproject-lt-b',
        dependsOn: [],
      },
    ],
  };
}

function planError(text: string): BatchctlError {
  try {
    parsePlan(text, FILE);
  } catch (error) {
    if (error instanceof BatchctlError) return error;
    throw error;
  }
  throw new Error('parsePlan did not throw');
}

function expectPlanError(error: BatchctlError, code: string): void {
  expect(error.code).toBe(code);
  expect(error.exitCode).toBe(ExitCode.InvalidInput);
  expect(error.message.startsWith(`${FILE}: `)).toBe(true);
  expect(error.message).not.toMatch(/[\r\n]/);
}

describe('sealPlan / parsePlan', () => {
  it('round-trips a sealed plan through its serialized form', () => {
    const sealed = sealPlan(unsealedPlan());
    expect(sealed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parsePlan(serializePlan(sealed), FILE)).toStrictEqual(sealed);
  });

  it('seals without changing the other fields', () => {
    const plan = unsealedPlan();
    const { digest, ...rest } = sealPlan(plan);
    expect(rest).toStrictEqual(plan);
    expect(digest).toBe(planDigest(plan));
  });

  it('serializes as indented JSON with a final newline', () => {
    const text = serializePlan(sealPlan(unsealedPlan()));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "format": "batchctl-plan/1",');
  });

  it('gives the same digest whatever the key order', () => {
    const plan = unsealedPlan();
    const reordered = Object.fromEntries(Object.entries(plan).reverse()) as Omit<PlanFile, 'digest'>;
    expect(planDigest(reordered)).toBe(planDigest(plan));
  });

  it('ignores the digest field itself when computing the digest', () => {
    const sealed = sealPlan(unsealedPlan());
    expect(planDigest({ ...sealed, digest: `sha256:${'0'.repeat(64)}` })).toBe(sealed.digest);
  });

  it('gives a different digest when any value changes', () => {
    expect(planDigest({ ...unsealedPlan(), region: 'us-east-2' })).not.toBe(planDigest(unsealedPlan()));
  });

  it('refuses truncated JSON as PlanMalformed', () => {
    const text = serializePlan(sealPlan(unsealedPlan()));
    const error = planError(text.slice(0, Math.floor(text.length / 2)));
    expectPlanError(error, 'PlanMalformed');
    expect(error.message).toContain('not valid JSON');
    expect(error.message).toContain('truncated');
  });

  it('refuses an unknown format as PlanVersionUnknown, naming both formats', () => {
    const plan = { ...sealPlan(unsealedPlan()), format: 'batchctl-plan/2' };
    const error = planError(JSON.stringify(plan));
    expectPlanError(error, 'PlanVersionUnknown');
    expect(error.message).toBe(
      `${FILE}: plan format "batchctl-plan/2" is not one this batchctl reads (expected "batchctl-plan/1").`,
    );
  });

  it('refuses JSON that is not a plan at all as PlanVersionUnknown', () => {
    expectPlanError(planError('null'), 'PlanVersionUnknown');
    expectPlanError(planError('[1, 2]'), 'PlanVersionUnknown');
  });

  it('refuses a plan with a missing field as PlanInvalid, naming the field', () => {
    const { region: _region, ...plan } = sealPlan(unsealedPlan());
    const error = planError(JSON.stringify(plan));
    expectPlanError(error, 'PlanInvalid');
    expect(error.message).toBe(`${FILE}: field "region" is missing.`);
  });

  it('refuses a plan with a missing nested field, naming its path', () => {
    const sealed = sealPlan(unsealedPlan());
    const { queue: _queue, ...live } = sealed.live;
    const error = planError(JSON.stringify({ ...sealed, live }));
    expectPlanError(error, 'PlanInvalid');
    expect(error.message).toBe(`${FILE}: field "live.queue" is missing.`);
  });

  it('refuses a plan with an extra top-level field as PlanInvalid', () => {
    const error = planError(JSON.stringify({ ...sealPlan(unsealedPlan()), extra: 1 }));
    expectPlanError(error, 'PlanInvalid');
    expect(error.message).toContain('"extra"');
  });

  it('refuses a malformed account id as PlanInvalid', () => {
    const error = planError(JSON.stringify({ ...sealPlan(unsealedPlan()), account: '12345' }));
    expectPlanError(error, 'PlanInvalid');
    expect(error.message).toContain('"account"');
  });

  it('refuses a one-character hand edit of the region as PlanTampered', () => {
    const text = serializePlan(sealPlan(unsealedPlan()));
    const edited = text.replace('"region": "us-east-1"', '"region": "us-east-2"');
    expect(edited).not.toBe(text);
    expect(edited.length).toBe(text.length);
    const error = planError(edited);
    expectPlanError(error, 'PlanTampered');
    expect(error.message).toBe(
      `${FILE}: the plan's digest does not match its content; it was edited after it was written.`,
    );
    // The spec path is recorded relative to the plan file: the suggestion is a command that runs from here.
    expect(error.suggestions).toEqual([
      'Run `batchctl plan plans/plans/reproject.yaml` again instead of editing a plan.',
    ]);
  });

  it('names the spec to plan again from when a plan is invalid but its spec path is readable', () => {
    const { region: _region, ...plan } = sealPlan(unsealedPlan());
    const error = planError(JSON.stringify(plan));
    expectPlanError(error, 'PlanInvalid');
    expect(error.suggestions).toEqual(['Run `batchctl plan plans/plans/reproject.yaml` again to write a fresh plan.']);
  });

  it('refuses a hand edit deep inside the target as PlanTampered', () => {
    const text = serializePlan(sealPlan(unsealedPlan()));
    const edited = text.replace('"maxvCpus": 256', '"maxvCpus": 257');
    expect(edited).not.toBe(text);
    expectPlanError(planError(edited), 'PlanTampered');
  });

  it('round-trips published versions and the recorded definition of a reference', () => {
    const plan = unsealedPlan();
    const smArn = `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:ingest`;
    plan.references = plan.references.map((r) => ({
      ...r,
      versions: [
        { arn: `${smArn}:2`, version: 2, namesLive: false },
        { arn: `${smArn}:1`, version: 1, namesLive: true },
      ],
      current: { definition: '{"StartAt":"Submit","States":{}}', roleArn: `arn:aws:iam::${ACCOUNT}:role/ingest` },
    }));
    const sealed = sealPlan(plan);
    expect(parsePlan(serializePlan(sealed), FILE)).toStrictEqual(sealed);
  });

  it('refuses a version entry without namesLive as PlanInvalid, naming its path', () => {
    const plan = unsealedPlan();
    const broken = plan.references.map((r) => ({ ...r, versions: [{ arn: 'x:1', version: 1 }] }));
    const error = planError(JSON.stringify(sealPlan({ ...plan, references: broken as PlanFile['references'] })));
    expectPlanError(error, 'PlanInvalid');
    expect(error.message).toBe(`${FILE}: field "references.0.versions.0.namesLive" is missing.`);
  });

  it('accepts whitespace-only reformatting (the digest covers content, not layout)', () => {
    const sealed = sealPlan(unsealedPlan());
    expect(parsePlan(JSON.stringify(sealed), FILE)).toStrictEqual(sealed);
  });
});
