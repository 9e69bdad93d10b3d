import { Injectable } from '@nestjs/common';
import { AnnouncementsService } from '@app/notifications';
import { EntityManager } from 'typeorm';
import type { BudgetEntity, BudgetPhase } from '../budget.entity';

const pick = (text: Partial<Record<'fr' | 'en', string>>, locale: 'fr' | 'en') => text[locale] ?? text.fr ?? text.en ?? '';

/**
 * Voting opening and results coming out are announced to every resident who may vote (the
 * `budget.eligible` audience), through libs/notifications' announcements: paged, resumable,
 * in the bulk lane, by each person's preferences. Recorded in the phase move's transaction.
 */
@Injectable()
export class BudgetAnnouncements {
  constructor(private readonly announcements: AnnouncementsService) {}

  async phaseMoved(manager: EntityManager, budget: BudgetEntity, to: BudgetPhase, actorId: string | null): Promise<void> {
    if (to !== 'voting' && to !== 'finished') return;
    const fr = pick(budget.title, 'fr');
    const en = pick(budget.title, 'en');
    const words =
      to === 'voting'
        ? { title: { fr: `Le vote est ouvert : ${fr}`, en: `Voting is open: ${en}` }, body: { fr: 'Choisissez les projets que vous voulez voir financés.', en: 'Choose the projects you want funded.' } }
        : { title: { fr: `Résultats : ${fr}`, en: `Results: ${en}` }, body: { fr: 'Les projets retenus sont publiés.', en: 'The selected projects are published.' } };
    await this.announcements.announce(manager, {
      municipalityId: budget.municipalityId,
      actorId,
      audience: { kind: 'budget.eligible', target: budget.id },
      ...words,
      channels: ['in_app', 'email', 'push'],
      path: `/budgets/${budget.id}`,
    });
  }
}
