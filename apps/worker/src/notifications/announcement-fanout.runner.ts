import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig, PgChannelListener } from '@app/common';
import { AnnouncementFanout, ANNOUNCEMENTS_CHANNEL, DeliveryQueueService } from '@app/notifications';

/**
 * Walks announcements that are going out, a page per transaction (AnnouncementFanout), woken by
 * the NOTIFY their creation sends at commit and by a poll every NOTIFICATION_DISPATCH_MS (and at
 * start: what a killed worker left half-way). Each page's jobs go to the bulk lane's queue right
 * after its commit. Never overlaps itself; several workers share the work (SKIP LOCKED), one
 * announcement at a time each.
 */
@Injectable()
export class AnnouncementFanoutRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AnnouncementFanoutRunner.name);
  private readonly listener: PgChannelListener;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wokenWhileRunning = false;
  private stopped = false;
  /** Jobs of committed pages being added, in order, while the next page is stored. */
  private enqueueing: Promise<void> = Promise.resolve();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly fanout: AnnouncementFanout,
    private readonly deliveries: DeliveryQueueService,
  ) {
    this.listener = new PgChannelListener({
      databaseUrl: config.databaseUrl,
      channel: ANNOUNCEMENTS_CHANNEL,
      applicationName: 'civic-announcement-fanout',
      onNotify: () => this.wake(),
      logger: this.logger,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
    this.timer = setInterval(() => this.wake(), this.config.notifications.dispatchMs);
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.enqueueing;
    await this.listener.stop();
  }

  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wokenWhileRunning = true;
      return;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.wokenWhileRunning) {
        this.wokenWhileRunning = false;
        this.wake();
      }
    });
  }

  private async run(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const page = await this.fanout.nextPage(this.config.notifications.fanoutPageSize);
        if (!page) return;
        if (page.queued.length) {
          // After commit, beside the next page's transaction (not before it: the in-app rows of
          // a whole town are what must land fast). If Redis refuses or this worker dies first,
          // the rows stay pending as enqueued and the sweeper adds their jobs.
          const queued = page.queued;
          this.enqueueing = this.enqueueing.then(() =>
            this.deliveries
              .enqueueBulk(queued)
              .catch((error: Error) => this.logger.warn(`Could not enqueue ${queued.length} announcement deliveries (the sweeper will): ${error.message}`)),
          );
        }
        if (page.done) this.logger.log(`Announcement ${page.announcementId} stored for its whole audience`);
      }
    } catch (error) {
      this.logger.warn({ err: error }, `Announcement fan-out failed, will retry: ${(error as Error).message}`);
    }
  }
}
