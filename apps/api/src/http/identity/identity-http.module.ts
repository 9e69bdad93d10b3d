import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { AuthController } from './auth.controller';
import { MeController } from './me.controller';

/** HTTP adapters of the identity library. */
@Module({
  imports: [IdentityModule],
  controllers: [AuthController, MeController],
})
export class IdentityHttpModule {}
