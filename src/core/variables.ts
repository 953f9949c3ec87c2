/**
 * Spec variables: `${var.NAME}` inside any string scalar of the spec is replaced by the variable's value, so one
 * spec file serves every release and the pipeline passes what changes (an image tag, an AMI id). `$${` writes a
 * literal `${`. Pure: the caller says where values come from (`--var NAME=VALUE`, then `BATCHCTL_VAR_NAME`).
 */

/** A variable name: letters, digits and `_` (so it can also be the tail of an environment variable's name). */
export const VARIABLE_NAME = /^[A-Za-z0-9_]+$/;
const REFERENCE = /\$\$\{|\$\{var\.([A-Za-z0-9_]+)\}/g;

export interface Substitution<T> {
  value: T;
  /** Every variable the value references, in order of first use. */
  referenced: string[];
  /** References without a value: the variable and the field (dotted path) it is in. */
  missing: { name: string; field: string }[];
}

/**
 * Replaces every `${var.NAME}` whose value `lookup` gives; a reference without a value is left in place and listed
 * in `missing`. Keys are never substituted, only string values at any depth.
 */
export function substituteVariables<T>(value: T, lookup: (name: string) => string | undefined): Substitution<T> {
  const referenced: string[] = [];
  const missing: { name: string; field: string }[] = [];
  const walk = (node: unknown, path: string[]): unknown => {
    if (typeof node === 'string') {
      return node.replace(REFERENCE, (match, name: string | undefined) => {
        if (name === undefined) return '${';
        if (!referenced.includes(name)) referenced.push(name);
        const found = lookup(name);
        if (found === undefined) {
          missing.push({ name, field: path.join('.') || '(top level)' });
          return match;
        }
        return found;
      });
    }
    if (Array.isArray(node)) return node.map((child, i) => walk(child, [...path, String(i)]));
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, child]) => [k, walk(child, [...path, k])]));
    }
    return node;
  };
  return { value: walk(value, []) as T, referenced, missing };
}

/** The environment variable that gives variable `name` a value when no `--var` does. */
export function variableEnvName(name: string): string {
  return `BATCHCTL_VAR_${name}`;
}

/** `--var` values, `NAME=VALUE` each (the value may contain `=`); undefined problem when all are well formed. */
export function parseVariableFlags(flags: string[]): { values: Record<string, string>; problem?: string } {
  const values: Record<string, string> = {};
  for (const flag of flags) {
    const at = flag.indexOf('=');
    const name = at > 0 ? flag.slice(0, at) : '';
    if (!VARIABLE_NAME.test(name)) {
      return {
        values,
        problem: `--var "${flag}" is not NAME=VALUE with a NAME of letters, digits and _ (e.g. --var image=reproject:1.6)`,
      };
    }
    values[name] = flag.slice(at + 1);
  }
  return { values };
}
