import { Flags } from '@oclif/core';

import { STEP_CHANGE } from '../core/change-counts';
import type { PlanFile } from '../core/plan';
import { counted } from '../lib/plural';
import type { PromoteResult } from '../services/promote';
import Promote from './promote';

/**
 * Finishes a swap that `promote --no-retire` stopped after the drain. It is promote itself: every finished step is
 * recognised and skipped, the drain is re-checked (A may have taken work since), and A is deleted.
 */
export default class Retire extends Promote {
  static readonly description = `Finishes a swap that \`batchctl promote --no-retire\` left drained: re-checks the plan against the account, confirms A is still drained, then deletes A's queue, compute environments, launch templates and replaced job definition revisions. Equivalent to running promote again without --no-retire. SIGINT/SIGTERM stop it at a safe point as for promote (exit 10).

${Promote.description.slice(Promote.description.indexOf('EXIT CODES'))}`;

  static readonly examples = ['<%= config.bin %> <%= command.id %> plans/reproject.plan.json --yes'];

  // retire always deletes A; the inherited switch is kept (hidden) only so the flag types line up.
  static readonly flags = { ...Promote.flags, retire: Flags.boolean({ allowNo: true, default: true, hidden: true }) };

  static readonly summary = 'Delete revision A after a promote --no-retire.';

  protected retireA(): boolean {
    return true;
  }

  protected question(plan: PlanFile): string {
    const deletes = plan.steps.filter((s) => STEP_CHANGE[s.action].change === 'delete').length;
    return `Retire revision ${plan.live.label.toUpperCase()} of ${plan.workload} (plan ${plan.id}): delete ${counted(deletes, 'resource')}, job queue ${plan.live.queue.name} first?`;
  }

  protected summaryLine(summaries: typeof import('../ui/summaries'), result: PromoteResult, plan: PlanFile): string {
    return summaries.retireSummary(result, plan);
  }
}
