import { Module } from '@nestjs/common';
import { RealtimePublisher } from './realtime-publisher';

/**
 * The publisher, for processes that emit live updates without serving clients (the worker's
 * outbox consumers). Not part of RealtimeModule: the API serves clients through its gateway.
 */
@Module({
  providers: [RealtimePublisher],
  exports: [RealtimePublisher],
})
export class RealtimePublisherModule {}
