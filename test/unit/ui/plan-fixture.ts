/** A complete, sealed plan of the usual shape (one of each resource, two state machines), for the renderers. */
import { PLAN_FORMAT, sealPlan, type PlanFile } from '../../../src/core/plan';
import type { ResourceDiff } from '../../../src/core/plan-diff';
import type { StepAction } from '../../../src/core/steps';

export const ACCOUNT = '123456789012';
export const batchArn = (kind: string, name: string): string => `arn:aws:batch:us-east-1:${ACCOUNT}:${kind}/${name}`;
const smArn = (name: string): string => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;

export function step(action: StepAction, target: string): PlanFile['steps'][number] {
  return { id: `${action}:${target}`, action, target, dependsOn: [] };
}

/** The steps of a swap with one of each resource, a changed job definition and `repoint` state machines. */
export function swapSteps(repoint: string[]): PlanFile['steps'] {
  return [
    step('create-launch-template', 'reproject-lt-b'),
    step('create-compute-environment', 'reproject-ce-b'),
    step('register-job-definition', 'reproject-job-b'),
    step('create-job-queue', 'reproject-b'),
    ...repoint.map((sm) => step('repoint-state-machine', sm)),
    step('drain', 'reproject-a'),
    step('delete-job-queue', 'reproject-a'),
    step('delete-compute-environment', 'reproject-ce-a'),
    step('delete-launch-template', 'reproject-lt-a'),
    step('deregister-job-definition', 'reproject-job-a:4'),
  ];
}

export const DIFF: ResourceDiff[] = [
  {
    kind: 'launch-template',
    from: 'reproject-lt-a v3',
    to: 'reproject-lt-b v1',
    action: 'create',
    changes: [{ path: 'ImageId', kind: 'changed', before: 'ami-0old', after: 'ami-0new' }],
  },
  { kind: 'compute-environment', from: 'reproject-ce-a', to: 'reproject-ce-b', action: 'create', changes: [] },
  { kind: 'job-queue', from: 'reproject-a', to: 'reproject-b', action: 'create', changes: [] },
  {
    kind: 'job-definition',
    from: 'reproject-job-a:4',
    to: 'reproject-job-b',
    action: 'create',
    changes: [
      {
        path: 'containerProperties.environment[0].value',
        kind: 'changed',
        before: '<redacted hmac:0123456789ab>',
        after: '<redacted hmac:ba9876543210>',
      },
      { path: 'timeout', kind: 'added', after: { attemptDurationSeconds: 3600 } },
    ],
  },
];

export function planOf(overrides: Partial<Omit<PlanFile, 'digest'>> = {}): PlanFile {
  const ingest = smArn('ingest');
  return sealPlan({
    format: PLAN_FORMAT,
    id: 'p-0123456789ab',
    toolVersion: '0.1.0',
    createdAt: '2026-08-30T12:00:00.000Z',
    account: ACCOUNT,
    region: 'us-east-1',
    partition: 'aws',
    workload: 'reproject',
    spec: { path: 'reproject.yaml', digest: `sha256:${'a'.repeat(64)}` },
    live: {
      label: 'a',
      queue: { name: 'reproject-a', arn: batchArn('job-queue', 'reproject-a') },
      computeEnvironments: [{ name: 'reproject-ce-a', arn: batchArn('compute-environment', 'reproject-ce-a') }],
      launchTemplates: [{ id: 'lt-0abc', name: 'reproject-lt-a', version: 3 }],
      jobDefinitions: [{ name: 'reproject-job-a', arn: batchArn('job-definition', 'reproject-job-a:4'), revision: 4 }],
    },
    target: {
      label: 'b',
      launchTemplates: [],
      computeEnvironments: [],
      jobQueue: {
        from: { name: 'reproject-a', arn: batchArn('job-queue', 'reproject-a') },
        name: 'reproject-b',
        arn: batchArn('job-queue', 'reproject-b'),
        input: { jobQueueName: 'reproject-b', priority: 10, computeEnvironmentOrder: [] },
      },
      jobDefinitions: [],
    },
    references: [
      {
        name: 'ingest',
        arn: ingest,
        changes: [{ path: ['Submit'], field: 'JobQueue', before: 'reproject-a', after: 'reproject-b' }],
        dynamic: [],
        aliases: [],
      },
    ],
    observed: [],
    quota: [{ resource: 'compute-environments', limit: 50, current: 10, during: 11, ok: true }],
    warnings: [],
    blockers: [],
    steps: swapSteps(['ingest']),
    diff: DIFF,
    ...overrides,
  });
}
