import { Args } from '@oclif/core';

import { BaseCommand, exitCodeHelp } from '../base-command';
import type { StatusResult } from '../services/status';

export default class Status extends BaseCommand<typeof Status> {
  static readonly args = {
    spec: Args.string({ description: 'Path of the workload spec YAML file.', required: true }),
  };

  static readonly description = `Read-only. Tells, from the account alone (names, batchctl:* tags, where references point), so it works from any machine: which revision is live (the queue the workload's state machines point at); each revision's queue, with its state and status, the plan that created it, the state machines that name it, its jobs by status and the running executions whose definition names it (executions of Express state machines cannot be listed, Step Functions keeps no history for them: each queue names the Express state machines that reference it instead, \`express\` under --json); whether a swap is half done, and at which phase; the exact commands that finish (batchctl promote <plan>) or reverse (batchctl rollback <plan>) a half-done swap; and the workload lock, if held: by which operation and plan, since when, on which host, and its id (for --force-unlock).

PHASES
  none          one revision, no swap in progress
  built         B is built; references still point at A (promote stopped before the cutover)
  cutting-over  some references point at A, some at B
  draining      references point at B; A is still enabled and not yet drained
  drained       A is drained and disabled, not yet retired (promote --no-retire, or interrupted)
  retiring      A's queue is gone but some of its compute environments remain (retirement interrupted)

Exit code 0 whenever the account could be read.

EXIT CODES
${exitCodeHelp()}`;

  static readonly examples = [
    '<%= config.bin %> <%= command.id %> plans/reproject.yaml',
    '<%= config.bin %> <%= command.id %> plans/reproject.yaml --json',
  ];

  static readonly summary = 'Show the live revision, a half-done swap, in-flight work and the lock.';

  async run(): Promise<StatusResult> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the service and the SDK load only when used
    const { status } = require('../services/status') as typeof import('../services/status');
    const result = await status(await this.awsClients(), this.args.spec);
    if (!this.jsonEnabled()) process.stdout.write(`${render(result)}\n`);
    return result;
  }
}

function render(s: StatusResult): string {
  const lines = [
    `Workload ${s.workload}: ${s.live ? `revision ${s.live.revision.toUpperCase()} (${s.live.queue}) is live` : 'no live revision found'}`,
  ];
  for (const q of s.queues) {
    const jobs = Object.entries(q.jobs)
      .map(([k, v]) => `${k} ${v}`)
      .join(' · ');
    lines.push(
      `  ${q.revision.toUpperCase()} ${q.name}: ${q.state}/${q.status}${q.planId ? `, plan ${q.planId}` : ''}; referenced by ${q.referencedBy.length ? q.referencedBy.join(', ') : 'nothing'}; executions ${q.executions}; jobs ${jobs}`,
    );
    if (q.express.length)
      lines.push(`    executions of Express state machines are not listed (${q.express.join(', ')})`);
  }
  lines.push(`Swap: ${s.swap.description}${s.swap.planId ? ` (plan ${s.swap.planId})` : ''}`);
  for (const command of s.swap.next) lines.push(`  ${command}`);
  if (s.lock)
    lines.push(
      `Lock: held by ${s.lock.operation} of plan ${s.lock.planId} since ${s.lock.startedAt} (${s.lock.holder}, lock ${s.lock.id})`,
    );
  return lines.join('\n');
}
