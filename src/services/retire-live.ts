/** Promote's retire step: A deleted top-down once drained, never a resource another queue or workflow still uses. */
import type { Aws } from '../aws/clients';
import type { PlanFile } from '../core/plan';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { deleteComputeEnvironment, deleteLaunchTemplateUnlessUsed, deleteQueue, type WaitOptions } from './batch-ops';
import { queuesUsing } from './held-names';
import type { PromoteResult } from './promote';
import { definitionsInUse, whatNames } from './revision-holds';
import { runStep, type SwapReporter } from './swap-steps';

/** Deletes A top-down: queue, compute environments no other queue uses, templates, replaced job definition revisions. */
export async function retireLive(
  aws: Aws,
  plan: PlanFile,
  wait: WaitOptions,
  reporter: SwapReporter,
  next: string[],
  /** The state machines to look at for what still names A's job definitions: the spec's scope. */
  inScope: (stateMachine: { name: string; arn: string }) => boolean,
): Promise<PromoteResult['deleted']> {
  const deleted: PromoteResult['deleted'] = [];
  const queue = plan.live.queue;
  await runStep(reporter, `delete-job-queue:${queue.name}`, next, async () => {
    const [q] = await aws.batch.describeJobQueues([queue.arn]);
    if (q && q.state !== 'DISABLED') {
      // Never delete a queue that could still take work: only a drained (DISABLED) one gets here.
      throw new BatchctlError(
        'QueueNotDrained',
        `Job queue ${queue.name} is ${q.state}; it must be drained before it is deleted.`,
        { exitCode: ExitCode.NotDrained },
      );
    }
    const gone = await deleteQueue(aws, queue, wait);
    if (gone) deleted.push({ kind: 'job-queue', name: queue.name });
    return { value: undefined, ...(gone ? {} : { status: 'skipped' as const, detail: 'already deleted' }) };
  });
  for (const ce of plan.target.computeEnvironments.filter((c) => c.retireFrom)) {
    await runStep(reporter, `delete-compute-environment:${ce.from.name}`, next, async () => {
      // The plan saw no other queue on it, but one may have started using it since: read every queue again
      // before disabling it (disabling stops that queue's jobs from being placed).
      const users = queuesUsing(await aws.batch.describeJobQueues(), ce.from, [queue.arn]);
      if (users.length) {
        const names = users.map((q) => q.jobQueueName ?? '').join(', ');
        return { value: undefined, status: 'skipped', detail: `kept: used by job queue ${names}` };
      }
      const gone = await deleteComputeEnvironment(aws, ce.from, wait);
      if (gone) deleted.push({ kind: 'compute-environment', name: ce.from.name });
      return { value: undefined, ...(gone ? {} : { status: 'skipped' as const, detail: 'already deleted' }) };
    });
  }
  for (const step of plan.steps.filter((s) => s.action === 'delete-launch-template')) {
    await runStep(reporter, step.id, next, async () => {
      // Any compute environment of the region may use it, including one outside the workload or A's shared one kept
      // above: it is read again here, not taken from the plan.
      const done = await deleteLaunchTemplateUnlessUsed(aws, step.target);
      if (done.outcome === 'kept') {
        return { value: undefined, status: 'skipped', detail: `kept: used by compute environment ${done.usedBy}` };
      }
      const gone = done.outcome === 'deleted';
      if (gone) deleted.push({ kind: 'launch-template', name: step.target });
      return { value: undefined, ...(gone ? {} : { status: 'skipped' as const, detail: 'already deleted' }) };
    });
  }
  // Read once, when the first revision needs it: every definition that can still start or resume work.
  let inUse: ReturnType<typeof definitionsInUse> | undefined;
  for (const jd of plan.target.jobDefinitions.filter((j) => j.changed)) {
    await runStep(reporter, `deregister-job-definition:${jd.from.name}:${jd.from.revision}`, next, async () => {
      const [current] = await aws.batch.describeJobDefinitions({ arns: [jd.from.arn] });
      if (current?.status !== 'ACTIVE') return { value: undefined, status: 'skipped', detail: 'already inactive' };
      inUse ??= definitionsInUse(aws, inScope);
      const keeper = whatNames(await inUse, jd.from);
      if (keeper) return { value: undefined, status: 'skipped', detail: `kept: named by ${keeper}` };
      await aws.batch.deregisterJobDefinition(jd.from.arn);
      deleted.push({ kind: 'job-definition', name: `${jd.from.name}:${jd.from.revision}` });
      return { value: undefined };
    });
  }
  return deleted;
}
