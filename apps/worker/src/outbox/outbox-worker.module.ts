import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@app/common';
import { configuredDomainEventsProcessor, DomainEventsProcessor } from './domain-events.processor';
import { EventConsumerRegistry } from './event-consumer.registry';
import { OutboxHousekeepingService } from './outbox-housekeeping.service';
import { OutboxRelayService } from './outbox-relay.service';

/**
 * The delivery side of the outbox: relay (PostgreSQL → BullMQ), the domain-events processor and
 * the registry of @EventConsumer providers, discovered across the whole worker.
 */
@Module({})
export class OutboxWorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: OutboxWorkerModule,
      providers: [
        EventConsumerRegistry,
        OutboxRelayService,
        OutboxHousekeepingService,
        { provide: DomainEventsProcessor, useClass: configuredDomainEventsProcessor(config) },
      ],
      exports: [EventConsumerRegistry, OutboxRelayService, OutboxHousekeepingService],
    };
  }
}
