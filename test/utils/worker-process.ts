import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { compiledEntry } from './compiled-tree';

const ROOT = join(__dirname, '..', '..');
const READY_LINE = 'Worker started';

export interface WorkerProcess {
  pid: number;
  /** Everything the process printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Sends a signal (default SIGTERM). SIGKILL is the crash test: no shutdown hook runs. */
  kill(signal?: NodeJS.Signals): void;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited(): Promise<number | NodeJS.Signals>;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Runs the real worker (apps/worker/src/main.ts) as a child process, for tests that must kill
 * it. It inherits this test run's environment (DATABASE_URL, QUEUE_PREFIX, ...) plus `env`.
 *
 * It runs the run's compiled JavaScript (test/utils/compiled-tree.ts, built once by
 * global-setup), as production runs dist/. NestJS 12's ES modules are require()d natively by
 * Node ≥ 20.19, outside Jest.
 */
export async function startWorkerProcess(
  options: { env?: Record<string, string>; startTimeoutMs?: number } = {},
): Promise<WorkerProcess> {
  const child: ChildProcess = spawn(process.execPath, [compiledEntry('apps/worker/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const exit = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? code ?? 0));
  });

  // Loading the worker on a busy 2-core machine can take a while.
  const startTimeoutMs = options.startTimeoutMs ?? 90000;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Worker did not start within ${startTimeoutMs} ms:\n${output}`));
    }, startTimeoutMs);
    const onData = () => {
      if (output.includes(READY_LINE)) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exit.then((how) => {
      clearTimeout(timer);
      reject(new Error(`Worker exited (${how}) before it started:\n${output}`));
    });
  });

  return {
    pid: child.pid!,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    kill: (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited: () => exit,
    stop: async (graceMs = 10000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}
