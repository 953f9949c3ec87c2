/**
 * JSON Schemas of everything batchctl reads or prints as JSON: the spec, the plan file, each command's --json
 * result and the error document. docs/schemas/*.schema.json are generated from `schemaFiles()` (`npm run schemas`);
 * a unit test fails when they differ, so the published files cannot drift from the code.
 */
import { ExitCode } from '../exit-codes';
import { ERROR_SCHEMA_VERSION, RESULT_COMMANDS, resultSchemaVersion, type ResultCommand } from './json-output';
import { PLAN_SCHEMA } from './plan';
import { SPEC_SCHEMA } from './spec';

const DRAFT = 'http://json-schema.org/draft-07/schema#';

const str = { type: 'string' };
const strings = { type: 'array', items: str };
const count = { type: 'integer', minimum: 0 };
const jobCounts = { type: 'object', additionalProperties: count };
const milliseconds = { type: 'object', additionalProperties: { type: 'number' } };

/** Every result document starts with its schema version; the other fields are the command's own. */
function resultSchema(
  command: ResultCommand,
  description: string,
  properties: Record<string, unknown>,
  required: string[],
): Record<string, unknown> {
  return {
    description,
    type: 'object',
    required: ['schemaVersion', ...required],
    properties: { schemaVersion: { const: resultSchemaVersion(command) }, ...properties },
  };
}

export const ERROR_DOCUMENT_SCHEMA = {
  description: 'Any batchctl command under --json that fails, usage errors included. The exit code is error.exitCode.',
  type: 'object',
  additionalProperties: false,
  required: ['schemaVersion', 'error'],
  properties: {
    schemaVersion: { const: ERROR_SCHEMA_VERSION },
    error: {
      type: 'object',
      additionalProperties: false,
      required: ['code', 'message', 'exitCode', 'suggestions'],
      properties: {
        code: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$', description: 'stable identifier: match on it' },
        message: { type: 'string', minLength: 1, description: 'one line: the bad value and the fix' },
        exitCode: {
          enum: Object.values(ExitCode).filter((code) => code !== ExitCode.Ok),
          description: 'docs/exit-codes.md (src/exit-codes.ts)',
        },
        suggestions: { ...strings, description: 'what to run or change next' },
      },
    },
  },
};

const fieldChange = {
  type: 'object',
  required: ['path', 'kind'],
  properties: { path: str, kind: { enum: ['added', 'removed', 'changed'] }, before: {}, after: {} },
};

const resourceDiff = {
  type: 'object',
  required: ['kind', 'from', 'to', 'action', 'changes'],
  properties: {
    kind: { enum: ['launch-template', 'compute-environment', 'job-queue', 'job-definition'] },
    from: str,
    to: str,
    action: { enum: ['create', 'keep'] },
    changes: { type: 'array', items: fieldChange },
  },
};

const repointed = {
  type: 'array',
  items: {
    type: 'object',
    required: ['stateMachine', 'changes', 'published', 'aliases'],
    properties: {
      stateMachine: str,
      changes: count,
      published: {
        type: 'array',
        items: { type: 'object', required: ['from', 'to'], properties: { from: str, to: str } },
      },
      publishedVersion: str,
      aliases: strings,
    },
  },
};

const drained = {
  type: 'object',
  required: ['queue', 'durationMs'],
  properties: { queue: str, durationMs: { type: 'number' } },
};

const deleted = {
  type: 'array',
  items: { type: 'object', required: ['kind', 'name'], properties: { kind: str, name: str } },
};

const promoteProperties = {
  planId: str,
  workload: str,
  status: { enum: ['complete', 'drained'], description: 'drained: A kept, drained and disabled (--no-retire)' },
  resumedFrom: { enum: ['start', 'build', 'retire'] },
  created: {
    type: 'array',
    items: {
      type: 'object',
      required: ['kind', 'name', 'arn', 'reused'],
      properties: { kind: str, name: str, arn: str, reused: { type: 'boolean' } },
    },
  },
  repointed,
  drained,
  deleted,
  timings: milliseconds,
};
const promoteRequired = ['planId', 'workload', 'status', 'created', 'repointed', 'deleted', 'timings'];

const lock = {
  type: 'object',
  required: ['id', 'workload', 'planId', 'operation', 'startedAt', 'holder'],
  properties: { id: str, workload: str, planId: str, operation: str, startedAt: str, holder: str },
};

export const RESULT_SCHEMAS: Record<ResultCommand, Record<string, unknown>> = {
  plan: resultSchema(
    'plan',
    'batchctl plan --json: the plan written, its status and the diff of A against B (docs/commands/plan.md).',
    {
      status: { enum: ['ready', 'blocked'] },
      planPath: str,
      plan: PLAN_SCHEMA,
      diff: { type: 'array', items: resourceDiff },
    },
    ['status', 'planPath', 'plan', 'diff'],
  ),
  promote: resultSchema(
    'promote',
    'batchctl promote --json (docs/commands/promote.md).',
    promoteProperties,
    promoteRequired,
  ),
  retire: resultSchema('retire', 'batchctl retire --json: as promote.', promoteProperties, promoteRequired),
  rollback: resultSchema(
    'rollback',
    'batchctl rollback --json (docs/commands/rollback.md).',
    { planId: str, workload: str, live: str, repointed, drained, deleted, timings: milliseconds },
    ['planId', 'workload', 'live', 'repointed', 'deleted', 'timings'],
  ),
  drain: resultSchema(
    'drain',
    'batchctl drain --json (docs/commands/drain.md).',
    {
      queue: {
        type: 'object',
        required: ['name', 'arn', 'state'],
        properties: { name: str, arn: str, state: str },
      },
      drained: { type: 'boolean' },
      inFlight: {
        type: 'object',
        required: ['executions', 'jobs'],
        properties: { executions: strings, jobs: jobCounts },
      },
      express: strings,
      durationMs: { type: 'number' },
    },
    ['queue', 'drained', 'inFlight', 'express'],
  ),
  status: resultSchema(
    'status',
    'batchctl status --json (docs/commands/status.md).',
    {
      workload: str,
      live: {
        type: 'object',
        required: ['revision', 'queue'],
        properties: { revision: { enum: ['a', 'b'] }, queue: str },
      },
      queues: {
        type: 'array',
        items: {
          type: 'object',
          required: ['revision', 'name', 'state', 'status', 'referencedBy', 'jobs'],
          properties: {
            revision: { enum: ['a', 'b'] },
            name: str,
            arn: str,
            state: str,
            status: str,
            planId: str,
            referencedBy: strings,
            jobs: jobCounts,
            executions: count,
            express: strings,
          },
        },
      },
      swap: {
        type: 'object',
        required: ['phase', 'description', 'next'],
        properties: { phase: str, description: str, planId: str, next: strings },
      },
      lock,
      handBack: {
        ...PLAN_SCHEMA.properties.handBack.properties.stacks,
        description:
          "stacks whose templates still name the previous revision although the plan's new one is live (docs/commands/status.md)",
      },
    },
    ['workload', 'queues', 'swap'],
  ),
};

/** File name (under docs/schemas/) → schema, with $schema and title added. */
export function schemaFiles(): Record<string, Record<string, unknown>> {
  const files: Record<string, Record<string, unknown>> = {};
  const add = (name: string, title: string, schema: Record<string, unknown>): void => {
    const file = `${name}.schema.json`;
    files[file] = { $schema: DRAFT, title, ...schema };
  };
  add('spec', 'batchctl spec (version 1)', SPEC_SCHEMA);
  add('plan-file', 'batchctl plan file (format batchctl-plan/1)', PLAN_SCHEMA);
  add('error', `batchctl --json error (${ERROR_SCHEMA_VERSION})`, ERROR_DOCUMENT_SCHEMA);
  for (const command of RESULT_COMMANDS) {
    add(`${command}-result`, `batchctl ${command} --json (${resultSchemaVersion(command)})`, RESULT_SCHEMAS[command]);
  }
  return files;
}

/** A file's text as written to docs/schemas/: two-space JSON and a final newline (prettier's format for JSON). */
export function schemaFileText(schema: Record<string, unknown>): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
