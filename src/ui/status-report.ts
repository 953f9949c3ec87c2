/** The human form of `status`: one line per revision, the swap, the lock, the commands. Pure text. */
import type { QueueStatus, StatusResult } from '../services/status';
import { renderHandBack } from './handback';

function references(q: QueueStatus): string {
  const routes = q.routedBy.map(
    (r) => `alias ${r.stateMachine}:${r.alias} (${r.weight}% to version ${r.version.split(':').pop() ?? ''})`,
  );
  const all = [...q.referencedBy, ...routes];
  return all.length ? all.join(', ') : 'nothing';
}

export function renderStatus(s: StatusResult): string {
  const lines = [
    `Workload ${s.workload}: ${s.live ? `revision ${s.live.revision.toUpperCase()} (${s.live.queue}) is live` : 'no live revision found'}`,
  ];
  for (const r of s.revisions) {
    const q = s.queues.find((x) => x.revision === r.revision);
    const plan = r.planId ? `, plan ${r.planId}` : '';
    if (q) {
      const jobs = Object.entries(q.jobs)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ');
      lines.push(
        `  ${q.revision.toUpperCase()} ${q.name}: ${q.state}/${q.status}${plan}; referenced by ${references(q)}; executions ${q.executions}; jobs ${jobs}`,
      );
      if (q.express.length) {
        lines.push(`    executions of Express state machines are not listed (${q.express.join(', ')})`);
      }
    } else {
      const parts = [
        ...(r.computeEnvironments.length ? [`compute environments ${r.computeEnvironments.join(', ')}`] : []),
        ...(r.launchTemplates.length ? [`launch templates ${r.launchTemplates.join(', ')}`] : []),
      ];
      lines.push(`  ${r.revision.toUpperCase()} (no queue)${plan}: ${parts.join('; ')}`);
    }
  }
  lines.push(`Swap: ${s.swap.description}${s.swap.planId ? ` (plan ${s.swap.planId})` : ''}`);
  if (s.lock) {
    lines.push(`Lock: ${s.lock.summary}; lock ${s.lock.id}, plan ${s.lock.planId}`);
    const holder: Record<typeof s.lock.holderState, string> = {
      running: 'that run is alive',
      dead: 'that run is dead',
      'presumed-dead': 'that run is presumed dead',
      unknown: 'whether that run is alive cannot be checked from here',
    };
    lines.push(`  ${holder[s.lock.holderState]}: ${s.lock.holderReason}`);
  }
  for (const command of s.swap.next) lines.push(`  ${command}`);
  for (const warning of s.warnings) lines.push(`Warning: ${warning}`);
  if (s.handBack?.length) {
    lines.push(
      "Hand-back: these CloudFormation templates still name the previous revision; change them or the stack's next deploy puts it back",
      ...renderHandBack(s.handBack),
    );
  }
  return lines.join('\n');
}
