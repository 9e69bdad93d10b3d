import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuthService, SessionRevocationWatch } from '@app/identity';
import type { ConnectionState } from '@app/realtime';
import type { DefaultEventsMap, Server, Socket } from 'socket.io';

type RealtimeSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, ConnectionState>;

/**
 * The room of the sockets signed in with one session. Not a topic: `#` is outside the topic
 * shape, so no client can subscribe to it or leave it (unsubscribe refuses the name first).
 */
export const sessionRoom = (sessionId: string): string => `${SESSION_ROOM_PREFIX}${sessionId}`;
const SESSION_ROOM_PREFIX = 'session#';

/** How often this instance checks the sessions of all its sockets, in case an announcement was lost. */
export const SESSION_SWEEP_MS = 60_000;
/** How long a revocation is remembered for a socket that was still being set up when it came. */
const REMEMBER_REVOKED_MS = 60_000;

/**
 * Ends the connections of a session that ends — sign-out, password reset, account deletion, a
 * reused refresh token — on every API instance, so a signed-out token stops receiving `user:{id}`
 * and staff topics at once rather than until it expires.
 *
 * Each signed-in socket is in its session's room, and every API instance LISTENs to PostgreSQL,
 * where a trigger announces each revoked session at commit (AuthService.watchRevocations):
 * each instance disconnects its own sockets of that session. Why PostgreSQL rather than a
 * domain event: the worker's publisher only appends broadcasts to the Redis stream and cannot
 * act on sockets, and relaying the event to the instances (socket.io's server-side messages over
 * Redis) would need Redis and the worker up at that moment; every instance already depends on
 * PostgreSQL, and the announcement comes from the revoking commit itself, whichever process made
 * it. Announcements sent while the listening connection is down are lost, so the sessions of
 * all local sockets are checked again when it (re)connects and every SESSION_SWEEP_MS.
 */
@Injectable()
export class SessionSockets implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionSockets.name);
  private server: Server | null = null;
  private watch: Promise<SessionRevocationWatch> | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;
  private sweeping: Promise<void> | null = null;
  private stopped = false;
  /** Session id → when it was revoked (ms), oldest first. */
  private readonly recentlyRevoked = new Map<string, number>();

  constructor(private readonly auth: AuthService) {}

  /** The gateway's server, once socket.io has made it (afterInit). */
  attach(server: Server): void {
    this.server = server;
  }

  onApplicationBootstrap(): void {
    this.watch = this.auth.watchRevocations(
      (sessionId) => this.revoked(sessionId),
      () => void this.sweep(),
    );
    this.sweepTimer = setInterval(() => void this.sweep(), SESSION_SWEEP_MS);
    this.sweepTimer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Before the data source closes: a sweep in progress finishes first.
    this.stopped = true;
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await (await this.watch)?.stop();
    await this.sweeping;
  }

  /**
   * Puts a socket whose identity was just set (connection, recovery, `authenticate`, expiry) in
   * its session's room and in no other. A session revoked while the socket was being set up, and
   * so before it was in the room to be disconnected, disconnects it here: returns false then.
   */
  async place(socket: RealtimeSocket): Promise<boolean> {
    const sessionId = socket.data.user?.sessionId ?? null;
    const room = sessionId ? sessionRoom(sessionId) : null;
    for (const joined of [...socket.rooms]) {
      if (joined.startsWith(SESSION_ROOM_PREFIX) && joined !== room) await socket.leave(joined);
    }
    if (!sessionId || !room) return true;
    await socket.join(room);
    // Checked after joining: a revocation from now on finds the socket in the room.
    if (!this.recentlyRevoked.has(sessionId)) return true;
    socket.disconnect(true);
    return false;
  }

  private revoked(sessionId: string): void {
    const now = Date.now();
    this.recentlyRevoked.delete(sessionId);
    this.recentlyRevoked.set(sessionId, now);
    for (const [id, at] of this.recentlyRevoked) {
      if (at > now - REMEMBER_REVOKED_MS) break;
      this.recentlyRevoked.delete(id);
    }
    // This instance's sockets only: every instance hears the same announcement.
    this.server?.local.in(sessionRoom(sessionId)).disconnectSockets(true);
  }

  /** Checks the sessions of every socket on this instance; disconnects those that ended. */
  private sweep(): Promise<void> {
    if (this.sweeping) return this.sweeping;
    const server = this.server;
    if (!server || this.stopped) return Promise.resolve();
    const sessions = new Set<string>();
    for (const socket of server.of('/').sockets.values()) {
      const sessionId = (socket.data as ConnectionState | undefined)?.user?.sessionId;
      if (sessionId) sessions.add(sessionId);
    }
    if (sessions.size === 0) return Promise.resolve();
    this.sweeping = this.auth
      .endedSessions([...sessions])
      .then((ended) => ended.forEach((sessionId) => this.revoked(sessionId)))
      .catch((error: Error) => this.logger.warn(`Checking the sessions of open sockets failed: ${error.message}`))
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }
}
