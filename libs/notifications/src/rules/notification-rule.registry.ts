import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { NOTIFICATION_RULE, NotificationRuleHandler, NotificationRuleOptions } from './notification-rule';

export interface RegisteredRule {
  name: string;
  options: NotificationRuleOptions;
  handler: NotificationRuleHandler;
}

export class NotificationRuleError extends Error {}

/** Indexes rules by event and by the types they produce; refuses two rules claiming one type. */
export function buildRuleIndex(rules: RegisteredRule[]): { byEvent: Map<string, RegisteredRule[]>; byType: Map<string, RegisteredRule> } {
  const byEvent = new Map<string, RegisteredRule[]>();
  const byType = new Map<string, RegisteredRule>();
  for (const rule of [...rules].sort((a, b) => a.name.localeCompare(b.name))) {
    if (typeof rule.handler?.recipients !== 'function' || typeof rule.handler?.render !== 'function') {
      throw new NotificationRuleError(`Notification rule ${rule.name} must have recipients(event, manager) and render(notification, locale)`);
    }
    for (const type of rule.options.types) {
      const other = byType.get(type);
      if (other) throw new NotificationRuleError(`Notification type "${type}" is produced by both ${other.name} and ${rule.name}`);
      byType.set(type, rule);
    }
    for (const event of rule.options.events) byEvent.set(event, [...(byEvent.get(event) ?? []), rule]);
  }
  return { byEvent, byType };
}

/**
 * Every @NotificationRule provider of the app, found at start. The worker asks it which rules read
 * an event; the API and the channels ask it which types exist and how to word them.
 */
@Injectable()
export class NotificationRuleRegistry implements OnModuleInit {
  private index: ReturnType<typeof buildRuleIndex> | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    this.load();
  }

  rulesFor(eventType: string): RegisteredRule[] {
    return this.load().byEvent.get(eventType) ?? [];
  }

  ruleForType(type: string): RegisteredRule | undefined {
    return this.load().byType.get(type);
  }

  /** Every notification type, sorted: what preferences list. */
  types(): string[] {
    return [...this.load().byType.keys()].sort();
  }

  isKnownType(type: string): boolean {
    return this.load().byType.has(type);
  }

  private load(): ReturnType<typeof buildRuleIndex> {
    if (this.index) return this.index;
    const rules: RegisteredRule[] = [];
    for (const wrapper of this.discovery.getProviders()) {
      const type = !wrapper.metatype || wrapper.inject ? wrapper.instance?.constructor : wrapper.metatype;
      if (typeof type !== 'function') continue;
      const options = this.reflector.get<NotificationRuleOptions | undefined>(NOTIFICATION_RULE, type);
      if (!options) continue;
      if (!wrapper.isDependencyTreeStatic() || !wrapper.instance) {
        throw new NotificationRuleError(`Notification rule ${type.name} must be a singleton provider`);
      }
      // A module imported twice yields one instance; list it once.
      if (rules.some((r) => r.handler === wrapper.instance)) continue;
      rules.push({ name: type.name, options, handler: wrapper.instance as NotificationRuleHandler });
    }
    this.index = buildRuleIndex(rules);
    return this.index;
  }
}
