import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { compiledEntry } from '../utils/compiled-tree';

const ROOT = join(__dirname, '..', '..');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs an entry point compiled (the run's build, as a deployment runs dist/), with env overrides. */
function run(entry: string, env: Record<string, string | undefined>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [compiledEntry(entry)], {
      cwd: ROOT,
      // The run's cheap password hashing is refused outside NODE_ENV=test; these runs are not tests.
      env: { ...process.env, PASSWORD_HASH_MEMORY_KIB: undefined, PASSWORD_HASH_PASSES: undefined, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Never left running: a process that did not refuse to start is a failure anyway.
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function expectRefusal(outcome: Outcome, reason: string): void {
  expect(outcome.stderr.trim().split('\n')).toEqual([`Configuration error: ${reason}`]);
  expect(outcome.stdout).toBe('');
  expect(outcome.code).toBe(1);
}

describe('configuration is validated at start', () => {
  it('the API refuses a malformed PORT with a one-line reason and status 1', async () => {
    const outcome = await run('apps/api/src/main.ts', { PORT: 'abc' });
    expectRefusal(outcome, 'PORT must be an integer between 0 and 65535, got "abc"');
  });

  it('the API refuses the default JWT secret in production', async () => {
    const outcome = await run('apps/api/src/main.ts', { NODE_ENV: 'production', JWT_SECRET: undefined });
    expectRefusal(outcome, 'JWT_SECRET must be set to a secret of your own when NODE_ENV=production');
  });

  it('the worker refuses the default JWT secret in production', async () => {
    const outcome = await run('apps/worker/src/main.ts', { NODE_ENV: 'production', JWT_SECRET: undefined });
    expectRefusal(outcome, 'JWT_SECRET must be set to a secret of your own when NODE_ENV=production');
  });

  it('the demo seed refuses NODE_ENV=production, before creating its database', async () => {
    const url = new URL(process.env.DATABASE_URL!);
    const name = `${url.pathname.slice(1)}_seed_refused_${randomBytes(3).toString('hex')}`;
    url.pathname = `/${name}`;
    const outcome = await run('apps/cli/src/seed-demo.ts', { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex'), DATABASE_URL: url.toString() });
    expect(outcome.stderr.trim().split('\n')).toEqual(['[seed] refusing to create demo accounts with NODE_ENV=production']);
    expect(outcome.code).toBe(1);
    const admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      expect(rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });

  it('the worker refuses a DATABASE_URL that is not PostgreSQL', async () => {
    const outcome = await run('apps/worker/src/main.ts', { DATABASE_URL: 'mysql://127.0.0.1/civic' });
    expectRefusal(outcome, 'DATABASE_URL must use postgres or postgresql, got "mysql:"');
  });

  it('npm start refuses before touching the database', async () => {
    const outcome = await run('apps/cli/src/start.ts', { REDIS_URL: 'not a url' });
    expectRefusal(outcome, 'REDIS_URL is not a valid URL: "not a url"');
  });

  it('the migrator refuses an ADMIN_EMAIL without ADMIN_PASSWORD', async () => {
    const outcome = await run('apps/cli/src/migrate.ts', { ADMIN_EMAIL: 'someone@example.org', ADMIN_PASSWORD: '' });
    expectRefusal(outcome, 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  });
});
