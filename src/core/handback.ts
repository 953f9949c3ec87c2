/**
 * The hand-back: where a CloudFormation template still names revision A, so its next deploy would undo the swap.
 * Pure: the template text and what A and B are called come in, the properties to change come out.
 *
 * Two ways a template names A: literally (A's name or ARN inside any string — a plain property, a `DefinitionString`
 * or `Fn::Sub` body, a `DefinitionSubstitutions` value), or through one of the stack's own resources that is A's
 * (`Ref`, `Fn::GetAtt`, or `${Logical}` / `${Logical.Attr}` inside an `Fn::Sub` string).
 */
import { parseDocument, type ScalarTag, type CollectionTag } from 'yaml';

import { collectBatchTasks, DefinitionParseError } from './references';

/** One of A's values and what replaces it after the swap. */
export interface HandBackValue {
  /** A's name, ARN or id, exactly as it may appear in a template. */
  from: string;
  /** B's value in the same form (a name for a name, an ARN for an ARN). */
  to: string;
  /** `name` values match only whole names (not inside an ARN, not as the start of a longer name). */
  form: 'name' | 'arn' | 'id';
  /**
   * Job definitions: a `:<revision>` after A's value is part of the match and becomes `:<toRevision>` (dropped when
   * B's revision is not known).
   */
  revisioned?: boolean;
  toRevision?: number;
}

/** One property of one template resource that must change after the swap. */
export interface HandBackChange {
  logicalId: string;
  resourceType: string;
  /** The property path inside `Properties`, e.g. `DefinitionString` or `ComputeEnvironmentOrder[0].ComputeEnvironment`. */
  property: string;
  /** What the template has now: A's value, or the reference (`Ref Queue`, `${Queue}`) that resolves to it. */
  before: string;
  after: string;
}

export interface HandBackResource {
  logicalId: string;
  /** `job queue`, `compute environment`, `launch template`, `job definition`, `state machine`, … */
  kind: string;
  name: string;
  physicalId: string;
  source: 'tags' | 'stack-resources';
  /** A's resource that retire deletes (or deregisters): the stack must stop managing it. */
  retiredBySwap: boolean;
}

export interface StackHandBack {
  stack: string;
  stackId?: string;
  resources: HandBackResource[];
  changes: HandBackChange[];
  /** Set when the template could not be read as JSON or YAML: it was not searched. */
  unreadable?: string;
}

export interface HandBack {
  /** A's names, ARNs and ids with B's replacement for each: what status searches the templates for again. */
  values: HandBackValue[];
  stacks: StackHandBack[];
}

export class TemplateParseError extends Error {}

/** CloudFormation's YAML short forms (`!Ref`, `!Sub`, `!GetAtt`…) read as their JSON long forms. */
const SHORT_FORMS = [
  'And',
  'Base64',
  'Cidr',
  'Equals',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'If',
  'ImportValue',
  'Join',
  'Not',
  'Or',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'ToJsonString',
  'Length',
  'Condition',
  'Ref',
];

function longForm(name: string, value: unknown): Record<string, unknown> {
  if (name === 'Ref' || name === 'Condition') return { [name]: value };
  // `!GetAtt Logical.Attr` is a string in short form, a two-item list in long form.
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = SHORT_FORMS.flatMap((name): (ScalarTag | CollectionTag)[] => {
  const tag = `!${name}`;
  return [
    { tag, resolve: (value: string) => longForm(name, value) },
    {
      tag,
      collection: 'seq',
      resolve: (seq: { toJSON(): unknown }) => longForm(name, seq.toJSON()),
    } as unknown as CollectionTag,
    {
      tag,
      collection: 'map',
      resolve: (map: { toJSON(): unknown }) => longForm(name, map.toJSON()),
    } as unknown as CollectionTag,
  ];
});

/** A template body as GetTemplate returns it: JSON, or YAML with or without short-form intrinsic functions. */
export function parseTemplate(body: string): Record<string, unknown> {
  const trimmed = body.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      // Not JSON after all: YAML is a superset of JSON's flow syntax, try it.
    }
  }
  const doc = parseDocument(body, { customTags: CUSTOM_TAGS, prettyErrors: false, uniqueKeys: false });
  if (doc.errors[0]) throw new TemplateParseError(doc.errors[0].message.split('\n')[0] ?? 'not YAML');
  const value: unknown = doc.toJS();
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new TemplateParseError('not a template');
  return value as Record<string, unknown>;
}

const NAME_CHAR = /[A-Za-z0-9_-]/;

function isBoundary(ch: string | undefined, extra = ''): boolean {
  return ch === undefined || !(NAME_CHAR.test(ch) || extra.includes(ch));
}

interface Match {
  start: number;
  end: number;
  before: string;
  after: string;
}

/**
 * Every whole occurrence of A's values in one string. ARNs and ids are looked for first and their spans reserved, so a
 * name inside A's ARN is reported once, as the ARN. A name preceded by `/` or `:` is part of some other ARN (another
 * account's or region's), and a name followed by a name character is a longer name: neither matches.
 */
export function findValues(text: string, values: readonly HandBackValue[]): Match[] {
  const matches: Match[] = [];
  const taken = (start: number, end: number): boolean => matches.some((m) => start < m.end && end > m.start);
  const ordered = [...values].sort((x, y) => rank(x) - rank(y) || y.from.length - x.from.length);
  for (const value of ordered) {
    if (!value.from) continue;
    let at = text.indexOf(value.from);
    while (at >= 0) {
      let end = at + value.from.length;
      const okBefore = value.form === 'name' ? isBoundary(text[at - 1], '/:') : isBoundary(text[at - 1]);
      let revision: string | undefined;
      if (value.revisioned) {
        const rev = /^:(\d+)/.exec(text.slice(end));
        if (rev) {
          revision = rev[1];
          end += rev[0].length;
        }
      }
      if (okBefore && isBoundary(text[end]) && !taken(at, end)) {
        const suffix = revision === undefined || value.toRevision === undefined ? '' : `:${value.toRevision}`;
        matches.push({ start: at, end, before: text.slice(at, end), after: value.to + suffix });
      }
      at = text.indexOf(value.from, at + 1);
    }
  }
  return matches.sort((x, y) => x.start - y.start);
}

function rank(value: HandBackValue): number {
  return value.form === 'name' ? 1 : 0;
}

const SUB_VARIABLE = /\$\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9.]+))?\}/g;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Intrinsic functions are how a value is written, not where it is: inside one (`frozen`) the path stays the
 * property's, so `!Join [":", [a, !Ref Queue]]` is reported as its property, not as `[1][1]`.
 */
function joinPath(path: string, key: string | number, frozen: boolean): string {
  if (frozen) return path;
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

/**
 * Every property of every resource in `template` that names A. `own` maps the logical ids of the stack's resources
 * that are A's to the value that replaces a reference to them (B's ARN or id), so `!Ref Queue` and `${Queue}` count.
 */
/**
 * Properties whose text is a label, never a reference to a queue or job definition: a rule target's `Id`, a job's
 * `JobName` (often the job definition's name), a `Description`. A value equal to A's name there is not a hand-back.
 */
const LABEL_KEYS = new Set(['Id', 'JobName', 'Description']);

export function findHandBack(
  template: Record<string, unknown>,
  values: readonly HandBackValue[],
  own: ReadonlyMap<string, string> = new Map(),
  pseudo?: PseudoParameters,
): HandBackChange[] {
  const resources = isObject(template.Resources) ? template.Resources : {};
  const changes: HandBackChange[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isObject(resource) || !isObject(resource.Properties)) continue;
    const resourceType = typeof resource.Type === 'string' ? resource.Type : '';
    const add = (property: string, before: string, after: string): void => {
      if (changes.some((c) => c.logicalId === logicalId && c.property === property && c.before === before)) return;
      changes.push({ logicalId, resourceType, property, before, after });
    };
    const visit = (node: unknown, path: string, subVariables: ReadonlySet<string>, frozen = false): void => {
      if (typeof node === 'string') {
        for (const m of findInString(node, values)) add(path, m.before, m.after);
        return;
      }
      if (Array.isArray(node)) {
        node.forEach((item, i) => visit(item, joinPath(path, i, frozen), subVariables, frozen));
        return;
      }
      if (!isObject(node)) return;
      const keys = Object.keys(node);
      if (keys.length === 1 && typeof node.Ref === 'string') {
        const to = own.get(node.Ref);
        if (to !== undefined) add(path, `Ref ${node.Ref}`, to);
        return;
      }
      if (keys.length === 1 && 'Fn::GetAtt' in node) {
        const target = node['Fn::GetAtt'];
        const [logical, attribute] = Array.isArray(target)
          ? [String(target[0]), target[1] === undefined ? '' : String(target[1])]
          : String(target).split(/\.(.*)/s);
        const to = own.get(logical ?? '');
        if (to !== undefined)
          add(path, `GetAtt ${logical ?? ''}${attribute ? `.${attribute}` : ''}`, attributeOf(to, attribute ?? ''));
        return;
      }
      if (keys.length === 1 && 'Fn::Sub' in node) {
        const sub = node['Fn::Sub'];
        const body: unknown = Array.isArray(sub) ? sub[0] : sub;
        const variables = Array.isArray(sub) && isObject(sub[1]) ? sub[1] : {};
        // A variable the Fn::Sub defines itself shadows a logical id of the same name.
        const shadowed = new Set([...subVariables, ...Object.keys(variables)]);
        if (typeof body === 'string') {
          for (const m of body.matchAll(SUB_VARIABLE)) {
            const to = own.get(m[1] ?? '');
            if (to !== undefined && !shadowed.has(m[1] ?? '')) add(path, m[0], to);
          }
        }
        visit(typeof body === 'string' && pseudo ? resolvePseudo(body, pseudo) : body, path, shadowed, true);
        for (const [name, value] of Object.entries(variables))
          visit(value, joinPath(path, name, frozen), subVariables, true);
        return;
      }
      for (const [key, value] of Object.entries(node)) {
        if (LABEL_KEYS.has(key) && typeof value === 'string') continue;
        const intrinsic = key.startsWith('Fn::');
        visit(value, intrinsic ? path : joinPath(path, key, frozen), subVariables, frozen || intrinsic);
      }
    };
    visit(resource.Properties, '', new Set());
  }
  return changes;
}

/**
 * What `Fn::GetAtt` of B's resource gives: the ARN and id attributes are what `Ref` gives for Batch resources and
 * launch templates; B's launch template has version 1 only (core/derive.ts pins it); others are named as such.
 */
function attributeOf(to: string, attribute: string): string {
  if (attribute === '' || /Arn$|Id$/.test(attribute)) return to;
  if (attribute === 'LatestVersionNumber' || attribute === 'DefaultVersionNumber') return '1';
  return `${attribute} of ${to}`;
}

/** The account's values of the pseudo parameters an ARN in an `Fn::Sub` string is usually built from. */
export interface PseudoParameters {
  partition: string;
  region: string;
  account: string;
}

function resolvePseudo(body: string, pseudo: PseudoParameters): string {
  return body
    .replaceAll('${AWS::Partition}', pseudo.partition)
    .replaceAll('${AWS::Region}', pseudo.region)
    .replaceAll('${AWS::AccountId}', pseudo.account);
}

/**
 * A state machine definition (a string that reads as ASL) is searched only where it names Batch: the static
 * `JobQueue` / `JobDefinition` values of its Batch tasks, so a job *name* equal to A's job definition's name is not
 * taken for it. Any other string is searched whole.
 */
function findInString(text: string, values: readonly HandBackValue[]): Match[] {
  if (/"States"\s*:/.test(text)) {
    try {
      return collectBatchTasks(text).flatMap((task) =>
        task.fields.flatMap((field) => (field.kind === 'static' ? findValues(field.value, values) : [])),
      );
    } catch (error) {
      if (!(error instanceof DefinitionParseError)) throw error;
    }
  }
  return findValues(text, values);
}

/** "property X of logical id Y: A's value → B's value" */
export function describeChange(change: HandBackChange): string {
  return `property ${change.property} of ${change.logicalId} (${change.resourceType}): ${change.before} → ${change.after}`;
}

/** Where A's values come from: the plan's derived revision B (each B resource names the A resource it replaces). */
export interface HandBackSource {
  jobQueue: { from: { name: string; arn: string }; name: string; arn: string };
  computeEnvironments: { from: { name: string; arn: string }; name: string; arn: string }[];
  launchTemplates: { from: { id: string; name: string }; name: string }[];
  jobDefinitions: { from: { name: string; arn: string }; changed: boolean; name: string }[];
}

/**
 * A's names, ARNs and ids with B's replacement for each. Job definitions B leaves unchanged are shared by both
 * revisions, so they are not A's to hand back. B's launch template ids are not known before promote creates them.
 */
export function handBackValues(
  b: HandBackSource,
  jobDefinitionRevisions: ReadonlyMap<string, number>,
): HandBackValue[] {
  const values: HandBackValue[] = [
    { from: b.jobQueue.from.arn, to: b.jobQueue.arn, form: 'arn' },
    { from: b.jobQueue.from.name, to: b.jobQueue.name, form: 'name' },
  ];
  for (const ce of b.computeEnvironments) {
    values.push({ from: ce.from.arn, to: ce.arn, form: 'arn' }, { from: ce.from.name, to: ce.name, form: 'name' });
  }
  for (const lt of b.launchTemplates) {
    values.push(
      { from: lt.from.id, to: `(the id of launch template ${lt.name})`, form: 'id' },
      { from: lt.from.name, to: lt.name, form: 'name' },
    );
  }
  for (const jd of b.jobDefinitions.filter((j) => j.changed)) {
    const revision = jobDefinitionRevisions.get(jd.name);
    const fromArn = jd.from.arn.replace(/:\d+$/, '');
    const toArn = fromArn.replace(/job-definition\/.*$/, `job-definition/${jd.name}`);
    const pinned = revision === undefined ? {} : { toRevision: revision };
    values.push(
      { from: fromArn, to: toArn, form: 'arn', revisioned: true, ...pinned },
      { from: jd.from.name, to: jd.name, form: 'name', revisioned: true, ...pinned },
    );
  }
  return values.filter((v) => v.from);
}

/**
 * The stack's resources that are A's, by logical id, each with what a `Ref` to it should become: a stack resource's
 * physical id is its `Ref` value (the ARN of a Batch queue, compute environment or job definition revision, the id of
 * a launch template), compared whole against A's ARNs and ids.
 */
export function ownReplacements(
  resources: readonly { logicalId: string; physicalId: string }[],
  values: readonly HandBackValue[],
): Map<string, string> {
  const own = new Map<string, string>();
  for (const { logicalId, physicalId } of resources) {
    for (const value of values.filter((v) => v.form !== 'name')) {
      const whole = physicalId === value.from;
      const revisioned = value.revisioned && new RegExp(`^${escapeRegExp(value.from)}:\\d+$`).test(physicalId);
      if (whole || revisioned) {
        own.set(logicalId, value.to + (revisioned && value.toRevision !== undefined ? `:${value.toRevision}` : ''));
      }
    }
  }
  return own;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
