/**
 * `changes` typed against the API models: a wrong spec fails at parse time (exit 3, before any AWS call) with one
 * sentence per problem that names the field, what it must be in words, and what it got — never a secret's value.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { parseSpec } from '../../../src/core/spec';
import { BatchctlError } from '../../../src/errors';
import { ExitCode } from '../../../src/exit-codes';
import { writeBackToASpec } from '../../support/specs';

const FILE = 'plans/x.yaml';
const HEAD = 'version: 1\nworkload: x\nlive:\n  jobQueue: x-a\n';
const REPO = join(__dirname, '..', '..', '..');

function specError(text: string): BatchctlError {
  try {
    parseSpec(text, FILE);
  } catch (error) {
    if (error instanceof BatchctlError) return error;
    throw error;
  }
  throw new Error('parseSpec did not throw');
}

/** The message for a spec that is HEAD plus `changes` (YAML, indented under `changes:`). */
function changesError(changes: string): string {
  const error = specError(`${HEAD}changes:\n${changes}`);
  expect(error.code).toBe('SpecInvalid');
  expect(error.exitCode).toBe(ExitCode.InvalidInput);
  expect(error.message).not.toMatch(/[\r\n]/);
  return error.message;
}

const accepts = (changes: string) => expect(() => parseSpec(`${HEAD}changes:\n${changes}`, FILE)).not.toThrow();

describe('wrong types', () => {
  it('names the field and the expected type in words', () => {
    expect(changesError('  computeEnvironment:\n    computeResources:\n      maxvCpus: lots\n')).toBe(
      `${FILE}: field "changes.computeEnvironment.computeResources.maxvCpus" must be a whole number (got the text "lots").`,
    );
  });

  it('a fraction where a whole number is needed', () => {
    expect(changesError('  jobDefinitions:\n    app:\n      retryStrategy: {attempts: 2.5}\n')).toBe(
      `${FILE}: field "changes.jobDefinitions.app.retryStrategy.attempts" must be a whole number (or null to remove it) (got the number 2.5).`,
    );
  });

  it('text where a list is needed', () => {
    expect(changesError('  computeEnvironment:\n    computeResources:\n      instanceTypes: c6i.large\n')).toBe(
      `${FILE}: field "changes.computeEnvironment.computeResources.instanceTypes" must be a list (or null to remove it) (got the text "c6i.large").`,
    );
  });

  it('a list where a mapping is needed, deep in a launch template', () => {
    expect(changesError('  launchTemplate:\n    data:\n      MetadataOptions: [required]\n')).toBe(
      `${FILE}: field "changes.launchTemplate.data.MetadataOptions" must be a mapping (or null to remove it) (got a list).`,
    );
  });

  it('text where true or false is needed', () => {
    expect(changesError('  computeEnvironment:\n    updatePolicy: {terminateJobsOnUpdate: "yes"}\n')).toBe(
      `${FILE}: field "changes.computeEnvironment.updatePolicy.terminateJobsOnUpdate" must be true or false (got the text "yes").`,
    );
  });

  it('a wrong type inside a list entry, with the index in the path', () => {
    const message = changesError(
      '  launchTemplate:\n    data:\n      BlockDeviceMappings:\n        - DeviceName: /dev/xvda\n          Ebs: {VolumeSize: 100}\n        - DeviceName: /dev/xvdb\n          Ebs: {VolumeSize: big}\n',
    );
    expect(message).toBe(
      `${FILE}: field "changes.launchTemplate.data.BlockDeviceMappings[1].Ebs.VolumeSize" must be a whole number (or null to remove it) (got the text "big").`,
    );
  });

  it('null for a member the API requires: it cannot be removed', () => {
    expect(changesError('  computeEnvironment:\n    computeResources:\n      maxvCpus: null\n')).toBe(
      `${FILE}: field "changes.computeEnvironment.computeResources.maxvCpus" must be a whole number (got null).`,
    );
  });

  it('null where the change is set as it is, not merged (job queue)', () => {
    expect(changesError('  jobQueue:\n    priority: null\n')).toBe(
      `${FILE}: field "changes.jobQueue.priority" must be a whole number (got null).`,
    );
  });
});

describe('enums', () => {
  it('lists the values in words', () => {
    expect(changesError('  computeEnvironment:\n    computeResources:\n      allocationStrategy: CHEAPEST\n')).toMatch(
      /^plans\/x\.yaml: field "changes\.computeEnvironment\.computeResources\.allocationStrategy" must be one of BEST_FIT, BEST_FIT_PROGRESSIVE, SPOT_CAPACITY_OPTIMIZED, .* \(got the text "CHEAPEST"\)\.$/,
    );
  });

  it('checks an enum inside a list', () => {
    const message = changesError('  jobDefinitions:\n    app:\n      platformCapabilities: [EC2, LAMBDA]\n');
    expect(message).toContain('field "changes.jobDefinitions.app.platformCapabilities[1]" must be one of EC2, FARGATE');
    expect(message).toContain('(got the text "LAMBDA")');
  });

  it('checks an EC2 enum in a launch template', () => {
    expect(changesError('  launchTemplate:\n    data:\n      MetadataOptions: {HttpTokens: sometimes}\n')).toBe(
      `${FILE}: field "changes.launchTemplate.data.MetadataOptions.HttpTokens" must be one of optional, required (got the text "sometimes").`,
    );
  });

  it('leaves instance types open: EC2 launches new ones faster than the SDK learns them', () => {
    accepts('  launchTemplate:\n    data:\n      InstanceType: z99.metal-next\n');
  });
});

describe('unknown and refused members', () => {
  it('suggests the member a typo meant', () => {
    expect(changesError('  computeEnvironment:\n    computeResources:\n      maxVCpus: 4\n')).toBe(
      `${FILE}: field "changes.computeEnvironment.computeResources.maxVCpus" is not allowed (did you mean "maxvCpus"?).`,
    );
  });

  it('refuses an unknown nested member, listing the ones there are', () => {
    expect(changesError('  jobDefinitions:\n    app:\n      timeout: {seconds: 60}\n')).toBe(
      `${FILE}: field "changes.jobDefinitions.app.timeout.seconds" is not allowed; the fields allowed here are attemptDurationSeconds.`,
    );
  });

  it('refuses a member batchctl does not change, with the reason and what can change', () => {
    const message = changesError('  jobQueue:\n    computeEnvironmentOrder: []\n');
    expect(message).toBe(
      `${FILE}: field "changes.jobQueue.computeEnvironmentOrder" cannot be changed: B's order is A's, mapped to B's compute environments; the fields you can change here are priority, schedulingPolicyArn, jobStateTimeLimitActions, tags.`,
    );
  });

  it('refuses a job definition member only Describe returns, saying why', () => {
    expect(changesError('  jobDefinitions:\n    app:\n      status: ACTIVE\n')).toContain(
      'field "changes.jobDefinitions.app.status" cannot be changed: set by AWS; only in the Describe response: a registered revision is ACTIVE;',
    );
  });

  it('refuses computeEnvironment.type with its reason', () => {
    expect(changesError('  computeEnvironment:\n    type: UNMANAGED\n')).toContain(
      `field "changes.computeEnvironment.type" cannot be changed: B keeps A's type (MANAGED or UNMANAGED);`,
    );
  });
});

describe('ranges, lengths and required members', () => {
  it('a number above the range', () => {
    expect(changesError('  jobQueue:\n    priority: 1001\n')).toBe(
      `${FILE}: field "changes.jobQueue.priority" must be at most 1000 (got the number 1001).`,
    );
  });

  it('a number below the model range', () => {
    expect(changesError('  computeEnvironment:\n    updatePolicy: {jobExecutionTimeoutMinutes: 0}\n')).toBe(
      `${FILE}: field "changes.computeEnvironment.updatePolicy.jobExecutionTimeoutMinutes" must be at least 1 (got the number 0).`,
    );
  });

  it('an empty service role, which would otherwise change nothing', () => {
    expect(changesError('  computeEnvironment:\n    serviceRole: ""\n')).toBe(
      `${FILE}: field "changes.computeEnvironment.serviceRole" must be at least 1 character long (got 0).`,
    );
  });

  it('a tag key longer than the model allows', () => {
    const key = 'k'.repeat(129);
    expect(changesError(`  computeEnvironment:\n    tags: {${key}: v}\n`)).toBe(
      `${FILE}: field "changes.computeEnvironment.tags" has a key "${key}" longer than 128 characters.`,
    );
  });

  it('a text longer than the model allows', () => {
    expect(
      changesError(
        `  computeEnvironment:\n    computeResources:\n      ec2Configuration: [{imageType: ${'x'.repeat(257)}}]\n`,
      ),
    ).toBe(
      `${FILE}: field "changes.computeEnvironment.computeResources.ec2Configuration[0].imageType" must be at most 256 characters long (got 257).`,
    );
  });

  it('a list entry without a member the API requires (entries replace whole)', () => {
    expect(
      changesError(
        '  jobQueue:\n    jobStateTimeLimitActions:\n      - {reason: "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY", state: RUNNABLE, action: CANCEL}\n',
      ),
    ).toBe(`${FILE}: field "changes.jobQueue.jobStateTimeLimitActions[0].maxTimeSeconds" is missing.`);
  });

  it('a required member missing deep in a job definition list', () => {
    expect(
      changesError(
        '  jobDefinitions:\n    app:\n      containerProperties:\n        resourceRequirements: [{type: VCPU}]\n',
      ),
    ).toBe(`${FILE}: field "changes.jobDefinitions.app.containerProperties.resourceRequirements[0].value" is missing.`);
  });

  it('does not demand required members of a mapping merged onto A (A has them)', () => {
    accepts('  jobDefinitions:\n    app:\n      nodeProperties: {numNodes: 4}\n');
  });
});

describe('secrets are never shown', () => {
  it('user data of the wrong type: the type, not the value', () => {
    expect(changesError('  launchTemplate:\n    data:\n      UserData: 314159\n')).toBe(
      `${FILE}: field "changes.launchTemplate.data.UserData" must be text (or null to remove it) (got a number).`,
    );
  });

  it('an environment given as text', () => {
    const message = changesError(
      '  jobDefinitions:\n    app:\n      containerProperties:\n        environment: "PASSWORD=hunter2"\n',
    );
    expect(message).toBe(
      `${FILE}: field "changes.jobDefinitions.app.containerProperties.environment" must be a list (or null to remove it) (got text (not shown: it may be secret)).`,
    );
    expect(message).not.toContain('hunter2');
  });

  it('an environment entry with a wrong member and a wrong value type', () => {
    const message = changesError(
      '  jobDefinitions:\n    app:\n      containerProperties:\n        environment:\n          - {name: TOKEN, value: 271828, secret: hunter2}\n',
    );
    expect(message).toContain(
      'field "changes.jobDefinitions.app.containerProperties.environment[0].value" must be text',
    );
    expect(message).toContain(
      'field "changes.jobDefinitions.app.containerProperties.environment[0].secret" is not allowed',
    );
    expect(message).not.toMatch(/271828|hunter2/);
  });

  it('an EKS env value, a parameter and a log option', () => {
    const message = changesError(
      [
        '  jobDefinitions:',
        '    app:',
        '      parameters: {password: 161803}',
        '      containerProperties:',
        '        logConfiguration: {logDriver: splunk, options: {splunk-token: 141421}}',
        '      eksProperties:',
        '        podProperties:',
        '          containers: [{image: app, env: [{name: K, value: 173205}]}]',
        '',
      ].join('\n'),
    );
    expect(message).toMatch(/^plans\/x\.yaml: 3 problems: /);
    expect(message).not.toMatch(/161803|141421|173205/);
  });
});

describe('several problems', () => {
  it('reports every problem, one sentence each, in the order of the file, on one line', () => {
    expect(
      changesError(
        '  computeEnvironment:\n    computeResources:\n      maxvCpus: lots\n      minvCpus: -1.5\n  jobQueue:\n    priority: high\n',
      ),
    ).toBe(
      `${FILE}: 3 problems: field "changes.computeEnvironment.computeResources.maxvCpus" must be a whole number (got the text "lots"); field "changes.computeEnvironment.computeResources.minvCpus" must be a whole number (or null to remove it) (got the number -1.5); field "changes.jobQueue.priority" must be a whole number (got the text "high").`,
    );
  });

  it('lists ten and counts the rest', () => {
    const tags = Array.from({ length: 12 }, (_, i) => `t${i}: ${i}`).join(', ');
    const message = changesError(`  jobQueue:\n    tags: {${tags}}\n`);
    expect(message).toMatch(/^plans\/x\.yaml: 12 problems: /);
    expect(message.match(/field "/g)).toHaveLength(10);
    expect(message).toMatch(/; and 2 more\.$/);
  });
});

describe('numbers and true/false given as text, as a substituted ${var.NAME} gives them', () => {
  const changesOf = (changes: string) => parseSpec(`${HEAD}changes:\n${changes}`, FILE).changes;

  it('are read by the type of the field they land in', () => {
    expect(
      changesOf(
        '  computeEnvironment:\n    computeResources: {maxvCpus: "512", bidPercentage: "60"}\n    updatePolicy: {terminateJobsOnUpdate: "true"}\n  jobQueue:\n    priority: "20"\n',
      ),
    ).toEqual({
      computeEnvironment: {
        computeResources: { maxvCpus: 512, bidPercentage: 60 },
        updatePolicy: { terminateJobsOnUpdate: true },
      },
      jobQueue: { priority: 20 },
    });
  });

  it('reach typed fields inside list entries and job definitions', () => {
    expect(
      changesOf(
        '  jobDefinitions:\n    app:\n      containerProperties:\n        resourceRequirements: [{type: VCPU, value: "2"}]\n        ulimits: [{name: nofile, softLimit: "1024", hardLimit: "4096"}]\n',
      ),
    ).toEqual({
      jobDefinitions: {
        app: {
          containerProperties: {
            resourceRequirements: [{ type: 'VCPU', value: '2' }],
            ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 4096 }],
          },
        },
      },
    });
  });

  it('stay text where the field takes text (an image tag that looks like a number)', () => {
    expect(changesOf('  jobDefinitions:\n    app:\n      containerProperties: {image: "1.10"}\n')).toEqual({
      jobDefinitions: { app: { containerProperties: { image: '1.10' } } },
    });
  });

  it('are still refused when they are not a number: the field and the text are named', () => {
    expect(changesError('  computeEnvironment:\n    computeResources: {maxvCpus: "512 vCPUs"}\n')).toBe(
      `${FILE}: field "changes.computeEnvironment.computeResources.maxvCpus" must be a whole number (got the text "512 vCPUs").`,
    );
    expect(changesError('  computeEnvironment:\n    computeResources: {maxvCpus: "2.5"}\n')).toBe(
      `${FILE}: field "changes.computeEnvironment.computeResources.maxvCpus" must be a whole number (got the text "2.5").`,
    );
    expect(changesError('  computeEnvironment:\n    updatePolicy: {terminateJobsOnUpdate: "yes"}\n')).toContain(
      'must be true or false (got the text "yes")',
    );
  });

  it('an unsubstituted placeholder in a number field is named as such', () => {
    expect(changesError('  computeEnvironment:\n    computeResources: {maxvCpus: "${var.MAX}"}\n')).toBe(
      `${FILE}: field "changes.computeEnvironment.computeResources.maxvCpus" must be a whole number (got the text "\${var.MAX}").`,
    );
  });
});

describe('the messages docs/spec.md shows', () => {
  const doc = readFileSync(join(REPO, 'docs', 'spec.md'), 'utf8');
  const message = (changes: string) =>
    specError(`version: 1\nworkload: reproject\nlive: {jobQueue: reproject-a}\nchanges:\n${changes}`).message.replace(
      FILE,
      'plans/reproject.yaml',
    );

  it('are the messages batchctl prints', () => {
    expect(doc).toContain(message('  computeEnvironment:\n    computeResources: {maxvCpus: lots}\n'));
    expect(doc).toContain(
      message(
        '  computeEnvironment:\n    computeResources: {allocationStrategy: CHEAPEST}\n  jobQueue:\n    jobStateTimeLimitActions: [{reason: r, state: RUNNABLE, action: CANCEL}]\n',
      ),
    );
  });
});

describe('what stays valid', () => {
  it('null removes an optional member, at any depth', () => {
    accepts(
      '  launchTemplate:\n    data:\n      UserData: null\n      MetadataOptions: {HttpPutResponseHopLimit: null}\n  jobDefinitions:\n    app:\n      containerProperties: {command: null}\n      tags: {old: null}\n',
    );
  });

  it('every shipped example spec validates', () => {
    const examples = shippedExamples();
    expect(examples.length).toBeGreaterThanOrEqual(6);
    const failures = examples.flatMap(({ where, text }) => {
      try {
        parseSpec(text, where);
        return [];
      } catch (error) {
        return [(error as Error).message];
      }
    });
    expect(failures).toEqual([]);
  });
});

/** plans/*.yaml, and every YAML block of the docs: whole specs as they are, fragments under a minimal spec. */
function shippedExamples(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  for (const file of readdirSync(join(REPO, 'plans')).filter((f) => f.endsWith('.yaml'))) {
    out.push({ where: `plans/${file}`, text: readFileSync(join(REPO, 'plans', file), 'utf8') });
  }
  // The B → A spec the integration tests derive from plans/reproject.yaml (test/support/specs.ts).
  const dir = mkdtempSync(join(tmpdir(), 'spec-examples-'));
  out.push({ where: 'test/support/specs.ts writeBackToASpec', text: readFileSync(writeBackToASpec(dir), 'utf8') });
  rmSync(dir, { recursive: true });
  const docs = [
    'README.md',
    ...readdirSync(join(REPO, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  for (const doc of docs) {
    const text = readFileSync(join(REPO, doc), 'utf8');
    for (const [index, block] of [...text.matchAll(/^( *)```yaml\n([\s\S]*?)^\1```/gm)].entries()) {
      const indent = block[1]?.length ?? 0;
      const body = (block[2] ?? '')
        .split('\n')
        .map((line) => line.slice(indent))
        .join('\n');
      out.push({ where: `${doc} (YAML block ${index + 1})`, text: /^version:/m.test(body) ? body : `${HEAD}${body}` });
    }
  }
  return out;
}
