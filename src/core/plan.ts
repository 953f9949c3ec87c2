/**
 * The plan file: what `batchctl plan` saw and decided, executed later by `promote`. It is validated against
 * PLAN_SCHEMA and its digest whenever it is read, so a truncated or hand-edited file is refused.
 * It never holds a secret: B's desired state and the embedded spec are stored redacted, and promote re-derives the
 * real inputs (from the account, and from the spec file when the spec itself carries a secret).
 */
import { dirname, isAbsolute, join } from 'node:path';

import Ajv from 'ajv';

import { BatchctlError, invalidInput } from '../errors';
import { ExitCode } from '../exit-codes';
import { CALLER_ENTRY_SCHEMA, type CallerEntry } from './callers-plan';
import { canonicalJson, digestOf } from './digest';
import type { RevisionLabel } from './naming';
import type { ResourceDiff } from './plan-diff';
import type { QuotaLine } from './quota';
import { describeSchemaError } from './spec';
import type { PlanStep } from './steps';
import type { HandBack } from './handback';
import type { DesiredRevision, ResourceRef, StackInfo } from './workload';

export const PLAN_FORMAT = 'batchctl-plan/1';

export type ObservedKind =
  'job-queue' | 'compute-environment' | 'launch-template' | 'job-definition' | 'state-machine' | 'state-machine-alias';

/** One resource as plan saw it. `detail` names what changed when promote finds a different digest. */
export interface ObservedResource {
  kind: ObservedKind;
  name: string;
  arn: string;
  digest: string;
  detail: Record<string, string | number | boolean | null>;
}

export interface Finding {
  code: string;
  message: string;
  resource?: string;
}

export interface StaticChange {
  path: string[];
  field: string;
  before: string;
  after: string;
}

export interface DynamicReference {
  path: string[];
  field: string;
  expression: string;
  acknowledged: boolean;
}

export interface AliasRoute {
  versionArn: string;
  weight: number;
  referencesLive: boolean;
}

/** A published version of a state machine: callers can start it by its ARN, with or without an alias. */
export interface VersionReference {
  arn: string;
  version: number;
  /** Its definition names A: starting it directly submits to A, and fails once A is retired. */
  namesLive: boolean;
}

export interface StateMachineReferences {
  name: string;
  arn: string;
  /** `STANDARD` or `EXPRESS` (ListStateMachines); absent in plans written before it was recorded. */
  type?: string;
  changes: StaticChange[];
  dynamic: DynamicReference[];
  aliases: { name: string; arn: string; routes: AliasRoute[] }[];
  /** The published versions as plan listed them; absent when they were not listed (over the scan limit). */
  versions?: VersionReference[];
  /**
   * The definition and role plan saw, when aliases route to versions that name A: promote sets the state machine
   * to each of those versions' rewritten definitions to publish it, then back to this one rewritten. A run stopped
   * in between needs it, since the state machine then holds another version's definition.
   */
  current?: { definition: string; roleArn: string };
}

export interface PlanFile {
  format: typeof PLAN_FORMAT;
  id: string;
  toolVersion: string;
  createdAt: string;
  account: string;
  region: string;
  partition: string;
  workload: string;
  spec: {
    /** The spec file, relative to the plan file (where `plan` wrote it) unless absolute. */
    path: string;
    /** Digest of the spec as planned: variables substituted, canonical JSON (core/digest.ts). */
    digest: string;
    /** Digest of the spec file's text; absent in plans written before the spec was embedded. */
    fileDigest?: string;
    /** The spec as planned, secrets redacted; absent in plans written before it was embedded. */
    content?: Record<string, unknown>;
    /** True when `content` had secrets to redact: promote then needs the spec file too (digest-checked). */
    redacted?: boolean;
  };
  stack?: StackInfo;
  live: {
    label: RevisionLabel;
    queue: ResourceRef;
    computeEnvironments: ResourceRef[];
    launchTemplates: { id: string; name: string; version: number }[];
    jobDefinitions: (ResourceRef & { revision: number })[];
  };
  /** B's desired state with secrets replaced by digests. */
  target: DesiredRevision;
  references: StateMachineReferences[];
  /** Callers besides Step Functions (issue 9); absent in plans written before they were searched. */
  callers?: CallerEntry[];
  /**
   * The CloudFormation stacks that own the workload's resources or its references, and the properties of their
   * templates that must change to B's names after the swap. Absent when no stack owns any (and in older plans).
   */
  handBack?: HandBack;
  observed: ObservedResource[];
  quota: QuotaLine[];
  warnings: Finding[];
  blockers: Finding[];
  steps: PlanStep[];
  /**
   * The per-resource diff of A against B the plan printed, secrets redacted as in `target`, so `batchctl show` can
   * print it again without AWS. Absent in plans written before it was recorded.
   */
  diff?: ResourceDiff[];
  /** sha256 of the canonical JSON of every other field. */
  digest: string;
}

const str = { type: 'string' };
const ref = { type: 'object', required: ['name', 'arn'], properties: { name: str, arn: str } };
const finding = {
  type: 'object',
  required: ['code', 'message'],
  properties: { code: str, message: str, resource: str },
};

const fieldChange = {
  type: 'object',
  required: ['path', 'kind'],
  properties: { path: str, kind: { enum: ['added', 'removed', 'changed'] }, before: {}, after: {} },
};

/** One entry of a plan's diff (core/plan-diff.ts `ResourceDiff`). */
export const RESOURCE_DIFF_SCHEMA = {
  type: 'object',
  required: ['kind', 'from', 'to', 'action', 'changes'],
  properties: {
    kind: { enum: ['launch-template', 'compute-environment', 'job-queue', 'job-definition'] },
    from: str,
    to: str,
    action: { enum: ['create', 'keep'] },
    changes: { type: 'array', items: fieldChange },
  },
} as const;

/** One property to change in a stack's template (shared with status's result schema). */
export const HAND_BACK_CHANGE = {
  type: 'object',
  required: ['logicalId', 'resourceType', 'property', 'before', 'after'],
  additionalProperties: false,
  properties: { logicalId: str, resourceType: str, property: str, before: str, after: str },
} as const;

/** JSON Schema of the plan file (documented in docs/plan-file.md). */
export const PLAN_SCHEMA = {
  type: 'object',
  required: [
    'format',
    'id',
    'toolVersion',
    'createdAt',
    'account',
    'region',
    'partition',
    'workload',
    'spec',
    'live',
    'target',
    'references',
    'observed',
    'quota',
    'warnings',
    'blockers',
    'steps',
    'digest',
  ],
  additionalProperties: false,
  properties: {
    format: { const: PLAN_FORMAT },
    id: { type: 'string', pattern: '^p-[0-9a-f]{12}$' },
    toolVersion: str,
    createdAt: str,
    account: { type: 'string', pattern: '^[0-9]{12}$' },
    region: str,
    partition: str,
    workload: str,
    spec: {
      type: 'object',
      required: ['path', 'digest'],
      description: 'the spec the plan was made from: embedded (secrets redacted) so the plan alone can be promoted',
      properties: {
        path: str,
        digest: str,
        fileDigest: str,
        content: { type: 'object' },
        redacted: { type: 'boolean' },
      },
    },
    stack: { type: 'object', required: ['name', 'managed'], properties: { name: str, managed: { type: 'object' } } },
    live: {
      type: 'object',
      required: ['label', 'queue', 'computeEnvironments', 'launchTemplates', 'jobDefinitions'],
      properties: {
        label: { enum: ['a', 'b'] },
        queue: ref,
        computeEnvironments: { type: 'array', items: ref },
        launchTemplates: { type: 'array', items: { type: 'object', required: ['id', 'name', 'version'] } },
        jobDefinitions: { type: 'array', items: { ...ref, required: ['name', 'arn', 'revision'] } },
      },
    },
    target: {
      type: 'object',
      required: ['label', 'launchTemplates', 'computeEnvironments', 'jobQueue', 'jobDefinitions'],
      properties: {
        label: { enum: ['a', 'b'] },
        launchTemplates: { type: 'array', items: { type: 'object', required: ['from', 'name', 'data', 'tags'] } },
        computeEnvironments: { type: 'array', items: { type: 'object', required: ['from', 'name', 'arn', 'input'] } },
        jobQueue: { type: 'object', required: ['from', 'name', 'arn', 'input'] },
        jobDefinitions: { type: 'array', items: { type: 'object', required: ['from', 'changed', 'name'] } },
      },
    },
    callers: CALLER_ENTRY_SCHEMA,
    references: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'arn', 'changes', 'dynamic', 'aliases'],
        properties: {
          type: { enum: ['STANDARD', 'EXPRESS'] },
          versions: {
            type: 'array',
            items: {
              type: 'object',
              required: ['arn', 'version', 'namesLive'],
              additionalProperties: false,
              properties: { arn: str, version: { type: 'integer', minimum: 1 }, namesLive: { type: 'boolean' } },
            },
          },
          current: {
            type: 'object',
            required: ['definition', 'roleArn'],
            additionalProperties: false,
            properties: { definition: str, roleArn: str },
          },
        },
      },
    },
    handBack: {
      type: 'object',
      required: ['values', 'stacks'],
      additionalProperties: false,
      properties: {
        values: {
          type: 'array',
          items: {
            type: 'object',
            required: ['from', 'to', 'form'],
            additionalProperties: false,
            properties: {
              from: str,
              to: str,
              form: { enum: ['name', 'arn', 'id'] },
              revisioned: { type: 'boolean' },
              toRevision: { type: 'integer', minimum: 1 },
            },
          },
        },
        stacks: {
          type: 'array',
          items: {
            type: 'object',
            required: ['stack', 'resources', 'changes'],
            additionalProperties: false,
            properties: {
              stack: str,
              stackId: str,
              unreadable: str,
              resources: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['logicalId', 'kind', 'name', 'physicalId', 'source', 'retiredBySwap'],
                  additionalProperties: false,
                  properties: {
                    logicalId: str,
                    kind: str,
                    name: str,
                    physicalId: str,
                    source: { enum: ['tags', 'stack-resources'] },
                    retiredBySwap: { type: 'boolean' },
                  },
                },
              },
              changes: { type: 'array', items: HAND_BACK_CHANGE },
            },
          },
        },
      },
    },
    observed: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'name', 'arn', 'digest', 'detail'],
        properties: { kind: str, name: str, arn: str, digest: str, detail: { type: 'object' } },
      },
    },
    quota: { type: 'array', items: { type: 'object', required: ['resource', 'limit', 'current', 'during', 'ok'] } },
    warnings: { type: 'array', items: finding },
    blockers: { type: 'array', items: finding },
    steps: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'action', 'target', 'dependsOn'],
        properties: { id: str, action: str, target: str, dependsOn: { type: 'array', items: str } },
      },
    },
    diff: { type: 'array', items: RESOURCE_DIFF_SCHEMA },
    digest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
  },
} as const;

export function planDigest(plan: Omit<PlanFile, 'digest'> | PlanFile): string {
  const { digest: _ignored, ...rest } = plan as PlanFile;
  return digestOf(canonicalJson(rest));
}

export function sealPlan(plan: Omit<PlanFile, 'digest'>): PlanFile {
  return { ...plan, digest: planDigest(plan) };
}

export function serializePlan(plan: PlanFile): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/**
 * Parses and checks a plan file as far as reading it safely goes: JSON, format version, schema. Whether its digest
 * still matches is returned, not thrown: `show` prints an edited plan with that verdict; `parsePlan` refuses it.
 */
export function readPlan(text: string, file: string): { plan: PlanFile; intact: boolean } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidInput(
      'PlanMalformed',
      `${file}: not valid JSON (${(error as Error).message}); the file may be truncated.`,
      ['Run `batchctl plan <spec>` again to write a fresh plan.'],
    );
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== PLAN_FORMAT) {
    throw invalidInput(
      'PlanVersionUnknown',
      `${file}: plan format ${JSON.stringify(format)} is not one this batchctl reads (expected "${PLAN_FORMAT}").`,
      ['Re-create the plan with this version of batchctl.'],
    );
  }
  validator ??= new Ajv({ allErrors: false, strict: false, verbose: true }).compile(PLAN_SCHEMA);
  if (!validator(value)) {
    const first = validator.errors?.[0];
    // The spec's path, when that much of the plan is readable, so the suggestion is a command that runs.
    const spec = (value as { spec?: { path?: unknown } }).spec?.path;
    const again = typeof spec === 'string' ? plannedSpecPath({ spec: { path: spec } }, file) : '<spec>';
    throw invalidInput('PlanInvalid', `${file}: ${first ? describeSchemaError(first) : 'invalid plan'}.`, [
      `Run \`batchctl plan ${again}\` again to write a fresh plan.`,
    ]);
  }
  const plan = value as PlanFile;
  return { plan, intact: planDigest(plan) === plan.digest };
}

/** Parses and checks a plan file: JSON, format version, schema, digest. Every failure names the file. */
export function parsePlan(text: string, file: string): PlanFile {
  const { plan, intact } = readPlan(text, file);
  if (!intact) {
    throw new BatchctlError(
      'PlanTampered',
      `${file}: the plan's digest does not match its content; it was edited after it was written.`,
      {
        exitCode: ExitCode.InvalidInput,
        suggestions: [`Run \`batchctl plan ${plannedSpecPath(plan, file)}\` again instead of editing a plan.`],
      },
    );
  }
  return plan;
}

/** The spec a plan was made from, as a path from the working directory (the plan records it relative to itself). */
export function plannedSpecPath(plan: { spec: { path: string } }, planPath: string): string {
  return isAbsolute(plan.spec.path) ? plan.spec.path : join(dirname(planPath), plan.spec.path);
}
