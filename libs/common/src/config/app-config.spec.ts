import { ConfigError, DEFAULT_JWT_SECRET, DEFAULT_PASSWORD_HASH, loadConfig } from './app-config';

const SECRET = 'x'.repeat(32);

function reason(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs on an empty environment with the local defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      port: 3000,
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/civic',
      redisUrl: 'redis://127.0.0.1:6379',
      smtpUrl: 'smtp://127.0.0.1:1025',
      jwtSecret: DEFAULT_JWT_SECRET,
      publicUrl: 'http://localhost:3000',
      corsOrigins: ['http://localhost:3000'],
      adminEmail: null,
      adminPassword: null,
      logLevel: 'info',
      queuePrefix: 'civic',
      accessTokenTtlSeconds: 900,
      sessionCheckCacheMs: 15000,
      refreshTokenTtlDays: 30,
      rateLimit: { globalPerMinute: 600, authPerMinute: 30 },
      loginLockout: { perAccount: 5, perIp: 30, windowSeconds: 900 },
      passwordHash: { memoryKib: 65536, passes: 3 },
      workerRole: 'all',
      workerBulkNice: 10,
    });
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '', JWT_SECRET: '' }).port).toBe(3000);
  });

  it('reads numbers, lists and URLs', () => {
    const config = loadConfig({
      PORT: '8080',
      PUBLIC_URL: 'https://civic.example.org/',
      CORS_ORIGINS: 'https://a.example.org, https://b.example.org,',
      RATE_LIMIT_PER_MINUTE: '100',
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
      ADMIN_EMAIL: ' admin@example.org ',
      ADMIN_PASSWORD: 'Some-long-password-1',
    });
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('https://civic.example.org');
    expect(config.corsOrigins).toEqual(['https://a.example.org', 'https://b.example.org']);
    expect(config.rateLimit.globalPerMinute).toBe(100);
    expect(config.loginLockout.perAccount).toBe(3);
    expect(config.adminEmail).toBe('admin@example.org');
  });

  it('derives the public URL and CORS origins from the port', () => {
    const config = loadConfig({ PORT: '4000' });
    expect(config.publicUrl).toBe('http://localhost:4000');
    expect(config.corsOrigins).toEqual(['http://localhost:4000']);
  });

  it('is silent by default under test', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer between 0 and 65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT must be an integer between 0 and 65535, got "70000"'],
    [{ PORT: '80.5' }, 'PORT must be an integer between 0 and 65535, got "80.5"'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV must be development, production or test, got "staging"'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL is not a valid URL: "not a url"'],
    [{ DATABASE_URL: 'mysql://localhost/civic' }, 'DATABASE_URL must use postgres or postgresql, got "mysql:"'],
    [{ REDIS_URL: 'http://localhost:6379' }, 'REDIS_URL must use redis or rediss, got "http:"'],
    [{ SMTP_URL: 'mailto:x@example.org' }, 'SMTP_URL must use smtp or smtps, got "mailto:"'],
    [{ PUBLIC_URL: 'ftp://example.org' }, 'PUBLIC_URL must use http or https, got "ftp:"'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 characters long'],
    [{ ADMIN_EMAIL: 'admin@example.org' }, 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together'],
    [{ ADMIN_PASSWORD: 'Some-long-password-1' }, 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"'],
    [{ ACCESS_TOKEN_TTL_SECONDS: '5' }, 'ACCESS_TOKEN_TTL_SECONDS must be an integer between 30 and 86400, got "5"'],
    [{ OUTBOX_POLL_MS: '10' }, 'OUTBOX_POLL_MS must be an integer between 50 and 60000, got "10"'],
    [{ WORKER_ROLE: 'mail' }, 'WORKER_ROLE must be one of all, main, bulk, got "mail"'],
    [{ WORKER_BULK_NICE: '20' }, 'WORKER_BULK_NICE must be an integer between 0 and 19, got "20"'],
  ])('refuses %j with a one-line reason', (env, message) => {
    const got = reason(env);
    expect(got).toBe(message);
    expect(got).not.toContain('\n');
  });

  it('refuses the default JWT secret in production, and accepts a real one', () => {
    expect(reason({ NODE_ENV: 'production' })).toBe('JWT_SECRET must be set to a secret of your own when NODE_ENV=production');
    expect(reason({ NODE_ENV: 'production', JWT_SECRET: DEFAULT_JWT_SECRET })).toMatch(/^JWT_SECRET must be set/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }).nodeEnv).toBe('production');
  });

  it('lowers the password hash cost for test runs only, and lets production raise it', () => {
    const cheap = { PASSWORD_HASH_MEMORY_KIB: '256', PASSWORD_HASH_PASSES: '1' };
    expect(loadConfig({ NODE_ENV: 'test', ...cheap }).passwordHash).toEqual({ memoryKib: 256, passes: 1 });
    const refusal = `PASSWORD_HASH_MEMORY_KIB and PASSWORD_HASH_PASSES below ${DEFAULT_PASSWORD_HASH.memoryKib} and ${DEFAULT_PASSWORD_HASH.passes} are for test runs only (NODE_ENV=test)`;
    expect(reason({ NODE_ENV: 'production', JWT_SECRET: SECRET, PASSWORD_HASH_PASSES: '2' })).toBe(refusal);
    expect(reason({ NODE_ENV: 'development', PASSWORD_HASH_MEMORY_KIB: '65535' })).toBe(refusal);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, PASSWORD_HASH_MEMORY_KIB: '131072', PASSWORD_HASH_PASSES: '4' }).passwordHash).toEqual({ memoryKib: 131072, passes: 4 });
  });
});
