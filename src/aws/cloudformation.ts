/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the CloudFormation client is first used */
import type * as Sdk from '@aws-sdk/client-cloudformation';

export interface CfnApi {
  listStackResources(stackName: string): Promise<Sdk.StackResourceSummary[]>;
}

export function createCfnApi(client: Sdk.CloudFormationClient): CfnApi {
  const sdk = require('@aws-sdk/client-cloudformation') as typeof import('@aws-sdk/client-cloudformation');
  return {
    async listStackResources(stackName) {
      const out: Sdk.StackResourceSummary[] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(new sdk.ListStackResourcesCommand({ StackName: stackName, NextToken }));
        out.push(...(page.StackResourceSummaries ?? []));
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    },
  };
}
