/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the Batch client is first used */
import type * as Sdk from '@aws-sdk/client-batch';

/** The Batch calls batchctl makes, with paginators flattened (aws-facts §1.1: 100 per page). */
export interface BatchApi {
  describeJobQueues(names?: string[]): Promise<Sdk.JobQueueDetail[]>;
  describeComputeEnvironments(names?: string[]): Promise<Sdk.ComputeEnvironmentDetail[]>;
  /** By ARNs (with revision) or by name; `status` filters ACTIVE/INACTIVE. */
  describeJobDefinitions(input: {
    arns?: string[];
    name?: string;
    status?: 'ACTIVE' | 'INACTIVE';
  }): Promise<Sdk.JobDefinition[]>;
  /** One status per call (aws-facts §6.2); `limit` stops after the first page that reaches it. */
  listJobs(queue: string, status: Sdk.JobStatus, limit?: number): Promise<Sdk.JobSummary[]>;
  createComputeEnvironment(input: Sdk.CreateComputeEnvironmentRequest): Promise<string>;
  updateComputeEnvironment(input: Sdk.UpdateComputeEnvironmentRequest): Promise<void>;
  deleteComputeEnvironment(nameOrArn: string): Promise<void>;
  createJobQueue(input: Sdk.CreateJobQueueRequest): Promise<string>;
  updateJobQueue(input: Sdk.UpdateJobQueueRequest): Promise<void>;
  deleteJobQueue(nameOrArn: string): Promise<void>;
  registerJobDefinition(input: Sdk.RegisterJobDefinitionRequest): Promise<{ arn: string; revision: number }>;
  deregisterJobDefinition(arn: string): Promise<void>;
}

export function createBatchApi(client: Sdk.BatchClient): BatchApi {
  const sdk = require('@aws-sdk/client-batch') as typeof import('@aws-sdk/client-batch');
  return {
    async describeJobQueues(names) {
      const out: Sdk.JobQueueDetail[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new sdk.DescribeJobQueuesCommand({ jobQueues: names, nextToken, ...(names ? {} : { maxResults: 100 }) }),
        );
        out.push(...(page.jobQueues ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    async describeComputeEnvironments(names) {
      const out: Sdk.ComputeEnvironmentDetail[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new sdk.DescribeComputeEnvironmentsCommand({
            computeEnvironments: names,
            nextToken,
            ...(names ? {} : { maxResults: 100 }),
          }),
        );
        out.push(...(page.computeEnvironments ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    async describeJobDefinitions({ arns, name, status }) {
      const out: Sdk.JobDefinition[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new sdk.DescribeJobDefinitionsCommand({
            jobDefinitions: arns,
            jobDefinitionName: name,
            status,
            nextToken,
            ...(arns ? {} : { maxResults: 100 }),
          }),
        );
        out.push(...(page.jobDefinitions ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    async listJobs(queue, status, limit) {
      const out: Sdk.JobSummary[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new sdk.ListJobsCommand({ jobQueue: queue, jobStatus: status, maxResults: 1000, nextToken }),
        );
        out.push(...(page.jobSummaryList ?? []));
        nextToken = page.nextToken;
      } while (nextToken && (limit === undefined || out.length < limit));
      return out;
    },
    async createComputeEnvironment(input) {
      const out = await client.send(new sdk.CreateComputeEnvironmentCommand(input));
      return out.computeEnvironmentArn ?? '';
    },
    async updateComputeEnvironment(input) {
      await client.send(new sdk.UpdateComputeEnvironmentCommand(input));
    },
    async deleteComputeEnvironment(nameOrArn) {
      await client.send(new sdk.DeleteComputeEnvironmentCommand({ computeEnvironment: nameOrArn }));
    },
    async createJobQueue(input) {
      const out = await client.send(new sdk.CreateJobQueueCommand(input));
      return out.jobQueueArn ?? '';
    },
    async updateJobQueue(input) {
      await client.send(new sdk.UpdateJobQueueCommand(input));
    },
    async deleteJobQueue(nameOrArn) {
      await client.send(new sdk.DeleteJobQueueCommand({ jobQueue: nameOrArn }));
    },
    async registerJobDefinition(input) {
      const out = await client.send(new sdk.RegisterJobDefinitionCommand(input));
      return { arn: out.jobDefinitionArn ?? '', revision: out.revision ?? 0 };
    },
    async deregisterJobDefinition(arn) {
      await client.send(new sdk.DeregisterJobDefinitionCommand({ jobDefinition: arn }));
    },
  };
}
