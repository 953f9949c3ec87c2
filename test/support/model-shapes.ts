/**
 * A pure walker over AWS service models, for tests that prove a clone (Describe output → Create input) keeps to the
 * contract of the API it feeds.
 *
 * Two sources, each for what it has:
 * - Members, nesting and types come from the INSTALLED SDK's own Smithy schemas (the `Foo$` static schemas that
 *   @aws-sdk/client-* export, read through @smithy/core's NormalizedSchema). A struct schema is
 *   `[3, namespace, name, traits, memberNames, memberSchemas, requiredCount]`: its first `requiredCount` members are
 *   the required ones. The SDK schema carries no enum, length or range traits.
 * - Enums, lengths and ranges come from the botocore JSON model beside the emulator's Python
 *   (`botocore/data/<service>/<latest version>/service-2.json.gz`), matched by shape and member name. Where the SDK is
 *   newer than botocore, the member or shape has no constraints to check: every such place is recorded in
 *   `ModelNode.gaps` so a test lists it instead of skipping it silently.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { NormalizedSchema } from '@smithy/core/schema';

/** botocore's data directory in the emulator's Python; BATCHCTL_BOTOCORE_DATA overrides it. */
export const BOTOCORE_DATA =
  process.env.BATCHCTL_BOTOCORE_DATA ?? '/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/botocore/data';

interface BotoRef {
  shape: string;
}
interface BotoShape {
  type: string;
  members?: Record<string, BotoRef>;
  required?: string[];
  member?: BotoRef;
  key?: BotoRef;
  value?: BotoRef;
  enum?: string[];
  min?: number;
  max?: number;
}

export interface BotocoreModel {
  /** The file the constraints were read from, for the test to name. */
  file: string;
  shapes: Record<string, BotoShape>;
}

/** Loads the newest API version of `service` botocore ships; throws (never skips) when it is not there. */
export function loadBotocoreModel(service: string): BotocoreModel {
  const dir = join(BOTOCORE_DATA, service);
  if (!existsSync(dir)) throw new Error(`botocore model for ${service} not found under ${BOTOCORE_DATA}`);
  const version = readdirSync(dir).sort().at(-1) ?? '';
  const gz = join(dir, version, 'service-2.json.gz');
  const plain = join(dir, version, 'service-2.json');
  const file = existsSync(gz) ? gz : plain;
  const raw = file === gz ? gunzipSync(readFileSync(gz)).toString('utf8') : readFileSync(plain, 'utf8');
  return { file, shapes: (JSON.parse(raw) as { shapes: Record<string, BotoShape> }).shapes };
}

interface Limits {
  min?: number;
  max?: number;
}
export type ModelNode =
  | { kind: 'structure'; name: string; members: ModelMember[] }
  | ({ kind: 'list'; member: ModelNode } & Limits)
  | ({ kind: 'map'; key: ModelNode; value: ModelNode } & Limits)
  | ({ kind: 'string'; enum?: string[]; /** botocore's shape name, where it has one. */ shape?: string } & Limits)
  | ({ kind: 'number'; integer: boolean } & Limits)
  | { kind: 'boolean' }
  | { kind: 'timestamp' }
  | { kind: 'blob' }
  | { kind: 'document' };

export interface ModelMember {
  name: string;
  required: boolean;
  /** Lazy: shapes may nest deeply and share sub-shapes. */
  node: () => ModelNode;
}

/** A member path: `a.b`, `list[].c`, `map{}.d`. */
export type Path = string;

export interface ModelShape {
  root: ModelNode;
  /** Places where botocore has no shape or member for what the SDK models: no constraints there, types only. */
  gaps: Path[];
}

/**
 * The model of `sdkSchema` (an exported `Foo$` static schema) with botocore's constraints attached.
 * `gaps` fills as the tree is walked (by `memberPaths`, `maximal` or `validate`), so read it after walking.
 */
export function modelShape(sdkSchema: unknown, botocore: BotocoreModel, sdkModule: object = {}): ModelShape {
  const gaps = new Set<Path>();
  const ns = NormalizedSchema.of(sdkSchema as Parameters<typeof NormalizedSchema.of>[0]);
  const context: Context = { model: botocore, sdkEnums: sdkModule as Record<string, unknown>, gaps };
  const shape: ModelShape = { root: buildNode(ns, ns.getName(), context, ''), gaps: [] };
  Object.defineProperty(shape, 'gaps', { get: () => [...gaps].sort(), enumerable: true });
  return shape;
}

interface Context {
  model: BotocoreModel;
  /** The SDK client module: it exports each enum as an object named like its shape (`CRType`), where it has one. */
  sdkEnums: Record<string, unknown>;
  gaps: Set<Path>;
}

function buildNode(ns: NormalizedSchema, botoName: string | undefined, context: Context, path: Path): ModelNode {
  const { model, gaps } = context;
  const boto = botoName ? model.shapes[botoName] : undefined;
  if (botoName && !boto) gaps.add(`${path || '(root)'} (botocore has no shape ${botoName})`);
  const limits: Limits = { min: boto?.min, max: boto?.max };
  if (ns.isStructSchema()) {
    const required = (ns.getSchema() as unknown[])[6];
    const requiredCount = typeof required === 'number' ? required : 0;
    const members: ModelMember[] = [];
    let index = 0;
    for (const [name, memberSchema] of ns.structIterator()) {
      const memberPath = path ? `${path}.${name}` : name;
      const ref = boto?.members?.[name];
      if (boto && !ref) gaps.add(`${memberPath} (botocore shape ${botoName} has no member ${name})`);
      let built: ModelNode | undefined;
      members.push({
        name,
        required: index < requiredCount || Boolean(boto?.required?.includes(name)),
        node: () => (built ??= buildNode(memberSchema, ref?.shape, context, memberPath)),
      });
      index += 1;
    }
    return { kind: 'structure', name: ns.getName() ?? botoName ?? '?', members };
  }
  if (ns.isListSchema()) {
    return {
      kind: 'list',
      ...limits,
      member: buildNode(ns.getValueSchema(), boto?.member?.shape, context, `${path}[]`),
    };
  }
  if (ns.isMapSchema()) {
    return {
      kind: 'map',
      ...limits,
      key: buildNode(ns.getKeySchema(), boto?.key?.shape, context, `${path}{key}`),
      value: buildNode(ns.getValueSchema(), boto?.value?.shape, context, `${path}{}`),
    };
  }
  if (ns.isStringSchema()) {
    const values = enumValues(botoName, boto, context, path);
    return { kind: 'string', ...limits, ...(values ? { enum: values } : {}), ...(botoName ? { shape: botoName } : {}) };
  }
  if (ns.isNumericSchema()) {
    const integer = boto ? ['integer', 'long'].includes(boto.type) : false;
    return { kind: 'number', integer, ...limits };
  }
  if (ns.isBooleanSchema()) return { kind: 'boolean' };
  if (ns.isTimestampSchema()) return { kind: 'timestamp' };
  if (ns.isBlobSchema()) return { kind: 'blob' };
  if (ns.isDocumentSchema()) return { kind: 'document' };
  throw new Error(`${path}: schema kind not handled by the model walker`);
}

/**
 * The enum of a string shape: the installed SDK's values where it exports the enum (it is the newer model), else
 * botocore's. A difference between the two is recorded as a gap.
 */
function enumValues(
  botoName: string | undefined,
  boto: BotoShape | undefined,
  context: Context,
  path: Path,
): string[] | undefined {
  if (!botoName || !boto?.enum) return undefined;
  const exported = context.sdkEnums[botoName];
  if (!exported || typeof exported !== 'object') {
    context.gaps.add(`${path} (the SDK exports no enum ${botoName}; botocore's values are used)`);
    return boto.enum;
  }
  const sdk = Object.values(exported).filter((v): v is string => typeof v === 'string');
  const botoEnum = boto.enum;
  const sdkOnly = sdk.filter((v) => !botoEnum.includes(v));
  const botoOnly = botoEnum.filter((v) => !sdk.includes(v));
  if (sdkOnly.length || botoOnly.length) {
    const diff = [
      sdkOnly.length ? `SDK adds ${sdkOnly.join(',')}` : '',
      botoOnly.length ? `botocore adds ${botoOnly.join(',')}` : '',
    ];
    context.gaps.add(`${path} (enum ${botoName}: ${diff.filter(Boolean).join('; ')}; the SDK's values are used)`);
  }
  // Keep botocore's order (the generator takes the first value) and add what only the SDK has.
  return [...botoEnum.filter((v) => sdk.includes(v)), ...sdkOnly];
}

/** Every member path of the shape, depth first. A shape that contains itself is walked once per branch. */
export function memberPaths(node: ModelNode, path: Path = '', seen: string[] = []): Path[] {
  switch (node.kind) {
    case 'structure': {
      if (seen.includes(node.name)) return [];
      return node.members.flatMap((m) => {
        const p = path ? `${path}.${m.name}` : m.name;
        return [p, ...memberPaths(m.node(), p, [...seen, node.name])];
      });
    }
    case 'list':
      return memberPaths(node.member, `${path}[]`, seen);
    case 'map':
      return memberPaths(node.value, `${path}{}`, seen);
    default:
      return [];
  }
}

/** The member paths `value` populates (not undefined), read through the model so map keys become `{}`. */
export function presentPaths(node: ModelNode, value: unknown, path: Path = ''): Set<Path> {
  const out = new Set<Path>();
  const add = (set: Set<Path>) => set.forEach((p) => out.add(p));
  if (value === undefined || value === null) return out;
  if (node.kind === 'structure' && typeof value === 'object') {
    for (const m of node.members) {
      const child = (value as Record<string, unknown>)[m.name];
      if (child === undefined) continue;
      const p = path ? `${path}.${m.name}` : m.name;
      out.add(p);
      add(presentPaths(m.node(), child, p));
    }
  } else if (node.kind === 'list' && Array.isArray(value)) {
    for (const item of value) add(presentPaths(node.member, item, `${path}[]`));
  } else if (node.kind === 'map' && typeof value === 'object') {
    for (const item of Object.values(value)) add(presentPaths(node.value, item, `${path}{}`));
  }
  return out;
}

/** Chooses a value at `path` instead of the generated one (return undefined to keep the generated one). */
export type Choose = (path: Path, node: ModelNode) => unknown;

/**
 * A value of the shape with EVERY member populated, recursively, within its enum, length and range constraints:
 * strings are the member's name padded or cut to fit, numbers the smallest allowed (or 1), lists and maps hold
 * max(min, 1) entries, enums take their first value unless `choose` picks another.
 */
export function maximal(
  node: ModelNode,
  choose: Choose = () => undefined,
  path: Path = '',
  seen: string[] = [],
): unknown {
  const chosen = choose(path, node);
  if (chosen !== undefined) return chosen;
  const count = (limits: Limits) => Math.max(limits.min ?? 1, 1);
  switch (node.kind) {
    case 'structure': {
      if (seen.includes(node.name)) throw new Error(`${path}: recursive shape ${node.name}; choose a value for it`);
      const out: Record<string, unknown> = {};
      for (const m of node.members) {
        out[m.name] = maximal(m.node(), choose, path ? `${path}.${m.name}` : m.name, [...seen, node.name]);
      }
      return out;
    }
    case 'list':
      return Array.from({ length: count(node) }, () => maximal(node.member, choose, `${path}[]`, seen));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < count(node); i += 1) {
        const key = maximal(node.key, choose, `${path}{key}`, seen);
        out[typeof key === 'string' && i > 0 ? `${key}${i}` : String(key)] = maximal(
          node.value,
          choose,
          `${path}{}`,
          seen,
        );
      }
      return out;
    }
    case 'string': {
      if (node.enum?.length) return node.enum[0];
      const base =
        path
          .split(/[.[\]{}]/)
          .filter(Boolean)
          .at(-1) ?? 'value';
      const min = node.min ?? 1;
      const padded = base.length >= min ? base : base + 'x'.repeat(min - base.length);
      return node.max !== undefined ? padded.slice(0, node.max) : padded;
    }
    case 'number':
      return node.min ?? (node.max !== undefined ? Math.min(1, node.max) : 1);
    case 'boolean':
      return true;
    case 'timestamp':
      return new Date('2026-01-01T00:00:00Z');
    case 'blob':
      return new Uint8Array([1]);
    case 'document':
      return {};
  }
}

export interface ValidateOptions {
  /** EC2's query protocol sends nothing for an empty structure: a required one that is empty counts as missing. */
  emptyStructureIsMissing?: boolean;
}

/** Every way `value` breaks the model: missing required members, unknown members, types, enums, lengths, ranges. */
export function validate(node: ModelNode, value: unknown, options: ValidateOptions = {}, path: Path = ''): string[] {
  const at = path || '(root)';
  const issues: string[] = [];
  const lengthIssue = (length: number, limits: Limits, what: string): void => {
    if (limits.min !== undefined && length < limits.min) issues.push(`${at}: ${what} ${length} is below ${limits.min}`);
    if (limits.max !== undefined && length > limits.max) issues.push(`${at}: ${what} ${length} is above ${limits.max}`);
  };
  switch (node.kind) {
    case 'structure': {
      if (!isPlainObject(value)) return [`${at}: expected a structure, got ${typeOf(value)}`];
      const known = new Set(node.members.map((m) => m.name));
      for (const key of Object.keys(value)) {
        if (!known.has(key)) issues.push(`${at}: unknown member ${key}`);
      }
      for (const m of node.members) {
        const child = value[m.name];
        const p = path ? `${path}.${m.name}` : m.name;
        const empty =
          options.emptyStructureIsMissing === true &&
          isPlainObject(child) &&
          Object.values(child).every((v) => v === undefined);
        if (child === undefined || (m.required && empty)) {
          if (m.required) issues.push(`${p}: required member missing`);
          continue;
        }
        issues.push(...validate(m.node(), child, options, p));
      }
      return issues;
    }
    case 'list':
      if (!Array.isArray(value)) return [`${at}: expected a list, got ${typeOf(value)}`];
      lengthIssue(value.length, node, 'list length');
      value.forEach((item) => issues.push(...validate(node.member, item, options, `${path}[]`)));
      return issues;
    case 'map':
      if (!isPlainObject(value)) return [`${at}: expected a map, got ${typeOf(value)}`];
      lengthIssue(Object.keys(value).length, node, 'map size');
      for (const [k, v] of Object.entries(value)) {
        issues.push(
          ...validate(node.key, k, options, `${path}{key}`),
          ...validate(node.value, v, options, `${path}{}`),
        );
      }
      return issues;
    case 'string':
      if (typeof value !== 'string') return [`${at}: expected a string, got ${typeOf(value)}`];
      if (node.enum && !node.enum.includes(value))
        issues.push(`${at}: "${value}" is not one of ${node.enum.join('|')}`);
      lengthIssue(value.length, node, 'length');
      return issues;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value))
        return [`${at}: expected a number, got ${typeOf(value)}`];
      if (node.integer && !Number.isInteger(value)) issues.push(`${at}: ${value} is not an integer`);
      if (node.min !== undefined && value < node.min) issues.push(`${at}: ${value} is below ${node.min}`);
      if (node.max !== undefined && value > node.max) issues.push(`${at}: ${value} is above ${node.max}`);
      return issues;
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected a boolean, got ${typeOf(value)}`];
    case 'timestamp':
      return isDate(value) ? [] : [`${at}: expected a timestamp, got ${typeOf(value)}`];
    case 'blob':
      return value instanceof Uint8Array || typeof value === 'string'
        ? []
        : [`${at}: expected a blob, got ${typeOf(value)}`];
    case 'document':
      return [];
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isDate(value);
}

/** A Date from any realm (structuredClone in a jest sandbox makes Dates of the outer realm). */
function isDate(value: unknown): boolean {
  return Object.prototype.toString.call(value) === '[object Date]';
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value;
}
