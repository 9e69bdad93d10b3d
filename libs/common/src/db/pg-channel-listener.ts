import { Logger } from '@nestjs/common';
import { Client } from 'pg';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * A dedicated PostgreSQL connection LISTENing on one channel, reconnecting with backoff. NOTIFY
 * is delivered at commit, so a wake-up never announces uncommitted work; notifications sent
 * while disconnected are lost, so `onNotify` is also called after every (re)connect to catch up
 * (without a payload; a notification passes its own). Callers keep a poll as well: this only
 * lowers latency.
 */
export class PgChannelListener {
  private client: Client | null = null;
  private ready = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly options: { databaseUrl: string; channel: string; applicationName: string; onNotify: (payload?: string) => void; logger: Logger },
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.channel)) throw new Error(`Invalid channel name ${options.channel}`);
  }

  /** Connects once; on failure it keeps retrying in the background and resolves anyway. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    this.ready = false;
    if (client) await client.end().catch(() => undefined);
  }

  /** Whether the LISTEN connection is up (health, tests). */
  get listening(): boolean {
    return this.ready;
  }

  private async connect(): Promise<void> {
    const { databaseUrl, channel, applicationName, onNotify, logger } = this.options;
    const client = new Client({ connectionString: databaseUrl, keepAlive: true, application_name: applicationName });
    this.client = client;
    client.on('notification', (message) => onNotify(message.payload));
    // pg emits 'error' then 'end' on a lost connection; reconnect once, on 'end'.
    client.on('error', (error) => logger.warn({ err: error }, `${channel} listener error: ${error.message}`));
    client.on('end', () => {
      if (this.client !== client) return;
      this.client = null;
      this.ready = false;
      this.scheduleReconnect();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      this.ready = this.client === client;
      this.retryMs = RETRY_MIN_MS;
      if (!this.stopped) onNotify();
    } catch (error) {
      logger.warn({ err: error }, `${channel} listener could not connect, polling meanwhile: ${(error as Error).message}`);
      if (this.client === client) this.client = null;
      await client.end().catch(() => undefined);
      this.scheduleReconnect();
    }
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.retryTimer) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) void this.connect();
    }, delay);
  }
}
