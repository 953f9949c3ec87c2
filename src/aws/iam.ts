/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the IAM client is first used */
import type * as Sdk from '@aws-sdk/client-iam';

export interface SimulatedDecision {
  action: string;
  resource: string;
  /** `allowed`, `explicitDeny` or `implicitDeny`, as IAM evaluates the principal's identity policies. */
  decision: string;
}

export interface IamApi {
  /**
   * Evaluates a role's (or user's) identity policies for each action on each resource (iam:SimulatePrincipalPolicy).
   * Pages are followed; one result per action and resource.
   */
  simulatePrincipalPolicy(input: {
    principalArn: string;
    actions: string[];
    resources: string[];
  }): Promise<SimulatedDecision[]>;
}

export function createIamApi(client: Sdk.IAMClient): IamApi {
  const sdk = require('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam');
  return {
    async simulatePrincipalPolicy({ principalArn, actions, resources }) {
      const out: SimulatedDecision[] = [];
      let Marker: string | undefined;
      do {
        const page = await client.send(
          new sdk.SimulatePrincipalPolicyCommand({
            PolicySourceArn: principalArn,
            ActionNames: actions,
            ResourceArns: resources,
            Marker,
          }),
        );
        for (const r of page.EvaluationResults ?? []) {
          out.push({
            action: r.EvalActionName ?? '',
            resource: r.EvalResourceName ?? '',
            decision: r.EvalDecision ?? 'implicitDeny',
          });
        }
        Marker = page.IsTruncated ? page.Marker : undefined;
      } while (Marker);
      return out;
    },
  };
}
