import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer } from '@app/common';
import { MunicipalitiesService } from '@app/identity';
import { RealtimePublisher } from '@app/realtime';
import { EntityManager } from 'typeorm';
import { isPublicStatus } from '../lifecycle/proposal-lifecycle';
import { ProposalEntity } from '../proposal.entity';
import { ProposalsService } from '../proposals.service';
import { ProposalView } from '../views/proposal-view';
import { municipalityProposalsTopic, proposalTopic } from './proposal-topics.policy';

/**
 * What live proposal messages carry: the proposal as the public sees it (support count, state,
 * answer), or null once the public no longer sees it (withdrawn, hidden): drop it from lists.
 */
export interface ProposalLiveData {
  proposalId: string;
  proposal: ProposalView | null;
}

/** Every proposal event reaches `proposal:{id}` and the town's feed after commit, read at delivery. */
@Injectable()
// Rerunnable: it only publishes messages whose id is the event's, which clients dedupe.
@EventConsumer({
  name: 'proposals-live',
  rerunnable: true,
  events: ['proposals.published', 'proposals.edited', 'proposals.status_changed', 'proposals.support_changed', 'proposals.answered'],
})
export class ProposalsLiveConsumer implements DomainEventConsumer {
  constructor(
    private readonly proposals: ProposalsService,
    private readonly municipalities: MunicipalitiesService,
    private readonly publisher: RealtimePublisher,
  ) {}

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    const p = await manager.findOneBy(ProposalEntity, { id: event.aggregateId });
    if (!p) return;
    const wasPublic = event.type === 'proposals.status_changed' && isPublicStatus((event.payload as { from: ProposalEntity['status'] }).from);
    // Nothing public happened: a draft's or held proposal's own changes stay private.
    if (!isPublicStatus(p.status) && !wasPublic) return;
    const [view] = isPublicStatus(p.status) ? await this.proposals.views([p], null, manager) : [null];
    const municipality = await this.municipalities.requireById(p.municipalityId, manager);
    await this.publisher.publish<ProposalLiveData>([proposalTopic(p.id), municipalityProposalsTopic(municipality.slug)], {
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
      data: { proposalId: p.id, proposal: view },
    });
  }
}
