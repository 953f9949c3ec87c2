/**
 * Callers besides Step Functions as the plan records them (issue 9), and the findings they raise. Pure.
 *
 * Each entry keeps what plan saw (`original`, the exact request that restores it) and what promote sends
 * (`repointed`), so promote can refuse a caller changed since the plan and rollback can put it back exactly.
 */
import { digestOf } from './digest';
import type { Finding } from './plan';
import type { CallerKind, CallerReference, UnreadableValue } from './references/callers';

export interface CallerEntry {
  kind: CallerKind;
  /** `rule:<bus>/<rule>#<target id>`, `schedule:<group>/<name>`, `pipe:<name>`, `lambda:<name>`, `parameter:<name>`. */
  id: string;
  name: string;
  arn?: string;
  /** Rules and schedules: ENABLED or DISABLED. A disabled one is repointed too (it may be enabled later). */
  state?: string;
  references: CallerReference[];
  unreadable: UnreadableValue[];
  /** Whether promote repoints it: rules, schedules and pipes always; parameters when the spec opts in; Lambda never. */
  repoint: boolean;
  /** Its blockers were accepted in the spec (callers.acknowledge). */
  acknowledged: boolean;
  /** The request that restores what plan saw (PutTargets target, UpdateSchedule/UpdatePipe input, parameter value). */
  original?: unknown;
  /** The request promote sends. */
  repointed?: unknown;
  /** Digest of `original`: promote re-reads the caller and refuses to overwrite a change made since the plan. */
  digest?: string;
}

export const CALLER_ENTRY_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['kind', 'id', 'name', 'references', 'unreadable', 'repoint', 'acknowledged'],
    properties: {
      kind: { enum: ['rule', 'schedule', 'pipe', 'lambda', 'parameter'] },
      id: { type: 'string' },
      name: { type: 'string' },
      references: { type: 'array' },
      unreadable: { type: 'array' },
      repoint: { type: 'boolean' },
      acknowledged: { type: 'boolean' },
    },
  },
} as const;

/** The digest promote compares against: of the canonical JSON of the original request. */
export function callerDigest(original: unknown): string {
  return digestOf(original ?? null);
}

const KIND_WORDS: Record<CallerKind, string> = {
  rule: 'EventBridge rule target',
  schedule: 'Scheduler schedule',
  pipe: 'EventBridge pipe',
  lambda: 'Lambda function',
  parameter: 'SSM parameter',
};

/** One line per reference: `field: before → after`. */
export function describeReferences(entry: CallerEntry): string {
  return entry.references.map((r) => `${r.field}: ${r.before} → ${r.after}`).join('; ');
}

/**
 * Blockers and warnings. A blocker unless acknowledged (callers.acknowledge names the id): a value batchctl cannot
 * read statically, a Lambda environment that names A (changing a function's configuration is a deploy, not
 * batchctl's to make), a parameter that names A while the spec does not let promote repoint parameters. Every
 * caller that promote repoints is a warning-free listing (the plan shows it); an acknowledged blocker is a warning.
 */
export function callerFindings(entries: readonly CallerEntry[]): { warnings: Finding[]; blockers: Finding[] } {
  const warnings: Finding[] = [];
  const blockers: Finding[] = [];
  const raise = (entry: CallerEntry, code: string, message: string): void => {
    const ack = ` To accept it, add "${entry.id}" to callers.acknowledge in the spec.`;
    if (entry.acknowledged) warnings.push({ code, resource: entry.id, message });
    else blockers.push({ code, resource: entry.id, message: message + ack });
  };
  for (const entry of entries) {
    const what = `${KIND_WORDS[entry.kind]} ${entry.name}`;
    for (const u of entry.unreadable) {
      raise(
        entry,
        'CallerUnreadable',
        `${what}: ${u.field} cannot be read statically (${u.reason}); after the swap it may still submit to A.`,
      );
    }
    if (!entry.references.length) continue;
    if (entry.kind === 'lambda') {
      raise(
        entry,
        'LambdaReference',
        `${what} names the live workload in its environment (${describeReferences(entry)}); batchctl does not change a function's configuration: deploy it with B's values before A is retired.`,
      );
    } else if (entry.kind === 'parameter' && !entry.repoint) {
      raise(
        entry,
        'ParameterReference',
        `${what} holds the live workload (${describeReferences(entry)}); set callers.parameters.repoint: true to let promote rewrite it, or update it yourself before A is retired.`,
      );
    }
  }
  return { warnings, blockers };
}
