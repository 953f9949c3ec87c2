import { Args } from '@oclif/core';

import { BaseCommand, exitCodeHelp } from '../base-command';
import type { StatusResult } from '../services/status';

export default class Status extends BaseCommand<typeof Status> {
  static readonly args = {
    spec: Args.string({ description: 'Path of the workload spec YAML file.', required: true }),
  };

  static readonly description = `Read-only. Says which revision of the workload is live (the queue its state machines point at), whether a swap is half done and at which step, what is in flight on each revision (jobs by status, running executions that can reach it), who holds the workload lock, and the exact commands that finish or reverse a half-done swap. Once the swap is done, it repeats the plan's hand-back for every CloudFormation stack whose template still names the previous revision.

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
  if (s.handBack?.length) {
    lines.push(
      "Hand-back: these CloudFormation templates still name the previous revision; change them or the stack's next deploy puts it back",
    );
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when there is a hand-back to show
    const { renderHandBack } = require('../ui/handback') as typeof import('../ui/handback');
    lines.push(...renderHandBack(s.handBack));
  }
  return lines.join('\n');
}
