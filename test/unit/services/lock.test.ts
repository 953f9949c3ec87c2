/**
 * The workload lock against SSM and EC2 served at the HTTP level as AWS serves them (./aws-wire.ts): it is taken and
 * released on a real account's terms, contention is refused naming the holder, and --force-unlock breaks only the
 * lock it names.
 */
import { hostname } from 'node:os';

import { createAws, type Aws } from '../../../src/aws/clients';
import { BatchctlError } from '../../../src/errors';
import { acquireLock, readLock, type AcquireOptions } from '../../../src/services/lock';
import { PARAMETER_ALREADY_EXISTS, serveEc2, serveSsm, ssmError, type FakeSsm } from './aws-wire';
import { useNock } from '../aws/wire';

const PARAMETER = '/batchctl/lock/job-queue/reproject';

let aws: Aws;
let ssm: FakeSsm;
let ec2: { actions: string[] };
let warnings: string[];

function options(overrides: Partial<AcquireOptions> = {}): AcquireOptions {
  return {
    key: 'reproject',
    workload: 'reproject',
    planId: 'p-0123456789ab',
    operation: 'promote',
    command: 'batchctl promote plans/reproject.plan.json',
    onWarning: (message) => warnings.push(message),
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<BatchctlError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BatchctlError)) throw new Error(`expected a BatchctlError, got ${String(error)}`);
  return error;
}

useNock();
beforeAll(() => {
  delete process.env.AWS_ENDPOINT_URL;
});

beforeEach(() => {
  warnings = [];
  ssm = serveSsm();
  ec2 = serveEc2();
  aws = createAws({ region: 'us-east-1' });
});

afterEach(() => {
  aws.destroy();
});

describe('taking the lock on a real account', () => {
  it('succeeds where EC2 refuses an empty launch template, and is released', async () => {
    const lock = await acquireLock(aws, options());

    expect(lock.info).toMatchObject({ workload: 'reproject', planId: 'p-0123456789ab', operation: 'promote' });
    expect(lock.info.id).toMatch(/^lk-[0-9a-f]{16}$/);
    expect(lock.info.holder).toBe(`${hostname()} pid ${process.pid}`);
    // Created without overwrite, so a second creator is refused atomically (API_PutParameter).
    const put = ssm.calls.find((c) => c.operation === 'PutParameter');
    expect(put?.body).toMatchObject({ Name: PARAMETER, Type: 'String', Tier: 'Standard' });
    expect(put?.body.Overwrite).not.toBe(true);
    expect(put?.body.Tags).toEqual([
      { Key: 'batchctl:workload', Value: 'reproject' },
      { Key: 'batchctl:plan', Value: 'p-0123456789ab' },
    ]);
    const stored = ssm.store.get(PARAMETER);
    expect(JSON.parse(stored?.value ?? '{}')).toEqual({
      format: 'batchctl-lock/1',
      id: lock.info.id,
      workload: 'reproject',
      planId: 'p-0123456789ab',
      operation: 'promote',
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      host: hostname(),
      pid: process.pid,
      queueBase: 'reproject',
    });
    expect(await readLock(aws, 'reproject')).toEqual(lock.info);

    await lock.release();
    expect(ssm.store.has(PARAMETER)).toBe(false);
    expect(warnings).toEqual([]);
    expect(ec2.actions).toEqual([]);
  });
});

describe('contention', () => {
  it('refuses a second run with exit 8, naming holder, plan and start time, and changes nothing', async () => {
    const first = await acquireLock(aws, options());
    const before = ssm.store.get(PARAMETER);

    const error = await refusal(acquireLock(aws, options({ planId: 'p-bbbbbbbbbbbb', operation: 'rollback' })));

    expect(error.code).toBe('Locked');
    expect(error.exitCode).toBe(8);
    expect(error.message).toBe(
      `Workload reproject is locked by promote of plan p-0123456789ab since ${first.info.startedAt} (${hostname()} pid ${process.pid}, lock ${first.info.id}).`,
    );
    expect(error.suggestions[0]).toBe(
      `Wait for it to finish. If that run is dead, break the lock: batchctl promote plans/reproject.plan.json --force-unlock ${first.info.id}`,
    );
    expect(ssm.calls.filter((c) => c.operation === 'PutParameter')).toHaveLength(2);
    expect(ssm.store.get(PARAMETER)).toEqual(before);
  });

  it('--force-unlock with a wrong id refuses and changes nothing', async () => {
    const held = await acquireLock(aws, options());
    const before = ssm.store.get(PARAMETER);
    const callsBefore = ssm.calls.length;

    const error = await refusal(
      acquireLock(aws, options({ planId: 'p-bbbbbbbbbbbb', forceUnlock: 'lk-0000000000000000' })),
    );

    expect(error.code).toBe('LockIdMismatch');
    expect(error.exitCode).toBe(8);
    expect(error.message).toBe(
      `--force-unlock lk-0000000000000000 does not name the current lock of reproject (${held.info.id}); nothing was unlocked.`,
    );
    expect(ssm.calls.slice(callsBefore).map((c) => c.operation)).toEqual(['GetParameter']);
    expect(ssm.store.get(PARAMETER)).toEqual(before);
  });

  it('--force-unlock with the current id breaks the lock and takes it; the broken run then leaves it alone', async () => {
    const stale = await acquireLock(aws, options());

    const taken = await acquireLock(aws, options({ planId: 'p-bbbbbbbbbbbb', forceUnlock: stale.info.id }));

    expect(taken.info.id).not.toBe(stale.info.id);
    expect(taken.info.planId).toBe('p-bbbbbbbbbbbb');
    expect(await readLock(aws, 'reproject')).toEqual(taken.info);
    // The run whose lock was broken finishes after all: it must not delete the lock another run now holds.
    await stale.release();
    expect(await readLock(aws, 'reproject')).toEqual(taken.info);
    expect(warnings).toEqual([
      `lock ${stale.info.id} of reproject was broken while this run held it; the lock now there (${taken.info.id}, promote of plan p-bbbbbbbbbbbb) was left in place.`,
    ]);
    await taken.release();
    expect(ssm.store.has(PARAMETER)).toBe(false);
  });

  it('--force-unlock when no lock is held just takes it', async () => {
    const lock = await acquireLock(aws, options({ forceUnlock: 'lk-0000000000000000' }));
    expect(await readLock(aws, 'reproject')).toEqual(lock.info);
  });

  it('asks again when the holder released between our put and our read, a bounded number of times', async () => {
    let refusals = 1;
    ssm.override = (call) =>
      call.operation === 'PutParameter' && refusals-- > 0
        ? ssmError('ParameterAlreadyExists', PARAMETER_ALREADY_EXISTS)
        : undefined;
    const lock = await acquireLock(aws, options());
    expect(ssm.operations()).toEqual(['PutParameter', 'GetParameter', 'PutParameter']);
    expect(await readLock(aws, 'reproject')).toEqual(lock.info);

    ssm.store.clear();
    ssm.calls.length = 0;
    ssm.override = (call) =>
      call.operation === 'PutParameter' ? ssmError('ParameterAlreadyExists', PARAMETER_ALREADY_EXISTS) : undefined;
    const error = await refusal(acquireLock(aws, options()));
    expect(error.exitCode).toBe(8);
    expect(error.message).toBe(
      `The lock of reproject (SSM parameter ${PARAMETER}) changed hands 3 times while this run asked for it.`,
    );
    expect(ssm.operations().filter((o) => o === 'PutParameter')).toHaveLength(3);
  });

  it('takes a lock its own put created when that put’s reply was lost and the SDK retried it', async () => {
    let lost = false;
    ssm.override = (call, store) => {
      if (call.operation !== 'PutParameter' || lost) return undefined;
      lost = true;
      // The parameter is written, then the connection drops: the SDK sees a 5xx and sends the same put again.
      store.set(String(call.body.Name), { value: String(call.body.Value), version: 1, tags: {} });
      return [503, '', { 'content-type': 'application/x-amz-json-1.1' }];
    };
    const lock = await acquireLock(aws, options());
    expect(ssm.operations()).toEqual(['PutParameter', 'PutParameter', 'GetParameter']);
    expect(await readLock(aws, 'reproject')).toEqual(lock.info);
  });

  it('a parameter batchctl did not write at the lock name still holds the lock, and is broken by its version', async () => {
    ssm.store.set(PARAMETER, { value: 'hand-made', version: 4, tags: {} });
    const error = await refusal(acquireLock(aws, options()));
    expect(error.code).toBe('Locked');
    expect(error.message).toContain('lock v4)');
    const lock = await acquireLock(aws, options({ forceUnlock: 'v4' }));
    expect(lock.info.id).toMatch(/^lk-/);
  });
});

describe('release', () => {
  it('never throws: a failed delete is a warning naming the lock to break', async () => {
    const lock = await acquireLock(aws, options());
    ssm.override = (call) =>
      call.operation === 'DeleteParameter'
        ? ssmError('AccessDeniedException', `User is not authorized to perform: ssm:DeleteParameter`)
        : undefined;

    await expect(lock.release()).resolves.toBeUndefined();

    expect(warnings).toEqual([
      `could not release lock ${lock.info.id} of reproject (SSM parameter ${PARAMETER}); the next run must pass --force-unlock ${lock.info.id}.`,
    ]);
    expect(ssm.store.has(PARAMETER)).toBe(true);
  });

  it('is quiet when the lock is already gone', async () => {
    const lock = await acquireLock(aws, options());
    ssm.store.clear();
    await lock.release();
    expect(warnings).toEqual([]);
  });
});

describe('the key', () => {
  it('two workloads naming the same queue take the same lock', async () => {
    await acquireLock(aws, options({ workload: 'nightly' }));
    const error = await refusal(acquireLock(aws, options({ workload: 'reproject-again', planId: 'p-cccccccccccc' })));
    expect(error.message).toMatch(/^Workload nightly is locked by promote of plan p-0123456789ab /);
  });
});
