import { randomBytes } from 'node:crypto';

/** The one typed view of the environment. Nothing else reads process.env. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  databaseUrl: string;
  redisUrl: string;
  smtpUrl: string;
  mailFrom: string;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  /**
   * How long an API instance may reuse a session check it made (0: never). Changes announced by
   * PostgreSQL (NOTIFY) drop an entry at once; this only bounds a change whose announcement was lost.
   */
  sessionCheckCacheMs: number;
  refreshTokenTtlDays: number;
  /**
   * argon2id cost of new password hashes (a stored hash carries its own cost, so changing this
   * never locks anyone out). Below the defaults only under NODE_ENV=test, where thousands of
   * sign-ups would otherwise spend most of the run hashing.
   */
  passwordHash: { memoryKib: number; passes: number };
  publicUrl: string;
  corsOrigins: string[];
  adminEmail: string | null;
  adminPassword: string | null;
  storageDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `pretty`: one readable line per entry (development default); `json`: pino's JSON (elsewhere). */
  logFormat: 'pretty' | 'json';
  /** Prefix of every BullMQ key, so several deployments (or test runs) can share one Redis. */
  queuePrefix: string;
  /** How long a worker holds a job before another may take it over (BullMQ lockDuration). */
  queueLockMs: number;
  /** Fallback poll interval of the outbox relay; LISTEN/NOTIFY gives the low latency. */
  outboxPollMs: number;
  /**
   * Domain-event jobs one worker runs at once. Events waiting for the same consumer share a
   * transaction (EventDispatchService), so more jobs in flight mean bigger batches, not more
   * database connections.
   */
  domainEventsConcurrency: number;
  /**
   * What one worker process runs (WORKER_ROLE). `all` (default): everything, one process. `main`:
   * everything but the bulk lane — the outbox relay, the rules, the transactional and personal
   * mails, dispatcher and sweeper, digests, every domain's jobs. `bulk`: announcements' fan-out
   * and the bulk lane's sends only, at a lower CPU priority (`workerBulkNice`), so a town-wide
   * send never holds a password reset. `npm start` and docker compose run one `main` and one `bulk`.
   */
  workerRole: WorkerRole;
  /** The bulk process's nice value (WORKER_BULK_NICE, 0–19): the kernel serves the other processes first. */
  workerBulkNice: number;
  rateLimit: { globalPerMinute: number; authPerMinute: number };
  loginLockout: { perAccount: number; perIp: number; windowSeconds: number };
  notifications: NotificationsConfig;
  /** The licence every open-data dataset is published under (OPEN_DATA_LICENCE_NAME / _URL). */
  openData: { licenceName: string; licenceUrl: string };
  web: WebConfig;
}

export const WORKER_ROLES = ['all', 'main', 'bulk'] as const;
export type WorkerRole = (typeof WORKER_ROLES)[number];

function workerRole(env: Env): WorkerRole {
  const value = str(env, 'WORKER_ROLE', 'all');
  if (!(WORKER_ROLES as readonly string[]).includes(value)) throw new ConfigError(`WORKER_ROLE must be one of ${WORKER_ROLES.join(', ')}, got "${value}"`);
  return value as WorkerRole;
}

/** The web app (apps/web) the API serves at `/`. */
export interface WebConfig {
  /** The Vite build to serve (`npm run build:web`); the API starts without it and serves no app. */
  dir: string;
  /** Leaflet tile URL template (`{s}`, `{z}`, `{x}`, `{y}`), or null for a map without tiles. */
  mapTileUrl: string | null;
}

const DEFAULT_MAP_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

/** `MAP_TILE_URL=none` keeps maps usable without any tile server (tests, offline demos). */
function mapTileUrl(env: Env): string | null {
  const value = str(env, 'MAP_TILE_URL', DEFAULT_MAP_TILE_URL);
  if (value === 'none') return null;
  const probe = value.replace(/\{[a-z]\}/g, 'a');
  let parsed: URL;
  try {
    parsed = new URL(probe);
  } catch {
    throw new ConfigError(`MAP_TILE_URL is not a valid URL template: "${value}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError(`MAP_TILE_URL must use http or https, got "${parsed.protocol}"`);
  }
  return value;
}

/** Web Push VAPID identity; absent (no keys) means web push is switched off. */
export interface VapidConfig {
  publicKey: string;
  privateKey: string;
  /** A mailto: or https: URL push services may contact about our traffic. */
  subject: string;
}

export interface NotificationsConfig {
  /** Local hour (0-23, in the municipality's time zone) at which daily digests are sent. */
  digestHour: number;
  /** How often the worker looks for new deliveries to enqueue (a fallback to LISTEN/NOTIFY). */
  dispatchMs: number;
  /** How often the sweeper re-enqueues deliveries whose job was lost (Redis flushed, worker died). */
  sweepMs: number;
  /** A send (SMTP, push) that takes longer is abandoned and retried. Bounds how long a delivery stays "sending". */
  sendTimeoutMs: number;
  /** Deliveries one worker sends at once. */
  concurrency: number;
  /** Pooled SMTP connections of one worker for notification mails. */
  smtpConnections: number;
  vapid: VapidConfig | null;
  /** Accept plain-http or loopback push endpoints (tests and local development only). */
  allowInsecurePushEndpoints: boolean;
  /**
   * How long a delivery the mail relay (or push service) refuses is retried, from its creation,
   * before it is marked failed for the admins (MAIL_RETRY_WINDOW_HOURS, default 48 h).
   */
  retryWindowMs: number;
  /** The longest wait between two retries of one delivery (capped exponential backoff). */
  retryMaxDelayMs: number;
  /** Bulk-lane deliveries (announcements) one worker sends at once: their own queue and concurrency. */
  bulkConcurrency: number;
  /**
   * Sends per second per worker process, by `<lane>.<channel>` (`bulk.email`, `personal.push`…);
   * a lane and channel not named is not limited (NOTIFICATION_RATE_LIMITS="bulk.email=200,bulk.push=100").
   */
  rateLimits: Record<string, number>;
  /** People an announcement's fan-out stores per transaction. */
  fanoutPageSize: number;
  /** Consecutive pages of one announcement stored at once, each in its own transaction, committed in order. */
  fanoutPagesAtOnce: number;
}

const RATE_LIMIT_KEY = /^(personal|bulk)\.(email|push)$/;

/** `bulk.email=200,bulk.push=100` → {"bulk.email": 200, …}; a typo is a start-time error, not an unlimited lane. */
function rateLimits(env: Env): Record<string, number> {
  const raw = str(env, 'NOTIFICATION_RATE_LIMITS', 'bulk.email=200,bulk.push=200');
  const out: Record<string, number> = {};
  if (raw === 'none') return out;
  for (const part of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value] = part.split('=').map((p) => p.trim());
    const perSecond = Number(value);
    if (!RATE_LIMIT_KEY.test(key) || !Number.isFinite(perSecond) || perSecond <= 0) {
      throw new ConfigError(`NOTIFICATION_RATE_LIMITS: "${part}" is not <personal|bulk>.<email|push>=<sends per second>`);
    }
    out[key] = perSecond;
  }
  return out;
}

export const DEFAULT_JWT_SECRET = 'dev-only-insecure-jwt-secret-change-me';

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function str(env: Env, key: string, fallback: string): string {
  const value = env[key];
  return value === undefined || value === '' ? fallback : value;
}

function int(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${key} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

/** A positive decimal number (hours may be fractional: tests use a window of seconds). */
function decimal(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${key} must be a number between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function url(env: Env, key: string, fallback: string, protocols: string[]): string {
  const value = str(env, key, fallback);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigError(`${key} is not a valid URL: "${value}"`);
  }
  if (!protocols.includes(parsed.protocol.replace(/:$/, ''))) {
    throw new ConfigError(`${key} must use ${protocols.join(' or ')}, got "${parsed.protocol}"`);
  }
  return value;
}

function bool(env: Env, key: string, fallback: boolean): boolean {
  const raw = env[key];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(`${key} must be true or false, got "${raw}"`);
}

function vapid(env: Env, mailFrom: string): VapidConfig | null {
  const publicKey = env.VAPID_PUBLIC_KEY?.trim() || null;
  const privateKey = env.VAPID_PRIVATE_KEY?.trim() || null;
  if ((publicKey === null) !== (privateKey === null)) {
    throw new ConfigError('VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set together');
  }
  if (!publicKey || !privateKey) return null;
  // The push services want a contact; the sender address of our mails is a fair default.
  const fromAddress = /<([^>]+)>/.exec(mailFrom)?.[1] ?? mailFrom;
  const subject = str(env, 'VAPID_SUBJECT', `mailto:${fromAddress.trim()}`);
  if (!/^(mailto:|https:\/\/)/.test(subject)) throw new ConfigError(`VAPID_SUBJECT must be a mailto: or https: URL, got "${subject}"`);
  return { publicKey, privateKey, subject };
}

/** argon2's defaults (64 MiB, 3 passes): OWASP's recommended floor for argon2id is lower. */
export const DEFAULT_PASSWORD_HASH = { memoryKib: 65_536, passes: 3 } as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads and validates the environment once. Throws a ConfigError whose message is a
 * one-line reason, which the entry points print before exiting.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnvRaw = str(env, 'NODE_ENV', 'development');
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as AppConfig['nodeEnv'];
  const port = int(env, 'PORT', 3000, 0, 65535);

  const jwtSecret = str(env, 'JWT_SECRET', DEFAULT_JWT_SECRET);
  if (nodeEnv === 'production' && jwtSecret === DEFAULT_JWT_SECRET) {
    throw new ConfigError('JWT_SECRET must be set to a secret of your own when NODE_ENV=production');
  }
  if (jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters long');
  }

  const publicUrl = url(env, 'PUBLIC_URL', `http://localhost:${port}`, ['http', 'https']).replace(/\/$/, '');
  const corsOrigins = str(env, 'CORS_ORIGINS', publicUrl)
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);

  const adminEmail = env.ADMIN_EMAIL?.trim() || null;
  const adminPassword = env.ADMIN_PASSWORD || null;
  if ((adminEmail === null) !== (adminPassword === null)) {
    throw new ConfigError('ADMIN_EMAIL and ADMIN_PASSWORD must be set together');
  }

  const logLevel = str(env, 'LOG_LEVEL', nodeEnv === 'test' ? 'silent' : 'info');
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }

  const logFormat = str(env, 'LOG_FORMAT', nodeEnv === 'development' ? 'pretty' : 'json');
  if (logFormat !== 'pretty' && logFormat !== 'json') throw new ConfigError(`LOG_FORMAT must be pretty or json, got "${logFormat}"`);

  const passwordHash = {
    memoryKib: int(env, 'PASSWORD_HASH_MEMORY_KIB', DEFAULT_PASSWORD_HASH.memoryKib, 64, 4_194_304),
    passes: int(env, 'PASSWORD_HASH_PASSES', DEFAULT_PASSWORD_HASH.passes, 1, 100),
  };
  if (nodeEnv !== 'test' && (passwordHash.memoryKib < DEFAULT_PASSWORD_HASH.memoryKib || passwordHash.passes < DEFAULT_PASSWORD_HASH.passes)) {
    throw new ConfigError(
      `PASSWORD_HASH_MEMORY_KIB and PASSWORD_HASH_PASSES below ${DEFAULT_PASSWORD_HASH.memoryKib} and ${DEFAULT_PASSWORD_HASH.passes} are for test runs only (NODE_ENV=test)`,
    );
  }

  const mailFrom = str(env, 'MAIL_FROM', 'Civic platform <no-reply@civic.localhost>');
  const allowInsecurePushEndpoints = bool(env, 'PUSH_ALLOW_INSECURE_ENDPOINTS', false);
  if (allowInsecurePushEndpoints && nodeEnv === 'production') {
    throw new ConfigError('PUSH_ALLOW_INSECURE_ENDPOINTS must not be set when NODE_ENV=production');
  }

  return {
    nodeEnv,
    port,
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/civic', ['postgres', 'postgresql']),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis', 'rediss']),
    smtpUrl: url(env, 'SMTP_URL', 'smtp://127.0.0.1:1025', ['smtp', 'smtps']),
    mailFrom,
    jwtSecret,
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86400),
    sessionCheckCacheMs: int(env, 'SESSION_CHECK_CACHE_MS', 15000, 0, 300000),
    refreshTokenTtlDays: int(env, 'REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    passwordHash,
    publicUrl,
    corsOrigins,
    adminEmail,
    adminPassword,
    storageDir: str(env, 'STORAGE_DIR', './storage'),
    logLevel: logLevel as AppConfig['logLevel'],
    logFormat,
    queuePrefix: str(env, 'QUEUE_PREFIX', 'civic'),
    queueLockMs: int(env, 'QUEUE_LOCK_MS', 30000, 1000, 600000),
    outboxPollMs: int(env, 'OUTBOX_POLL_MS', 1000, 50, 60000),
    domainEventsConcurrency: int(env, 'DOMAIN_EVENTS_CONCURRENCY', 50, 1, 1000),
    workerRole: workerRole(env),
    workerBulkNice: int(env, 'WORKER_BULK_NICE', 10, 0, 19),
    rateLimit: {
      globalPerMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 600, 1, 1000000),
      authPerMinute: int(env, 'AUTH_RATE_LIMIT_PER_MINUTE', 30, 1, 1000000),
    },
    loginLockout: {
      perAccount: int(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 1000),
      perIp: int(env, 'LOGIN_MAX_FAILURES_PER_IP', 30, 1, 100000),
      windowSeconds: int(env, 'LOGIN_FAILURE_WINDOW_SECONDS', 900, 1, 86400),
    },
    openData: {
      licenceName: str(env, 'OPEN_DATA_LICENCE_NAME', 'Licence Ouverte 2.0'),
      licenceUrl: url(env, 'OPEN_DATA_LICENCE_URL', 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/', ['http', 'https']),
    },
    web: { dir: str(env, 'WEB_DIR', 'dist/web'), mapTileUrl: mapTileUrl(env) },
    notifications: {
      digestHour: int(env, 'NOTIFICATION_DIGEST_HOUR', 8, 0, 23),
      dispatchMs: int(env, 'NOTIFICATION_DISPATCH_MS', 500, 20, 60000),
      sweepMs: int(env, 'NOTIFICATION_SWEEP_MS', 30000, 200, 3600000),
      sendTimeoutMs: int(env, 'NOTIFICATION_SEND_TIMEOUT_MS', 30000, 500, 600000),
      concurrency: int(env, 'NOTIFICATION_CONCURRENCY', 20, 1, 500),
      smtpConnections: int(env, 'NOTIFICATION_SMTP_CONNECTIONS', 5, 1, 100),
      vapid: vapid(env, mailFrom),
      allowInsecurePushEndpoints,
      retryWindowMs: Math.round(decimal(env, 'MAIL_RETRY_WINDOW_HOURS', 48, 0.0001, 24 * 365) * 3_600_000),
      retryMaxDelayMs: int(env, 'MAIL_RETRY_MAX_DELAY_MS', 15 * 60_000, 100, 24 * 3_600_000),
      bulkConcurrency: int(env, 'NOTIFICATION_BULK_CONCURRENCY', 10, 1, 500),
      rateLimits: rateLimits(env),
      fanoutPageSize: int(env, 'NOTIFICATION_FANOUT_PAGE_SIZE', 2000, 1, 20000),
      fanoutPagesAtOnce: int(env, 'NOTIFICATION_FANOUT_PAGES_AT_ONCE', 2, 1, 8),
    },
  };
}

/** A random secret for test runs, so no test depends on the default. */
export function randomSecret(): string {
  return randomBytes(32).toString('hex');
}

/**
 * For entry points (API, worker, CLI): a ConfigError is printed as its one-line reason and ends
 * the process with status 1; anything else is a bug and propagates.
 */
export function loadConfigOrExit(env: Env = process.env): AppConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
