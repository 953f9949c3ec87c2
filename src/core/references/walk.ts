/**
 * Finds every AWS Batch task in a Step Functions (ASL) definition (aws-facts §5.1). Pure: no I/O.
 *
 * State paths: a task's `path` lists the names met on the way from the root of the definition to the
 * state, ending with the state's own name. Between two state names sits one structural segment that
 * says how the walk went down:
 *   - `Branches[<i>]`  for the i-th (0-based) branch of a Parallel state,
 *   - `ItemProcessor`  for a Map state's processor (inline or Distributed Map),
 *   - `Iterator`       for a Map state's legacy iterator.
 * So `["Split", "Branches[1]", "Fan out", "ItemProcessor", "Submit"]` is the state `Submit` inside the
 * Map `Fan out`, which is in the second branch of the Parallel `Split`; a top-level state is `["Submit"]`.
 * State names are unique inside one `States` object, so a path names exactly one state.
 */

export type QueryLanguage = 'JSONPath' | 'JSONata';

/**
 * How the Task state calls Batch:
 * - `optimized`: `arn:<partition>:states:::batch:submitJob` (request-response, or `.waitForTaskToken`);
 * - `optimized.sync`: `arn:<partition>:states:::batch:submitJob.sync`;
 * - `aws-sdk`: `arn:<partition>:states:::aws-sdk:batch:<action>`;
 * - `unknown`: a Resource that mentions `:batch:` but is none of the above (callers should warn).
 */
export type BatchIntegration = 'optimized' | 'optimized.sync' | 'aws-sdk' | 'unknown';

export type IntegrationPattern = 'request-response' | 'sync' | 'waitForTaskToken';

/** Where a task's arguments sit: `Parameters` (JSONPath) or `Arguments` (JSONata). Both are read in either mode. */
export type FieldContainer = 'Parameters' | 'Arguments';

/** `ComputeEnvironment` is only read for aws-sdk actions (top level and `ComputeEnvironmentOrder[].ComputeEnvironment`). */
export type BatchFieldName = 'JobQueue' | 'JobDefinition' | 'ComputeEnvironment';

interface BatchTaskFieldBase {
  name: BatchFieldName;
  container: FieldContainer;
  /** The key as written, e.g. `JobQueue`, `JobQueue.$`, or the container's name when the whole container is an expression. */
  key: string;
  /** Keys from the state object down to the value, e.g. `["Parameters", "JobQueue.$"]` or `["Arguments", "ComputeEnvironmentOrder", 0, "ComputeEnvironment"]`. */
  pointer: (string | number)[];
}

export interface StaticField extends BatchTaskFieldBase {
  kind: 'static';
  value: string;
}

/**
 * A value that is only known at run time: a JSONPath key ending in `.$` (`$.x`, `$$.Execution.Input.q`,
 * `$var`, `States.Format(...)`), a JSONata string `{% … %}`, or a non-string value (kept as its JSON text).
 */
export interface DynamicField extends BatchTaskFieldBase {
  kind: 'dynamic';
  expression: string;
}

export type BatchTaskField = StaticField | DynamicField;

/** Everything that locates and describes a Batch task, without its fields. */
export interface BatchTaskLocation {
  /** See the path scheme at the top of this file. */
  path: string[];
  stateName: string;
  resource: string;
  integration: BatchIntegration;
  /** `submitJob` for the optimized integration, the API action for aws-sdk (`listJobs`…), undefined when unknown. */
  action: string | undefined;
  /** Undefined when the integration is unknown. */
  pattern: IntegrationPattern | undefined;
  queryLanguage: QueryLanguage;
}

export interface BatchTask extends BatchTaskLocation {
  /** In the order written; empty for `unknown` integrations, whose arguments are not interpreted. */
  fields: BatchTaskField[];
}

/** The definition is not JSON, not an object, or has no `States` object. */
export class DefinitionParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DefinitionParseError';
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const PARTITION = 'aws(?:-[a-z0-9]+)*';
const OPTIMIZED = new RegExp(`^arn:${PARTITION}:states:::batch:submitJob(\\.sync|\\.waitForTaskToken)?$`);
const AWS_SDK = new RegExp(`^arn:${PARTITION}:states:::aws-sdk:batch:([A-Za-z][A-Za-z0-9]*)(\\.waitForTaskToken)?$`);

export interface BatchResourceClass {
  integration: BatchIntegration;
  action: string | undefined;
  pattern: IntegrationPattern | undefined;
}

/** Classifies a Task state's Resource; undefined when it does not mention Batch at all. */
export function classifyBatchResource(resource: string): BatchResourceClass | undefined {
  const optimized = OPTIMIZED.exec(resource);
  if (optimized) {
    if (optimized[1] === '.sync') return { integration: 'optimized.sync', action: 'submitJob', pattern: 'sync' };
    if (optimized[1] === '.waitForTaskToken') {
      return { integration: 'optimized', action: 'submitJob', pattern: 'waitForTaskToken' };
    }
    return { integration: 'optimized', action: 'submitJob', pattern: 'request-response' };
  }
  const sdk = AWS_SDK.exec(resource);
  if (sdk) {
    const pattern = sdk[2] === undefined ? 'request-response' : 'waitForTaskToken';
    return { integration: 'aws-sdk', action: sdk[1], pattern };
  }
  if (resource.includes(':batch:')) return { integration: 'unknown', action: undefined, pattern: undefined };
  return undefined;
}

/** True for a JSONata expression string, `{% … %}` (surrounding whitespace tolerated). */
export function isJsonataExpression(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.startsWith('{%') && trimmed.endsWith('%}');
}

/** Parses a definition (string or already-parsed object) and checks that it has a `States` object. */
export function parseDefinition(definition: string | object): JsonObject {
  let root: unknown = definition;
  if (typeof definition === 'string') {
    try {
      root = JSON.parse(definition);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DefinitionParseError(`State machine definition is not valid JSON: ${reason}.`, { cause: error });
    }
  }
  if (!isObject(root)) throw new DefinitionParseError('State machine definition is not a JSON object.');
  if (!isObject(root.States)) throw new DefinitionParseError('State machine definition has no "States" object.');
  return root;
}

function languageOf(value: unknown, fallback: QueryLanguage): QueryLanguage {
  return value === 'JSONata' || value === 'JSONPath' ? value : fallback;
}

type StateVisitor = (state: JsonObject, path: string[], queryLanguage: QueryLanguage) => void;

/**
 * Visits every state, depth first in the order written. A state without its own `QueryLanguage` uses the
 * top-level one (ASL: states inherit from the top-level field, not from an enclosing Map or Parallel).
 */
function walkStates(states: unknown, prefix: string[], topLanguage: QueryLanguage, visit: StateVisitor): void {
  if (!isObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isObject(state)) continue;
    const path = [...prefix, name];
    visit(state, path, languageOf(state.QueryLanguage, topLanguage));
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      state.Branches.forEach((branch: unknown, index) => {
        if (isObject(branch)) walkStates(branch.States, [...path, `Branches[${index}]`], topLanguage, visit);
      });
    }
    if (state.Type === 'Map') {
      for (const key of ['ItemProcessor', 'Iterator']) {
        const processor = state[key];
        if (isObject(processor)) walkStates(processor.States, [...path, key], topLanguage, visit);
      }
    }
  }
}

function expressionText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function readField(
  name: BatchFieldName,
  container: FieldContainer,
  key: string,
  value: unknown,
  pointer: (string | number)[],
): BatchTaskField {
  const base = { name, container, key, pointer };
  if (key.endsWith('.$') || typeof value !== 'string' || isJsonataExpression(value)) {
    return { ...base, kind: 'dynamic', expression: expressionText(value) };
  }
  return { ...base, kind: 'static', value };
}

function baseKey(key: string): string {
  return key.endsWith('.$') ? key.slice(0, -2) : key;
}

function readContainer(container: FieldContainer, block: JsonObject, sdk: boolean): BatchTaskField[] {
  const fields: BatchTaskField[] = [];
  for (const [key, value] of Object.entries(block)) {
    const base = baseKey(key);
    if (base === 'JobQueue' || base === 'JobDefinition' || (sdk && base === 'ComputeEnvironment')) {
      fields.push(readField(base, container, key, value, [container, key]));
    } else if (sdk && base === 'ComputeEnvironmentOrder') {
      if (key !== base || !Array.isArray(value)) {
        fields.push(readField('ComputeEnvironment', container, key, value, [container, key]));
        continue;
      }
      value.forEach((entry: unknown, index) => {
        if (!isObject(entry)) {
          fields.push(readField('ComputeEnvironment', container, key, entry, [container, key, index]));
          return;
        }
        for (const [entryKey, entryValue] of Object.entries(entry)) {
          if (baseKey(entryKey) !== 'ComputeEnvironment') continue;
          fields.push(
            readField('ComputeEnvironment', container, entryKey, entryValue, [container, key, index, entryKey]),
          );
        }
      });
    }
  }
  return fields;
}

/**
 * Reads both `Parameters` and `Arguments` whatever the query language, so a state whose language is
 * misjudged is still seen. Only the container's own keys are fields: a nested `Parameters` / `Arguments`
 * object is SubmitJob's job-parameter map (aws-facts §5.1) and is never read. A container that is not an
 * object (e.g. `"Arguments": "{% … %}"`) makes both JobQueue and JobDefinition dynamic.
 */
function readFields(state: JsonObject, sdk: boolean): BatchTaskField[] {
  const fields: BatchTaskField[] = [];
  for (const container of ['Parameters', 'Arguments'] as const) {
    if (!(container in state)) continue;
    const block = state[container];
    if (isObject(block)) {
      fields.push(...readContainer(container, block, sdk));
    } else {
      for (const name of ['JobQueue', 'JobDefinition'] as const) {
        fields.push({
          name,
          container,
          key: container,
          pointer: [container],
          kind: 'dynamic',
          expression: expressionText(block),
        });
      }
    }
  }
  return fields;
}

/** A Batch task together with the state object it was read from (rewrite edits that object in place). */
export interface BatchTaskState {
  task: BatchTask;
  state: JsonObject;
}

/** Internal to the references module: like collectBatchTasks, but keeps the state objects. */
export function collectBatchTaskStates(root: JsonObject): BatchTaskState[] {
  const found: BatchTaskState[] = [];
  walkStates(root.States, [], languageOf(root.QueryLanguage, 'JSONPath'), (state, path, queryLanguage) => {
    if (state.Type !== 'Task' || typeof state.Resource !== 'string') return;
    const resourceClass = classifyBatchResource(state.Resource);
    if (!resourceClass) return;
    const fields =
      resourceClass.integration === 'unknown' ? [] : readFields(state, resourceClass.integration === 'aws-sdk');
    const stateName = path[path.length - 1] as string;
    found.push({ task: { path, stateName, resource: state.Resource, ...resourceClass, queryLanguage, fields }, state });
  });
  return found;
}

/**
 * Every Batch task of a definition, at any depth, in the order written.
 * Throws DefinitionParseError when the definition is not JSON or has no `States` object.
 * An object argument is not modified.
 */
export function collectBatchTasks(definition: string | object): BatchTask[] {
  return collectBatchTaskStates(parseDefinition(definition)).map((entry) => entry.task);
}

/** The location part of a task (a copy; the task's fields are left out). */
export function taskLocation(task: BatchTaskLocation): BatchTaskLocation {
  const { path, stateName, resource, integration, action, pattern, queryLanguage } = task;
  return { path: [...path], stateName, resource, integration, action, pattern, queryLanguage };
}

/** A one-line rendering of a state path, e.g. `Split › Branches[1] › Fan out › ItemProcessor › Submit`. */
export function formatStatePath(path: readonly string[]): string {
  return path.join(' › ');
}
