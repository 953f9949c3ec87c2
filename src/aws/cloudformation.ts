/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the CloudFormation client is first used */
import type * as Sdk from '@aws-sdk/client-cloudformation';

import { CFN_LIMITS, RateLimiter } from '../lib/rate-limiter';

/** The stack a resource belongs to, as DescribeStackResources(PhysicalResourceId) names it. */
export interface StackResourceOwner {
  stackName: string;
  stackId: string;
  logicalId: string;
  resourceType: string;
}

export interface CfnApi {
  listStackResources(stackName: string): Promise<Sdk.StackResourceSummary[]>;
  /**
   * The stack's template as CloudFormation processed it (transforms expanded; the same text as the original when the
   * template has none — GetTemplate API reference, TemplateStage). JSON or YAML, as written.
   */
  getTemplate(stackName: string): Promise<string>;
  /**
   * The stack that owns a resource, by its physical id (a name, an ARN or an id, whatever the resource type's `Ref`
   * returns), or undefined when no stack owns it. DescribeStackResources with only PhysicalResourceId "returns the
   * associated resources of the stack that the resource belongs to" (API reference); for a resource no stack owns it
   * answers ValidationError "Stack for <id> does not exist".
   */
  stackOwning(physicalId: string): Promise<StackResourceOwner | undefined>;
}

/**
 * ValidationError "Stack with id <name> does not exist": the stack is gone (deleted; a resource it retained keeps its
 * `aws:cloudformation:*` tags, so tags can name a stack that no longer exists).
 */
export function isStackGone(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e.name === 'ValidationError' && /^Stack with id .* does not exist/.test(e.message ?? '');
}

/** ValidationError "Stack for <physical id> does not exist": DescribeStackResources found no stack owning it. */
export function isNoOwningStack(error: unknown): boolean {
  const e = error as { name?: string; message?: string };
  return e.name === 'ValidationError' && /^Stack for .* does not exist/.test(e.message ?? '');
}

/**
 * One limiter for the run's CloudFormation reads: CloudFormation publishes no per-API request rates (lib/rate-limiter.ts
 * CFN_LIMITS), so batchctl keeps its few calls (two per stack, one per untagged resource) to a modest steady rate.
 */
export function createCfnApi(
  client: Sdk.CloudFormationClient,
  limiter = new RateLimiter(CFN_LIMITS.burst, CFN_LIMITS.perSecond),
): CfnApi {
  const sdk = require('@aws-sdk/client-cloudformation') as typeof import('@aws-sdk/client-cloudformation');
  return {
    async listStackResources(stackName) {
      const out: Sdk.StackResourceSummary[] = [];
      let NextToken: string | undefined;
      do {
        const page = await limiter.run(() =>
          client.send(new sdk.ListStackResourcesCommand({ StackName: stackName, NextToken })),
        );
        out.push(...(page.StackResourceSummaries ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    },
    async getTemplate(stackName) {
      const out = await limiter.run(() =>
        client.send(new sdk.GetTemplateCommand({ StackName: stackName, TemplateStage: 'Processed' })),
      );
      return out.TemplateBody ?? '';
    },
    async stackOwning(physicalId) {
      let out: Sdk.DescribeStackResourcesOutput;
      try {
        out = await limiter.run(() =>
          client.send(new sdk.DescribeStackResourcesCommand({ PhysicalResourceId: physicalId })),
        );
      } catch (error) {
        if (isNoOwningStack(error)) return undefined;
        throw error;
      }
      // Every resource of the owning stack comes back; the one asked about is the one with this physical id.
      const own = (out.StackResources ?? []).find((r) => r.PhysicalResourceId === physicalId);
      if (!own?.StackName) return undefined;
      return {
        stackName: own.StackName,
        stackId: own.StackId ?? '',
        logicalId: own.LogicalResourceId ?? '',
        resourceType: own.ResourceType ?? '',
      };
    },
  };
}
