/**
 * `status` repeats the plan's hand-back while a stack's template still names A: the swap moved the live references
 * to B, so a template that names A has drifted from them and its next deploy would put A back. Each template is read
 * again (GetTemplate, ListStackResources) and searched for the plan's values; a stack that names only B is done.
 */
import type { Aws } from '../aws/clients';
import { isStackGone } from '../aws/cloudformation';
import type { StackHandBack } from '../core/handback';
import type { PlanFile } from '../core/plan';
import { mapLimit } from '../lib/parallel';
import { readStackHandBack } from './handback';

/**
 * The stacks of `plan`'s hand-back whose templates still name A, once B is live (`liveQueue` is B's queue). Before
 * the cutover, or after a rollback, A is what the templates should name.
 */
export async function pendingHandBack(
  aws: Aws,
  plan: Pick<PlanFile, 'handBack' | 'target' | 'account' | 'region' | 'partition'> | undefined,
  liveQueue: string | undefined,
): Promise<StackHandBack[]> {
  const handBack = plan?.handBack;
  if (!handBack?.stacks.length || liveQueue === undefined || liveQueue !== plan?.target.jobQueue.name) return [];
  const pseudo = { partition: plan.partition, region: plan.region, account: plan.account };
  const read = await mapLimit(handBack.stacks, 2, async (stack): Promise<StackHandBack | undefined> => {
    try {
      const now = await readStackHandBack(aws, stack.stack, handBack.values, pseudo);
      if (!now.changes.length && !now.unreadable) return undefined;
      return { ...stack, changes: now.changes, ...(now.unreadable ? { unreadable: now.unreadable } : {}) };
    } catch (error) {
      if (isStackGone(error)) return undefined;
      throw error;
    }
  });
  return read.filter((s): s is StackHandBack => s !== undefined);
}
