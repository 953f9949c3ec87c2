/**
 * What `status` tells the user to run next, and whether the lock's holder still runs. Pure: no I/O.
 *
 * A command is suggested only when it would work as written: with a plan file only when status was given one and it
 * is the plan of the swap; without one, a re-plan only while no reference has moved (the plan id is a digest of the
 * spec and of A's resources, core/plan-diff.ts derivePlanId, so the unchanged spec plans the same swap again; once
 * references name B, A's job definitions are no longer found from them and the id differs); `--yes` where no
 * terminal can answer promote's confirmation; never `promote` while a live run holds the lock.
 */
import type { LockOperation } from './lock-key';
import type { SwapPhase } from './swap-phase';

/**
 * A lock taken on another host cannot be checked: it is presumed dead once older than this. A promote with the
 * default timeouts (6 h drain, 20 min per resource wait) ends well within it; a run given a longer --drain-timeout
 * can be older and alive, which is why the suggestion says "presumed".
 */
export const PRESUMED_DEAD_AFTER_MS = 24 * 60 * 60 * 1000;

export type HolderState = 'running' | 'dead' | 'presumed-dead' | 'unknown';

export interface HolderCheck {
  state: HolderState;
  reason: string;
}

/**
 * On the lock's own host a process check is exact (`pidRunning`: signal 0 to the pid; a recycled pid reads as
 * running, the safe side). Elsewhere only the lock's age speaks.
 */
export function checkHolder(
  lock: { host: string; pid: number; startedAt: string },
  here: { host: string; now: number; pidRunning?: boolean },
): HolderCheck {
  if (lock.host && lock.host === here.host && lock.pid > 0 && here.pidRunning !== undefined) {
    return here.pidRunning
      ? { state: 'running', reason: `process ${lock.pid} runs on this host` }
      : { state: 'dead', reason: `process ${lock.pid} no longer runs on this host (${lock.host})` };
  }
  const started = Date.parse(lock.startedAt);
  if (Number.isNaN(started)) {
    return { state: 'unknown', reason: 'the lock does not say when it was taken' };
  }
  const hours = Math.floor((here.now - started) / 3_600_000);
  if (here.now - started > PRESUMED_DEAD_AFTER_MS) {
    return {
      state: 'presumed-dead',
      reason: `taken ${hours} hours ago on another host (${lock.host || 'unknown'}); no run with the default timeouts lasts that long`,
    };
  }
  return {
    state: 'unknown',
    reason: `taken on another host (${lock.host || 'unknown'}), which this machine cannot check`,
  };
}

export interface HintInput {
  phase: SwapPhase;
  specPath: string;
  /** `<spec dir>/<spec basename>.plan.json`: where the re-plan writes. */
  replanPath: string;
  /** The plan of the swap in progress (the incoming revision's `batchctl:plan` tag). */
  swapPlanId?: string;
  /** The plan file status was given, and its id. */
  planFile?: { path: string; id: string };
  lock?: { id: string; planId: string; operation: LockOperation | ''; holder: HolderCheck };
  /** No terminal can answer a confirmation (no TTY on stdin, or CI set): suggested swap commands carry --yes. */
  noTerminal: boolean;
  /**
   * The `${var.NAME}` variables the spec uses (SHARED-DECISIONS): a re-plan reproduces the swap's plan only with
   * the values it was made with, which status cannot know, so the suggestion says so.
   */
  specVariables?: string[];
}

/** Phases in which no reference has moved yet: a re-plan of the unchanged spec reproduces the swap's plan. */
const REPLANNABLE: ReadonlySet<SwapPhase> = new Set(['building', 'built']);

function usablePlanFile(input: HintInput, planId: string | undefined): string | undefined {
  return input.planFile && planId && input.planFile.id === planId ? input.planFile.path : undefined;
}

/** `batchctl <command> <plan file>` as it must be typed, or the re-plan that produces that file first. */
function commandLine(
  input: HintInput,
  command: string,
  planId: string | undefined,
  extra: string[],
): string | undefined {
  const flags = [...extra, ...(input.noTerminal ? ['--yes'] : [])].join(' ');
  const tail = flags ? ` ${flags}` : '';
  const file = usablePlanFile(input, planId);
  if (file) return `batchctl ${command} ${file}${tail}`;
  if (REPLANNABLE.has(input.phase)) {
    return `batchctl plan ${input.specPath} --out ${input.replanPath} && batchctl ${command} ${input.replanPath}${tail}`;
  }
  return undefined;
}

/** Said when no command can be written out: the swap's own plan file is the only way on. */
function planFileNeeded(input: HintInput, planId: string | undefined): string {
  const which = planId ? `plan ${planId}` : 'the swap';
  const given =
    input.planFile && input.planFile.id !== planId
      ? ` (${input.planFile.path} is plan ${input.planFile.id}, not ${which})`
      : '';
  return `references have moved, so only the plan file of ${which} finishes or reverses it${given}; run \`batchctl status ${input.specPath}\` again with --plan and that file to check it and print the exact commands`;
}

/** What a re-plan needs besides the spec, said after the command's comment; empty when it needs nothing. */
function replanNote(input: HintInput, line: string): string {
  const names = input.specVariables ?? [];
  if (!names.length || !line.startsWith('batchctl plan ')) return '';
  const each = names.map((n) => `--var ${n}=… or BATCHCTL_VAR_${n}`).join(', ');
  return ` (with the values the swap's plan was made with: ${each})`;
}

/** The commands that finish or reverse the swap, or (lock held by a live run) how to follow it. */
export function nextCommands(input: HintInput): string[] {
  const { lock } = input;
  if (lock && (lock.holder.state === 'running' || lock.holder.state === 'unknown')) {
    return [`batchctl status ${input.specPath} --watch   # follow the ${lock.operation || 'swap'} until it ends`];
  }
  if (lock && input.phase === 'none') {
    return [
      `nothing is half done; the dead run's lock is left over: the next promote or rollback of this workload passes --force-unlock ${lock.id}`,
    ];
  }
  if (lock) {
    const operation = lock.operation || 'promote';
    const line = commandLine(input, operation, lock.planId, [`--force-unlock ${lock.id}`]);
    return [
      line
        ? `${line}   # break the dead run's lock and finish its ${operation}${replanNote(input, line)}`
        : `${planFileNeeded(input, lock.planId)}; add --force-unlock ${lock.id}${input.noTerminal ? ' --yes' : ''} to break the dead run's lock`,
    ];
  }
  if (input.phase === 'none') return [];
  const finish = commandLine(input, 'promote', input.swapPlanId, []);
  // Once A's queue is gone there is nothing to go back to: rollback would only explain that.
  const reverse = input.phase === 'retiring' ? undefined : commandLine(input, 'rollback', input.swapPlanId, []);
  if (!finish) return [planFileNeeded(input, input.swapPlanId)];
  return [
    `${finish}   # finish the swap${replanNote(input, finish)}`,
    ...(reverse ? [`${reverse}  # go back to the previous revision${replanNote(input, reverse)}`] : []),
  ];
}

/** `a promote is in progress (lock held by host pid 42 since …)`. */
export function lockSentence(lock: { operation: string; holder: string; startedAt: string }): string {
  return `a ${lock.operation || 'swap'} is in progress (lock held by ${lock.holder} since ${lock.startedAt})`;
}
