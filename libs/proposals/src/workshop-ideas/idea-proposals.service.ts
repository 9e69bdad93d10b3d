import { Injectable } from '@nestjs/common';
import { AuthUser, DomainException, OutboxService, TransactionService } from '@app/common';
import { MunicipalitiesService } from '@app/identity';
import { WorkshopIdeasService } from '@app/workshops';
import { ProposalFromIdeaDto } from '../dto/proposal.dto';
import { eventBase, eventMeta } from '../lifecycle/proposal-transitions';
import { ProposalEntity } from '../proposal.entity';
import { ProposalsService } from '../proposals.service';
import { ProposalView } from '../views/proposal-view';

export class IdeaAlreadyProposedError extends DomainException {
  constructor(proposalId: string) {
    super('PROPOSAL_IDEA_ALREADY_PROPOSED', 'conflict', 'This note has already become a proposal', { proposalId });
  }
}

/**
 * A note from a workshop's live board becomes a proposal — a draft of its author, who then edits
 * and publishes it like any other. The author asking is the consent: the workshops library hands
 * over a note only to the person who wrote it (WorkshopIdeasService, its exported service), so a
 * facilitator or another participant cannot, and nothing happens unless the author asks. One
 * proposal per note (`from_workshop_idea_id`, unique), linked both ways through that id.
 */
@Injectable()
export class IdeaProposalsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly ideas: WorkshopIdeasService,
    private readonly municipalities: MunicipalitiesService,
    private readonly proposals: ProposalsService,
    private readonly outbox: OutboxService,
  ) {}

  async fromWorkshopIdea(actor: AuthUser, ideaId: string, dto: ProposalFromIdeaDto): Promise<ProposalView> {
    const idea = await this.ideas.authoredIdea(actor.id, ideaId);
    const municipality = await this.municipalities.requireById(idea.municipalityId);
    const proposal = await this.tx.run(async (manager) => {
      // One proposal per note, even when the author's two devices ask at once.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`proposal-from-idea:${idea.ideaId}`]);
      const existing = await manager.findOneBy(ProposalEntity, { fromWorkshopIdeaId: idea.ideaId });
      if (existing) throw new IdeaAlreadyProposedError(existing.id);
      const created = await this.proposals.create(
        { id: actor.id, isPlatformAdmin: actor.isPlatformAdmin, memberships: actor.memberships },
        municipality.slug,
        { title: dto.title, body: dto.body ?? idea.text, topicId: dto.topicId },
        manager,
        { fromWorkshopIdeaId: idea.ideaId },
      );
      await this.outbox.record(
        manager,
        'proposals.created_from_workshop_idea',
        { ...eventBase(created), ideaId: idea.ideaId, sessionId: idea.sessionId, workshopId: idea.workshopId },
        eventMeta(created, actor.id),
      );
      return created;
    });
    return this.proposals.view(actor, proposal.id);
  }
}
