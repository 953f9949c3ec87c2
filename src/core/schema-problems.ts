/**
 * Ajv's findings about a spec, in words: one sentence per problem, naming the field (with list indices), what it
 * must be, and what it is — the value itself only where it cannot be a secret (src/core/redact.ts: launch template
 * user data, container environments, job definition parameters, log driver options and command arguments are
 * never shown, whatever is wrong with them).
 */
import type { ErrorObject } from 'ajv';

/** Path segments under which a value may be secret; mirrors the secrets src/core/redact.ts replaces. */
const SECRET_SEGMENTS = new Set([
  'UserData',
  'userData',
  'environment',
  'Environment',
  'env',
  'parameters',
  'options',
  'command',
  'args',
]);

/** How many problems one message lists; the rest are counted. */
export const MAX_PROBLEMS = 10;

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
};

type Json = Record<string, unknown>;

interface Field {
  /** `changes.jobQueue.jobStateTimeLimitActions[0].action` */
  text: string;
  secret: boolean;
  /** Where the field is in the file: its key's position at each level (a missing key sorts last). */
  order: number[];
}

/** The field an instance path names, with list indices in brackets, read against the value it came from. */
function fieldAt(instancePath: string, root: unknown, extra?: string): Field {
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) segments.push(extra);
  let text = '';
  let node: unknown = root;
  const order: number[] = [];
  for (const segment of segments) {
    text += Array.isArray(node) ? `[${segment}]` : text ? `.${segment}` : segment;
    const keys = node && typeof node === 'object' ? Object.keys(node) : [];
    const position = keys.indexOf(segment);
    order.push(position < 0 ? Number.MAX_SAFE_INTEGER : position);
    node = node && typeof node === 'object' ? (node as Json)[segment] : undefined;
  }
  // Only what B changes can carry a secret; `callers.parameters` is a list of paths, not values.
  const secret = segments[0] === 'changes' && segments.some((s) => SECRET_SEGMENTS.has(s));
  return { text: text || '(top level)', secret, order };
}

/** What a value is, in words; its content only when it is short, plain and not secret. */
export function shown(value: unknown, secret: boolean): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      if (secret) return 'text (not shown: it may be secret)';
      return value.length <= 60 ? `the text ${JSON.stringify(value)}` : `text of ${value.length} characters`;
    case 'number':
      return secret ? 'a number' : `the number ${value}`;
    case 'boolean':
      return secret ? 'true or false' : String(value);
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/** `a whole number`, `text (or null to remove it)`. */
function typeWords(type: unknown): string {
  const types = (Array.isArray(type) ? type : String(type).split(',')).map(String);
  const words = types.filter((t) => t !== 'null').map((t) => TYPE_WORDS[t] ?? t);
  const main = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? 'null');
  return types.includes('null') && words.length ? `${main} (or null to remove it)` : main;
}

/** The schema a JSON pointer (`#/definitions/x/properties/y`) names in `root`. */
function schemaAt(root: Json, pointer: string): Json | undefined {
  let node: unknown = root;
  for (const part of pointer.replace(/^#\/?/, '').split('/').filter(Boolean)) {
    node = node && typeof node === 'object' ? (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return node && typeof node === 'object' ? (node as Json) : undefined;
}

function isRefused(schema: unknown): boolean {
  return Boolean(schema && typeof schema === 'object' && 'not' in schema);
}

/** The members an object schema allows (refused ones left out). */
function allowedMembers(objectSchema: Json | undefined): string[] {
  const properties = (objectSchema?.properties ?? {}) as Json;
  return Object.entries(properties)
    .filter(([, schema]) => !isRefused(schema))
    .map(([name]) => name);
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The allowed name a typo most likely meant: same letters in another case, or within two edits. */
function closest(name: string, allowed: string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameCase = allowed.find((a) => a.toLowerCase() === lower);
  if (sameCase) return sameCase;
  const scored = allowed.map((a) => ({ a, d: editDistance(lower, a.toLowerCase()) })).sort((x, y) => x.d - y.d);
  const best = scored[0];
  return best && best.d <= Math.min(2, Math.floor(name.length / 3)) ? best.a : undefined;
}

function unknownMember(name: string, allowed: string[]): string {
  const guess = closest(name, allowed);
  if (guess) return ` (did you mean "${guess}"?)`;
  return allowed.length ? `; the fields allowed here are ${allowed.join(', ')}` : '';
}

/** One problem, in words, or undefined for an error that only repeats another (a propertyNames wrapper). */
function describe(error: ErrorObject, root: Json, value: unknown): { field: Field; text: string } | undefined {
  const params: Json = error.params;
  const parent: Json | undefined = error.parentSchema;
  const description = typeof parent?.description === 'string' ? parent.description : undefined;
  const expected = description ? ` (expected ${description})` : '';
  if (error.keyword === 'propertyNames') return undefined;
  if (error.propertyName !== undefined) {
    // A map key that breaks the key schema: the error is at the map, the key in propertyName.
    const field = fieldAt(error.instancePath, value);
    const limit = Number(params.limit);
    const what =
      error.keyword === 'minLength'
        ? `shorter than ${limit} character${limit === 1 ? '' : 's'}`
        : error.keyword === 'maxLength'
          ? `longer than ${limit} characters`
          : 'that is not allowed';
    return { field, text: `field "${field.text}" has a key "${error.propertyName}" ${what}` };
  }
  if (error.keyword === 'required' || error.keyword === 'additionalProperties') {
    const member = String(error.keyword === 'required' ? params.missingProperty : params.additionalProperty);
    const field = fieldAt(error.instancePath, value, member);
    if (error.keyword === 'required') return { field, text: `field "${field.text}" is missing` };
    const help = description ? expected : unknownMember(member, allowedMembers(parent));
    return { field, text: `field "${field.text}" is not allowed${help}` };
  }
  const field = fieldAt(error.instancePath, value);
  const got = ` (got ${shown(error.data, field.secret)})`;
  const at = `field "${field.text}"`;
  const limit = params.limit as number;
  const say = (text: string) => ({ field, text: `${at} ${text}` });
  switch (error.keyword) {
    case 'type':
      return say(`must be ${typeWords(params.type)}${got}`);
    case 'enum': {
      const values = ((params.allowedValues as unknown[]) ?? []).filter((v) => v !== null).map(String);
      return say(`must be one of ${values.join(', ')}${field.secret ? '' : got}`);
    }
    case 'const':
      return say(`must be ${JSON.stringify(params.allowedValue)}${got}`);
    case 'not': {
      // A refused member: its reason is its description; the members that can change are its siblings.
      const objectPointer = error.schemaPath.replace(/\/properties\/[^/]+\/not$/, '');
      const siblings = allowedMembers(schemaAt(root, objectPointer));
      const canChange = siblings.length ? `; the fields you can change here are ${siblings.join(', ')}` : '';
      return say(`${description ?? 'cannot be changed'}${canChange}`);
    }
    case 'minimum':
    case 'maximum':
      return say(`must be at ${error.keyword === 'minimum' ? 'least' : 'most'} ${limit}${got}`);
    case 'minLength':
    case 'maxLength': {
      const length = typeof error.data === 'string' ? error.data.length : 0;
      const bound = error.keyword === 'minLength' ? 'at least' : 'at most';
      return say(`must be ${bound} ${limit} character${limit === 1 ? '' : 's'} long (got ${length})${expected}`);
    }
    case 'minItems':
    case 'maxItems':
    case 'minProperties':
    case 'maxProperties': {
      const count = Array.isArray(error.data) ? error.data.length : Object.keys((error.data as Json) ?? {}).length;
      const bound = error.keyword.startsWith('min') ? 'at least' : 'at most';
      return say(`must have ${bound} ${limit} entr${limit === 1 ? 'y' : 'ies'} (got ${count})`);
    }
    case 'pattern':
      return say(`${description ? `must be ${description}` : `must match ${String(params.pattern)}`}${got}`);
    case 'uniqueItems':
      return say(`lists the same entry twice (entries ${String(params.j)} and ${String(params.i)})`);
    default:
      return say(`${error.message ?? 'is invalid'}${expected}`);
  }
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  }
  return a.length - b.length;
}

/**
 * Every problem Ajv found, one sentence each, in the order of the file, one per field (a value of the wrong type is
 * not also reported as outside an enum).
 */
export function schemaProblems(errors: readonly ErrorObject[], rootSchema: object, value: unknown): string[] {
  const seen = new Set<string>();
  const problems: { field: Field; text: string }[] = [];
  for (const error of errors) {
    const problem = describe(error, rootSchema as Json, value);
    if (!problem || seen.has(problem.field.text)) continue;
    seen.add(problem.field.text);
    problems.push(problem);
  }
  return problems.sort((a, b) => compareOrder(a.field.order, b.field.order)).map((p) => p.text);
}

/** `<file>: <problem>.` or `<file>: 3 problems: <p1>; <p2>; <p3>.`: one line a pipeline log shows whole. */
export function problemsMessage(file: string, problems: readonly string[]): string {
  if (problems.length <= 1) return `${file}: ${problems[0] ?? 'invalid spec'}.`;
  const listed = problems.slice(0, MAX_PROBLEMS);
  const more = problems.length - listed.length;
  return `${file}: ${problems.length} problems: ${listed.join('; ')}${more ? `; and ${more} more` : ''}.`;
}

/** One Ajv error in words, for a reader that reports only its first (the plan file's). */
export function describeSchemaError(error: ErrorObject, value?: unknown): string {
  return describe(error, {}, value)?.text ?? `field "${fieldAt(error.instancePath, value).text}" is invalid`;
}
