/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the Lambda client is first used */
import type * as Sdk from '@aws-sdk/client-lambda';

import { callerLimiter, type RateLimiter } from '../lib/rate-limiter';

export interface LambdaFunctionEnv {
  name: string;
  arn: string;
  /** Environment variables by name; empty when the function has none. */
  variables: Record<string, string>;
  /**
   * Set when Lambda could not give the variables (Environment.Error, e.g. a KMS key the caller may not use): the
   * values cannot be read, so whether they name the workload is unknown.
   */
  unreadable?: string;
}

export interface LambdaApi {
  /** Every function's $LATEST configuration, environment included (ListFunctions, pages of 50). Read only. */
  listFunctionEnvironments(): Promise<LambdaFunctionEnv[]>;
}

/** Every call takes a token from the Lambda control-plane bucket (rate-limiter.ts CALLER_LIMITS.lambda). */
export function createLambdaApi(client: Sdk.LambdaClient, limiter: RateLimiter = callerLimiter('lambda')): LambdaApi {
  const sdk = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
  return {
    async listFunctionEnvironments() {
      const out: LambdaFunctionEnv[] = [];
      let Marker: string | undefined;
      do {
        const page = await limiter.run(() => client.send(new sdk.ListFunctionsCommand({ MaxItems: 50, Marker })));
        for (const fn of page.Functions ?? []) {
          if (!fn.FunctionName || !fn.FunctionArn) continue;
          const error = fn.Environment?.Error;
          out.push({
            name: fn.FunctionName,
            arn: fn.FunctionArn,
            variables: { ...(fn.Environment?.Variables ?? {}) },
            ...(error ? { unreadable: `${error.ErrorCode ?? 'Error'}: ${error.Message ?? ''}`.trim() } : {}),
          });
        }
        Marker = page.NextMarker;
      } while (Marker);
      return out;
    },
  };
}
