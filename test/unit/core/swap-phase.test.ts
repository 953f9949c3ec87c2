import { deriveSwap, type RevisionObservation } from '../../../src/core/swap-phase';

const T0 = Date.parse('2026-11-01T10:00:00Z');
const T1 = Date.parse('2026-11-20T10:00:00Z');

/** A complete revision: queue, one compute environment, one launch template. */
function revision(label: 'a' | 'b', over: Partial<RevisionObservation> = {}): RevisionObservation {
  return {
    label,
    queue: { state: 'ENABLED', referenced: false },
    computeEnvironments: ['ENABLED'],
    launchTemplates: 1,
    ...over,
  };
}

const referenced = { state: 'ENABLED', referenced: true };

describe('deriveSwap: one revision or none', () => {
  it('is none with the one queue live', () => {
    expect(deriveSwap({ revisions: [revision('a', { queue: referenced })] })).toStrictEqual({
      phase: 'none',
      live: 'a',
    });
  });

  it('is none with nothing live when nothing stands', () => {
    expect(deriveSwap({ revisions: [] })).toStrictEqual({ phase: 'none' });
    const gone = revision('b', { queue: undefined, computeEnvironments: [], launchTemplates: 0 });
    expect(deriveSwap({ revisions: [revision('a', { queue: referenced }), gone] })).toStrictEqual({
      phase: 'none',
      live: 'a',
    });
  });
});

describe('deriveSwap: the first swap, A adopted (no plan tag) and B from plan p-1', () => {
  const a = (over: Partial<RevisionObservation> = {}): RevisionObservation =>
    revision('a', { queue: referenced, createdAt: T0, ...over });
  const b = (over: Partial<RevisionObservation> = {}): RevisionObservation =>
    revision('b', { planId: 'p-1', createdAt: T1, ...over });

  it('is building while B has a launch template but no compute environment nor queue', () => {
    expect(deriveSwap({ revisions: [a(), b({ queue: undefined, computeEnvironments: [] })] })).toStrictEqual({
      phase: 'building',
      live: 'a',
      incoming: 'b',
      outgoing: 'a',
      orderedBy: 'adopted',
    });
  });

  it('is building while B has its compute environments but no queue', () => {
    expect(deriveSwap({ revisions: [a(), b({ queue: undefined })] }).phase).toBe('building');
  });

  it('is built when B stands unreferenced beside a referenced A', () => {
    expect(deriveSwap({ revisions: [a(), b()] })).toMatchObject({ phase: 'built', live: 'a', incoming: 'b' });
  });

  it('is cutting-over when both are referenced', () => {
    expect(deriveSwap({ revisions: [a(), b({ queue: referenced })] })).toMatchObject({
      phase: 'cutting-over',
      live: 'a',
    });
  });

  it('is draining when only B is referenced and A is enabled', () => {
    expect(
      deriveSwap({ revisions: [a({ queue: { state: 'ENABLED', referenced: false } }), b({ queue: referenced })] }),
    ).toMatchObject({ phase: 'draining', live: 'b', incoming: 'b', outgoing: 'a' });
  });

  it('is drained when only B is referenced and A is disabled', () => {
    expect(
      deriveSwap({ revisions: [a({ queue: { state: 'DISABLED', referenced: false } }), b({ queue: referenced })] }),
    ).toMatchObject({ phase: 'drained', live: 'b' });
  });

  it("is retiring when A's queue is gone and its compute environment remains", () => {
    expect(
      deriveSwap({ revisions: [a({ queue: undefined, computeEnvironments: ['DISABLED'] }), b({ queue: referenced })] }),
    ).toMatchObject({ phase: 'retiring', live: 'b', outgoing: 'a' });
  });

  it("is retiring when only A's launch template remains", () => {
    expect(
      deriveSwap({
        revisions: [a({ queue: undefined, computeEnvironments: [] }), b({ queue: referenced })],
      }),
    ).toMatchObject({ phase: 'retiring', live: 'b' });
  });
});

describe('deriveSwap: the second swap (B → A), both revisions tagged by batchctl', () => {
  // B from plan p-1 (older templates) is live; A from plan p-2 is the copy being made.
  const b = (over: Partial<RevisionObservation> = {}): RevisionObservation =>
    revision('b', { planId: 'p-1', createdAt: T0, queue: referenced, ...over });
  const a = (over: Partial<RevisionObservation> = {}): RevisionObservation =>
    revision('a', { planId: 'p-2', createdAt: T1, ...over });

  it('tells A is incoming from when EC2 created the templates', () => {
    expect(deriveSwap({ revisions: [a(), b()] })).toMatchObject({
      phase: 'built',
      live: 'b',
      incoming: 'a',
      outgoing: 'b',
      orderedBy: 'created',
    });
  });

  it('is draining, not built, once every reference is on A', () => {
    expect(
      deriveSwap({ revisions: [a({ queue: referenced }), b({ queue: { state: 'ENABLED', referenced: false } })] }),
    ).toMatchObject({ phase: 'draining', live: 'a', incoming: 'a' });
  });

  it('is building, not retiring, while A has no queue yet', () => {
    expect(deriveSwap({ revisions: [a({ queue: undefined }), b()] })).toMatchObject({
      phase: 'building',
      live: 'b',
      incoming: 'a',
    });
  });

  it("is retiring, not building, when B's queue is gone after the cutover to A", () => {
    expect(
      deriveSwap({ revisions: [a({ queue: referenced }), b({ queue: undefined, computeEnvironments: ['ENABLED'] })] }),
    ).toMatchObject({ phase: 'retiring', live: 'a', outgoing: 'b' });
  });

  it('prefers the lock over creation times', () => {
    // Templates created in the other order (a template replaced by hand): the held lock names p-2's revision.
    const swapped = [a({ createdAt: T0 }), b({ createdAt: T1 })];
    expect(deriveSwap({ revisions: swapped, lockPlanId: 'p-2' })).toMatchObject({
      phase: 'built',
      incoming: 'a',
      orderedBy: 'lock',
    });
    expect(deriveSwap({ revisions: swapped })).toMatchObject({ incoming: 'b', orderedBy: 'created' });
  });

  it('does not let an old plan file (the swap that made the outgoing revision) turn the order round', () => {
    expect(deriveSwap({ revisions: [a(), b()], planId: 'p-1' })).toMatchObject({
      phase: 'built',
      incoming: 'a',
      orderedBy: 'created',
    });
  });

  it('uses the plan file when nothing in the account orders the revisions', () => {
    const untimed = [a({ createdAt: undefined }), b({ createdAt: undefined })];
    expect(deriveSwap({ revisions: untimed, planId: 'p-2' })).toMatchObject({ incoming: 'a', orderedBy: 'plan' });
    expect(deriveSwap({ revisions: untimed, planId: 'p-1' })).toMatchObject({ incoming: 'b', orderedBy: 'plan' });
  });

  it('ignores a lock or plan whose id neither revision carries', () => {
    expect(deriveSwap({ revisions: [a(), b()], lockPlanId: 'p-9', planId: 'p-8' })).toMatchObject({
      orderedBy: 'created',
    });
  });
});

describe('deriveSwap: nothing tells the revisions apart (no templates, both tagged, no lock)', () => {
  const untimed = (label: 'a' | 'b', planId: string, over: Partial<RevisionObservation> = {}): RevisionObservation =>
    revision(label, { planId, launchTemplates: 0, ...over });

  it('takes an unreferenced enabled queue as the one being built', () => {
    expect(deriveSwap({ revisions: [untimed('a', 'p-2'), untimed('b', 'p-1', { queue: referenced })] })).toMatchObject({
      phase: 'built',
      incoming: 'a',
      orderedBy: 'assumed',
    });
  });

  it('takes an unreferenced disabled queue as the drained one', () => {
    expect(
      deriveSwap({
        revisions: [
          untimed('a', 'p-2', { queue: { state: 'DISABLED', referenced: false } }),
          untimed('b', 'p-1', { queue: referenced }),
        ],
      }),
    ).toMatchObject({ phase: 'drained', incoming: 'b', live: 'b', orderedBy: 'assumed' });
  });

  it('takes queueless compute environments as being built unless all are disabled', () => {
    const live = untimed('b', 'p-1', { queue: referenced });
    expect(deriveSwap({ revisions: [untimed('a', 'p-2', { queue: undefined }), live] }).phase).toBe('building');
    expect(
      deriveSwap({ revisions: [untimed('a', 'p-2', { queue: undefined, computeEnvironments: ['DISABLED'] }), live] })
        .phase,
    ).toBe('retiring');
  });
});
