import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthSessionEntity } from './auth/auth-session.entity';
import { AuthService } from './auth/auth.service';
import { RefreshTokenEntity } from './auth/refresh-token.entity';
import { UserTokenEntity } from './auth/user-token.entity';
import { PersonalDataService } from './me/personal-data.service';
import { AccessService } from './members/access.service';
import { MembershipEntity } from './members/membership.entity';
import { MembershipsService } from './members/memberships.service';
import { MunicipalitiesService } from './municipalities/municipalities.service';
import { MunicipalityEntity } from './municipalities/municipality.entity';
import { ResidencyCodeEntity } from './residency/residency-code.entity';
import { ResidencyEntity } from './residency/residency.entity';
import { ResidencyService } from './residency/residency.service';
import { UserEntity } from './users/user.entity';
import { UsersService } from './users/users.service';

/** Accounts, sessions, municipalities, per-municipality roles and residency. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      UserEntity,
      AuthSessionEntity,
      RefreshTokenEntity,
      UserTokenEntity,
      MunicipalityEntity,
      MembershipEntity,
      ResidencyCodeEntity,
      ResidencyEntity,
    ]),
  ],
  providers: [AuthService, UsersService, PersonalDataService, MunicipalitiesService, MembershipsService, AccessService, ResidencyService],
  exports: [AuthService, UsersService, PersonalDataService, MunicipalitiesService, MembershipsService, AccessService, ResidencyService],
})
export class IdentityModule {}
