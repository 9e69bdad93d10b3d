import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/common';
import { IdentityModule } from '@app/identity';
import { NotificationsModule } from '@app/notifications';
import { AdminNotificationsController } from './admin-notifications.controller';
import { AnnouncementsController } from './announcements.controller';
import { AccessTokensModule } from '../../auth/access-tokens.module';
import { BullBoardAuth, BullBoardMount } from './bull-board';
import { MeNotificationsController } from './me-notifications.controller';
import { MunicipalityNotificationsController } from './municipality-notifications.controller';
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
    AccessTokensModule,
    // Every queue, for the dashboard and the counts (the worker is what processes them).
    BullModule.registerQueue(...Object.values(QUEUES).filter((name) => name !== QUEUES.notificationDeliveries && name !== QUEUES.notificationBulkDeliveries).map((name) => ({ name }))),
  ],
  controllers: [MeNotificationsController, NotificationPreferencesController, PushSubscriptionsController, UnsubscribeController, AdminNotificationsController, MunicipalityNotificationsController, AnnouncementsController],
  providers: [QueueStatsService, BullBoardAuth, BullBoardMount],
})
export class NotificationsHttpModule {}
