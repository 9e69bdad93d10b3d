import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PrincipalChanges } from '@app/identity';
import { ConnectionState, REALTIME_EVENTS, RealtimeService } from '@app/realtime';
import type { DefaultEventsMap, Server, Socket } from 'socket.io';

type RealtimeSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, ConnectionState>;

/**
 * Takes a socket out of the topics its person may no longer follow, telling the client
 * (`unsubscribed` with the reason). Throws when access could not be checked (the caller closes
 * the connection rather than leave topics open).
 */
export async function leaveRevokedTopics(socket: RealtimeSocket, realtime: RealtimeService): Promise<void> {
  for (const { topic, code, message } of await realtime.reauthorize(socket.data)) {
    await socket.leave(topic);
    socket.emit(REALTIME_EVENTS.unsubscribed, { topic, error: { code, message } });
  }
}

/**
 * Keeps open sockets' topics in step with their people's roles: when PostgreSQL announces a
 * change about a person (a role taken away, an account erased; PrincipalChanges), each instance
 * re-checks that person's sockets' topics, so a staff member who loses the role stops receiving
 * the triage board at once rather than until they reconnect. When announcements may have been
 * lost (the listening connection came back), every signed-in socket of the instance is re-checked.
 * Ended sessions are SessionSockets' business: those sockets are disconnected.
 */
@Injectable()
export class RoleSockets implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RoleSockets.name);
  private server: Server | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly changes: PrincipalChanges,
    private readonly realtime: RealtimeService,
  ) {}

  /** The gateway's server, once socket.io has made it (afterInit). */
  attach(server: Server): void {
    this.server = server;
  }

  onApplicationBootstrap(): void {
    this.unsubscribe = this.changes.subscribe({
      changed: (userId) => void this.recheck((state) => state.user?.id === userId),
      maybeMissed: () => void this.recheck((state) => state.user !== null && state.user !== undefined),
    });
  }

  beforeApplicationShutdown(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  private async recheck(concerned: (state: ConnectionState) => boolean): Promise<void> {
    if (!this.server) return;
    const sockets = [...this.server.of('/').sockets.values()].filter((socket) => socket.data && concerned(socket.data as ConnectionState));
    for (const socket of sockets as RealtimeSocket[]) {
      if (!socket.connected) continue;
      try {
        await leaveRevokedTopics(socket, this.realtime);
      } catch (error) {
        this.logger.warn(`Re-checking the topics of socket ${socket.id} failed, dropping it: ${(error as Error).message}`);
        socket.disconnect(true);
      }
    }
  }
}
