import {
  DEFAULT_SUFFIXES,
  freeName,
  nameCandidates,
  nameProblem,
  nextName,
  otherRevision,
  suffixesProblem,
  type ResourceKind,
} from '../../../src/core/naming';

describe('nextName with the default suffixes', () => {
  it('names the copy of an -a resource -b', () => {
    expect(nextName('reproject-a')).toStrictEqual({
      base: 'reproject',
      live: 'a',
      adopted: false,
      next: 'reproject-b',
    });
  });

  it('names the copy of a -b resource -a', () => {
    expect(nextName('reproject-b')).toStrictEqual({
      base: 'reproject',
      live: 'b',
      adopted: false,
      next: 'reproject-a',
    });
  });

  it('adopts an unsuffixed name as revision a and gives its copy the -b suffix', () => {
    expect(nextName('reproject')).toStrictEqual({ base: 'reproject', live: 'a', adopted: true, next: 'reproject-b' });
  });

  it('only looks at the end of the name', () => {
    expect(nextName('a-b-c')).toStrictEqual({ base: 'a-b-c', live: 'a', adopted: true, next: 'a-b-c-b' });
    expect(nextName('reproject-b-a')).toStrictEqual({
      base: 'reproject-b',
      live: 'a',
      adopted: false,
      next: 'reproject-b-b',
    });
  });

  it('treats a name equal to a suffix as unsuffixed (the base would be empty)', () => {
    expect(nextName('-a')).toStrictEqual({ base: '-a', live: 'a', adopted: true, next: '-a-b' });
    expect(nextName('-b')).toStrictEqual({ base: '-b', live: 'a', adopted: true, next: '-b-b' });
  });

  it('is case-sensitive', () => {
    expect(nextName('reproject-A')).toStrictEqual({
      base: 'reproject-A',
      live: 'a',
      adopted: true,
      next: 'reproject-A-b',
    });
  });

  it('round-trips: the copy of the copy is the original', () => {
    expect(nextName(nextName('reproject-a').next).next).toBe('reproject-a');
  });

  it('uses the default suffixes -a / -b', () => {
    expect(DEFAULT_SUFFIXES).toStrictEqual({ a: '-a', b: '-b' });
  });
});

describe('nextName with custom suffixes', () => {
  const colours = { a: 'Blue', b: 'Green' };
  const revisions = { a: '_r1', b: '_r2' };

  it('swaps Blue and Green', () => {
    expect(nextName('ReprojectBlue', colours)).toStrictEqual({
      base: 'Reproject',
      live: 'a',
      adopted: false,
      next: 'ReprojectGreen',
    });
    expect(nextName('ReprojectGreen', colours)).toStrictEqual({
      base: 'Reproject',
      live: 'b',
      adopted: false,
      next: 'ReprojectBlue',
    });
    expect(nextName('Reproject', colours)).toStrictEqual({
      base: 'Reproject',
      live: 'a',
      adopted: true,
      next: 'ReprojectGreen',
    });
  });

  it('swaps _r1 and _r2', () => {
    expect(nextName('reproject_r1', revisions)).toStrictEqual({
      base: 'reproject',
      live: 'a',
      adopted: false,
      next: 'reproject_r2',
    });
    expect(nextName('reproject_r2', revisions)).toStrictEqual({
      base: 'reproject',
      live: 'b',
      adopted: false,
      next: 'reproject_r1',
    });
  });

  it('does not recognise the default suffixes when custom ones are given', () => {
    expect(nextName('reproject-a', revisions)).toStrictEqual({
      base: 'reproject-a',
      live: 'a',
      adopted: true,
      next: 'reproject-a_r2',
    });
  });

  it('treats a name equal to a custom suffix as unsuffixed', () => {
    expect(nextName('Green', colours)).toStrictEqual({ base: 'Green', live: 'a', adopted: true, next: 'GreenGreen' });
    expect(nextName('_r1', revisions)).toStrictEqual({ base: '_r1', live: 'a', adopted: true, next: '_r1_r2' });
  });
});

describe('otherRevision', () => {
  it('flips a and b', () => {
    expect(otherRevision('a')).toBe('b');
    expect(otherRevision('b')).toBe('a');
  });
});

describe('nameProblem', () => {
  const batchKinds: ResourceKind[] = ['job-queue', 'compute-environment', 'job-definition'];
  const allKinds: ResourceKind[] = [...batchKinds, 'launch-template'];

  it.each(allKinds)('accepts a %s name of exactly 128 characters', (kind) => {
    expect(nameProblem(kind, 'n'.repeat(128))).toBeUndefined();
  });

  it.each(allKinds)('rejects a %s name of 129 characters, naming the length and the limits', (kind) => {
    const min = kind === 'launch-template' ? 3 : 1;
    expect(nameProblem(kind, 'n'.repeat(129))).toBe(`is 129 characters long; a ${kind} name must be ${min}-128`);
  });

  it.each(batchKinds)('rejects an empty %s name', (kind) => {
    expect(nameProblem(kind, '')).toBe(`is 0 characters long; a ${kind} name must be 1-128`);
  });

  it.each(batchKinds)('accepts a one-character %s name and letters, digits, - and _', (kind) => {
    expect(nameProblem(kind, 'q')).toBeUndefined();
    expect(nameProblem(kind, 'Reproject_Queue-01')).toBeUndefined();
  });

  it.each(
    batchKinds.flatMap((kind) =>
      ['has space', 'dot.ted', 'slash/ed', 'paren(1)', 'colon:1', 'émoji'].map((n) => [kind, n]),
    ),
  )('rejects the %s name %j', (kind, name) => {
    expect(nameProblem(kind as ResourceKind, name)).toBe('may contain only letters, digits, - and _');
  });

  it('requires launch template names of at least 3 characters', () => {
    expect(nameProblem('launch-template', 'lt')).toBe('is 2 characters long; a launch-template name must be 3-128');
    expect(nameProblem('launch-template', 'ltx')).toBeUndefined();
  });

  it('accepts the extra characters EC2 allows in launch template names', () => {
    expect(nameProblem('launch-template', 'team/reproject_(v1).lt-a')).toBeUndefined();
  });

  it.each(['has space', 'colon:1', 'star*', 'émoji'])('rejects the launch-template name %j', (name) => {
    expect(nameProblem('launch-template', name)).toBe('may contain only letters, digits and ( ) . - / _');
  });
});

describe('suffixesProblem', () => {
  it.each([[{ a: '-a', b: '-b' }], [{ a: 'Blue', b: 'Green' }], [{ a: '_r1', b: '_r2' }]])('accepts %j', (suffixes) => {
    expect(suffixesProblem(suffixes)).toBeUndefined();
  });

  it.each([[{ a: '', b: '-b' }], [{ a: '-a', b: '' }]])('rejects an empty suffix in %j', (suffixes) => {
    expect(suffixesProblem(suffixes)).toBe('suffixes must not be empty');
  });

  it.each([[{ a: '-x', b: '-x' }], [{ a: 'a', b: '-a' }], [{ a: '-blue', b: 'blue' }]])(
    'rejects %j: equal, or one ends with the other',
    (suffixes) => {
      expect(suffixesProblem(suffixes)).toBe(
        `suffixes "${suffixes.a}" and "${suffixes.b}" must differ and neither may end with the other`,
      );
    },
  );
});

describe('alternative names around a resource kept in use (nameCandidates, freeName)', () => {
  it('offers the derived name first, then the root with -alt2 … -alt9', () => {
    expect(nameCandidates('reproject-spot-b')).toStrictEqual([
      'reproject-spot-a',
      ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `reproject-spot-alt${n}-a`),
    ]);
  });

  it('takes the first name nobody outside the workload holds', () => {
    expect(freeName('reproject-spot-b', DEFAULT_SUFFIXES, new Set(['reproject-spot-a']))).toBe('reproject-spot-alt2-a');
    expect(freeName('reproject-spot-b', DEFAULT_SUFFIXES, new Set())).toBe('reproject-spot-a');
  });

  it('keeps one marker: an alternative goes back to the plain name when it is free, never to alt2-alt2', () => {
    expect(nameCandidates('reproject-spot-alt2-a').slice(0, 3)).toStrictEqual([
      'reproject-spot-b',
      'reproject-spot-alt2-b',
      'reproject-spot-alt3-b',
    ]);
    expect(freeName('reproject-spot-alt2-a', DEFAULT_SUFFIXES, new Set())).toBe('reproject-spot-b');
    expect(freeName('reproject-spot-alt2-a', DEFAULT_SUFFIXES, new Set(['reproject-spot-b']))).toBe(
      'reproject-spot-alt2-b',
    );
    for (const name of nameCandidates('reproject-spot-alt3-b')) expect(name).not.toMatch(/alt\d-alt/);
  });

  it('converges over a cycle: A ↔ B around a held name alternates between two names', () => {
    const held = new Set(['reproject-spot-a']);
    let live = 'reproject-spot-a';
    const seen: string[] = [];
    for (let swap = 0; swap < 5; swap++) {
      live = freeName(live, DEFAULT_SUFFIXES, held);
      seen.push(live);
    }
    expect(seen).toStrictEqual([
      'reproject-spot-b',
      'reproject-spot-alt2-a',
      'reproject-spot-b',
      'reproject-spot-alt2-a',
      'reproject-spot-b',
    ]);
    // Once the held resource is gone, the next swap from an alternative lands on the plain names again.
    expect(freeName('reproject-spot-b', DEFAULT_SUFFIXES, new Set())).toBe('reproject-spot-a');
  });

  it('uses the spec suffixes and adopts unsuffixed names', () => {
    expect(freeName('etl', { a: 'Blue', b: 'Green' }, new Set(['etlGreen']))).toBe('etl-alt2Green');
  });

  it('falls back to the derived name when every alternative is held (plan then reports NameTaken)', () => {
    expect(freeName('x-b', DEFAULT_SUFFIXES, new Set(nameCandidates('x-b')))).toBe('x-a');
  });
});
