import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import { AccessTokenVerifier } from './access-token-verifier';

/** The app's one AccessTokenVerifier: HTTP requests, socket handshakes and Bull Board check tokens alike. */
@Module({
  providers: [{ provide: AccessTokenVerifier, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new AccessTokenVerifier(config.jwtSecret) }],
  exports: [AccessTokenVerifier],
})
export class AccessTokensModule {}
