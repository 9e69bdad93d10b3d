import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QUEUES } from '@app/common';
import { IdentityModule } from '@app/identity';
import { FailedDeliveriesService } from './admin/failed-deliveries.service';
import { MunicipalityNames } from './delivery/delivery-context';
import { DeliveryQueueService } from './delivery/delivery-queue.service';
import { DeliveryRows } from './delivery/delivery-rows';
import { DeliveryService } from './delivery/delivery.service';
import { DigestService } from './delivery/digest.service';
import { NotificationDeliveryEntity } from './delivery/notification-delivery.entity';
import { NotificationMailer } from './delivery/notification-mailer';
import { PushSender } from './delivery/push-sender';
import { NotificationFanoutService } from './inbox/notification-fanout.service';
import { NotificationEntity } from './inbox/notification.entity';
import { NotificationsService } from './inbox/notifications.service';
import { NotificationsPersonalData } from './personal-data/notifications-personal-data';
import { NotificationPreferenceEntity, NotificationSettingsEntity } from './preferences/notification-preference.entity';
import { PreferencesService } from './preferences/preferences.service';
import { PushSubscriptionEntity } from './push/push-subscription.entity';
import { PushSubscriptionsService } from './push/push-subscriptions.service';
import { NotificationRuleRegistry } from './rules/notification-rule.registry';
import { AnnouncementEntity } from './announcements/announcement.entity';
import { AnnouncementFanout } from './announcements/announcement-fanout';
import { AnnouncementNotificationRule } from './announcements/announcement.rule';
import { AnnouncementsService } from './announcements/announcements.service';
import { AudienceRegistry } from './announcements/audience.registry';
import { MunicipalityResidentsAudience } from './announcements/municipality-residents.audience';
import { DistrictResidentsAudience } from './announcements/district-residents.audience';
import { LaneRateLimiter } from './delivery/lane-rate-limiter';

const SERVICES = [
  NotificationRuleRegistry,
  NotificationsService,
  NotificationFanoutService,
  PreferencesService,
  PushSubscriptionsService,
  DeliveryService,
  DeliveryQueueService,
  DigestService,
  FailedDeliveriesService,
  AudienceRegistry,
  AnnouncementsService,
  AnnouncementFanout,
  LaneRateLimiter,
];

/**
 * Notifications for every library: rules (@NotificationRule providers, discovered) turn domain
 * events into stored notifications; the in-app inbox, email (immediate or daily digest) and web
 * push deliver them under each person's preferences. Nothing here knows reports or any other
 * domain.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([NotificationEntity, NotificationDeliveryEntity, NotificationPreferenceEntity, NotificationSettingsEntity, PushSubscriptionEntity, AnnouncementEntity]),
    BullModule.registerQueue({ name: QUEUES.notificationDeliveries }, { name: QUEUES.notificationBulkDeliveries }),
    IdentityModule,
  ],
  providers: [...SERVICES, DeliveryRows, MunicipalityNames, NotificationMailer, PushSender, NotificationsPersonalData, AnnouncementNotificationRule, MunicipalityResidentsAudience, DistrictResidentsAudience],
  exports: [...SERVICES, BullModule],
})
export class NotificationsModule {}
