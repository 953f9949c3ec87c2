import { parseVariableFlags, substituteVariables, variableEnvName } from '../../../src/core/variables';

describe('substituteVariables', () => {
  const values: Record<string, string> = { image: 'repo/reproject:1.6', tag: '7' };
  const lookup = (name: string): string | undefined => values[name];

  it('replaces ${var.NAME} in string values at any depth, inside longer strings too', () => {
    const out = substituteVariables(
      { a: '${var.image}', list: [{ b: 'v${var.tag}-x' }], n: 3, ['${var.tag}']: 'key kept' },
      lookup,
    );
    expect(out.value).toStrictEqual({
      a: 'repo/reproject:1.6',
      list: [{ b: 'v7-x' }],
      n: 3,
      ['${var.tag}']: 'key kept',
    });
    expect(out.referenced).toStrictEqual(['image', 'tag']);
    expect(out.missing).toStrictEqual([]);
  });

  it('lists a reference without a value with its field, and leaves it in place', () => {
    const out = substituteVariables({ changes: { ami: ['${var.ami}'] } }, lookup);
    expect(out.missing).toStrictEqual([{ name: 'ami', field: 'changes.ami.0' }]);
    expect(out.value).toStrictEqual({ changes: { ami: ['${var.ami}'] } });
  });

  it('$${ is a literal ${, and what is not a variable reference is left alone', () => {
    const out = substituteVariables({ a: '$${var.image}', b: '${env.HOME} ${var.bad-name}' }, lookup);
    expect(out.value).toStrictEqual({ a: '${var.image}', b: '${env.HOME} ${var.bad-name}' });
    expect(out.referenced).toStrictEqual([]);
  });
});

describe('parseVariableFlags', () => {
  it('takes NAME=VALUE, the value holding = too', () => {
    expect(parseVariableFlags(['image=a=b', 'e='])).toStrictEqual({ values: { image: 'a=b', e: '' } });
  });

  it('refuses a flag without a name or =', () => {
    expect(parseVariableFlags(['image']).problem).toMatch(/^--var "image" is not NAME=VALUE/);
    expect(parseVariableFlags(['=x']).problem).toMatch(/^--var "=x" is not NAME=VALUE/);
    expect(parseVariableFlags(['my-var=x']).problem).toMatch(/letters, digits and _/);
  });

  it('names the environment variable of a variable', () => {
    expect(variableEnvName('image')).toBe('BATCHCTL_VAR_image');
  });
});
