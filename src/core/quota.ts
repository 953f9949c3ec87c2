/**
 * Quota arithmetic (aws-facts §1.1). Batch's limits are hard ("can't be changed"): 50 compute environments and
 * 50 job queues per account and region, 3 compute environments per queue. A swap needs room for B beside A.
 */
export interface QuotaLimits {
  computeEnvironments: number;
  jobQueues: number;
  computeEnvironmentsPerQueue: number;
}

export const DEFAULT_QUOTA: QuotaLimits = { computeEnvironments: 50, jobQueues: 50, computeEnvironmentsPerQueue: 3 };

export interface QuotaInput {
  limits: QuotaLimits;
  /** Everything DescribeComputeEnvironments / DescribeJobQueues return now (status is not known to matter). */
  existingComputeEnvironments: number;
  existingJobQueues: number;
  /** B resources this swap will create that do not exist yet (ones already created by this plan count as existing). */
  newComputeEnvironments: number;
  newJobQueues: number;
  /** Compute environments B's queue will have. */
  computeEnvironmentsInQueue: number;
}

export interface QuotaLine {
  resource: 'compute-environments' | 'job-queues' | 'compute-environments-per-queue';
  limit: number;
  /** How many exist now. */
  current: number;
  /** How many will exist while A and B stand side by side. */
  during: number;
  ok: boolean;
}

export function checkQuota(input: QuotaInput): QuotaLine[] {
  const ces = input.existingComputeEnvironments + input.newComputeEnvironments;
  const queues = input.existingJobQueues + input.newJobQueues;
  return [
    {
      resource: 'compute-environments',
      limit: input.limits.computeEnvironments,
      current: input.existingComputeEnvironments,
      during: ces,
      ok: ces <= input.limits.computeEnvironments,
    },
    {
      resource: 'job-queues',
      limit: input.limits.jobQueues,
      current: input.existingJobQueues,
      during: queues,
      ok: queues <= input.limits.jobQueues,
    },
    {
      resource: 'compute-environments-per-queue',
      limit: input.limits.computeEnvironmentsPerQueue,
      current: input.computeEnvironmentsInQueue,
      during: input.computeEnvironmentsInQueue,
      ok: input.computeEnvironmentsInQueue <= input.limits.computeEnvironmentsPerQueue,
    },
  ];
}
