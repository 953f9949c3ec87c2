import {
  LOCK_FORMAT,
  LOCK_VALUE_MAX_BYTES,
  holderOf,
  lockIdOf,
  lockKeyOf,
  lockKeyOfPlan,
  lockParameterName,
  parameterNameProblem,
  parseLock,
  serializeLock,
  type LockRecord,
} from '../../../src/core/lock-key';

const record: LockRecord = {
  format: LOCK_FORMAT,
  id: 'lk-0a1b2c3d4e5f6071',
  workload: 'reproject',
  planId: 'p-5bfb6808ccab',
  operation: 'promote',
  startedAt: '2026-11-22T06:41:18.201Z',
  host: 'runner-7',
  pid: 4242,
  queueBase: 'reproject',
};

describe('lockKeyOf', () => {
  it('is the same for revision a, revision b and an adopted unsuffixed queue', () => {
    expect(lockKeyOf('reproject-a')).toBe('reproject');
    expect(lockKeyOf('reproject-b')).toBe('reproject');
    expect(lockKeyOf('reproject')).toBe('reproject');
  });

  it('uses the spec suffixes', () => {
    const suffixes = { a: '_blue', b: '_green' };
    expect(lockKeyOf('jobs_blue', suffixes)).toBe('jobs');
    expect(lockKeyOf('jobs_green', suffixes)).toBe('jobs');
  });
});

describe('lockKeyOfPlan', () => {
  it('takes the suffixes that turn the live queue into the target, as plan derived it', () => {
    expect(lockKeyOfPlan('reproject-a', 'reproject-b', [])).toBe('reproject');
    expect(lockKeyOfPlan('reproject-b', 'reproject-a', [])).toBe('reproject');
    expect(lockKeyOfPlan('reproject', 'reproject-b', [])).toBe('reproject');
    expect(lockKeyOfPlan('jobs_green', 'jobs_blue', [{ a: '_blue', b: '_green' }])).toBe('jobs');
  });

  it('gives A → B and the B → A swap after it the same key', () => {
    const suffixes = [{ a: '.1', b: '.2' }];
    expect(lockKeyOfPlan('q.1', 'q.2', suffixes)).toBe(lockKeyOfPlan('q.2', 'q.1', suffixes));
  });

  it('without the spec, still finds the base from the two names', () => {
    expect(lockKeyOfPlan('jobs_green', 'jobs_blue', [])).toBe('jobs');
    expect(lockKeyOfPlan('jobs', 'jobs_green', [])).toBe('jobs');
  });
});

describe('lockParameterName', () => {
  it('puts every lock under /batchctl/lock/job-queue/', () => {
    expect(lockParameterName('reproject')).toBe('/batchctl/lock/job-queue/reproject');
  });

  it('fits the longest queue base SSM could be asked for', () => {
    const base = 'q'.repeat(128);
    expect(parameterNameProblem(lockParameterName(base))).toBeUndefined();
  });

  it('refuses a key that would leave its level or SSM rules', () => {
    expect(() => lockParameterName('')).toThrow();
    expect(() => lockParameterName('a/b')).toThrow();
    expect(() => lockParameterName('a b')).toThrow();
  });
});

describe('parameterNameProblem (API_PutParameter Name rules)', () => {
  it('accepts letters, digits and _ . - /', () => {
    expect(parameterNameProblem('/batchctl/lock/job-queue/a_b.c-d')).toBeUndefined();
  });

  it('refuses other characters, over-long names, too many levels and reserved prefixes', () => {
    expect(parameterNameProblem('/x/a:b')).toMatch(/letters, digits/);
    expect(parameterNameProblem(`/${'x'.repeat(1011)}`)).toMatch(/1012 characters.*1011/);
    expect(parameterNameProblem(`/${Array.from({ length: 16 }, () => 'l').join('/')}`)).toMatch(/16 levels/);
    expect(parameterNameProblem('/aws/x')).toMatch(/aws/);
    expect(parameterNameProblem('ssm-x')).toMatch(/ssm/);
  });
});

describe('the value', () => {
  it('round-trips', () => {
    expect(parseLock(serializeLock(record))).toEqual(record);
  });

  it('names plan, operation, host, pid and start time in JSON', () => {
    expect(JSON.parse(serializeLock(record))).toMatchObject({
      planId: 'p-5bfb6808ccab',
      operation: 'promote',
      host: 'runner-7',
      pid: 4242,
      startedAt: '2026-11-22T06:41:18.201Z',
    });
  });

  it('stays within a standard parameter value (4 KB) whatever the host name', () => {
    const value = serializeLock({ ...record, host: 'h'.repeat(5000) });
    expect(Buffer.byteLength(value, 'utf8')).toBeLessThanOrEqual(LOCK_VALUE_MAX_BYTES);
    expect(parseLock(value)?.host).toMatch(/^h+\.\.\.$/);
    expect(parseLock(value)?.id).toBe(record.id);
  });

  it('is not a lock when it was not written by batchctl', () => {
    expect(parseLock('hand-made')).toBeUndefined();
    expect(parseLock('{}')).toBeUndefined();
    expect(parseLock(JSON.stringify({ ...record, format: 'other/1' }))).toBeUndefined();
    expect(parseLock(JSON.stringify({ ...record, operation: 'retire-everything' }))).toBeUndefined();
  });
});

it('lockIdOf and holderOf', () => {
  expect(lockIdOf(Uint8Array.from([0, 1, 2, 3, 250, 251, 252, 253]))).toBe('lk-00010203fafbfcfd');
  expect(holderOf(record)).toBe('runner-7 pid 4242');
});
