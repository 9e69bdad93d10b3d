import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, QUEUES } from '@app/common';
import { NotificationsModule } from '@app/notifications';
import { RealtimePublisherModule } from '@app/realtime';
import { DeliveryDispatcherService } from './delivery-dispatcher.service';
import { AnnouncementFanoutRunner } from './announcement-fanout.runner';
import {
  BulkNotificationDeliveriesProcessor,
  configuredBulkDeliveriesProcessor,
  configuredNotificationDeliveriesProcessor,
  NotificationDeliveriesProcessor,
} from './notification-deliveries.processor';
import { NotificationDigestScheduler, NotificationDigestsProcessor } from './notification-digests.processor';
import { NotificationRulesConsumer } from './notification-rules.consumer';
import { NotificationsLiveConsumer } from './notifications-live.consumer';

/**
 * The notifications pipeline in the worker: rules → stored notifications (an outbox consumer),
 * the live in-app push to `user:{id}`, dispatcher and sweeper → BullMQ, the delivery processor →
 * SMTP / web push (personal and bulk lanes, each its own queue), announcements' fan-out, and the
 * daily digests.
 */
@Module({})
export class NotificationsWorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: NotificationsWorkerModule,
      imports: [NotificationsModule, RealtimePublisherModule, BullModule.registerQueue({ name: QUEUES.notificationDigests })],
      providers: [
        NotificationRulesConsumer,
        NotificationsLiveConsumer,
        DeliveryDispatcherService,
        { provide: NotificationDeliveriesProcessor, useClass: configuredNotificationDeliveriesProcessor(config) },
        { provide: BulkNotificationDeliveriesProcessor, useClass: configuredBulkDeliveriesProcessor(config) },
        AnnouncementFanoutRunner,
        NotificationDigestScheduler,
        NotificationDigestsProcessor,
      ],
      exports: [DeliveryDispatcherService],
    };
  }
}
