import { Logger } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { DomainException, errorMessage, ErrorLocale, localizeError, resolveErrorLocale } from '@app/common';
import {
  Ack,
  CONNECTION_LIMITS,
  ConnectionRateLimiter,
  ConnectionState,
  InvalidRealtimeMessageError,
  parseTokenBody,
  REALTIME_COMMANDS,
  REALTIME_EVENTS,
  RateLimitedError,
  RealtimeCommandRegistry,
  RealtimeService,
  SOCKET_PATH,
} from '@app/realtime';
import { randomUUID } from 'node:crypto';
import type { DefaultEventsMap, Server, Socket } from 'socket.io';
import { HandshakeAuthenticator } from './handshake-authenticator';
import { leaveRevokedTopics, RoleSockets } from './role-sockets';
import { SessionSockets } from './session-sockets';

type RealtimeSocket = Socket<DefaultEventsMap, DefaultEventsMap, DefaultEventsMap, ConnectionState>;

/** Per-socket, in memory: the limiter is about this connection only and dies with it. */
const LIMITERS = new WeakMap<Socket, ConnectionRateLimiter>();
/** Per-socket count of library commands refused as bad input (see CONNECTION_LIMITS.maxRefusals). */
const REFUSALS = new WeakMap<Socket, ConnectionRateLimiter>();
/** Refusals that say nothing bad about the client: a crowded board's conflicts, our own limits. */
const FORGIVEN_KINDS = new Set(['conflict', 'too_many']);
/** When a signed-in connection's token runs out, unless a fresh one comes first. */
const EXPIRIES = new WeakMap<Socket, NodeJS.Timeout>();

/**
 * Live updates on the API's HTTP server (`/socket.io`). Authenticates the handshake, then turns
 * each client message into one RealtimeService call and its outcome into joins, an ack
 * (`{ ok: true, … }` or `{ ok: false, error: { code, message } }`) and presence broadcasts.
 * Domain events are not emitted here: the worker publishes them after commit.
 */
@WebSocketGateway({ path: SOCKET_PATH })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection {
  private readonly logger = new Logger(RealtimeGateway.name);

  @WebSocketServer() private readonly server: Server;

  constructor(
    private readonly realtime: RealtimeService,
    private readonly authenticator: HandshakeAuthenticator,
    private readonly sessions: SessionSockets,
    private readonly roles: RoleSockets,
    private readonly libraryCommands: RealtimeCommandRegistry,
  ) {}

  afterInit(server: Server): void {
    // A signed-in socket is disconnected when its session ends (see SessionSockets).
    this.sessions.attach(server);
    // Its topics follow its person's roles (see RoleSockets).
    this.roles.attach(server);
    // Runs on every handshake, recovered ones included (skipMiddlewares: false).
    server.use((socket: RealtimeSocket, next) => {
      this.authenticator.authenticate(socket.handshake.auth?.token).then(
        (session) => {
          const user = session?.user ?? null;
          if (socket.recovered) {
            // A restored session with private topics stays its owner's: no other token (nor none)
            // takes it over. An anonymous one (public topics only) may be signed in.
            const owner = socket.data.user?.id ?? null;
            if (owner !== null && owner !== (user?.id ?? null)) return next(connectError('SESSION_MISMATCH', 'This connection belonged to someone else; connect afresh'));
            if (session) {
              try {
                this.realtime.authenticate(socket.data, session.user, session.expiresAt);
              } catch (error) {
                return next(connectError((error as DomainException).code ?? 'UNAVAILABLE', (error as Error).message));
              }
            }
          } else {
            socket.data = this.realtime.newConnection(user, session?.expiresAt ?? null);
          }
          next();
        },
        (error: unknown) => {
          if (error instanceof DomainException) return next(connectError(error.code, error.message));
          // The database or Redis is away: say so, not what broke.
          this.logger.warn(`Socket handshake failed: ${(error as Error).message}`);
          next(connectError('UNAVAILABLE', 'Live updates are unavailable right now; try again shortly'));
        },
      );
    });
  }

  async handleConnection(socket: RealtimeSocket): Promise<void> {
    LIMITERS.set(socket, new ConnectionRateLimiter());
    socket.use((packet, next) => this.limit(socket, packet, next));
    this.bindCommands(socket);
    this.scheduleExpiry(socket);
    socket.once('disconnect', () => clearTimeout(EXPIRIES.get(socket)));
    if (!socket.recovered) {
      await socket.join(Object.keys(socket.data.topics));
      await this.sessions.place(socket);
      return;
    }
    // Rooms came back with the session; access may not have.
    await leaveRevokedTopics(socket, this.realtime).catch((error: Error) => {
      this.logger.warn(`Re-authorizing a recovered connection failed, dropping it: ${error.message}`);
      socket.disconnect(true);
    });
    // Signing in on the way back adds the person's own topic; the token may be another session's.
    if (socket.connected) {
      await socket.join(Object.keys(socket.data.topics));
      await this.sessions.place(socket);
    }
  }

  private readonly commands: Record<string, (socket: RealtimeSocket, body: unknown) => Promise<object>> = {
    [REALTIME_COMMANDS.subscribe]: async (socket, body) => {
      const grant = await this.realtime.subscribe(socket.data, body);
      await socket.join(grant.room);
      return { topic: grant.room, presence: grant.presence };
    },
    [REALTIME_COMMANDS.unsubscribe]: async (socket, body) => {
      const topic = this.realtime.unsubscribe(socket.data, body);
      await socket.leave(topic);
      return { topic };
    },
    [REALTIME_COMMANDS.claim]: async (socket, body) => {
      const { claim, broadcast } = await this.realtime.claim(socket.data, body);
      this.server.to(broadcast.topic).emit(REALTIME_EVENTS.presence, broadcast);
      return { claim };
    },
    [REALTIME_COMMANDS.release]: async (socket, body) => {
      const { released, broadcast } = await this.realtime.release(socket.data, body);
      if (broadcast) this.server.to(broadcast.topic).emit(REALTIME_EVENTS.presence, broadcast);
      return { released };
    },
    [REALTIME_COMMANDS.authenticate]: async (socket, body) => {
      const session = await this.authenticator.authenticate(parseTokenBody(body));
      if (!session) throw new InvalidRealtimeMessageError('token must be an access token');
      const join = this.realtime.authenticate(socket.data, session.user, session.expiresAt);
      if (join) await socket.join(join);
      await this.sessions.place(socket);
      this.scheduleExpiry(socket);
      return { expiresAt: new Date(session.expiresAt).toISOString() };
    },
    [REALTIME_COMMANDS.viewing]: async (socket, body) => {
      const { broadcast } = await this.realtime.viewing(socket.data, body);
      this.server.to(broadcast.topic).emit(REALTIME_EVENTS.presence, broadcast);
      return { expiresAt: broadcast.expiresAt };
    },
  };

  /**
   * Binds the client commands with plain listeners rather than @SubscribeMessage: the HTTP
   * app's global guards (JWT, throttler) would otherwise run on every socket message, and Nest's
   * per-handler streams would cost memory on every idle connection.
   */
  private bindCommands(socket: RealtimeSocket): void {
    for (const [name, handler] of Object.entries(this.commands)) {
      socket.on(name, (...args: unknown[]) => {
        const ack = args[args.length - 1];
        const body = typeof args[0] === 'function' ? undefined : args[0];
        void this.ack(socketLocale(socket), () => handler(socket, body)).then((reply) => {
          if (typeof ack === 'function') ack(reply);
        });
      });
    }
    // Libraries' commands (@HandlesRealtimeCommands): the same acks; a client whose commands keep
    // being refused as bad input is cut off like a flooding one.
    for (const [name, handler] of this.libraryCommands.commands()) {
      socket.on(name, (...args: unknown[]) => {
        const ack = args[args.length - 1];
        const body = typeof args[0] === 'function' ? undefined : args[0];
        let refusedKind: string | null = null;
        const run = () =>
          handler.handle(name, socket.data, body).catch((error: unknown) => {
            refusedKind = error instanceof DomainException ? error.kind : null;
            throw error;
          });
        void this.ack(socketLocale(socket), run).then((reply) => {
          if (typeof ack === 'function') ack(reply);
          if (refusedKind !== null && !FORGIVEN_KINDS.has(refusedKind)) this.countRefusal(socket);
        });
      });
    }
  }

  private countRefusal(socket: RealtimeSocket): void {
    let refusals = REFUSALS.get(socket);
    if (!refusals) {
      refusals = new ConnectionRateLimiter(CONNECTION_LIMITS.refusalsForgivenPerSecond, CONNECTION_LIMITS.maxRefusals, 0);
      REFUSALS.set(socket, refusals);
    }
    if (refusals.take() === 'ok') return;
    this.logger.warn(`Disconnecting socket ${socket.id} (user ${socket.data.user?.id ?? 'anonymous'}): too many refused commands`);
    socket.disconnect(true);
  }

  /**
   * A connection is signed in only as long as its access token: at expiry it carries on as an
   * anonymous one, told which topics it left (`unsubscribed`, TOKEN_EXPIRED). A client that
   * refreshes its token sends it with `authenticate` before then.
   */
  private scheduleExpiry(socket: RealtimeSocket): void {
    clearTimeout(EXPIRIES.get(socket));
    const { expiresAt } = socket.data;
    if (expiresAt === null || expiresAt === undefined) return;
    const timer = setTimeout(() => void this.expire(socket), Math.max(0, Math.min(expiresAt - Date.now(), 2 ** 31 - 1)));
    timer.unref();
    EXPIRIES.set(socket, timer);
  }

  private async expire(socket: RealtimeSocket): Promise<void> {
    if (!socket.connected) return;
    try {
      for (const { topic, code, message } of await this.realtime.expire(socket.data)) {
        await socket.leave(topic);
        socket.emit(REALTIME_EVENTS.unsubscribed, { topic, error: { code, message } });
      }
      // Anonymous from now on: a later end of that session no longer concerns it.
      await this.sessions.place(socket);
    } catch (error) {
      // Could not tell which topics remain allowed: close rather than leave them open.
      this.logger.warn(`Expiring a connection failed, dropping it: ${(error as Error).message}`);
      socket.disconnect(true);
    }
  }

  /** Every incoming message spends a token; a client that keeps flooding is cut off. */
  private limit(socket: RealtimeSocket, packet: unknown[], next: (err?: Error) => void): void {
    const verdict = LIMITERS.get(socket)?.take() ?? 'ok';
    if (verdict === 'ok') return next();
    if (verdict === 'abusive') {
      this.logger.warn(`Disconnecting socket ${socket.id} (user ${socket.data.user?.id ?? 'anonymous'}): message flood`);
      socket.disconnect(true);
      return;
    }
    // Dropped, not passed to next(err): that would raise an 'error' event on the socket.
    const ack = packet[packet.length - 1];
    if (typeof ack === 'function') ack(errorAck(new RateLimitedError(), socketLocale(socket)));
  }

  /** Domain errors become `{ ok: false, error }`; anything else is logged with an id the client gets. */
  private async ack(locale: ErrorLocale, run: () => Promise<object>): Promise<Ack> {
    try {
      return { ok: true, ...(await run()) };
    } catch (error) {
      if (error instanceof DomainException) return errorAck(error, locale);
      const errorId = randomUUID();
      this.logger.error({ err: error, errorId }, `Realtime handler failed: ${(error as Error).message}`);
      const message = errorMessage('INTERNAL_ERROR', locale, {}, 'Something went wrong on our side; quote the errorId if you report it');
      return { ok: false, error: { code: 'INTERNAL_ERROR', message, details: [], errorId } };
    }
  }
}

/** The same `{code, message, details: [], meta?}` as an HTTP error body, in the connection's language. */
function errorAck(error: DomainException, locale: ErrorLocale): Ack {
  return { ok: false, error: localizeError(error, locale) };
}

/** The handshake's `auth.locale`, else its Accept-Language header (browsers send theirs), else English. */
function socketLocale(socket: RealtimeSocket): ErrorLocale {
  const chosen = socket.handshake.auth?.locale;
  return resolveErrorLocale(typeof chosen === 'string' ? chosen : socket.handshake.headers['accept-language']);
}

/** A refused handshake: the client's connect_error carries `message` and `data.code`. */
function connectError(code: string, message: string): Error & { data: { code: string } } {
  return Object.assign(new Error(message), { data: { code } });
}
