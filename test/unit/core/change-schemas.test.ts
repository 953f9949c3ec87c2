/**
 * src/core/generated/change-schemas.json against the installed SDK: the committed file is exactly what
 * scripts/change-schemas.ts generates now (so an SDK upgrade that changes a shape fails here until
 * `npm run schemas` is run and the diff reviewed); every member of each shape a part feeds is either allowed or
 * refused with a reason; and a value with every allowed member populated within the model's constraints is accepted,
 * so the typing never refuses what the API takes.
 */
import { readFileSync } from 'node:fs';

import * as batchSdk from '@aws-sdk/client-batch';
import * as ec2Sdk from '@aws-sdk/client-ec2';

import {
  COMPUTE_ENVIRONMENT,
  COMPUTE_RESOURCES,
  JOB_DEFINITION,
  JOB_QUEUE,
  type ChangePart,
} from '../../../src/core/change-fields';
import { parseSpec } from '../../../src/core/spec';
import { changeSchemasText, generateChangeSchemas, GENERATED_FILE } from '../../../scripts/change-schemas';
import { loadBotocoreModel, maximal, modelShape, type ModelNode } from '../../support/model-shapes';

const SDK = { batch: batchSdk, ec2: ec2Sdk } as Record<string, Record<string, unknown>>;
const models = { batch: loadBotocoreModel('batch'), ec2: loadBotocoreModel('ec2') } as const;

function shapeOf(service: 'batch' | 'ec2', shape: string): ModelNode {
  return modelShape(SDK[service]?.[`${shape}$`], models[service], SDK[service]).root;
}

function membersOf(node: ModelNode): string[] {
  if (node.kind !== 'structure') throw new Error('not a structure');
  return node.members.map((m) => m.name);
}

const HEAD = 'version: 1\nworkload: x\nlive:\n  jobQueue: x-a\n';
const FILE = 'plans/x.yaml';

describe('src/core/generated/change-schemas.json', () => {
  it('is what scripts/change-schemas.ts generates from the installed SDK (run `npm run schemas`)', () => {
    expect(readFileSync(GENERATED_FILE, 'utf8')).toBe(changeSchemasText(generateChangeSchemas()));
  });

  it('names the model versions it was generated from', () => {
    const file = JSON.parse(readFileSync(GENERATED_FILE, 'utf8')) as { models: Record<string, string> };
    const version = (name: string) =>
      (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
    expect(file.models['@aws-sdk/client-batch']).toBe(version('@aws-sdk/client-batch'));
    expect(file.models['@aws-sdk/client-ec2']).toBe(version('@aws-sdk/client-ec2'));
  });
});

describe.each<[string, ChangePart]>([
  ['computeResources', COMPUTE_RESOURCES],
  ['computeEnvironment', COMPUTE_ENVIRONMENT],
  ['jobQueue', JOB_QUEUE],
  ['jobDefinition', JOB_DEFINITION],
])('changes part %s', (_name, part) => {
  const members = membersOf(shapeOf(part.service, part.shape));

  it('decides every member of the shape: allowed, or refused with a reason', () => {
    const undecided = members.filter(
      (m) => !(m in part.allowed) && !(m in part.refused) && !(m in (part.elsewhere ?? {})),
    );
    expect(undecided).toEqual([]);
    for (const reason of Object.values(part.refused)) expect(reason.length).toBeGreaterThan(10);
  });

  it('allows only members the installed SDK models, never one it also refuses', () => {
    for (const [name, allowed] of Object.entries(part.allowed)) {
      const [shape = '', member = ''] = allowed.model.split('.');
      expect([name, membersOf(shapeOf(part.service, shape))]).toEqual([name, expect.arrayContaining([member])]);
      expect(part.refused[name]).toBeUndefined();
    }
  });
});

/** A YAML/JSON-safe value of `node` with every member populated within the model's constraints. */
function fullValue(node: ModelNode): unknown {
  return maximal(node, (_path, n) => {
    if (n.kind === 'timestamp') return '2026-01-01T00:00:00Z';
    if (n.kind === 'blob') return 'AQ==';
    return undefined;
  });
}

function memberValue(service: 'batch' | 'ec2', model: string): unknown {
  const [shape = '', member = ''] = model.split('.');
  const node = shapeOf(service, shape);
  if (node.kind !== 'structure') throw new Error('not a structure');
  const found = node.members.find((m) => m.name === member);
  if (!found) throw new Error(`${model} not in the SDK`);
  return fullValue(found.node());
}

function partValue(part: ChangePart): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(part.allowed).map(([name, allowed]) => [name, memberValue(part.service, allowed.model)]),
  );
}

describe('a change with every allowed member populated', () => {
  it('is accepted, launch template data, compute environment, job queue and job definition alike', () => {
    const jobQueue = partValue(JOB_QUEUE);
    jobQueue.priority = 10; // the model's 1 would do too; a value inside 0..1000 either way
    const changes = {
      launchTemplate: { data: fullValue(shapeOf('ec2', 'RequestLaunchTemplateData')) },
      computeEnvironment: { ...partValue(COMPUTE_ENVIRONMENT), computeResources: partValue(COMPUTE_RESOURCES) },
      jobQueue,
      jobDefinitions: { app: partValue(JOB_DEFINITION) },
    };
    const text = `${HEAD}changes: ${JSON.stringify(changes)}\n`;
    expect(parseSpec(text, FILE).changes).toEqual(changes);
  });
});
