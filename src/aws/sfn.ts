/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the Step Functions client is first used */
import type * as Sdk from '@aws-sdk/client-sfn';

export interface SfnApi {
  /** Every state machine (pages of 1,000; no definitions — aws-facts §2.2). */
  listStateMachines(): Promise<Sdk.StateMachineListItem[]>;
  describeStateMachine(arn: string): Promise<Sdk.DescribeStateMachineOutput>;
  listStateMachineAliases(stateMachineArn: string): Promise<Sdk.StateMachineAliasListItem[]>;
  describeStateMachineAlias(aliasArn: string): Promise<Sdk.DescribeStateMachineAliasOutput>;
  listExecutions(stateMachineArn: string, status?: Sdk.ExecutionStatus): Promise<Sdk.ExecutionListItem[]>;
  /** Every published version, newest first (immutable snapshots callers may start by ARN — aws-facts §8a). */
  listStateMachineVersions(stateMachineArn: string): Promise<Sdk.StateMachineVersionListItem[]>;
  /** Includes `redriveStatus`: whether RedriveExecution would restart it (aws-facts §8a). */
  describeExecution(executionArn: string): Promise<Sdk.DescribeExecutionOutput>;
  /** The definition an execution runs, which may predate the state machine's current one (aws-facts §5.2). */
  describeStateMachineForExecution(executionArn: string): Promise<Sdk.DescribeStateMachineForExecutionOutput>;
  validateStateMachineDefinition(definition: string): Promise<Sdk.ValidateStateMachineDefinitionOutput>;
  updateStateMachine(input: Sdk.UpdateStateMachineInput): Promise<Sdk.UpdateStateMachineOutput>;
  publishStateMachineVersion(input: Sdk.PublishStateMachineVersionInput): Promise<string>;
  updateStateMachineAlias(input: Sdk.UpdateStateMachineAliasInput): Promise<void>;
}

export function createSfnApi(client: Sdk.SFNClient): SfnApi {
  const sdk = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
  return {
    async listStateMachines() {
      const out: Sdk.StateMachineListItem[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(new sdk.ListStateMachinesCommand({ maxResults: 1000, nextToken }));
        out.push(...(page.stateMachines ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    describeStateMachine: (arn) => client.send(new sdk.DescribeStateMachineCommand({ stateMachineArn: arn })),
    async listStateMachineAliases(stateMachineArn) {
      const out: Sdk.StateMachineAliasListItem[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(new sdk.ListStateMachineAliasesCommand({ stateMachineArn, nextToken }));
        out.push(...(page.stateMachineAliases ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    describeStateMachineAlias: (aliasArn) =>
      client.send(new sdk.DescribeStateMachineAliasCommand({ stateMachineAliasArn: aliasArn })),
    async listExecutions(stateMachineArn, status) {
      const out: Sdk.ExecutionListItem[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new sdk.ListExecutionsCommand({ stateMachineArn, statusFilter: status, maxResults: 1000, nextToken }),
        );
        out.push(...(page.executions ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    async listStateMachineVersions(stateMachineArn) {
      const out: Sdk.StateMachineVersionListItem[] = [];
      let nextToken: string | undefined;
      do {
        const page = await client.send(
          new sdk.ListStateMachineVersionsCommand({ stateMachineArn, maxResults: 1000, nextToken }),
        );
        out.push(...(page.stateMachineVersions ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      return out;
    },
    describeExecution: (executionArn) => client.send(new sdk.DescribeExecutionCommand({ executionArn })),
    describeStateMachineForExecution: (executionArn) =>
      client.send(new sdk.DescribeStateMachineForExecutionCommand({ executionArn })),
    validateStateMachineDefinition: (definition) =>
      client.send(new sdk.ValidateStateMachineDefinitionCommand({ definition, type: 'STANDARD' })),
    updateStateMachine: (input) => client.send(new sdk.UpdateStateMachineCommand(input)),
    async publishStateMachineVersion(input) {
      const out = await client.send(new sdk.PublishStateMachineVersionCommand(input));
      return out.stateMachineVersionArn ?? '';
    },
    async updateStateMachineAlias(input) {
      await client.send(new sdk.UpdateStateMachineAliasCommand(input));
    },
  };
}
