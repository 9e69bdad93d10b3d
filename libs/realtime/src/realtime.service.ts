import { Injectable } from '@nestjs/common';
import type { AuthUser } from '@app/common';
import { UsersService } from '@app/identity';
import { CONNECTION_LIMITS } from './limits/connection-limits';
import { Claim, PresenceService } from './presence/presence.service';
import { PresenceMessage } from './realtime-message';
import {
  ClaimedByOtherError,
  InvalidRealtimeMessageError,
  NotSubscribedError,
  PresenceTopicRequiredError,
  RealtimeError,
  SessionMismatchError,
  TooManySubscriptionsError,
} from './realtime.errors';
import { isWellFormedTopic } from './topics/topic-pattern';
import { TopicGrant, TopicRegistry } from './topics/topic-registry';
import { userTopic } from './topics/user-topic.policy';

/**
 * What the server remembers of one connection. It lives in `socket.data`, which socket.io keeps
 * across a recovered reconnection (also on another instance), so it stays small and plain.
 */
export interface ConnectionState {
  user: AuthUser | null;
  /** When the access token the connection stands on expires (ms since epoch); null when anonymous. */
  expiresAt: number | null;
  /** Subscribed topics; the value says whether presence works there. */
  topics: Record<string, boolean>;
  /** The user's display name, loaded on the first presence action. */
  name?: string | null;
}

const SUBJECT_ID = /^[A-Za-z0-9_-]{1,64}$/;

function objectBody(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidRealtimeMessageError(`Expected an object with ${allowed.join(', ')}`);
  }
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length) throw new InvalidRealtimeMessageError(`Unknown field(s): ${unknown.join(', ')}`);
  return body as Record<string, unknown>;
}

export function parseTopicBody(body: unknown): string {
  const { topic } = objectBody(body, ['topic']);
  if (typeof topic !== 'string') throw new InvalidRealtimeMessageError('topic must be a string');
  return topic;
}

export function parseTokenBody(body: unknown): string {
  const { token } = objectBody(body, ['token']);
  if (typeof token !== 'string' || token.length === 0) throw new InvalidRealtimeMessageError('token must be an access token');
  return token;
}

/** `{ topic?, reportId }` (or `id` for subjects other than reports). */
export function parsePresenceBody(body: unknown): { topic: string | null; subjectId: string } {
  const { topic, reportId, id } = objectBody(body, ['topic', 'reportId', 'id']);
  const subjectId = reportId ?? id;
  if (typeof subjectId !== 'string' || !SUBJECT_ID.test(subjectId)) throw new InvalidRealtimeMessageError('reportId must be an id');
  if (topic !== undefined && typeof topic !== 'string') throw new InvalidRealtimeMessageError('topic must be a string');
  return { topic: topic ?? null, subjectId };
}

/**
 * The rules of the live channel, apart from the transport: which topics a connection may join
 * (asking the TopicRegistry), how many, and presence on boards. The gateway only turns socket
 * messages into these calls and their results into joins, acks and broadcasts.
 */
@Injectable()
export class RealtimeService {
  constructor(
    private readonly topics: TopicRegistry,
    private readonly presence: PresenceService,
    private readonly users: UsersService,
  ) {}

  newConnection(user: AuthUser | null, expiresAt: number | null = null): ConnectionState {
    return { user, expiresAt: user ? expiresAt : null, topics: user ? { [userTopic(user.id)]: false } : {} };
  }

  /**
   * A fresh access token on an open connection (the client refreshed it): the same person, or a
   * connection that was anonymous (or expired) signing in. Returns the room to join, if any.
   */
  authenticate(state: ConnectionState, user: AuthUser, expiresAt: number): string | null {
    if (state.user && state.user.id !== user.id) throw new SessionMismatchError();
    const own = userTopic(user.id);
    const join = own in state.topics ? null : own;
    if (join && Object.keys(state.topics).length >= CONNECTION_LIMITS.maxSubscriptions) throw new TooManySubscriptionsError(CONNECTION_LIMITS.maxSubscriptions);
    state.user = user;
    state.expiresAt = expiresAt;
    state.topics[own] = false;
    return join;
  }

  /**
   * The token ran out without being renewed: the connection goes on as an anonymous one and
   * leaves the topics an anonymous client may not follow.
   */
  async expire(state: ConnectionState): Promise<Array<{ topic: string; code: string; message: string }>> {
    state.user = null;
    state.expiresAt = null;
    state.name = undefined;
    const revoked = await this.reauthorize(state);
    return revoked.map((r) => ({ ...r, code: 'TOKEN_EXPIRED', message: 'Your access token expired; send a fresh one (authenticate) to follow this again' }));
  }

  /** Joins a topic, or throws a RealtimeError carrying the policy's reason. Idempotent. */
  async subscribe(state: ConnectionState, body: unknown): Promise<TopicGrant> {
    const topic = parseTopicBody(body);
    if (topic in state.topics) return { room: topic, presence: state.topics[topic] };
    if (Object.keys(state.topics).length >= CONNECTION_LIMITS.maxSubscriptions) throw new TooManySubscriptionsError(CONNECTION_LIMITS.maxSubscriptions);
    const grant = await this.topics.authorize(state.user, topic);
    if (Object.keys(state.topics).length >= CONNECTION_LIMITS.maxSubscriptions) throw new TooManySubscriptionsError(CONNECTION_LIMITS.maxSubscriptions);
    state.topics[grant.room] = grant.presence;
    return grant;
  }

  /** The room to leave; unsubscribing from a topic one is not on is a no-op. */
  unsubscribe(state: ConnectionState, body: unknown): string {
    const topic = parseTopicBody(body);
    if (!isWellFormedTopic(topic)) throw new InvalidRealtimeMessageError('topic is not a topic');
    delete state.topics[topic];
    return topic;
  }

  /**
   * After a recovered reconnection (rooms restored from the session), asks again whether each
   * topic is still allowed — a staff member may have lost the role meanwhile. Returns the ones
   * to leave, with the reason.
   */
  async reauthorize(state: ConnectionState): Promise<Array<{ topic: string; code: string; message: string }>> {
    const revoked: Array<{ topic: string; code: string; message: string }> = [];
    for (const topic of Object.keys(state.topics)) {
      try {
        const grant = await this.topics.authorize(state.user, topic);
        state.topics[topic] = grant.presence;
      } catch (error) {
        if (!(error instanceof RealtimeError)) throw error;
        delete state.topics[topic];
        revoked.push({ topic, code: error.code, message: error.message });
      }
    }
    return revoked;
  }

  async claim(state: ConnectionState, body: unknown): Promise<{ claim: Claim; broadcast: PresenceMessage }> {
    const { topic, subjectId, holder } = await this.presenceTarget(state, body);
    const outcome = await this.presence.claim(topic, subjectId, holder);
    if (!outcome.ok) throw new ClaimedByOtherError(outcome.heldBy);
    return {
      claim: outcome.claim,
      broadcast: { topic, subjectId, action: 'claimed', by: holder, expiresAt: outcome.claim.expiresAt },
    };
  }

  /** Releases one's own claim; the broadcast is null when there was nothing to release. */
  async release(state: ConnectionState, body: unknown): Promise<{ released: boolean; broadcast: PresenceMessage | null }> {
    const { topic, subjectId, holder } = await this.presenceTarget(state, body);
    const outcome = await this.presence.release(topic, subjectId, holder.userId);
    if (outcome.heldBy) throw new ClaimedByOtherError(outcome.heldBy);
    return {
      released: outcome.released,
      broadcast: outcome.released ? { topic, subjectId, action: 'released', by: holder, expiresAt: null } : null,
    };
  }

  async viewing(state: ConnectionState, body: unknown): Promise<{ broadcast: PresenceMessage }> {
    const { topic, subjectId, holder } = await this.presenceTarget(state, body);
    const viewer = await this.presence.viewing(topic, subjectId, holder);
    return { broadcast: { topic, subjectId, action: 'viewing', by: holder, expiresAt: viewer.until } };
  }

  /** The board a presence message is about: the one named, or the only presence topic subscribed. */
  private async presenceTarget(state: ConnectionState, body: unknown) {
    const { topic: named, subjectId } = parsePresenceBody(body);
    let topic: string;
    if (named !== null) {
      if (!(named in state.topics)) throw new NotSubscribedError(named);
      if (!state.topics[named]) throw new PresenceTopicRequiredError(`${named} has no presence`);
      topic = named;
    } else {
      const boards = Object.keys(state.topics).filter((t) => state.topics[t]);
      if (boards.length !== 1) {
        throw new PresenceTopicRequiredError(
          boards.length === 0 ? 'Subscribe to a board with presence (a triage topic) first' : `Say which board: topic is one of ${boards.join(', ')}`,
        );
      }
      topic = boards[0];
    }
    // Only signed-in staff get presence topics; the policy checked it when they subscribed.
    const user = state.user!;
    if (state.name === undefined) {
      const summary = (await this.users.summaries([user.id])).get(user.id);
      state.name = summary && !summary.erased ? summary.displayName : null;
    }
    return { topic, subjectId, holder: { userId: user.id, name: state.name } };
  }
}
