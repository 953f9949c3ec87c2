/* eslint-disable @typescript-eslint/no-require-imports -- listr2 loads only when a command shows progress */
/**
 * Live progress for promote and drain: one listr2 task per plan step on stderr, live counts while draining.
 * Silent under --json; plain lines when CI is set or stderr is not a terminal (aws-facts-free, style.md §7).
 * The service reports events; this file only turns them into tasks, so services never know about listr2.
 */
import type { PromoteReporter, StepStatus } from '../services/promote';
import { ACTIVE_JOB_STATUSES, type DrainProgress } from '../services/drain';
import { startHeartbeat } from './heartbeat';

export interface ProgressStep {
  id: string;
  title: string;
}

export interface ProgressMode {
  json: boolean;
  ci: boolean;
}

interface Deferred {
  promise: Promise<string | undefined>;
  resolve(detail: string | undefined): void;
  reject(error: unknown): void;
  output?: (text: string) => void;
  /** The last detail reported before listr2 started the task: shown once it starts. */
  pending?: string;
  skipped?: boolean;
  /** Resolved or rejected: a later report for the same step changes nothing. */
  settled?: boolean;
}

function deferred(): Deferred {
  let resolve!: (detail: string | undefined) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<string | undefined>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => undefined);
  const wait: Deferred = {
    promise,
    resolve: (detail) => {
      wait.settled = true;
      resolve(detail);
    },
    reject: (error) => {
      wait.settled = true;
      reject(error);
    },
  };
  return wait;
}

export function drainLine(p: DrainProgress): string {
  const jobs = ACTIVE_JOB_STATUSES.map((s) => `${s} ${p.jobs[s]}`).join(' · ');
  const phase = {
    executions: 'waiting for executions',
    disabling: 'disabling the queue',
    jobs: 'waiting for jobs',
    drained: 'drained',
  }[p.phase];
  const express = p.express
    ? ` — Express executions may run ${Math.ceil(p.express.remainingMs / 1000)}s more (${p.express.stateMachines.join(', ')})`
    : '';
  return `${phase} — executions still on it: ${p.executions.length}${express} — jobs: ${jobs}`;
}

/**
 * Runs `work` while showing `steps`; resolves or rejects with `work`'s own outcome. `signal` (src/lib/signals.ts)
 * is handed to the work through the reporter: signals are handled there, never by listr2.
 */
export async function withProgress<T>(
  steps: ProgressStep[],
  mode: ProgressMode & { signal?: AbortSignal; heartbeatMs?: number },
  work: (reporter: PromoteReporter) => Promise<T>,
): Promise<T> {
  const { Listr, ListrLogger, ProcessOutput } = require('listr2') as typeof import('listr2');
  const waits = new Map(steps.map((s) => [s.id, deferred()]));
  const drainStep = [...waits.entries()].find(([id]) => id.startsWith('drain:'));
  // In CI or without a terminal, a steady drain still says it is alive at least once a minute; under --json too
  // (on stderr), since a pipeline's "no output" timeout does not care which stream is quiet.
  const heartbeat =
    mode.json || mode.ci || !process.stderr.isTTY
      ? startHeartbeat({
          ...(mode.heartbeatMs ? { intervalMs: mode.heartbeatMs } : {}),
          write: (line) => {
            const output = mode.json ? undefined : drainStep?.[1].output;
            if (output) output(line);
            else process.stderr.write(`${line}\n`);
          },
        })
      : undefined;
  const warnings: string[] = [];
  let lastDrain = '';
  // Steps run in parallel (state machines are repointed four at a time) while the list shows them in order: a
  // failure is shown on the step that reported it, never on the first unfinished one.
  let failedStep: string | undefined;
  const reporter: PromoteReporter = {
    step(id: string, status: StepStatus, detail?: string) {
      const wait = waits.get(id);
      if (!wait) return;
      if (status === 'failed') {
        failedStep ??= id;
        if (!wait.settled) wait.reject(new Error(detail ?? `Step ${id} failed`));
        return;
      }
      if (status === 'running') {
        if (detail) {
          wait.pending = detail;
          wait.output?.(detail);
        }
        return;
      }
      wait.skipped = status === 'skipped';
      wait.resolve(detail);
    },
    drain(progress: DrainProgress) {
      if (drainStep) heartbeat?.update(drainStep[0].slice('drain:'.length), progress);
      const line = drainLine(progress);
      if (line === lastDrain) return;
      lastDrain = line;
      const wait = drainStep?.[1];
      // Kept until listr2 starts the task, as for a step's detail, so the first counts are never lost.
      if (wait) wait.pending = line;
      wait?.output?.(line);
    },
    warn(message: string) {
      warnings.push(message);
    },
    ...(mode.signal ? { signal: mode.signal } : {}),
  };
  // After the task list, so a live renderer never draws over them; on stderr even under --json (stdout is the result).
  const sayWarnings = () => warnings.forEach((w) => process.stderr.write(`Warning: ${w}\n`));
  const logger = new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) });
  const list = new Listr(
    steps.map((step) => ({
      title: step.title,
      task: async (_ctx: unknown, task: { output: string; title: string; skip(message?: string): void }) => {
        const wait = waits.get(step.id) as Deferred;
        wait.output = (text) => {
          task.output = text;
        };
        if (wait.pending) wait.output(wait.pending);
        const detail = await wait.promise;
        if (wait.skipped) task.skip(`${step.title} (${detail ?? 'nothing to do'})`);
        else if (detail) task.title = `${step.title} (${detail})`;
      },
    })),
    {
      concurrent: false,
      exitOnError: true,
      // listr2 would exit 127 on SIGINT without a word; src/lib/signals.ts stops the run at a safe point instead.
      registerSignalListeners: false,
      silentRendererCondition: mode.json,
      fallbackRendererCondition: mode.ci || !process.stderr.isTTY,
      rendererOptions: { logger, collapseSubtasks: false },
      fallbackRendererOptions: { logger },
    },
  );
  const shown = list.run().catch(() => undefined);
  try {
    const result = await work(reporter);
    heartbeat?.stop();
    for (const wait of waits.values()) {
      wait.skipped ??= true;
      wait.resolve('not needed');
    }
    await shown;
    sayWarnings();
    return result;
  } catch (error) {
    heartbeat?.stop();
    for (const [id, wait] of waits) {
      if (wait.settled) continue;
      // With the failed step known, the steps that never ran are just that; otherwise the failure ends them all.
      if (failedStep && id !== failedStep) {
        wait.skipped = true;
        wait.resolve('not run');
      } else wait.reject(error);
    }
    await shown;
    sayWarnings();
    throw error;
  }
}
