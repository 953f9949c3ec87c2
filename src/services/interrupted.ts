/**
 * What a swap says when SIGINT/SIGTERM stops it (issue 8, item 4): the step it reached, the state that leaves the
 * account in, and the exact commands that continue or reverse it. The steps' own records (which step ran, which
 * finished, how far the drain got) are the evidence: each step reads AWS before it acts, so re-running continues.
 */
import type { PlanFile } from '../core/plan';
import { BatchctlError } from '../errors';
import { ExitCode } from '../exit-codes';
import type { Interruption } from '../lib/poll';
import type { DrainProgress } from './drain';
import type { StepStatus, SwapReporter } from './swap-steps';
import { counted, verb } from '../lib/plural';

/** Forwards every report and remembers how far the run got. */
export class StepLog implements SwapReporter {
  readonly started: string[] = [];
  readonly finished = new Set<string>();
  drainPhase: DrainProgress['phase'] | undefined;
  warnings = 0;

  constructor(
    private readonly inner: SwapReporter,
    readonly signal?: AbortSignal,
  ) {}

  step(id: string, status: StepStatus, detail?: string): void {
    // A step reported finished without a "running" first (a resumed run's skip) was reached all the same.
    if (!this.started.includes(id)) this.started.push(id);
    if (status === 'done' || status === 'skipped') this.finished.add(id);
    this.inner.step(id, status, detail);
  }

  drain(progress: DrainProgress): void {
    this.drainPhase = progress.phase;
    this.inner.drain(progress);
  }

  warn(message: string): void {
    this.warnings++;
    this.inner.warn(message);
  }

  /** The last step that started and did not finish, else the last one started. */
  reached(): string | undefined {
    return [...this.started].reverse().find((id) => !this.finished.has(id)) ?? this.started.at(-1);
  }

  any(prefixes: string[]): boolean {
    return this.started.some((id) => prefixes.some((p) => id.startsWith(p)));
  }

  count(prefix: string): { started: number; finished: number } {
    const ids = this.started.filter((id) => id.startsWith(prefix));
    return { started: ids.length, finished: ids.filter((id) => this.finished.has(id)).length };
  }
}

const DELETE_STEPS = ['delete-', 'deregister-'];
const BUILD_STEPS = ['create-', 'register-'];

function drainState(queue: string, phase: DrainProgress['phase'] | undefined): string {
  switch (phase) {
    case 'disabling':
      return `${queue} is being disabled (it may already refuse new jobs) and is not drained`;
    case 'jobs':
      return `${queue} is disabled (it takes no new jobs) and still has jobs to wait for`;
    case 'drained':
      return `${queue} is disabled and drained`;
    default:
      return `${queue} is still enabled, not drained`;
  }
}

/** The account's state after a promote (or retire) stopped. */
export function promoteState(plan: PlanFile, log: StepLog): { state: string; canRollBack: boolean } {
  const a = plan.live.queue.name;
  const b = plan.target.jobQueue.name;
  const total = plan.references.filter((r) => r.changes.length).length;
  if (log.any(DELETE_STEPS)) {
    // retire-live deletes A's queue first: once that step started there may be nothing to go back to.
    return {
      state: `B (${b}) is live and every reference points at it; A (${a}) is drained and partly deleted`,
      canRollBack: false,
    };
  }
  if (log.any(['drain:'])) {
    return {
      state: `B (${b}) is built and references point at B; A: ${drainState(a, log.drainPhase)}`,
      canRollBack: true,
    };
  }
  const moved = log.count('repoint-state-machine:');
  if (moved.started) {
    return {
      state: `B (${b}) is built; ${moved.finished} of ${counted(total, 'state machine')} ${verb(moved.finished, 'points', 'point')} at B, the others still at A; A (${a}) is enabled and live`,
      canRollBack: true,
    };
  }
  if (log.any(BUILD_STEPS)) {
    return {
      state: `B (${b}) is partly built and nothing points at it yet; A (${a}) is live and unchanged`,
      canRollBack: true,
    };
  }
  return { state: `nothing was changed; A (${a}) is live`, canRollBack: true };
}

/** The account's state after a rollback stopped. */
export function rollbackState(plan: PlanFile, log: StepLog): { state: string; canPromote: boolean } {
  const a = plan.live.queue.name;
  const b = plan.target.jobQueue.name;
  const total = plan.references.filter((r) => r.changes.length).length;
  if (log.any(DELETE_STEPS)) {
    return {
      state: `A (${a}) is live and every reference points at it; B (${b}) is drained and partly deleted`,
      canPromote: false,
    };
  }
  if (log.any(['drain:'])) {
    return {
      state: `A (${a}) is live and every reference points at it again; B: ${drainState(b, log.drainPhase)}`,
      canPromote: true,
    };
  }
  const moved = log.count('restore-state-machine:');
  if (moved.started) {
    return {
      state: `A (${a}) is enabled; ${moved.finished} of ${counted(total, 'state machine')} ${verb(moved.finished, 'points', 'point')} back at A, the others still at B (${b})`,
      canPromote: true,
    };
  }
  if (log.finished.has('enable-live')) {
    return { state: `A (${a}) is enabled again; references still point where the swap left them`, canPromote: true };
  }
  return {
    state: `nothing was changed by this rollback; A (${a}) may still be disabled and references point where the swap left them`,
    canPromote: true,
  };
}

export interface InterruptedContext {
  interruption: Interruption;
  log: StepLog;
  /** The account's state, in words. */
  state: string;
  /** Whether the workload lock is gone (false when releasing it failed: a warning names the lock); absent: none taken. */
  lockReleased?: boolean;
  /** Commands to continue or reverse, first the one that continues. */
  next: string[];
}

export function interruptedError(context: InterruptedContext): BatchctlError {
  const step = context.log.reached();
  const where = step ? ` during step ${step}` : '';
  const lock =
    context.lockReleased === undefined
      ? ''
      : context.lockReleased
        ? ' The workload lock was released.'
        : ' The workload lock could not be released (see the warning).';
  return new BatchctlError(
    'Interrupted',
    `Stopped by ${context.interruption.signalName}${where}, at a safe point: ${context.state}.${lock}`,
    { exitCode: ExitCode.Interrupted, suggestions: context.next, cause: context.interruption },
  );
}
