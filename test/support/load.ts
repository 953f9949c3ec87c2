/**
 * A client that keeps starting Step Functions executions while a test changes the account underneath it, the
 * way production callers do during a swap, and the tooling to see how every one of those executions ended.
 * Test tooling: it may use the SDK directly.
 */
import { BatchClient, DescribeJobsCommand, type JobDetail } from '@aws-sdk/client-batch';
import {
  DescribeExecutionCommand,
  type DescribeExecutionOutput,
  DescribeStateMachineForExecutionCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';

import { clientConfig } from './demo-workload';
import { waitFor } from './wait';

export interface LoadTarget {
  /** State machine, version or alias ARN to start. */
  arn: string;
  input: string;
}

export interface StartedExecution {
  executionArn: string;
  /** The ARN it was started with (unqualified or alias). */
  target: string;
  /** Epoch ms, as Step Functions reports it. */
  startedAt: number;
}

export interface LoadOptions {
  endpoint: string;
  /** Started in turn: the first, the second, …, the first again. */
  targets: LoadTarget[];
  /** Pause between two starts. */
  intervalMs: number;
  /** Bounds: the load stops by itself after this many starts or this long, whichever comes first. */
  maxExecutions: number;
  maxDurationMs: number;
}

/** Starts executions one after another until stopped (or a bound is reached), recording every one. */
export class ExecutionLoad {
  readonly started: StartedExecution[] = [];
  /** StartExecution calls that failed; a caller would have seen these as errors too. */
  readonly startErrors: { target: string; message: string }[] = [];
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly sfn: SFNClient;
  private readonly running: Promise<void>;

  private constructor(private readonly options: LoadOptions) {
    this.sfn = new SFNClient(clientConfig(options.endpoint));
    this.running = this.loop();
  }

  static start(options: LoadOptions): ExecutionLoad {
    return new ExecutionLoad(options);
  }

  /** Executions started in [from, to] (epoch ms, inclusive). */
  startedBetween(from: number, to: number): StartedExecution[] {
    return this.started.filter((e) => e.startedAt >= from && e.startedAt <= to);
  }

  /** Stops starting new executions (the one in flight completes) and returns every execution started. */
  async stop(): Promise<StartedExecution[]> {
    this.stopped = true;
    this.wake?.();
    await this.running;
    this.sfn.destroy();
    return this.started;
  }

  private async loop(): Promise<void> {
    const { targets, intervalMs, maxExecutions, maxDurationMs } = this.options;
    const deadline = Date.now() + maxDurationMs;
    for (let i = 0; !this.stopped && i < maxExecutions && Date.now() < deadline; i++) {
      const target = targets[i % targets.length] as LoadTarget;
      try {
        const out = await this.sfn.send(
          new StartExecutionCommand({ stateMachineArn: target.arn, input: target.input }),
        );
        this.started.push({
          executionArn: out.executionArn ?? '',
          target: target.arn,
          startedAt: out.startDate?.getTime() ?? Date.now(),
        });
      } catch (error) {
        this.startErrors.push({ target: target.arn, message: (error as Error).message });
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, intervalMs);
      });
      this.wake = undefined;
    }
  }
}

export interface EndedExecution extends StartedExecution {
  status: string;
  error?: string;
  cause?: string;
  output?: string;
  /** The definition the execution ran (DescribeStateMachineForExecution): the one it started with. */
  definition: string;
  /** Every Batch job id in the execution's output (a .sync task returns the job). */
  jobIds: string[];
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Every `JobId` value anywhere in a JSON document (a Map state returns an array of jobs). */
export function jobIdsIn(output: string | undefined): string[] {
  const ids: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'JobId' && typeof child === 'string') ids.push(child);
        else walk(child);
      }
    }
  };
  if (output) walk(JSON.parse(output));
  return ids;
}

/**
 * Waits (polling DescribeExecution) until none of `executions` is RUNNING any more, then reports how each ended,
 * with the definition it ran and the jobs it submitted.
 */
export async function waitForExecutionsToEnd(
  endpoint: string,
  executions: StartedExecution[],
  options: { timeoutMs?: number } = {},
): Promise<EndedExecution[]> {
  const sfn = new SFNClient(clientConfig(endpoint));
  try {
    const ended = new Map<string, DescribeExecutionOutput>();
    await waitFor(
      async () => {
        const pending = executions.filter((e) => !ended.has(e.executionArn));
        await mapLimit(pending, 8, async (e) => {
          const d = await sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }));
          if (d.status !== 'RUNNING') ended.set(e.executionArn, d);
        });
        return ended.size === executions.length;
      },
      {
        timeoutMs: options.timeoutMs ?? 60_000,
        intervalMs: 500,
        what: `${executions.length} executions to end (${executions.length - ended.size} still RUNNING)`,
      },
    );
    return await mapLimit(executions, 8, async (e) => {
      const d = ended.get(e.executionArn) as DescribeExecutionOutput;
      const ran = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn: e.executionArn }));
      return {
        ...e,
        status: d.status ?? 'UNKNOWN',
        ...(d.error ? { error: d.error } : {}),
        ...(d.cause ? { cause: d.cause } : {}),
        ...(d.output ? { output: d.output } : {}),
        definition: ran.definition ?? '',
        jobIds: jobIdsIn(d.output),
      };
    });
  } finally {
    sfn.destroy();
  }
}

/** DescribeJobs for any number of job ids (100 per call). */
export async function describeJobs(endpoint: string, jobIds: string[]): Promise<JobDetail[]> {
  const batch = new BatchClient(clientConfig(endpoint));
  try {
    const out: JobDetail[] = [];
    for (let i = 0; i < jobIds.length; i += 100) {
      const page = await batch.send(new DescribeJobsCommand({ jobs: jobIds.slice(i, i + 100) }));
      out.push(...(page.jobs ?? []));
    }
    return out;
  } finally {
    batch.destroy();
  }
}
