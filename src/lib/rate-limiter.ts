/**
 * A token bucket matching AWS's published API buckets (aws-facts §2.2): `burst` calls at once, then `perSecond`.
 * It keeps batchctl inside the limits instead of relying on throttling errors and retries.
 */
export class RateLimiter {
  private tokens: number;
  private last: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Resolves when a call may be made. Calls are granted in order. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn;
    return turn;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.take();
    return fn();
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) / this.perSecond) * 1000);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/**
 * Step Functions token buckets per account and region (aws-facts §2.2; Step Functions developer guide, "Service
 * quotas", API action throttling), the smaller regional figure where two are published. Each operation batchctl calls
 * has its own bucket; src/aws/sfn.ts holds one limiter per bucket for the whole run.
 */
export const SFN_LIMITS = {
  describeStateMachine: { burst: 200, perSecond: 20 },
  listStateMachines: { burst: 100, perSecond: 5 },
  updateStateMachine: { burst: 100, perSecond: 1 },
  updateStateMachineAlias: { burst: 100, perSecond: 1 },
  listStateMachineAliases: { burst: 100, perSecond: 1 },
  describeStateMachineAlias: { burst: 200, perSecond: 1 },
  listStateMachineVersions: { burst: 100, perSecond: 1 },
  validateStateMachineDefinition: { burst: 100, perSecond: 1 },
  listExecutions: { burst: 100, perSecond: 2 },
  describeExecution: { burst: 250, perSecond: 10 },
  // Its own bucket on the quotas page (200 / 1 in every region), far slower than DescribeStateMachine's.
  describeStateMachineForExecution: { burst: 200, perSecond: 1 },
  // Not in the quotas page's table (aws-facts §2.2): the smallest bucket it publishes for a control-plane action.
  listTagsForResource: { burst: 100, perSecond: 1 },
} as const;

/**
 * CloudFormation publishes no per-API request rates: its quotas page lists stack and template limits only, and AWS's
 * advice for "Rate exceeded" is to back off (https://repost.aws/knowledge-center/cloudformation-rate-exceeded-error).
 * Its throttling answer, `Throttling`, is in the SDK's retryable list (aws-facts §2.4). batchctl's CloudFormation
 * reads are few (GetTemplate and ListStackResources per stack, DescribeStackResources per resource without tags), so
 * one modest shared bucket keeps them well clear of whatever the account's limit is.
 */
export const CFN_LIMITS = { burst: 5, perSecond: 2 } as const;

export type SfnBucket = keyof typeof SFN_LIMITS;

/**
 * The callers batchctl finds besides Step Functions (issue 9), one bucket per service. These services publish one
 * rate for a family of calls rather than per-API token buckets, so the bucket holds that rate for one second and
 * every control-plane call of the service takes from it:
 * - EventBridge: "All EventBridge APIs other than PutEvents are limited to 50 requests per second by default"
 *   (EventBridge user guide, "Amazon EventBridge quotas", other API requests).
 * - Scheduler: each API has its own request rate ("Quotas for Amazon EventBridge Scheduler"); batchctl stays at 50
 *   a second for ListSchedules, GetSchedule and UpdateSchedule together, under the lowest default of those it calls.
 * - Pipes: the Pipes section of "Amazon EventBridge quotas" publishes no per-API read or update rate; 10 a second
 *   keeps a discovery of hundreds of pipes well clear of throttling (a ThrottlingException is still retried).
 * - Lambda: "Control plane API requests (excludes invocation, GetFunction, and GetPolicy requests): 15 requests per
 *   second across all APIs" (Lambda developer guide, "Lambda quotas", API requests). ListFunctions is one of them;
 *   batchctl takes 10 of the 15 so the account's own deploys keep room.
 * - SSM Parameter Store: GetParametersByPath shares the standard throughput of the Get* APIs (40 a second) and
 *   PutParameter has 3 a second by default ("AWS Systems Manager endpoints and quotas", Parameter Store).
 */
export const CALLER_LIMITS = {
  events: { burst: 50, perSecond: 50 },
  scheduler: { burst: 50, perSecond: 50 },
  pipes: { burst: 10, perSecond: 10 },
  lambda: { burst: 10, perSecond: 10 },
  ssmRead: { burst: 40, perSecond: 40 },
  ssmWrite: { burst: 3, perSecond: 3 },
} as const;

export type CallerBucket = keyof typeof CALLER_LIMITS;

export function callerLimiter(bucket: CallerBucket, now: () => number = Date.now): RateLimiter {
  return new RateLimiter(CALLER_LIMITS[bucket].burst, CALLER_LIMITS[bucket].perSecond, now);
}
