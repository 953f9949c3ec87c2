/**
 * The spec: a YAML file under plans/ that says which workload to swap, how revisions are named and what the new
 * revision changes. It names the workload, not a revision: plan finds the live revision itself (services/live-queue.ts),
 * so one file serves every release. Parsed and validated here (pure); read from disk by the plan service.
 */
import Ajv from 'ajv';
import { LineCounter, parseDocument } from 'yaml';

import { invalidInput } from '../errors';
import { CALLERS_SCHEMA, scopeSelectors, type CallersSpec } from './callers-spec';
import { CHANGE_DEFINITIONS, CHANGES_SCHEMA } from './changes-schema';
import { DEFAULT_SUFFIXES, nextName, suffixesProblem, type Suffixes } from './naming';
import { DEFAULT_QUOTA, type QuotaLimits } from './quota';
import { coerceScalars } from './schema-coerce';
import { problemsMessage, schemaProblems } from './schema-problems';

/** The plan file's reader words its schema errors the same way. */
export { describeSchemaError } from './schema-problems';

export interface Spec {
  version: 1;
  workload: string;
  /**
   * Where the live revision is when batchctl cannot find it itself: `jobQueue` for the first adoption of a queue not
   * named after the workload, `stack` for a CloudFormation-managed one. Optional (services/live-queue.ts).
   */
  live?: { jobQueue?: string; stack?: { name: string; queueLogicalId: string } };
  naming?: { suffixes?: Partial<Suffixes> };
  changes?: {
    launchTemplate?: { data?: Record<string, unknown> };
    computeEnvironment?: {
      computeResources?: Record<string, unknown>;
      serviceRole?: string;
      tags?: Record<string, string>;
      updatePolicy?: Record<string, unknown>;
      /** What B's launchTemplate.overrides name: `clone` (default) gives B its own copies; `share` keeps A's. */
      launchTemplateOverrides?: 'clone' | 'share';
    };
    jobQueue?: {
      priority?: number;
      schedulingPolicyArn?: string;
      jobStateTimeLimitActions?: Record<string, unknown>[];
      tags?: Record<string, string>;
    };
    /** Keyed by the job definition's base name (`reproject` for reproject-a and reproject-b) or its exact name. */
    jobDefinitions?: Record<string, Record<string, unknown>>;
  };
  jobDefinitions?: string[];
  stateMachines?: { all?: boolean; names?: string[]; prefix?: string };
  /** `stackOwned`: whether a CloudFormation stack owning the workload or a reference warns (default) or blocks. */
  references?: { acknowledgeDynamic?: string[]; stackOwned?: 'warn' | 'block' };
  /** Callers besides Step Functions: EventBridge rules, schedules, pipes, Lambda, SSM (src/core/callers-spec.ts). */
  callers?: CallersSpec;
  quota?: Partial<QuotaLimits>;
  /** Plan blockers the spec's author has read and accepts (see docs/spec.md). */
  acknowledge?: Acknowledgement[];
}

/** `acknowledge` entries: each turns one plan blocker into a warning. */
export const ACKNOWLEDGEMENTS = ['unmanagedComputeEnvironments'] as const;
export type Acknowledgement = (typeof ACKNOWLEDGEMENTS)[number];

const nonEmpty = { type: 'string', minLength: 1 };

/** JSON Schema of the spec; `description`s are shown to the user when a field is wrong. Documented in docs/spec.md. */
export const SPEC_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'workload'],
  properties: {
    version: { const: 1, description: 'the spec format version, 1' },
    workload: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$',
      description: 'the workload name: 1-64 letters, digits, - or _',
    },
    live: {
      type: 'object',
      additionalProperties: false,
      description:
        'optional: where revision A is when batchctl cannot find it by its tags: `jobQueue: <name or ARN>` or `stack: {name, queueLogicalId}`',
      properties: {
        jobQueue: { ...nonEmpty, description: 'the live job queue, by name or ARN' },
        stack: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'queueLogicalId'],
          description: 'the CloudFormation stack and the logical id of its job queue',
          properties: { name: nonEmpty, queueLogicalId: nonEmpty },
        },
      },
    },
    naming: {
      type: 'object',
      additionalProperties: false,
      properties: {
        suffixes: {
          type: 'object',
          additionalProperties: false,
          description: 'revision suffixes, e.g. {a: "-a", b: "-b"}',
          properties: { a: nonEmpty, b: nonEmpty },
        },
      },
    },
    changes: CHANGES_SCHEMA,
    jobDefinitions: {
      type: 'array',
      items: nonEmpty,
      description: 'job definition names that belong to the workload beyond those its state machines name',
    },
    stateMachines: {
      type: 'object',
      additionalProperties: false,
      description: 'which state machines to search: {all: true}, {names: [...]} or {prefix: "..."}',
      properties: { all: { type: 'boolean' }, names: { type: 'array', items: nonEmpty }, prefix: nonEmpty },
    },
    references: {
      type: 'object',
      additionalProperties: false,
      properties: {
        acknowledgeDynamic: {
          type: 'array',
          items: nonEmpty,
          description: 'dynamic references you have checked: "<state machine>" or "<state machine>/<state path>"',
        },
        stackOwned: {
          enum: ['warn', 'block'],
          description:
            '"warn" (default) or "block": whether a CloudFormation stack that owns the workload or a reference blocks the plan',
        },
      },
    },
    callers: CALLERS_SCHEMA,
    quota: {
      type: 'object',
      additionalProperties: false,
      description: 'limits for accounts that differ from 50 / 50 / 3',
      properties: {
        computeEnvironments: { type: 'integer', minimum: 1 },
        jobQueues: { type: 'integer', minimum: 1 },
        computeEnvironmentsPerQueue: { type: 'integer', minimum: 1 },
      },
    },
    acknowledge: {
      type: 'array',
      uniqueItems: true,
      items: {
        enum: [...ACKNOWLEDGEMENTS],
        description: `a blocker you accept: ${ACKNOWLEDGEMENTS.join(', ')}`,
      },
      description: `blockers you have read and accept: ${ACKNOWLEDGEMENTS.join(', ')}`,
    },
  },
  // Where the typed `changes` schema's $refs point (src/core/changes-schema.ts).
  definitions: CHANGE_DEFINITIONS,
} as const;

let validator: ReturnType<Ajv['compile']> | undefined;

/** The spec file's YAML as a plain value, not yet validated (variables are substituted in it before that). */
export function readSpecDocument(text: string, file: string): Record<string, unknown> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = lineCounter.linePos(yamlError.pos[0]);
    const where = ` line ${pos.line}, column ${pos.col}:`;
    throw invalidInput('SpecMalformed', `${file}:${where} not valid YAML: ${yamlError.message.split('\n')[0]}`, [
      'Fix the YAML syntax; docs/spec.md shows a complete example.',
    ]);
  }
  const value: unknown = doc.toJS();
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidInput('SpecInvalid', `${file}: the spec must be a YAML mapping with version and workload.`);
  }
  return value as Record<string, unknown>;
}

/** Parses a spec file's text; `${var.NAME}` references are left as they are (see core/variables.ts). */
export function parseSpec(text: string, file: string): Spec {
  return validateSpec(readSpecDocument(text, file), file);
}

/** Checks a spec value (from a file, or embedded in a plan) against the schema and the rules it cannot express. */
export function validateSpec(document: unknown, file: string): Spec {
  // Validated after substitution: a number or true/false written as text (a `${var.NAME}`) is read by its field's type.
  const value = coerceScalars(document, SPEC_SCHEMA, SPEC_SCHEMA);
  // verbose: errors carry their parentSchema (its description says what was expected) and the value found.
  // allErrors: one plan run names every mistake, not one per CI round trip.
  validator ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(SPEC_SCHEMA);
  if (!validator(value)) {
    const problems = schemaProblems(validator.errors ?? [], SPEC_SCHEMA, value);
    throw invalidInput('SpecInvalid', problemsMessage(file, problems), ['See docs/spec.md for every field.']);
  }
  const spec = value as Spec;
  if (spec.live) {
    const hasQueue = spec.live.jobQueue !== undefined;
    const hasStack = spec.live.stack !== undefined;
    if (hasQueue === hasStack) {
      throw invalidInput(
        'SpecInvalid',
        `${file}: field "live" must have exactly one of "jobQueue" or "stack" (found ${hasQueue ? 'both' : 'neither'}), or be left out.`,
      );
    }
  }
  const selectors = ['all', 'names', 'prefix'].filter((k) => spec.stateMachines?.[k as 'all'] !== undefined);
  if (selectors.length > 1) {
    throw invalidInput(
      'SpecInvalid',
      `${file}: field "stateMachines" must have one of all, names or prefix, not ${selectors.join(' and ')}.`,
    );
  }
  for (const kind of ['rules', 'schedules', 'pipes', 'lambdaFunctions'] as const) {
    const set = scopeSelectors(spec.callers?.[kind]);
    if (set.length > 1) {
      throw invalidInput(
        'SpecInvalid',
        `${file}: field "callers.${kind}" must have one of all, names, prefix or none, not ${set.join(' and ')}.`,
      );
    }
  }
  const suffixes = suffixesOf(spec);
  const problem = suffixesProblem(suffixes);
  if (problem) throw invalidInput('SpecInvalid', `${file}: field "naming.suffixes": ${problem}.`);
  return spec;
}

/**
 * The spec's changes for a job definition of the live revision: under its exact name, else under its base name
 * (`reproject` for `reproject-a` and `reproject-b`), so the same key applies release after release.
 */
export function jobDefinitionChanges(spec: Spec, name: string): Record<string, unknown> | undefined {
  const changes = spec.changes?.jobDefinitions;
  if (!changes) return undefined;
  return changes[name] ?? changes[nextName(name, suffixesOf(spec)).base];
}

export function suffixesOf(spec: Spec): Suffixes {
  return { ...DEFAULT_SUFFIXES, ...spec.naming?.suffixes };
}

export function acknowledged(spec: Spec, what: Acknowledgement): boolean {
  return spec.acknowledge?.includes(what) ?? false;
}

export function quotaOf(spec: Spec): QuotaLimits {
  return { ...DEFAULT_QUOTA, ...spec.quota };
}

/** Whether a state machine name is in the spec's search scope (default: all). */
export function stateMachineSelected(spec: Spec, name: string): boolean {
  const sel = spec.stateMachines;
  if (!sel || sel.all) return true;
  if (sel.names) return sel.names.includes(name);
  if (sel.prefix) return name.startsWith(sel.prefix);
  return true;
}
