/**
 * `npm run faults`: the whole fault-injection matrix. For every AWS call position of a clean promote and of a
 * clean rollback, inject each fault kind in turn (throttling, 5xx, a non-retryable error, SIGKILL), recover as a
 * user would, and check the invariants. Prints the matrix (markdown) and exits 1 if any case failed.
 * Options: --operation promote|rollback|both (default both), --kinds throttle,server-error,fatal,kill, --every N.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startEmulator } from '../test/emulator';
import {
  cleanRunCalls,
  positionsOf,
  renderMatrix,
  runCase,
  type CaseResult,
  type Operation,
} from '../test/support/fault-matrix';
import { FAULT_KINDS, startFaultProxy, type FaultKind } from '../test/support/fault-proxy';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The emulator's fake identity; nothing here may reach a real account.
Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
});

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<number> {
  const which = option('operation') ?? 'both';
  const operations: Operation[] = which === 'both' ? ['promote', 'rollback'] : [which as Operation];
  const kinds = (option('kinds')?.split(',') as FaultKind[] | undefined) ?? FAULT_KINDS;
  const every = Number(option('every') ?? '1');
  const emulator = await startEmulator();
  const proxy = await startFaultProxy(emulator.endpoint);
  const ctx = { emulator, proxy, dir: mkdtempSync(join(tmpdir(), 'batchctl-faults-')) };
  const started = Date.now();
  const results: CaseResult[] = [];
  try {
    for (const operation of operations) {
      const calls = await cleanRunCalls(ctx, operation);
      process.stderr.write(`${operation}: a clean run makes ${calls.length} AWS calls\n`);
      for (const at of positionsOf(calls).filter((p) => (p.position - 1) % every === 0)) {
        for (const kind of kinds) {
          const result = await runCase(ctx, operation, at, kind);
          results.push(result);
          process.stderr.write(
            `${result.passed ? 'pass' : 'FAIL'} ${operation} #${at.position} ${at.call} (call ${at.occurrence}) ${kind}${result.passed ? '' : `: ${result.detail}`}\n`,
          );
        }
      }
    }
  } finally {
    await proxy.close();
    await emulator.stop();
  }
  process.stdout.write(
    `${renderMatrix(results, kinds)}\nmatrix size: ${results.length} cases in ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
  return results.every((r) => r.passed) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  },
);
