import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfigOrExit, say } from './cli-config';
import { migrate } from './migrate';
import { describeSeed, seedDemo } from './seed-demo';
import { NODE_FLAGS } from './node-flags';

/**
 * `npm start`: the whole product on one machine. Prepares the database (create, migrate, seed the
 * demo city on a fresh database), then runs the API and the worker as child processes with the
 * same environment, exactly as they run in production (`start:api`, `start:worker`), so nothing
 * here is a second way of booting them. The worker runs as two processes, `WORKER_ROLE=main` and
 * `WORKER_ROLE=bulk` (announcements' bulk lane, at a lower CPU priority), as in docker compose.
 *
 * Flags: --no-seed skips the demo seed. It is always skipped with NODE_ENV=production: demo
 * accounts share a password published in the README.
 *
 * The npm script `exec`s this file so that a SIGTERM sent to `npm start` reaches this supervisor
 * (a plain `sh -c "a && b"` would die and leave it orphaned); it forwards the signal to both apps.
 */

/** After a stop signal, how long the children get to drain before they are killed. */
const SHUTDOWN_GRACE_MS = 25_000;

type ChildName = 'api' | 'worker' | 'worker-bulk';

interface Child {
  name: ChildName;
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Compiled entry points beside this file in dist/, or the TypeScript sources when run through swc. */
function entryPoint(app: 'api' | 'worker'): { args: string[] } {
  const fromSource = __filename.endsWith('.ts');
  const file = join(__dirname, '..', '..', app, 'src', fromSource ? 'main.ts' : 'main.js');
  if (!existsSync(file)) throw new Error(`${file} is missing; run npm run build first`);
  return { args: [...NODE_FLAGS[app], ...(fromSource ? ['-r', '@swc-node/register', file] : [file])] };
}

function forwardLines(stream: NodeJS.ReadableStream | null, prefix: string, out: NodeJS.WriteStream): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`${prefix} ${line}\n`));
}

function startChild(name: ChildName): Child {
  const { args } = entryPoint(name === 'api' ? 'api' : 'worker');
  const env = name === 'api' ? process.env : { ...process.env, WORKER_ROLE: name === 'worker' ? 'main' : 'bulk' };
  // Own process group: a Ctrl+C in the terminal reaches only this supervisor, which forwards it
  // once, instead of every child receiving it twice.
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const prefix = `[${name}]`.padEnd(13);
  forwardLines(child.stdout, prefix, process.stdout);
  forwardLines(child.stderr, prefix, process.stderr);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (error) => {
      say('start', `${name} could not be started: ${error.message}`);
      resolve({ code: 1, signal: null });
    });
  });
  return { name, process: child, exited };
}

function isRunning(child: Child): boolean {
  return child.process.exitCode === null && child.process.signalCode === null;
}

async function supervise(children: Child[]): Promise<number> {
  let stopping = false;
  let failed = false;
  let killTimer: NodeJS.Timeout | undefined;

  const stopAll = (signal: NodeJS.Signals): void => {
    for (const child of children) if (isRunning(child)) child.process.kill(signal);
    killTimer ??= setTimeout(() => {
      for (const child of children) {
        if (!isRunning(child)) continue;
        say('start', `${child.name} did not stop within ${SHUTDOWN_GRACE_MS / 1000}s; killing it`);
        child.process.kill('SIGKILL');
      }
    }, SHUTDOWN_GRACE_MS).unref();
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      say('start', `${signal} again: killing the children now`);
      for (const child of children) if (isRunning(child)) child.process.kill('SIGKILL');
      return;
    }
    stopping = true;
    say('start', `${signal} received: stopping api and workers`);
    stopAll(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // If this supervisor dies of an unexpected error, it does not leave orphans behind.
  process.on('exit', () => {
    for (const child of children) if (isRunning(child)) child.process.kill('SIGKILL');
  });

  await Promise.all(
    children.map(async (child) => {
      const { code, signal } = await child.exited;
      const how = signal ? `signal ${signal}` : `code ${code}`;
      if (stopping) {
        say('start', `${child.name} stopped (${how})`);
        // A child that stopped on the forwarded signal or with status 0 stopped cleanly.
        if (code !== null && code !== 0) failed = true;
        return;
      }
      // Nobody asked it to stop: whatever the status, the product is no longer whole.
      failed = true;
      stopping = true;
      say('start', `${child.name} exited unexpectedly (${how}); stopping the others`);
      stopAll('SIGTERM');
    }),
  );
  if (killTimer) clearTimeout(killTimer);
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return failed ? 1 : 0;
}

async function main(): Promise<number> {
  const config = loadConfigOrExit();
  const seed = !process.argv.includes('--no-seed') && config.nodeEnv !== 'production';

  await migrate(config.databaseUrl);
  if (seed) say('seed', describeSeed(await seedDemo(config, { onlyIfFresh: true })));

  const children = [startChild('api'), startChild('worker'), startChild('worker-bulk')];
  say('start', `api (pid ${children[0].process.pid}), worker (pid ${children[1].process.pid}) and its bulk lane (pid ${children[2].process.pid}) starting; ${config.publicUrl}/api/docs`);
  return supervise(children);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`[start] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
