import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Published events are kept a week (replay, debugging), consumption records a month. */
export const OUTBOX_RETENTION_DAYS = 7;
export const CONSUMPTION_RETENTION_DAYS = 30;
const DELETE_BATCH = 1000;
const INTERVAL_MS = 60 * 60 * 1000;
const FIRST_RUN_DELAY_MS = 60 * 1000;

/**
 * Deletes old outbox rows and consumption records, in small batches so no long lock is taken.
 * Consumption records outlive the events (and their jobs, kept a day) by far, so a late
 * redelivery still finds its record. Several workers may run this at once: harmless.
 */
@Injectable()
export class OutboxHousekeepingService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxHousekeepingService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      this.running = this.purge()
        .catch((error: Error) => this.logger.warn({ err: error }, `Outbox housekeeping failed: ${error.message}`))
        .finally(() => (this.running = null));
    };
    this.timer = setTimeout(() => {
      tick();
      this.timer = setInterval(tick, INTERVAL_MS);
    }, FIRST_RUN_DELAY_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Returns how many rows of each table were deleted. */
  async purge(now = new Date()): Promise<{ events: number; consumptions: number }> {
    const eventsBefore = new Date(now.getTime() - OUTBOX_RETENTION_DAYS * 24 * 3600 * 1000);
    const consumptionsBefore = new Date(now.getTime() - CONSUMPTION_RETENTION_DAYS * 24 * 3600 * 1000);
    const events = await this.deleteInBatches(
      `DELETE FROM outbox_events WHERE id IN (
         SELECT id FROM outbox_events WHERE published_at < $1 ORDER BY published_at LIMIT ${DELETE_BATCH})`,
      eventsBefore,
    );
    const consumptions = await this.deleteInBatches(
      `DELETE FROM event_consumptions WHERE (consumer, event_id) IN (
         SELECT consumer, event_id FROM event_consumptions WHERE consumed_at < $1 ORDER BY consumed_at LIMIT ${DELETE_BATCH})`,
      consumptionsBefore,
    );
    if (events || consumptions) this.logger.log(`Purged ${events} published outbox events and ${consumptions} consumption records`);
    return { events, consumptions };
  }

  private async deleteInBatches(sql: string, before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const [, affected]: [unknown, number] = await this.dataSource.query(sql, [before]);
      total += affected;
      if (affected < DELETE_BATCH) return total;
    }
  }
}
