/** What discovery found of the live revision A, and what B is derived to be. Plain data, no behaviour. */
import type {
  ComputeEnvironmentDetail,
  CreateComputeEnvironmentRequest,
  CreateJobQueueRequest,
  JobDefinition,
  JobQueueDetail,
  RegisterJobDefinitionRequest,
  RequestLaunchTemplateData,
  ResponseLaunchTemplateData,
  UpdatePolicy,
} from '../aws/types';
import type { RevisionLabel } from './naming';

export interface AccountScope {
  account: string;
  region: string;
  partition: string;
}

export interface LiveLaunchTemplate {
  id: string;
  name: string;
  /** The version number A's compute environment uses, resolved from `$Latest`/`$Default` where needed. */
  version: number;
  /** How the compute environment names the version: a number, `$Latest` or `$Default`. */
  referencedAs: string;
  data: ResponseLaunchTemplateData;
  tags: Record<string, string>;
}

export interface LiveComputeEnvironment {
  detail: ComputeEnvironmentDetail;
  /** Id of the launch template the compute environment uses, if any. */
  launchTemplateId?: string;
  /** Other queues that use this compute environment: it must never be retired while they do. */
  sharedWith: string[];
}

export interface LiveJobDefinition {
  /** The revision B is cloned from: the highest revision a reference names, or the latest ACTIVE one. */
  detail: JobDefinition;
  activeRevisions: number[];
  /**
   * Other revisions that references pin: the rewrite moves them to B's copy of `detail` too, so the plan shows each
   * against B on its own (what those references will run differs from what they ran by more than the spec's change).
   */
  otherPinned?: { detail: JobDefinition; users: string[] }[];
}

export interface StackInfo {
  name: string;
  /** Physical id → logical id of every stack resource discovery matched. */
  managed: Record<string, string>;
}

export interface LiveWorkload extends AccountScope {
  queue: JobQueueDetail;
  computeEnvironments: LiveComputeEnvironment[];
  launchTemplates: LiveLaunchTemplate[];
  jobDefinitions: LiveJobDefinition[];
  stack?: StackInfo;
}

export interface ResourceRef {
  name: string;
  arn: string;
}

export interface DesiredLaunchTemplate {
  from: { id: string; name: string; version: number };
  name: string;
  data: RequestLaunchTemplateData;
  tags: Record<string, string>;
}

export interface DesiredComputeEnvironment {
  from: ResourceRef;
  name: string;
  arn: string;
  input: CreateComputeEnvironmentRequest;
  /** Applied with UpdateComputeEnvironment once VALID: Create does not accept it (aws-facts §4.1). */
  updatePolicy?: UpdatePolicy;
  /** A was DISABLED: B is created ENABLED (required) and disabled once VALID. */
  disableAfterCreate: boolean;
  /** B's compute environment keeps A's out of retirement when A is shared with another queue. */
  retireFrom: boolean;
}

export interface DesiredJobQueue {
  from: ResourceRef;
  name: string;
  arn: string;
  input: CreateJobQueueRequest;
}

export interface DesiredJobDefinition {
  from: ResourceRef & { revision: number };
  /** Unchanged job definitions are shared by both revisions and not re-registered. */
  changed: boolean;
  name: string;
  input?: RegisterJobDefinitionRequest;
}

export interface DesiredRevision {
  label: RevisionLabel;
  launchTemplates: DesiredLaunchTemplate[];
  computeEnvironments: DesiredComputeEnvironment[];
  jobQueue: DesiredJobQueue;
  jobDefinitions: DesiredJobDefinition[];
}

export const TAG_WORKLOAD = 'batchctl:workload';
export const TAG_REVISION = 'batchctl:revision';
export const TAG_PLAN = 'batchctl:plan';

/**
 * A queue or compute environment that holds its name: not on its way out. A deleted one stays DELETING, then DELETED,
 * for a while before it disappears (aws-facts §3.2).
 */
export function isStanding(resource: { status?: string }): boolean {
  return resource.status !== 'DELETING' && resource.status !== 'DELETED';
}

/** The plan a launch template's `batchctl:plan` tag names (EC2 lists tags as Key/Value pairs). */
export function templatePlan(template: { Tags?: { Key?: string; Value?: string }[] }): string | undefined {
  return template.Tags?.find((t) => t.Key === TAG_PLAN)?.Value;
}
