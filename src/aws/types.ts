/**
 * The AWS shapes the rest of batchctl may name. Type-only re-exports: importing this file loads no SDK code,
 * and it keeps `@aws-sdk/*` imports inside src/aws/.
 */
export type {
  ComputeEnvironmentDetail,
  ComputeResource,
  JobQueueDetail,
  JobDefinition,
  JobSummary,
  JobStatus,
  CreateComputeEnvironmentRequest,
  CreateJobQueueRequest,
  RegisterJobDefinitionRequest,
  UpdateComputeEnvironmentRequest,
  UpdateJobQueueRequest,
  ComputeEnvironmentOrder,
  UpdatePolicy,
} from '@aws-sdk/client-batch';
export type {
  LaunchTemplate,
  LaunchTemplateVersion,
  ResponseLaunchTemplateData,
  RequestLaunchTemplateData,
  Tag as Ec2Tag,
} from '@aws-sdk/client-ec2';
export type {
  StateMachineListItem,
  DescribeStateMachineOutput,
  DescribeStateMachineAliasOutput,
  StateMachineAliasListItem,
  ExecutionListItem,
  RoutingConfigurationListItem,
} from '@aws-sdk/client-sfn';
export type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
