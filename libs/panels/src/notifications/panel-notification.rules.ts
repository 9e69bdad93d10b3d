import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventMap } from '@app/common';
import type { Locale } from '@app/identity';
import { NotificationContent, NotificationDraft, NotificationRule, NotificationRuleHandler, RenderedNotification } from '@app/notifications';
import { EntityManager, In, Not, IsNull } from 'typeorm';
import { PanelMemberEntity } from '../members/panel-member.entity';
import { PanelEntity } from '../panels/panel.entity';

export const PANEL_NOTIFICATION_TYPES = {
  invited: 'panels.member_invited',
  termStarted: 'panels.member_term_started',
} as const;

const day = (iso: unknown, locale: Locale): string =>
  new Date(String(iso)).toLocaleDateString(locale === 'en' ? 'en-GB' : 'fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * People drawn for a panel who have an account (volunteers) are told they were drawn and by when
 * to answer; imported residents without one get the printed letter instead (see the README).
 * Each active member hears when a term starts.
 */
@Injectable()
@NotificationRule({ events: ['panels.members_selected', 'panels.member_status_changed'], types: [PANEL_NOTIFICATION_TYPES.invited, PANEL_NOTIFICATION_TYPES.termStarted] })
export class PanelMemberNotificationRule implements NotificationRuleHandler {
  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    if (event.type === 'panels.members_selected') {
      const p = event.payload as DomainEventMap['panels.members_selected'];
      const panel = await manager.findOne(PanelEntity, { where: { id: p.panelId }, select: { id: true, name: true } });
      if (!panel) return [];
      const members = await manager.find(PanelMemberEntity, { where: { id: In(p.memberIds), userId: Not(IsNull()), status: 'selected' }, select: { id: true, userId: true } });
      return members.map((m) => ({ userId: m.userId!, type: PANEL_NOTIFICATION_TYPES.invited, data: { panelName: panel.name, respondBy: p.respondBy }, subject: { type: 'panel', id: panel.id } }));
    }
    const p = event.payload as DomainEventMap['panels.member_status_changed'];
    if (p.to !== 'active' || !p.userId) return [];
    const panel = await manager.findOne(PanelEntity, { where: { id: p.panelId }, select: { id: true, name: true, termEndsAt: true } });
    if (!panel) return [];
    return [{ userId: p.userId, type: PANEL_NOTIFICATION_TYPES.termStarted, data: { panelName: panel.name, termEndsAt: panel.termEndsAt?.toISOString() ?? null }, subject: { type: 'panel', id: panel.id } }];
  }

  render(n: NotificationContent, locale: Locale): RenderedNotification {
    const fr = locale !== 'en';
    const name = String(n.data.panelName ?? '');
    const path = `/panels/${n.subjectId}`;
    if (n.type === PANEL_NOTIFICATION_TYPES.invited) {
      return fr
        ? { title: `Vous avez été tiré·e au sort pour le panel « ${name} »`, body: `Confirmez ou déclinez votre participation avant le ${day(n.data.respondBy, 'fr')} ; sans réponse, une autre personne sera tirée au sort.`, path }
        : { title: `You were drawn for the panel "${name}"`, body: `Confirm or decline your seat by ${day(n.data.respondBy, 'en')}; without an answer, someone else will be drawn.`, path };
    }
    const until = n.data.termEndsAt ? day(n.data.termEndsAt, fr ? 'fr' : 'en') : null;
    return fr
      ? { title: `Votre mandat au panel « ${name} » commence`, body: until ? `Vous siégez jusqu'au ${until}.` : 'Vous siégez désormais.', path }
      : { title: `Your term on the panel "${name}" begins`, body: until ? `You sit until ${until}.` : 'You now hold your seat.', path };
  }
}
