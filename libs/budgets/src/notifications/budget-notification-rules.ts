import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventMap } from '@app/common';
import { FollowsService } from '@app/engagement';
import type { Locale } from '@app/identity';
import { AnyNotificationDraft, NotificationContent, NotificationRule, NotificationRuleHandler, RenderedNotification } from '@app/notifications';
import { EntityManager } from 'typeorm';
import { BudgetEntity } from '../budget.entity';
import { BUDGET_SUBJECT } from '../subjects/budget-subjects.provider';

/** The notification types of the budgets library. */
export const BUDGET_NOTIFICATION_TYPES = {
  projectReviewed: 'budget.project_reviewed',
  votingOpened: 'budget.voting_opened',
  resultsPublished: 'budget.results_published',
} as const;
const T = BUDGET_NOTIFICATION_TYPES;

const payload = <K extends keyof DomainEventMap>(event: DomainEvent, _type: K) => event.payload as DomainEventMap[K];
const localized = (value: unknown, locale: Locale): string => {
  const names = (value ?? {}) as Partial<Record<Locale, string>>;
  return names[locale] ?? names.fr ?? names.en ?? '';
};

/** Words every budget notification in French or English. */
export function renderBudgetNotification(n: NotificationContent, locale: Locale): RenderedNotification {
  const fr = locale !== 'en';
  const d = n.data;
  const budgetId = String(d.budgetId ?? n.subjectId);
  const path = `/budgets/${budgetId}`;
  const title = localized(d.title, fr ? 'fr' : 'en');
  switch (n.type) {
    case T.projectReviewed: {
      const project = String(d.projectTitle ?? '');
      const status = String(d.status);
      const reason = d.reason ? String(d.reason) : '';
      if (status === 'unfeasible') {
        return fr
          ? { title: `Votre projet « ${project} » n'est pas retenu`, body: `La commune l'a jugé infaisable${reason ? ` : ${reason}` : '.'}`, path }
          : { title: `Your project “${project}” was not kept`, body: `The town judged it unfeasible${reason ? `: ${reason}` : '.'}`, path };
      }
      if (status === 'on_ballot') {
        return fr
          ? { title: `Votre projet « ${project} » sera soumis au vote`, body: 'Il figure sur le bulletin du budget participatif.', path }
          : { title: `Your project “${project}” is on the ballot`, body: 'Residents will vote on it in the participatory budget.', path };
      }
      return fr
        ? { title: `Votre projet « ${project} » est jugé faisable`, body: 'La commune poursuit son étude.', path }
        : { title: `Your project “${project}” was judged feasible`, body: 'The town is still reviewing it.', path };
    }
    case T.votingOpened:
      return fr
        ? { title: `Le vote est ouvert : ${title}`, body: 'Choisissez les projets que vous voulez voir financés.', path }
        : { title: `Voting is open: ${title}`, body: 'Choose the projects you want funded.', path };
    case T.resultsPublished:
      return fr ? { title: `Résultats : ${title}`, body: 'Les projets retenus sont publiés.', path } : { title: `Results: ${title}`, body: 'The selected projects are published.', path };
    default:
      return { title: title || n.type, body: '', path };
  }
}

/** A project's author hears of its review: feasible, unfeasible (with the reason), on the ballot. */
@Injectable()
@NotificationRule({ events: ['budgets.project_reviewed'], types: [T.projectReviewed] })
export class ProjectAuthorNotificationRule implements NotificationRuleHandler {
  async recipients(event: DomainEvent): Promise<AnyNotificationDraft[]> {
    const p = payload(event, 'budgets.project_reviewed');
    if (!p.authorId) return [];
    return [{ userId: p.authorId, type: T.projectReviewed, data: { budgetId: p.budgetId, projectTitle: p.title, status: p.status, reason: p.reason }, subject: { type: 'budget_project', id: p.projectId } }];
  }

  render(n: NotificationContent, locale: Locale): RenderedNotification {
    return renderBudgetNotification(n, locale);
  }
}

/**
 * People who follow a budget hear that voting opened and that results are out. (Announcing it to
 * every eligible resident is an announcement to an audience, libs/notifications.)
 */
@Injectable()
@NotificationRule({ events: ['budgets.phase_changed'], types: [T.votingOpened, T.resultsPublished] })
export class BudgetFollowersNotificationRule implements NotificationRuleHandler {
  constructor(private readonly follows: FollowsService) {}

  async recipients(event: DomainEvent, manager: EntityManager): Promise<AnyNotificationDraft[]> {
    const p = payload(event, 'budgets.phase_changed');
    const type = p.to === 'voting' ? T.votingOpened : p.to === 'finished' ? T.resultsPublished : null;
    if (!type) return [];
    const budget = await manager.findOne(BudgetEntity, { where: { id: p.budgetId }, select: { id: true, title: true } });
    if (!budget) return [];
    const followers = await this.follows.followerIds({ type: BUDGET_SUBJECT, id: p.budgetId }, manager);
    return followers.map((userId) => ({ userId, type, data: { budgetId: p.budgetId, title: budget.title } }));
  }

  render(n: NotificationContent, locale: Locale): RenderedNotification {
    return renderBudgetNotification(n, locale);
  }
}

export const BUDGET_NOTIFICATION_RULES = [ProjectAuthorNotificationRule, BudgetFollowersNotificationRule];
