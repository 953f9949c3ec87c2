/**
 * Generates src/core/generated/change-schemas.json: the JSON Schema of every member a spec's `changes` may carry,
 * typed from the INSTALLED SDK's service models (members, nesting, types, required members) with botocore's
 * enums, lengths and ranges (test/support/model-shapes.ts). Which members are allowed, and how each is applied,
 * comes from src/core/change-fields.ts. Run by `npm run schemas`; test/unit/core/change-schemas.test.ts fails while
 * the committed file differs from what this produces, so the file cannot go stale against the SDK.
 *
 * Development time only: @smithy/core is a devDependency, and the CLI reads the committed JSON without loading the
 * SDK.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import * as batchSdk from '@aws-sdk/client-batch';
import * as ec2Sdk from '@aws-sdk/client-ec2';

import {
  COMPUTE_ENVIRONMENT,
  COMPUTE_RESOURCES,
  EXTRA_LIMITS,
  JOB_DEFINITION,
  JOB_QUEUE,
  LAUNCH_TEMPLATE_DATA,
  OPEN_ENUMS,
  type ChangePart,
} from '../src/core/change-fields';
import {
  BOTOCORE_DATA,
  loadBotocoreModel,
  modelShape,
  type BotocoreModel,
  type ModelNode,
} from '../test/support/model-shapes';

type Service = 'batch' | 'ec2';
type Schema = Record<string, unknown>;

/**
 * How a value is applied, which decides what it may look like (src/core/change-fields.ts):
 * `nulls`: an optional member may be null (merge removes it, or drops it inside a new value);
 * `whole`: the value replaces whatever A had, so its required members must be there.
 */
interface Context {
  nulls: boolean;
  whole: boolean;
}

const SDK: Record<Service, Record<string, unknown>> = { batch: batchSdk, ec2: ec2Sdk };

export const GENERATED_FILE = join(__dirname, '..', 'src', 'core', 'generated', 'change-schemas.json');

function packageVersion(name: string): string {
  const file = join(__dirname, '..', 'node_modules', ...name.split('/'), 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function botocoreVersion(): string {
  const init = readFileSync(join(BOTOCORE_DATA, '..', '__init__.py'), 'utf8');
  return /__version__ = '([^']+)'/.exec(init)?.[1] ?? 'unknown';
}

class Generator {
  readonly definitions: Record<string, Schema> = {};
  readonly gaps = new Set<string>();
  /** Collect each walked shape's gaps once generation is done (walking is what finds them). */
  readonly pendingGaps: (() => void)[] = [];
  private readonly models: Record<Service, BotocoreModel> = {
    batch: loadBotocoreModel('batch'),
    ec2: loadBotocoreModel('ec2'),
  };

  /** The model of a shape the SDK exports as `<shape>$`. */
  shape(service: Service, shape: string): ModelNode {
    const sdkSchema = SDK[service][`${shape}$`];
    if (!sdkSchema) throw new Error(`@aws-sdk/client-${service} exports no schema ${shape}$`);
    const model = modelShape(sdkSchema, this.models[service], SDK[service]);
    this.pendingGaps.push(() => model.gaps.forEach((gap) => this.gaps.add(`${service}.${shape}: ${gap}`)));
    return model.root;
  }

  /** A member of a structure shape, by `Shape.member`. */
  member(service: Service, path: string): { node: ModelNode; required: boolean } {
    const [shape = '', name = ''] = path.split('.');
    const root = this.shape(service, shape);
    if (root.kind !== 'structure') throw new Error(`${shape} is not a structure`);
    const member = root.members.find((m) => m.name === name);
    if (!member) throw new Error(`${shape} has no member ${name} in the installed SDK`);
    return { node: member.node(), required: member.required };
  }

  /** The schema of a value of `node`; `orNull` when the value itself may be null. */
  node(service: Service, node: ModelNode, context: Context, orNull: boolean, modelPath: string): Schema {
    const nullable = (type: string): string | string[] => (orNull ? [type, 'null'] : type);
    switch (node.kind) {
      case 'structure':
        return { $ref: `#/definitions/${this.structure(service, node, context, orNull)}` };
      case 'list':
        return {
          type: nullable('array'),
          // List entries replace whole (src/core/merge.ts), and are never null.
          items: this.node(service, node.member, { nulls: context.nulls, whole: true }, false, `${modelPath}[]`),
          ...(node.min !== undefined ? { minItems: node.min } : {}),
          ...(node.max !== undefined ? { maxItems: node.max } : {}),
        };
      case 'map': {
        const key = this.node(service, node.key, { nulls: false, whole: true }, false, `${modelPath}{key}`);
        const { type: _type, ...keyLimits } = key;
        return {
          type: nullable('object'),
          ...(Object.keys(keyLimits).length ? { propertyNames: keyLimits } : {}),
          additionalProperties: this.node(service, node.value, context, context.nulls, `${modelPath}{}`),
          // A merged map's size is the merged result's: only a whole one is checked here.
          ...(context.whole && node.min !== undefined ? { minProperties: node.min } : {}),
          ...(context.whole && node.max !== undefined ? { maxProperties: node.max } : {}),
        };
      }
      case 'string': {
        const open = node.shape !== undefined && node.shape in OPEN_ENUMS;
        const values = open ? undefined : node.enum;
        const min = node.min ?? EXTRA_LIMITS[modelPath]?.minLength;
        return {
          type: nullable('string'),
          ...(values ? { enum: orNull ? [...values, null] : values } : {}),
          ...(min !== undefined ? { minLength: min } : {}),
          ...(node.max !== undefined ? { maxLength: node.max } : {}),
        };
      }
      case 'number': {
        const extra = EXTRA_LIMITS[modelPath];
        const min = node.min ?? extra?.minimum;
        const max = node.max ?? extra?.maximum;
        return {
          type: nullable(node.integer ? 'integer' : 'number'),
          ...(min !== undefined ? { minimum: min } : {}),
          ...(max !== undefined ? { maximum: max } : {}),
        };
      }
      case 'boolean':
        return { type: nullable('boolean') };
      case 'timestamp':
        return { type: nullable('string'), description: 'a date and time (ISO 8601)' };
      case 'blob':
        return { type: nullable('string'), description: 'base64-encoded bytes' };
      case 'document':
        return {};
    }
  }

  /** Registers the definition of a structure in this context; returns its name. */
  structure(service: Service, node: Extract<ModelNode, { kind: 'structure' }>, context: Context, orNull: boolean) {
    const flags = [context.whole ? '' : 'merge', context.nulls ? 'nulls' : '', orNull ? 'orNull' : ''];
    const id = [`${service}.${node.name}`, ...flags.filter(Boolean)].join('~');
    if (this.definitions[id]) return id;
    const schema: Schema = { type: orNull ? ['object', 'null'] : 'object', additionalProperties: false };
    this.definitions[id] = schema; // registered first: a shape that contains itself refers to this entry
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const m of node.members) {
      properties[m.name] = this.node(
        service,
        m.node(),
        context,
        context.nulls && !m.required,
        `${node.name}.${m.name}`,
      );
      if (m.required && context.whole) required.push(m.name);
    }
    Object.assign(schema, { properties, ...(required.length ? { required } : {}) });
    return id;
  }

  /** A part of `changes`: the allowed members typed, the refused ones each with its reason. */
  part(part: ChangePart): Schema {
    const properties: Record<string, Schema> = {};
    for (const [name, allowed] of Object.entries(part.allowed)) {
      const { node, required } = this.member(part.service, allowed.model);
      const merge = allowed.mode === 'merge';
      properties[name] = this.node(
        part.service,
        node,
        { nulls: merge, whole: false },
        merge && !required,
        allowed.model,
      );
    }
    for (const [name, reason] of Object.entries(part.refused)) {
      properties[name] = { not: {}, description: `cannot be changed: ${reason}` };
    }
    return { type: 'object', additionalProperties: false, properties };
  }
}

export interface ChangeSchemas {
  $comment: string;
  models: Record<string, string>;
  parts: Record<
    'launchTemplateData' | 'computeResources' | 'computeEnvironment' | 'jobQueue' | 'jobDefinition',
    Schema
  >;
  definitions: Record<string, Schema>;
  /** Where the SDK models more than botocore describes: typed, without enum/length/range constraints. */
  gaps: string[];
}

export function generateChangeSchemas(): ChangeSchemas {
  const generator = new Generator();
  const ltRoot = generator.shape(LAUNCH_TEMPLATE_DATA.service, LAUNCH_TEMPLATE_DATA.shape);
  const launchTemplateData = generator.node(
    LAUNCH_TEMPLATE_DATA.service,
    ltRoot,
    { nulls: true, whole: false },
    false,
    LAUNCH_TEMPLATE_DATA.shape,
  );
  const parts = {
    launchTemplateData,
    computeResources: generator.part(COMPUTE_RESOURCES),
    computeEnvironment: generator.part(COMPUTE_ENVIRONMENT),
    jobQueue: generator.part(JOB_QUEUE),
    jobDefinition: generator.part(JOB_DEFINITION),
  };
  generator.pendingGaps.forEach((collect) => collect());
  const sorted = Object.fromEntries(Object.entries(generator.definitions).sort(([a], [b]) => a.localeCompare(b)));
  return {
    $comment: 'Generated by scripts/change-schemas.ts (npm run schemas) from the models below. Do not edit.',
    models: {
      '@aws-sdk/client-batch': packageVersion('@aws-sdk/client-batch'),
      '@aws-sdk/client-ec2': packageVersion('@aws-sdk/client-ec2'),
      botocore: botocoreVersion(),
    },
    parts,
    definitions: sorted,
    gaps: [...generator.gaps].sort(),
  };
}

/** The file's text: two-space JSON and a final newline (prettier's format for JSON). */
export function changeSchemasText(schemas: ChangeSchemas): string {
  return `${JSON.stringify(schemas, null, 2)}\n`;
}
