import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import { AuditService } from './audit/audit.service';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './db/database.module';
import { IdempotencyKeyEntity } from './idempotency/idempotency-key.entity';
import { IdempotencyService } from './idempotency/idempotency.service';
import { MailerService } from './mail/mailer.service';
import { EventConsumptionEntity } from './outbox/event-consumption.entity';
import { EventDispatchService } from './outbox/event-dispatch.service';
import { OutboxEventEntity } from './outbox/outbox-event.entity';
import { OutboxService } from './outbox/outbox.service';
import { OpenDataRegistry } from './open-data/open-data.registry';
import { OpenDataService } from './open-data/open-data.service';
import { QueueModule } from './queue/queue.module';
import { RedisModule } from './redis/redis.module';

/**
 * The infrastructure every app stands on: validated config, PostgreSQL, Redis, BullMQ, and the
 * shared mechanisms (transactions, outbox, audit, mail). Both apps import it once, at the root.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        AppConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        QueueModule,
        DiscoveryModule,
        TypeOrmModule.forFeature([OutboxEventEntity, EventConsumptionEntity, AuditEntryEntity, IdempotencyKeyEntity]),
      ],
      providers: [OutboxService, AuditService, MailerService, EventDispatchService, IdempotencyService, OpenDataRegistry, OpenDataService],
      exports: [
        DatabaseModule,
        QueueModule,
        OutboxService,
        AuditService,
        MailerService,
        EventDispatchService,
        IdempotencyService,
        OpenDataRegistry,
        OpenDataService,
        DiscoveryModule,
      ],
    };
  }
}
