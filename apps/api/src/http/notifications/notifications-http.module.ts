import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { BullModule } from '@nestjs/bullmq';
import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { QUEUES } from '@app/common';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { AdminNotificationsController } from './admin-notifications.controller';
import { BULL_BOARD_PATH, BullBoardAuthMiddleware, mountedAt } from './bull-board';
import { MeNotificationsController } from './me-notifications.controller';
import { NotificationPreferencesController } from './notification-preferences.controller';
import { PushSubscriptionsController } from './push-subscriptions.controller';
import { QueueStatsService } from './queue-stats.service';
import { UnsubscribeController } from './unsubscribe.controller';

/**
 * HTTP adapters of the notifications library: the inbox, preferences, push subscriptions, the
 * sign-in-free unsubscribe link, the admins' failed deliveries and queue counts, and Bull Board
 * at /admin/queues (platform admins only).
 */
@Module({
  imports: [
    NotificationsModule,
    IdentityModule,
    // Every queue, for the dashboard and the counts (the worker is what processes them).
    BullModule.registerQueue(...Object.values(QUEUES).filter((name) => name !== QUEUES.notificationDeliveries).map((name) => ({ name }))),
  ],
  controllers: [MeNotificationsController, NotificationPreferencesController, PushSubscriptionsController, UnsubscribeController, AdminNotificationsController],
  providers: [QueueStatsService, BullBoardAuthMiddleware],
})
export class NotificationsHttpModule implements NestModule {
  constructor(private readonly queueStats: QueueStatsService) {}

  configure(consumer: MiddlewareConsumer): void {
    const serverAdapter = new ExpressAdapter().setBasePath(BULL_BOARD_PATH);
    // @bull-board/express pins its own patch release of @bull-board/api: same shapes, distinct
    // declarations, hence the cast.
    createBullBoard({ queues: this.queueStats.queues().map((queue) => new BullMQAdapter(queue)), serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'] });
    consumer
      .apply(BullBoardAuthMiddleware, mountedAt(BULL_BOARD_PATH, serverAdapter.getRouter()))
      .forRoutes({ path: BULL_BOARD_PATH.slice(1), method: RequestMethod.ALL }, { path: `${BULL_BOARD_PATH.slice(1)}/*path`, method: RequestMethod.ALL });
  }
}
