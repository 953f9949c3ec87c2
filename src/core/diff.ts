/** Field-level differences between two values, for the human diff of A against B. Pure. */
export interface FieldChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Walks objects key by key; arrays of scalars and arrays of different lengths compare as one value, arrays of
 * objects of equal length compare element by element (`blockDeviceMappings[0].ebs.volumeSize`).
 */
export function diffValues(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const childPath = path ? `${path}.${key}` : key;
      if (!(key in after) || after[key] === undefined) {
        return before[key] === undefined ? [] : [{ path: childPath, kind: 'removed' as const, before: before[key] }];
      }
      if (!(key in before) || before[key] === undefined)
        return [{ path: childPath, kind: 'added' as const, after: after[key] }];
      return diffValues(before[key], after[key], childPath);
    });
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length && before.some(isObject)) {
    return before.flatMap((item, i) => diffValues(item, after[i], `${path}[${i}]`));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, kind: 'changed', before, after }];
}
