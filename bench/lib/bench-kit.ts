import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon: (opts: Record<string, unknown>) => Promise<AutocannonResult> = require('autocannon');

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU time the measured server process spent per request (ms), when measured (see withCpu). */
  cpuMsPerRequest?: number;
  /** CPU time of the database's PostgreSQL backends per request (ms), when withCpu is given the database. */
  dbCpuMsPerRequest?: number;
  /** CPU time of this process (the load generator) per request (ms), when measured. */
  loadCpuMsPerRequest?: number;
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user + system) a process has used so far, in ms; 0 once it is gone. */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** A PostgreSQL connection to the benchmark's database (pg's Client or Pool). */
export interface Queryable {
  query(sql: string): Promise<{ rows: unknown[] }>;
}

/** CPU time so far of every PostgreSQL backend on the database `db` is connected to, by pid. */
export async function databaseBackendsCpuMs(db: Queryable): Promise<Map<number, number>> {
  const rows = (await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)).rows as Array<{ pid: number }>;
  return new Map(rows.map((r) => [r.pid, cpuMs(r.pid)]));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface Service {
  name: string;
  url: string;
  child: ChildProcess;
  /** Resident set size of the process now, in MB (from /proc). */
  rssMb(): number;
  /** CPU time (user + system) the process has used so far, in seconds (from /proc). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Starts a node script as a separate process and waits until `readyPath` answers 200. */
export async function startService(
  name: string,
  script: string,
  env: Record<string, string>,
  readyPath = '/health',
  nodeFlags: readonly string[] = [],
): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeFlags, script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready`);
    try {
      const res = await fetch(url + readyPath);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} not ready within 60 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    url,
    child,
    rssMb: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      return kb / 1024;
    },
    cpuSeconds: () => {
      // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), in clock ticks (100 per second).
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

export interface LoadSpec {
  url: string;
  connections: number;
  durationSeconds: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A new path per request (random bboxes, points). */
  path?: () => string;
  /** A new body per request (random points), instead of `body`. */
  bodyFn?: () => string;
}

/**
 * A load run that also records the server's CPU time per request, the load generator's (this
 * process), and, given the database, its PostgreSQL backends' (backends that connect during the
 * run count from zero).
 */
export function withCpu(service: Service, run: () => Promise<LoadResult>, durationSeconds: number, db?: Queryable): () => Promise<LoadResult> {
  return async () => {
    const before = service.cpuSeconds();
    const dbBefore = db ? await databaseBackendsCpuMs(db) : undefined;
    const loadBefore = process.cpuUsage();
    const result = await run();
    const load = process.cpuUsage(loadBefore);
    const requests = result.rps * durationSeconds;
    if (requests <= 0) return result;
    let dbMs: number | undefined;
    if (db && dbBefore) {
      dbMs = 0;
      for (const [pid, ms] of await databaseBackendsCpuMs(db)) dbMs += ms - (dbBefore.get(pid) ?? 0);
    }
    return {
      ...result,
      cpuMsPerRequest: ((service.cpuSeconds() - before) * 1000) / requests,
      loadCpuMsPerRequest: (load.user + load.system) / 1000 / requests,
      dbCpuMsPerRequest: dbMs === undefined ? undefined : dbMs / requests,
    };
  };
}

/** One bounded autocannon run. */
export async function load(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.durationSeconds,
    method: spec.method ?? 'GET',
    headers: spec.headers,
    body: spec.body,
    requests:
      spec.path || spec.bodyFn
        ? [
            {
              setupRequest: (req: Record<string, unknown>) => ({
                ...req,
                ...(spec.path ? { path: spec.path() } : {}),
                ...(spec.bodyFn ? { body: spec.bodyFn() } : {}),
              }),
            },
          ]
        : undefined,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs the product's and the baseline's load in turn, `runs` times each (A B A B …), and keeps
 * the median of each field per side: on a shared machine a burst of other work then falls on
 * both sides rather than on all the runs of one.
 */
export async function interleavedMedians(
  runs: number,
  product: () => Promise<LoadResult>,
  baseline: () => Promise<LoadResult>,
): Promise<{ product: LoadResult & { runs: LoadResult[] }; baseline: LoadResult & { runs: LoadResult[] } }> {
  const a: LoadResult[] = [];
  const b: LoadResult[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(await product());
    b.push(await baseline());
  }
  return { product: summarise(a), baseline: summarise(b) };
}

function medianOf(all: LoadResult[], field: (r: LoadResult) => number | undefined): number | undefined {
  const values = all.map(field);
  return values.every((v) => v !== undefined) ? median(values as number[]) : undefined;
}

/** The median of each field over several runs (errors summed). */
export function summarise(all: LoadResult[]): LoadResult & { runs: LoadResult[] } {
  return {
    rps: median(all.map((r) => r.rps)),
    p50: median(all.map((r) => r.p50)),
    p99: median(all.map((r) => r.p99)),
    non2xx: all.reduce((n, r) => n + r.non2xx, 0),
    errors: all.reduce((n, r) => n + r.errors, 0),
    cpuMsPerRequest: medianOf(all, (r) => r.cpuMsPerRequest),
    dbCpuMsPerRequest: medianOf(all, (r) => r.dbCpuMsPerRequest),
    loadCpuMsPerRequest: medianOf(all, (r) => r.loadCpuMsPerRequest),
    runs: all,
  };
}


export function fmt(n: number, digits = 1): string {
  return n.toFixed(digits);
}
