import { SetMetadata } from '@nestjs/common';
import type { AuthUser } from '@app/common';

/** Who subscribes: the signed-in user of the connection, or null for an anonymous one. */
export type RealtimeActor = AuthUser | null;

/** A topic string that matched one of a policy's patterns. */
export interface TopicRequest {
  /** The topic as the client wrote it, e.g. `municipality:lille:triage`; it is also the room. */
  topic: string;
  /** The pattern it matched, e.g. `municipality:{slug}:triage`. */
  pattern: string;
  /** The pattern's parameters, e.g. `{ slug: 'lille' }`. */
  params: Record<string, string>;
}

export type TopicDecision =
  /** `presence`: subscribers may claim/release/announce viewing subjects in this room (triage boards). */
  | { ok: true; presence?: boolean }
  | { ok: false; code: string; reason: string };

/**
 * Decides who may listen to a family of topics. A library declares its topics with
 * @ProvidesTopics on a provider implementing this; the gateway never changes when one is added.
 * A policy may also throw a DomainException (e.g. REPORT_NOT_FOUND): it becomes the refusal.
 */
export interface TopicPolicy {
  authorize(actor: RealtimeActor, request: TopicRequest): Promise<TopicDecision>;
}

export const TOPIC_POLICY = Symbol('TOPIC_POLICY');

/**
 * Marks a provider as the TopicPolicy of the given patterns: colon-separated segments, each a
 * literal (`report`) or a parameter (`{id}`), the first one a literal, e.g. `report:{id}` or
 * `municipality:{slug}:triage`. Two policies may not claim patterns that one topic could match.
 */
export const ProvidesTopics = (...patterns: string[]): ClassDecorator => SetMetadata(TOPIC_POLICY, patterns);
