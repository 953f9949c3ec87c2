import { checkQuota, DEFAULT_QUOTA, type QuotaInput, type QuotaLine } from '../../../src/core/quota';

function input(overrides: Partial<QuotaInput> = {}): QuotaInput {
  return {
    limits: DEFAULT_QUOTA,
    existingComputeEnvironments: 10,
    existingJobQueues: 10,
    newComputeEnvironments: 2,
    newJobQueues: 1,
    computeEnvironmentsInQueue: 2,
    ...overrides,
  };
}

function line(lines: QuotaLine[], resource: QuotaLine['resource']): QuotaLine {
  const found = lines.find((l) => l.resource === resource);
  if (!found) throw new Error(`no ${resource} line`);
  return found;
}

describe('DEFAULT_QUOTA', () => {
  it('is 50 compute environments, 50 job queues, 3 compute environments per queue (aws-facts §1.1)', () => {
    expect(DEFAULT_QUOTA).toStrictEqual({ computeEnvironments: 50, jobQueues: 50, computeEnvironmentsPerQueue: 3 });
  });
});

describe('checkQuota', () => {
  it('returns one line per resource, in a fixed order, with current and during counts', () => {
    expect(checkQuota(input())).toStrictEqual([
      { resource: 'compute-environments', limit: 50, current: 10, during: 12, ok: true },
      { resource: 'job-queues', limit: 50, current: 10, during: 11, ok: true },
      { resource: 'compute-environments-per-queue', limit: 3, current: 2, during: 2, ok: true },
    ]);
  });

  it('is ok with compute environments exactly at the limit', () => {
    const ces = line(
      checkQuota(input({ existingComputeEnvironments: 48, newComputeEnvironments: 2 })),
      'compute-environments',
    );
    expect(ces).toStrictEqual({ resource: 'compute-environments', limit: 50, current: 48, during: 50, ok: true });
  });

  it('is not ok with compute environments one over the limit', () => {
    const ces = line(
      checkQuota(input({ existingComputeEnvironments: 49, newComputeEnvironments: 2 })),
      'compute-environments',
    );
    expect(ces).toStrictEqual({ resource: 'compute-environments', limit: 50, current: 49, during: 51, ok: false });
  });

  it('is ok with job queues exactly at the limit', () => {
    const queues = line(checkQuota(input({ existingJobQueues: 49, newJobQueues: 1 })), 'job-queues');
    expect(queues).toStrictEqual({ resource: 'job-queues', limit: 50, current: 49, during: 50, ok: true });
  });

  it('is not ok with job queues one over the limit', () => {
    const queues = line(checkQuota(input({ existingJobQueues: 50, newJobQueues: 1 })), 'job-queues');
    expect(queues).toStrictEqual({ resource: 'job-queues', limit: 50, current: 50, during: 51, ok: false });
  });

  it('judges each resource on its own', () => {
    const lines = checkQuota(
      input({ existingComputeEnvironments: 50, newComputeEnvironments: 1, existingJobQueues: 3 }),
    );
    expect(lines.map((l) => [l.resource, l.ok])).toStrictEqual([
      ['compute-environments', false],
      ['job-queues', true],
      ['compute-environments-per-queue', true],
    ]);
  });

  it('counts nothing new when B already exists (re-run)', () => {
    const lines = checkQuota(
      input({ existingComputeEnvironments: 50, newComputeEnvironments: 0, existingJobQueues: 50, newJobQueues: 0 }),
    );
    expect(lines.every((l) => l.ok)).toBe(true);
  });

  it('allows 3 compute environments per queue and refuses 4', () => {
    expect(line(checkQuota(input({ computeEnvironmentsInQueue: 3 })), 'compute-environments-per-queue')).toStrictEqual({
      resource: 'compute-environments-per-queue',
      limit: 3,
      current: 3,
      during: 3,
      ok: true,
    });
    expect(line(checkQuota(input({ computeEnvironmentsInQueue: 4 })), 'compute-environments-per-queue')).toStrictEqual({
      resource: 'compute-environments-per-queue',
      limit: 3,
      current: 4,
      during: 4,
      ok: false,
    });
  });

  it('uses custom limits', () => {
    const limits = { computeEnvironments: 10, jobQueues: 5, computeEnvironmentsPerQueue: 6 };
    expect(
      checkQuota(
        input({
          limits,
          existingComputeEnvironments: 8,
          newComputeEnvironments: 3,
          existingJobQueues: 4,
          newJobQueues: 1,
          computeEnvironmentsInQueue: 4,
        }),
      ),
    ).toStrictEqual([
      { resource: 'compute-environments', limit: 10, current: 8, during: 11, ok: false },
      { resource: 'job-queues', limit: 5, current: 4, during: 5, ok: true },
      { resource: 'compute-environments-per-queue', limit: 6, current: 4, during: 4, ok: true },
    ]);
  });
});
