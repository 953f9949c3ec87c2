/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the Step Functions client is first used */
import type * as Sdk from '@aws-sdk/client-sfn';

import { RateLimiter, SFN_LIMITS, type SfnBucket } from '../lib/rate-limiter';

export interface SfnApi {
  /** Every state machine (pages of 1,000; no definitions — aws-facts §2.2). */
  listStateMachines(): Promise<Sdk.StateMachineListItem[]>;
  describeStateMachine(arn: string): Promise<Sdk.DescribeStateMachineOutput>;
  listStateMachineAliases(stateMachineArn: string): Promise<Sdk.StateMachineAliasListItem[]>;
  /** Every published version, newest first (immutable snapshots callers may start by ARN — aws-facts §8a). */
  listStateMachineVersions(stateMachineArn: string): Promise<Sdk.StateMachineVersionListItem[]>;
  describeStateMachineAlias(aliasArn: string): Promise<Sdk.DescribeStateMachineAliasOutput>;
  listExecutions(stateMachineArn: string, status?: Sdk.ExecutionStatus): Promise<Sdk.ExecutionListItem[]>;
  /** Includes `redriveStatus`: whether RedriveExecution would restart it (aws-facts §8a). */
  describeExecution(executionArn: string): Promise<Sdk.DescribeExecutionOutput>;
  /** The definition an execution runs, which may predate the state machine's current one (aws-facts §5.2). */
  describeStateMachineForExecution(executionArn: string): Promise<Sdk.DescribeStateMachineForExecutionOutput>;
  /** Validated as the state machine's own type: EXPRESS refuses integration patterns STANDARD allows (.sync). */
  validateStateMachineDefinition(
    definition: string,
    type?: Sdk.StateMachineType,
  ): Promise<Sdk.ValidateStateMachineDefinitionOutput>;
  updateStateMachine(input: Sdk.UpdateStateMachineInput): Promise<Sdk.UpdateStateMachineOutput>;
  updateStateMachineAlias(input: Sdk.UpdateStateMachineAliasInput): Promise<void>;
  /** Its tags, `aws:cloudformation:*` included: DescribeStateMachine has none. */
  listTagsForResource(resourceArn: string): Promise<Record<string, string>>;
}

/** One token bucket per Step Functions API bucket (aws-facts §2.2), built lazily. */
export type SfnLimiters = (bucket: SfnBucket) => RateLimiter;

export function createSfnLimiters(now: () => number = Date.now): SfnLimiters {
  const limiters = new Map<SfnBucket, RateLimiter>();
  return (bucket) => {
    let limiter = limiters.get(bucket);
    if (!limiter) {
      limiter = new RateLimiter(SFN_LIMITS[bucket].burst, SFN_LIMITS[bucket].perSecond, now);
      limiters.set(bucket, limiter);
    }
    return limiter;
  };
}

/**
 * Every call (every page of a list) first takes a token from its operation's bucket. The buckets are per account and
 * region, so one set serves the whole run (one per Aws instance): services calling the same operation at once share
 * it and together stay inside AWS's published rate instead of each spending a full burst.
 */
export function createSfnApi(client: Sdk.SFNClient, limiters: SfnLimiters = createSfnLimiters()): SfnApi {
  const sdk = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  const limited = <T>(bucket: SfnBucket, call: () => Promise<T>): Promise<T> => limiters(bucket).run(call);
  return {
    async listStateMachines() {
      const out: Sdk.StateMachineListItem[] = [];
      let nextToken: string | undefined;
      do {
        const page = await limited('listStateMachines', () =>
          client.send(new sdk.ListStateMachinesCommand({ maxResults: 1000, nextToken })),
        );
        out.push(...(page.stateMachines ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    describeStateMachine: (arn) =>
      limited('describeStateMachine', () => client.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: arn }))),
    async listStateMachineAliases(stateMachineArn) {
      const out: Sdk.StateMachineAliasListItem[] = [];
      let nextToken: string | undefined;
      do {
        const page = await limited('listStateMachineAliases', () =>
          client.send(new sdk.ListStateMachineAliasesCommand({ stateMachineArn, nextToken })),
        );
        out.push(...(page.stateMachineAliases ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    async listStateMachineVersions(stateMachineArn) {
      const out: Sdk.StateMachineVersionListItem[] = [];
      let nextToken: string | undefined;
      do {
        const page = await limited('listStateMachineVersions', () =>
          client.send(new sdk.ListStateMachineVersionsCommand({ stateMachineArn, maxResults: 1000, nextToken })),
        );
        out.push(...(page.stateMachineVersions ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    describeStateMachineAlias: (aliasArn) =>
      limited('describeStateMachineAlias', () =>
        client.send(new sdk.DescribeStateMachineAliasCommand({ stateMachineAliasArn: aliasArn })),
      ),
    async listExecutions(stateMachineArn, status) {
      const out: Sdk.ExecutionListItem[] = [];
      let nextToken: string | undefined;
      do {
        const page = await limited('listExecutions', () =>
          client.send(
            new sdk.ListExecutionsCommand({ stateMachineArn, statusFilter: status, maxResults: 1000, nextToken }),
          ),
        );
        out.push(...(page.executions ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    describeExecution: (executionArn) =>
      limited('describeExecution', () => client.send(new sdk.DescribeExecutionCommand({ executionArn }))),
    describeStateMachineForExecution: (executionArn) =>
      limited('describeStateMachineForExecution', () =>
        client.send(new sdk.DescribeStateMachineForExecutionCommand({ executionArn })),
      ),
    validateStateMachineDefinition: (definition, type = 'STANDARD') =>
      limited('validateStateMachineDefinition', () =>
        client.send(new sdk.ValidateStateMachineDefinitionCommand({ definition, type })),
      ),
    updateStateMachine: (input) =>
      limited('updateStateMachine', () => client.send(new sdk.UpdateStateMachineCommand(input))),
    async updateStateMachineAlias(input) {
      await limited('updateStateMachineAlias', () => client.send(new sdk.UpdateStateMachineAliasCommand(input)));
    },
    async listTagsForResource(resourceArn) {
      const out = await limited('listTagsForResource', () =>
        client.send(new sdk.ListTagsForResourceCommand({ resourceArn })),
      );
      return Object.fromEntries((out.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']));
    },
  };
}
