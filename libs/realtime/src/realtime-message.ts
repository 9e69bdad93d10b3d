/** Socket event names of the live channel, server → client. */
export const REALTIME_EVENTS = {
  /** A domain event, after commit: a RealtimeMessage. */
  event: 'event',
  /** Presence on a board: claims, releases, who is viewing. */
  presence: 'presence',
  /** The server took a subscription away (e.g. after a reconnect, access was lost). */
  unsubscribed: 'unsubscribed',
} as const;

/** Client → server messages, each answered by an ack. */
export const REALTIME_COMMANDS = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  claim: 'claim',
  release: 'release',
  viewing: 'viewing',
  /** `{ token }`: a refreshed access token, before the connection's one expires. */
  authenticate: 'authenticate',
} as const;

/**
 * What a subscriber receives for a domain event. `id` is the outbox event's id, the same on
 * every redelivery, so a client dedupes on (id, topic); `data` is the view that audience gets
 * from the REST API, never more.
 */
export interface RealtimeMessage<D = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  /** The topic (room) this copy was sent to: one event may reach a client on several topics, with a different view on each. */
  topic: string;
  data: D;
}

/** A presence change on a board, broadcast to its room. */
export interface PresenceMessage {
  topic: string;
  subjectId: string;
  action: 'claimed' | 'released' | 'viewing';
  by: { userId: string; name: string | null };
  /** When the claim or the viewing mark lapses unless renewed; null for a release. */
  expiresAt: string | null;
}

/** A refused command's error: the HTTP error body's `code`, `message`, `details` and `meta`, without the status. */
export interface AckError {
  code: string;
  message: string;
  details: Array<{ field: string; code: string; message: string }>;
  meta?: Record<string, unknown>;
  errorId?: string;
}

export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: AckError };
