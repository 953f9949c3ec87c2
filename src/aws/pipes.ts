/* eslint-disable @typescript-eslint/no-require-imports -- loaded only when the Pipes client is first used */
import type * as Sdk from '@aws-sdk/client-pipes';

import { callerLimiter, type RateLimiter } from '../lib/rate-limiter';

export interface PipeRef {
  name: string;
  arn: string;
  target: string;
  currentState: string;
}

export interface PipesApi {
  /** Every pipe, summarised with its target ARN (ListPipes, pages of 100). */
  listPipes(): Promise<PipeRef[]>;
  describePipe(name: string): Promise<Sdk.DescribePipeResponse>;
  /**
   * UpdatePipe changes the fields it names and keeps the rest, except each service-specific object inside the
   * *Parameters members (e.g. BatchJobParameters), which it replaces whole (API_UpdatePipe): send those complete.
   */
  updatePipe(input: Sdk.UpdatePipeRequest): Promise<void>;
}

/** Every call takes a token from the one Pipes bucket (rate-limiter.ts CALLER_LIMITS.pipes). */
export function createPipesApi(client: Sdk.PipesClient, limiter: RateLimiter = callerLimiter('pipes')): PipesApi {
  const sdk = require('@aws-sdk/client-pipes') as typeof import('@aws-sdk/client-pipes');
  return {
    async listPipes() {
      const out: PipeRef[] = [];
      let NextToken: string | undefined;
      do {
        const page = await limiter.run(() => client.send(new sdk.ListPipesCommand({ Limit: 100, NextToken })));
        for (const p of page.Pipes ?? []) {
          if (!p.Name || !p.Arn) continue;
          out.push({ name: p.Name, arn: p.Arn, target: p.Target ?? '', currentState: p.CurrentState ?? '' });
        }
        NextToken = page.NextToken;
      } while (NextToken);
      return out;
    },
    describePipe: (name) => limiter.run(() => client.send(new sdk.DescribePipeCommand({ Name: name }))),
    async updatePipe(input) {
      await limiter.run(() => client.send(new sdk.UpdatePipeCommand(input)));
    },
  };
}
