import { io, Socket } from 'socket.io-client';

/**
 * What the server sends on `event` (see libs/realtime RealtimeMessage). Reports' events carry
 * `data.report`; other libraries' (notifications on `user:{id}`) carry their own data.
 */
export interface LiveEvent {
  id: string;
  type: string;
  occurredAt: string;
  topic: string;
  data: { report: Record<string, unknown> & { id: string; status: string; staff?: Record<string, unknown> }; update?: { visibility: string; message: string } };
}

export interface LivePresence {
  topic: string;
  subjectId: string;
  action: 'claimed' | 'released' | 'viewing';
  by: { userId: string; name: string | null };
  expiresAt: string | null;
}

export type AckResult = { ok: true; [key: string]: unknown } | { ok: false; error: { code: string; message: string; details: unknown[]; meta?: Record<string, unknown> } };

export interface ConnectError extends Error {
  data?: { code: string };
}

/**
 * A real socket.io client (websocket transport, its own connection) that records what it
 * receives, so tests can wait for an event or check that one never came.
 */
export class LiveClient {
  readonly events: LiveEvent[] = [];
  readonly presence: LivePresence[] = [];
  readonly unsubscribed: Array<{ topic: string; error: { code: string } }> = [];
  /** Why each disconnection happened (socket.io's reason, e.g. 'io server disconnect'), in order. */
  readonly disconnects: string[] = [];
  private readonly waiters = new Set<() => void>();

  private constructor(readonly socket: Socket) {
    socket.on('event', (e: LiveEvent) => this.push(this.events, e));
    socket.on('presence', (p: LivePresence) => this.push(this.presence, p));
    socket.on('unsubscribed', (u: { topic: string; error: { code: string } }) => this.push(this.unsubscribed, u));
    socket.on('disconnect', (reason: string) => this.push(this.disconnects, reason));
  }

  /** Connects and resolves on `connect`; rejects with the server's connect_error (message, data.code). */
  static connect(url: string, token?: string, options: { reconnection?: boolean; locale?: string } = {}): Promise<LiveClient> {
    const socket = io(url, {
      path: '/socket.io',
      transports: ['websocket'],
      forceNew: true,
      reconnection: options.reconnection ?? false,
      reconnectionDelay: 100,
      reconnectionDelayMax: 200,
      auth: { ...(token === undefined ? {} : { token }), ...(options.locale ? { locale: options.locale } : {}) },
    });
    const client = new LiveClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(client));
      socket.once('connect_error', (error: ConnectError) => {
        socket.close();
        reject(error);
      });
    });
  }

  /** Swaps the base URL the next reconnection goes to (to recover on another instance). */
  retarget(url: string): void {
    const target = new URL(url);
    const engineOpts = (this.socket.io as unknown as { opts: Record<string, unknown> }).opts;
    engineOpts.hostname = target.hostname;
    engineOpts.port = target.port;
    (this.socket.io as unknown as { uri: string }).uri = url;
  }

  request(event: string, body?: unknown): Promise<AckResult> {
    return this.socket.timeout(10_000).emitWithAck(event, body) as Promise<AckResult>;
  }

  subscribe(topic: string): Promise<AckResult> {
    return this.request('subscribe', { topic });
  }

  /** Subscribes and fails the test unless the server says yes. */
  async mustSubscribe(topic: string): Promise<void> {
    const ack = await this.subscribe(topic);
    if (!ack.ok) throw new Error(`subscribe ${topic} refused: ${JSON.stringify(ack.error)}`);
  }

  waitForEvent(predicate: (e: LiveEvent) => boolean, timeoutMs = 15_000): Promise<LiveEvent> {
    return this.waitIn(this.events, predicate, timeoutMs, 'event');
  }

  waitForPresence(predicate: (p: LivePresence) => boolean, timeoutMs = 10_000): Promise<LivePresence> {
    return this.waitIn(this.presence, predicate, timeoutMs, 'presence');
  }

  /** Resolves with the reason of the next disconnection (or of one that already happened). */
  async waitForDisconnect(timeoutMs = 10_000): Promise<string> {
    await this.waitFor(() => this.disconnects.length > 0, timeoutMs, 'a disconnection');
    return this.disconnects[0];
  }

  eventsFor(reportId: string, topic?: string): LiveEvent[] {
    return this.events.filter((e) => e.data?.report?.id === reportId && (topic === undefined || e.topic === topic));
  }

  waitFor(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
    if (condition()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  close(): void {
    this.socket.close();
  }

  private push<T>(list: T[], item: T): void {
    list.push(item);
    for (const waiter of [...this.waiters]) waiter();
  }

  private async waitIn<T>(list: T[], predicate: (item: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    await this.waitFor(() => list.some(predicate), timeoutMs, `a matching ${what} (got ${JSON.stringify(list.map((x) => (x as { type?: string }).type ?? x)).slice(0, 500)})`);
    return list.find(predicate)!;
  }
}

/** Connect, expecting a refusal: returns the connect_error. */
export async function refusedConnection(url: string, token: string): Promise<ConnectError> {
  try {
    const client = await LiveClient.connect(url, token);
    client.close();
  } catch (error) {
    return error as ConnectError;
  }
  throw new Error('the connection was accepted');
}

