/** Promote's retire step: A deleted top-down once drained, never a resource another queue or workflow still uses. */
import type { Aws } from '../aws/clients';
import type { PlanFile } from '../core/plan';
import { definitionNames, type WorkloadTarget } from '../core/references';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import { mapLimit } from '../lib/parallel';
import { deleteComputeEnvironment, deleteLaunchTemplateByName, deleteQueue, type WaitOptions } from './batch-ops';
import type { PromoteResult } from './promote';
import { runStep, type SwapReporter } from './swap-steps';

/** True when a state machine in the plan's scope still names this job definition revision (directly or as latest). */
async function stillReferenced(
  aws: Aws,
  plan: PlanFile,
  jd: { name: string; arn: string; revision: number },
): Promise<boolean> {
  const only: WorkloadTarget = {
    queue: { name: '', arn: '' },
    jobDefinitions: [{ name: jd.name, arn: jd.arn.replace(/:\d+$/, ''), revisions: [jd.revision] }],
  };
  const uses = await mapLimit(plan.references, 4, async (ref) => {
    const d = await aws.sfn.describeStateMachine(ref.arn);
    return definitionNames(d.definition ?? '', only, true);
  });
  return uses.some(Boolean);
}

/** Deletes A top-down: queue, compute environments no other queue uses, templates, replaced job definition revisions. */
export async function retireLive(
  aws: Aws,
  plan: PlanFile,
  wait: WaitOptions,
  reporter: SwapReporter,
  next: string[],
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
      const gone = await deleteComputeEnvironment(aws, ce.from, wait);
      if (gone) deleted.push({ kind: 'compute-environment', name: ce.from.name });
      return { value: undefined, ...(gone ? {} : { status: 'skipped' as const, detail: 'already deleted' }) };
    });
  }
  for (const step of plan.steps.filter((s) => s.action === 'delete-launch-template')) {
    await runStep(reporter, step.id, next, async () => {
      const gone = await deleteLaunchTemplateByName(aws, step.target);
      if (gone) deleted.push({ kind: 'launch-template', name: step.target });
      return { value: undefined, ...(gone ? {} : { status: 'skipped' as const, detail: 'already deleted' }) };
    });
  }
  for (const jd of plan.target.jobDefinitions.filter((j) => j.changed)) {
    await runStep(reporter, `deregister-job-definition:${jd.from.name}:${jd.from.revision}`, next, async () => {
      const [current] = await aws.batch.describeJobDefinitions({ arns: [jd.from.arn] });
      if (current?.status !== 'ACTIVE') return { value: undefined, status: 'skipped', detail: 'already inactive' };
      if (await stillReferenced(aws, plan, jd.from))
        return { value: undefined, status: 'skipped', detail: 'still referenced' };
      await aws.batch.deregisterJobDefinition(jd.from.arn);
      deleted.push({ kind: 'job-definition', name: `${jd.from.name}:${jd.from.revision}` });
      return { value: undefined };
    });
  }
  return deleted;
}
