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

/**
 * The one socket.io connection of the app. Screens subscribe to topics (`report:{id}`,
 * `municipality:{slug}:triage`, …) and get that topic's events; the person's own topic
 * (`user:{id}`) is joined by the server on a signed-in connection. Subscriptions are sent again
 * after a reconnection, and the connection is rebuilt when the person signs in or out.
 */
const handlers = new Map<string, Set<Handler>>();
const seen = new Set<string>();
let socket: Socket | null = null;

function connect(): Socket {
  const token = currentTokens()?.accessToken;
  const next = io({ path: '/socket.io', auth: token ? { token } : {}, transports: ['websocket', 'polling'] });
  next.on('connect', () => {
    for (const topic of handlers.keys()) if (!topic.startsWith('user:')) next.emit('subscribe', { topic }, () => undefined);
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

/** Calls `handler` for every event on `topic` until the returned function is called. */
export function subscribe(topic: string, handler: Handler): () => void {
  const existing = handlers.get(topic);
  const set = existing ?? new Set<Handler>();
  set.add(handler);
  handlers.set(topic, set);
  const connection = live();
  if (!existing && !topic.startsWith('user:') && connection.connected) connection.emit('subscribe', { topic }, () => undefined);
  return () => {
    set.delete(handler);
    if (set.size > 0) return;
    handlers.delete(topic);
    if (!topic.startsWith('user:') && socket?.connected) socket.emit('unsubscribe', { topic }, () => undefined);
  };
}

/** Resolves once the socket is connected and `topic` subscribed (for screens that must not miss the first event). */
export function whenSubscribed(topic: string): Promise<boolean> {
  const connection = live();
  return new Promise((resolve) => {
    const ask = () => connection.emit('subscribe', { topic }, (ack: { ok: boolean }) => resolve(ack?.ok === true));
    if (connection.connected) ask();
    else connection.once('connect', ask);
  });
}
