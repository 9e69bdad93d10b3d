import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';

/** HTTP adapters of the identity library. */
@Module({
  imports: [IdentityModule],
  controllers: [],
})
export class IdentityHttpModule {}
