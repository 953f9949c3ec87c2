/**
 * The AWS emulator for tests, demos and benchmarks: moto server 5.2.1 plus batchctl's runtime fixes
 * (test/emulator/launcher.py, test/emulator/fixes/). Each call of startEmulator() starts its own server on
 * its own free 127.0.0.1 port, so parallel jest workers never share state.
 *
 *   const emu = await startEmulator();            // strict mode and model validation on
 *   const batch = new BatchClient({ endpoint: emu.endpoint });
 *   ...
 *   await emu.reset();                            // between tests
 *   await emu.stop();                             // always; idempotent
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The fixes patch private moto internals; this is the only version they are written for. */
export const MOTO_VERSION = '5.2.1';

export interface EmulatorOptions {
  /** Enforce the AWS Batch rules that moto skips (see test/emulator/README.md). Default: true. */
  strict?: boolean;
  /** Check every request against the service's botocore model and reject it as AWS would (see test/emulator/README.md). Default: true. */
  validation?: boolean;
  /** Copy the emulator's output (with per-request log lines) to this process's stderr. Default: false, or BATCHCTL_EMULATOR_LOGS=1. */
  logs?: boolean;
  /** How long to wait for the server to answer. Default: 30 000 ms. */
  startTimeoutMs?: number;
}

/**
 * One request that strict mode or model validation rejected. Strict mode's message texts are the emulator's, not AWS's;
 * model validation's read "<service> <ErrorCode>: <the message the client received>".
 */
export interface Violation {
  operation: string;
  message: string;
  /** ISO 8601, UTC. */
  time: string;
}

export interface Emulator {
  /** http://127.0.0.1:PORT; give it to every AWS SDK client as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Deletes every resource and the fixes' own state (sleeping jobs, violations), then re-applies the start configuration, strict mode and model validation included. */
  reset(): Promise<void>;
  /** Switches AWS-rules strict mode at run time. */
  setStrict(on: boolean): Promise<void>;
  /** Switches model validation (every request checked against the service's botocore model) at run time. */
  setValidation(on: boolean): Promise<void>;
  /** Every strict-mode or model-validation rejection since the last reset, oldest first. */
  violations(): Promise<Violation[]>;
  /** Opt-in: CEs and queues report CREATING/UPDATING for `seconds` after a create/update, and DELETING (then DELETED for
   * `deletedSeconds`, default `seconds`) after a delete; 0 = off, the default. */
  setTransitionSeconds(seconds: number, deletedSeconds?: number): Promise<void>;
  /** The last lines the emulator printed (bounded), for error messages. */
  outputTail(): string;
  /** SIGTERM by PID, waits for the exit, SIGKILL after a deadline. Idempotent. */
  stop(): Promise<void>;
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const LAUNCHER = path.join(__dirname, 'launcher.py');
const VENV_DIR = path.join(REPO_ROOT, '.venv-moto');
const PYENV_PYTHON = '/root/.pyenv/versions/3.11.7/bin/python3';
const SERVER_DEPS = 'import moto, flask, flask_cors, antlr4, jsonpath_ng; print(moto.__version__)';
const OUTPUT_LIMIT = 64 * 1024;
const STOP_GRACE_MS = 5_000;
const CONFIG = { batch: { use_docker: false }, stepfunctions: { execute_state_machine: true } };
// Jobs keep the statuses the emulator gives them; moto's state manager never moves them on.
const JOB_TRANSITION = { model_name: 'batch::job', transition: { progression: 'manual', times: 1 } };

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const strict = options.strict ?? true;
  const validation = options.validation ?? true;
  const logs = options.logs ?? process.env.BATCHCTL_EMULATOR_LOGS === '1';
  const python = await findPython();
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const server = new Server(python, port, strict, validation, logs);
    try {
      await server.waitUntilReady(options.startTimeoutMs ?? 30_000);
      await server.configure();
      return server;
    } catch (err) {
      await server.stop();
      lastError = err instanceof Error ? err : new Error(String(err));
      if (!server.outputTail().includes('Address already in use')) break; // only a lost port race is retried
    }
  }
  throw lastError ?? new Error('The emulator did not start.');
}

class Server implements Emulator {
  readonly endpoint: string;
  readonly pid: number;
  private readonly child: ChildProcess;
  private readonly output = new OutputTail(OUTPUT_LIMIT);
  private stopping: Promise<void> | undefined;

  constructor(
    python: string,
    readonly port: number,
    private readonly strict: boolean,
    private readonly validation: boolean,
    logs: boolean,
  ) {
    this.endpoint = `http://127.0.0.1:${port}`;
    const args = [LAUNCHER, '--port', String(port), '--parent-pid', String(process.pid)];
    if (strict) args.push('--strict');
    if (!validation) args.push('--no-validation');
    if (logs) args.push('--verbose');
    this.child = spawn(python, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // MOTO_PORT must be the server's own port: the Step Functions interpreter calls Batch back on it.
      env: { ...process.env, MOTO_PORT: String(port), PYTHONDONTWRITEBYTECODE: '1', PYTHONUNBUFFERED: '1' },
    });
    this.child.on('error', (err) => this.output.push(`spawn error: ${err.message}\n`));
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        this.output.push(chunk); // always drained, so moto never blocks on a full pipe
        if (logs) process.stderr.write(chunk);
      });
    }
    if (this.child.pid === undefined) throw new Error(`Could not start ${python}.`);
    this.pid = this.child.pid;
    liveChildren.add(this.child);
    registerExitHandler();
    // A forgotten emulator never keeps Node alive; the exit handler and the launcher's parent watch end it.
    this.child.unref();
    for (const stream of [this.child.stdout, this.child.stderr]) (stream as unknown as net.Socket | null)?.unref();
  }

  async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exited()) {
        throw new Error(`The emulator exited during start-up (code ${this.child.exitCode}).\n${this.outputTail()}`);
      }
      try {
        if ((await httpRequest(this.port, 'GET', '/moto-api/', undefined, 1_000)).status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `The emulator did not answer on ${this.endpoint} within ${timeoutMs} ms.\n${this.outputTail()}`,
        );
      }
      await sleep(100);
    }
  }

  /** Config first: the Step Functions flag swaps moto's backend, so it must precede any SFN call. */
  async configure(): Promise<void> {
    await this.control('POST', '/moto-api/config', CONFIG);
    await this.control('POST', '/moto-api/state-manager/set-transition', JOB_TRANSITION);
    await this.setStrict(this.strict);
    await this.setValidation(this.validation);
    const info = JSON.parse(await this.control('GET', '/batchctl-emulator/')) as {
      config?: { batch?: { use_docker?: boolean }; stepfunctions?: { execute_state_machine?: boolean } };
    };
    if (info.config?.batch?.use_docker !== false || info.config?.stepfunctions?.execute_state_machine !== true) {
      throw new Error(`The emulator did not take its configuration: ${JSON.stringify(info)}`);
    }
  }

  async reset(): Promise<void> {
    await this.control('POST', '/moto-api/reset');
    await this.configure();
  }

  async setStrict(on: boolean): Promise<void> {
    await this.control('POST', '/batchctl-emulator/strict', { on });
  }

  async setValidation(on: boolean): Promise<void> {
    await this.control('POST', '/batchctl-emulator/validation', { on });
  }

  async violations(): Promise<Violation[]> {
    return JSON.parse(await this.control('GET', '/batchctl-emulator/violations')) as Violation[];
  }

  /**
   * Opt-in lifecycle phases: CREATING/UPDATING last `seconds`; a deletion is DELETING for `seconds`, then DELETED
   * (name and queue-to-CE hold kept) for `deletedSeconds` (default `seconds`). 0 turns them off.
   */
  async setTransitionSeconds(seconds: number, deletedSeconds = seconds): Promise<void> {
    await this.control('POST', '/batchctl-emulator/transitions', { seconds, deletedSeconds });
  }

  outputTail(): string {
    return this.output.text();
  }

  stop(): Promise<void> {
    this.stopping ??= this.terminate();
    return this.stopping;
  }

  private async terminate(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.exited()) resolve();
      else this.child.once('exit', () => resolve());
    });
    if (!this.exited()) {
      signal(this.pid, 'SIGTERM');
      if (!(await within(exited, STOP_GRACE_MS))) {
        signal(this.pid, 'SIGKILL');
        if (!(await within(exited, STOP_GRACE_MS))) {
          throw new Error(`The emulator (pid ${this.pid}) did not exit after SIGKILL.`);
        }
      }
    }
    liveChildren.delete(this.child);
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
  }

  private exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  private async control(method: string, urlPath: string, body?: unknown): Promise<string> {
    const res = await httpRequest(this.port, method, urlPath, body, 10_000);
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${method} ${urlPath} on the emulator answered ${res.status}: ${res.text}\n${this.outputTail()}`);
    }
    return res.text;
  }
}

// --- finding a Python with moto 5.2.1 ----------------------------------------------------------

let pythonSearch: Promise<string> | undefined;

/** The first Python with moto 5.2.1 and its server dependencies; creates <repo>/.venv-moto when there is none. */
export function findPython(): Promise<string> {
  pythonSearch ??= searchPython();
  pythonSearch.catch(() => (pythonSearch = undefined)); // a failed search may be retried
  return pythonSearch;
}

async function searchPython(): Promise<string> {
  const chosen = process.env.BATCHCTL_EMULATOR_PYTHON;
  if (chosen) {
    const found = await motoVersion(chosen);
    if (found === MOTO_VERSION) return chosen;
    throw new Error(
      `BATCHCTL_EMULATOR_PYTHON=${chosen} has ${found ? `moto ${found}` : 'no usable moto'}; the emulator needs moto[server]==${MOTO_VERSION}.`,
    );
  }
  const candidates = ['python3', PYENV_PYTHON, venvPython()];
  for (const candidate of candidates) {
    if ((await motoVersion(candidate)) === MOTO_VERSION) return candidate;
  }
  return createVenv();
}

function venvPython(): string {
  return process.platform === 'win32'
    ? path.join(VENV_DIR, 'Scripts', 'python.exe')
    : path.join(VENV_DIR, 'bin', 'python');
}

async function motoVersion(python: string): Promise<string | undefined> {
  const res = await run(python, ['-c', SERVER_DEPS], 60_000);
  return res.code === 0 ? res.stdout.trim() : undefined;
}

/** python3 -m venv <repo>/.venv-moto && pip install "moto[server]==5.2.1", one process at a time. */
async function createVenv(): Promise<string> {
  const lock = path.join(os.tmpdir(), `batchctl-venv-moto-${Buffer.from(REPO_ROOT).toString('hex').slice(-32)}.lock`);
  await acquireLock(lock, 15 * 60_000);
  try {
    if ((await motoVersion(venvPython())) === MOTO_VERSION) return venvPython(); // another worker made it
    const base = process.env.BATCHCTL_EMULATOR_PYTHON ?? 'python3';
    const steps: Array<[string, string[]]> = [
      [base, ['-m', 'venv', VENV_DIR]],
      [venvPython(), ['-m', 'pip', 'install', '--disable-pip-version-check', `moto[server]==${MOTO_VERSION}`]],
    ];
    for (const [cmd, args] of steps) {
      const res = await run(cmd, args, 15 * 60_000);
      if (res.code !== 0) {
        throw new Error(
          `No Python with moto ${MOTO_VERSION} was found, and "${cmd} ${args.join(' ')}" failed (exit ${res.code}).\n` +
            `${res.stderr.slice(-4000)}\nSet BATCHCTL_EMULATOR_PYTHON to a Python that has moto[server]==${MOTO_VERSION}.`,
        );
      }
    }
    if ((await motoVersion(venvPython())) !== MOTO_VERSION) {
      throw new Error(`${venvPython()} still has no moto ${MOTO_VERSION} after pip install.`);
    }
    return venvPython();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

async function acquireLock(lock: string, staleMs: number): Promise<void> {
  for (;;) {
    try {
      fs.mkdirSync(lock);
      return;
    } catch {
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > staleMs) fs.rmSync(lock, { recursive: true, force: true });
      else await sleep(1_000);
    }
  }
}

// --- process bookkeeping --------------------------------------------------------------------------

const liveChildren = new Set<ChildProcess>();
let exitHandlerRegistered = false;

/** An aborted run (process.exit, uncaught error) still kills every emulator it started. */
function registerExitHandler(): void {
  if (exitHandlerRegistered) return;
  exitHandlerRegistered = true;
  process.on('exit', () => {
    for (const child of liveChildren) if (child.pid !== undefined) signal(child.pid, 'SIGKILL');
  });
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

class OutputTail {
  private text_ = '';
  constructor(private readonly limit: number) {}
  push(chunk: string): void {
    this.text_ += chunk;
    if (this.text_.length > this.limit) this.text_ = this.text_.slice(-this.limit);
  }
  text(): string {
    return this.text_.length > 4_000 ? `...${this.text_.slice(-4_000)}` : this.text_;
  }
}

// --- small helpers -----------------------------------------------------------------------------------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No free port.')),
      );
    });
  });
}

function httpRequest(
  port: number,
  method: string,
  urlPath: string,
  body: unknown,
  timeoutMs: number,
): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method,
        path: urlPath,
        agent: false,
        timeout: timeoutMs,
        headers:
          payload === undefined
            ? {}
            : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    const out = new OutputTail(OUTPUT_LIMIT);
    const err = new OutputTail(OUTPUT_LIMIT);
    child.stdout.setEncoding('utf8').on('data', (c: string) => out.push(c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => err.push(c));
    child.on('error', (e) => resolve({ code: null, stdout: '', stderr: e.message }));
    child.on('close', (code) => resolve({ code, stdout: out.text(), stderr: err.text() }));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True if `promise` settles within `ms`. */
async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
