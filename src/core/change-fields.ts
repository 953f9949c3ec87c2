/**
 * What `changes` in a spec may carry, decided member by member against the AWS API shapes each part feeds. This is
 * the hand-written input of scripts/change-schemas.ts, which types every allowed member from the installed SDK's
 * service models into src/core/generated/change-schemas.json (`npm run schemas`). Every member of each shape is
 * either allowed here or refused with its reason; test/unit/core/change-schemas.test.ts fails when a newer SDK adds
 * a member nobody has decided on.
 *
 * How a part is applied decides how its value may look (src/core/derive.ts):
 * - `merge`: applied with applyChanges (src/core/merge.ts). Objects merge onto A's, so nested required members may
 *   come from A and are not demanded; `null` removes an optional member (a required one cannot be removed); list
 *   entries replace whole, so inside them required members are demanded.
 * - `set`: copied over A's value as it is (a scalar, a list, or a map spread over A's). `null` is not accepted.
 */

import { CLONE_DROPS, COMPUTE_RESOURCE_FIELDS } from './clone';

export type ChangeMode = 'merge' | 'set';

export interface ChangeMember {
  /** The API shape member whose type it takes, as `Shape.member`, or the shape itself for a whole-shape part. */
  model: string;
  mode: ChangeMode;
}

export interface ChangePart {
  /** Which service model the shapes come from. */
  service: 'batch' | 'ec2';
  /** The API input shape the part feeds. */
  shape: string;
  /** Members of `shape` a spec may change, and how. */
  allowed: Record<string, ChangeMember>;
  /** Members of `shape` a spec may not change, each with the reason shown when a spec tries. */
  refused: Record<string, string>;
  /** Members of `shape` typed by another part (src/core/changes-schema.ts puts them together). */
  elsewhere?: Record<string, ChangePart>;
}

const NAMED = 'batchctl names every resource of B itself (naming.suffixes)';

/** Describe-only members (CLONE_DROPS), refused with the same reason: a spec copied from Describe output says why. */
function describeOnly(
  drops: Readonly<Record<string, string>>,
  allowed: readonly string[] = [],
): Record<string, string> {
  return Object.fromEntries(Object.entries(drops).filter(([path]) => !path.includes('.') && !allowed.includes(path)));
}

/** What a spec may not change in `computeResources`, and why (the rest of what B copies from A it may change). */
const COMPUTE_RESOURCES_REFUSED: Readonly<Record<string, string>> = {
  type: "B keeps A's compute resource type: a compute environment's type is fixed at creation, and changing it (EC2 ↔ SPOT ↔ FARGATE) changes which other members apply",
  desiredvCpus: "it is current scale, not configuration: B starts at A's minimum and Batch scales it",
  launchTemplate: "B always uses its own copy of A's launch template; change it with changes.launchTemplate.data",
  managedInstancesProvider: 'batchctl does not change ECS_MANAGED_INSTANCES compute environments; B copies A',
  capacityTags: 'batchctl does not change ECS_MANAGED_INSTANCES compute environments; B copies A',
};

/**
 * `changes.computeEnvironment.computeResources`: merged into B's ComputeResource. The members B copies from A
 * (clone.ts COMPUTE_RESOURCE_FIELDS), less the refused ones: one list, so a member clone starts copying is decided here.
 */
export const COMPUTE_RESOURCES: ChangePart = {
  service: 'batch',
  shape: 'ComputeResource',
  allowed: Object.fromEntries(
    COMPUTE_RESOURCE_FIELDS.filter((name) => !(name in COMPUTE_RESOURCES_REFUSED)).map((name) => [
      name,
      { model: `ComputeResource.${name}`, mode: 'merge' },
    ]),
  ),
  refused: COMPUTE_RESOURCES_REFUSED,
};

/** `changes.computeEnvironment`: CreateComputeEnvironment input, plus what promote applies after it (updatePolicy). */
export const COMPUTE_ENVIRONMENT: ChangePart = {
  service: 'batch',
  shape: 'CreateComputeEnvironmentRequest',
  elsewhere: { computeResources: COMPUTE_RESOURCES },
  allowed: {
    serviceRole: { model: 'CreateComputeEnvironmentRequest.serviceRole', mode: 'set' },
    tags: { model: 'CreateComputeEnvironmentRequest.tags', mode: 'set' },
    // Not a Create member: promote applies it with UpdateComputeEnvironment once B is VALID (aws-facts §4.1).
    updatePolicy: { model: 'UpdateComputeEnvironmentRequest.updatePolicy', mode: 'set' },
  },
  refused: {
    ...describeOnly(CLONE_DROPS.computeEnvironment, ['updatePolicy']),
    computeEnvironmentName: NAMED,
    type: "B keeps A's type (MANAGED or UNMANAGED)",
    state: 'B is created ENABLED (and disabled after it is VALID when A is DISABLED)',
    unmanagedvCpus: "B copies A's: batchctl does not change UNMANAGED compute environments",
    eksConfiguration: "B runs on A's EKS cluster and namespace: B copies them",
    context: 'the API model says "Reserved"',
    ecsSettings: "B copies A's ECS settings",
  },
};

/** `changes.jobQueue`: members of CreateJobQueue's input, each set over A's. */
export const JOB_QUEUE: ChangePart = {
  service: 'batch',
  shape: 'CreateJobQueueRequest',
  allowed: Object.fromEntries(
    ['priority', 'schedulingPolicyArn', 'jobStateTimeLimitActions', 'tags'].map((name) => [
      name,
      { model: `CreateJobQueueRequest.${name}`, mode: 'set' },
    ]),
  ),
  refused: {
    ...describeOnly(CLONE_DROPS.jobQueue),
    jobQueueName: NAMED,
    state: 'B is created ENABLED; promote moves work to it',
    computeEnvironmentOrder: "B's order is A's, mapped to B's compute environments",
    serviceEnvironmentOrder: "B uses A's service environments: they are not part of a revision",
    jobQueueType: "B keeps A's queue type",
  },
};

/** `changes.jobDefinitions.<name>`: merged into B's RegisterJobDefinition input. */
export const JOB_DEFINITION: ChangePart = {
  service: 'batch',
  shape: 'RegisterJobDefinitionRequest',
  allowed: Object.fromEntries(
    [
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
    ].map((name) => [name, { model: `RegisterJobDefinitionRequest.${name}`, mode: 'merge' }]),
  ),
  refused: {
    ...describeOnly(CLONE_DROPS.jobDefinition),
    jobDefinitionName: NAMED,
    type: "B keeps A's type (container or multinode)",
    consumableResourceProperties: "B copies A's consumable resources; batchctl does not change them",
  },
};

/**
 * `changes.launchTemplate.data`: merged into B's RequestLaunchTemplateData. Every request member may change; the
 * generator allows each one the installed SDK has (so a new one is typed as soon as the SDK knows it).
 */
export const LAUNCH_TEMPLATE_DATA = {
  service: 'ec2',
  shape: 'RequestLaunchTemplateData',
  mode: 'merge',
} as const;

/**
 * Enums not enforced, with the reason: the model lists today's values, and AWS adds new ones faster than an
 * installed SDK learns them. The field is still typed as text; the API checks the value.
 */
export const OPEN_ENUMS: Record<string, string> = {
  InstanceType: 'EC2 launches new instance types often',
};

/**
 * Limits the model does not carry, by `Shape.member`. The job queue priority range is the one the spec has always
 * documented (docs/spec.md); Batch's model gives Integer without bounds. An empty service role or scheduling policy
 * would be skipped by src/core/derive.ts, a change that silently does nothing, so it is refused instead.
 */
export const EXTRA_LIMITS: Record<string, { minimum?: number; maximum?: number; minLength?: number }> = {
  'CreateJobQueueRequest.priority': { minimum: 0, maximum: 1000 },
  'CreateComputeEnvironmentRequest.serviceRole': { minLength: 1 },
  'CreateJobQueueRequest.schedulingPolicyArn': { minLength: 1 },
};
