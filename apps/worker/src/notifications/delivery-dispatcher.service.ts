import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import { DELIVERIES_CHANNEL, DeliveryQueueService } from '@app/notifications';
import { Client } from 'pg';

const LISTEN_RETRY_MIN_MS = 500;
const LISTEN_RETRY_MAX_MS = 30_000;

/**
 * Runs the delivery pipeline's two loops in the worker:
 * - dispatch: new deliveries to the queue, woken by NOTIFY (sent at commit by the rule consumer)
 *   and by a poll every NOTIFICATION_DISPATCH_MS in case a notification is missed;
 * - sweep: at start and every NOTIFICATION_SWEEP_MS, deliveries whose job was lost go back in.
 * Neither ever overlaps itself; several workers may run them at once.
 */
@Injectable()
export class DeliveryDispatcherService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(DeliveryDispatcherService.name);
  private listener: Client | null = null;
  private listenRetryMs = LISTEN_RETRY_MIN_MS;
  private listenRetryTimer: NodeJS.Timeout | null = null;
  private dispatchTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private dispatching: Promise<void> | null = null;
  private wokenWhileDispatching = false;
  private sweeping: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deliveries: DeliveryQueueService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    this.dispatchTimer = setInterval(() => this.wake(), this.config.notifications.dispatchMs);
    this.sweepTimer = setInterval(() => this.sweep(), this.config.notifications.sweepMs);
    this.wake();
    // What a previous worker left behind (it died, or Redis lost its jobs).
    this.sweep();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of [this.dispatchTimer, this.sweepTimer]) if (timer) clearInterval(timer);
    if (this.listenRetryTimer) clearTimeout(this.listenRetryTimer);
    await Promise.all([this.dispatching, this.sweeping]);
    const client = this.listener;
    this.listener = null;
    if (client) await client.end().catch(() => undefined);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.dispatching) {
      this.wokenWhileDispatching = true;
      return;
    }
    this.dispatching = this.dispatch().finally(() => {
      this.dispatching = null;
      if (this.wokenWhileDispatching) {
        this.wokenWhileDispatching = false;
        this.wake();
      }
    });
  }

  /** Resolves when neither loop is running (tests). */
  async idle(): Promise<void> {
    while (this.dispatching || this.sweeping) await Promise.all([this.dispatching, this.sweeping]);
  }

  sweep(): void {
    if (this.stopped || this.sweeping) return;
    this.sweeping = this.deliveries
      .sweep()
      .then(() => undefined)
      .catch((error: Error) => this.logger.warn({ err: error }, `Notification sweep failed, will retry: ${error.message}`))
      .finally(() => (this.sweeping = null));
  }

  private async dispatch(): Promise<void> {
    try {
      this.wokenWhileDispatching = false;
      while (!this.stopped && (await this.deliveries.dispatch()) > 0) this.wokenWhileDispatching = false;
    } catch (error) {
      // Redis or PostgreSQL away: nothing was marked enqueued; the poll retries.
      this.logger.warn({ err: error }, `Notification dispatch failed, will retry: ${(error as Error).message}`);
    }
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl, keepAlive: true, application_name: 'civic-notification-dispatcher' });
    this.listener = client;
    client.on('notification', () => this.wake());
    client.on('error', (error) => this.logger.warn({ err: error }, `Notification listener error: ${error.message}`));
    client.on('end', () => {
      if (this.listener !== client) return;
      this.listener = null;
      this.scheduleListen();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${DELIVERIES_CHANNEL}`);
      this.listenRetryMs = LISTEN_RETRY_MIN_MS;
      if (!this.stopped) this.wake();
    } catch (error) {
      this.logger.warn({ err: error }, `Notification listener could not connect, polling meanwhile: ${(error as Error).message}`);
      if (this.listener === client) this.listener = null;
      await client.end().catch(() => undefined);
      this.scheduleListen();
    }
  }

  private scheduleListen(): void {
    if (this.stopped || this.listenRetryTimer) return;
    const delay = this.listenRetryMs;
    this.listenRetryMs = Math.min(this.listenRetryMs * 2, LISTEN_RETRY_MAX_MS);
    this.listenRetryTimer = setTimeout(() => {
      this.listenRetryTimer = null;
      if (!this.stopped) void this.listen();
    }, delay);
  }
}
