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
  if (out.ec2Configuration) {
    // batchImageStatus is read-only: it "only appears in the DescribeComputeEnvironments response".
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

/** CreateJobQueue input; the caller maps `computeEnvironmentOrder` from A's CE ARNs to B's. */
export function cloneJobQueue(source: JobQueueDetail, name: string): CreateJobQueueRequest {
  const out: CreateJobQueueRequest = {
    jobQueueName: name,
    priority: source.priority,
    state: source.state,
    computeEnvironmentOrder: (source.computeEnvironmentOrder ?? []).map((o) => ({
      order: o.order,
      computeEnvironment: o.computeEnvironment,
    })),
  };
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

/** RegisterJobDefinition input; drops `jobDefinitionArn`, `revision`, `status`, `containerOrchestrationType`. */
export function cloneJobDefinition(source: JobDefinition, name: string): RegisterJobDefinitionRequest {
  const out = { jobDefinitionName: name, ...pick(source, JOB_DEFINITION_FIELDS) } as RegisterJobDefinitionRequest;
  const tags = userTags(source.tags);
  if (tags) out.tags = tags;
  return out;
}

/**
 * Response-only members of launch template data (aws-facts §4.4). The top-level names match the request shape;
 * these nested ones do not exist there.
 */
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
] as const;

export function cloneLaunchTemplateData(source: ResponseLaunchTemplateData): RequestLaunchTemplateData {
  const out = structuredClone(pick(source as Record<string, unknown>, LAUNCH_TEMPLATE_DATA_FIELDS)) as Record<
    string,
    unknown
  >;
  const metadata = out.MetadataOptions as Record<string, unknown> | undefined;
  if (metadata) delete metadata.State;
  const interfaces = out.NetworkInterfaces as { Ipv6Addresses?: Record<string, unknown>[] }[] | undefined;
  for (const nic of interfaces ?? []) {
    for (const address of nic.Ipv6Addresses ?? []) delete address.IsPrimaryIpv6;
  }
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
