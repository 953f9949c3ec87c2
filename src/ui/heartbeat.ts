/**
 * The drain's heartbeat for CI logs (issue 8, item 8): progress lines are printed only when the counts change, and a
 * drain can hold steady for hours, long past a CI system's "no output" timeout. Without a terminal (or with CI set),
 * one line at least once a minute says the run is alive: elapsed time, time left before the drain gives up, and the
 * executions it waits for, by name.
 */
import { counted } from '../lib/plural';
import { ACTIVE_JOB_STATUSES, type DrainProgress } from '../services/drain';

/** At most this long between two heartbeat lines. */
export const HEARTBEAT_MS = 60_000;
/** Executions named in one line; the rest are counted. */
export const HEARTBEAT_NAMES = 5;

/** `1h 02m`, `4m 05s`, `12s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/**
 * An execution's name from its ARN (`arn:…:execution:<state machine>:<name>`), as `<state machine>/<name>`: the
 * name alone is unique only within its state machine.
 */
export function executionName(arn: string): string {
  const parts = arn.split(':');
  const at = parts.indexOf('execution');
  return at >= 0 && parts.length >= at + 3 ? `${parts[at + 1]}/${parts.slice(at + 2).join(':')}` : arn;
}

export function heartbeatLine(queue: string, p: DrainProgress, now: number): string {
  const elapsed = p.startedAt === undefined ? '' : `${formatDuration(now - p.startedAt)} elapsed`;
  const left = p.deadline === undefined ? '' : `${formatDuration(p.deadline - now)} left before the drain timeout`;
  const time = [elapsed, left].filter(Boolean).join(', ');
  const names = p.executions.slice(0, HEARTBEAT_NAMES).map(executionName);
  const more = p.executions.length - names.length;
  const executions = p.executions.length
    ? `waiting for ${counted(p.executions.length, 'execution')}: ${names.join(', ')}${more > 0 ? ` +${more} more` : ''}`
    : 'no execution in flight';
  const jobs = ACTIVE_JOB_STATUSES.map((s) => `${s} ${p.jobs[s]}`).join(' · ');
  return `still draining ${queue}${time ? ` (${time})` : ''} — ${executions} — jobs: ${jobs}`;
}

export interface Heartbeat {
  /** The latest drain progress of `queue`; the next beat describes it. */
  update(queue: string, progress: DrainProgress): void;
  stop(): void;
}

/** Beats every `intervalMs` while a drain is in progress (after its first report, until it reports "drained"). */
export function startHeartbeat(options: {
  write: (line: string) => void;
  intervalMs?: number;
  now?: () => number;
}): Heartbeat {
  const now = options.now ?? Date.now;
  let current: { queue: string; progress: DrainProgress } | undefined;
  const timer = setInterval(() => {
    if (current && current.progress.phase !== 'drained') {
      options.write(heartbeatLine(current.queue, current.progress, now()));
    }
  }, options.intervalMs ?? HEARTBEAT_MS);
  // Never what keeps the process alive.
  timer.unref();
  return {
    update(queue, progress) {
      current = { queue, progress };
    },
    stop() {
      clearInterval(timer);
    },
  };
}
