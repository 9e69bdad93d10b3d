import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';

/** Consumers of identity events (verification and reset mails). */
@Module({
  imports: [IdentityModule],
  providers: [],
})
export class IdentityWorkerModule {}
