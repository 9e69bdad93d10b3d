import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import Redis from 'ioredis';
import { compiledEntry } from '../utils/compiled-tree';

const ROOT = join(__dirname, '..', '..');

jest.setTimeout(180_000);

/**
 * `npm start` (apps/cli/src/start.ts, compiled as the config test runs it, starting the compiled
 * API and worker beside it as `npm start` starts dist/'s): SIGTERM stops the
 * API and the worker and it exits 0; if one child dies, it stops the other and exits non-zero.
 * In a database and queue prefix of this suite's own, so its worker takes nobody's jobs.
 */
describe('npm start supervises the API and the worker', () => {
  const db = new URL(process.env.DATABASE_URL!);
  db.pathname = `${db.pathname}_start_${randomBytes(3).toString('hex')}`;
  const queuePrefix = `${process.env.QUEUE_PREFIX}_start`;

  // The database goes with the run's (global-teardown).
  afterAll(async () => {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  });

  const freePort = () =>
    new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });

  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  interface Started {
    supervisor: ChildProcess;
    api: number;
    worker: number;
    bulkWorker: number;
    output: () => string;
    exited: Promise<number | null>;
  }

  /** Starts the supervisor and resolves once the API answers and the worker said it started. */
  async function start(): Promise<Started> {
    const port = await freePort();
    const supervisor = spawn(process.execPath, [compiledEntry('apps/cli/src/start.ts'), '--no-seed'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.toString(), QUEUE_PREFIX: queuePrefix, PORT: String(port), SMTP_URL: 'smtp://127.0.0.1:1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    supervisor.stdout!.setEncoding('utf8').on('data', (c: string) => (output += c));
    supervisor.stderr!.setEncoding('utf8').on('data', (c: string) => (output += c));
    const exited = new Promise<number | null>((resolve) => supervisor.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 150_000;
    for (;;) {
      const pids = /api \(pid (\d+)\), worker \(pid (\d+)\) and its bulk lane \(pid (\d+)\) starting/.exec(output);
      const apiUp = pids ? await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false) : false;
      if (pids && apiUp && /\[worker\]\s+Worker started \(main\)/.test(output) && /\[worker-bulk\]\s+Worker started \(bulk\)/.test(output)) {
        return { supervisor, api: Number(pids[1]), worker: Number(pids[2]), bulkWorker: Number(pids[3]), output: () => output, exited };
      }
      if (supervisor.exitCode !== null || Date.now() > deadline) {
        supervisor.kill('SIGKILL');
        throw new Error(`npm start did not come up:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('stops both children on SIGTERM and exits 0', async () => {
    const s = await start();
    s.supervisor.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect([alive(s.api), alive(s.worker), alive(s.bulkWorker)]).toEqual([false, false, false]);
    expect(s.output()).toContain('SIGTERM received: stopping api and worker');
  });

  it('stops the API and exits non-zero when the worker dies', async () => {
    const s = await start();
    process.kill(s.worker, 'SIGKILL');
    expect(await s.exited).toBe(1);
    expect([alive(s.api), alive(s.bulkWorker)]).toEqual([false, false]);
    expect(s.output()).toContain('worker exited unexpectedly (signal SIGKILL); stopping the others');
  });
});
