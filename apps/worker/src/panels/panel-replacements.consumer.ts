import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, DomainEventMap, EventConsumer } from '@app/common';
import { ReplacementDrawsService } from '@app/panels';
import { EntityManager } from 'typeorm';

const FREES_A_SEAT = new Set(['declined', 'expired', 'withdrawn']);

/**
 * A seat freed by a decline, no answer or a withdrawal is filled by a replacement draw that keeps
 * the quotas, in the event's transaction (done exactly once). Seats freed together are filled by
 * one draw: the first event finds every vacancy, the next ones none.
 */
@Injectable()
// Rerunnable: only PostgreSQL work, and with no vacancy left a rerun does nothing.
@EventConsumer({ name: 'panel-replacements', events: ['panels.member_status_changed'], rerunnable: true })
export class PanelReplacementsConsumer implements DomainEventConsumer {
  constructor(private readonly replacements: ReplacementDrawsService) {}

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    const p = event.payload as DomainEventMap['panels.member_status_changed'];
    if (!FREES_A_SEAT.has(p.to)) return;
    await this.replacements.fillVacancies(p.panelId, manager);
  }
}
