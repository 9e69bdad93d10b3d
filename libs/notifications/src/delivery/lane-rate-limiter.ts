import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import type { DeliveryLane } from '../inbox/notification-fanout.service';
import { QueuedChannel } from '../notification.types';

/**
 * Sends per second per (lane, channel) in this worker process (NOTIFICATION_RATE_LIMITS): a
 * town's SMTP relay caps mails per second, and the bulk lane must leave room for the others.
 * Each send takes the next free slot of its lane and channel; a send that must wait waits here,
 * before its delivery is claimed, so no row stays 'sending' while it waits. Slots are spaced
 * evenly (1 s / rate), so a burst never exceeds the rate either.
 */
@Injectable()
export class LaneRateLimiter {
  private readonly nextSlot = new Map<string, number>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** The rate of a lane and channel; undefined when not limited. */
  rateOf(lane: DeliveryLane, channel: QueuedChannel): number | undefined {
    return this.config.notifications.rateLimits[`${lane}.${channel}`];
  }

  async take(lane: DeliveryLane, channel: QueuedChannel): Promise<void> {
    const rate = this.rateOf(lane, channel);
    if (!rate) return;
    const key = `${lane}.${channel}`;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot.get(key) ?? 0);
    this.nextSlot.set(key, slot + 1000 / rate);
    if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
  }
}
