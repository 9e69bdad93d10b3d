import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { AuditController } from './audit.controller';
import { AuthController } from './auth.controller';
import { DistrictsController } from './districts.controller';
import { MeController } from './me.controller';
import { MembersController } from './members.controller';
import { MunicipalitiesController } from './municipalities.controller';
import { PeopleController } from './people.controller';
import { ResidencyController } from './residency.controller';

/** HTTP adapters of the identity library. */
@Module({
  imports: [IdentityModule],
  controllers: [AuthController, MeController, MunicipalitiesController, DistrictsController, MembersController, PeopleController, ResidencyController, AuditController],
})
export class IdentityHttpModule {}
