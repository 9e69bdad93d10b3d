import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { DomainException } from '@app/common';
import { RealtimeRegistrationError, TopicInvalidError, TopicRefusedError, TopicUnknownError } from '../realtime.errors';
import { CompiledPattern, compilePattern, isWellFormedTopic, matchPattern, patternsOverlap } from './topic-pattern';
import { RealtimeActor, TOPIC_POLICY, TopicPolicy, TopicRequest } from './topic-policy';

export interface RegisteredPattern extends CompiledPattern {
  policy: TopicPolicy;
  className: string;
}

export interface TopicPolicyCandidate {
  className: string;
  patterns: string[];
  instance: unknown;
}

/** A granted subscription: the room to join and whether presence works there. */
export interface TopicGrant {
  room: string;
  presence: boolean;
}

/**
 * Checks and indexes the discovered policies. Pure, so the rules are unit-tested without Nest:
 * every pattern is well-formed, the instance has `authorize`, and no topic could match two
 * patterns (a budget's pattern must never capture a report's topic).
 */
export function buildTopicIndex(candidates: TopicPolicyCandidate[]): RegisteredPattern[] {
  const index: RegisteredPattern[] = [];
  for (const { className, patterns, instance } of candidates) {
    if (!Array.isArray(patterns) || patterns.length === 0) throw new RealtimeRegistrationError(`Topic policy ${className} declares no pattern`);
    if (typeof (instance as Partial<TopicPolicy> | null)?.authorize !== 'function') {
      throw new RealtimeRegistrationError(`Topic policy ${className} must be a singleton with an authorize(actor, request) method`);
    }
    for (const pattern of patterns) {
      const compiled = compilePattern(pattern);
      const clash = index.find((other) => patternsOverlap(other, compiled));
      if (clash) {
        // One class provided by two modules is still one policy.
        if (clash.pattern === pattern && clash.policy.constructor === (instance as object).constructor) continue;
        throw new RealtimeRegistrationError(`Topic pattern "${pattern}" of ${className} overlaps "${clash.pattern}" of ${clash.className}`);
      }
      index.push({ ...compiled, policy: instance as TopicPolicy, className });
    }
  }
  return index;
}

/** The pattern a topic belongs to and its parameters; TOPIC_INVALID / TOPIC_UNKNOWN otherwise. */
export function resolveTopic(index: readonly RegisteredPattern[], topic: unknown): { entry: RegisteredPattern; request: TopicRequest } {
  if (!isWellFormedTopic(topic)) throw new TopicInvalidError(typeof topic === 'string' ? topic : String(topic));
  for (const entry of index) {
    const params = matchPattern(entry, topic);
    if (params) return { entry, request: { topic, pattern: entry.pattern, params } };
  }
  throw new TopicUnknownError(topic);
}

/**
 * Every topic family the application knows, found once across all modules (providers marked
 * @ProvidesTopics). Asks the owning policy whether an actor may listen to a topic.
 */
@Injectable()
export class TopicRegistry implements OnModuleInit {
  private readonly logger = new Logger(TopicRegistry.name);
  private index: RegisteredPattern[] | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.logger.debug(`Topic patterns: ${this.patterns().join(', ') || '(none)'}`);
  }

  patterns(): string[] {
    return this.load().map((p) => p.pattern);
  }

  /** The room to join, or a RealtimeError saying why not (the policy's own code and reason). */
  async authorize(actor: RealtimeActor, topic: unknown): Promise<TopicGrant> {
    const { entry, request } = resolveTopic(this.load(), topic);
    let decision;
    try {
      decision = await entry.policy.authorize(actor, request);
    } catch (error) {
      if (error instanceof DomainException) throw new TopicRefusedError(error.code, error.message, error.kind);
      throw error;
    }
    if (!decision.ok) throw new TopicRefusedError(decision.code, decision.reason);
    return { room: request.topic, presence: decision.presence === true };
  }

  private load(): RegisteredPattern[] {
    if (this.index) return this.index;
    const candidates: TopicPolicyCandidate[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      // As the outbox's consumer registry does: factory providers only reveal their class through the instance.
      const type = !wrapper.metatype || wrapper.inject ? wrapper.instance?.constructor : wrapper.metatype;
      if (typeof type !== 'function') continue;
      const patterns = this.reflector.get<string[] | undefined>(TOPIC_POLICY, type);
      if (!patterns) continue;
      candidates.push({ className: type.name, patterns, instance: wrapper.instance });
    }
    this.index = buildTopicIndex(candidates);
    return this.index;
  }
}
