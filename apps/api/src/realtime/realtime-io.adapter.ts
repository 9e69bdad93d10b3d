import { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { APP_CONFIG, AppConfig } from '@app/common';
import { CONNECTION_LIMITS, createRealtimeAdapter, RealtimeAdapter, RECOVERY_WINDOW_MS, SOCKET_PATH } from '@app/realtime';
import { Server, ServerOptions } from 'socket.io';

type NestIoServer = ReturnType<IoAdapter['createIOServer']>;

/**
 * The API's socket.io server: on the HTTP server, CORS from the config, the per-connection
 * payload limit, connection-state recovery, and the Redis streams adapter shared with the
 * other instances and the worker. Options that depend on the config live here because
 * @WebSocketGateway options are static.
 *
 * The server comes from our own socket.io dependency, the one the worker's publisher uses,
 * rather than the copy @nestjs/platform-socket.io pins (hence the casts to Nest's types).
 */
export class RealtimeIoAdapter extends IoAdapter {
  private readonly adapters = new Map<unknown, RealtimeAdapter>();

  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  override createIOServer(port: number, options?: Parameters<IoAdapter['createIOServer']>[1]): NestIoServer {
    const config = this.app.get<AppConfig>(APP_CONFIG);
    const adapter = createRealtimeAdapter(config);
    const serverOptions: Partial<ServerOptions> = {
      ...(options as Partial<ServerOptions> | undefined),
      path: SOCKET_PATH,
      serveClient: false,
      cors: { origin: config.corsOrigins, credentials: true },
      // Engine.io closes a connection that sends a larger message; nobody else notices.
      maxHttpBufferSize: CONNECTION_LIMITS.maxPayloadBytes,
      // Middlewares run again on a recovered connection: its token is checked anew.
      connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
      // At construction, not io.adapter() later: the default in-memory adapter would be built
      // first and leave its session-cleanup timer running.
      adapter: adapter.factory,
    };
    const server = this.httpServer && port === 0 ? new Server(this.httpServer, serverOptions) : new Server(port, serverOptions);
    this.adapters.set(server, adapter);
    return server as unknown as NestIoServer;
  }

  override async close(server: NestIoServer): Promise<void> {
    // Closing the server saves the recoverable sessions of its sockets to Redis (through the
    // adapter's client, which quits only after that).
    await super.close(server);
    const adapter = this.adapters.get(server);
    this.adapters.delete(server);
    await adapter?.close();
  }
}
