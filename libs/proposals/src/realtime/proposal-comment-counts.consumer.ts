import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer } from '@app/common';
import { EntityManager } from 'typeorm';
import { PROPOSAL_SUBJECT } from '../lifecycle/proposal-transitions';

/**
 * Keeps proposals.comment_count (the `most_commented` sort, served by an index) in step with
 * engagement's comments on proposals. Not rerunnable: the consumption is recorded in the same
 * transaction, so each added or deleted comment moves the count exactly once.
 */
@Injectable()
@EventConsumer({ name: 'proposal-comment-counts', events: ['engagement.comment_added', 'engagement.comment_deleted'] })
export class ProposalCommentCountsConsumer implements DomainEventConsumer {
  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    const p = event.payload as { subjectType: string; subjectId: string };
    if (p.subjectType !== PROPOSAL_SUBJECT) return;
    const delta = event.type === 'engagement.comment_added' ? 1 : -1;
    await manager.query(`UPDATE proposals SET comment_count = GREATEST(comment_count + $2, 0) WHERE id = $1`, [p.subjectId, delta]);
  }
}
