import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { DomainEventConsumer, DomainEventType, EVENT_CONSUMER, EventConsumerOptions } from '@app/common';

export interface RegisteredConsumer {
  name: string;
  events: ReadonlySet<string>;
  consumer: DomainEventConsumer;
  /** See EventConsumerOptions.rerunnable. */
  rerunnable: boolean;
}

export interface ConsumerCandidate {
  /** Where it was found, for error messages. */
  className: string;
  options: EventConsumerOptions;
  instance: unknown;
}

/** Consumer names end up in BullMQ job ids (no ':') and in event_consumptions rows. */
const CONSUMER_NAME = /^[a-z][a-z0-9._-]{0,99}$/;

export class ConsumerRegistrationError extends Error {}

/**
 * Checks and indexes the discovered consumers. Pure, so the rules are unit-tested without Nest:
 * a name is unique (it is the idempotency key), well-formed, subscribes to at least one event,
 * and its instance has a `handle` method.
 */
export function buildConsumerRegistry(candidates: ConsumerCandidate[]): Map<string, RegisteredConsumer> {
  const byName = new Map<string, RegisteredConsumer>();
  const classOf = new Map<string, string>();
  for (const { className, options, instance } of candidates) {
    const { name, events } = options;
    if (typeof name !== 'string' || !CONSUMER_NAME.test(name)) {
      throw new ConsumerRegistrationError(`Event consumer ${className} has an invalid name "${String(name)}" (expected ${CONSUMER_NAME})`);
    }
    if (byName.has(name)) {
      throw new ConsumerRegistrationError(`Event consumer name "${name}" is used by both ${classOf.get(name)} and ${className}`);
    }
    if (!Array.isArray(events) || events.length === 0) {
      throw new ConsumerRegistrationError(`Event consumer ${className} ("${name}") subscribes to no event`);
    }
    if (typeof (instance as Partial<DomainEventConsumer> | null)?.handle !== 'function') {
      throw new ConsumerRegistrationError(`Event consumer ${className} ("${name}") has no handle(event, manager) method`);
    }
    byName.set(name, { name, events: new Set(events), consumer: instance as DomainEventConsumer, rerunnable: options.rerunnable === true });
    classOf.set(name, className);
  }
  return byName;
}

/**
 * Every provider marked @EventConsumer in the worker, by name. Built once at start (a duplicate
 * name stops the worker); the relay asks it who subscribes to an event type, the processor asks
 * it for the consumer a job names.
 */
@Injectable()
export class EventConsumerRegistry implements OnModuleInit {
  private consumers: Map<string, RegisteredConsumer> | null = null;
  private readonly subscribersByType = new Map<string, string[]>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.load();
  }

  get(name: string): RegisteredConsumer | undefined {
    return this.load().get(name);
  }

  /** Names of the consumers subscribed to `type`, in a stable order. */
  subscribersOf(type: DomainEventType | string): string[] {
    const consumers = this.load();
    let names = this.subscribersByType.get(type);
    if (!names) {
      names = [...consumers.values()].filter((c) => c.events.has(type)).map((c) => c.name);
      names.sort();
      this.subscribersByType.set(type, names);
    }
    return names;
  }

  names(): string[] {
    return [...this.load().keys()].sort();
  }

  // Lazy as well as at init: BullMQ workers start in another module's onModuleInit, and Nest
  // does not promise which of the two runs first.
  private load(): Map<string, RegisteredConsumer> {
    if (this.consumers) return this.consumers;
    const candidates: ConsumerCandidate[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      // As @nestjs/bullmq does: useValue/useFactory providers only reveal their class through
      // the instance.
      const type = !wrapper.metatype || wrapper.inject ? wrapper.instance?.constructor : wrapper.metatype;
      if (typeof type !== 'function') continue;
      const options = this.reflector.get<EventConsumerOptions | undefined>(EVENT_CONSUMER, type);
      if (!options) continue;
      if (!wrapper.isDependencyTreeStatic() || !wrapper.instance) {
        throw new ConsumerRegistrationError(`Event consumer ${type.name} must be a singleton provider`);
      }
      candidates.push({ className: type.name, options, instance: wrapper.instance });
    }
    this.consumers = buildConsumerRegistry(candidates);
    return this.consumers;
  }
}
