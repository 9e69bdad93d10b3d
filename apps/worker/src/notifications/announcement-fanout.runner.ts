import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig, PgChannelListener } from '@app/common';
import { AnnouncementFanout, ANNOUNCEMENTS_CHANNEL, DeliveryQueueService } from '@app/notifications';

/**
 * Walks announcements that are going out, a page per transaction (AnnouncementFanout; the store
 * walk NOTIFICATION_FANOUT_PAGES_AT_ONCE pages at a time, committed in order), woken by
 * the NOTIFY their creation sends at commit and by a poll every NOTIFICATION_DISPATCH_MS (and at
 * start: what a killed worker left half-way). Storing comes first — any announcement's next page
 * to store before any page of live messages and jobs — so a town's in-app rows are not held up
 * by the sends of an earlier one. Never overlaps itself; several workers share the work (SKIP
 * LOCKED), one announcement at a time each. Runs where the bulk lane runs (WORKER_ROLE).
 */
@Injectable()
export class AnnouncementFanoutRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AnnouncementFanoutRunner.name);
  private readonly listener: PgChannelListener;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wokenWhileRunning = false;
  private stopped = false;

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
    const enqueue = (rows: Parameters<DeliveryQueueService['enqueueBulk']>[0]) => this.deliveries.enqueueBulk(rows);
    try {
      for (;;) {
        if (this.stopped) return;
        const { fanoutPageSize: size, fanoutPagesAtOnce } = this.config.notifications;
        const page = (await this.fanout.nextPage(size, fanoutPagesAtOnce)) ?? (await this.fanout.nextJobsPage(enqueue, size));
        if (!page) return;
        if (page.done) this.logger.log(`Announcement ${page.announcementId} ${page.walk === 'store' ? 'stored for its whole audience' : 'handed to the bulk lane'}`);
      }
    } catch (error) {
      // Redis refusing the jobs rolls their page back (its cursor does not move): the next wake retries.
      this.logger.warn({ err: error }, `Announcement fan-out failed, will retry: ${(error as Error).message}`);
    }
  }
}
