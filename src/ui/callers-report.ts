/** The plan report's section on callers besides Step Functions (issue 9): each with before → after. */
import type { PlanFile } from '../core/plan';

/** Lines for the human plan report; none when the plan found no such caller (older plans have no `callers`). */
export function renderCallers(plan: PlanFile): string[] {
  const callers = plan.callers ?? [];
  if (!callers.length) return [];
  const moved = callers.filter((c) => c.repoint).length;
  const out = ['', `Other callers (${moved} to repoint in the cutover, ${callers.length - moved} listed only)`];
  for (const c of callers) {
    const state =
      c.state && c.state !== 'ENABLED' && c.state !== 'RUNNING' ? ` [${c.state}, repointed all the same]` : '';
    const how = c.repoint
      ? ''
      : c.kind === 'lambda'
        ? ' (not changed by batchctl: deploy the function with the new values)'
        : ' (not repointed: callers.parameters.repoint is off)';
    out.push(`  ${c.repoint ? '~' : '!'} ${c.id}${state}${how}`);
    for (const r of c.references) out.push(`      ${r.field}: ${r.before} → ${r.after}`);
    for (const u of c.unreadable) {
      out.push(
        `      ${u.field}: cannot be read statically, ${u.reason}${c.acknowledged ? ' (acknowledged)' : ' (BLOCKER)'}`,
      );
    }
  }
  return out;
}
