/**
 * The spec: a YAML file under plans/ that says which workload to swap, how to find its live revision, how
 * revisions are named and what B changes. Parsed and validated here (pure); read from disk by the plan service.
 */
import Ajv, { type ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';

import { invalidInput } from '../errors';
import { DEFAULT_SUFFIXES, suffixesProblem, type Suffixes } from './naming';
import { DEFAULT_QUOTA, type QuotaLimits } from './quota';

export interface Spec {
  version: 1;
  workload: string;
  live: { jobQueue?: string; stack?: { name: string; queueLogicalId: string } };
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
    jobDefinitions?: Record<string, Record<string, unknown>>;
  };
  jobDefinitions?: string[];
  stateMachines?: { all?: boolean; names?: string[]; prefix?: string };
  /** `stackOwned`: whether a CloudFormation stack owning the workload or a reference warns (default) or blocks. */
  references?: { acknowledgeDynamic?: string[]; stackOwned?: 'warn' | 'block' };
  quota?: Partial<QuotaLimits>;
  /** Plan blockers the spec's author has read and accepts (see docs/spec.md). */
  acknowledge?: Acknowledgement[];
}

/** `acknowledge` entries: each turns one plan blocker into a warning. */
export const ACKNOWLEDGEMENTS = ['unmanagedComputeEnvironments'] as const;
export type Acknowledgement = (typeof ACKNOWLEDGEMENTS)[number];

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
const nonEmpty = { type: 'string', minLength: 1 };

/** JSON Schema of the spec; `description`s are shown to the user when a field is wrong. Documented in docs/spec.md. */
export const SPEC_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'workload', 'live'],
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
      description: 'how to find revision A: `jobQueue: <name or ARN>` or `stack: {name, queueLogicalId}`',
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
    changes: {
      type: 'object',
      additionalProperties: false,
      description: 'what B changes: launchTemplate, computeEnvironment, jobQueue, jobDefinitions',
      properties: {
        launchTemplate: {
          type: 'object',
          additionalProperties: false,
          properties: { data: { type: 'object', description: 'fields merged into LaunchTemplateData' } },
        },
        computeEnvironment: {
          type: 'object',
          additionalProperties: false,
          description:
            'changes to every compute environment: computeResources, serviceRole, tags, updatePolicy, launchTemplateOverrides',
          properties: {
            computeResources: {
              type: 'object',
              description: 'ComputeResource fields (minvCpus, maxvCpus, instanceTypes, subnets…)',
              propertyNames: {
                enum: [
                  'allocationStrategy',
                  'minvCpus',
                  'maxvCpus',
                  'instanceTypes',
                  'imageId',
                  'subnets',
                  'securityGroupIds',
                  'ec2KeyPair',
                  'instanceRole',
                  'tags',
                  'placementGroup',
                  'bidPercentage',
                  'spotIamFleetRole',
                  'ec2Configuration',
                  'scalingPolicy',
                ],
              },
            },
            serviceRole: nonEmpty,
            tags: stringMap,
            updatePolicy: {
              type: 'object',
              additionalProperties: false,
              properties: {
                terminateJobsOnUpdate: { type: 'boolean' },
                jobExecutionTimeoutMinutes: { type: 'integer' },
              },
            },
            launchTemplateOverrides: {
              enum: ['clone', 'share'],
              description:
                '"clone" (default: B gets its own copy of each launch template an override names) or "share" (B keeps naming A\'s)',
            },
          },
        },
        jobQueue: {
          type: 'object',
          additionalProperties: false,
          description: 'changes to the job queue: priority, schedulingPolicyArn, jobStateTimeLimitActions, tags',
          properties: {
            priority: { type: 'integer', minimum: 0, maximum: 1000 },
            schedulingPolicyArn: nonEmpty,
            jobStateTimeLimitActions: { type: 'array', items: { type: 'object' } },
            tags: stringMap,
          },
        },
        jobDefinitions: {
          type: 'object',
          description: 'changes per job definition name of A',
          additionalProperties: {
            type: 'object',
            propertyNames: {
              enum: [
                'parameters',
                'schedulingPriority',
                'containerProperties',
                'nodeProperties',
                'retryStrategy',
                'propagateTags',
                'timeout',
                'tags',
                'platformCapabilities',
                'eksProperties',
                'ecsProperties',
              ],
            },
          },
        },
      },
    },
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
} as const;

let validator: ReturnType<Ajv['compile']> | undefined;

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') path.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') path.push(String(error.params.additionalProperty));
  return path.length ? path.join('.') : '(top level)';
}

/** One sentence for the first schema error: the field, what is wrong, what is expected. */
export function describeSchemaError(error: ErrorObject): string {
  const field = fieldOf(error);
  const description = (error.parentSchema as { description?: string } | undefined)?.description;
  const expected = description ? ` (expected ${description})` : '';
  // A key outside a propertyNames enum is reported as an enum error on the key itself.
  if (error.keyword === 'enum' && error.propertyName !== undefined) {
    const allowed = (error.params as { allowedValues?: string[] }).allowedValues ?? [];
    return `field "${field}" has a key "${error.propertyName}" that cannot be changed; allowed keys: ${allowed.join(', ')}`;
  }
  switch (error.keyword) {
    case 'required':
      return `field "${field}" is missing`;
    case 'additionalProperties':
      return `field "${field}" is not allowed${expected}`;
    case 'propertyNames':
      return `field "${field}" has a key that cannot be changed; allowed keys: ${((error.parentSchema as { propertyNames?: { enum?: string[] } }).propertyNames?.enum ?? []).join(', ')}`;
    default:
      return `field "${field}" ${error.message ?? 'is invalid'}${expected}`;
  }
}

export function parseSpec(text: string, file: string): Spec {
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
    throw invalidInput('SpecInvalid', `${file}: the spec must be a YAML mapping with version, workload and live.`);
  }
  // verbose: errors carry their parentSchema, whose description says what was expected.
  validator ??= new Ajv({ allErrors: false, strict: false, verbose: true }).compile(SPEC_SCHEMA);
  if (!validator(value)) {
    const first = validator.errors?.[0];
    throw invalidInput('SpecInvalid', `${file}: ${first ? describeSchemaError(first) : 'invalid spec'}.`, [
      'See docs/spec.md for every field.',
    ]);
  }
  const spec = value as Spec;
  const hasQueue = spec.live.jobQueue !== undefined;
  const hasStack = spec.live.stack !== undefined;
  if (hasQueue === hasStack) {
    throw invalidInput(
      'SpecInvalid',
      `${file}: field "live" must have exactly one of "jobQueue" or "stack" (found ${hasQueue ? 'both' : 'neither'}).`,
    );
  }
  const selectors = ['all', 'names', 'prefix'].filter((k) => spec.stateMachines?.[k as 'all'] !== undefined);
  if (selectors.length > 1) {
    throw invalidInput(
      'SpecInvalid',
      `${file}: field "stateMachines" must have one of all, names or prefix, not ${selectors.join(' and ')}.`,
    );
  }
  const suffixes = suffixesOf(spec);
  const problem = suffixesProblem(suffixes);
  if (problem) throw invalidInput('SpecInvalid', `${file}: field "naming.suffixes": ${problem}.`);
  return spec;
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
