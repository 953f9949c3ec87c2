import { diffValues } from '../../../src/core/diff';

describe('diffValues', () => {
  it('reports nothing for equal values', () => {
    expect(diffValues({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toStrictEqual([]);
    expect(diffValues('x', 'x')).toStrictEqual([]);
  });

  it('reports added, removed and changed paths, sorted by key', () => {
    expect(diffValues({ z: 1, b: 'old', gone: true }, { z: 1, b: 'new', added: { x: 1 } })).toStrictEqual([
      { path: 'added', kind: 'added', after: { x: 1 } },
      { path: 'b', kind: 'changed', before: 'old', after: 'new' },
      { path: 'gone', kind: 'removed', before: true },
    ]);
  });

  it('walks nested objects with dotted paths', () => {
    expect(
      diffValues(
        { computeResources: { maxvCpus: 128, minvCpus: 0, launchTemplate: { version: '3' } } },
        {
          computeResources: {
            maxvCpus: 256,
            minvCpus: 0,
            launchTemplate: { version: '1', launchTemplateName: 'lt-b' },
          },
        },
      ),
    ).toStrictEqual([
      { path: 'computeResources.launchTemplate.launchTemplateName', kind: 'added', after: 'lt-b' },
      { path: 'computeResources.launchTemplate.version', kind: 'changed', before: '3', after: '1' },
      { path: 'computeResources.maxvCpus', kind: 'changed', before: 128, after: 256 },
    ]);
  });

  it('treats undefined like an absent key', () => {
    expect(diffValues({ a: undefined, b: 1 }, { b: 1 })).toStrictEqual([]);
    expect(diffValues({ a: 1 }, { a: undefined })).toStrictEqual([{ path: 'a', kind: 'removed', before: 1 }]);
    expect(diffValues({ a: undefined }, { a: 2 })).toStrictEqual([{ path: 'a', kind: 'added', after: 2 }]);
  });

  it('compares arrays of objects of equal length element by element', () => {
    expect(
      diffValues(
        { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 100 } }, { DeviceName: '/dev/xvdb' }] },
        { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 200 } }, { DeviceName: '/dev/xvdc' }] },
      ),
    ).toStrictEqual([
      { path: 'BlockDeviceMappings[0].Ebs.VolumeSize', kind: 'changed', before: 100, after: 200 },
      { path: 'BlockDeviceMappings[1].DeviceName', kind: 'changed', before: '/dev/xvdb', after: '/dev/xvdc' },
    ]);
  });

  it('compares arrays of objects of different lengths as one value', () => {
    const before = [{ a: 1 }];
    const after = [{ a: 1 }, { a: 2 }];
    expect(diffValues({ list: before }, { list: after })).toStrictEqual([
      { path: 'list', kind: 'changed', before, after },
    ]);
  });

  it('compares arrays of scalars as one value', () => {
    expect(diffValues({ subnets: ['s-1', 's-2'] }, { subnets: ['s-1', 's-3'] })).toStrictEqual([
      { path: 'subnets', kind: 'changed', before: ['s-1', 's-2'], after: ['s-1', 's-3'] },
    ]);
    expect(diffValues({ subnets: ['s-1', 's-2'] }, { subnets: ['s-2', 's-1'] })).toHaveLength(1);
  });

  it('reports a change of type as one change', () => {
    expect(diffValues({ a: { b: 1 } }, { a: [1] })).toStrictEqual([
      { path: 'a', kind: 'changed', before: { b: 1 }, after: [1] },
    ]);
    expect(diffValues({ a: null }, { a: 0 })).toStrictEqual([{ path: 'a', kind: 'changed', before: null, after: 0 }]);
  });

  it('prefixes paths with the path it is given', () => {
    expect(diffValues({ a: 1 }, { a: 2 }, 'input')).toStrictEqual([
      { path: 'input.a', kind: 'changed', before: 1, after: 2 },
    ]);
  });

  it('reports a top-level scalar change with an empty path', () => {
    expect(diffValues(1, 2)).toStrictEqual([{ path: '', kind: 'changed', before: 1, after: 2 }]);
  });
});
