import { io, type Socket } from 'socket.io-client';
import { currentTokens, onTokensChange } from '../api/session';

/** What the server pushes on `event` (libs/realtime/README.md). */
export interface LiveEvent<T = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  topic: string;
  data: T;
}

type Handler = (event: LiveEvent) => void;

/** Claims and "viewing" marks on a triage board (libs/realtime/README.md). */
export interface PresenceMessage {
  topic: string;
  subjectId: string;
  action: 'claimed' | 'released' | 'viewing';
  by: { userId: string; name: string };
  expiresAt: string | null;
}
const presenceListeners = new Set<(message: PresenceMessage) => void>();
/** Told whether the server accepted a subscription (again after each reconnection). */
type AckListener = (ok: boolean) => void;

/**
 * The one socket.io connection of the app. Screens subscribe to topics (`report:{id}`,
 * `municipality:{slug}:triage`, …) and get that topic's events; the person's own topic
 * (`user:{id}`) is joined by the server on a signed-in connection. Subscriptions are sent again
 * after a reconnection, and the connection is rebuilt when the person signs in or out.
 */
const handlers = new Map<string, Set<Handler>>();
const acks = new Map<string, Set<AckListener>>();
const reconnectListeners = new Set<() => void>();
const seen = new Set<string>();
let socket: Socket | null = null;

function ask(connection: Socket, topic: string): void {
  if (topic.startsWith('user:')) {
    // Joined by the server itself on a signed-in connection.
    for (const listener of acks.get(topic) ?? []) listener(true);
    return;
  }
  connection.emit('subscribe', { topic }, (ack: { ok?: boolean } | undefined) => {
    for (const listener of acks.get(topic) ?? []) listener(ack?.ok === true);
  });
}

function connect(): Socket {
  const token = currentTokens()?.accessToken;
  const next = io({ path: '/socket.io', auth: token ? { token } : {}, transports: ['websocket', 'polling'] });
  let connectedBefore = false;
  next.on('connect', () => {
    for (const topic of handlers.keys()) ask(next, topic);
    // Events sent while away are lost unless socket.io recovered the session: screens refetch.
    if (connectedBefore && !next.recovered) for (const listener of reconnectListeners) listener();
    connectedBefore = true;
  });
  next.on('presence', (message: PresenceMessage) => {
    for (const listener of presenceListeners) listener(message);
  });
  next.on('disconnect', () => {
    for (const set of acks.values()) for (const listener of set) listener(false);
  });
  next.on('event', (event: LiveEvent) => {
    // A redelivered event carries the same id: act on it once per topic.
    const key = `${event.id}|${event.topic}`;
    if (seen.has(key)) return;
    seen.add(key);
    if (seen.size > 2000) seen.delete(seen.values().next().value as string);
    for (const handler of handlers.get(event.topic) ?? []) handler(event);
  });
  return next;
}

function live(): Socket {
  socket ??= connect();
  return socket;
}

onTokensChange((tokens) => {
  if (!socket) return;
  if (tokens && socket.connected && (socket.auth as { token?: string }).token) {
    // Same person, fresh token: keep the connection and its rooms.
    socket.auth = { token: tokens.accessToken };
    socket.emit('authenticate', { token: tokens.accessToken }, () => undefined);
    return;
  }
  socket.disconnect();
  socket = connect();
});

/**
 * Calls `handler` for every event on `topic` until the returned function is called; `onLive`
 * says whether the topic is being received (false while disconnected or refused).
 */
export function subscribe(topic: string, handler: Handler, onLive?: AckListener): () => void {
  const existing = handlers.get(topic);
  const set = existing ?? new Set<Handler>();
  set.add(handler);
  handlers.set(topic, set);
  if (onLive) acks.set(topic, (acks.get(topic) ?? new Set()).add(onLive));
  const connection = live();
  if (connection.connected) {
    if (!existing) ask(connection, topic);
    else onLive?.(true);
  }
  return () => {
    set.delete(handler);
    if (onLive) acks.get(topic)?.delete(onLive);
    if (set.size > 0) return;
    handlers.delete(topic);
    acks.delete(topic);
    if (!topic.startsWith('user:') && socket?.connected) socket.emit('unsubscribe', { topic }, () => undefined);
  };
}

/** Calls `listener` after a reconnection that could not recover the missed events. */
export function onReconnect(listener: () => void): () => void {
  reconnectListeners.add(listener);
  return () => void reconnectListeners.delete(listener);
}

export function onPresence(listener: (message: PresenceMessage) => void): () => void {
  presenceListeners.add(listener);
  return () => void presenceListeners.delete(listener);
}

/** A command with an ack (`claim`, `release`, a workshop board's `board` and `board:sync`, …); resolves with the ack, or null when not connected. */
export function command<T = { ok: boolean }>(name: 'claim' | 'release' | 'viewing' | 'board' | 'board:sync', body: object): Promise<T | null> {
  const connection = live();
  if (!connection.connected) return Promise.resolve(null);
  return new Promise((resolve) => connection.timeout(5000).emit(name, body, (error: Error | null, ack: T) => resolve(error ? null : ack)));
}
