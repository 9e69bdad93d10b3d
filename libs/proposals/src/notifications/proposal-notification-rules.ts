import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventMap } from '@app/common';
import { FollowsService } from '@app/engagement';
import { Locale, MembershipsService } from '@app/identity';
import { NotificationContent, NotificationDraft, NotificationRule, NotificationRuleHandler, RenderedNotification } from '@app/notifications';
import { EntityManager, IsNull, Not } from 'typeorm';
import { PROPOSAL_SUBJECT } from '../lifecycle/proposal-transitions';
import { ProposalCoauthorEntity, ProposalEntity } from '../proposal.entity';
import { PROPOSAL_NOTIFICATION_TYPES as T, renderProposalNotification } from './proposal-notification-texts';

const payload = <K extends keyof DomainEventMap>(event: DomainEvent, _type: K) => event.payload as DomainEventMap[K];

abstract class ProposalRule implements NotificationRuleHandler {
  abstract recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]>;

  render(notification: NotificationContent, locale: Locale): RenderedNotification {
    return renderProposalNotification(notification, locale);
  }
}

async function titleOf(manager: EntityManager, id: string): Promise<string | null> {
  const p = await manager.findOne(ProposalEntity, { where: { id }, select: { id: true, title: true } });
  return p?.title ?? null;
}

/**
 * Its authors and followers hear when a proposal is published, reaches its threshold, is
 * answered, implemented or expires; when it is answered, its supporters too.
 */
@Injectable()
@NotificationRule({
  events: ['proposals.published', 'proposals.status_changed', 'proposals.answered'],
  types: [T.published, T.thresholdReached, T.answered, T.implemented, T.expired],
})
export class ProposalLifecycleNotificationRule extends ProposalRule {
  constructor(private readonly follows: FollowsService) {
    super();
  }

  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    let type: string;
    let extra: Record<string, unknown> = {};
    if (event.type === 'proposals.published') type = T.published;
    else if (event.type === 'proposals.answered') {
      type = T.answered;
      extra = { answer: payload(event, 'proposals.answered').answer };
    } else {
      const to = payload(event, 'proposals.status_changed').to;
      const byState: Partial<Record<string, string>> = { threshold_reached: T.thresholdReached, implemented: T.implemented, expired: T.expired };
      const found = byState[to];
      if (!found) return [];
      type = found;
    }
    const title = await titleOf(manager, event.aggregateId);
    if (title === null) return [];
    const people = new Set<string>();
    const authorId = (event.payload as { authorId: string | null }).authorId;
    if (authorId) people.add(authorId);
    const coauthors = await manager.findBy(ProposalCoauthorEntity, { proposalId: event.aggregateId, acceptedAt: Not(IsNull()) });
    for (const c of coauthors) people.add(c.userId);
    for (const id of await this.follows.followerIds({ type: PROPOSAL_SUBJECT, id: event.aggregateId }, manager)) people.add(id);
    if (type === T.answered) {
      const supporters: Array<{ user_id: string }> = await manager.query(`SELECT user_id FROM proposal_supports WHERE proposal_id = $1`, [event.aggregateId]);
      for (const s of supporters) people.add(s.user_id);
    }
    return [...people].map((userId) => ({ userId, type, data: { title, ...extra } }));
  }
}

/** Someone invited to co-sign hears of it. */
@Injectable()
@NotificationRule({ events: ['proposals.coauthor_invited'], types: [T.coauthorInvited] })
export class CoauthorInvitationNotificationRule extends ProposalRule {
  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    const title = await titleOf(manager, event.aggregateId);
    if (title === null) return [];
    return [{ userId: payload(event, 'proposals.coauthor_invited').userId, type: T.coauthorInvited, data: { title } }];
  }
}

/** The town's staff hear when an answer is overdue. */
@Injectable()
@NotificationRule({ events: ['proposals.answer_overdue'], types: [T.answerOverdue] })
export class AnswerOverdueNotificationRule extends ProposalRule {
  constructor(private readonly memberships: MembershipsService) {
    super();
  }

  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    const p = payload(event, 'proposals.answer_overdue');
    const title = await titleOf(manager, event.aggregateId);
    if (title === null) return [];
    const staff = await this.memberships.staffIdsFor(p.municipalityId, null, manager);
    return staff.map((userId) => ({ userId, type: T.answerOverdue, data: { title, answerDueAt: p.answerDueAt } }));
  }
}

export const PROPOSAL_NOTIFICATION_RULES = [ProposalLifecycleNotificationRule, CoauthorInvitationNotificationRule, AnswerOverdueNotificationRule];
