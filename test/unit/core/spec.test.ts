import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { BatchctlError } from '../../../src/errors';
import { ExitCode } from '../../../src/exit-codes';
import { substituteVariables } from '../../../src/core/variables';
import {
  acknowledged,
  jobDefinitionChanges,
  parseSpec,
  readSpecDocument,
  validateSpec,
  quotaOf,
  stateMachineSelected,
  suffixesOf,
  type Spec,
} from '../../../src/core/spec';

const FILE = 'plans/reproject.yaml';

const FULL_EXAMPLE = `# every field of the spec
version: 1
workload: reproject
live:
  jobQueue: arn:aws:batch:us-east-1:123456789012:job-queue/reproject-a
naming:
  suffixes:
    a: -blue
    b: -green
changes:
  launchTemplate:
    data:
      ImageId: ami-0new
      MetadataOptions:
        HttpTokens: required
  computeEnvironment:
    computeResources:
      maxvCpus: 256
      instanceTypes: [c6i.large, c6i.xlarge]
    serviceRole: arn:aws:iam::123456789012:role/AWSBatchServiceRole
    tags:
      team: geo
    updatePolicy:
      terminateJobsOnUpdate: false
      jobExecutionTimeoutMinutes: 30
  jobQueue:
    priority: 20
    schedulingPolicyArn: arn:aws:batch:us-east-1:123456789012:scheduling-policy/fair
    jobStateTimeLimitActions:
      - reason: CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY
        state: RUNNABLE
        maxTimeSeconds: 3600
        action: CANCEL
    tags:
      owner: data
  jobDefinitions:
    reproject-job-a:
      containerProperties:
        image: example.com/reproject:v2
jobDefinitions: [tile-job-a]
stateMachines:
  prefix: reproject-
references:
  acknowledgeDynamic: [reproject-router/Submit]
quota:
  computeEnvironmentsPerQueue: 6
`;

const MINIMAL = 'version: 1\nworkload: reproject\nlive:\n  jobQueue: reproject-a\n';

/** The error parseSpec throws for `text`; fails the test when it does not throw a BatchctlError. */
function specError(text: string): BatchctlError {
  try {
    parseSpec(text, FILE);
  } catch (error) {
    if (error instanceof BatchctlError) return error;
    throw error;
  }
  throw new Error('parseSpec did not throw');
}

/** The checks every spec error must pass: exit code 3, the file first, one line, the field named. */
function expectSpecError(error: BatchctlError, code: string, field: string): void {
  expect(error.code).toBe(code);
  expect(error.exitCode).toBe(ExitCode.InvalidInput);
  expect(error.exitCode).toBe(3);
  expect(error.message.startsWith(`${FILE}: `)).toBe(true);
  expect(error.message).not.toMatch(/[\r\n]/);
  expect(error.message).toContain(field);
}

describe('parseSpec: valid specs', () => {
  it('parses the full example into exactly the expected value', () => {
    const expected: Spec = {
      version: 1,
      workload: 'reproject',
      live: { jobQueue: 'arn:aws:batch:us-east-1:123456789012:job-queue/reproject-a' },
      naming: { suffixes: { a: '-blue', b: '-green' } },
      changes: {
        launchTemplate: { data: { ImageId: 'ami-0new', MetadataOptions: { HttpTokens: 'required' } } },
        computeEnvironment: {
          computeResources: { maxvCpus: 256, instanceTypes: ['c6i.large', 'c6i.xlarge'] },
          serviceRole: 'arn:aws:iam::123456789012:role/AWSBatchServiceRole',
          tags: { team: 'geo' },
          updatePolicy: { terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: 30 },
        },
        jobQueue: {
          priority: 20,
          schedulingPolicyArn: 'arn:aws:batch:us-east-1:123456789012:scheduling-policy/fair',
          jobStateTimeLimitActions: [
            {
              reason: 'CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY',
              state: 'RUNNABLE',
              maxTimeSeconds: 3600,
              action: 'CANCEL',
            },
          ],
          tags: { owner: 'data' },
        },
        jobDefinitions: { 'reproject-job-a': { containerProperties: { image: 'example.com/reproject:v2' } } },
      },
      jobDefinitions: ['tile-job-a'],
      stateMachines: { prefix: 'reproject-' },
      references: { acknowledgeDynamic: ['reproject-router/Submit'] },
      quota: { computeEnvironmentsPerQueue: 6 },
    };
    expect(parseSpec(FULL_EXAMPLE, FILE)).toStrictEqual(expected);
  });

  it('parses a minimal spec', () => {
    expect(parseSpec(MINIMAL, FILE)).toStrictEqual({
      version: 1,
      workload: 'reproject',
      live: { jobQueue: 'reproject-a' },
    });
  });

  it('accepts live.stack instead of live.jobQueue', () => {
    const spec = parseSpec(
      'version: 1\nworkload: reproject\nlive:\n  stack: {name: geo, queueLogicalId: ReprojectQueue}\n',
      FILE,
    );
    expect(spec.live).toStrictEqual({ stack: { name: 'geo', queueLogicalId: 'ReprojectQueue' } });
  });
});

describe('parseSpec: errors', () => {
  it('names the file, line and column of malformed YAML, on one line', () => {
    const error = specError('version: 1\nworkload: reproject\nworkload: again\nlive: {jobQueue: q}\n');
    expectSpecError(error, 'SpecMalformed', 'not valid YAML');
    expect(error.message).toBe(`${FILE}: line 3, column 1: not valid YAML: Map keys must be unique`);
  });

  it('names the line and column of a badly indented mapping, with a next step', () => {
    const error = specError('version: 1\nworkload: reproject\n  extra: oops\nlive:\n  jobQueue: reproject-a\n');
    expectSpecError(error, 'SpecMalformed', 'line 2, column 11:');
    expect(error.suggestions).toStrictEqual(['Fix the YAML syntax; docs/spec.md shows a complete example.']);
  });

  it('rejects a document that is not a mapping', () => {
    const error = specError('- just\n- a list\n');
    expectSpecError(error, 'SpecInvalid', 'version and workload');
  });

  it('rejects an empty file', () => {
    expectSpecError(specError(''), 'SpecInvalid', 'YAML mapping');
  });

  it('rejects a missing workload', () => {
    const error = specError('version: 1\nlive:\n  jobQueue: reproject-a\n');
    expectSpecError(error, 'SpecInvalid', '"workload"');
    expect(error.message).toBe(`${FILE}: field "workload" is missing.`);
  });

  it('accepts a spec without live: plan finds the live revision itself', () => {
    expect(parseSpec('version: 1\nworkload: reproject\n', FILE)).toStrictEqual({ version: 1, workload: 'reproject' });
  });

  it('rejects a live with both jobQueue and stack', () => {
    const error = specError(`${MINIMAL}  stack: {name: geo, queueLogicalId: Q}\n`);
    expectSpecError(error, 'SpecInvalid', '"live"');
    expect(error.message).toBe(
      `${FILE}: field "live" must have exactly one of "jobQueue" or "stack" (found both), or be left out.`,
    );
  });

  it('rejects a live with neither jobQueue nor stack', () => {
    const error = specError('version: 1\nworkload: reproject\nlive: {}\n');
    expectSpecError(error, 'SpecInvalid', '"live"');
    expect(error.message).toContain('(found neither)');
  });

  it('rejects an unknown top-level field', () => {
    const error = specError(`${MINIMAL}surprise: true\n`);
    expectSpecError(error, 'SpecInvalid', '"surprise"');
    expect(error.message).toBe(
      `${FILE}: field "surprise" is not allowed; the fields allowed here are version, workload, live, naming, changes, jobDefinitions, stateMachines, references, callers, quota, acknowledge.`,
    );
  });

  it('rejects an unknown nested field, naming its full path', () => {
    const error = specError(`${MINIMAL}  extra: 1\n`);
    expectSpecError(error, 'SpecInvalid', '"live.extra"');
  });

  it('rejects a priority given as a string', () => {
    const error = specError(`${MINIMAL}changes:\n  jobQueue:\n    priority: "high"\n`);
    expectSpecError(error, 'SpecInvalid', '"changes.jobQueue.priority"');
    expect(error.message).toBe(
      `${FILE}: field "changes.jobQueue.priority" must be a whole number (got the text "high").`,
    );
  });

  it('rejects a wrong version', () => {
    const error = specError('version: 2\nworkload: reproject\nlive: {jobQueue: q}\n');
    expectSpecError(error, 'SpecInvalid', '"version"');
  });

  it('says what a wrong field should be and what it got', () => {
    const error = specError('version: 2\nworkload: reproject\nlive: {jobQueue: q}\n');
    expect(error.message).toBe(`${FILE}: field "version" must be 1 (got the number 2).`);
  });

  // Regression (src/core/spec.ts parseSpec): the Ajv validator was compiled without `verbose: true`, and Ajv only
  // sets `error.parentSchema` in verbose mode, so the schema `description`s never appeared.
  it('says what a wrong field should be, from the schema description', () => {
    const error = specError('version: 1\nworkload: "re project"\nlive: {jobQueue: q}\n');
    expect(error.message).toBe(
      `${FILE}: field "workload" must be the workload name: 1-64 letters, digits, - or _ (got the text "re project").`,
    );
  });

  it('rejects a workload name with bad characters', () => {
    expectSpecError(
      specError('version: 1\nworkload: "re project"\nlive: {jobQueue: q}\n'),
      'SpecInvalid',
      '"workload"',
    );
  });

  it('rejects a computeResources key that cannot be changed (type), naming computeResources', () => {
    const error = specError(`${MINIMAL}changes:\n  computeEnvironment:\n    computeResources:\n      type: SPOT\n`);
    expectSpecError(error, 'SpecInvalid', '"changes.computeEnvironment.computeResources.type"');
  });

  // Regression (src/core/spec.ts describeSchemaError): Ajv reports a propertyNames failure as an `enum` error first
  // (keyword "enum", propertyName "type"), then the `propertyNames` one; parseSpec shows only errors[0], so the
  // 'propertyNames' branch is never reached. The message is "...computeResources" must be equal to one of the allowed
  // values." — it neither names the offending key `type` nor lists the allowed keys.
  it('names the key that cannot be changed and the keys that can', () => {
    const error = specError(`${MINIMAL}changes:\n  computeEnvironment:\n    computeResources:\n      type: SPOT\n`);
    expect(error.message).toContain('type');
    expect(error.message).toContain('maxvCpus');
  });

  it('rejects a job definition change key that cannot be changed (revision)', () => {
    const error = specError(`${MINIMAL}changes:\n  jobDefinitions:\n    reproject-job-a:\n      revision: 3\n`);
    expectSpecError(error, 'SpecInvalid', '"changes.jobDefinitions.reproject-job-a.revision"');
    expect(error.message).toContain('cannot be changed: set by AWS');
  });

  it('rejects equal suffixes', () => {
    const error = specError(`${MINIMAL}naming:\n  suffixes: {a: "-x", b: "-x"}\n`);
    expectSpecError(error, 'SpecInvalid', '"naming.suffixes"');
    expect(error.message).toBe(
      `${FILE}: field "naming.suffixes": suffixes "-x" and "-x" must differ and neither may end with the other.`,
    );
  });

  it('rejects a b suffix that ends with the default a suffix', () => {
    const error = specError(`${MINIMAL}naming:\n  suffixes: {b: "x-a"}\n`);
    expectSpecError(error, 'SpecInvalid', '"naming.suffixes"');
    expect(error.message).toContain('"-a" and "x-a"');
  });

  it('rejects an empty suffix', () => {
    const error = specError(`${MINIMAL}naming:\n  suffixes: {a: ""}\n`);
    expectSpecError(error, 'SpecInvalid', '"naming.suffixes.a"');
  });

  it('rejects stateMachines with two selectors', () => {
    const error = specError(`${MINIMAL}stateMachines:\n  names: [ingest]\n  prefix: reproject-\n`);
    expectSpecError(error, 'SpecInvalid', '"stateMachines"');
    expect(error.message).toBe(
      `${FILE}: field "stateMachines" must have one of all, names or prefix, not names and prefix.`,
    );
  });

  it('rejects a quota below 1', () => {
    expectSpecError(specError(`${MINIMAL}quota:\n  jobQueues: 0\n`), 'SpecInvalid', '"quota.jobQueues"');
  });

  it('gives a next step in the suggestions of a schema error', () => {
    expect(specError('version: 1\nworkload: reproject\nsurprise: 1\n').suggestions).toStrictEqual([
      'See docs/spec.md for every field.',
    ]);
  });
});

describe('jobDefinitionChanges: keyed by role', () => {
  const spec: Spec = {
    version: 1,
    workload: 'w',
    changes: { jobDefinitions: { reproject: { timeout: { attemptDurationSeconds: 60 } }, 'tile-b': { tags: {} } } },
  };

  it('finds the changes of either revision of a job definition under its base name', () => {
    expect(jobDefinitionChanges(spec, 'reproject-a')).toStrictEqual({ timeout: { attemptDurationSeconds: 60 } });
    expect(jobDefinitionChanges(spec, 'reproject-b')).toStrictEqual({ timeout: { attemptDurationSeconds: 60 } });
    expect(jobDefinitionChanges(spec, 'reproject')).toStrictEqual({ timeout: { attemptDurationSeconds: 60 } });
  });

  it('still takes an exact name, and only that revision', () => {
    expect(jobDefinitionChanges(spec, 'tile-b')).toStrictEqual({ tags: {} });
    expect(jobDefinitionChanges(spec, 'tile-a')).toBeUndefined();
    expect(jobDefinitionChanges(spec, 'other-a')).toBeUndefined();
  });
});

describe('spec helpers', () => {
  const base: Spec = { version: 1, workload: 'w', live: { jobQueue: 'q' } };

  it('suffixesOf fills in the defaults', () => {
    expect(suffixesOf(base)).toStrictEqual({ a: '-a', b: '-b' });
    expect(suffixesOf({ ...base, naming: { suffixes: { b: '-green' } } })).toStrictEqual({ a: '-a', b: '-green' });
  });

  it('quotaOf fills in the defaults', () => {
    expect(quotaOf(base)).toStrictEqual({ computeEnvironments: 50, jobQueues: 50, computeEnvironmentsPerQueue: 3 });
    expect(quotaOf({ ...base, quota: { computeEnvironmentsPerQueue: 6 } })).toStrictEqual({
      computeEnvironments: 50,
      jobQueues: 50,
      computeEnvironmentsPerQueue: 6,
    });
  });

  it('stateMachineSelected: all by default, by names, by prefix', () => {
    expect(stateMachineSelected(base, 'anything')).toBe(true);
    expect(stateMachineSelected({ ...base, stateMachines: { all: true } }, 'anything')).toBe(true);
    expect(stateMachineSelected({ ...base, stateMachines: { names: ['ingest'] } }, 'ingest')).toBe(true);
    expect(stateMachineSelected({ ...base, stateMachines: { names: ['ingest'] } }, 'ingest-2')).toBe(false);
    expect(stateMachineSelected({ ...base, stateMachines: { prefix: 'reproject-' } }, 'reproject-nightly')).toBe(true);
    expect(stateMachineSelected({ ...base, stateMachines: { prefix: 'reproject-' } }, 'ingest')).toBe(false);
  });
});

describe('acknowledge and launchTemplateOverrides', () => {
  const head = 'version: 1\nworkload: etl\nlive:\n  jobQueue: etl-a\n';

  it('accepts acknowledge: [unmanagedComputeEnvironments] and reports it acknowledged', () => {
    const spec = parseSpec(`${head}acknowledge: [unmanagedComputeEnvironments]\n`, FILE);
    expect(acknowledged(spec, 'unmanagedComputeEnvironments')).toBe(true);
    expect(acknowledged(parseSpec(head, FILE), 'unmanagedComputeEnvironments')).toBe(false);
  });

  it('rejects an unknown acknowledgement, naming the ones there are', () => {
    const error = specError(`${head}acknowledge: [everything]\n`);
    expectSpecError(error, 'SpecInvalid', 'acknowledge[0]');
    expect(error.message).toContain('unmanagedComputeEnvironments');
  });

  it('takes launchTemplateOverrides clone or share, nothing else', () => {
    const spec = parseSpec(`${head}changes:\n  computeEnvironment:\n    launchTemplateOverrides: share\n`, FILE);
    expect(spec.changes?.computeEnvironment?.launchTemplateOverrides).toBe('share');
    const error = specError(`${head}changes:\n  computeEnvironment:\n    launchTemplateOverrides: copy\n`);
    expectSpecError(error, 'SpecInvalid', 'launchTemplateOverrides');
    expect(error.message).toBe(
      `${FILE}: field "changes.computeEnvironment.launchTemplateOverrides" must be one of clone, share (got the text "copy").`,
    );
  });
});

describe('plans/reproject-release.yaml, the release example the docs and --help name', () => {
  it('is a valid spec once its one variable, image_tag, has a value', () => {
    const file = join(__dirname, '..', '..', '..', 'plans', 'reproject-release.yaml');
    const { value, referenced, missing } = substituteVariables(
      readSpecDocument(readFileSync(file, 'utf8'), file),
      (name) => (name === 'image_tag' ? '1.6' : undefined),
    );
    expect(referenced).toStrictEqual(['image_tag']);
    expect(missing).toStrictEqual([]);
    const spec = validateSpec(value, file);
    expect(spec.live).toBeUndefined();
    expect(jobDefinitionChanges(spec, 'reproject-b')).toStrictEqual({
      containerProperties: { image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/reproject:1.6' },
    });
  });
});
