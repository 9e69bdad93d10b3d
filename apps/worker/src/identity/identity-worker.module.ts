import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { IdentityMailsConsumer } from './identity-mails.consumer';

/** Consumers of identity events (verification and reset mails). */
@Module({
  imports: [IdentityModule],
  providers: [IdentityMailsConsumer],
})
export class IdentityWorkerModule {}
