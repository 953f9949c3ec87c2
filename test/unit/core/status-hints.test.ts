import {
  checkHolder,
  lockSentence,
  nextCommands,
  PRESUMED_DEAD_AFTER_MS,
  type HintInput,
} from '../../../src/core/status-hints';

const NOW = Date.parse('2026-11-30T12:00:00Z');

describe('checkHolder', () => {
  const lock = { host: 'runner-7', pid: 4242, startedAt: '2026-11-30T11:00:00.000Z' };

  it('is exact on the lock’s own host: the process runs or it does not', () => {
    expect(checkHolder(lock, { host: 'runner-7', now: NOW, pidRunning: true }).state).toBe('running');
    expect(checkHolder(lock, { host: 'runner-7', now: NOW, pidRunning: false })).toStrictEqual({
      state: 'dead',
      reason: 'process 4242 no longer runs on this host (runner-7)',
    });
  });

  it('cannot tell on another host until the lock is older than the limit, then presumes it dead', () => {
    expect(checkHolder(lock, { host: 'laptop', now: NOW }).state).toBe('unknown');
    const old = Date.parse(lock.startedAt) + PRESUMED_DEAD_AFTER_MS + 1;
    expect(checkHolder(lock, { host: 'laptop', now: old })).toStrictEqual({
      state: 'presumed-dead',
      reason: 'taken 24 hours ago on another host (runner-7); no run with the default timeouts lasts that long',
    });
    expect(checkHolder(lock, { host: 'laptop', now: old - 2 }).state).toBe('unknown');
  });

  it('cannot tell for a lock that does not say when it was taken', () => {
    expect(checkHolder({ host: '', pid: 0, startedAt: 'unknown' }, { host: 'laptop', now: NOW }).state).toBe('unknown');
  });
});

describe('lockSentence', () => {
  it('names the operation, the holder and the time', () => {
    expect(lockSentence({ operation: 'promote', holder: 'runner-7 pid 4242', startedAt: '2026-11-30T11:00:00Z' })).toBe(
      'a promote is in progress (lock held by runner-7 pid 4242 since 2026-11-30T11:00:00Z)',
    );
  });
});

describe('nextCommands', () => {
  const base: HintInput = {
    phase: 'drained',
    specPath: 'plans/reproject.yaml',
    replanPath: 'plans/reproject.plan.json',
    swapPlanId: 'p-111111111111',
    noTerminal: false,
  };
  const dead = { state: 'dead' as const, reason: 'gone' };
  const alive = { state: 'running' as const, reason: 'runs' };

  it('suggests nothing with no swap and no lock', () => {
    expect(nextCommands({ ...base, phase: 'none' })).toStrictEqual([]);
  });

  it('names the plan file given when it is the plan of the swap', () => {
    expect(nextCommands({ ...base, planFile: { path: 'out/p.json', id: 'p-111111111111' } })).toStrictEqual([
      'batchctl promote out/p.json   # finish the swap',
      'batchctl rollback out/p.json  # go back to the previous revision',
    ]);
  });

  it('adds --yes where no terminal can confirm', () => {
    expect(nextCommands({ ...base, noTerminal: true, planFile: { path: 'p.json', id: 'p-111111111111' } })).toEqual([
      'batchctl promote p.json --yes   # finish the swap',
      'batchctl rollback p.json --yes  # go back to the previous revision',
    ]);
  });

  it('re-plans the spec before any reference moved, writing to the path it then promotes', () => {
    expect(nextCommands({ ...base, phase: 'building' })).toStrictEqual([
      'batchctl plan plans/reproject.yaml --out plans/reproject.plan.json && batchctl promote plans/reproject.plan.json   # finish the swap',
      'batchctl plan plans/reproject.yaml --out plans/reproject.plan.json && batchctl rollback plans/reproject.plan.json  # go back to the previous revision',
    ]);
  });

  it('says a re-plan needs the values of the variables the spec uses', () => {
    expect(nextCommands({ ...base, phase: 'built', specVariables: ['IMAGE_TAG'] })[0]).toBe(
      "batchctl plan plans/reproject.yaml --out plans/reproject.plan.json && batchctl promote plans/reproject.plan.json   # finish the swap (with the values the swap's plan was made with: --var IMAGE_TAG=… or BATCHCTL_VAR_IMAGE_TAG)",
    );
    expect(
      nextCommands({
        ...base,
        phase: 'built',
        specVariables: ['IMAGE_TAG'],
        planFile: { path: 'p.json', id: 'p-111111111111' },
      })[0],
    ).toBe('batchctl promote p.json   # finish the swap');
  });

  it('names no file and no placeholder command once references moved and no plan file was given', () => {
    const [only, ...rest] = nextCommands(base);
    expect(rest).toEqual([]);
    expect(only).toBe(
      'references have moved, so only the plan file of plan p-111111111111 finishes or reverses it; run `batchctl status plans/reproject.yaml` again with --plan and that file to check it and print the exact commands',
    );
  });

  it('says so when the plan file given is another plan', () => {
    expect(nextCommands({ ...base, planFile: { path: 'old.json', id: 'p-999999999999' } })[0]).toContain(
      '(old.json is plan p-999999999999, not plan p-111111111111)',
    );
  });

  it('offers no rollback once A is being retired', () => {
    expect(
      nextCommands({ ...base, phase: 'retiring', planFile: { path: 'p.json', id: 'p-111111111111' } }),
    ).toStrictEqual(['batchctl promote p.json   # finish the swap']);
  });

  it('never suggests promote while a live run holds the lock, only following it', () => {
    const lock = { id: 'lk-1', planId: 'p-111111111111', operation: 'promote' as const, holder: alive };
    const out = nextCommands({ ...base, lock, planFile: { path: 'p.json', id: 'p-111111111111' } });
    expect(out).toStrictEqual(['batchctl status plans/reproject.yaml --watch   # follow the promote until it ends']);
    expect(nextCommands({ ...base, lock: { ...lock, holder: { state: 'unknown', reason: '' } } })).toEqual(out);
  });

  it('breaks a dead holder’s lock and finishes its operation, with --yes without a terminal', () => {
    const lock = { id: 'lk-1', planId: 'p-111111111111', operation: 'promote' as const, holder: dead };
    expect(
      nextCommands({ ...base, lock, noTerminal: true, planFile: { path: 'p.json', id: 'p-111111111111' } }),
    ).toStrictEqual([
      "batchctl promote p.json --force-unlock lk-1 --yes   # break the dead run's lock and finish its promote",
    ]);
    expect(nextCommands({ ...base, phase: 'built', lock: { ...lock, operation: 'rollback' } })).toStrictEqual([
      "batchctl plan plans/reproject.yaml --out plans/reproject.plan.json && batchctl rollback plans/reproject.plan.json --force-unlock lk-1   # break the dead run's lock and finish its rollback",
    ]);
    expect(nextCommands({ ...base, lock, noTerminal: true })[0]).toMatch(
      /only the plan file of plan p-111111111111 finishes or reverses it.*; add --force-unlock lk-1 --yes to break the dead run's lock$/,
    );
  });

  it('says a dead lock over a finished swap is only left over', () => {
    const lock = { id: 'lk-1', planId: 'p-1', operation: 'promote' as const, holder: dead };
    expect(nextCommands({ ...base, phase: 'none', lock })).toStrictEqual([
      "nothing is half done; the dead run's lock is left over: the next promote or rollback of this workload passes --force-unlock lk-1",
    ]);
  });
});
