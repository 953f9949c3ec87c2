/**
 * Applies a spec's changes to a cloned input: objects merge recursively, arrays and scalars replace,
 * and `null` removes a field. Returns a new value; neither argument is mutated.
 */
export function applyChanges<T>(base: T, changes: unknown): T {
  if (changes === undefined) return structuredClone(base);
  return merge(structuredClone(base), changes) as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A change for a field the base lacks: its nested nulls mean "absent" too, so they are dropped. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

function merge(base: unknown, changes: unknown): unknown {
  if (!isPlainObject(changes) || !isPlainObject(base)) return withoutNulls(structuredClone(changes));
  const out: Record<string, unknown> = { ...base };
  for (const [key, change] of Object.entries(changes)) {
    if (change === null) delete out[key];
    else out[key] = key in out ? merge(out[key], change) : withoutNulls(structuredClone(change));
  }
  return out;
}
