/**
 * The spec's `callers:` section (issue 9): which callers besides Step Functions `plan` searches, scoped like
 * `stateMachines` (all, a list of names, a name prefix), which SSM parameter paths it reads and whether it repoints
 * them, and which callers' blockers the author accepts. Documented in docs/callers.md and docs/spec.md.
 */
export type CallerScope = { all?: boolean; names?: string[]; prefix?: string; none?: boolean };

export interface CallersSpec {
  /** EventBridge rules on every event bus; names are `<rule>` (any bus) or `<bus>/<rule>`. Default: all. */
  rules?: CallerScope;
  /** Scheduler schedules in every group; names are `<schedule>` (any group) or `<group>/<schedule>`. Default: all. */
  schedules?: CallerScope;
  /** EventBridge Pipes. Default: all. */
  pipes?: CallerScope;
  /** Lambda functions whose environment may name the workload. Default: all. */
  lambdaFunctions?: CallerScope;
  /** SSM parameters under these paths (recursive); none by default. `repoint: true` lets promote rewrite them. */
  parameters?: { paths: string[]; repoint?: boolean };
  /** Caller ids (as the plan lists them, e.g. `lambda:submitter`) whose blockers the author has read and accepts. */
  acknowledge?: string[];
}

export type ScopedCallerKind = 'rules' | 'schedules' | 'pipes' | 'lambdaFunctions';

const nonEmpty = { type: 'string', minLength: 1 };
const scope = (what: string) => ({
  type: 'object',
  additionalProperties: false,
  description: `which ${what} to search: {all: true} (default), {names: [...]}, {prefix: "..."} or {none: true}`,
  properties: {
    all: { type: 'boolean' },
    none: { type: 'boolean' },
    names: { type: 'array', items: nonEmpty },
    prefix: nonEmpty,
  },
});

export const CALLERS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  description: 'callers besides Step Functions: rules, schedules, pipes, lambdaFunctions, parameters, acknowledge',
  properties: {
    rules: scope('EventBridge rules'),
    schedules: scope('Scheduler schedules'),
    pipes: scope('pipes'),
    lambdaFunctions: scope('Lambda functions'),
    parameters: {
      type: 'object',
      additionalProperties: false,
      required: ['paths'],
      description: 'SSM parameter paths to read: {paths: ["/app/batch"], repoint: true|false}',
      properties: {
        paths: {
          type: 'array',
          minItems: 1,
          items: { type: 'string', pattern: '^/', description: 'an absolute path, starting with /' },
        },
        repoint: { type: 'boolean' },
      },
    },
    acknowledge: {
      type: 'array',
      items: nonEmpty,
      description: 'caller ids whose blockers you accept, e.g. "lambda:submitter"',
    },
  },
} as const;

/** The selectors set in one scope, for the "only one of" check. */
export function scopeSelectors(scopeValue: CallerScope | undefined): string[] {
  return ['all', 'names', 'prefix', 'none'].filter((k) => scopeValue?.[k as keyof CallerScope] !== undefined);
}

/**
 * Whether a caller is searched. `qualified` is `<bus>/<rule>` or `<group>/<schedule>` for those kinds, so a name in
 * the list may be given with or without its bus or group; a prefix applies to the bare name.
 */
export function callerSelected(
  spec: { callers?: CallersSpec },
  kind: ScopedCallerKind,
  name: string,
  qualified?: string,
): boolean {
  const sel = spec.callers?.[kind];
  if (!sel || sel.all) return true;
  if (sel.none) return false;
  if (sel.names) return sel.names.includes(name) || (qualified !== undefined && sel.names.includes(qualified));
  if (sel.prefix) return name.startsWith(sel.prefix);
  return true;
}

/** Whether a kind is searched at all (a scope of `{none: true}` or an empty list skips its API calls). */
export function kindSearched(spec: { callers?: CallersSpec }, kind: ScopedCallerKind): boolean {
  const sel = spec.callers?.[kind];
  return !(sel?.none || (sel?.names && sel.names.length === 0));
}
