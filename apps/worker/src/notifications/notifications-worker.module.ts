import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module, Provider } from '@nestjs/common';
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
 * SMTP / web push (personal lane), and the daily digests; and, unless the bulk lane runs in a
 * process of its own (WORKER_ROLE=main), announcements' fan-out and the bulk lane too.
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
        ...(config.workerRole === 'all' ? bulkLaneProviders(config) : []),
        NotificationDigestScheduler,
        NotificationDigestsProcessor,
      ],
      exports: [DeliveryDispatcherService],
    };
  }
}

/** Announcements' fan-out and the bulk lane's sends: what a WORKER_ROLE=bulk process runs. */
function bulkLaneProviders(config: AppConfig): Provider[] {
  return [{ provide: BulkNotificationDeliveriesProcessor, useClass: configuredBulkDeliveriesProcessor(config) }, AnnouncementFanoutRunner];
}

/**
 * The bulk lane alone (WORKER_ROLE=bulk): announcements' fan-out and the bulk queue's sends. The
 * sweeper, the dispatcher and the live channel stay in the main process (the sweeper puts back
 * bulk jobs too; the fan-out's live messages are outbox events the main process consumes).
 */
@Module({})
export class NotificationsBulkWorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: NotificationsBulkWorkerModule, imports: [NotificationsModule], providers: bulkLaneProviders(config) };
  }
}
