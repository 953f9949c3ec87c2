/** Promote's build step: revision B created bottom-up, each resource reused when this plan already made it. */
import type { Aws } from '../aws/clients';
import type { PlanFile } from '../core/plan';
import { TAG_PLAN, templatePlan, type DesiredRevision } from '../core/workload';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import {
  createOnceNameIsFree,
  setComputeEnvironmentState,
  waitComputeEnvironmentValid,
  waitQueueValid,
  type WaitOptions,
} from './batch-ops';
import type { PromoteResult } from './promote';
import { runStep, type SwapReporter } from './swap-steps';

/** Builds B bottom-up; returns the revision each changed job definition got. */
export async function buildRevision(
  aws: Aws,
  plan: PlanFile,
  b: DesiredRevision,
  wait: WaitOptions,
  reporter: SwapReporter,
  result: PromoteResult,
  next: string[],
): Promise<Map<string, number>> {
  for (const lt of b.launchTemplates) {
    await runStep(reporter, `create-launch-template:${lt.name}`, next, async () => {
      const [existing] = await aws.ec2.findLaunchTemplatesByName([lt.name]);
      const owner = existing ? templatePlan(existing) : undefined;
      if (existing && owner !== plan.id) {
        throw new BatchctlError(
          'NameTaken',
          `Launch template ${lt.name} exists and belongs to ${owner ? `plan ${owner}` : 'no batchctl plan'}; B cannot use its name.`,
          {
            exitCode: ExitCode.Locked,
            // Never "delete it": a compute environment outside the workload may use it. A new plan names its users
            // and takes an alternative name when one of them holds it (docs/spec.md, Naming).
            suggestions: [
              owner
                ? `Finish or roll back the swap of plan ${owner}, then run \`batchctl plan\` again.`
                : 'Run `batchctl plan` again: it says what uses the template and picks another name when something outside the workload holds it.',
            ],
          },
        );
      }
      if (existing) {
        result.created.push({
          kind: 'launch-template',
          name: lt.name,
          arn: existing.LaunchTemplateId ?? '',
          reused: true,
        });
        return { value: undefined, status: 'skipped', detail: 'already created by this plan' };
      }
      const created = await aws.ec2.createLaunchTemplate({
        LaunchTemplateName: lt.name,
        LaunchTemplateData: lt.data,
        TagSpecifications: [
          { ResourceType: 'launch-template', Tags: Object.entries(lt.tags).map(([Key, Value]) => ({ Key, Value })) },
        ],
        // Idempotent across retries of the same plan (aws-facts §4.4).
        ClientToken: `${plan.id}-${lt.name}`.slice(0, 128),
      });
      result.created.push({ kind: 'launch-template', name: lt.name, arn: created.id, reused: false });
      return { value: undefined };
    });
  }
  for (const ce of b.computeEnvironments) {
    await runStep(reporter, `create-compute-environment:${ce.name}`, next, async () => {
      // Batch Create* has no client token: the name is the idempotency key (aws-facts §4.4).
      const created = await createOnceNameIsFree(
        async () => (await aws.batch.describeComputeEnvironments([ce.name]))[0],
        () => aws.batch.createComputeEnvironment(ce.input),
        `compute environment ${ce.name}`,
        wait,
        plan.id,
      );
      const existing = !created;
      await waitComputeEnvironmentValid(aws, ce.name, wait);
      // A reused CE got its updatePolicy (and its state) when this plan created it; sending ENABLED again on a re-run
      // would briefly enable one that must stay DISABLED while B is live.
      if (ce.updatePolicy && !existing) {
        // updatePolicy alone is rejected ("One of [state | compute-resources | service-role | unmanaged-vcpus] is
        // required", terraform-provider-aws #43969, aws-facts §8a): send it with the state the new CE has.
        await aws.batch.updateComputeEnvironment({
          computeEnvironment: ce.name,
          state: 'ENABLED',
          updatePolicy: ce.updatePolicy,
        });
        await waitComputeEnvironmentValid(aws, ce.name, wait);
      }
      if (ce.disableAfterCreate)
        await setComputeEnvironmentState(aws, { name: ce.name, arn: ce.arn }, 'DISABLED', wait);
      result.created.push({ kind: 'compute-environment', name: ce.name, arn: ce.arn, reused: !!existing });
      return {
        value: undefined,
        ...(existing ? { status: 'skipped' as const, detail: 'already created by this plan' } : {}),
      };
    });
  }
  const revisions = new Map<string, number>();
  for (const jd of b.jobDefinitions.filter((j) => j.changed && j.input)) {
    await runStep(reporter, `register-job-definition:${jd.name}`, next, async () => {
      const ours = (await aws.batch.describeJobDefinitions({ name: jd.name, status: 'ACTIVE' }))
        .filter((e) => e.tags?.[TAG_PLAN] === plan.id)
        .sort((x, y) => (y.revision ?? 0) - (x.revision ?? 0))[0];
      if (ours) {
        revisions.set(jd.name, ours.revision ?? 1);
        result.created.push({ kind: 'job-definition', name: jd.name, arn: ours.jobDefinitionArn ?? '', reused: true });
        return { value: undefined, status: 'skipped', detail: 'already registered by this plan' };
      }
      const registered = await aws.batch.registerJobDefinition(jd.input!);
      revisions.set(jd.name, registered.revision);
      result.created.push({ kind: 'job-definition', name: jd.name, arn: registered.arn, reused: false });
      return { value: undefined, detail: `revision ${registered.revision}` };
    });
  }
  await runStep(reporter, `create-job-queue:${b.jobQueue.name}`, next, async () => {
    const existing = !(await createOnceNameIsFree(
      async () => (await aws.batch.describeJobQueues([b.jobQueue.name]))[0],
      () => aws.batch.createJobQueue(b.jobQueue.input),
      `job queue ${b.jobQueue.name}`,
      wait,
      plan.id,
    ));
    await waitQueueValid(aws, b.jobQueue.name, wait, 'ENABLED');
    result.created.push({ kind: 'job-queue', name: b.jobQueue.name, arn: b.jobQueue.arn, reused: !!existing });
    return {
      value: undefined,
      ...(existing ? { status: 'skipped' as const, detail: 'already created by this plan' } : {}),
    };
  });
  return revisions;
}
