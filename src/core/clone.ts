/**
 * Describe → Create mappings built from explicit allow-lists (aws-facts §4, DESIGN invariant 6).
 * Never spread a Describe output into a Create input: newer SDKs drop unknown keys silently, older ones send them,
 * and read-only members of shared shapes (ec2Configuration[].batchImageStatus) are sent either way.
 */
import type {
  ComputeEnvironmentDetail,
  ComputeResource,
  CreateComputeEnvironmentRequest,
  CreateJobQueueRequest,
  JobDefinition,
  JobQueueDetail,
  RegisterJobDefinitionRequest,
  RequestLaunchTemplateData,
  ResponseLaunchTemplateData,
} from '../aws/types';

type Picked<T, K extends keyof T> = { [P in K]?: T[P] };

/** Copies only `keys`, skipping undefined values, so the result never carries a field we did not choose. */
export function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Picked<T, K> {
  const out: Picked<T, K> = {};
  for (const key of keys) {
    if (source[key] !== undefined) out[key] = source[key];
  }
  return out;
}

/** Tags without the `aws:` keys that AWS sets itself and users cannot (aws-facts §4.1). Undefined when empty. */
export function userTags(tags: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!tags) return undefined;
  const kept = Object.entries(tags).filter(([key]) => !key.toLowerCase().startsWith('aws:'));
  return kept.length ? Object.fromEntries(kept) : undefined;
}

/** `ComputeResource` members Create accepts. `desiredvCpus` is deliberately absent: it is current scale, not config. */
export const COMPUTE_RESOURCE_FIELDS = [
  'type',
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
  'launchTemplate',
  'ec2Configuration',
  'scalingPolicy',
  'managedInstancesProvider',
  'capacityTags',
] as const satisfies readonly (keyof ComputeResource)[];

/** Fields that Fargate compute environments must not specify ("Don't specify it" in the model). */
const EC2_ONLY_FIELDS = new Set<string>([
  'allocationStrategy',
  'minvCpus',
  'instanceTypes',
  'imageId',
  'ec2KeyPair',
  'instanceRole',
  'tags',
  'placementGroup',
  'bidPercentage',
  'spotIamFleetRole',
  'launchTemplate',
  'ec2Configuration',
  // "isn't applicable to jobs that are running on Fargate resources. Don't specify it."
  'scalingPolicy',
]);

export function cloneComputeResources(source: ComputeResource): ComputeResource {
  const out = pick(source, COMPUTE_RESOURCE_FIELDS) as ComputeResource;
  if (out.type === 'FARGATE' || out.type === 'FARGATE_SPOT') {
    for (const field of EC2_ONLY_FIELDS) delete (out as unknown as Record<string, unknown>)[field];
  }
  if (out.type !== 'ECS_MANAGED_INSTANCES') {
    // "must not be specified for other compute environment types" / "only valid for ECS_MANAGED_INSTANCES" (API model).
    delete out.managedInstancesProvider;
    delete out.capacityTags;
  }
  if (out.ec2Configuration) {
    // Without batchImageStatus: see CLONE_DROPS.computeEnvironment.
    out.ec2Configuration = out.ec2Configuration.map((c) =>
      pick(c, ['imageType', 'imageIdOverride', 'imageKubernetesVersion'] as const),
    ) as typeof out.ec2Configuration;
  }
  if (out.launchTemplate) {
    out.launchTemplate = pick(out.launchTemplate, [
      'launchTemplateId',
      'launchTemplateName',
      'version',
      'overrides',
      'userdataType',
    ] as const);
  }
  return out;
}

/**
 * CreateComputeEnvironment input from a Describe result. Always created ENABLED (the model requires it since
 * May 2026); a DISABLED source is disabled after it is VALID. `updatePolicy` is not accepted by Create and is
 * applied afterwards with UpdateComputeEnvironment.
 */
export function cloneComputeEnvironment(
  source: ComputeEnvironmentDetail,
  name: string,
): CreateComputeEnvironmentRequest {
  const out: CreateComputeEnvironmentRequest = {
    computeEnvironmentName: name,
    type: source.type,
    state: 'ENABLED',
  };
  if (source.type === 'UNMANAGED' && source.unmanagedvCpus !== undefined) out.unmanagedvCpus = source.unmanagedvCpus;
  if (source.computeResources) out.computeResources = cloneComputeResources(source.computeResources);
  if (source.serviceRole) out.serviceRole = source.serviceRole;
  if (source.ecsSettings) out.ecsSettings = structuredClone(source.ecsSettings);
  if (source.eksConfiguration) {
    out.eksConfiguration = pick(source.eksConfiguration, [
      'eksClusterArn',
      'kubernetesNamespace',
    ] as const) as typeof out.eksConfiguration;
  }
  const tags = userTags(source.tags);
  if (tags) out.tags = tags;
  return out;
}

/**
 * CreateJobQueue input; the caller maps `computeEnvironmentOrder` from A's CE ARNs to B's. A queue has either a
 * `computeEnvironmentOrder` or a `serviceEnvironmentOrder`, never both ("A job queue can't have both", API model):
 * only the one the source has is set. Service environments are not part of a revision, so B uses A's.
 */
export function cloneJobQueue(source: JobQueueDetail, name: string): CreateJobQueueRequest {
  const out: CreateJobQueueRequest = { jobQueueName: name, priority: source.priority, state: source.state };
  if (source.computeEnvironmentOrder?.length) {
    out.computeEnvironmentOrder = source.computeEnvironmentOrder.map((o) => ({
      order: o.order,
      computeEnvironment: o.computeEnvironment,
    }));
  }
  if (source.serviceEnvironmentOrder?.length) {
    out.serviceEnvironmentOrder = source.serviceEnvironmentOrder.map((o) => ({
      order: o.order,
      serviceEnvironment: o.serviceEnvironment,
    }));
  }
  // A FIFO queue can't get a scheduling policy later, so it must be set at create time (aws-facts §3.2).
  if (source.schedulingPolicyArn) out.schedulingPolicyArn = source.schedulingPolicyArn;
  if (source.jobQueueType) out.jobQueueType = source.jobQueueType;
  if (source.jobStateTimeLimitActions?.length) {
    out.jobStateTimeLimitActions = source.jobStateTimeLimitActions.map((a) =>
      pick(a, ['reason', 'state', 'maxTimeSeconds', 'action'] as const),
    ) as typeof out.jobStateTimeLimitActions;
  }
  const tags = userTags(source.tags);
  if (tags) out.tags = tags;
  return out;
}

export const JOB_DEFINITION_FIELDS = [
  'type',
  'parameters',
  'schedulingPriority',
  'containerProperties',
  'nodeProperties',
  'retryStrategy',
  'propagateTags',
  'timeout',
  'platformCapabilities',
  'eksProperties',
  'ecsProperties',
  'consumableResourceProperties',
] as const satisfies readonly (keyof JobDefinition & keyof RegisterJobDefinitionRequest)[];

/** RegisterJobDefinition input; what it leaves out is in CLONE_DROPS.jobDefinition. */
export function cloneJobDefinition(source: JobDefinition, name: string): RegisterJobDefinitionRequest {
  const out = { jobDefinitionName: name, ...pick(source, JOB_DEFINITION_FIELDS) } as RegisterJobDefinitionRequest;
  const tags = userTags(source.tags);
  if (tags) out.tags = tags;
  return out;
}

/**
 * Member paths (`a.b`, `list[].c`) of the Describe output or the Create/Register input that a clone does NOT carry
 * over, each with its reason. test/unit/core/clone-model.test.ts checks every member of the installed SDK's shapes
 * is either copied or listed here, so a member a newer SDK adds fails that test until someone decides.
 */
export type DropList = Readonly<Record<string, string>>;

const READ_ONLY = 'set by AWS; only in the Describe response';

export const CLONE_DROPS = {
  launchTemplateData: {
    // Response-only members (aws-facts §4.4): ResponseLaunchTemplateData has them, RequestLaunchTemplateData not.
    'MetadataOptions.State': 'response only: whether the metadata options are applied yet (pending|applied)',
    'NetworkInterfaces[].Ipv6Addresses[].IsPrimaryIpv6': 'response only: InstanceIpv6AddressRequest has no such member',
    'Operator.Managed': 'response only: set by the managing service; a managed template is never cloned',
    'Operator.HiddenByDefault': 'response only: set by the managing service; only Operator.Principal can be sent',
  },
  computeEnvironment: {
    computeEnvironmentArn: READ_ONLY,
    ecsClusterArn: `${READ_ONLY}: Batch creates B's own cluster`,
    status: READ_ONLY,
    statusReason: READ_ONLY,
    uuid: READ_ONLY,
    containerOrchestrationType: `${READ_ONLY}: follows from eksConfiguration`,
    context: 'the model says "Reserved"; not for callers to send',
    unmanagedvCpus: 'kept only for an UNMANAGED compute environment, the only type it applies to',
    updatePolicy: 'Create does not accept it: applied with UpdateComputeEnvironment once B is VALID (aws-facts §4.1)',
    'computeResources.desiredvCpus': "A's current scale, not its configuration: B would scale up at once",
    'computeResources.managedInstancesProvider':
      'kept only for type ECS_MANAGED_INSTANCES, the only type it applies to',
    'computeResources.capacityTags': 'kept only for type ECS_MANAGED_INSTANCES, the only type it applies to',
    'computeResources.ec2Configuration[].batchImageStatus':
      'read-only: it "only appears in the DescribeComputeEnvironments response" (API model)',
  },
  jobQueue: {
    jobQueueArn: READ_ONLY,
    status: READ_ONLY,
    statusReason: READ_ONLY,
  },
  jobDefinition: {
    jobDefinitionArn: READ_ONLY,
    revision: `${READ_ONLY}: registering under a name creates its next revision`,
    status: `${READ_ONLY}: a registered revision is ACTIVE`,
    containerOrchestrationType: `${READ_ONLY}: follows from the properties given (container/ecs/eks)`,
  },
} as const satisfies Record<string, DropList>;

/** Deletes the member at `path` (`a.b`, `list[].c`) wherever it occurs in `value`. */
function deletePath(value: unknown, path: string): void {
  const [head = '', ...rest] = path.split('.');
  const isList = head.endsWith('[]');
  const key = isList ? head.slice(0, -2) : head;
  if (!value || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (rest.length === 0 && !isList) {
    delete record[key];
    return;
  }
  const child = record[key];
  const targets = isList ? (Array.isArray(child) ? (child as unknown[]) : []) : [child];
  for (const target of targets) deletePath(target, rest.join('.'));
}

/** RequestLaunchTemplateData members (EC2 API model): anything else a newer Describe returns is not carried over. */
export const LAUNCH_TEMPLATE_DATA_FIELDS = [
  'KernelId',
  'EbsOptimized',
  'IamInstanceProfile',
  'BlockDeviceMappings',
  'NetworkInterfaces',
  'ImageId',
  'InstanceType',
  'KeyName',
  'Monitoring',
  'Placement',
  'RamDiskId',
  'DisableApiTermination',
  'InstanceInitiatedShutdownBehavior',
  'UserData',
  'TagSpecifications',
  'ElasticGpuSpecifications',
  'ElasticInferenceAccelerators',
  'SecurityGroupIds',
  'SecurityGroups',
  'InstanceMarketOptions',
  'CreditSpecification',
  'CpuOptions',
  'CapacityReservationSpecification',
  'LicenseSpecifications',
  'HibernationOptions',
  'MetadataOptions',
  'EnclaveOptions',
  'InstanceRequirements',
  'PrivateDnsNameOptions',
  'MaintenanceOptions',
  'DisableApiStop',
  'Operator',
  'NetworkPerformanceOptions',
  'SecondaryInterfaces',
] as const;

export function cloneLaunchTemplateData(source: ResponseLaunchTemplateData): RequestLaunchTemplateData {
  const out = structuredClone(pick(source as Record<string, unknown>, LAUNCH_TEMPLATE_DATA_FIELDS)) as Record<
    string,
    unknown
  >;
  for (const path of Object.keys(CLONE_DROPS.launchTemplateData)) deletePath(out, path);
  // Operator is rebuilt from its one request member, so nothing else a response carries there is sent back.
  const operator = out.Operator as { Principal?: string } | undefined;
  if (operator) {
    if (operator.Principal) out.Operator = { Principal: operator.Principal };
    else delete out.Operator;
  }
  const tagSpecs = out.TagSpecifications as
    { ResourceType?: string; Tags?: { Key?: string; Value?: string }[] }[] | undefined;
  if (tagSpecs) {
    const kept = tagSpecs
      .map((spec) => ({ ...spec, Tags: (spec.Tags ?? []).filter((t) => !t.Key?.toLowerCase().startsWith('aws:')) }))
      .filter((spec) => spec.Tags.length > 0 && spec.ResourceType !== 'launch-template');
    if (kept.length) out.TagSpecifications = kept;
    else delete out.TagSpecifications;
  }
  return out;
}

/** A launch template managed by a service (Operator.Managed) must not be cloned. */
export function isServiceManaged(data: ResponseLaunchTemplateData): boolean {
  return data.Operator?.Managed === true;
}
