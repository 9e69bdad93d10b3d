import { Injectable } from '@nestjs/common';
import { ProvidesTopics, RealtimeActor, TopicDecision, TopicPolicy, TopicRequest } from './topic-policy';

/** The room of one person's private events; a connection joins its own on connect. */
export const userTopic = (userId: string): string => `user:${userId}`;

/** `user:{id}`: private notifications and "my reports"; only that person, never anyone else. */
@Injectable()
@ProvidesTopics('user:{id}')
export class UserTopicPolicy implements TopicPolicy {
  async authorize(actor: RealtimeActor, { params }: TopicRequest): Promise<TopicDecision> {
    if (!actor) return { ok: false, code: 'UNAUTHENTICATED', reason: 'Sign in to receive your own events' };
    if (actor.id !== params.id) return { ok: false, code: 'FORBIDDEN', reason: "Another person's events are private" };
    return { ok: true };
  }
}
