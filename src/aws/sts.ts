/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the STS client is first used */
import type * as Sdk from '@aws-sdk/client-sts';

export interface StsApi {
  /** The account the credentials belong to; a plan is bound to it. */
  accountId(): Promise<string>;
}

export function createStsApi(client: Sdk.STSClient): StsApi {
  const sdk = require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts');
  let account: Promise<string> | undefined;
  return {
    accountId() {
      account ??= client.send(new sdk.GetCallerIdentityCommand({})).then((out) => out.Account ?? '');
      return account;
    },
  };
}
