import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { RealtimeModule } from '@app/realtime';
import { AccessTokensModule } from '../auth/access-tokens.module';
import { HandshakeAuthenticator } from './handshake-authenticator';
import { RealtimeGateway } from './realtime.gateway';
import { RoleSockets } from './role-sockets';
import { SessionSockets } from './session-sockets';

/** The socket.io endpoint of the API (see RealtimeIoAdapter for its server options). */
@Module({
  imports: [RealtimeModule, IdentityModule, AccessTokensModule],
  providers: [RealtimeGateway, HandshakeAuthenticator, SessionSockets, RoleSockets],
})
export class RealtimeGatewayModule {}
