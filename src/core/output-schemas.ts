/**
 * JSON Schemas of everything batchctl reads or prints as JSON: the spec, the plan file, each command's --json
 * result and the error document. docs/schemas/*.schema.json are generated from `schemaFiles()` (`npm run schemas`);
 * a unit test fails when they differ, so the published files cannot drift from the code.
 */
import { ExitCode } from '../exit-codes';
import { ERROR_SCHEMA_VERSION, RESULT_COMMANDS, resultSchemaVersion, type ResultCommand } from './json-output';
import { PLAN_SCHEMA, RESOURCE_DIFF_SCHEMA } from './plan';
import { SPEC_SCHEMA } from './spec';
import { SWAP_PHASES } from './swap-phase';

const DRAFT = 'http://json-schema.org/draft-07/schema#';

const str = { type: 'string' };
const strings = { type: 'array', items: str };
const count = { type: 'integer', minimum: 0 };
const jobCounts = { type: 'object', additionalProperties: count };
const milliseconds = { type: 'object', additionalProperties: { type: 'number' } };
const revisionLabel = { enum: ['a', 'b'] };

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
  plan: {
    ...resultSchema(
      'plan',
      'batchctl plan --json: the plan written, its status and the diff of A against B; or, when the desired state is already live (exit 11), `changes: false` and no plan (docs/commands/plan.md).',
      {
        changes: { type: 'boolean', description: 'false: the desired state is already live; no plan file written' },
        status: { enum: ['ready', 'blocked', 'no-changes'] },
        planPath: str,
        plan: PLAN_SCHEMA,
        diff: { type: 'array', items: RESOURCE_DIFF_SCHEMA },
        notes: strings,
        workload: str,
        live: {
          type: 'object',
          required: ['revision', 'queue'],
          properties: { revision: { enum: ['a', 'b'] }, queue: str },
        },
        message: str,
      },
      ['changes', 'status', 'notes'],
    ),
    if: { properties: { changes: { const: true } } },
    then: { required: ['planPath', 'plan', 'diff'], properties: { status: { enum: ['ready', 'blocked'] } } },
    else: { required: ['workload', 'live', 'message'], properties: { status: { const: 'no-changes' } } },
  },
  show: resultSchema(
    'show',
    'batchctl show --json: a saved plan read back offline, with its fingerprint status (docs/commands/show.md).',
    {
      planPath: str,
      status: { enum: ['ready', 'blocked'] },
      fingerprint: {
        type: 'object',
        required: ['status', 'digest'],
        properties: {
          status: {
            enum: ['intact', 'edited'],
            description: 'edited: the file changed after plan sealed it; promote refuses it (exit 3)',
          },
          digest: str,
        },
      },
      plan: PLAN_SCHEMA,
      diff: { type: 'array', items: RESOURCE_DIFF_SCHEMA },
    },
    ['planPath', 'status', 'fingerprint', 'plan'],
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
        properties: { revision: revisionLabel, queue: str },
      },
      queues: {
        type: 'array',
        items: {
          type: 'object',
          required: ['revision', 'name', 'state', 'status', 'referencedBy', 'jobs'],
          properties: {
            revision: revisionLabel,
            name: str,
            arn: str,
            state: str,
            status: str,
            planId: str,
            referencedBy: { ...strings, description: 'state machines whose current definition names the queue' },
            routedBy: {
              type: 'array',
              description: 'aliases routing to a published version whose definition names the queue',
              items: {
                type: 'object',
                required: ['stateMachine', 'alias', 'version', 'weight'],
                properties: { stateMachine: str, alias: str, version: str, weight: count },
              },
            },
            jobs: jobCounts,
            executions: count,
            express: strings,
          },
        },
      },
      revisions: {
        type: 'array',
        items: {
          type: 'object',
          required: ['revision', 'computeEnvironments', 'launchTemplates'],
          properties: {
            revision: revisionLabel,
            planId: str,
            queue: str,
            computeEnvironments: strings,
            launchTemplates: strings,
          },
        },
      },
      swap: {
        type: 'object',
        required: ['phase', 'description', 'next'],
        properties: {
          phase: { enum: [...SWAP_PHASES] },
          description: str,
          planId: str,
          incoming: revisionLabel,
          orderedBy: { enum: ['lock', 'adopted', 'created', 'plan', 'assumed'] },
          next: strings,
        },
      },
      lock: {
        ...lock,
        properties: {
          ...lock.properties,
          holderState: { enum: ['running', 'dead', 'presumed-dead', 'unknown'] },
          holderReason: str,
          summary: str,
        },
      },
      warnings: strings,
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
