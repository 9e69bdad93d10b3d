import { NOTIFICATION_RULE, NOTIFICATION_RULE_EVENTS, NotificationRule, NotificationRuleHandler } from './notification-rule';
import { buildRuleIndex, NotificationRuleError } from './notification-rule.registry';

const handler: NotificationRuleHandler = { recipients: async () => [], render: () => ({ title: '', body: '', path: '/' }) };

describe('notification rules', () => {
  it('indexes rules by event and by type', () => {
    const index = buildRuleIndex([
      { name: 'A', options: { events: ['identity.user_registered'], types: ['identity.welcome'] }, handler },
      { name: 'B', options: { events: ['identity.user_registered', 'identity.roles_changed'], types: ['identity.roles'] }, handler },
    ]);
    expect(index.byEvent.get('identity.user_registered')!.map((r) => r.name)).toEqual(['A', 'B']);
    expect(index.byType.get('identity.roles')!.name).toBe('B');
  });

  it('refuses two rules producing one type, and a rule without render', () => {
    expect(() =>
      buildRuleIndex([
        { name: 'A', options: { events: ['identity.user_registered'], types: ['identity.welcome'] }, handler },
        { name: 'B', options: { events: ['identity.user_erased'], types: ['identity.welcome'] }, handler },
      ]),
    ).toThrow(new NotificationRuleError('Notification type "identity.welcome" is produced by both A and B'));
    expect(() => buildRuleIndex([{ name: 'C', options: { events: ['identity.user_erased'], types: ['identity.x'] }, handler: {} as never }])).toThrow(/render/);
  });

  it('adds a decorated rule’s events to what the rules consumer subscribes to, and checks type names', () => {
    @NotificationRule({ events: ['identity.residency_verified'], types: ['identity.resident'] })
    class ResidentRule {}
    // What the registry discovers the rule by: its options, on the class.
    expect(Reflect.getMetadata(NOTIFICATION_RULE, ResidentRule)).toEqual({ events: ['identity.residency_verified'], types: ['identity.resident'] });
    expect(NOTIFICATION_RULE_EVENTS).toContain('identity.residency_verified');
    expect(() => NotificationRule({ events: [], types: ['Not A Type'] })).toThrow(/domain.what_happened/);
  });
});
