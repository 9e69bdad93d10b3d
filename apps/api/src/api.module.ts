import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig, LoggingModule, PlatformModule, REDIS } from '@app/common';
import { IdentityModule } from '@app/identity';
import Redis from 'ioredis';
import { AccessTokensModule } from './auth/access-tokens.module';
import { JwtAuthGuard } from './auth/jwt-auth.guard';
import { JwtStrategy } from './auth/jwt.strategy';
import { isAuthRateLimited } from './common/auth-rate-limit';
import { RedisThrottlerStorage } from './common/redis-throttler.storage';
import { HealthController } from './health/health.controller';
import { EngagementHttpModule } from './http/engagement/engagement-http.module';
import { IdentityHttpModule } from './http/identity/identity-http.module';
import { Open311HttpModule } from './http/open311/open311-http.module';
import { MediaHttpModule } from './http/media/media-http.module';
import { NotificationsHttpModule } from './http/notifications/notifications-http.module';
import { PagesHttpModule } from './http/pages/pages-http.module';
import { OpenDataHttpModule } from './http/open-data/open-data-http.module';
import { ReportsHttpModule } from './http/reports/reports-http.module';
import { BudgetsHttpModule } from './http/budgets/budgets-http.module';
import { PanelsHttpModule } from './http/panels/panels-http.module';
import { WorkshopsHttpModule } from './http/workshops/workshops-http.module';
import { SurveysHttpModule } from './http/surveys/surveys-http.module';
import { WorkshopBoardHttpModule } from './http/workshops/board-http.module';
import { ProposalsHttpModule } from './http/proposals/proposals-http.module';
import { RealtimeGatewayModule } from './realtime/realtime-gateway.module';
import { RateLimitGuard } from './common/rate-limit.guard';

@Module({})
export class ApiModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot(config),
        LoggingModule,
        PassportModule,
        AccessTokensModule,
        ThrottlerModule.forRootAsync({
          inject: [APP_CONFIG, REDIS],
          useFactory: (cfg: AppConfig, redis: Redis) => ({
            throttlers: [
              { name: 'default', ttl: 60_000, limit: cfg.rateLimit.globalPerMinute },
              // Sign-in, sign-up, reset and code redemption: a much lower ceiling per IP.
              { name: 'auth', ttl: 60_000, limit: cfg.rateLimit.authPerMinute, skipIf: (ctx) => !isAuthRateLimited(ctx) },
            ],
            storage: new RedisThrottlerStorage(redis, cfg.queuePrefix),
          }),
        }),
        IdentityModule,
        IdentityHttpModule,
        ReportsHttpModule,
        BudgetsHttpModule,
        Open311HttpModule,
        PanelsHttpModule,
        WorkshopsHttpModule,
        SurveysHttpModule,
        WorkshopBoardHttpModule,
        ProposalsHttpModule,
        // Generic /api/v1/:collection/:id/{comments,follow,flags}: they claim only those last segments.
        EngagementHttpModule,
        MediaHttpModule,
        NotificationsHttpModule,
        // HTML pages at the paths mails link to, until apps/web serves them.
        PagesHttpModule,
        OpenDataHttpModule,
        RealtimeGatewayModule,
      ],
      // `/` is the web app, or the API docs when it is not built (configure-app → serveWebApp).
      controllers: [HealthController],
      providers: [
        JwtStrategy,
        // Order matters: authenticate first, then count requests.
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
