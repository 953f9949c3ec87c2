import { applyChanges } from '../../../src/core/merge';

describe('applyChanges', () => {
  it('merges nested objects key by key', () => {
    const base = { a: 1, nested: { keep: 'k', change: 'old', deeper: { x: 1, y: 2 } } };
    expect(applyChanges(base, { nested: { change: 'new', added: true, deeper: { y: 3 } } })).toStrictEqual({
      a: 1,
      nested: { keep: 'k', change: 'new', added: true, deeper: { x: 1, y: 3 } },
    });
  });

  it('replaces arrays instead of merging them', () => {
    const base = { subnets: ['subnet-1', 'subnet-2'], list: [{ a: 1, b: 2 }] };
    expect(applyChanges(base, { subnets: ['subnet-3'], list: [{ a: 9 }] })).toStrictEqual({
      subnets: ['subnet-3'],
      list: [{ a: 9 }],
    });
  });

  it('replaces scalars, and objects with scalars and the other way round', () => {
    expect(applyChanges({ a: 1, b: { c: 1 }, d: 'x' }, { a: 2, b: 'flat', d: { e: 1 } })).toStrictEqual({
      a: 2,
      b: 'flat',
      d: { e: 1 },
    });
  });

  it('deletes a field set to null, at any depth', () => {
    const base = { a: 1, b: 2, nested: { c: 3, d: 4 } };
    expect(applyChanges(base, { b: null, nested: { d: null } })).toStrictEqual({ a: 1, nested: { c: 3 } });
  });

  it('ignores null for a field that does not exist, at the top level', () => {
    expect(applyChanges({ a: 1 }, { missing: null })).toStrictEqual({ a: 1 });
  });

  // Regression (src/core/merge.ts merge): a key absent from the base is copied with structuredClone(change), so nulls
  // nested inside a newly added object are kept instead of "removing a field": applyChanges({}, {m: {x: 1, y: null}})
  // returns {m: {x: 1, y: null}} rather than {m: {x: 1}}, and that null would be sent to AWS.
  it('drops nulls nested inside an object that the base does not have', () => {
    expect(applyChanges({ a: 1 }, { m: { x: 1, y: null } })).toStrictEqual({ a: 1, m: { x: 1 } });
  });

  it('returns a deep copy of the base when there are no changes', () => {
    const base = { a: { b: [1, 2] } };
    const out = applyChanges(base, undefined);
    expect(out).toStrictEqual(base);
    expect(out).not.toBe(base);
    expect(out.a).not.toBe(base.a);
    expect(out.a.b).not.toBe(base.a.b);
  });

  it('mutates neither argument, and shares no object with them', () => {
    const base = { nested: { keep: [1, 2], change: 'old' }, other: { x: 1 } };
    const changes = { nested: { change: 'new', list: [{ deep: true }] }, other: null };
    const baseBefore = structuredClone(base);
    const changesBefore = structuredClone(changes);
    const out = applyChanges(base, changes) as unknown as {
      nested: { keep: number[]; change: string; list: { deep: boolean }[] };
    };
    expect(base).toStrictEqual(baseBefore);
    expect(changes).toStrictEqual(changesBefore);
    out.nested.keep.push(3);
    out.nested.list[0]!.deep = false;
    expect(base).toStrictEqual(baseBefore);
    expect(changes).toStrictEqual(changesBefore);
  });
});
