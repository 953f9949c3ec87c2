/** Where and as whom batchctl talks to AWS. Built from --region/--profile/--endpoint-url and the environment. */
export interface AwsContext {
  region?: string;
  profile?: string;
  /** An alternative endpoint for every service (e.g. an emulator); also read from AWS_ENDPOINT_URL. */
  endpoint?: string;
}

/** Counts calls by `Service.Operation`: for the benchmark, for --debug, and for tests that assert batching. */
export class CallStats {
  private readonly counts = new Map<string, number>();

  record(service: string, operation: string): void {
    const key = `${service}.${operation}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  byOperation(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }
}
