import { callerFindings, type CallerEntry } from '../../../src/core/callers-plan';
import { callerSelected, kindSearched } from '../../../src/core/callers-spec';
import { parseSpec } from '../../../src/core/spec';
import { drainGraceDetail } from '../../../src/services/callers';
import { renderCallers } from '../../../src/ui/callers-report';

const ref = { field: 'Environment.JOB_QUEUE', refersTo: 'queue' as const, before: 'reproject-a', after: 'reproject-b' };

function entry(overrides: Partial<CallerEntry>): CallerEntry {
  return {
    kind: 'rule',
    id: 'rule:default/nightly#t',
    name: 'default/nightly',
    references: [],
    unreadable: [],
    repoint: true,
    acknowledged: false,
    ...overrides,
  };
}

describe('callerFindings', () => {
  it('a Lambda that names A blocks until acknowledged, then warns', () => {
    const lambda = entry({
      kind: 'lambda',
      id: 'lambda:submitter',
      name: 'submitter',
      repoint: false,
      references: [ref],
    });
    const blocked = callerFindings([lambda]);
    expect(blocked.warnings).toEqual([]);
    expect(blocked.blockers).toEqual([
      {
        code: 'LambdaReference',
        resource: 'lambda:submitter',
        message:
          'Lambda function submitter names the live workload in its environment (Environment.JOB_QUEUE: reproject-a → reproject-b); batchctl does not change a function\'s configuration: deploy it with B\'s values before A is retired. To accept it, add "lambda:submitter" to callers.acknowledge in the spec.',
      },
    ]);
    const accepted = callerFindings([{ ...lambda, acknowledged: true }]);
    expect(accepted.blockers).toEqual([]);
    expect(accepted.warnings.map((w) => w.code)).toEqual(['LambdaReference']);
  });

  it('an unreadable value blocks; a repointed rule raises nothing', () => {
    const findings = callerFindings([
      entry({ unreadable: [{ field: 'InputTransformer.InputTemplate.JobQueue', reason: 'placeholder <q>' }] }),
      entry({ id: 'rule:default/other#t', references: [{ ...ref, field: 'Arn' }] }),
    ]);
    expect(findings.blockers.map((b) => [b.code, b.resource])).toEqual([
      ['CallerUnreadable', 'rule:default/nightly#t'],
    ]);
    expect(findings.warnings).toEqual([]);
  });

  it('a parameter not opted in blocks', () => {
    const param = entry({
      kind: 'parameter',
      id: 'parameter:/app/q',
      name: '/app/q',
      repoint: false,
      references: [ref],
    });
    expect(callerFindings([param]).blockers.map((b) => b.code)).toEqual(['ParameterReference']);
  });
});

describe('the callers section of the spec', () => {
  const base = 'version: 1\nworkload: w\nlive:\n  jobQueue: q-a\n';

  it('scopes each kind like stateMachines: all by default, a list (with or without bus/group), a prefix, none', () => {
    const spec = parseSpec(
      `${base}callers:\n  rules: {names: [jobs/nightly, hourly]}\n  schedules: {prefix: batch-}\n  pipes: {none: true}\n`,
      's.yaml',
    );
    expect(callerSelected(spec, 'rules', 'nightly', 'jobs/nightly')).toBe(true);
    expect(callerSelected(spec, 'rules', 'nightly', 'default/nightly')).toBe(false);
    expect(callerSelected(spec, 'rules', 'hourly', 'any/hourly')).toBe(true);
    expect(callerSelected(spec, 'schedules', 'batch-weekly')).toBe(true);
    expect(callerSelected(spec, 'schedules', 'weekly')).toBe(false);
    expect(kindSearched(spec, 'pipes')).toBe(false);
    expect(callerSelected(spec, 'lambdaFunctions', 'anything')).toBe(true);
  });

  it('refuses two selectors in one scope and a parameter path that is not absolute', () => {
    expect(() => parseSpec(`${base}callers:\n  rules: {all: true, prefix: x}\n`, 's.yaml')).toThrow(
      's.yaml: field "callers.rules" must have one of all, names, prefix or none, not all and prefix.',
    );
    expect(() => parseSpec(`${base}callers:\n  parameters: {paths: [app]}\n`, 's.yaml')).toThrow(
      's.yaml: field "callers.parameters.paths[0]" must be an absolute path, starting with / (got the text "app").',
    );
  });
});

it('the plan report lists each caller with before → after, and says a disabled one is repointed all the same', () => {
  const lines = renderCallers({
    callers: [
      entry({ state: 'DISABLED', references: [{ ...ref, field: 'Arn' }] }),
      entry({ kind: 'lambda', id: 'lambda:submitter', repoint: false, references: [ref], acknowledged: true }),
    ],
  } as never);
  expect(lines).toEqual([
    '',
    'Other callers (1 to repoint in the cutover, 1 listed only)',
    '  ~ rule:default/nightly#t [DISABLED, repointed all the same]',
    '      Arn: reproject-a → reproject-b',
    '  ! lambda:submitter (not changed by batchctl: deploy the function with the new values)',
    '      Environment.JOB_QUEUE: reproject-a → reproject-b',
  ]);
});

it('the drain says repointed rules, schedules and pipes send nothing new after the grace period', () => {
  expect(drainGraceDetail({ callers: [] } as never)).toBe('grace period for Step Functions consistency');
  expect(
    drainGraceDetail({ callers: [entry({}), entry({ kind: 'lambda', id: 'lambda:f', repoint: false })] } as never),
  ).toBe(
    'grace period for Step Functions consistency; the 1 repointed caller (rules, schedules, pipes, parameters) submits at once, so nothing new comes from them after it',
  );
});
