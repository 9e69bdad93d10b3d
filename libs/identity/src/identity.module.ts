import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@app/common';
import { LoginAttemptsService } from './auth/login-attempts.service';
import { PasswordHasher } from './auth/password-hasher';
import { PasswordPolicy } from './auth/password-policy';
import { PasswordConfirmation } from './auth/password-confirmation';
import { EmailChangeService } from './auth/email-change.service';
import { PasswordChangeService } from './auth/password-change.service';
import { PasswordResetService } from './auth/password-reset.service';
import { RegistrationService } from './auth/registration.service';
import { UserTokensService } from './auth/user-tokens.service';
import { IdentityMailsService } from './mail/identity-mails.service';
import { MembershipsPersonalData, ResidenciesPersonalData } from './me/identity-personal-data';
import { AuditLogService } from './audit/audit-log.service';
import { AuthSessionEntity } from './auth/auth-session.entity';
import { AuthService } from './auth/auth.service';
import { PrincipalChanges } from './auth/principal-changes';
import { SessionCheckCache } from './auth/session-check-cache';
import { RefreshTokenEntity } from './auth/refresh-token.entity';
import { UserTokenEntity } from './auth/user-token.entity';
import { PersonalDataService } from './me/personal-data.service';
import { AccessService } from './members/access.service';
import { MembershipEntity } from './members/membership.entity';
import { MembershipsService } from './members/memberships.service';
import { PeopleDirectoryService } from './members/people-directory.service';
import { MunicipalitiesService } from './municipalities/municipalities.service';
import { MunicipalityEntity } from './municipalities/municipality.entity';
import { DistrictEntity } from './districts/district.entity';
import { DistrictsService } from './districts/districts.service';
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
      DistrictEntity,
      MembershipEntity,
      ResidencyCodeEntity,
      ResidencyEntity,
    ]),
    // Access tokens: HS256, short-lived; the API's JWT strategy verifies them with the same secret.
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: config.jwtSecret,
        signOptions: { algorithm: 'HS256', expiresIn: config.accessTokenTtlSeconds },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [AuthService, SessionCheckCache, PrincipalChanges, UsersService, PersonalDataService, MunicipalitiesService, DistrictsService, MembershipsService, PeopleDirectoryService, AccessService, ResidencyService,
    PasswordPolicy, PasswordHasher, PasswordConfirmation, EmailChangeService, PasswordChangeService, LoginAttemptsService, UserTokensService, RegistrationService, PasswordResetService,
    MembershipsPersonalData, ResidenciesPersonalData, IdentityMailsService,
    AuditLogService],
  exports: [AuthService, PrincipalChanges, UsersService, PersonalDataService, MunicipalitiesService, DistrictsService, MembershipsService, PeopleDirectoryService, AccessService, ResidencyService,
    RegistrationService, PasswordResetService, EmailChangeService, PasswordChangeService, IdentityMailsService,
    AuditLogService],
})
export class IdentityModule {}
