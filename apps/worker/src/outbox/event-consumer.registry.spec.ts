import { Injectable, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { DomainEventConsumer, EventConsumer } from '@app/common';
import { buildConsumerRegistry, ConsumerRegistrationError, EventConsumerRegistry } from './event-consumer.registry';

const handler: DomainEventConsumer = { handle: async () => undefined };

describe('buildConsumerRegistry', () => {
  it('indexes consumers by name with their event types', () => {
    const registry = buildConsumerRegistry([
      { className: 'A', options: { name: 'a.mails', events: ['identity.user_registered'] }, instance: handler },
      { className: 'B', options: { name: 'b', events: ['identity.user_erased', 'identity.user_registered'] }, instance: handler },
    ]);
    expect([...registry.keys()]).toEqual(['a.mails', 'b']);
    expect(registry.get('b')!.events.has('identity.user_erased')).toBe(true);
    expect(registry.get('b')!.consumer).toBe(handler);
  });

  it('refuses two consumers with the same name, naming both classes', () => {
    expect(() =>
      buildConsumerRegistry([
        { className: 'First', options: { name: 'mails', events: ['identity.user_registered'] }, instance: handler },
        { className: 'Second', options: { name: 'mails', events: ['identity.user_erased'] }, instance: handler },
      ]),
    ).toThrow(new ConsumerRegistrationError('Event consumer name "mails" is used by both First and Second'));
  });

  it.each([
    ['a name that cannot be part of a job id', { name: 'identity:mails', events: ['identity.user_registered'] }],
    ['an empty name', { name: '', events: ['identity.user_registered'] }],
    ['no events', { name: 'mails', events: [] }],
  ])('refuses %s', (_label, options) => {
    expect(() => buildConsumerRegistry([{ className: 'C', options: options as never, instance: handler }])).toThrow(ConsumerRegistrationError);
  });

  it('refuses a consumer without a handle method', () => {
    expect(() =>
      buildConsumerRegistry([{ className: 'C', options: { name: 'c', events: ['identity.user_registered'] }, instance: {} }]),
    ).toThrow(/has no handle/);
  });
});

describe('EventConsumerRegistry (discovery)', () => {
  @Injectable()
  @EventConsumer({ name: 'welcome', events: ['identity.user_registered'] })
  class WelcomeConsumer implements DomainEventConsumer {
    async handle(): Promise<void> {}
  }

  @Injectable()
  @EventConsumer({ name: 'erasure', events: ['identity.user_erased', 'identity.user_registered'] })
  class ErasureConsumer implements DomainEventConsumer {
    async handle(): Promise<void> {}
  }

  @Injectable()
  @EventConsumer({ name: 'welcome', events: ['identity.user_erased'] })
  class AnotherWelcomeConsumer implements DomainEventConsumer {
    async handle(): Promise<void> {}
  }

  @Injectable()
  class NotAConsumer {}

  @Module({ providers: [ErasureConsumer, NotAConsumer] })
  class OtherModule {}

  it('finds decorated providers in every module, instances included', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule, OtherModule],
      providers: [WelcomeConsumer, EventConsumerRegistry],
    }).compile();
    await moduleRef.init();
    const registry = moduleRef.get(EventConsumerRegistry);
    expect(registry.names()).toEqual(['erasure', 'welcome']);
    expect(registry.subscribersOf('identity.user_registered')).toEqual(['erasure', 'welcome']);
    expect(registry.subscribersOf('identity.user_erased')).toEqual(['erasure']);
    expect(registry.subscribersOf('identity.roles_changed')).toEqual([]);
    expect(registry.get('welcome')!.consumer).toBe(moduleRef.get(WelcomeConsumer));
    await moduleRef.close();
  });

  it('fails the start when two providers share a consumer name', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [DiscoveryModule],
      providers: [WelcomeConsumer, AnotherWelcomeConsumer, EventConsumerRegistry],
    }).compile();
    await expect(moduleRef.init()).rejects.toThrow('Event consumer name "welcome" is used by both');
    await moduleRef.close();
  });
});
