/* eslint-disable @typescript-eslint/no-require-imports -- SDK modules load on first use, so --help never pays for them */
import type { BatchClient } from '@aws-sdk/client-batch';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { PipesClient } from '@aws-sdk/client-pipes';
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { STSClient } from '@aws-sdk/client-sts';

import { type BatchApi, createBatchApi } from './batch';
import { type CfnApi, createCfnApi } from './cloudformation';
import { CallStats, type AwsContext } from './context';
import { type Ec2Api, createEc2Api } from './ec2';
import { recordAwsCall } from './errors';
import { type EventsApi, createEventsApi } from './events';
import { type IamApi, createIamApi } from './iam';
import { type LambdaApi, createLambdaApi } from './lambda';
import { type PipesApi, createPipesApi } from './pipes';
import { type SchedulerApi, createSchedulerApi } from './scheduler';
import { type SfnApi, createSfnApi } from './sfn';
import { type SsmApi, createSsmApi } from './ssm';
import { type StsApi, createStsApi } from './sts';

/** One narrow API per service; each wraps exactly one SDK client for the whole run (aws-facts §2.4: retry state is per client). */
export interface Aws {
  readonly batch: BatchApi;
  readonly sfn: SfnApi;
  readonly ec2: Ec2Api;
  readonly cfn: CfnApi;
  readonly sts: StsApi;
  readonly ssm: SsmApi;
  readonly iam: IamApi;
  /** Callers besides Step Functions (issue 9): EventBridge rules, Scheduler schedules, Pipes, Lambda environments. */
  readonly events: EventsApi;
  readonly scheduler: SchedulerApi;
  readonly pipes: PipesApi;
  readonly lambda: LambdaApi;
  readonly stats: CallStats;
  /** The endpoint every client was configured with (--endpoint-url, else AWS_ENDPOINT_URL); undefined = AWS's own. */
  readonly endpoint: string | undefined;
  /** The region the clients resolved (flag, environment or profile). */
  region(): Promise<string>;
  destroy(): void;
}

interface ClientLike {
  middlewareStack: { add(mw: unknown, options: { step: 'initialize'; name: string }): void };
  config: { region: () => Promise<string> };
  destroy(): void;
}

/**
 * Adaptive retries (aws-facts §2.4): standard backoff plus a client-side rate limiter that switches on at the first
 * throttle, which suits long drain loops against Batch's unpublished limits.
 */
function clientConfig(ctx: AwsContext): Record<string, unknown> {
  const endpoint = ctx.endpoint ?? process.env.AWS_ENDPOINT_URL;
  const attempts = Number(process.env.AWS_MAX_ATTEMPTS);
  return {
    ...(ctx.region ? { region: ctx.region } : {}),
    ...(ctx.profile ? { profile: ctx.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    retryMode: 'adaptive',
    maxAttempts: Number.isInteger(attempts) && attempts > 0 ? attempts : 6,
  };
}

interface RawResponse {
  statusCode?: number;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

/** An error status, or a page where AWS's JSON or XML should be (a captive portal or proxy can answer 200). */
function worthKeeping(response: RawResponse): boolean {
  if ((response.statusCode ?? 0) >= 300) return true;
  const type = Object.entries(response.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return /html|text\/plain/i.test(type ?? '');
}

interface MiddlewareContext {
  commandName?: string;
  endpointV2?: { url?: URL };
}

/** Error bodies as text, by response: the SDK reads the body stream to parse it and keeps nothing when that fails. */
const errorBodies = new WeakMap<object, string>();

async function bodyText(body: unknown): Promise<string> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

function endpointOf(context: MiddlewareContext): string | undefined {
  const url = context.endpointV2?.url;
  return url ? `${url.protocol}//${url.host}` : undefined;
}

/**
 * Counts every call, and when one fails records on the error which call it was, the endpoint it really went to and
 * the raw body of an error response (src/aws/errors.ts turns these into one readable line).
 */
function instrumented<C extends ClientLike>(client: C, stats: CallStats, service: string): C {
  // The deserialize-step middleware below takes options the narrow ClientLike type does not spell out.
  const stack: { add(mw: unknown, options: object): void } = client.middlewareStack;
  stack.add(
    (next: (args: unknown) => Promise<unknown>, context: MiddlewareContext) => async (args: unknown) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      stats.record(service, operation);
      try {
        return await next(args);
      } catch (error) {
        const response = (error as { $response?: object } | undefined)?.$response;
        recordAwsCall(error, {
          service,
          operation,
          endpoint: endpointOf(context),
          body: response ? errorBodies.get(response) : undefined,
        });
        throw error;
      }
    },
    { step: 'initialize', name: 'batchctlCallStats' },
  );
  // Runs inside the SDK's deserializer (low priority in the same step), on each attempt's raw response: an error
  // body (or an HTML page) is read into memory once, kept as text, and handed on as bytes the deserializer reads.
  stack.add(
    (next: (args: unknown) => Promise<{ response?: RawResponse }>) => async (args: unknown) => {
      const result = await next(args);
      const response = result.response;
      if (response && worthKeeping(response)) {
        const text = await bodyText(response.body);
        response.body = Buffer.from(text, 'utf8');
        errorBodies.set(response, text);
      }
      return result;
    },
    { step: 'deserialize', name: 'batchctlErrorBody', priority: 'low' },
  );
  return client;
}

export function createAws(ctx: AwsContext): Aws {
  // batchctl supports Node 20 with the SDK versions its lockfile pins; the SDK's notice about future releases needing
  // Node 22 is for the project's maintainers (see CHANGELOG), not for every user on every run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const stats = new CallStats();
  const config = clientConfig(ctx);
  const endpoint = config.endpoint as string | undefined;
  const made: ClientLike[] = [];
  const lazy = <T>(build: () => T): (() => T) => {
    let value: T | undefined;
    return () => (value ??= build());
  };

  const batchClient = lazy(() => {
    const { BatchClient: Ctor } = require('@aws-sdk/client-batch') as typeof import('@aws-sdk/client-batch');
    const client: BatchClient = instrumented(new Ctor(config), stats, 'Batch');
    made.push(client);
    return client;
  });
  const sfnClient = lazy(() => {
    const { SFNClient: Ctor } = require('@aws-sdk/client-sfn') as typeof import('@aws-sdk/client-sfn');
    const client: SFNClient = instrumented(new Ctor(config), stats, 'SFN');
    made.push(client);
    return client;
  });
  const ec2Client = lazy(() => {
    const { EC2Client: Ctor } = require('@aws-sdk/client-ec2') as typeof import('@aws-sdk/client-ec2');
    const client: EC2Client = instrumented(new Ctor(config), stats, 'EC2');
    made.push(client);
    return client;
  });
  const cfnClient = lazy(() => {
    const { CloudFormationClient: Ctor } =
      require('@aws-sdk/client-cloudformation') as typeof import('@aws-sdk/client-cloudformation');
    const client: CloudFormationClient = instrumented(new Ctor(config), stats, 'CloudFormation');
    made.push(client);
    return client;
  });
  const stsClient = lazy(() => {
    const { STSClient: Ctor } = require('@aws-sdk/client-sts') as typeof import('@aws-sdk/client-sts');
    const client: STSClient = instrumented(new Ctor(config), stats, 'STS');
    made.push(client);
    return client;
  });

  const ssmClient = lazy(() => {
    const { SSMClient: Ctor } = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
    const client: SSMClient = instrumented(new Ctor(config), stats, 'SSM');
    made.push(client);
    return client;
  });
  const iamClient = lazy(() => {
    const { IAMClient: Ctor } = require('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam');
    const client: IAMClient = instrumented(new Ctor(config), stats, 'IAM');
    made.push(client);
    return client;
  });

  const eventsClient = lazy(() => {
    const { EventBridgeClient: Ctor } =
      require('@aws-sdk/client-eventbridge') as typeof import('@aws-sdk/client-eventbridge');
    const client: EventBridgeClient = instrumented(new Ctor(config), stats, 'EventBridge');
    made.push(client);
    return client;
  });
  const schedulerClient = lazy(() => {
    const { SchedulerClient: Ctor } =
      require('@aws-sdk/client-scheduler') as typeof import('@aws-sdk/client-scheduler');
    const client: SchedulerClient = instrumented(new Ctor(config), stats, 'Scheduler');
    made.push(client);
    return client;
  });
  const pipesClient = lazy(() => {
    const { PipesClient: Ctor } = require('@aws-sdk/client-pipes') as typeof import('@aws-sdk/client-pipes');
    const client: PipesClient = instrumented(new Ctor(config), stats, 'Pipes');
    made.push(client);
    return client;
  });
  const lambdaClient = lazy(() => {
    const { LambdaClient: Ctor } = require('@aws-sdk/client-lambda') as typeof import('@aws-sdk/client-lambda');
    const client: LambdaClient = instrumented(new Ctor(config), stats, 'Lambda');
    made.push(client);
    return client;
  });

  const batch = lazy(() => createBatchApi(batchClient()));
  const sfn = lazy(() => createSfnApi(sfnClient()));
  const ec2 = lazy(() => createEc2Api(ec2Client()));
  const cfn = lazy(() => createCfnApi(cfnClient()));
  const sts = lazy(() => createStsApi(stsClient()));
  const ssm = lazy(() => createSsmApi(ssmClient()));
  const iam = lazy(() => createIamApi(iamClient()));
  const events = lazy(() => createEventsApi(eventsClient()));
  const scheduler = lazy(() => createSchedulerApi(schedulerClient()));
  const pipes = lazy(() => createPipesApi(pipesClient()));
  const lambda = lazy(() => createLambdaApi(lambdaClient()));

  return {
    get batch() {
      return batch();
    },
    get sfn() {
      return sfn();
    },
    get ec2() {
      return ec2();
    },
    get cfn() {
      return cfn();
    },
    get sts() {
      return sts();
    },
    get ssm() {
      return ssm();
    },
    get iam() {
      return iam();
    },
    get events() {
      return events();
    },
    get scheduler() {
      return scheduler();
    },
    get pipes() {
      return pipes();
    },
    get lambda() {
      return lambda();
    },
    stats,
    endpoint,
    region: () => stsClient().config.region(),
    destroy: () => {
      for (const client of made) client.destroy();
    },
  };
}
