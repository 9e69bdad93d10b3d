import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig, PgChannelListener } from '@app/common';
import { DELIVERIES_CHANNEL, DeliveryQueueService, DISPATCH_BATCH_SIZE } from '@app/notifications';

/**
 * After a pass that found fewer than a batch, how long the next one waits, so deliveries stored
 * one event after another go out many per pass (one statement and one Redis round trip) rather
 * than a pass each. The first of a quiet spell goes at once.
 */
export const DISPATCH_GATHER_MS = 20;

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
  private readonly listener: PgChannelListener;
  private dispatchTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private dispatching: Promise<void> | null = null;
  private wokenWhileDispatching = false;
  private sweeping: Promise<void> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deliveries: DeliveryQueueService,
  ) {
    this.listener = new PgChannelListener({
      databaseUrl: config.databaseUrl,
      channel: DELIVERIES_CHANNEL,
      applicationName: 'civic-notification-dispatcher',
      onNotify: () => this.wake(),
      logger: this.logger,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
    this.dispatchTimer = setInterval(() => this.wake(), this.config.notifications.dispatchMs);
    this.sweepTimer = setInterval(() => this.sweep(), this.config.notifications.sweepMs);
    this.wake();
    // What a previous worker left behind (it died, or Redis lost its jobs).
    this.sweep();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of [this.dispatchTimer, this.sweepTimer]) if (timer) clearInterval(timer);
    await Promise.all([this.dispatching, this.sweeping]);
    await this.listener.stop();
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
      let dispatched: number;
      while (!this.stopped && (dispatched = await this.deliveries.dispatch()) > 0) {
        this.wokenWhileDispatching = false;
        if (dispatched < DISPATCH_BATCH_SIZE) await new Promise((resolve) => setTimeout(resolve, DISPATCH_GATHER_MS));
      }
    } catch (error) {
      // Redis or PostgreSQL away: nothing was marked enqueued; the poll retries.
      this.logger.warn({ err: error }, `Notification dispatch failed, will retry: ${(error as Error).message}`);
    }
  }
}
